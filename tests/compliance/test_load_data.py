"""generate_load_data: proportional, consistent with the rules the services keep."""

import pytest
from django.core.management import call_command
from django.db.models import Prefetch

from accounts.models import Role
from certification.models import Certification, CertificationEvent
from certification.statuses import is_allowed_move
from compliance.load_actors import (
    COMMISSIONER_CONTRACTS,
    COMMISSIONER_EMAIL,
    COMMISSIONER_SLUG,
    SERVICE_ARRANGEMENTS,
    SERVICE_EMAIL,
    SERVICE_SLUG,
)
from compliance.load_data import town
from compliance.models import Commissioner, Contract, ServiceProvider
from providers.models import TrainingProvider

pytestmark = pytest.mark.django_db


def test_generated_data_is_proportional_and_consistent():
    call_command("generate_load_data", "--providers", "200")
    call_command("generate_load_data", "--providers", "50")  # a second run does not collide
    assert TrainingProvider.objects.count() == 250
    assert ServiceProvider.objects.count() == 125 + 1  # and the benchmark's service
    ratio = Certification.objects.count() / 250
    assert 1.1 <= ratio <= 1.5
    events = CertificationEvent.objects.order_by("effective_date", "pk")
    for certification in Certification.objects.prefetch_related(Prefetch("events", events)):
        history = list(certification.events.all())
        last = history[-1]
        assert certification.status == last.to_status
        assert certification.certificate_number == last.certificate_number
        assert certification.valid_until == last.valid_until
        previous = None
        for event in history:
            assert event.from_status == previous
            assert is_allowed_move(event.from_status, event.to_status)
            previous = event.to_status


def test_bad_provider_count_is_refused():
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("generate_load_data", "--providers", "0")


def test_the_same_seed_gives_the_same_names_slugs_towns_and_numbers():
    call_command("generate_load_data", "--providers", "30")
    call_command("generate_load_data", "--providers", "30")  # numbers on from the first run

    def run(numbers):
        rows = Certification.objects.filter(provider__slug__in=[f"load-{n}" for n in numbers])
        return sorted(
            (int(slug.removeprefix("load-")) % 30, body % 3, status, number and number[-1])
            for slug, body, status, number in rows.values_list(
                "provider__slug", "body", "status", "certificate_number"
            )
        )

    assert run(range(30)) == run(range(30, 60))
    assert Certification.objects.filter(certificate_number="LD-0000031-1").exists() == (
        Certification.objects.filter(certificate_number="LD-0000001-1").exists()
    )
    assert TrainingProvider.objects.get(slug="load-0").town == town(0) == "Ashbury"
    assert town(1) == "Ashford" and town(400) == town(0)


def test_benchmark_actors_a_commissioner_with_300_contracts_and_a_service_with_members():
    call_command("generate_load_data", "--providers", "620")
    commissioner = Commissioner.objects.get(slug=COMMISSIONER_SLUG)
    contracts = Contract.objects.filter(commissioner=commissioner)
    assert contracts.count() == COMMISSIONER_CONTRACTS == 300
    # One contract a service, all current, over services that have arrangements of their own.
    assert contracts.values("service_provider").distinct().count() == 300
    assert not contracts.filter(ends_on__isnull=False).exists()
    assert all(c.service_provider.training_arrangements.exists() for c in contracts[:20])
    member = commissioner.memberships.get()
    assert (member.user.email, member.role) == (COMMISSIONER_EMAIL, Role.COMMISSIONER_STAFF)
    assert not member.user.has_usable_password()

    service = ServiceProvider.objects.get(slug=SERVICE_SLUG)
    assert 5 <= service.training_arrangements.count() == SERVICE_ARRANGEMENTS <= 10
    member = service.memberships.get()
    assert (member.user.email, member.role) == (SERVICE_EMAIL, Role.SERVICE_PROVIDER_STAFF)

    call_command("generate_load_data", "--providers", "10")  # made once, not again
    assert Commissioner.objects.filter(slug=COMMISSIONER_SLUG).count() == 1
    assert contracts.count() == 300
