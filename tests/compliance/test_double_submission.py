"""A creating form posted twice writes once: the second post is sent to the first result
(pages.submissions). Two forms (two tokens) write two records; a missing or forged token is a
form error, never a 500 and never a write."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from compliance.commissioner_forms import ContractReviewForm
from compliance.models import ComplianceCheck, Contract, ContractReview, TrainingArrangement
from pages import submissions
from pages.models import FormSubmission
from tests.factories import (
    CertificationFactory,
    CommissionerFactory,
    ContractFactory,
    MembershipFactory,
    ServiceProviderFactory,
    TrainingArrangementFactory,
    TrainingProviderFactory,
)
from tests.form_dates import date_fields
from tests.form_tokens import with_token

pytestmark = pytest.mark.django_db


def _url(name, *args):
    return reverse(f"compliance:{name}", args=args)


@pytest.fixture
def commissioner():
    return CommissionerFactory()


@pytest.fixture
def commissioner_staff(commissioner):
    return MembershipFactory.of(commissioner).user


def check_form(service_provider_a, user_a):
    provider = CertificationFactory().provider
    arrangement = TrainingArrangementFactory(
        service_provider=service_provider_a, training_provider=provider
    )
    data = {
        "arrangement": arrangement.pk,
        **date_fields("checked_on", timezone.localdate().isoformat()),
        "outcome": "action_needed",
        "scope_covers_populations": "yes",
        "scope_covers_settings": "yes",
        "scope_covers_content": "no",
        "evidence": "Certificate copy seen",
    }
    return user_a, _url("check_new", service_provider_a.slug), data, ComplianceCheck


def arrangement_form(service_provider_a, user_a):
    data = {
        "training_provider": TrainingProviderFactory().slug,
        "route": "bought_in",
        **date_fields("starts_on", "2026-01-05"),
    }
    url = _url("arrangement_new", service_provider_a.slug)
    return user_a, url, data, TrainingArrangement


def contract_form(commissioner, commissioner_staff):
    ServiceProviderFactory(name="Birch Court")
    data = {
        "reference": "RC-1",
        "service_provider_text": "Birch Court",
        **date_fields("starts_on", "2026-04-01"),
        "requires_certified_training": "yes",
    }
    return commissioner_staff, _url("contract_new", commissioner.slug), data, Contract


def review_form(commissioner, commissioner_staff):
    contract = ContractFactory(commissioner=commissioner)
    data = {**date_fields("reviewed_on", timezone.localdate().isoformat()), "outcome": "compliant"}
    url = _url("review_new", commissioner.slug, contract.pk)
    return commissioner_staff, url, data, ContractReview


FORMS = {
    "compliance check": (check_form, ("service_provider_a", "user_a")),
    "training arrangement": (arrangement_form, ("service_provider_a", "user_a")),
    "contract": (contract_form, ("commissioner", "commissioner_staff")),
    "contract review": (review_form, ("commissioner", "commissioner_staff")),
}


@pytest.fixture(params=list(FORMS))
def creating_form(request, client):
    make, fixtures = FORMS[request.param]
    user, url, data, model = make(*(request.getfixturevalue(name) for name in fixtures))
    client.force_login(user)
    return user, url, data, model


def test_each_creating_page_carries_a_one_time_token(client, creating_form):
    _, url, _, _ = creating_form
    if "arrangements" in url:
        url += "?provider=" + TrainingProviderFactory().slug
    html = client.get(url).content.decode()
    assert f'type="hidden" name="{submissions.TOKEN_FIELD}"' in html


def test_the_same_form_posted_twice_writes_once_and_shows_the_first_result(client, creating_form):
    user, url, data, model = creating_form
    posted = with_token(user, data)
    first = client.post(url, posted)
    assert first.status_code == 302
    assert model.objects.count() == 1
    second = client.post(url, posted)
    assert second.status_code == 302
    assert second["Location"] == first["Location"]
    assert model.objects.count() == 1
    assert submissions.ALREADY_SAVED in [str(m) for m in get_messages(second.wsgi_request)]


def test_two_forms_write_two_records(client, creating_form):
    user, url, data, model = creating_form
    assert client.post(url, with_token(user, data)).status_code == 302
    if model is Contract:
        data = {**data, "reference": "RC-2"}  # references are unique
    if model is TrainingArrangement:
        data = {**data, "training_provider": TrainingProviderFactory().slug}
    assert client.post(url, with_token(user, data)).status_code == 302
    assert model.objects.count() == 2


@pytest.mark.parametrize(
    "token",
    [None, "", "forged", "abc:def", "\x00", "x" * 10_000, "OTHER_USER"],
    ids=["missing", "empty", "forged", "bad-signature", "nul", "long", "another-users"],
)
def test_a_missing_or_forged_token_is_a_form_error(client, creating_form, token):
    _, url, data, model = creating_form
    if token == "OTHER_USER":
        token = submissions.new_token(MembershipFactory.of(ServiceProviderFactory()).user)
    posted = data if token is None else {**data, submissions.TOKEN_FIELD: token}
    response = client.post(url, posted)
    assert response.status_code == 200
    assert submissions.REFUSED in response.content.decode()
    assert not model.objects.exists()
    # The page shown again carries a fresh token, so checking the answers and saving works.
    form = response.context["form"]
    fresh = form.data[submissions.TOKEN_FIELD]
    assert client.post(url, {**data, submissions.TOKEN_FIELD: fresh}).status_code == 302
    assert model.objects.count() == 1


def test_a_form_with_errors_keeps_its_token_until_it_saves(client, creating_form):
    user, url, data, model = creating_form
    posted = with_token(user, data)
    broken = {key: value for key, value in posted.items() if key not in ("outcome", "route")}
    broken.pop("reference", None)
    assert client.post(url, broken).status_code == 200
    assert client.post(url, posted).status_code == 302
    assert model.objects.count() == 1


def test_a_racing_second_post_writes_nothing_and_shows_the_first_result(
    rf, commissioner, commissioner_staff
):
    """Two posts of one form that both passed `earlier_result`: the unique token decides."""
    contract = ContractFactory(commissioner=commissioner)
    data = with_token(
        commissioner_staff, {**date_fields("reviewed_on", "2026-01-05"), "outcome": "compliant"}
    )
    form = ContractReviewForm(
        data, contract=contract, reviewed_by=commissioner_staff, submitted_by=commissioner_staff
    )
    assert form.is_valid()
    FormSubmission.objects.create(
        token=form.submission_token, user=commissioner_staff, result_url="/first/"
    )
    request = rf.post("/")
    request.user = commissioner_staff
    request._messages = FakeMessages()
    written = []

    def create():
        written.append(form.save())
        return redirect("/second/")

    response = submissions.save_once(request, form, create)
    assert response["Location"] == "/first/"
    assert written == []
    assert not ContractReview.objects.exists()


def test_a_write_that_fails_records_no_token(rf, commissioner, commissioner_staff):
    contract = ContractFactory(commissioner=commissioner)
    data = with_token(
        commissioner_staff, {**date_fields("reviewed_on", "2026-01-05"), "outcome": "compliant"}
    )
    form = ContractReviewForm(
        data, contract=contract, reviewed_by=commissioner_staff, submitted_by=commissioner_staff
    )
    assert form.is_valid()
    request = rf.post("/")
    request.user = commissioner_staff

    def create():
        form.save()
        raise ValueError("the write failed")

    with pytest.raises(ValueError):
        submissions.save_once(request, form, create)
    assert not FormSubmission.objects.exists()
    assert not ContractReview.objects.exists()


def test_editing_a_contract_needs_no_token(client, commissioner, commissioner_staff):
    contract = ContractFactory(commissioner=commissioner, starts_on=dt.date(2026, 4, 1))
    client.force_login(commissioner_staff)
    response = client.post(
        _url("contract_edit", commissioner.slug, contract.pk),
        {
            "reference": "RC-9",
            **date_fields("starts_on", "2026-04-01"),
            "requires_certified_training": "no",
        },
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.reference == "RC-9"


class FakeMessages(list):
    def add(self, level, message, extra_tags=""):
        self.append(message)
