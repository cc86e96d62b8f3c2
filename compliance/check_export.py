"""The CSV export of a service's compliance checks (for inspectors), streamed.

Cells are made safe for spreadsheets: a value that a spreadsheet would run as a formula
(starting with =, +, -, @, a tab or a carriage return) is prefixed with an apostrophe.
"""

import csv

from django.utils import timezone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BATCH_SIZE = 500  # checks read from the database at a time

COLUMNS = [
    "checked_on",
    "training_provider",
    "route",
    "outcome",
    "seen_status",
    "seen_certificate_number",
    "seen_body_name",
    "seen_ukas_number",
    "seen_valid_until",
    "scope_covers_populations",
    "scope_covers_settings",
    "scope_covers_content",
    "evidence",
    "evidence_file_attached",
    "notes",
    "next_review_due",
    "checked_by",
    "recorded_at",
]


def spreadsheet_safe(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def check_row(check):
    arrangement = check.arrangement
    values = [
        check.checked_on.isoformat(),
        arrangement.training_provider.name,
        arrangement.get_route_display(),
        check.get_outcome_display(),
        check.seen_status,
        check.seen_certificate_number,
        check.seen_body_name,
        check.seen_ukas_number,
        check.seen_valid_until.isoformat() if check.seen_valid_until else "",
        check.scope_covers_populations,
        check.scope_covers_settings,
        check.scope_covers_content,
        check.evidence,
        bool(check.evidence_file),
        check.notes,
        check.next_review_due.isoformat(),
        check.checked_by.get_full_name(),
        timezone.localtime(check.recorded_at).isoformat(timespec="seconds"),
    ]
    return [spreadsheet_safe(v) for v in values]


class _Echo:
    def write(self, value):
        return value


def csv_lines(checks):
    """The header then one line per check, generated lazily: pass the queryset's
    `.iterator(chunk_size=BATCH_SIZE)`, so memory does not grow with the number of checks."""
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    for check in checks:
        yield writer.writerow(check_row(check))
