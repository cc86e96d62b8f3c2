"""send_alerts: who hears about what, once."""

import datetime as dt
import os

import pytest
from django.core import mail
from django.core.management import call_command

from accounts.models import Role
from certification.services import move_certification, record_accreditation_change
from certification.statuses import AccreditationStatus, Status
from compliance.alerts import send_due_alerts
from compliance.models import Alert
from tests.factories import (
    CertificationFactory,
    CommissionerFactory,
    MembershipFactory,
    TrainingArrangementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def relied_on():
    """A certification a service relies on, with two members of that service."""
    certification = CertificationFactory()
    arrangement = TrainingArrangementFactory(training_provider=certification.provider)
    service = arrangement.service_provider
    members = [MembershipFactory(service_provider=service).user for _ in range(2)]
    return certification, service, members


def _suspend(certification, on=dt.date(2026, 5, 20)):
    move_certification(certification, Status.SUSPENDED, effective_date=on, reason="Audit")


def test_status_change_alerts_every_member_by_email_and_in_app(relied_on):
    certification, service, members = relied_on
    _suspend(certification)
    created = send_due_alerts(TODAY)
    assert {a.recipient for a in created} == set(members)
    assert {a.kind for a in created} == {Alert.Kind.STATUS_CHANGE}
    assert all(a.service_provider == service for a in created)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in members)
    assert "suspended" in mail.outbox[0].subject


def test_send_alerts_twice_sends_nothing_the_second_time(relied_on):
    certification, _, _ = relied_on
    _suspend(certification)
    call_command("send_alerts")
    assert len(mail.outbox) == 2
    call_command("send_alerts")
    assert len(mail.outbox) == 2
    assert Alert.objects.count() == 2


def test_user_with_email_alerts_off_gets_the_in_app_notice_only(relied_on):
    certification, _, (quiet, loud) = relied_on
    quiet.email_alerts = False
    quiet.save()
    _suspend(certification)
    send_due_alerts(TODAY)
    assert [m.to for m in mail.outbox] == [[loud.email]]
    assert Alert.objects.get(recipient=quiet).emailed_at is None
    assert Alert.objects.get(recipient=loud).emailed_at is not None


def test_history_from_before_the_arrangement_is_not_news(relied_on):
    # The certification's first event was recorded before the arrangement.
    assert send_due_alerts(TODAY) == []
    assert mail.outbox == []


def test_other_service_providers_hear_nothing(relied_on):
    certification, _, _ = relied_on
    outsider = MembershipFactory().user
    _suspend(certification)
    send_due_alerts(TODAY)
    assert not Alert.objects.filter(recipient=outsider).exists()
    assert outsider.email not in [m.to[0] for m in mail.outbox]


def test_ended_arrangement_is_not_alerted():
    certification = CertificationFactory()
    arrangement = TrainingArrangementFactory(
        training_provider=certification.provider, ends_on=dt.date(2026, 1, 1)
    )
    MembershipFactory(service_provider=arrangement.service_provider)
    _suspend(certification)
    assert send_due_alerts(TODAY) == []


def test_accreditation_change_of_the_body_is_alerted(relied_on):
    certification, _, members = relied_on
    record_accreditation_change(
        certification.body, AccreditationStatus.SUSPENDED, effective_date=dt.date(2026, 5, 1)
    )
    created = send_due_alerts(TODAY)
    assert {a.kind for a in created} == {Alert.Kind.ACCREDITATION_CHANGE}
    assert len(created) == len(members)


def test_certificate_ending_alerts_at_90_then_at_30_days(relied_on):
    certification, _, members = relied_on
    valid_until = certification.valid_until
    first = send_due_alerts(valid_until - dt.timedelta(days=91))
    assert first == []
    at_90 = send_due_alerts(valid_until - dt.timedelta(days=80))
    assert {a.kind for a in at_90} == {Alert.Kind.ENDS_IN_90_DAYS}
    assert send_due_alerts(valid_until - dt.timedelta(days=60)) == []
    at_30 = send_due_alerts(valid_until - dt.timedelta(days=30))
    assert {a.kind for a in at_30} == {Alert.Kind.ENDS_IN_30_DAYS}
    assert len(at_30) == len(members)
    assert send_due_alerts(valid_until - dt.timedelta(days=10)) == []


def test_delivery_takes_queries_per_new_alert_not_per_certification(
    relied_on, django_assert_max_num_queries
):
    # Many unrelated certifications and arrangements with nothing new: a fixed query count.
    for _ in range(15):
        c = CertificationFactory()
        a = TrainingArrangementFactory(training_provider=c.provider)
        MembershipFactory(service_provider=a.service_provider)
    with django_assert_max_num_queries(20):
        assert send_due_alerts(TODAY) == []


def test_sources_are_pluggable_for_other_organisations():
    from compliance.alerts import Notice

    commissioner = CommissionerFactory()
    user = UserFactory()

    def commissioner_source(today):
        yield Notice(user, commissioner, Alert.Kind.STATUS_CHANGE, "co:event:1", "Subj", "Msg")

    created = send_due_alerts(TODAY, sources=[commissioner_source])
    assert created[0].commissioner == commissioner
    assert created[0].service_provider is None
    assert send_due_alerts(TODAY, sources=[commissioner_source]) == []
    assert Role.COMMISSIONER_STAFF  # roles exist for commissioner sources


def test_an_affiliate_is_alerted_when_its_parent_s_certificate_ends_first():
    from certification.models import Certification

    parent = CertificationFactory(
        provider__name="Bright Skills Ltd", valid_until=dt.date(2026, 6, 21)
    )
    affiliate = CertificationFactory(
        role=Certification.Role.AFFILIATE, parent=parent, body=parent.body
    )
    arrangement = TrainingArrangementFactory(training_provider=affiliate.provider)
    member = MembershipFactory(service_provider=arrangement.service_provider).user
    (alert,) = send_due_alerts(TODAY)  # 20 days before the parent's end, years before its own
    assert alert.recipient == member
    assert alert.kind == Alert.Kind.ENDS_IN_30_DAYS
    assert "ends on 21 June 2026, with Bright Skills Ltd's certificate, in 20 days" in alert.message


def test_a_failed_email_stops_neither_the_other_members_nor_the_followers(relied_on, caplog):
    from smtplib import SMTPServerDisconnected
    from unittest import mock

    from django.core.mail import EmailMessage
    from django.utils import timezone

    from compliance.models import FollowerAlert, ProviderFollower

    certification, _, (failing, other) = relied_on
    follower = ProviderFollower.objects.create(
        provider=certification.provider,
        email="follower@example.org",
        confirmed_at=timezone.now(),
    )
    _suspend(certification, on=timezone.localdate())
    real_send = EmailMessage.send

    def send(message, *args, **kwargs):
        if message.to == [failing.email]:
            raise SMTPServerDisconnected("mail server down")
        return real_send(message, *args, **kwargs)

    with mock.patch.object(EmailMessage, "send", send):
        call_command("send_alerts", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert sorted(m.to[0] for m in mail.outbox) == sorted([other.email, follower.email])
    assert not Alert.objects.filter(recipient=failing).exists()  # rolled back: tried again
    assert "not sent" in caplog.text and failing.email not in caplog.text

    call_command("send_alerts", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert [m.to[0] for m in mail.outbox[2:]] == [failing.email]
    assert Alert.objects.filter(recipient=failing).count() == 1
    assert FollowerAlert.objects.filter(follower=follower).count() == 1
