"""The labels in many-to-many lists (a certification's scope, a provider's regions served, a
curriculum's terms): several lists of several records in one query.

The pages show these lists as words only. A prefetch per list cost a query each and a model
instance per term (the provider page had nine of them, the certificate check five), so one
UNION of the link tables, each joined to its terms, reads the labels of them all.
"""

from django.db import connection

from providers.models import Curriculum

# A certification's scope, in the order the pages show it.
SCOPE = ("populations", "settings", "regions", "specialist_content", "curricula")


def labels(lists):
    """{name: {record id: [label]}} for `lists`, {name: (relation, record ids)} where the
    relation is a many-to-many descriptor (`Certification.populations`) and the ids are of its
    model's records. A list's labels are in its terms' own order (the vocabulary's order and
    label; curricula by provider, then name), as `.all()` gives them; a record with none is
    left out."""
    parts, params = [], []
    for name, (relation, ids) in lists.items():
        if ids:
            parts.append(_part(relation, len(ids)))
            params += [name, *ids]
    found = {name: {} for name in lists}
    if not parts:
        return found
    # Plain SQL from the models' own tables and columns: Django's compiler took longer to
    # build a UNION of nine small querysets than the database took to answer it. Sorted by
    # the database, so labels compare as the lists' own ORDER BY compares them.
    sql = " UNION ALL ".join(parts) + " ORDER BY 3, 4, 5"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for name, record, _position, _sort, label in cursor.fetchall():
            found[name].setdefault(record, []).append(label)
    return found


def certification_scope(certification_ids):
    """{certification id: {column of SCOPE: [label]}} in one query."""
    from .models import Certification

    found = labels(
        {column: (getattr(Certification, column), certification_ids) for column in SCOPE}
    )
    return {pk: {column: found[column].get(pk, []) for column in SCOPE} for pk in certification_ids}


def _part(relation, count):
    """SELECT name, record id, position, sort, label of one list's links (parameters: the
    list's name, then the `count` record ids)."""
    q = connection.ops.quote_name
    field = relation.field
    link = relation.through._meta
    record = q(link.get_field(field.m2m_field_name()).column)
    term_id = q(link.get_field(field.m2m_reverse_field_name()).column)
    term = field.related_model._meta
    sql = f"FROM {q(link.db_table)} l JOIN {q(term.db_table)} t"
    sql += f" ON t.{q(term.pk.column)} = l.{term_id}"
    if issubclass(field.related_model, Curriculum):  # ordered by provider (its name), then name
        provider = term.get_field("provider")
        owner = provider.related_model._meta
        sql += f" JOIN {q(owner.db_table)} p ON p.{q(owner.pk.column)} = t.{q(provider.column)}"
        name = q(term.get_field("name").column)
        position, sort, label = "0", f"p.{q(owner.get_field('name').column)}", f"t.{name}"
    else:  # a vocabulary term: by its order, then label
        name = q(term.get_field("label").column)
        position, sort, label = f"t.{q(term.get_field('order').column)}", f"t.{name}", f"t.{name}"
    ids = ", ".join(["%s"] * count)
    return f"SELECT %s, l.{record}, {position}, {sort}, {label} {sql} WHERE l.{record} IN ({ids})"
