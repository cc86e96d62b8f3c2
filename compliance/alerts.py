"""Alerts: telling people when something their organisation relies on changes.

Two halves, so other organisations can reuse the delivery:

- *sources* yield `Notice`s: who should hear about what, for which organisation, under a `key`
  that names the news (an event, a body's accreditation change, a certificate reaching 90 or
  30 days before its end, a service provider's answer to a contract).
  `service_provider_notices` is the source for service providers; `commissioner_notices`
  and `recent_contract_decisions` are the commissioners' (the news about a service's
  training goes only to commissioners it shares its records with).
- `news_about` is the news itself, also sent to people who follow a provider without an
  account (compliance.following).
- `deliver` turns notices into `Alert` rows and emails (compliance.alert_email: plain text
  and HTML, with absolute links) through `send_once`, which followers' emails use too. The
  row is unique per recipient and key and is created, in a transaction, before the email is
  sent: running the job twice sends nothing the second time, and an email that fails to send
  rolls its row back to try again at the next run, without stopping the others.

Sources read everything in a fixed number of queries (prefetched verdict data) and decide
nothing about validity themselves: dates and states come from the one verdict method.
"""

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Membership
from certification.statuses import Status
from certification.verdicts import long_date

from .alert_email import alert_email
from .models import Alert, Commissioner, Contract, ServiceProvider, TrainingArrangement

logger = logging.getLogger(__name__)

ENDS_SOON_STEPS = (
    (30, Alert.Kind.ENDS_IN_30_DAYS, "ends30"),
    (90, Alert.Kind.ENDS_IN_90_DAYS, "ends90"),
)


# The dashboard's path (DESIGN.md § URL map, a public contract).
DASHBOARD_PATH = "/compliance/service-providers/{slug}/"


@dataclass(frozen=True)
class Notice:
    """One piece of news for one person acting for one organisation."""

    recipient: object
    organisation: object  # a ServiceProvider or a Commissioner
    kind: str
    key: str
    subject: str
    message: str
    certification: object = None
    path: str = ""  # the page of this site to act on
    link_text: str = ""


def _organisation_key(organisation):
    prefix = "sp" if isinstance(organisation, ServiceProvider) else "co"
    return f"{prefix}{organisation.pk}"


def _news_about_provider(arrangement, today) -> Iterator[tuple[str, str, str, str, object]]:
    """(kind, key, subject, message, certification) for one arrangement's training provider.

    News counts from when the service started relying on the provider and recorded that here:
    events and accreditation changes effective on or after the arrangement's start and
    recorded after the arrangement was.
    """

    def is_news(effective_date, recorded_at):
        return effective_date >= arrangement.starts_on and recorded_at >= arrangement.created_at

    return news_about(arrangement.training_provider, today, is_news)


def news_about(provider, today, is_news) -> Iterator[tuple[str, str, str, str, object]]:
    """(kind, key, subject, message, certification): the news about one provider (with its
    verdict data prefetched) for someone relying on it, `is_news(effective_date, recorded_at)`
    saying which events and accreditation changes are new to them."""
    bodies = {}
    for certification in provider.certifications.all():
        if certification.is_archived:
            continue  # it has left the register
        for event in certification.ordered_events():
            if not is_news(event.effective_date, event.recorded_at):
                continue
            to_label = Status(event.to_status).label.lower()
            yield (
                Alert.Kind.STATUS_CHANGE,
                f"event:{event.pk}",
                f"{provider.name}: certification {to_label}"[:200],
                f"The certification of {provider.name} by {certification.body.name} "
                f"(certificate {event.certificate_number or 'not yet issued'}) is "
                f"{to_label} from {long_date(event.effective_date)}.\n\n"
                f"Reason recorded: {event.reason}",
                certification,
            )
        for related in (certification, certification.parent):
            if related is not None and related.status in (
                Status.CERTIFIED,
                Status.SUSPENDED,
                Status.WORKING_TOWARDS,
            ):
                bodies.setdefault(related.body_id, (related.body, related))
    for body, certification in bodies.values():
        for change in body.accreditation_changes.all():
            if not is_news(change.effective_date, change.recorded_at):
                continue
            yield (
                Alert.Kind.ACCREDITATION_CHANGE,
                f"accreditation:{change.pk}",
                f"{body.name}: {change.get_status_display()}"[:200],
                f"{body.name}, which certifies {provider.name}, has a change to its UKAS "
                f"accreditation from {long_date(change.effective_date)}: "
                f"{change.get_status_display()}.",
                certification,
            )
    headline = provider.headline(today)
    verdict = headline.verdict
    if headline.is_valid and verdict.days_left is not None:
        for days, kind, prefix in ENDS_SOON_STEPS:
            if verdict.days_left <= days:
                certification = verdict.certification
                # For an affiliate whose parent's certificate ends first, that end.
                ends_on, with_parent = verdict.ends_on, verdict.ends_with
                parent = f", with {with_parent.provider.name}'s certificate" if with_parent else ""
                yield (
                    kind,
                    f"{prefix}:{certification.pk}:{ends_on.isoformat()}",
                    f"{provider.name}: certificate ends on {long_date(ends_on)}",
                    f"The certificate of {provider.name} "
                    f"({verdict.certificate_number}, {certification.body.name}) ends on "
                    f"{long_date(ends_on)}{parent}, in {verdict.days_left} days. "
                    "Check that it is renewed, or plan another certified provider.",
                    certification,
                )
                break  # within 30 days, the 30-day notice replaces the 90-day one


def service_provider_notices(today: date) -> Iterator[Notice]:
    """News for every member of every service provider, about the certifications its current
    training arrangements rely on."""
    members = defaultdict(list)
    for membership in (
        Membership.objects.of_service_providers()
        .filter(user__is_active=True)
        .select_related("user")
    ):
        members[membership.service_provider_id].append(membership.user)
    if not members:
        return
    arrangements = (
        TrainingArrangement.objects.current_on(today)
        .filter(service_provider_id__in=list(members))
        .with_verdict_data()
        .order_by("pk")
    )
    for arrangement in arrangements:
        service = arrangement.service_provider
        path = DASHBOARD_PATH.format(slug=service.slug)
        for kind, key, subject, message, certification in _news_about_provider(arrangement, today):
            for user in members[service.pk]:
                yield Notice(
                    recipient=user,
                    organisation=service,
                    kind=kind,
                    key=f"{_organisation_key(service)}:{key}",
                    subject=subject,
                    message=message,
                    certification=certification,
                    path=path,
                    link_text=f"See {service.name}'s dashboard",
                )


# A contracted service's page for its commissioner.
COMMISSIONER_SERVICE_PATH = "/compliance/commissioners/{slug}/services/{service}/"


def _commissioner_members(commissioner_ids=None):
    """{commissioner id: [active member]}, of the commissioners given (or all)."""
    members = defaultdict(list)
    memberships = Membership.objects.of_commissioners().filter(user__is_active=True)
    if commissioner_ids is not None:
        memberships = memberships.filter(commissioner_id__in=commissioner_ids)
    for membership in memberships.select_related("user"):
        members[membership.commissioner_id].append(membership.user)
    return members


def commissioner_notices(today: date) -> Iterator[Notice]:
    """News for every member of every commissioner, about the certifications that the current
    training arrangements of its currently contracted services rely on. One alert per
    service affected, naming it. The arrangements are the service's private records, so only
    commissioners with a current contract that grants access hear about them."""
    members = _commissioner_members()
    if not members:
        return
    commissioners_of = defaultdict(dict)  # service id -> {commissioner id: commissioner}
    for contract in (
        Contract.objects.current_on(today)
        .granting_access_on(today)
        .filter(commissioner_id__in=list(members))
        .select_related("commissioner")
    ):
        commissioners_of[contract.service_provider_id][contract.commissioner_id] = (
            contract.commissioner
        )
    if not commissioners_of:
        return
    arrangements = (
        TrainingArrangement.objects.current_on(today)
        .filter(service_provider_id__in=list(commissioners_of))
        .with_verdict_data()
        .order_by("pk")
    )
    for arrangement in arrangements:
        service = arrangement.service_provider
        news = list(_news_about_provider(arrangement, today))
        for commissioner in commissioners_of[service.pk].values():
            path = COMMISSIONER_SERVICE_PATH.format(slug=commissioner.slug, service=service.slug)
            for kind, key, subject, message, certification in news:
                for user in members[commissioner.pk]:
                    yield Notice(
                        recipient=user,
                        organisation=commissioner,
                        kind=kind,
                        key=f"{_organisation_key(commissioner)}:sp{service.pk}:{key}",
                        subject=f"{service.name}: {subject}",
                        message=f"This affects {service.name}, a service you commission.\n\n"
                        + message,
                        certification=certification,
                        path=path,
                        link_text="See the service",
                    )


# A commissioner's contract, for its staff.
CONTRACT_PATH = "/compliance/commissioners/{slug}/contracts/{pk}/"


def contract_decision_notices(contracts) -> Iterator[Notice]:
    """A service provider's answer to each of these (decided) contracts, for every member of
    its commissioner: sent as soon as it is given (compliance.consent), under a key naming
    the answer, so `recent_contract_decisions` never sends it twice."""
    contracts = [c for c in contracts if not c.is_pending]
    members = _commissioner_members({c.commissioner_id for c in contracts})
    for contract in contracts:
        commissioner, service = contract.commissioner, contract.service_provider
        decided_on = long_date(timezone.localtime(contract.decided_at).date())
        path = CONTRACT_PATH.format(slug=commissioner.slug, pk=contract.pk)
        if contract.confirmation == Contract.Confirmation.CONFIRMED:
            kind, verb = Alert.Kind.CONTRACT_CONFIRMED, "confirmed"
            months = settings.CONTRACT_ACCESS_AFTER_END_MONTHS
            news = (
                f"You can now see its training arrangements, compliance checks, evidence and "
                f"notes while the contract runs, and for {months} months after it ends."
            )
        else:
            kind, verb = Alert.Kind.CONTRACT_DECLINED, "declined"
            news = (
                f"You see only what the public register shows about {service.name}. If you "
                f"hold this contract with it, ask {service.name} to contact you."
            )
        decided = contract.decided_at.strftime("%Y%m%d%H%M%S%f")
        for user in members[commissioner.pk]:
            yield Notice(
                recipient=user,
                organisation=commissioner,
                kind=kind,
                key=f"{_organisation_key(commissioner)}:contract{contract.pk}:{verb}:{decided}",
                subject=f"{service.name} {verb} contract {contract.reference}",
                message=f"{service.name} {verb} your contract {contract.reference} on "
                f"{decided_on}.\n\n{news}",
                path=path,
                link_text="See the contract",
            )


DECISIONS_RETRIED_FOR = timedelta(days=7)


def recent_contract_decisions(today: date) -> Iterator[Notice]:
    """The answers of the last week again: any whose alert was not created when it was given
    (its email failed) is created now; the others are skipped by their keys."""
    contracts = Contract.objects.exclude(confirmation=Contract.Confirmation.PENDING).filter(
        decided_at__date__gte=today - DECISIONS_RETRIED_FOR, decided_at__date__lte=today
    )
    yield from contract_decision_notices(
        contracts.select_related("commissioner", "service_provider").order_by("pk")
    )


# Where `send_alerts` looks for news: functions of `today` yielding Notices.
SOURCES: list[Callable[[date], Iterable[Notice]]] = [
    service_provider_notices,
    commissioner_notices,
    recent_contract_decisions,
]


def _new_alert(notice: Notice) -> Alert:
    alert = Alert(
        recipient=notice.recipient,
        kind=notice.kind,
        key=notice.key[:100],
        certification=notice.certification,
        subject=notice.subject[:200],
        message=notice.message,
        path=notice.path,
        link_text=notice.link_text[:200],
        # Saved only if the email is sent (send_once): so the time it was sent.
        emailed_at=timezone.now() if notice.recipient.email_alerts else None,
    )
    if isinstance(notice.organisation, Commissioner):
        alert.commissioner = notice.organisation
    else:
        alert.service_provider = notice.organisation
    return alert


def _alert_email(alert: Alert):
    if alert.emailed_at is None:
        return None  # the recipient turned emails off: the in-app alert only
    return alert_email(
        alert.recipient.email,
        alert.subject,
        alert.message,
        path=alert.path,
        link_text=alert.link_text,
    )


def send_once(model, recipient: str, outgoing: Iterable[tuple[object, Callable]]) -> list:
    """Save each (row, email) of `outgoing` not saved before and send `email(row)` (an email,
    or None for none), each in its own transaction: a row is kept only if its email went.

    `row` is an unsaved `model` unique per `recipient` (the name of its foreign key) and
    `key`, so each piece of news reaches each recipient once: rows saved before are skipped
    (one query for them all, asking only for the rows pending now), and a concurrent run that
    saved one first wins on the unique constraint. An email that fails to send is logged and
    its row rolled back, so the next run tries it again; the others are still sent.
    `email` is called only for a row being saved, so only emails sent are rendered.
    Returns the rows saved.
    """
    recipient_id = f"{recipient}_id"
    pending = {}
    for row, email in outgoing:
        row.key = row.key[:100]
        pending.setdefault((getattr(row, recipient_id), row.key), (row, email))
    if not pending:
        return []
    done = set(
        model.objects.filter(
            **{
                f"{recipient_id}__in": {who for who, _ in pending},
                "key__in": {key for _, key in pending},
            }
        ).values_list(recipient_id, "key")
    )
    saved = []
    for pair, (row, email) in pending.items():
        if pair in done:
            continue
        try:
            with transaction.atomic():
                row.save()
                message = email(row)
                if message is not None:
                    message.send()
        except IntegrityError:
            continue  # another run saved it first
        except Exception as error:
            # Any email backend's error (SMTP, a socket, an API): the next run tries again.
            # Its class only: an SMTP error's text may hold the address.
            logger.error(
                "send_alerts: %s %s for %s %s not sent: %s",
                model.__name__,
                row.key,
                recipient,
                pair[0],
                type(error).__name__,
            )
            continue
        saved.append(row)
    return saved


def deliver(notices: Iterable[Notice]) -> list[Alert]:
    """Create the alerts not yet created and email those whose recipients want email
    (send_once). Returns the alerts created this time."""
    return send_once(Alert, "recipient", ((_new_alert(n), _alert_email) for n in notices))


def send_due_alerts(today: date | None = None, sources=None) -> list[Alert]:
    today = today or timezone.localdate()
    created = []
    for source in SOURCES if sources is None else sources:
        created.extend(deliver(source(today)))
    logger.info("send_alerts: %d new alerts", len(created))
    return created
