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


DATE_TYPES = (dt.date, str, tuple, type(None))


def posted_dates(data, names):
    """`data` with each of `names` it holds (a date, ISO string, "" or parts) posted as a
    GOV.UK date input's three parts."""
    data = dict(data)
    for name in names:
        if name in data and isinstance(data[name], DATE_TYPES):
            data |= date_fields(name, data.pop(name))
    return data


def as_posted(form, name, value):
    """A bound form field's value as its page would post it: a GOV.UK date as three parts."""
    from pages.dates import DateField

    if isinstance(form.fields[name], DateField):
        if isinstance(value, list):  # the parts as posted, shown again
            return dict(zip((f"{name}_day", f"{name}_month", f"{name}_year"), value, strict=True))
        return date_fields(name, value)
    return {name: value}
