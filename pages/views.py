"""Site-wide pages: the start page, the accessibility statement and the health check."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.models import Max
from django.db.utils import DatabaseError
from django.http import HttpResponse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from certification.models import CertificationEvent


@method_decorator(login_not_required, name="dispatch")
class StartPageView(TemplateView):
    template_name = "pages/start.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The register changes only through certification events: the latest one is when
        # its data last changed.
        context["last_updated"] = CertificationEvent.objects.aggregate(latest=Max("recorded_at"))[
            "latest"
        ]
        return context


@method_decorator(login_not_required, name="dispatch")
class AccessibilityStatementView(TemplateView):
    template_name = "pages/accessibility.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            contact_email=settings.ACCESSIBILITY_CONTACT_EMAIL, **kwargs
        )


@login_not_required
@never_cache
def healthz(request):
    """200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
