"""Alerts people can act on: emails with absolute links and an HTML part, and dashboards that
summarise many alerts instead of listing them all."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from certification.services import move_certification
from certification.statuses import Status
from compliance.alerts import send_due_alerts
from compliance.models import Alert
from tests.factories import (
    AlertFactory,
    CertificationFactory,
    CommissionerFactory,
    ContractFactory,
    MembershipFactory,
    TrainingArrangementFactory,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)


def test_alert_email_links_to_the_dashboard_with_the_site_address(settings):
    settings.SITE_URL = "https://register.example.org"
    certification = CertificationFactory(provider__name="Calm & <Safe> Ltd")
    arrangement = TrainingArrangementFactory(training_provider=certification.provider)
    service = arrangement.service_provider
    MembershipFactory(service_provider=service)
    move_certification(
        certification, Status.SUSPENDED, effective_date=dt.date(2026, 5, 20), reason="Audit"
    )
    send_due_alerts(TODAY)

    [email] = mail.outbox
    link = f"https://register.example.org/compliance/service-providers/{service.slug}/"
    assert f"See {service.name}'s dashboard: {link}" in email.body
    assert "Calm & <Safe> Ltd" in email.body  # plain text is not escaped
    [(html, mimetype)] = email.alternatives
    assert mimetype == "text/html"
    assert f'href="{link}"' in html
    assert "Calm &amp; &lt;Safe&gt; Ltd" in html and "<Safe>" not in html
    alert = Alert.objects.get()
    assert alert.path == f"/compliance/service-providers/{service.slug}/"
    assert "/compliance/" not in alert.message  # the link is not pasted into the words


def test_commissioner_alert_email_links_to_the_service(settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    certification = CertificationFactory()
    arrangement = TrainingArrangementFactory(training_provider=certification.provider)
    contract = ContractFactory(service_provider=arrangement.service_provider)
    MembershipFactory.of(contract.commissioner)
    move_certification(
        certification, Status.SUSPENDED, effective_date=dt.date(2026, 5, 20), reason="Audit"
    )
    send_due_alerts(TODAY)
    bodies = [m.body for m in mail.outbox]
    expected = (
        f"See the service: http://127.0.0.1:8000/compliance/commissioners/"
        f"{contract.commissioner.slug}/services/{arrangement.service_provider.slug}/"
    )
    assert any(expected in body for body in bodies), bodies


@pytest.fixture
def six_alerts(user_a, service_provider_a):
    alerts = [
        AlertFactory(
            recipient=user_a, service_provider=service_provider_a, subject=f"News number {i}"
        )
        for i in range(6)
    ]
    # The newest three by creation time are numbers 3, 4 and 5.
    for i, alert in enumerate(alerts):
        Alert.objects.filter(pk=alert.pk).update(
            created_at=dt.datetime(2026, 5, 1 + i, tzinfo=dt.UTC)
        )
    return alerts


def test_dashboard_shows_the_three_newest_alerts_and_how_many_there_are(
    client, user_a, service_provider_a, six_alerts
):
    client.force_login(user_a)
    page = client.get(service_provider_a.get_absolute_url()).content.decode()
    assert "You have 6 unread alerts" in page
    for i in (3, 4, 5):
        assert f"News number {i}" in page
    for i in (0, 1, 2):
        assert f"News number {i}" not in page
    assert reverse("compliance:alert_list", args=[service_provider_a.slug]) in page
    assert "Mark all as read" in page


def test_view_all_alerts_lists_every_alert_of_the_member_for_that_organisation(
    client, user_a, service_provider_a, six_alerts
):
    other_org = MembershipFactory.of(CommissionerFactory(), user=user_a).commissioner
    AlertFactory(recipient=user_a, commissioner=other_org, subject="About the commissioner")
    AlertFactory(service_provider=service_provider_a, subject="For someone else")
    client.force_login(user_a)
    page = client.get(reverse("compliance:alert_list", args=[service_provider_a.slug]))
    text = page.content.decode()
    assert all(f"News number {i}" in text for i in range(6))
    assert "About the commissioner" not in text
    assert "For someone else" not in text


def test_mark_all_as_read_marks_only_the_member_s_alerts_for_that_organisation(
    client, user_a, service_provider_a, six_alerts
):
    others = AlertFactory(service_provider=service_provider_a)
    client.force_login(user_a)
    response = client.post(reverse("compliance:alerts_read", args=[service_provider_a.slug]))
    assert response.status_code == 302
    assert not Alert.objects.filter(recipient=user_a, read_at__isnull=True).exists()
    others.refresh_from_db()
    assert others.read_at is None
    page = client.get(service_provider_a.get_absolute_url()).content.decode()
    assert "News number" not in page


def test_mark_all_as_read_is_post_only(client, user_a, service_provider_a, six_alerts):
    client.force_login(user_a)
    response = client.get(reverse("compliance:alerts_read", args=[service_provider_a.slug]))
    assert response.status_code == 405
    assert Alert.objects.filter(read_at__isnull=True).count() == 6


def test_commissioner_overview_summarises_alerts_too(client):
    commissioner = CommissionerFactory()
    user = MembershipFactory.of(commissioner).user
    for i in range(5):
        alert = AlertFactory(  # answers to its contracts: shown whatever is shared
            recipient=user,
            commissioner=commissioner,
            kind=Alert.Kind.CONTRACT_CONFIRMED,
            subject=f"Commission news {i}",
        )
        Alert.objects.filter(pk=alert.pk).update(
            created_at=dt.datetime(2026, 5, 1 + i, tzinfo=dt.UTC)
        )
    client.force_login(user)
    page = client.get(commissioner.get_absolute_url()).content.decode()
    assert "You have 5 unread alerts" in page
    assert [f"Commission news {i}" in page for i in range(5)] == [False, False, True, True, True]
    assert reverse("compliance:commissioner_alert_list", args=[commissioner.slug]) in page
    client.post(reverse("compliance:commissioner_alerts_read", args=[commissioner.slug]))
    assert not Alert.objects.filter(read_at__isnull=True).exists()
