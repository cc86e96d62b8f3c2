"""The one writer of derived data: each provider's periods worked out once per service call,
inside the writer's transaction, and nothing written when the write fails."""

import datetime as dt

import pytest

from certification.models import HeadlinePeriod
from certification.services import move_certification
from certification.statuses import Status
from certification.verdicts import Headline
from derived import generation, writer
from tests.factories import CertificationFactory

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 7, 1)


@pytest.fixture
def rebuilt(monkeypatch):
    """The provider ids of every rebuild of periods, in order."""
    calls = []
    rebuild = writer._writers[writer.PERIODS]

    def counting(provider_ids):
        calls.append(sorted(provider_ids))
        rebuild(provider_ids)

    monkeypatch.setitem(writer._writers, writer.PERIODS, counting)
    return calls


def headline_on(provider, day=ON):
    return HeadlinePeriod.objects.get(provider=provider, starts_on__lte=day, ends_on__gt=day)


def test_a_status_move_works_out_its_providers_periods_once(rebuilt):
    certification = CertificationFactory()
    rebuilt.clear()

    move_certification(
        certification, Status.SUSPENDED, effective_date=dt.date(2026, 3, 1), reason="Audit missed"
    )

    assert rebuilt == [[certification.provider_id]]
    assert headline_on(certification.provider).headline == Headline.SUSPENDED


def test_a_status_move_of_a_parent_works_out_its_affiliates_providers_once(rebuilt):
    parent = CertificationFactory()
    affiliate = CertificationFactory(role="affiliate", parent=parent)
    rebuilt.clear()

    move_certification(
        parent, Status.SUSPENDED, effective_date=dt.date(2026, 3, 1), reason="Audit missed"
    )

    assert rebuilt == [sorted([parent.provider_id, affiliate.provider_id])]


def test_a_batch_starts_one_new_generation_however_many_records_it_saves(monkeypatch):
    starts = []
    start_new = writer._writers[writer.GENERATIONS]
    monkeypatch.setitem(
        writer._writers, writer.GENERATIONS, lambda names: starts.append(names) or start_new(names)
    )
    certification = CertificationFactory()
    starts.clear()

    move_certification(
        certification, Status.SUSPENDED, effective_date=dt.date(2026, 3, 1), reason="Audit missed"
    )

    assert starts == [{generation.REGISTER, generation.COMPLIANCE}]


def test_a_failed_write_writes_no_derived_data(rebuilt):
    certification = CertificationFactory()
    before = (generation.current(generation.REGISTER), headline_on(certification.provider).pk)
    rebuilt.clear()

    with pytest.raises(RuntimeError), writer.batch():
        move_certification(
            certification,
            Status.SUSPENDED,
            effective_date=dt.date(2026, 3, 1),
            reason="Audit missed",
        )
        raise RuntimeError("the caller's next step fails")

    assert rebuilt == []
    after = (generation.current(generation.REGISTER), headline_on(certification.provider).pk)
    assert after == before
    assert headline_on(certification.provider).headline == Headline.CERTIFIED


def test_outside_a_batch_a_report_is_written_at_once(rebuilt):
    certification = CertificationFactory()
    rebuilt.clear()
    HeadlinePeriod.objects.filter(provider=certification.provider).delete()

    writer.changed(writer.PERIODS, [certification.provider_id])

    assert rebuilt == [[certification.provider_id]]
    assert headline_on(certification.provider).headline == Headline.CERTIFIED
