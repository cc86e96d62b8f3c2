"""A commissioner's pages, under /compliance/commissioners/<slug>/ (DESIGN.md URL map).

Every view's first line fetches the commissioner through `get_commissioner_for_user`
(compliance/views.py, on `Commissioner.objects.for_user`): another commissioner's pages, exports
and services are a 404. States come only from `compliance.verdicts` via `compliance.overview`.

A service's private records (arrangements, checks, evidence, notes, and the states worked out
from them) are shown only for services with a contract granting access
(`ContractQuerySet.granting_access_on`: confirmed by the service, current or recently ended);
the others are listed with their contracts' confirmation and nothing else.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from pages import submissions
from pages.content_cache import members_results
from pages.streamed_downloads import streamed_download

from . import alert_pages, overview_export
from .commissioner_forms import (
    ActionsCompletedForm,
    ContractForm,
    ContractImportForm,
    ContractReviewForm,
    EndContractForm,
    ExposureForm,
)
from .contract_import import apply_contracts, read_contracts
from .filters import ContractedServiceFilterSet
from .models import ComplianceCheck, Contract, ContractReview, TrainingArrangement
from .overview import (
    contracts_on,
    count_states,
    depending_on,
    filter_state,
    overview_rows,
    relied_on,
    sort_rows,
)
from .verdicts import ComplianceState, arrangement_verdict
from .views import get_commissioner_for_user

ROWS_PER_PAGE = 25
CONTRACTS_PER_PAGE = 50
NOTICES_SHOWN = 10


def _overview(request, commissioner):
    """The filtered, counted and sorted rows the overview, its export and its report show."""
    filterset = ContractedServiceFilterSet(
        request.GET or None,
        queryset=Contract.objects.none(),  # the contracts of its date, once the form has it
        commissioner=commissioner,
    )
    on = filterset.as_of
    filterset.queryset = contracts_on(commissioner, on)
    # Worked out afresh: cheap from the headline periods (compliance.overview_rows), and
    # the rendered page is kept (pages.content_cache).
    rows = overview_rows(filterset.qs, on)
    counts = count_states(rows)
    shown = sort_rows(filter_state(rows, filterset.cleaned("state")), filterset.cleaned("sort"))
    return filterset, on, counts, shown


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def overview(request, slug):
    commissioner = get_commissioner_for_user(request, slug)
    return render(
        request,
        "compliance/commissioner/overview.html",
        {
            "commissioner": commissioner,
            "overview": _overview_html(request, commissioner),
            "alert_summary": alert_pages.summary(request.user, commissioner),
        },
    )


def _overview_html(request, commissioner):
    """The overview's error summary and results (counts, filters, a page of services): the
    same for every member, so rendered once per address and data generation
    (pages.content_cache); the member's own alerts go between them."""

    def work_out():
        filterset, on, counts, rows = _overview(request, commissioner)
        return {
            "commissioner": commissioner,
            "form": filterset.form,
            "on": on,
            "is_today": on == timezone.localdate(),
            "counts": counts,
            "page_obj": Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page")),
            "download_query": _query_without_page(request),
        }

    return members_results(
        request,
        "commissioner overview",
        commissioner,
        work_out,
        "compliance/commissioner/_overview_results.html",
    )


@login_required
def overview_export_csv(request, slug):
    commissioner = get_commissioner_for_user(request, slug)
    _, on, _, rows = _overview(request, commissioner)
    return streamed_download(
        rows,
        overview_export.csv_lines,
        content_type="text/csv; charset=utf-8",
        filename=f"{commissioner.slug}-compliance-{on.isoformat()}.csv",
    )


@login_required
def report(request, slug):
    commissioner = get_commissioner_for_user(request, slug)
    filterset, on, counts, rows = _overview(request, commissioner)
    return render(
        request,
        "compliance/commissioner/report.html",
        {
            "commissioner": commissioner,
            "form": filterset.form,
            "on": on,
            "counts": counts,
            "not_compliant": [
                r for r in rows if r.counted and r.state == ComplianceState.NOT_COMPLIANT
            ],
            "action_needed": [
                r for r in rows if r.counted and r.state == ComplianceState.ACTION_NEEDED
            ],
            "generated_at": timezone.now(),
        },
    )


@login_required
def exposure(request, slug):
    commissioner = get_commissioner_for_user(request, slug)
    on = timezone.localdate()
    form = ExposureForm(request.GET or None, commissioner=commissioner)
    rows, subject = None, None
    if form.is_bound and form.is_valid():
        provider, body = form.cleaned_data["training_provider"], form.cleaned_data["body"]
        subject = provider or body
        contracts = depending_on(
            contracts_on(commissioner, on), on, training_provider=provider, body=body
        )
        rows = sort_rows(overview_rows(contracts, on), "state")
        through = relied_on(rows, on, training_provider=provider, body=body)
        rows = [(row, [a for a in row.arrangements if a.arrangement.pk in through]) for row in rows]
    return render(
        request,
        "compliance/commissioner/exposure.html",
        {"commissioner": commissioner, "form": form, "rows": rows, "subject": subject, "on": on},
    )


@login_required
def service_detail(request, slug, service_slug):
    """A contracted service, read-only: its contracts here, and its arrangements and checks
    when it shares them with this commissioner (only its contracts otherwise)."""
    commissioner = get_commissioner_for_user(request, slug)
    on = timezone.localdate()
    contracts = list(
        Contract.objects.filter(commissioner=commissioner, service_provider__slug=service_slug)
        .with_access_on(on)
        .select_related("service_provider__region")
        .order_by("starts_on", "pk")
    )
    if not contracts:
        raise Http404("No contract with this service")
    service = contracts[0].service_provider
    context = {
        "commissioner": commissioner,
        "service": service,
        "contracts": contracts,
        "on": on,
        "access_months": settings.CONTRACT_ACCESS_AFTER_END_MONTHS,
    }
    if not contracts[0].service_shared:
        return render(
            request, "compliance/commissioner/service_detail.html", {**context, "shared": False}
        )
    arrangements = list(
        TrainingArrangement.objects.filter(service_provider=service)
        .with_verdict_data()
        .order_by("-ends_on", "training_provider__name", "pk")
    )
    verdicts = [(a, arrangement_verdict(a, on)) for a in arrangements]
    checks = (
        ComplianceCheck.objects.of_service_provider(service)
        .for_listing()
        .order_by("-checked_on", "-recorded_at")[:200]
    )
    return render(
        request,
        "compliance/commissioner/service_detail.html",
        {
            **context,
            "shared": True,
            "current": [(a, v) for a, v in verdicts if v is not None],
            "past": [a for a, v in verdicts if v is None],
            "checks": list(checks),
        },
    )


@login_required
@require_POST
def alert_mark_read(request, slug, pk):
    return alert_pages.mark_read(request, get_commissioner_for_user(request, slug), pk)


@login_required
def alert_list(request, slug):
    return alert_pages.alert_list(request, get_commissioner_for_user(request, slug))


@login_required
@require_POST
def alerts_mark_all_read(request, slug):
    return alert_pages.mark_all_read(request, get_commissioner_for_user(request, slug))


# Contracts


def _contract_of(commissioner, pk):
    return get_object_or_404(
        Contract.objects.select_related("service_provider").with_access_on(timezone.localdate()),
        pk=pk,
        commissioner=commissioner,
    )


@login_required
def contract_list(request, slug):
    commissioner = get_commissioner_for_user(request, slug)
    contracts = (
        Contract.objects.filter(commissioner=commissioner)
        .with_access_on(timezone.localdate())
        .select_related("service_provider")
        .order_by("reference", "pk")
    )
    page = Paginator(contracts, CONTRACTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "compliance/commissioner/contract_list.html",
        {"commissioner": commissioner, "page_obj": page, "today": timezone.localdate()},
    )


def _contract_form_page(request, commissioner, contract=None):
    """Add a contract (contract None) or edit one: the form, and where a save goes."""
    form = ContractForm(
        request.POST if request.method == "POST" else None,
        instance=contract,
        commissioner=commissioner,
        submitted_by=request.user,
    )
    if (earlier := submissions.earlier_result(request, form)) is not None:
        return earlier
    was_confirmed = contract is not None and not contract.is_pending
    if request.method == "POST" and form.is_valid():

        def save():
            saved = form.save()
            done = "updated" if contract else "added"
            messages.success(request, f"Contract {saved.reference} {done}")
            _say_if_waiting(request, saved, was_confirmed)
            return redirect("compliance:contract_detail", commissioner.slug, saved.pk)

        try:
            # An edit saved twice is the same edit; a contract added twice would be two.
            return save() if contract else submissions.save_once(request, form, save)
        except IntegrityError:
            form.add_error("reference", "You already have a contract with this reference")
    return render(
        request,
        "compliance/commissioner/contract_form.html",
        {"commissioner": commissioner, "form": form, "contract": contract},
    )


def _say_if_waiting(request, contract, was_confirmed):
    """A contract waiting for the service provider (a new one, or a confirmed one whose dates
    moved outwards: Contract.save) shows nothing private yet: say so."""
    if contract.is_pending:
        again = " the new dates" if was_confirmed else " it"
        messages.info(
            request,
            f"{contract.service_provider.name} must confirm{again} before you see its "
            "training arrangements and checks",
        )


@login_required
@require_http_methods(["GET", "POST"])
def contract_new(request, slug):
    return _contract_form_page(request, get_commissioner_for_user(request, slug))


@login_required
@require_http_methods(["GET", "POST"])
def contract_edit(request, slug, pk):
    commissioner = get_commissioner_for_user(request, slug)
    return _contract_form_page(request, commissioner, _contract_of(commissioner, pk))


@login_required
@require_http_methods(["GET", "POST"])
def contract_end(request, slug, pk):
    commissioner = get_commissioner_for_user(request, slug)
    contract = _contract_of(commissioner, pk)
    form = EndContractForm(
        request.POST if request.method == "POST" else None,
        contract=contract,
        initial={"ends_on": timezone.localdate().isoformat()},
    )
    if request.method == "POST" and form.is_valid():
        was_confirmed = not contract.is_pending
        contract.ends_on = form.cleaned_data["ends_on"]
        contract.save(update_fields=["ends_on"])
        messages.success(request, f"Contract {contract.reference} ends on {contract.ends_on}")
        _say_if_waiting(request, contract, was_confirmed)
        return redirect("compliance:contract_detail", commissioner.slug, contract.pk)
    return render(
        request,
        "compliance/commissioner/contract_end.html",
        {"commissioner": commissioner, "form": form, "contract": contract},
    )


@login_required
def contract_detail(request, slug, pk):
    commissioner = get_commissioner_for_user(request, slug)
    contract = _contract_of(commissioner, pk)
    today = timezone.localdate()
    reviews = list(contract.reviews.select_related("reviewed_by").order_by("-reviewed_on", "-pk"))
    return render(
        request,
        "compliance/commissioner/contract_detail.html",
        {
            "commissioner": commissioner,
            "contract": contract,
            "reviews": [(r, r.actions_overdue_on(today)) for r in reviews],
            "today": today,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_new(request, slug, pk):
    commissioner = get_commissioner_for_user(request, slug)
    contract = _contract_of(commissioner, pk)
    form = ContractReviewForm(
        request.POST if request.method == "POST" else None,
        contract=contract,
        reviewed_by=request.user,
        submitted_by=request.user,
        initial={"reviewed_on": timezone.localdate().isoformat()},
    )
    if (earlier := submissions.earlier_result(request, form)) is not None:
        return earlier
    if request.method == "POST" and form.is_valid():

        def create():
            form.save()
            messages.success(request, "Contract review recorded")
            return redirect("compliance:contract_detail", commissioner.slug, contract.pk)

        return submissions.save_once(request, form, create)
    return render(
        request,
        "compliance/commissioner/review_form.html",
        {"commissioner": commissioner, "form": form, "contract": contract},
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_actions_completed(request, slug, pk):
    commissioner = get_commissioner_for_user(request, slug)
    review = get_object_or_404(
        ContractReview.objects.select_related("contract__service_provider"),
        pk=pk,
        contract__commissioner=commissioner,
    )
    if not review.actions_agreed or review.actions_completed_on:
        raise Http404("No open actions on this review")
    form = ActionsCompletedForm(
        request.POST if request.method == "POST" else None,
        review=review,
        initial={"completed_on": timezone.localdate().isoformat()},
    )
    if request.method == "POST" and form.is_valid():
        review.actions_completed_on = form.cleaned_data["completed_on"]
        review.save(update_fields=["actions_completed_on"])
        messages.success(request, "Actions marked as completed")
        return redirect("compliance:contract_detail", commissioner.slug, review.contract_id)
    return render(
        request,
        "compliance/commissioner/review_completed.html",
        {"commissioner": commissioner, "form": form, "review": review},
    )


@login_required
@require_http_methods(["GET", "POST"])
def contract_import(request, slug):
    """Upload a CSV (preview, nothing written), then confirm (every row written, or none)."""
    commissioner = get_commissioner_for_user(request, slug)
    form, preview, text = ContractImportForm(), None, None
    if request.method == "POST" and "confirm" in request.POST:
        text = request.POST.get("csv", "")
        try:
            result = apply_contracts(commissioner, text)
        except IntegrityError:
            result = None
        if result is not None and result.is_valid:
            messages.success(
                request,
                f"Contracts imported: {result.count('new')} added, "
                f"{result.count('update')} updated, {result.count('unchanged')} unchanged",
            )
            if result.count("new") or any(row.asks_again for row in result.rows):
                messages.info(
                    request,
                    "Each service provider must confirm its new contract, or the new dates, "
                    "before you see its training arrangements and checks",
                )
            return redirect("compliance:contract_list", commissioner.slug)
        preview = result or read_contracts(commissioner, text)
        if result is None:
            preview.errors.append("The contracts changed while importing: nothing was saved.")
    elif request.method == "POST":
        form = ContractImportForm(request.POST, request.FILES)
        if form.is_valid():
            raw = form.cleaned_data["file"]
            preview = read_contracts(commissioner, raw)
            if not preview.errors:
                text = raw.decode("utf-8-sig")
    return render(
        request,
        "compliance/commissioner/contract_import.html",
        {"commissioner": commissioner, "form": form, "preview": preview, "csv": text},
    )
