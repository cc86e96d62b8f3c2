"""The register as open data: CSV and JSON, streamed, with one stable set of columns.

The columns are COLUMNS below, each with its meaning (the register page lists them too). JSON
objects have the same keys. Dates are ISO 8601 (YYYY-MM-DD); lists are joined with "; " in CSV
and are arrays in JSON; a missing value is an empty cell in CSV and null in JSON.

Rows are read in batches of BATCH_SIZE providers, as plain values with each batch's scope in
one query, so memory stays flat however large the register is.
"""

import csv
import json

from django.urls import reverse

from certification.scope_labels import labels
from certification.verdicts import HEADLINE_LABELS, Headline

from .querysets import HEADLINE_SLUGS

COLUMN_MEANINGS = {
    "slug": "The provider's identifier in the register's web addresses",
    "name": "The provider's name",
    "kind": "commercial, in_house or consortium",
    "town": "The town the provider is based in",
    "region": "The region or nation the provider is based in",
    "status": (
        "The status today: certified, certified_not_valid, suspended, working_towards, "
        "expired, withdrawn or not_on_register"
    ),
    "status_label": (
        "The status in words with its date, exactly as the register page shows it, "
        "for example: Suspended since 23 August 2026"
    ),
    "status_since": (
        "The date of the status: since when it has held (for expired and withdrawn, "
        "the day it took effect)"
    ),
    "status_reason": (
        "Why: the reason the certification body recorded for a suspension, withdrawal, "
        "expiry or application, or why a certified certificate does not count; "
        "empty when certified"
    ),
    "certificate_number": "The number of the certificate the status is about",
    "body": "The certification body that issued it",
    "ukas_number": "The certification body's UKAS accreditation number",
    "certified_on": "The date the certificate started",
    "valid_until": "The date the certificate ends",
    "regions": "The nations and regions the certificate covers",
    "populations": "The populations the certificate covers",
    "settings": "The settings the certificate covers",
    "specialist_content": "The specialist content the certificate covers",
    "url": "The provider's page on the register",
}
COLUMNS = list(COLUMN_MEANINGS)
LIST_COLUMNS = ("regions", "populations", "settings", "specialist_content")
BATCH_SIZE = 500

# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _iso(value):
    return value.isoformat() if value else None


# (column, field of the headline period) read straight from the database for each row.
_PERIOD_FIELDS = {
    "status_label": "headline_label",
    "status_since": "headline_since",
    "status_reason": "headline_reason",
    "certification": "_period_on__certification_id",
    "certificate_number": "_period_on__certificate_number",
    "body": "_period_on__certification__body__name",
    "ukas_number": "_period_on__certification__body__ukas_number",
    "certified_on": "_period_on__certified_on",
    "valid_until": "headline_valid_until",
}
_PROVIDER_FIELDS = {
    "slug": "slug",
    "name": "name",
    "kind": "kind",
    "town": "town",
    "region": "region__label",
    "rank": "headline_rank",
}
# (column, field) of what a row is made from (`rows_of`).
ROW_FIELDS = {**_PROVIDER_FIELDS, **_PERIOD_FIELDS}


def _scope(certification_ids):
    """{column: {certification id: [labels]}} of the scope columns for a batch of
    certifications, in one query (certification.scope_labels), in each vocabulary's order."""
    from certification.models import Certification

    return labels(
        {column: (getattr(Certification, column), certification_ids) for column in LIST_COLUMNS}
    )


def _batches(iterable, size):
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def register_rows(providers, on, site_url, not_counting=None):
    """One dict per provider (COLUMNS as keys), in the filtered order, read in batches.

    The headline comes from the provider's headline period on `on`, which holds what
    `provider.headline(on)` says (certification.headline_periods), so a row costs no model
    instances and no verdict work: 20,000 providers export in a few seconds. `not_counting`:
    the bodies' accreditation on `on` if the caller has read it (providers.querysets
    .with_headline).
    """
    rows = providers.with_headline(on, not_counting).values_list(*ROW_FIELDS.values())
    rows = rows.iterator(chunk_size=BATCH_SIZE)
    for batch in _batches(rows, BATCH_SIZE):
        yield from rows_of(
            [dict(zip(ROW_FIELDS, values, strict=True)) for values in batch], site_url
        )


def rows_of(batch, site_url):
    """The rows (COLUMNS as keys) of a batch of providers read as ROW_FIELDS (their columns as
    keys, annotated by `with_headline`), in its order: the batch's scope in one query. The
    dicts of `batch` are used up."""
    scope = _scope([row["certification"] for row in batch if row["certification"]])
    base = site_url.rstrip("/")
    # Slugs are [-a-zA-Z0-9_], so the page address is this pattern with the slug put in.
    url_prefix, url_suffix = reverse("providers:detail", args=["-"]).split("/-/")
    not_on_register = HEADLINE_LABELS[Headline.NOT_ON_REGISTER]
    rows = []
    for row in batch:
        certification = row.pop("certification")
        kind = Headline(row.pop("rank"))
        row["status"] = HEADLINE_SLUGS[kind]
        row["status_label"] = row["status_label"] or not_on_register
        row["status_since"] = _iso(row["status_since"])
        row["status_reason"] = row["status_reason"] or None
        row["certified_on"] = _iso(row["certified_on"])
        row["valid_until"] = _iso(row["valid_until"])
        for column in LIST_COLUMNS:
            row[column] = scope[column].get(certification, [])
        row["url"] = f"{base}{url_prefix}/{row['slug']}/{url_suffix}"
        rows.append({column: row[column] for column in COLUMNS})
    return rows


def neutralise(cell):
    """A cell a spreadsheet will show as text, never run as a formula."""
    if cell and cell.startswith(_FORMULA_STARTS):
        return "'" + cell
    return cell


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(value)
    return neutralise(str(value))


class _Echo:
    """A file-like object whose write() hands the line back (Django's streaming CSV recipe)."""

    def write(self, value):
        return value


def csv_lines(rows):
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    for row in rows:
        yield writer.writerow([_csv_cell(row[column]) for column in COLUMNS])


def json_chunks(rows):
    """A JSON array of objects, written one object at a time."""
    yield "["
    separator = "\n"
    for row in rows:
        yield separator + json.dumps(row, ensure_ascii=False)
        separator = ",\n"
    yield "\n]\n"


def error_text(form):
    """Why an export was refused, as plain text."""
    lines = ["The export was not made: some filters were not understood.", ""]
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else name
        for error in errors:
            lines.append(f"{name} ({label}): {error}")
    return "\n".join(lines) + "\n"
