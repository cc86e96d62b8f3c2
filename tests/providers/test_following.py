"""Following a provider with no account: double opt-in, throttled sign-up, one email per
piece of news, one-click unsubscribe, and a per-provider Atom feed."""

import datetime as dt
import os
import re
from smtplib import SMTPRecipientsRefused, SMTPServerDisconnected
from unittest import mock

import pytest
from django.core import mail, signing
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import IntegrityError, connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certification.services import move_certification, record_accreditation_change
from certification.statuses import AccreditationStatus, Status
from compliance import following
from compliance.models import FollowerAlert, ProviderFollower
from tests.factories import CertificationFactory, TrainingProviderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider():
    return CertificationFactory(provider__name="Calm Training").provider


def _ask(client, provider, email="Reader@Example.org"):
    # The confirmation email goes once the sign-up commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("providers:follow", args=[provider.slug]), {"email": email})


def _link(email, name):
    """The path of the first link to the named page in an email's plain text."""
    match = re.search(r"http://testserver(/providers/\S+/" + name + r"/\S+/)", email.body)
    return match.group(1)


@pytest.fixture
def site(settings):
    settings.SITE_URL = "http://testserver"


def _follower(client, provider, email="reader@example.org"):
    _ask(client, provider, email)
    client.post(_link(mail.outbox[-1], "follow/confirm"))
    return ProviderFollower.objects.get(email=email, provider=provider)


def test_provider_page_offers_emails_and_a_feed(client, provider):
    page = client.get(provider.get_absolute_url()).content.decode()
    assert "Get emails when this provider's certification changes" in page
    feed = reverse("certification:provider_changes_atom", args=[provider.slug])
    assert f'href="{feed}"' in page
    assert 'type="application/atom+xml"' in page


def test_register_links_to_the_change_feeds(client):
    page = client.get(reverse("providers:list")).content.decode()
    assert reverse("certification:changes") in page
    assert reverse("certification:changes_atom") in page


def test_signing_up_sends_a_confirmation_link_and_follows_only_once_confirmed(
    client, provider, site
):
    response = _ask(client, provider)
    assert response.status_code == 302
    assert response["Location"] == reverse("providers:follow_sent", args=[provider.slug])
    [email] = mail.outbox
    assert email.to == ["reader@example.org"]
    assert email.alternatives  # an HTML part too
    follower = ProviderFollower.objects.get()
    assert not follower.is_active

    confirm = _link(email, "follow/confirm")
    page = client.get(confirm)  # a mail scanner fetching the link confirms nothing
    assert page.status_code == 200 and "Confirm" in page.content.decode()
    follower.refresh_from_db()
    assert not follower.is_active

    client.post(confirm)
    follower.refresh_from_db()
    assert follower.is_active


def test_a_bad_email_address_is_a_form_error(client, provider):
    response = _ask(client, provider, "not an address")
    assert response.status_code == 200
    assert "Enter an email address in the correct format" in response.content.decode()
    assert mail.outbox == [] and not ProviderFollower.objects.exists()


def test_asking_again_within_the_hour_sends_nothing_and_looks_the_same(client, provider):
    first = _ask(client, provider)
    second = _ask(client, provider, "reader@example.org")
    assert len(mail.outbox) == 1
    assert first["Location"] == second["Location"]
    ProviderFollower.objects.update(confirmation_sent_at=timezone.now() - dt.timedelta(hours=2))
    _ask(client, provider)
    assert len(mail.outbox) == 2


def test_one_address_gets_at_most_a_few_confirmations_an_hour_across_providers(client):
    providers = TrainingProviderFactory.create_batch(following.CONFIRMATIONS_PER_HOUR + 2)
    for provider in providers:
        _ask(client, provider, "victim@example.org")
    assert len(mail.outbox) == following.CONFIRMATIONS_PER_HOUR


def test_the_answer_does_not_say_whether_an_address_already_follows(client, provider, site):
    _follower(client, provider)
    ProviderFollower.objects.update(confirmation_sent_at=None)
    known = client.get(_ask(client, provider)["Location"]).content.decode()
    unknown = client.get(_ask(client, provider, "new@example.org")["Location"]).content.decode()
    assert known == unknown


def test_addresses_are_never_shown_on_public_pages(client, provider, site):
    _follower(client, provider, "secret.reader@example.org")
    for url in (
        provider.get_absolute_url(),
        reverse("providers:follow_sent", args=[provider.slug]),
        reverse("certification:provider_changes_atom", args=[provider.slug]),
    ):
        assert "secret.reader" not in client.get(url).content.decode()


def test_a_forged_or_other_provider_s_link_is_not_found(client, provider):
    follower = ProviderFollower.objects.create(provider=provider, email="a@example.org")
    other = TrainingProviderFactory()
    token = following.confirm_token(follower)
    assert (
        client.get(reverse("providers:follow_confirm", args=[other.slug, token])).status_code == 404
    )
    assert (
        client.post(reverse("providers:follow_confirm", args=[other.slug, token])).status_code
        == 404
    )
    forged = reverse("providers:follow_confirm", args=[provider.slug, token[:-2] + "xx"])
    assert client.post(forged).status_code == 404
    unsubscribe_as_confirm = reverse(
        "providers:follow_confirm", args=[provider.slug, following.unsubscribe_token(follower)]
    )
    assert client.post(unsubscribe_as_confirm).status_code == 404  # salts differ
    follower.refresh_from_db()
    assert not follower.is_active


def test_followers_get_one_email_per_status_change_with_one_click_unsubscribe(
    client, provider, site
):
    follower = _follower(client, provider)
    mail.outbox.clear()
    certification = provider.certifications.get()
    move_certification(
        certification, Status.SUSPENDED, effective_date=timezone.localdate(), reason="Audit"
    )
    call_command("send_alerts")
    call_command("send_alerts")  # idempotent
    [email] = mail.outbox
    assert email.to == ["reader@example.org"]
    assert "Calm Training" in email.subject and "suspended" in email.subject
    unsubscribe = _link(email, "unsubscribe")
    assert email.extra_headers["List-Unsubscribe"] == f"<http://testserver{unsubscribe}>"
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"http://testserver{provider.get_absolute_url()}" in email.body
    assert FollowerAlert.objects.filter(follower=follower).count() == 1


def test_followers_hear_of_accreditation_changes_of_the_body(client, provider, site):
    _follower(client, provider)
    mail.outbox.clear()
    body = provider.certifications.get().body
    record_accreditation_change(
        body, AccreditationStatus.SUSPENDED, effective_date=timezone.localdate(), note="UKAS"
    )
    following.alert_followers()
    [email] = mail.outbox
    assert body.name in email.subject


def test_news_from_before_confirming_is_not_sent(client, provider, site):
    move_certification(
        provider.certifications.get(),
        Status.SUSPENDED,
        effective_date=timezone.localdate(),
        reason="Audit",
    )
    _follower(client, provider)
    mail.outbox.clear()
    assert following.alert_followers() == []


def test_unconfirmed_and_unsubscribed_followers_get_nothing(client, provider, site):
    _ask(client, provider, "unconfirmed@example.org")
    follower = _follower(client, provider)
    following.unsubscribe(follower)
    mail.outbox.clear()
    move_certification(
        provider.certifications.get(),
        Status.SUSPENDED,
        effective_date=timezone.localdate(),
        reason="Audit",
    )
    assert following.alert_followers() == []
    assert mail.outbox == []


def test_unsubscribe_link_shows_a_button_and_the_one_click_post_needs_no_csrf_token(provider, site):
    client = Client(enforce_csrf_checks=True)
    follower = following.ProviderFollower.objects.create(
        provider=provider, email="r@example.org", confirmed_at=timezone.now()
    )
    path = following.unsubscribe_path(follower)
    assert "Unsubscribe" in client.get(path).content.decode()
    follower.refresh_from_db()
    assert follower.is_active  # fetching the link does not unsubscribe
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    follower.refresh_from_db()
    assert not follower.is_active


def test_a_follower_is_sent_each_piece_of_news_once_by_the_database_too(provider):
    follower = ProviderFollower.objects.create(provider=provider, email="x@example.org")
    FollowerAlert.objects.create(follower=follower, key="event:1", subject="News")
    with pytest.raises(IntegrityError):
        FollowerAlert.objects.create(follower=follower, key="event:1", subject="News")


def test_the_provider_feed_has_only_that_provider_s_changes(client, provider):
    other = CertificationFactory(provider__name="Other Outfit")
    for certification in (provider.certifications.get(), other):
        move_certification(
            certification, Status.SUSPENDED, effective_date=timezone.localdate(), reason="Audit"
        )
    feed = client.get(reverse("certification:provider_changes_atom", args=[provider.slug]))
    text = feed.content.decode()
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert "Calm Training" in text and "Other Outfit" not in text


# Links carry no address (review item 2)


def _payload(token):
    """What anyone holding a link can read: signing signs, it does not encrypt."""
    return signing.b64_decode(token.split(":")[0].lstrip(".").encode()).decode()


def _token_of(path):
    return path.rstrip("/").rsplit("/", 1)[1]


def test_links_and_the_list_unsubscribe_header_carry_no_address(client, provider, site):
    _ask(client, provider, "jane.doe@carehome.example")
    confirm = _link(mail.outbox[-1], "follow/confirm")
    assert "jane.doe" not in confirm and "jane.doe" not in _payload(_token_of(confirm))
    client.post(confirm)
    mail.outbox.clear()
    move_certification(
        provider.certifications.get(),
        Status.SUSPENDED,
        effective_date=timezone.localdate(),
        reason="Audit",
    )
    following.alert_followers()
    [email] = mail.outbox
    unsubscribe = _link(email, "unsubscribe")
    assert "jane.doe" not in _payload(_token_of(unsubscribe))
    assert "jane.doe" not in email.extra_headers["List-Unsubscribe"]
    assert client.post(unsubscribe).status_code == 200
    assert not ProviderFollower.objects.get().is_active


def test_a_link_signed_with_another_follower_s_secret_or_the_address_is_not_valid(provider):
    mine = ProviderFollower.objects.create(provider=provider, email="mine@example.org")
    theirs = ProviderFollower.objects.create(provider=provider, email="theirs@example.org")
    assert mine.link_secret and mine.link_secret != theirs.link_secret
    assert following.follower_to_confirm(following.confirm_token(mine)) == mine
    for data in (
        {"f": mine.pk, "s": theirs.link_secret},
        {"f": mine.pk, "e": mine.email},  # links made before secrets: no longer valid
        {"f": mine.pk},
    ):
        token = signing.dumps(data, salt=following.CONFIRM_SALT)
        assert following.follower_to_confirm(token) is None
        path = reverse("providers:follow_confirm", args=[provider.slug, token])
        assert Client().post(path).status_code == 404
    mine.refresh_from_db()
    assert not mine.is_active


# The confirmation email is sent once the sign-up is committed (review item 5)


class FailingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        # As an SMTP server's refusal does, the error names the address.
        raise SMTPRecipientsRefused({m.to[0]: (550, b"No such user") for m in email_messages})


def test_a_mail_server_failure_still_records_the_sign_up_and_answers_the_same(
    client, provider, settings, caplog
):
    settings.EMAIL_BACKEND = f"{__name__}.FailingEmailBackend"
    response = _ask(client, provider)
    assert response.status_code == 302
    assert response["Location"] == reverse("providers:follow_sent", args=[provider.slug])
    assert "Check your email" in client.get(response["Location"]).content.decode()
    follower = ProviderFollower.objects.get()
    assert follower.confirmation_sent_at is None  # not sent, so asking again sends it
    assert "confirmation email to follower" in caplog.text
    assert "reader@example.org" not in caplog.text

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _ask(client, provider)
    assert [m.to for m in mail.outbox] == [["reader@example.org"]]


# Sign-ups limited per client address; addresses forgotten (review item 6)


def test_sign_ups_are_limited_per_client_address_with_a_clear_answer(monkeypatch):
    monkeypatch.setattr(following, "SIGN_UPS_PER_CLIENT_PER_HOUR", 2)
    providers = TrainingProviderFactory.create_batch(3)
    client = Client(REMOTE_ADDR="203.0.113.7")
    for n, provider in enumerate(providers[:2]):
        assert _ask(client, provider, f"stranger{n}@example.org").status_code == 302
    refused = _ask(client, providers[2], "stranger2@example.org")
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "There is a problem" in page
    assert "too many requests for emails from your internet connection" in page
    assert "Try again in an hour" in page
    assert len(mail.outbox) == 2
    assert not ProviderFollower.objects.filter(email="stranger2@example.org").exists()
    # Another client is not held back by this one.
    assert _ask(Client(REMOTE_ADDR="198.51.100.1"), providers[2]).status_code == 302


def test_send_alerts_forgets_expired_sign_ups_and_unsubscribed_followers(provider):
    now = timezone.now()
    old = now - following.CONFIRMATION_VALID_FOR - dt.timedelta(minutes=1)

    def follower(email, **fields):
        return ProviderFollower.objects.create(provider=provider, email=email, **fields)

    expired = follower("expired@example.org", confirmation_sent_at=old)
    never_sent = follower("never-sent@example.org")
    ProviderFollower.objects.filter(pk=never_sent.pk).update(created_at=old)
    recent = follower("recent@example.org", confirmation_sent_at=now)
    active = follower("active@example.org", confirmed_at=old)
    gone = follower("gone@example.org", confirmed_at=old, unsubscribed_at=now)
    FollowerAlert.objects.create(follower=gone, key="event:1", subject="News")
    FollowerAlert.objects.create(follower=active, key="event:1", subject="News")

    call_command("send_alerts", stdout=open(os.devnull, "w"))  # noqa: SIM115

    assert set(ProviderFollower.objects.all()) == {recent, active}
    assert not ProviderFollower.objects.filter(pk__in=[expired.pk, gone.pk]).exists()
    assert set(FollowerAlert.objects.values_list("follower", flat=True)) == {active.pk}


# Confirming again (review item 7)


def test_confirming_again_keeps_the_news_not_yet_sent(client, provider, site):
    _ask(client, provider)
    confirm = _link(mail.outbox[-1], "follow/confirm")
    client.post(confirm)
    follower = ProviderFollower.objects.get()
    mail.outbox.clear()
    move_certification(
        provider.certifications.get(),
        Status.SUSPENDED,
        effective_date=timezone.localdate(),
        reason="Audit",
    )
    client.post(confirm)  # reopening the email, or a double submit
    assert ProviderFollower.objects.get().confirmed_at == follower.confirmed_at
    [alert] = following.alert_followers()
    assert "suspended" in alert.subject and len(mail.outbox) == 1


def test_confirming_after_unsubscribing_starts_again_from_then(client, provider, site):
    _ask(client, provider)
    confirm = _link(mail.outbox[-1], "follow/confirm")
    client.post(confirm)
    follower = ProviderFollower.objects.get()
    following.unsubscribe(follower)
    client.post(confirm)
    again = ProviderFollower.objects.get()
    assert again.is_active and again.confirmed_at > follower.confirmed_at


# One mechanism for sending each piece of news once (review nits)


def test_addresses_are_unique_per_provider_whatever_their_case(provider):
    ProviderFollower.objects.create(provider=provider, email="reader@example.org")
    ProviderFollower.objects.create(provider=TrainingProviderFactory(), email="Reader@example.org")
    with pytest.raises(IntegrityError):
        ProviderFollower.objects.create(provider=provider, email="Reader@Example.org")


def test_a_failed_email_is_tried_again_next_run_and_stops_no_other(client, provider, site):
    for email in ("first@example.org", "second@example.org"):
        _follower(client, provider, email)
    mail.outbox.clear()
    move_certification(
        provider.certifications.get(),
        Status.SUSPENDED,
        effective_date=timezone.localdate(),
        reason="Audit",
    )
    real_send = EmailMessage.send

    def send(message, *args, **kwargs):
        if message.to == ["first@example.org"]:
            raise SMTPServerDisconnected("mail server down")
        return real_send(message, *args, **kwargs)

    with mock.patch.object(EmailMessage, "send", send):
        sent = following.alert_followers()
    assert [a.follower.email for a in sent] == ["second@example.org"]
    assert [m.to for m in mail.outbox] == [["second@example.org"]]

    again = following.alert_followers()
    assert [a.follower.email for a in again] == ["first@example.org"]
    assert following.alert_followers() == []
    assert len(mail.outbox) == 2


def test_each_run_asks_only_about_the_news_pending_now(client, provider, site):
    follower = _follower(client, provider)
    FollowerAlert.objects.bulk_create(
        FollowerAlert(follower=follower, key=f"event:old{n}", subject="Old news") for n in range(30)
    )
    move_certification(
        provider.certifications.get(),
        Status.SUSPENDED,
        effective_date=timezone.localdate(),
        reason="Audit",
    )
    with CaptureQueriesContext(connection) as queries:
        [alert] = following.alert_followers()
    asked = [
        q["sql"] for q in queries if q["sql"].startswith("SELECT") and "followeralert" in q["sql"]
    ]
    assert asked and all('"compliance_followeralert"."key" IN' in sql for sql in asked)
    assert alert.key.startswith("event:")


def test_news_older_than_the_retry_window_is_not_looked_for(client, provider, site):
    follower = _follower(client, provider)
    ProviderFollower.objects.filter(pk=follower.pk).update(
        confirmed_at=timezone.now() - dt.timedelta(days=30)
    )
    move_certification(
        provider.certifications.get(),
        Status.SUSPENDED,
        effective_date=timezone.localdate(),
        reason="Audit",
    )
    later = timezone.now() + following.NEWS_RETRIED_FOR + dt.timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert following.alert_followers() == []
    assert any("suspended" in a.subject for a in following.alert_followers())
