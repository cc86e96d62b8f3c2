"""Generated volume data for benchmarks: `manage.py generate_load_data --providers N`.

Written with bulk_create for speed, so it bypasses the services, but it keeps every rule they
keep: each certification's status, number and dates equal its last event's, and every event
is an allowed move.

Deterministic for a seed: on an empty database the same command gives the same names, slugs,
towns and certificate numbers, so `make bench` (bench/) can name what it requests. A later run
numbers on from the rows already there, so it never collides. The first run also makes the
benchmark's signed-in actors (compliance/load_actors.py): a commissioner with 300 contracts
and a care home with 8 arrangements, each with a member.
"""

import datetime as dt
import random

from django.utils import timezone

from accounts.models import User
from certification.headline_periods import providers_changed
from certification.models import (
    AccreditationChange,
    Certification,
    CertificationBody,
    CertificationEvent,
)
from certification.register_changes import record_providers_added
from certification.statuses import AccreditationStatus, Status
from compliance.load_actors import generated_check, make_bench_actors
from compliance.models import ComplianceCheck, ServiceProvider, TrainingArrangement
from derived import generation, writer
from providers.models import TrainingProvider
from standards.models import Population, Region, Setting, StandardsEdition

BATCH = 2000
# 20 x 20 = 400 made-up town names, so a search for one matches whole words and one town's
# providers only (about 1 in 400), whatever the search method.
TOWN_STARTS = [
    "Ash", "Bram", "Cald", "Dun", "Elm", "Fen", "Glen", "Hart", "Ing", "Kel", "Lang", "Mar", "Nor",
    "Oak", "Pen", "Roth", "Stan", "Thorn", "Wey", "Yar",
]  # fmt: skip
TOWN_ENDS = [
    "bury", "ford", "ham", "ley", "ton", "wick", "field", "mouth", "stow", "well", "by", "combe",
    "den", "gate", "hurst", "mere", "pool", "ridge", "thorpe", "wood",
]  # fmt: skip
# (final status, weight) of a provider's first certification.
STATUS_WEIGHTS = [
    (Status.CERTIFIED, 62),
    (Status.WORKING_TOWARDS, 12),
    (Status.SUSPENDED, 6),
    (Status.EXPIRED, 8),
    (Status.WITHDRAWN, 6),
    (None, 6),
]


def town(i):
    """The made-up town of the i-th generated provider."""
    n = i % (len(TOWN_STARTS) * len(TOWN_ENDS))
    return TOWN_STARTS[n // len(TOWN_ENDS)] + TOWN_ENDS[n % len(TOWN_ENDS)]


def _bodies():
    bodies = []
    for n in range(1, 4):
        body, created = CertificationBody.objects.get_or_create(
            slug=f"load-body-{n}",
            defaults={"name": f"Load Test Certification Body {n}", "ukas_number": f"L{n:04d}"},
        )
        if created:
            AccreditationChange.objects.create(
                body=body, status=AccreditationStatus.ACCREDITED, effective_date=dt.date(2019, 1, 1)
            )
        bodies.append(body)
    return bodies


def _history(status, number, certified_on, valid_until, applied):
    """The events (from, to, date, number, start, end) that lead to `status`."""
    events = [(None, Status.WORKING_TOWARDS, applied, None, None, None)]
    if status == Status.WORKING_TOWARDS:
        return events
    if status == Status.WITHDRAWN and number is None:
        return [*events, (Status.WORKING_TOWARDS, Status.WITHDRAWN, applied, None, None, None)]
    certified = (Status.WORKING_TOWARDS, Status.CERTIFIED, certified_on, number, certified_on,
                 valid_until)  # fmt: skip
    events.append(certified)
    if status == Status.CERTIFIED:
        return events
    when = valid_until + dt.timedelta(days=1) if status == Status.EXPIRED else certified_on
    return [*events, (Status.CERTIFIED, status, when, number, certified_on, valid_until)]


@writer.batch()
def generate(providers: int, *, seed=0, today=None):
    today = today or timezone.localdate()
    rng = random.Random(seed)
    # Number on from earlier runs' rows, so a second run adds to the first without colliding.
    first = TrainingProvider.objects.filter(slug__startswith="load-").count()
    first_service = ServiceProvider.objects.filter(slug__startswith="load-service-").count()
    regions = list(Region.objects.all())
    populations = list(Population.objects.all())
    settings_terms = list(Setting.objects.all())
    edition = StandardsEdition.objects.get(is_current=True)
    bodies = _bodies()
    checker, _ = User.objects.get_or_create(email="load-checker@example.org")

    provider_rows = TrainingProvider.objects.bulk_create(
        [
            TrainingProvider(
                name=f"Load Provider {n}",
                slug=f"load-{n}",
                kind=list(TrainingProvider.Kind)[n % 3],
                town=town(n),
                postcode=f"LD{n % 99} {n % 9}AB",
                region=regions[n % len(regions)],
            )
            for n in range(first, first + providers)
        ],
        batch_size=BATCH,
    )
    record_providers_added(provider_rows)  # for the API change feed; bulk_create sends no signal
    statuses, weights = zip(*STATUS_WEIGHTS, strict=True)
    plans = []  # (provider, body, status, certificate number if it gets one)
    for i, provider in enumerate(provider_rows):
        status = rng.choices(statuses, weights)[0]
        if status is not None:
            plans.append((provider, bodies[i % 3], status, f"LD-{first + i:07d}-1"))
        if rng.random() < 0.32:  # a second, older certification with another body
            older = rng.choice([Status.EXPIRED, Status.WITHDRAWN])
            plans.append((provider, bodies[(i + 1) % 3], older, f"LD-{first + i:07d}-2"))
    certifications, histories = [], []
    for provider, body, status, number in plans:
        certified_on = today - dt.timedelta(days=rng.randint(30, 1000))
        valid_until = certified_on + dt.timedelta(days=3 * 365)
        if status == Status.EXPIRED:
            valid_until = today - dt.timedelta(days=rng.randint(1, 300))
            certified_on = valid_until - dt.timedelta(days=3 * 365)
        applied = certified_on - dt.timedelta(days=300)
        if status == Status.WORKING_TOWARDS:
            number = None
        if status == Status.WITHDRAWN and rng.random() < 0.5:
            number = None  # withdrawn while still working towards
        history = _history(status, number, certified_on, valid_until, applied)
        last = history[-1]
        histories.append(history)
        certifications.append(
            Certification(
                provider=provider,
                body=body,
                standards_edition=edition,
                status=status,
                certificate_number=last[3],
                certified_on=last[4],
                valid_until=last[5],
                registered_on=applied,
            )
        )
    certifications = Certification.objects.bulk_create(certifications, batch_size=BATCH)
    CertificationEvent.objects.bulk_create(
        [
            CertificationEvent(
                certification=certification,
                from_status=from_status,
                to_status=to_status,
                effective_date=when,
                reason="Generated load data",
                certificate_number=number,
                certified_on=start,
                valid_until=end,
            )
            for certification, history in zip(certifications, histories, strict=True)
            for from_status, to_status, when, number, start, end in history
        ],
        batch_size=BATCH,
    )
    scope = []
    for certification in certifications:
        for population in rng.sample(populations, 3):
            scope.append(
                Certification.populations.through(
                    certification_id=certification.pk, population_id=population.pk
                )
            )
    Certification.populations.through.objects.bulk_create(scope, batch_size=BATCH)
    # bulk_create sends no signals: the register's headline periods are reported here.
    providers_changed(provider.pk for provider in provider_rows)
    Certification.settings.through.objects.bulk_create(
        [
            Certification.settings.through(
                certification_id=c.pk, setting_id=rng.choice(settings_terms).pk
            )
            for c in certifications
        ],
        batch_size=BATCH,
    )

    services = ServiceProvider.objects.bulk_create(
        [
            ServiceProvider(
                name=f"Load Service {n}",
                slug=f"load-service-{n}",
                sector=list(ServiceProvider.Sector)[n % 4],
                region=regions[n % len(regions)],
            )
            for n in range(first_service, first_service + providers // 2)
        ],
        batch_size=BATCH,
    )
    arrangements = []
    for service in services:
        for provider in rng.sample(provider_rows, min(2, len(provider_rows))):
            arrangements.append(
                TrainingArrangement(
                    service_provider=service,
                    training_provider=provider,
                    route=TrainingArrangement.Route.BOUGHT_IN,
                    starts_on=today - dt.timedelta(days=500),
                )
            )
    arrangements = TrainingArrangement.objects.bulk_create(arrangements, batch_size=BATCH)
    checks = []
    for arrangement in arrangements[::2]:
        checked_on = today - dt.timedelta(days=rng.randint(1, 400))
        checks.append(generated_check(arrangement, checker, checked_on))
    ComplianceCheck.objects.bulk_create(checks, batch_size=BATCH)
    counts = {
        "providers": len(provider_rows),
        "certifications": len(certifications),
        "service_providers": len(services),
        "arrangements": len(arrangements),
        "checks": len(checks),
    }
    counts.update(make_bench_actors(services, provider_rows, checker, rng, today, regions))
    generation.changed()  # bulk_create sends no signals
    return counts
