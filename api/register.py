"""The register's rows as the API gives them: the export's values (providers.exports, read
from the stored headline periods) with the warnings the register's page shows
(providers.register_rows, from the same periods). Both are made from one read of the page's
providers with their periods (`page_rows`), so a page costs that query and its scope's."""

from providers import exports, register_rows
from providers.models import TrainingProvider

SCOPE_COLUMNS = exports.LIST_COLUMNS

# What both are made from.
ROW_VALUES = tuple(dict.fromkeys(("pk", *exports.ROW_FIELDS.values(), *register_rows.ROW_VALUES)))


def page_rows(provider_ids, on, site_url, not_counting=None):
    """One API row for each of these providers, in their order. `not_counting`: the bodies'
    accreditation on `on`, if the caller has read it."""
    providers = TrainingProvider.objects.filter(pk__in=provider_ids).order_by()
    values = {
        value["pk"]: value
        for value in providers.with_headline(on, not_counting).values(*ROW_VALUES)
    }
    # (One deleted since its page was read is left out.)
    return provider_rows([values[pk] for pk in provider_ids if pk in values], on, site_url)


def provider_rows(values, on, site_url):
    """One API row for each of `values` (of ROW_VALUES, in their order): the export's row,
    and the warnings of the certified, with no query but the scope's (and the verdict's for
    an affiliate ending soon with an ancestor, providers.register_rows)."""
    fields = exports.ROW_FIELDS.items()
    exported = exports.rows_of(
        [{column: value[field] for column, field in fields} for value in values], site_url
    )
    certified = [
        value for value, row in zip(values, exported, strict=True) if row["status"] == "certified"
    ]
    warnings = register_rows.rows_of(certified, on) if certified else {}
    result = []
    for value, row in zip(values, exported, strict=True):
        shown = warnings.get(value["pk"])
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
                    "warnings": shown.warnings if shown else [],
                },
            }
        )
    return result
