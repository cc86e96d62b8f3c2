"""The register's search, region and scope filters as SQL written from the models' tables.

As querysets (UNIONs of three and four, two correlated EXISTS over joins) Django took about
as long to build these filters for each request as PostgreSQL took to answer them
(bench/README finding 23). The SQL is what those querysets produced; table and column names
come from the models, LIKE is written as Django writes it on the database in use, and the
provider they test is the query's own column, compiled by Django, so the condition stays
right when the register's queryset is used inside another query.
tests/providers/test_register_list.py runs every filter on SQLite and PostgreSQL.
"""

from django.db import connection as database
from django.db.models import BooleanField, Expression, F


class ProviderCondition(Expression):
    """A WHERE condition on the providers of a query: `sql(connection)` returns its SQL with
    `{provider}` where the provider's id goes and a %s for each of `params`."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, sql, params, provider=None):
        super().__init__()
        self.sql, self.params = sql, list(params)
        self.provider = provider if provider is not None else F("pk")

    def get_source_expressions(self):
        return [self.provider]

    def set_source_expressions(self, exprs):
        (self.provider,) = exprs

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False,
                           for_save=False):  # fmt: skip
        resolved = self.copy()
        resolved.provider = self.provider.resolve_expression(
            query, allow_joins, reuse, summarize, for_save
        )
        return resolved

    def as_sql(self, compiler, connection):
        provider, provider_params = compiler.compile(self.provider)
        sql = self.sql(connection).format(provider=provider)
        return f"({sql})", (*provider_params, *self.params)


def _in(ids):
    return ", ".join(["%s"] * len(ids))


def _m2m(field):
    """(link table, column of the owner, column of the term) of a many-to-many field."""
    return field.m2m_db_table(), field.m2m_column_name(), field.m2m_reverse_name()


def _like(connection, column, lookup):
    """`column` <lookup> %s as Django writes the lookup on this database (PostgreSQL:
    UPPER(column::text) LIKE UPPER(%s), the expression the trigram indexes are on)."""
    lhs = connection.ops.lookup_cast(lookup, "CharField") % connection.ops.quote_name(column)
    return f"{lhs} {connection.operators[lookup] % '%s'}"


def _pattern(text, lookup):
    """The LIKE pattern of `text` for a contains or startswith lookup, its wildcards escaped."""
    text = database.ops.prep_for_like_query(text)
    return f"%{text}%" if "contains" in lookup else f"{text}%"


def matching_search(text, key):
    """Name containing `text`, town or postcode starting with it, or (`key`, the text as a
    certificate key) a certificate on the register whose key starts with it, ignoring
    case: one indexed branch per field, UNIONed (an OR across fields and the certificate
    table would make PostgreSQL scan every provider instead of using the indexes)."""
    from certification.models import Certification

    from .models import TrainingProvider

    provider, certification = TrainingProvider._meta, Certification._meta
    branches = [("name", "icontains"), ("town", "istartswith"), ("postcode", "istartswith")]

    def sql(connection):
        q = connection.ops.quote_name
        pk, table = q(provider.pk.column), q(provider.db_table)
        union = [
            f"SELECT {pk} FROM {table} WHERE "
            + _like(connection, provider.get_field(name).column, lookup)
            for name, lookup in branches
        ]
        if key:
            union.append(
                f"SELECT {q(certification.get_field('provider').column)}"
                f" FROM {q(certification.db_table)}"
                f" WHERE NOT {q(certification.get_field('is_archived').column)} AND "
                + _like(connection, certification.get_field("certificate_key").column, "startswith")
            )
        return f"{{provider}} IN ({' UNION '.join(union)})"

    params = [_pattern(text, lookup) for _name, lookup in branches]
    return ProviderCondition(sql, params + ([_pattern(key, "startswith")] if key else []))


def _linked(q, field, ids, where=""):
    """FROM a many-to-many `field`'s link table joined to its owner (aliased o), for the links
    to one of these terms (`ids`, placeholders), with `where` more conditions on the owner; a
    certification must be on the register."""
    from certification.models import Certification

    owner = field.model._meta
    link, owner_column, term_column = _m2m(field)
    if field.model is Certification:
        where += f" AND NOT o.{q(owner.get_field('is_archived').column)}"
    return (
        f" FROM {q(link)} l INNER JOIN {q(owner.db_table)} o"
        f" ON l.{q(owner_column)} = o.{q(owner.pk.column)}"
        f" WHERE l.{q(term_column)} IN ({ids}){where}"
    )


def in_regions(region_ids):
    """Based in, serving, or certified for one of these regions: one set of ids from three
    indexed branches (an OR of EXISTS would be checked provider by provider)."""
    from certification.models import Certification

    from .models import TrainingProvider

    provider = TrainingProvider._meta
    served = _m2m(provider.get_field("regions_served"))
    certified = Certification._meta.get_field("regions")
    ids = _in(region_ids)

    def sql(connection):
        q = connection.ops.quote_name
        return (
            f"{{provider}} IN (SELECT {q(provider.pk.column)} FROM {q(provider.db_table)}"
            f" WHERE {q(provider.get_field('region').column)} IN ({ids})"
            f" UNION SELECT {q(served[1])} FROM {q(served[0])} WHERE {q(served[2])} IN ({ids})"
            f" UNION SELECT o.{q(certified.model._meta.get_field('provider').column)}"
            f"{_linked(q, certified, ids)})"
        )

    return ProviderCondition(sql, [*region_ids] * 3)


def in_scope(field, term_ids):
    """A certification on the register or a curriculum whose scope (`field`, the name of the
    many-to-many field on both) includes one of these terms: checked per candidate, through
    the provider's certifications (an index of their own) and the link table's unique
    (certification, term) index. The scope of every provider is too common a set to build
    for each request."""
    from certification.models import Certification

    from .models import Curriculum

    ids = _in(term_ids)
    owners = [model._meta.get_field(field) for model in (Certification, Curriculum)]

    def sql(connection):
        q = connection.ops.quote_name

        def owned(scope):
            provider = q(scope.model._meta.get_field("provider").column)
            return f"EXISTS (SELECT 1{_linked(q, scope, ids, f' AND o.{provider} = {{provider}}')})"

        return " OR ".join(owned(scope) for scope in owners)

    return ProviderCondition(sql, [*term_ids] * 2)
