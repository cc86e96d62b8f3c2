"""The benchmark's signed-in actors, made by `generate_load_data` on its first run.

`make bench` (bench/pages.py) looks them up by these slugs and emails and signs their members
in by session: they have no usable password. Made once per database, so the commissioner's
contracts stay exactly COMMISSIONER_CONTRACTS whatever runs follow.
"""

import datetime as dt

from django.utils import timezone

from accounts.models import Membership, Role, User
from compliance.models import (
    Commissioner,
    ComplianceCheck,
    Contract,
    ContractReview,
    ServiceProvider,
    TrainingArrangement,
)

COMMISSIONER_SLUG = "load-commissioner"
COMMISSIONER_EMAIL = "load-commissioner@example.org"
COMMISSIONER_CONTRACTS = 300
SERVICE_SLUG = "load-service"
SERVICE_EMAIL = "load-service@example.org"
SERVICE_ARRANGEMENTS = 8


def make_bench_actors(services, provider_rows, checker, rng, today, regions):
    """The actors, unless a previous run made them: {what: how many} made."""
    if Commissioner.objects.filter(slug=COMMISSIONER_SLUG).exists():
        return {}
    return _bench_actors(services, provider_rows, checker, rng, today, regions)


def _member(email, **organisation):
    """A member of one organisation, with no usable password: the bench signs in by session."""
    user = User.objects.create_user(email)
    role = (
        Role.COMMISSIONER_STAFF if "commissioner" in organisation else Role.SERVICE_PROVIDER_STAFF
    )
    Membership.objects.create(user=user, role=role, **organisation)
    return user


def _bench_actors(services, provider_rows, checker, rng, today, regions):
    """The commissioner and service provider whose pages the benchmark requests, signed in.

    The commissioner's contracts cover generated services (each with its arrangements and
    checks); a third of them have a review. The service uses SERVICE_ARRANGEMENTS providers of
    mixed statuses, half of them checked, as a typical care home's dashboard shows.
    """
    commissioner = Commissioner.objects.create(
        name="Load Test County Council",
        slug=COMMISSIONER_SLUG,
        kind=Commissioner.Kind.LOCAL_AUTHORITY,
        region=regions[0],
    )
    reviewer = _member(COMMISSIONER_EMAIL, commissioner=commissioner)
    contracts = Contract.objects.bulk_create(
        [
            Contract(
                commissioner=commissioner,
                service_provider=service,
                reference=f"LOAD-{n:04d}",
                starts_on=today - dt.timedelta(days=400),
                requires_certified_training=n % 10 != 0,
                # Confirmed, so the benchmark measures the overview with every service's
                # records (the generated services have no staff: the checker answered).
                confirmation=Contract.Confirmation.CONFIRMED,
                decided_by=checker,
                decided_at=timezone.now() - dt.timedelta(days=390),
            )
            for n, service in enumerate(services[:COMMISSIONER_CONTRACTS])
        ]
    )
    ContractReview.objects.bulk_create(
        [
            ContractReview(
                contract=contract,
                reviewed_on=today - dt.timedelta(days=rng.randint(1, 300)),
                outcome=ContractReview.Outcome.COMPLIANT,
                reviewed_by=reviewer,
            )
            for contract in contracts[::3]
        ]
    )
    service = ServiceProvider.objects.create(
        name="Load Test Care Home",
        slug=SERVICE_SLUG,
        sector=ServiceProvider.Sector.SOCIAL_CARE,
        region=regions[0],
    )
    _member(SERVICE_EMAIL, service_provider=service)
    arrangements = TrainingArrangement.objects.bulk_create(
        [
            TrainingArrangement(
                service_provider=service,
                training_provider=provider,
                route=TrainingArrangement.Route.BOUGHT_IN,
                starts_on=today - dt.timedelta(days=500),
            )
            for provider in provider_rows[:SERVICE_ARRANGEMENTS]
        ]
    )
    ComplianceCheck.objects.bulk_create(
        [
            generated_check(arrangement, checker, today - dt.timedelta(days=30))
            for arrangement in arrangements[::2]
        ]
    )
    return {"contracts": len(contracts), "bench arrangements": len(arrangements)}


def generated_check(arrangement, checker, checked_on):
    """A compliant check of generated load data, due for review a year after it was made."""
    return ComplianceCheck(
        arrangement=arrangement,
        checked_by=checker,
        checked_on=checked_on,
        scope_covers_populations=True,
        scope_covers_settings=True,
        scope_covers_content=True,
        evidence="Generated load data",
        outcome=ComplianceCheck.Outcome.COMPLIANT,
        next_review_due=checked_on + dt.timedelta(days=365),
    )
