"""The terms in many-to-many lists (a certification's scope, a provider's regions served, a
curriculum's terms, a service's populations and settings): several lists of several records
in one query.

The pages show these lists as words only. A prefetch per list cost a query each and a model
instance per term (the provider page had nine of them, the certificate check five), so one
UNION of the link tables, each joined to its terms, reads the labels of them all. The
commissioner's overview reads its scope test the same way: the terms its services and
arrangements need (`terms`), then which of them their trainers' certificates cover (`links`).
The SQL is plain, from the models' own tables and columns: Django's compiler took longer to
build a UNION of nine small querysets than the database took to answer it, and a filter on
hundreds of ids cost it a millisecond a list to prepare them one by one.
"""

from collections import namedtuple

from django.db import connection

from providers.models import Curriculum

# A certification's scope, in the order the pages show it.
SCOPE = ("populations", "settings", "regions", "specialist_content", "curricula")

# A term of a list: its id (what a scope test compares) and its label (what a page shows).
Term = namedtuple("Term", "pk label")


def labels(lists):
    """{name: {record id: [label]}} for `lists`, {name: (relation, record ids)} where the
    relation is a many-to-many descriptor (`Certification.populations`) and the ids are of its
    model's records. A list's labels are in its terms' own order (the vocabulary's order and
    label; curricula by provider, then name), as `.all()` gives them; a record with none is
    left out."""
    return {
        name: {record: [term.label for term in found] for record, found in records.items()}
        for name, records in terms(lists).items()
    }


def terms(lists):
    """{name: {record id: [Term]}}: `labels`, each label with its term's id."""
    parts, params = [], []
    for name, (relation, ids) in lists.items():
        if ids:
            parts.append(_part(relation, ids))
            params += [name, *ids]
    found = {name: {} for name in lists}
    if not parts:
        return found
    # Sorted by the database, so labels compare as the lists' own ORDER BY compares them.
    sql = " UNION ALL ".join(parts) + " ORDER BY 3, 4, 5, 6"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for name, record, _position, _sort, label, term in cursor.fetchall():
            found[name].setdefault(record, []).append(Term(term, label))
    return found


def links(lists):
    """{name: {record id: {term id}}} for `lists`, {name: (relation, record ids, term ids)}:
    which of those terms each of those records links to (a record linking to none is left
    out), in one query. Only whether the records cover the terms asked about is read."""
    q = connection.ops.quote_name
    parts, params = [], []
    for name, (relation, ids, term_ids) in lists.items():
        if ids and term_ids:
            record, term = _link_columns(relation)
            parts.append(
                f"SELECT %s, {record}, {term} FROM {q(relation.through._meta.db_table)}"
                f" WHERE {record} IN ({_placeholders(ids)})"
                f" AND {term} IN ({_placeholders(term_ids)})"
            )
            params += [name, *ids, *term_ids]
    found = {name: {} for name in lists}
    if parts:
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            for name, record, term in cursor.fetchall():
                found[name].setdefault(record, set()).add(term)
    return found


def certification_scope(certification_ids):
    """{certification id: {column of SCOPE: [label]}} in one query."""
    from .models import Certification

    found = labels(
        {column: (getattr(Certification, column), certification_ids) for column in SCOPE}
    )
    return {pk: {column: found[column].get(pk, []) for column in SCOPE} for pk in certification_ids}


def _placeholders(ids):
    return ", ".join(["%s"] * len(ids))


def _link_columns(relation):
    """The quoted columns of a many-to-many's link table: its record's, its term's."""
    q = connection.ops.quote_name
    field, link = relation.field, relation.through._meta
    return (
        q(link.get_field(field.m2m_field_name()).column),
        q(link.get_field(field.m2m_reverse_field_name()).column),
    )


def _part(relation, ids):
    """SELECT name, record id, position, sort, label, term id of one list's links
    (parameters: the list's name, then the record ids)."""
    q = connection.ops.quote_name
    field = relation.field
    record, term_id = _link_columns(relation)
    record, term_id = f"l.{record}", f"l.{term_id}"
    term = field.related_model._meta
    sql = f"FROM {q(relation.through._meta.db_table)} l JOIN {q(term.db_table)} t"
    sql += f" ON t.{q(term.pk.column)} = {term_id}"
    if issubclass(field.related_model, Curriculum):  # ordered by provider (its name), then name
        provider = term.get_field("provider")
        owner = provider.related_model._meta
        sql += f" JOIN {q(owner.db_table)} p ON p.{q(owner.pk.column)} = t.{q(provider.column)}"
        name = q(term.get_field("name").column)
        position, sort, label = "0", f"p.{q(owner.get_field('name').column)}", f"t.{name}"
    else:  # a vocabulary term: by its order, then label
        name = q(term.get_field("label").column)
        position, sort, label = f"t.{q(term.get_field('order').column)}", f"t.{name}", f"t.{name}"
    return (
        f"SELECT %s, {record}, {position}, {sort}, {label}, {term_id} {sql}"
        f" WHERE {record} IN ({_placeholders(ids)})"
    )
