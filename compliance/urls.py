from django.urls import include, path

from . import commissioner_urls, service_provider_urls, views

app_name = "compliance"

urlpatterns = [
    path("", views.home, name="home"),
    # A service provider's pages: dashboard, arrangements, checks, history, alerts.
    path("service-providers/<slug:slug>/", include(service_provider_urls)),
    # A commissioner's pages: overview, contracts, reviews, exposure, report.
    path("commissioners/<slug:slug>/", include(commissioner_urls)),
]
