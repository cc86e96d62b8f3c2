from django.urls import path

from . import views

app_name = "compliance"

urlpatterns = [
    path("", views.home, name="home"),
    path("service-providers/<slug:slug>/", views.service_provider, name="service_provider"),
    path("commissioners/<slug:slug>/", views.commissioner, name="commissioner"),
]
