"""The CSV export of a commissioner's overview: exactly the rows shown (filtered, sorted),
streamed, with cells made safe for spreadsheets (see `check_export.spreadsheet_safe`)."""

import csv

from .check_export import spreadsheet_safe
from .overview import state_key

COLUMNS = [
    "service_provider",
    "cqc_location_id",
    "region",
    "contracts",
    "requires_certified_training",
    "state",
    "reasons",
    "training_providers",
    "last_check_on",
    "last_check_outcome",
    "as_of",
]


def overview_row(row):
    service = row.service_provider
    if not row.shared:
        return _not_shared_row(row)
    last_check = row.last_check
    providers = [
        f"{a.arrangement.training_provider.name} ({a.headline.label})" for a in row.arrangements
    ]
    values = [
        service.name,
        service.cqc_location_id,
        service.region.label,
        "; ".join(c.reference for c in row.contracts),
        row.counted,
        "Not counted: certified training not required"
        if state_key(row) == "not_counted"
        else row.state.label,
        "; ".join(r.text for r in row.reasons),
        "; ".join(providers),
        last_check.checked_on.isoformat() if last_check else "",
        last_check.get_outcome_display() if last_check else "",
        row.on.isoformat(),
    ]
    return [spreadsheet_safe(v) for v in values]


def _not_shared_row(row):
    """A service that shares nothing with the commissioner: its contracts and their answers."""
    service = row.service_provider
    values = [
        service.name,
        service.cqc_location_id,
        service.region.label,
        "; ".join(c.reference for c in row.contracts),
        row.counted,
        "Not shared: " + "; ".join(c.consent_label() for c in row.contracts),
        "",
        "",
        "",
        "",
        row.on.isoformat(),
    ]
    return [spreadsheet_safe(v) for v in values]


class _Echo:
    def write(self, value):
        return value


def csv_lines(rows):
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    for row in rows:
        yield writer.writerow(overview_row(row))
