"""The register as open data: CSV and JSON, streamed, with one stable set of columns.

The columns are COLUMNS below, each with its meaning (the register page lists them too). JSON
objects have the same keys. Dates are ISO 8601 (YYYY-MM-DD); lists are joined with "; " in CSV
and are arrays in JSON; a missing value is an empty cell in CSV and null in JSON.

Rows are read in batches of BATCH_SIZE providers, each batch with a fixed number of queries
(`QuerySet.iterator(chunk_size=…)` runs the prefetches per batch), so memory stays flat
however large the register is.
"""

import csv
import json

from django.db.models import Prefetch

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
    "status_label": "The status in words, as the register page shows it",
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


def _names(items):
    return [str(item) for item in items]


def register_rows(providers, on, site_url):
    """One dict per provider (COLUMNS as keys), in the filtered order, read in batches."""
    from certification.models import Certification

    certifications = Certification.objects.with_verdict_data().prefetch_related(
        "regions", "populations", "settings", "specialist_content"
    )
    batched = (
        providers.select_related("region")
        .prefetch_related(Prefetch("certifications", queryset=certifications))
        .iterator(chunk_size=BATCH_SIZE)
    )
    base = site_url.rstrip("/")
    for provider in batched:
        headline = provider.headline(on)
        verdict = headline.verdict
        certification = headline.certification
        body = certification.body if certification else None
        yield {
            "slug": provider.slug,
            "name": provider.name,
            "kind": provider.kind,
            "town": provider.town,
            "region": provider.region.label,
            "status": HEADLINE_SLUGS[headline.kind],
            "status_label": headline.label,
            "certificate_number": verdict.certificate_number if verdict else None,
            "body": body.name if body else None,
            "ukas_number": body.ukas_number if body else None,
            "certified_on": _iso(verdict.certified_on) if verdict else None,
            "valid_until": _iso(verdict.valid_until) if verdict else None,
            "regions": _names(certification.regions.all()) if certification else [],
            "populations": _names(certification.populations.all()) if certification else [],
            "settings": _names(certification.settings.all()) if certification else [],
            "specialist_content": (
                _names(certification.specialist_content.all()) if certification else []
            ),
            "url": f"{base}{provider.get_absolute_url()}",
        }


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
