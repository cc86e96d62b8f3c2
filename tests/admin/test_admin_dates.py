"""Dates in the admin the GOV.UK way (issue 16, item 2): every date a model admin or the
register's own admin pages ask for is a day, month and year input with the component's
messages, and dates are shown as "1 December 2026"."""

import datetime as dt
import re

import pytest
from django.contrib import admin
from django.db import models
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from certification.models import Certification
from certification.statuses import Status
from compliance.models import Contract
from pages.dates import DateField, GovukDateInput
from tests.factories import (
    CertificationFactory,
    CommissionerFactory,
    ContractFactory,
    ServiceProviderFactory,
)
from tests.form_dates import date_fields

pytestmark = pytest.mark.django_db


def _move_url(certification):
    return reverse("admin:certification_certification_change_status", args=[certification.pk])


def _date_fields_of(model_admin, request):
    form = model_admin.get_form(request)()
    return {
        name: field
        for name, field in form.fields.items()
        if isinstance(model_admin.model._meta._forward_fields_map.get(name), models.DateField)
        and not isinstance(
            model_admin.model._meta._forward_fields_map.get(name), models.DateTimeField
        )
    }


def test_every_model_admin_asks_for_dates_as_day_month_and_year(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    checked = 0
    for model_admin in admin.site._registry.values():
        if not model_admin.has_add_permission(request):
            continue
        for name, field in _date_fields_of(model_admin, request).items():
            assert isinstance(field, DateField), (model_admin, name)
            assert isinstance(field.widget, GovukDateInput), (model_admin, name)
            checked += 1
    assert checked >= 6  # contracts, reviews, arrangements, checks, certifications, bodies


def test_change_status_page_has_govuk_date_inputs_and_no_native_or_calendar_ones(
    client, certifier_a, body_a
):
    certification = CertificationFactory(body=body_a, effective_date=dt.date(2026, 3, 2))
    client.force_login(certifier_a)
    page = client.get(_move_url(certification)).text
    for name in ("effective_date", "certified_on", "valid_until"):
        for part in ("day", "month", "year"):
            assert f'name="{name}_{part}"' in page
    assert 'type="date"' not in page and "vDateField" not in page
    assert re.search(r"<legend[^>]*>Effective date</legend>", page)
    assert "2 March 2026" in page  # the history's effective date


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (("31", "", "2026"), "Effective date must include a month"),
        (("31", "2", "2026"), "Effective date must be a real date"),
        (("", "", ""), "Enter the effective date"),
    ],
)
def test_a_move_date_typed_wrongly_says_what_to_do(client, certifier_a, body_a, typed, message):
    certification = CertificationFactory(body=body_a)
    client.force_login(certifier_a)
    response = client.post(
        _move_url(certification),
        {
            "to_status": Status.SUSPENDED,
            "reason": "Surveillance visit",
            "version": certification.version,
            **date_fields("effective_date", typed),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["effective_date"] == [message]
    assert "This field is required" not in response.text
    certification.refresh_from_db()
    assert certification.status == Status.CERTIFIED


def test_a_move_with_nothing_filled_in_says_what_to_enter_for_each_field(
    client, certifier_a, body_a
):
    certification = CertificationFactory(body=body_a)
    client.force_login(certifier_a)
    response = client.post(_move_url(certification), {"version": certification.version})
    errors = response.context["form"].errors
    assert errors["to_status"] == ["Select the new status"]
    assert errors["reason"] == ["Enter the reason"]
    assert errors["effective_date"] == ["Enter the effective date"]
    assert "This field is required" not in response.text
    assert not any(message.endswith(".") for field in errors.values() for message in field)


def test_a_move_before_the_last_recorded_change_names_its_date_in_words(
    client, certifier_a, body_a
):
    certification = CertificationFactory(body=body_a, effective_date=timezone.localdate())
    client.force_login(certifier_a)
    last_month = timezone.localdate() - dt.timedelta(days=31)
    response = client.post(
        _move_url(certification),
        {
            "to_status": Status.SUSPENDED,
            "reason": "Surveillance visit",
            "version": certification.version,
            **date_fields("effective_date", last_month),
        },
    )
    today = timezone.localdate()
    assert response.context["form"].errors["effective_date"] == [
        "Effective date must be the same as or after the last recorded change "
        f"({today.day} {today:%B %Y})"
    ]


def test_a_contract_added_in_the_admin_takes_its_dates_as_day_month_and_year(client, superuser):
    commissioner, service = CommissionerFactory(), ServiceProviderFactory()
    client.force_login(superuser)
    url = reverse("admin:compliance_contract_add")
    data = {
        "commissioner": commissioner.pk,
        "service_provider": service.pk,
        "reference": "LA-2026-001",
        "requires_certified_training": "on",
        **date_fields("starts_on", "2026-04-01"),
        **date_fields("ends_on", ("1", "", "2029")),
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["ends_on"] == ["Ends on must include a month"]
    saved = client.post(url, data | date_fields("ends_on", "2029-03-31"))
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    contract = Contract.objects.get(reference="LA-2026-001")
    assert (contract.starts_on, contract.ends_on) == (dt.date(2026, 4, 1), dt.date(2029, 3, 31))


def test_admin_lists_and_read_only_fields_show_dates_in_words(client, superuser, body_a):
    ContractFactory(reference="LA-2026-002", starts_on=dt.date(2026, 12, 1))
    certification = CertificationFactory(body=body_a, valid_until=dt.date(2029, 3, 1))
    client.force_login(superuser)
    contracts = client.get(reverse("admin:compliance_contract_changelist")).text
    assert "1 December 2026" in contracts
    change = client.get(
        reverse("admin:certification_certification_change", args=[certification.pk])
    ).text
    assert "1 March 2029" in change  # read-only: status fields change only by a move
    assert Certification.objects.get(pk=certification.pk).valid_until == dt.date(2029, 3, 1)


def test_audit_log_filter_takes_a_govuk_date_and_a_link_date(client, superuser, body_a):
    CertificationFactory(body=body_a)
    client.force_login(superuser)
    url = reverse("admin:audit_log")
    future = client.get(url, date_fields("since", "2999-01-01"))
    assert future.context["rows"] == []
    linked = client.get(url, {"since": "2999-01-01"})
    assert linked.context["rows"] == []
    wrong = client.get(url, date_fields("since", ("31", "2", "2026")))
    assert wrong.context["form"].errors["since"] == ["From date must be a real date"]


def test_admin_add_form_names_each_date_by_its_legend(client, certifier_a):
    client.force_login(certifier_a)
    page = client.get(reverse("admin:certification_certification_add")).text
    for label, name in (("Effective date", "effective_date"), ("Registered on", "registered_on")):
        assert re.search(rf'<legend class="required">{label}:</legend>', page), label
        assert f'name="{name}_month"' in page
    assert re.search(r"<legend>Certificate ends on:</legend>", page)  # optional: not bold
    assert 'type="date"' not in page and "vDateField" not in page
