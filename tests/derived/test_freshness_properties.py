"""Property test: after any sequence of writes through the service functions and plain saves
(new providers, status moves, new bodies, accreditation changes, archiving), the register as
served (kept content, count and filter lists on) equals the register rendered afresh with
nothing kept, and the stored periods equal what today's rules work out."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certification.headline_periods import headline_periods
from certification.models import Certification, HeadlinePeriod
from certification.services import move_certification, record_accreditation_change
from certification.statuses import ALLOWED_MOVES, AccreditationStatus, Status
from providers.models import TrainingProvider
from tests.caches_off import nothing_kept
from tests.factories import CertificationBodyFactory, CertificationFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
ADDRESSES = ["/providers/", "/providers/?status=suspended", "/providers/?ukas_valid=on"]

writes = st.lists(
    st.one_of(
        st.tuples(st.just("certify"), st.integers(0, 3)),
        st.tuples(st.just("move"), st.integers(0, 7), st.sampled_from(list(Status))),
        st.tuples(
            st.just("accreditation"), st.integers(0, 3), st.sampled_from(list(AccreditationStatus))
        ),
        st.tuples(st.just("archive"), st.integers(0, 7)),
    ),
    min_size=1,
    max_size=6,
)


def _write(step, bodies):
    kind, *args = step
    certifications = list(Certification.objects.order_by("pk"))
    if kind == "certify":
        CertificationFactory(body=bodies[args[0] % len(bodies)])
    elif kind == "move" and certifications:
        certification = certifications[args[0] % len(certifications)]
        if args[1] in ALLOWED_MOVES.get(certification.status, ()) and args[1] != Status.CERTIFIED:
            move_certification(certification, args[1], effective_date=TODAY, reason="Property test")
    elif kind == "accreditation":
        body = bodies[args[0] % len(bodies)]
        record_accreditation_change(body, args[1], effective_date=TODAY)
    elif kind == "archive" and certifications:
        provider = certifications[args[0] % len(certifications)].provider
        provider.is_archived = not provider.is_archived
        provider.save()


def _served(client):
    return [client.get(address).content.decode() for address in ADDRESSES]


def _afresh(client):
    with nothing_kept():
        return _served(client)


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(steps=writes)
def test_served_register_equals_a_fresh_render_after_every_write(steps):
    cache.clear()
    client = Client()
    with transaction.atomic():
        bodies = CertificationBodyFactory.create_batch(2)
        CertificationFactory(body=bodies[0])
        _served(client)  # keep the first generation's pages, count and lists
        for step in steps:
            _write(step, bodies)
            assert _served(client) == _afresh(client), step
            for provider in TrainingProvider.objects.with_verdict_data():
                stored = list(
                    HeadlinePeriod.objects.filter(provider=provider)
                    .order_by("starts_on")
                    .values_list("starts_on", "ends_on", "headline", "label")
                )
                fresh = [
                    (s, e, shown[0], shown[1]) for s, e, _, shown in headline_periods(provider)
                ]
                assert stored == fresh, step
        transaction.set_rollback(True)
