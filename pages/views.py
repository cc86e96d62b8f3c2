"""Site-wide pages: the start page, the accessibility statement and the health check."""

from django.db import connection
from django.db.models import Max
from django.db.utils import DatabaseError
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from certification.models import CertificationEvent


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


class AccessibilityStatementView(TemplateView):
    template_name = "pages/accessibility.html"


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
