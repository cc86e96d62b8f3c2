"""A service provider's pages, under /compliance/service-providers/<slug>/ (DESIGN.md URL map)."""

from django.urls import path

from . import service_provider_views as views

urlpatterns = [
    path("", views.dashboard, name="service_provider"),
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/read/", views.alerts_mark_all_read, name="alerts_read"),
    path("alerts/<int:pk>/read/", views.alert_mark_read, name="alert_read"),
    path("alerts/settings/", views.alert_settings, name="alert_settings"),
    path("arrangements/", views.arrangement_list, name="arrangement_list"),
    path("arrangements/new/", views.arrangement_new, name="arrangement_new"),
    path("arrangements/<int:pk>/end/", views.arrangement_end, name="arrangement_end"),
    path("checks/", views.check_list, name="check_list"),
    path("checks/new/", views.check_new, name="check_new"),
    path("checks/export.csv", views.check_export_csv, name="check_export"),
    path("checks/<int:pk>/", views.check_detail, name="check_detail"),
    path("checks/<int:pk>/evidence/", views.check_evidence, name="check_evidence"),
    path("contracts/", views.contract_list, name="service_provider_contracts"),
    path("contracts/<int:pk>/confirm/", views.contract_confirm, name="contract_confirm"),
    path("contracts/<int:pk>/decline/", views.contract_decline, name="contract_decline"),
]
