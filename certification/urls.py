from django.urls import path

from . import views

app_name = "certification"

urlpatterns = [
    path("certificates/check/", views.certificate_check, name="check"),
    path("certification-bodies/", views.CertificationBodyListView.as_view(), name="body_list"),
    path("certification-bodies/<slug:slug>/", views.certification_body_detail, name="body_detail"),
]
