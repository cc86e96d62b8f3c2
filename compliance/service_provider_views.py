"""A service provider's pages: dashboard, arrangements, compliance checks, history, alerts,
and the contracts commissioners say they hold with it, to confirm or decline.

Every view's first line fetches the service provider through `get_service_provider_for_user`
(compliance/views.py, on `ServiceProvider.objects.for_user`): another organisation's pages,
files and exports are a 404. Verdicts come only from `compliance.verdicts`.
"""

from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import slug_re
from django.db import IntegrityError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from certification.verdicts import long_date
from pages import submissions
from pages.content_cache import members_results
from pages.streamed_downloads import streamed_download
from providers.models import TrainingProvider

from . import alert_pages, check_export, consent
from .checks import default_review_due, record_check
from .filters import ComplianceCheckFilterSet
from .forms import (
    AlertSettingsForm,
    ComplianceCheckForm,
    EndArrangementForm,
    PointInTimeForm,
    ProviderSearchForm,
    TrainingArrangementForm,
    content_type_for,
)
from .models import ComplianceCheck, Contract, TrainingArrangement
from .reliance import reliance_warning
from .verdicts import REASON_LABELS, ComplianceState, arrangement_verdict
from .views import _members, get_service_provider_for_user

CHECKS_PER_PAGE = 25
CONTRACTS_PER_PAGE = 50


def _verdicts(service_provider, on):
    arrangements = (
        TrainingArrangement.objects.filter(service_provider=service_provider)
        .current_on(on)
        .with_verdict_data()
        .order_by("training_provider__name", "pk")
    )
    verdicts = [arrangement_verdict(a, on) for a in arrangements]
    return [v for v in verdicts if v is not None]


def _summary(verdicts):
    """The overall answer at the top of the dashboard, and counts per kind of reason."""
    total = len(verdicts)
    need_action = sum(1 for v in verdicts if v.state != ComplianceState.COMPLIANT)
    not_compliant = sum(1 for v in verdicts if v.state == ComplianceState.NOT_COMPLIANT)
    noun = "training arrangement" if total == 1 else "training arrangements"
    if total == 0:
        headline = "No training arrangements are recorded"
    elif need_action == 0:
        headline = f"The {noun} is certified" if total == 1 else f"All {total} {noun} are certified"
    else:
        headline = f"{need_action} of {total} {noun} need{'s' if need_action == 1 else ''} action"
    counts = Counter(code for v in verdicts for code in {r.code for r in v.reasons})
    return {
        "headline": headline,
        "total": total,
        "need_action": need_action,
        "not_compliant": not_compliant,
        "action_needed": need_action - not_compliant,
        "all_good": total > 0 and need_action == 0,
        "reason_counts": [
            (REASON_LABELS.get(code, code), count) for code, count in counts.most_common()
        ],
    }


@login_required
def dashboard(request, slug):
    service_provider = get_service_provider_for_user(request, slug)
    return render(
        request,
        "compliance/service_provider/dashboard.html",
        {
            "service_provider": service_provider,
            "dashboard": _dashboard_html(request, service_provider),
            "alert_summary": alert_pages.summary(request.user, service_provider),
            "claims": list(
                _contracts_of(service_provider).filter(confirmation=Contract.Confirmation.PENDING)
            ),
            "access_months": settings.CONTRACT_ACCESS_AFTER_END_MONTHS,
            "members": _members(service_provider),
        },
    )


def _contracts_of(service_provider):
    """The contracts commissioners recorded with this service, oldest claim first."""
    return (
        Contract.objects.filter(service_provider=service_provider)
        .with_access_on(timezone.localdate())
        .select_related("commissioner", "decided_by")
        .order_by("created_at", "pk")
    )


@login_required
def contract_list(request, slug):
    """Every contract commissioners recorded with this service, and who sees its records."""
    service_provider = get_service_provider_for_user(request, slug)
    page = Paginator(_contracts_of(service_provider), CONTRACTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "compliance/service_provider/contract_list.html",
        {
            "service_provider": service_provider,
            "page_obj": page,
            "access_months": settings.CONTRACT_ACCESS_AFTER_END_MONTHS,
        },
    )


def _answer(request, slug, pk, *, confirm):
    """Confirm or decline a commissioner's contract (POST only), then go back where the
    buttons were."""
    service_provider = get_service_provider_for_user(request, slug)
    contract = get_object_or_404(
        Contract.objects.select_related("commissioner", "service_provider"),
        pk=pk,
        service_provider=service_provider,
    )
    commissioner = contract.commissioner.name
    try:
        consent.decide(contract, request.user, confirm=confirm, terms=request.POST.get("terms"))
    except consent.AlreadyDecided:
        messages.info(
            request, f"Contract {contract.reference} was already answered: nothing changed"
        )
    except consent.TermsChanged:
        messages.info(
            request,
            f"{commissioner} changed contract {contract.reference} after you opened the page: "
            "check it again",
        )
    else:
        if confirm:
            messages.success(
                request,
                f"Contract {contract.reference} confirmed: {commissioner} can now see your "
                "training arrangements, compliance checks, evidence and notes",
            )
        else:
            messages.success(
                request,
                f"Contract {contract.reference} declined: {commissioner} sees only what the "
                "public register shows about you",
            )
    if request.POST.get("return_to") == "contracts":
        return redirect("compliance:service_provider_contracts", slug=service_provider.slug)
    return redirect(service_provider.get_absolute_url())


@login_required
@require_POST
def contract_confirm(request, slug, pk):
    return _answer(request, slug, pk, confirm=True)


@login_required
@require_POST
def contract_decline(request, slug, pk):
    return _answer(request, slug, pk, confirm=False)


def _dashboard_html(request, service_provider):
    """The dashboard's error summary and results (the overall answer, the date form and the
    arrangements): the same for every member, so rendered once per address and data
    generation (pages.content_cache); the member's own alerts go between them."""

    def work_out():
        today = timezone.localdate()
        asked = any(request.GET.get(key) for key in ("on", "on_day", "on_month", "on_year"))
        form = PointInTimeForm(request.GET if asked else None)
        on = today
        if form.is_bound and form.is_valid() and form.cleaned_data["on"]:
            on = form.cleaned_data["on"]
        verdicts = _verdicts(service_provider, on)
        return {
            "service_provider": service_provider,
            "form": form,
            "on": on,
            "is_today": on == today,
            "verdicts": verdicts,
            "summary": _summary(verdicts),
        }

    return members_results(
        request,
        "service provider dashboard",
        service_provider,
        work_out,
        "compliance/service_provider/_dashboard_results.html",
    )


@login_required
@require_POST
def alert_mark_read(request, slug, pk):
    return alert_pages.mark_read(request, get_service_provider_for_user(request, slug), pk)


@login_required
def alert_list(request, slug):
    return alert_pages.alert_list(request, get_service_provider_for_user(request, slug))


@login_required
@require_POST
def alerts_mark_all_read(request, slug):
    return alert_pages.mark_all_read(request, get_service_provider_for_user(request, slug))


@login_required
@require_http_methods(["GET", "POST"])
def alert_settings(request, slug):
    service_provider = get_service_provider_for_user(request, slug)
    user = request.user
    if request.method == "POST":
        form = AlertSettingsForm(request.POST)
        if form.is_valid():
            user.email_alerts = form.cleaned_data["email_alerts"] == "yes"
            user.save(update_fields=["email_alerts"])
            messages.success(
                request, "Email alerts are on" if user.email_alerts else "Email alerts are off"
            )
            return redirect(service_provider.get_absolute_url())
    else:
        form = AlertSettingsForm(initial={"email_alerts": "yes" if user.email_alerts else "no"})
    return render(
        request,
        "compliance/service_provider/alert_settings.html",
        {"service_provider": service_provider, "form": form},
    )


@login_required
def arrangement_list(request, slug):
    service_provider = get_service_provider_for_user(request, slug)
    today = timezone.localdate()
    arrangements = list(
        TrainingArrangement.objects.filter(service_provider=service_provider)
        .select_related("training_provider")
        .prefetch_related("specialist_content")
        .order_by("training_provider__name", "-starts_on")
    )
    return render(
        request,
        "compliance/service_provider/arrangement_list.html",
        {
            "service_provider": service_provider,
            "current": [a for a in arrangements if a.is_current_on(today) or a.starts_on > today],
            "ended": [a for a in arrangements if a.ends_on and a.ends_on < today],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def arrangement_new(request, slug):
    """Add a training provider from the register, without JavaScript: search (GET ?q=), pick
    one of the matches (GET ?provider=), then say how the service uses it (POST)."""
    service_provider = get_service_provider_for_user(request, slug)
    context = {"service_provider": service_provider}
    if request.method == "POST":
        form = TrainingArrangementForm(
            request.POST, service_provider=service_provider, submitted_by=request.user
        )
        if (earlier := submissions.earlier_result(request, form)) is not None:
            return earlier
        if form.is_valid():

            def create():
                arrangement = form.save()
                provider = arrangement.training_provider
                messages.success(request, f"{provider.name} added")
                warning = reliance_warning(provider.name, _headline_today(provider))
                if warning:
                    messages.warning(request, warning)
                return redirect("compliance:arrangement_list", slug=service_provider.slug)

            try:
                return submissions.save_once(request, form, create)
            except IntegrityError:
                form.add_error(
                    None, "This service already has an open arrangement with this provider"
                )
        provider = form.cleaned_data.get("training_provider")
        context.update(form=form, provider=provider, **_reliance(provider))
        return render(request, "compliance/service_provider/arrangement_form.html", context)
    provider_slug = request.GET.get("provider", "")
    if provider_slug:
        form = TrainingArrangementForm(
            initial={"training_provider": provider_slug, "starts_on": timezone.localdate()},
            service_provider=service_provider,
            submitted_by=request.user,
        )
        # Slugs are [-a-z0-9_]; anything else (a NUL byte, say) can name no provider, and
        # PostgreSQL refuses NUL in a query outright.
        provider = None
        if slug_re.fullmatch(provider_slug[:220]):
            queryset = form.fields["training_provider"].queryset
            provider = queryset.filter(slug=provider_slug[:220]).first()
        if provider is None:
            raise Http404("No such training provider on the register")
        context.update(form=form, provider=provider, **_reliance(provider))
        return render(request, "compliance/service_provider/arrangement_form.html", context)
    search = ProviderSearchForm(request.GET if "q" in request.GET else None)
    context.update(search=search, matches=None)
    if search.is_bound and search.is_valid():
        context["matches"] = search.matches(timezone.localdate())
    return render(request, "compliance/service_provider/arrangement_search.html", context)


def _headline_today(provider):
    return (
        TrainingProvider.objects.with_verdict_data()
        .get(pk=provider.pk)
        .headline(timezone.localdate())
    )


def _reliance(provider):
    """The chosen provider's headline and, when it is not valid, what relying on it means."""
    if provider is None:
        return {}
    headline = _headline_today(provider)
    return {"headline": headline, "warning": reliance_warning(provider.name, headline)}


@login_required
@require_http_methods(["GET", "POST"])
def arrangement_end(request, slug, pk):
    service_provider = get_service_provider_for_user(request, slug)
    arrangement = get_object_or_404(
        TrainingArrangement.objects.select_related("training_provider"),
        pk=pk,
        service_provider=service_provider,
        ends_on__isnull=True,
    )
    if request.method == "POST":
        form = EndArrangementForm(request.POST, arrangement=arrangement)
        if form.is_valid():
            arrangement.ends_on = form.cleaned_data["ends_on"]
            arrangement.save(update_fields=["ends_on"])
            messages.success(
                request,
                f"The arrangement with {arrangement.training_provider.name} ends on "
                f"{long_date(arrangement.ends_on)}. It stays in the history.",
            )
            return redirect("compliance:arrangement_list", slug=service_provider.slug)
    else:
        form = EndArrangementForm(
            initial={"ends_on": timezone.localdate()}, arrangement=arrangement
        )
    return render(
        request,
        "compliance/service_provider/arrangement_end.html",
        {"service_provider": service_provider, "arrangement": arrangement, "form": form},
    )


def _contradiction(form, user):
    """When the outcome is "compliant" but the live verdict, counting this check, is not:
    the verdict's reasons, to show before saving. Otherwise None."""
    data = form.cleaned_data
    if data["outcome"] != ComplianceCheck.Outcome.COMPLIANT:
        return None
    today = timezone.localdate()
    arrangement = TrainingArrangement.objects.with_verdict_data().get(pk=data["arrangement"].pk)
    proposed = ComplianceCheck(
        arrangement=arrangement,
        checked_by=user,
        checked_on=data["checked_on"],
        outcome=data["outcome"],
        recorded_at=timezone.now(),
    )
    verdict = arrangement_verdict(arrangement, today, [*arrangement.checks.all(), proposed])
    if verdict is None or verdict.state == ComplianceState.COMPLIANT:
        return None
    return verdict


@login_required
@require_http_methods(["GET", "POST"])
def check_new(request, slug):
    service_provider = get_service_provider_for_user(request, slug)
    contradiction = None
    if request.method == "POST":
        form = ComplianceCheckForm(
            request.POST,
            request.FILES,
            service_provider=service_provider,
            submitted_by=request.user,
        )
        if (earlier := submissions.earlier_result(request, form)) is not None:
            return earlier
        if form.is_valid():
            contradiction = _contradiction(form, request.user)
            if contradiction is None or form.cleaned_data["confirm_contradiction"]:
                data = form.cleaned_data

                def create():
                    check = record_check(
                        data["arrangement"],
                        checked_by=request.user,
                        checked_on=data["checked_on"],
                        outcome=data["outcome"],
                        scope_covers_populations=data["scope_covers_populations"],
                        scope_covers_settings=data["scope_covers_settings"],
                        scope_covers_content=data["scope_covers_content"],
                        evidence=data["evidence"],
                        evidence_file=data["evidence_file"],
                        notes=data["notes"],
                        next_review_due=data["next_review_due"],
                    )
                    messages.success(request, "Compliance check recorded")
                    return redirect(check.get_absolute_url())

                try:
                    return submissions.save_once(request, form, create)
                except ValidationError as error:
                    _add_model_errors(form, error)
    else:
        today = timezone.localdate()
        initial = {"checked_on": today, "next_review_due": default_review_due(today)}
        chosen = request.GET.get("arrangement", "")
        if chosen.isdigit():
            initial["arrangement"] = int(chosen[:18])
        form = ComplianceCheckForm(
            initial=initial, service_provider=service_provider, submitted_by=request.user
        )
    return render(
        request,
        "compliance/service_provider/check_form.html",
        {
            "service_provider": service_provider,
            "form": form,
            "contradiction": contradiction,
        },
    )


def _add_model_errors(form, error):
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _filtered_checks(request, service_provider):
    filterset = ComplianceCheckFilterSet(
        request.GET or None,
        queryset=ComplianceCheck.objects.of_service_provider(service_provider)
        .for_listing()
        .order_by("-checked_on", "-recorded_at", "-pk"),
        service_provider=service_provider,
    )
    valid = not filterset.is_bound or filterset.is_valid()
    checks = filterset.qs if valid else filterset.queryset.none()
    return filterset, checks


@login_required
def check_list(request, slug):
    service_provider = get_service_provider_for_user(request, slug)
    filterset, checks = _filtered_checks(request, service_provider)
    page = Paginator(checks, CHECKS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "compliance/service_provider/check_list.html",
        {
            "service_provider": service_provider,
            "filterset": filterset,
            "form": filterset.form,
            "page_obj": page,
            "export_query": query.urlencode(),
        },
    )


@login_required
def check_export_csv(request, slug):
    service_provider = get_service_provider_for_user(request, slug)
    _, checks = _filtered_checks(request, service_provider)
    return streamed_download(
        checks.iterator(chunk_size=check_export.BATCH_SIZE),
        check_export.csv_lines,
        content_type="text/csv; charset=utf-8",
        filename=f"compliance-checks-{service_provider.slug}-{timezone.localdate():%Y-%m-%d}.csv",
    )


def _check_of(service_provider, pk):
    return get_object_or_404(
        ComplianceCheck.objects.for_listing(),
        pk=pk,
        arrangement__service_provider=service_provider,
    )


@login_required
def check_detail(request, slug, pk):
    service_provider = get_service_provider_for_user(request, slug)
    check = _check_of(service_provider, pk)
    today = timezone.localdate()
    arrangement = TrainingArrangement.objects.with_verdict_data().get(pk=check.arrangement_id)
    return render(
        request,
        "compliance/service_provider/check_detail.html",
        {
            "service_provider": service_provider,
            "check": check,
            "today": today,
            "headline_today": arrangement.training_provider.headline(today),
            "verdict_today": arrangement_verdict(arrangement, today),
        },
    )


@login_required
def check_evidence(request, slug, pk):
    """The evidence file, only to the organisation's members, always as a download."""
    service_provider = get_service_provider_for_user(request, slug)
    check = _check_of(service_provider, pk)
    if not check.evidence_file:
        raise Http404("This check has no evidence file")
    try:
        handle = check.evidence_file.open("rb")
    except FileNotFoundError as error:
        raise Http404("The evidence file is missing") from error
    name = check.evidence_file.name
    extension = name[name.rfind(".") :] if "." in name else ""
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"evidence-check-{check.pk}{extension}",
        content_type=content_type_for(name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
