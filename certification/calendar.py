"""Calendar arithmetic the rules use: "within N months" is calendar months, not 30-day blocks.

verdicts.md: a check made on 1 March 2023 is within 12 months on 1 March 2024. A month
after 31 January is the last day of February (dateutil's relativedelta clips to the month).
Day-based rules (the 30 and 90 days before a certificate ends) stay in days.
"""

from datetime import date
from functools import lru_cache

from dateutil.relativedelta import relativedelta


# Pure, and asked again for the same check and certificate dates on every page of verdicts (a
# relativedelta costs microseconds each time: hundreds of them per commissioner overview).
@lru_cache(maxsize=16384)
def months_after(day: date, months: int) -> date:
    """The same day `months` calendar months later (clipped to the end of a shorter month)."""
    return day + relativedelta(months=months)


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (clipped to the end of a shorter month)."""
    return day - relativedelta(months=months)


def within_months(earlier: date, on: date, months: int) -> bool:
    """Whether `earlier` is at most `months` calendar months before `on`."""
    return months_after(earlier, months) >= on
