from django.urls import path

from . import views

app_name = "standards"

urlpatterns = [
    path("standards/", views.StandardsEditionListView.as_view(), name="index"),
    path("standards/<slug:slug>/", views.standards_edition, name="edition"),
]
