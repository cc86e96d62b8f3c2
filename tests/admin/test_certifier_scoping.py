"""Staff of a certification body see and change only their own body's records in the admin;
not other bodies' records, users, standards or compliance data. Site administrators see all."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.models import User
from certification.models import CertificationBody
from tests.factories import (
    CertificationFactory,
    ComplianceCheckFactory,
    TrainingProviderFactory,
    UserFactory,
)
from tests.form_dates import date_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def cert_a(body_a):
    return CertificationFactory(body=body_a, provider__name="Provider of A")


@pytest.fixture
def cert_b(body_b):
    return CertificationFactory(body=body_b, provider__name="Provider of B")


def test_for_user_answers_which_bodies_a_user_is_staff_of(certifier_a, body_a, body_b, superuser):
    assert list(CertificationBody.objects.for_user(certifier_a)) == [body_a]
    assert set(CertificationBody.objects.for_user(superuser)) == {body_a, body_b}
    assert not CertificationBody.objects.for_user(UserFactory()).exists()
    certifier_a.is_active = False
    assert not CertificationBody.objects.for_user(certifier_a).exists()


def test_staff_flag_alone_gives_no_body(body_a):
    assert not CertificationBody.objects.for_user(UserFactory(is_staff=True)).exists()


def test_certifier_lists_only_own_body_certifications(client, certifier_a, cert_a, cert_b):
    client.force_login(certifier_a)
    response = client.get(reverse("admin:certification_certification_changelist"))
    assert response.status_code == 200
    assert "Provider of A" in response.text
    assert "Provider of B" not in response.text


@pytest.mark.parametrize(
    "view", ["change", "history", "change_status"], ids=["change", "history", "move"]
)
def test_certifier_cannot_open_another_body_certification(
    client, certifier_a, cert_a, cert_b, view
):
    client.force_login(certifier_a)
    own = client.get(reverse(f"admin:certification_certification_{view}", args=[cert_a.pk]))
    other = client.get(reverse(f"admin:certification_certification_{view}", args=[cert_b.pk]))
    assert own.status_code == 200
    assert other.status_code == 404


def test_certifier_cannot_move_another_body_certification(client, certifier_a, cert_b):
    client.force_login(certifier_a)
    response = client.post(
        reverse("admin:certification_certification_change_status", args=[cert_b.pk]),
        {
            "to_status": "suspended",
            **date_fields("effective_date", dt.date.today().isoformat()),
            "reason": "Not mine to suspend",
            "version": cert_b.version,
        },
    )
    assert response.status_code == 404
    cert_b.refresh_from_db()
    assert cert_b.status == "certified"


def test_certifier_cannot_edit_another_body_certification(client, certifier_a, cert_b):
    client.force_login(certifier_a)
    response = client.post(
        reverse("admin:certification_certification_change", args=[cert_b.pk]),
        {"is_archived": "on", "opened_version": cert_b.version},
    )
    assert response.status_code == 404
    cert_b.refresh_from_db()
    assert not cert_b.is_archived


def test_certifier_cannot_add_a_certification_for_another_body(client, certifier_a, body_b):
    from standards.models import StandardsEdition

    client.force_login(certifier_a)
    provider = TrainingProviderFactory()
    response = client.post(
        reverse("admin:certification_certification_add"),
        {
            "status": "working_towards",
            **date_fields("effective_date", "2026-01-05"),
            "reason": "Applied",
            "provider": provider.pk,
            "body": body_b.pk,
            "role": "certified_service",
            "standards_edition": StandardsEdition.objects.get(is_current=True).pk,
            **date_fields("registered_on", "2026-01-05"),
        },
    )
    assert response.status_code == 200  # the form again, with an error on "body"
    assert "Select one of the options in the list" in response.text
    assert not provider.certifications.exists()


def test_certifier_sees_only_own_body_record_and_events(
    client, certifier_a, body_a, body_b, cert_a, cert_b
):
    client.force_login(certifier_a)
    bodies = client.get(reverse("admin:certification_certificationbody_changelist"))
    assert "Body A" in bodies.text and "Body B" not in bodies.text
    assert (
        client.get(
            reverse("admin:certification_certificationbody_change", args=[body_b.pk])
        ).status_code
        == 404
    )
    events = client.get(reverse("admin:certification_certificationevent_changelist"))
    assert "Provider of A" in events.text and "Provider of B" not in events.text
    other_event = cert_b.events.get()
    assert (
        client.get(
            reverse("admin:certification_certificationevent_change", args=[other_event.pk])
        ).status_code
        == 404
    )


def test_certifier_cannot_change_own_body_identity_or_accreditation(client, certifier_a, body_a):
    client.force_login(certifier_a)
    response = client.post(
        reverse("admin:certification_certificationbody_change", args=[body_a.pk]),
        {
            "name": "Renamed",
            "ukas_number": "1",
            "website": "https://a.example.org",
            "email": "",
            "schedule_url": "",
            "accreditation_changes-TOTAL_FORMS": "0",
            "accreditation_changes-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    body_a.refresh_from_db()
    assert body_a.name == "Body A"
    assert body_a.website == "https://a.example.org"


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:accounts_user_changelist",
        "admin:accounts_membership_changelist",
        "admin:standards_standardsedition_changelist",
        "admin:standards_clause_changelist",
        "admin:compliance_compliancecheck_changelist",
        "admin:compliance_serviceprovider_changelist",
        "admin:certification_accreditationchange_add",
    ],
)
def test_certifier_cannot_see_users_standards_or_compliance_data(client, certifier_a, url_name):
    client.force_login(certifier_a)
    assert client.get(reverse(url_name)).status_code == 403


def test_certifier_cannot_open_a_user(client, certifier_a, certifier_b):
    client.force_login(certifier_a)
    url = reverse("admin:accounts_user_change", args=[certifier_b.pk])
    assert client.get(url).status_code == 403


def test_site_administrator_sees_every_body(client, superuser, cert_a, cert_b):
    client.force_login(superuser)
    response = client.get(reverse("admin:certification_certification_changelist"))
    assert "Provider of A" in response.text and "Provider of B" in response.text
    check = ComplianceCheckFactory()
    assert (
        client.get(reverse("admin:compliance_compliancecheck_change", args=[check.pk])).status_code
        == 200
    )
    assert User.objects.filter(is_superuser=True).exists()


def test_certifier_can_change_only_providers_their_body_certifies(
    client, certifier_a, cert_a, cert_b
):
    client.force_login(certifier_a)
    own = client.get(reverse("admin:providers_trainingprovider_change", args=[cert_a.provider.pk]))
    other = client.get(
        reverse("admin:providers_trainingprovider_change", args=[cert_b.provider.pk])
    )
    assert own.status_code == 200 and 'name="name"' in own.text
    # Viewable (the register is public) but read-only.
    assert other.status_code == 200 and 'name="name"' not in other.text


def test_staff_group_has_exactly_the_listed_permissions():
    from certification.staff import STAFF_PERMISSIONS, staff_group

    granted = {
        (p.content_type.app_label, p.codename)
        for p in staff_group().permissions.select_related("content_type")
    }
    listed = {(app, code) for app, codes in STAFF_PERMISSIONS.items() for code in codes}
    assert granted == listed
