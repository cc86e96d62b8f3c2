"""The audit log's changes in words: "Status: Working towards certification → Certified",
"Curricula: none → Positive Behaviour Support", not `{'curriculum': 150, …}` or raw ids.

`changes_in_words(rows)` rewrites a page of the audit log's rows (certification.audit's
`with_changes`) in place. The names of related records (foreign keys and scope lists) are read
in one query per related model for the whole page, so the page's queries do not grow with
its rows (tests/test_query_budgets.py).
"""

from collections import defaultdict

from django.db import models

from .verdicts import long_date

NOTHING = "none"


def _field(record, name):
    return record.instance_type._meta.get_field(name)


def _label(field):
    return str(field.verbose_name)[:1].upper() + str(field.verbose_name)[1:]


def _related_ids(field, value):
    """The ids a change's value refers to: a foreign key's id, or a scope list's ids (rows of
    the through table, {owner: id, related: id})."""
    if value in (None, ""):
        return []
    if field.many_to_many:
        related = field.m2m_reverse_field_name()
        return [row[related] for row in value]
    return [value]


def changes_in_words(rows):
    wanted = defaultdict(set)  # related model -> ids
    for row in rows:
        for name, old, new in row["changes"]:
            field = _field(row["record"], name)
            if field.is_relation:
                for value in (old, new):
                    wanted[field.related_model].update(_related_ids(field, value))
    names = {
        model: {obj.pk: str(obj) for obj in model._default_manager.filter(pk__in=ids)}
        for model, ids in wanted.items()
        if ids
    }
    for row in rows:
        row["changes"] = [
            _in_words(_field(row["record"], name), old, new, names)
            for name, old, new in row["changes"]
        ]
    return rows


def _in_words(field, old, new, names):
    return (_label(field), _value(field, old, names), _value(field, new, names))


def _value(field, value, names):
    if field.is_relation:
        known = names.get(field.related_model, {})
        words = [known.get(pk, f"deleted record {pk}") for pk in _related_ids(field, value)]
        return "; ".join(sorted(words)) or NOTHING
    if value in (None, ""):
        return NOTHING
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return "Yes" if value else "No"
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        return long_date(value)
    return str(value)
