"""A commissioner's pages, under /compliance/commissioners/<slug>/ (DESIGN.md URL map)."""

from django.urls import path

from . import commissioner_views as views

urlpatterns = [
    path("", views.overview, name="commissioner"),
    path("export.csv", views.overview_export_csv, name="commissioner_export"),
    path("report/", views.report, name="commissioner_report"),
    path("exposure/", views.exposure, name="commissioner_exposure"),
    path("alerts/", views.alert_list, name="commissioner_alert_list"),
    path("alerts/read/", views.alerts_mark_all_read, name="commissioner_alerts_read"),
    path("alerts/<int:pk>/read/", views.alert_mark_read, name="commissioner_alert_read"),
    path("services/<slug:service_slug>/", views.service_detail, name="commissioner_service"),
    path("contracts/", views.contract_list, name="contract_list"),
    path("contracts/new/", views.contract_new, name="contract_new"),
    path("contracts/import/", views.contract_import, name="contract_import"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/edit/", views.contract_edit, name="contract_edit"),
    path("contracts/<int:pk>/end/", views.contract_end, name="contract_end"),
    path("contracts/<int:pk>/reviews/new/", views.review_new, name="review_new"),
    path(
        "reviews/<int:pk>/actions-completed/",
        views.review_actions_completed,
        name="review_actions_completed",
    ),
]
