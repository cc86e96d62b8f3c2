"""Public certification pages: the certificate check and the certification bodies.

Verdicts come only from `Certification.verdict` (certification.verdicts).
"""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import QueryDict
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_safe
from django.views.generic import ListView

from pages.content_cache import Content, kept_page, page_title

from .certificate_check import check_certificate
from .certificate_numbers import EXAMPLE_CERTIFICATE_NUMBER
from .forms import CertificateCheckForm
from .models import AccreditationChange, Certification, CertificationBody
from .verdicts import ProviderHeadline

CERTIFICATIONS_PER_PAGE = 25


@login_not_required
@require_safe
def certificate_check(request):
    """The form; with ?number= the answer, at a URL that is its permalink. The same for
    everybody: rendered once per address, day and data generation (pages.content_cache)."""

    def render_content():
        form = CertificateCheckForm(request.GET if "number" in request.GET else None)
        result = None
        if form.is_bound and form.is_valid():
            result = check_certificate(form.cleaned_data["number"], timezone.localdate())
        permalink = None
        if result is not None:
            permalink = request.build_absolute_uri(request.path) + "?" + _query(result.shown_number)
        answer = (f"{result.shown_number}: {result.label}",) if result else ()
        context = {
            "form": form,
            "result": result,
            "permalink": permalink,
            "example_number": EXAMPLE_CERTIFICATE_NUMBER,
            "body_accreditation_label": (
                result.certification.body.accreditation_label_on(result.on)
                if result and result.found
                else None
            ),
        }
        return Content(
            title=page_title(*answer, "Check a certificate", error=bool(form.errors)),
            html=render_to_string("certification/certificate_check.html", context, request),
        )

    return kept_page(request, "certificate check", render_content)


def _query(number):
    q = QueryDict(mutable=True)
    q["number"] = number
    return q.urlencode()


@method_decorator(login_not_required, name="dispatch")
class CertificationBodyListView(ListView):
    template_name = "certification/body_list.html"
    context_object_name = "bodies"

    def get_queryset(self):
        return (
            CertificationBody.objects.annotate(
                certification_count=Count(
                    "certifications", filter=Q(certifications__is_archived=False)
                )
            )
            .prefetch_related(
                Prefetch("accreditation_changes", queryset=AccreditationChange.objects.order_by())
            )
            .order_by("name")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["rows"] = [_accreditation_today(body, today) for body in context["bodies"]]
        return context


def _accreditation_today(body, today):
    status = body.accreditation_status_on(today)
    counts = body.accreditation_counts_on(today)  # the one answer (verdicts.md, condition 3)
    return {
        "body": body,
        "status": status,
        "status_label": body.accreditation_label_on(today),
        "colour": "green" if counts else ("grey" if not status else "red"),
        "accredited": counts,
    }


@login_not_required
@require_safe
def certification_body_detail(request, slug):
    body = get_object_or_404(
        CertificationBody.objects.prefetch_related(
            Prefetch("accreditation_changes", queryset=AccreditationChange.objects.order_by())
        ),
        slug=slug,
    )
    today = timezone.localdate()
    certifications = (
        Certification.objects.on_register()
        .with_verdict_data()
        .filter(body=body)
        .order_by("provider__name", "pk")
    )
    page = Paginator(certifications, CERTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    # Each certification's own verdict, shown with the same words and colours as a headline.
    rows = []
    for certification in page.object_list:
        verdict = certification.verdict(today)
        rows.append((certification, ProviderHeadline(verdict.headline, today, verdict)))
    changes = sorted(
        body.accreditation_changes.all(), key=lambda c: (c.effective_date, c.pk), reverse=True
    )
    return render(
        request,
        "certification/body_detail.html",
        {
            "body": body,
            "accreditation": _accreditation_today(body, today),
            "changes": changes,
            "page": page,
            "rows": rows,
        },
    )
