"""A training provider's own staff keep its public details (/providers/<slug>/manage/):
contact details, description and curricula descriptions, never certification records."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.statuses import Status
from derived import generation
from providers.models import TrainingProvider
from tests.factories import (
    CertificationFactory,
    CurriculumFactory,
    MembershipFactory,
    TrainingProviderFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider():
    return CertificationFactory(
        provider__name="Calm Training",
        certificate_number="RRN-4242",
        valid_until=timezone.localdate() + dt.timedelta(days=200),
    ).provider


@pytest.fixture
def staff(client, provider):
    user = MembershipFactory.of(provider).user
    client.force_login(user)
    return user


def _url(provider):
    return reverse("providers:manage", args=[provider.slug])


def _post(client, provider, curricula=(), extra=None, **details):
    data = {
        "provider-email": details.get("email", "office@calm.example.org"),
        "provider-phone": details.get("phone", "0161 496 0000"),
        "provider-website": details.get("website", "https://calm.example.org"),
        "provider-description": details.get("description", "We train care staff."),
        "curricula-TOTAL_FORMS": str(len(curricula)),
        "curricula-INITIAL_FORMS": str(len(curricula)),
    }
    for i, (curriculum_id, description) in enumerate(curricula):
        data[f"curricula-{i}-id"] = str(curriculum_id)
        data[f"curricula-{i}-description"] = description
    return client.post(_url(provider), {**data, **(extra or {})})


def test_the_page_shows_the_certificate_as_the_public_sees_it(client, staff, provider):
    page = client.get(_url(provider)).content.decode()
    assert "RRN-4242" in page
    assert "Certified" in page
    ends = timezone.localdate() + dt.timedelta(days=200)
    assert f"Valid until {ends.day} {ends:%B %Y}" in page


def test_staff_save_contact_details_and_descriptions_with_history(client, staff, provider):
    course = CurriculumFactory(provider=provider, name="Safe holds")
    before = generation.current(generation.REGISTER)
    response = _post(client, provider, curricula=[(course.pk, "Two days, for care homes.")])
    assert response.status_code == 302
    provider.refresh_from_db()
    course.refresh_from_db()
    assert (provider.email, provider.phone) == ("office@calm.example.org", "0161 496 0000")
    assert provider.description == "We train care staff."
    assert course.description == "Two days, for care homes."
    assert provider.history.latest().history_user == staff
    assert course.history.latest().history_user == staff
    assert generation.current(generation.REGISTER) != before  # kept pages are not reused
    public = client.get(provider.get_absolute_url()).content.decode()
    assert "office@calm.example.org" in public and "Two days, for care homes." in public


def test_a_bad_email_address_is_a_form_error_and_nothing_is_saved(client, staff, provider):
    response = _post(client, provider, email="not an address")
    assert response.status_code == 200
    assert "Enter an email address in the correct format" in response.content.decode()
    provider.refresh_from_db()
    assert provider.description == ""


def test_another_provider_s_curriculum_is_a_form_error(client, staff, provider):
    theirs = CurriculumFactory(name="Not yours")
    response = _post(client, provider, curricula=[(theirs.pk, "Taken over")])
    assert response.status_code == 200
    theirs.refresh_from_db()
    assert theirs.description == ""
    provider.refresh_from_db()
    assert provider.email == ""  # nothing saved, not even the valid part


def test_new_curricula_cannot_be_added(client, staff, provider):
    data = {
        "provider-email": "",
        "curricula-TOTAL_FORMS": "1",
        "curricula-INITIAL_FORMS": "0",
        "curricula-0-description": "A new course",
    }
    client.post(_url(provider), data)
    assert not provider.curricula.exists()


def test_certification_records_are_not_on_the_form(client, staff, provider):
    form = client.get(_url(provider)).context["form"]
    assert set(form.fields) == {"email", "phone", "website", "description"}
    certification = provider.certifications.get()
    extra = {
        f"{prefix}{name}": value
        for prefix in ("", "provider-")
        for name, value in {
            "status": Status.WITHDRAWN,
            "valid_until": "2020-01-01",
            "name": "Renamed",
        }.items()
    }
    assert _post(client, provider, extra=extra).status_code == 302
    provider.refresh_from_db()
    assert provider.name == "Calm Training"
    certification.refresh_from_db()
    assert certification.status == Status.CERTIFIED


def test_other_providers_staff_get_not_found(client, provider):
    client.force_login(MembershipFactory.of(TrainingProviderFactory()).user)
    assert client.get(_url(provider)).status_code == 404
    assert _post(client, provider).status_code == 404
    assert TrainingProvider.objects.get(pk=provider.pk).email == ""
