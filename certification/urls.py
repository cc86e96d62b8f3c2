from django.urls import path

from . import feeds, views

app_name = "certification"

urlpatterns = [
    # Before the register's /providers/<slug>/ so that it does not swallow these.
    path("providers/changes/", feeds.status_changes, name="changes"),
    path("providers/changes.atom", feeds.StatusChangesAtomFeed(), name="changes_atom"),
    path(
        "providers/<slug:slug>/changes.atom",
        feeds.ProviderChangesAtomFeed(),
        name="provider_changes_atom",
    ),
    path("certificates/check/", views.certificate_check, name="check"),
    path("certification-bodies/", views.CertificationBodyListView.as_view(), name="body_list"),
    path("certification-bodies/<slug:slug>/", views.certification_body_detail, name="body_detail"),
]
