"""generate_load_data: proportional, consistent with the rules the services keep."""

import pytest
from django.core.management import call_command
from django.db.models import Prefetch

from certification.models import Certification, CertificationEvent
from certification.statuses import is_allowed_move
from compliance.models import ServiceProvider
from providers.models import TrainingProvider

pytestmark = pytest.mark.django_db


def test_generated_data_is_proportional_and_consistent():
    call_command("generate_load_data", "--providers", "200")
    call_command("generate_load_data", "--providers", "50")  # a second run does not collide
    assert TrainingProvider.objects.count() == 250
    assert ServiceProvider.objects.count() == 125
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
