"""The bodies whose accreditation does not count on a day, read in one query for the register
(certification.headline_periods.accreditations_not_counting), are the ones the body itself
says (CertificationBody.accreditation_on: latest date, then latest record, none after the
day)."""

import datetime as dt

import pytest

from certification.headline_periods import accreditations_not_counting
from certification.models import CertificationBody
from certification.statuses import AccreditationStatus
from certification.verdicts import BodyAccreditation
from tests.factories import AccreditationChangeFactory, CertificationBodyFactory

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 6, 1)


def test_the_change_in_force_on_the_day_decides_as_the_body_picks_it():
    CertificationBodyFactory()  # accredited since 2018: counts
    never = CertificationBodyFactory(accredited=False)  # no change recorded: does not count
    suspended = CertificationBodyFactory()
    AccreditationChangeFactory(body=suspended, effective_date=dt.date(2026, 3, 1))
    later = CertificationBodyFactory()  # suspended only after the day: counts on it
    AccreditationChangeFactory(body=later, effective_date=ON + dt.timedelta(days=1))
    same_day = CertificationBodyFactory()  # suspended, then accredited again the same day
    AccreditationChangeFactory(body=same_day, effective_date=dt.date(2026, 5, 1))
    AccreditationChangeFactory(
        body=same_day, status=AccreditationStatus.ACCREDITED, effective_date=dt.date(2026, 5, 1)
    )
    withdrawn_on_the_day = CertificationBodyFactory()
    AccreditationChangeFactory(
        body=withdrawn_on_the_day, status=AccreditationStatus.WITHDRAWN, effective_date=ON
    )
    other_standard = CertificationBodyFactory(accreditation_standard="ISO/IEC 17021-1:2015")

    expected = {}
    for body in CertificationBody.objects.prefetch_related("accreditation_changes"):
        change = body.accreditation_on(ON)
        if not body.accreditation_counts_on(ON):
            expected[body.pk] = BodyAccreditation(
                change.status if change else None, change.effective_date if change else None, False
            )
    assert set(expected) == {never.pk, suspended.pk, withdrawn_on_the_day.pk, other_standard.pk}
    assert accreditations_not_counting(ON) == expected
