from django.urls import include, path

from . import service_provider_urls, views

app_name = "compliance"

urlpatterns = [
    path("", views.home, name="home"),
    # A service provider's pages: dashboard, arrangements, checks, history, alerts.
    path("service-providers/<slug:slug>/", include(service_provider_urls)),
    path("commissioners/<slug:slug>/", views.commissioner, name="commissioner"),
]
