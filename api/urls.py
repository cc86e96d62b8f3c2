"""The REST API under /api/v1/ (DESIGN.md § API). Every view is public to the site's
LoginRequiredMiddleware (`login_not_required`): the API does its own access checks, per
operation, through DRF's authentication and permission classes."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from .views import bodies, certificates, certifications, changes, compliance, providers, standards

app_name = "api"


def api(view_class, **initkwargs):
    return login_not_required(view_class.as_view(**initkwargs))


urlpatterns = [
    path("providers/", api(providers.TrainingProviderList), name="provider_list"),
    path("providers/<slug:slug>/", api(providers.TrainingProviderDetail), name="provider_detail"),
    path(
        "certificates/<str:number>/", api(certificates.CertificateDetail), name="certificate_detail"
    ),
    path("verifications/", api(certificates.Verifications), name="verifications"),
    path("certification-bodies/", api(bodies.CertificationBodyList), name="body_list"),
    path(
        "certification-bodies/<slug:slug>/", api(bodies.CertificationBodyDetail), name="body_detail"
    ),
    path("standards/", api(standards.StandardsEditionList), name="standards_list"),
    path("standards/<slug:slug>/", api(standards.StandardsEditionDetail), name="standards_detail"),
    path("vocabulary/", api(standards.Vocabulary), name="vocabulary"),
    path("changes/", api(changes.ChangeFeed), name="changes"),
    # A certification body's own records, with its API token (api/views/certifications.py).
    path("certifications/", api(certifications.CertificationList), name="certification_list"),
    path(
        "certifications/bulk/",
        api(certifications.CertificationBulkCreate),
        name="certification_bulk",
    ),
    path(
        "certifications/<int:pk>/",
        api(certifications.CertificationDetail),
        name="certification_detail",
    ),
    path(
        "certifications/<int:pk>/status-moves/",
        api(certifications.CertificationStatusMoves),
        name="certification_status_moves",
    ),
    # An organisation's own compliance: its tokens, or its members signed in.
    path(
        "service-providers/<slug:slug>/arrangements/",
        api(compliance.ServiceProviderArrangements),
        name="service_provider_arrangements",
    ),
    path(
        "commissioners/<slug:slug>/services/",
        api(compliance.CommissionerServices),
        name="commissioner_services",
    ),
    path("schema/", api(SpectacularAPIView), name="schema"),
    path("docs/", api(SpectacularSwaggerSplitView, url_name="api:schema"), name="docs"),
]
