"""The register's rows as the API gives them: the export's values (providers.exports, read
from the stored headline periods) with the warnings the register's page shows
(providers.register_rows, from the same periods)."""

from providers import exports
from providers.models import TrainingProvider
from providers.register_rows import register_rows

SCOPE_COLUMNS = exports.LIST_COLUMNS


def _warnings(provider_ids, on, not_counting):
    """{provider id: warnings}, as the register shows them (from the headline periods, as
    providers.register_rows works them out): only a valid headline has warnings."""
    if not provider_ids:
        return {}
    providers = TrainingProvider.objects.filter(pk__in=provider_ids).order_by()
    rows = register_rows(providers.with_headline(on, not_counting), on, provider_ids)
    return {pk: row.warnings for pk, row in zip(provider_ids, rows, strict=True)}


def provider_rows(providers, on, site_url, not_counting=None):
    """One API row per provider of `providers` (instances, in their order), in a fixed
    number of queries: the export's rows for them, and the warnings of the certified.
    `not_counting`: the bodies' accreditation on `on`, if the caller has read it."""
    order = {p.pk: n for n, p in enumerate(providers)}
    queryset = TrainingProvider.objects.filter(pk__in=order)
    rows = {row["slug"]: row for row in exports.register_rows(queryset, on, site_url, not_counting)}
    certified = [p.pk for p in providers if rows[p.slug]["status"] == "certified"]
    warnings = _warnings(certified, on, not_counting)
    result = []
    for provider in providers:
        row = rows[provider.slug]
        result.append(
            {
                "slug": row["slug"],
                "name": row["name"],
                "kind": row["kind"],
                "town": row["town"],
                "region": row["region"],
                "url": row["url"],
                "headline": {
                    "on": on,
                    "status": row["status"],
                    "label": row["status_label"],
                    "since": row["status_since"],
                    "reason": row["status_reason"],
                    "certificate_number": row["certificate_number"],
                    "body": row["body"],
                    "ukas_number": row["ukas_number"],
                    "certified_on": row["certified_on"],
                    "valid_until": row["valid_until"],
                    "scope": {column: row[column] for column in SCOPE_COLUMNS},
                    "warnings": warnings.get(provider.pk, []),
                },
            }
        )
    return result
