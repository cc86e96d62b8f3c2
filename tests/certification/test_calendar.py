"""Calendar months, as verdicts.md counts them: the same day, or the last of a shorter month."""

import datetime as dt

import pytest

from certification.calendar import months_after, months_before, within_months


@pytest.mark.parametrize(
    ("on", "months", "before"),
    [
        (dt.date(2026, 12, 1), 12, dt.date(2025, 12, 1)),
        (dt.date(2026, 3, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2024, 3, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2026, 1, 15), 13, dt.date(2024, 12, 15)),
        (dt.date(2026, 5, 31), 0, dt.date(2026, 5, 31)),
    ],
)
def test_months_before_keeps_the_day_or_takes_the_months_last(on, months, before):
    assert months_before(on, months) == before


def test_months_before_and_after_agree_on_within_months():
    on = dt.date(2024, 3, 1)
    assert months_after(months_before(on, 12), 12) == on
    assert within_months(months_before(on, 12), on, 12)
    assert not within_months(months_before(on, 12) - dt.timedelta(days=1), on, 12)
