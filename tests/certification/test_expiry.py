"""`expire_certifications`: certificates past their end date become expired, once."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from certification.statuses import Status
from tests.factories import CertificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ended():
    today = timezone.localdate()
    return CertificationFactory(
        certified_on=today - dt.timedelta(days=3 * 365 + 10),
        valid_until=today - dt.timedelta(days=5),
    )


@pytest.fixture
def running():
    return CertificationFactory()


def test_command_expires_ended_certificates_and_is_safe_to_repeat(ended, running):
    out = StringIO()
    call_command("expire_certifications", stdout=out)
    assert "1 certification(s) expired" in out.getvalue()
    ended.refresh_from_db()
    running.refresh_from_db()
    assert ended.status == Status.EXPIRED
    assert running.status == Status.CERTIFIED
    event = ended.events.order_by("-pk").first()
    assert event.to_status == Status.EXPIRED and event.reason.startswith("Reached its end date")
    events = ended.events.count()

    again = StringIO()
    call_command("expire_certifications", stdout=again)
    assert "0 certification(s) expired" in again.getvalue()
    assert ended.events.count() == events


def test_admin_action_for_site_administrators(client, superuser, ended, running):
    client.force_login(superuser)
    url = reverse("admin:certification_certification_changelist")
    response = client.post(
        url, {"action": "expire_due", "_selected_action": [ended.pk, running.pk]}
    )
    assert response.status_code == 302
    ended.refresh_from_db()
    running.refresh_from_db()
    assert (ended.status, running.status) == (Status.EXPIRED, Status.CERTIFIED)


def test_certifiers_do_not_get_the_expiry_action(client, ended):
    from certification.staff import add_body_staff
    from tests.factories import UserFactory

    certifier = add_body_staff(UserFactory(), ended.body)
    client.force_login(certifier)
    url = reverse("admin:certification_certification_changelist")
    response = client.get(url)
    assert "expire_due" not in response.text
    client.post(url, {"action": "expire_due", "_selected_action": [ended.pk]})
    ended.refresh_from_db()
    assert ended.status == Status.CERTIFIED
