"""Posting a GOV.UK date input (pages.dates) as its page would: day, month and year."""

import datetime as dt


def date_fields(name, value):
    """`<name>_day`, `_month` and `_year` for a date, an ISO string, "" (empty) or a tuple of
    the three parts as typed (for bad input)."""
    if value in ("", None):
        parts = ("", "", "")
    elif isinstance(value, tuple):
        parts = value
    else:
        if isinstance(value, str):
            value = dt.date.fromisoformat(value)
        parts = (str(value.day), str(value.month), str(value.year))
    return dict(zip((f"{name}_day", f"{name}_month", f"{name}_year"), parts, strict=True))
