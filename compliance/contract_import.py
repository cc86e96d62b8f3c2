"""Import a commissioner's contracts from a CSV file: read and check, preview, then apply.

Columns: reference, service provider (its name or CQC location ID), starts on, ends on
(optional), requires certified training (optional: yes by default). Dates as 2026-04-01 or
01/04/2026. Rows are numbered as a spreadsheet shows them (the header is row 1).

`read_contracts` writes nothing; `apply_contracts` checks again and writes every row or none.
Importing the same file twice changes nothing the second time: a contract is matched by its
reference. New contracts are claims, pending until the service provider confirms them, as when
added by hand; an existing contract keeps its service provider.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower

from pages.import_limits import ImportTooLarge, capped_records, check_size, check_text_size

from .models import Contract, ServiceProvider

COLUMNS = {
    "reference": "reference",
    "service_provider": "service_provider",
    "service": "service_provider",
    "starts_on": "starts_on",
    "start_date": "starts_on",
    "ends_on": "ends_on",
    "end_date": "ends_on",
    "requires_certified_training": "requires_certified_training",
}
REQUIRED_COLUMNS = ("reference", "service_provider", "starts_on")
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}


class UnreadableFile(Exception):
    """The file as a whole cannot be read (not CSV, too big, missing columns)."""


@dataclass
class ContractRow:
    number: int
    reference: str
    service_provider_text: str
    service_provider: ServiceProvider | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    requires_certified_training: bool = True
    contract: Contract | None = None  # the existing contract with this reference
    errors: list[str] = field(default_factory=list)

    @property
    def action(self):
        if self.errors:
            return "error"
        if self.contract is None:
            return "new"
        if (
            self.contract.starts_on,
            self.contract.ends_on,
            self.contract.requires_certified_training,
        ) == (self.starts_on, self.ends_on, self.requires_certified_training):
            return "unchanged"
        return "update"

    @property
    def asks_again(self):
        """Whether the update moves a confirmed contract's dates outwards, so that the service
        provider must confirm it again (Contract.save)."""
        contract = self.contract
        return (
            self.action == "update"
            and contract.confirmation == Contract.Confirmation.CONFIRMED
            and Contract.widens(contract.starts_on, contract.ends_on, self.starts_on, self.ends_on)
        )


@dataclass
class ContractImport:
    rows: list[ContractRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def row_errors(self):
        return [(row.number, error) for row in self.rows for error in row.errors]

    @property
    def is_valid(self):
        return bool(self.rows) and not self.errors and not self.row_errors

    @property
    def count_new(self):
        return self.count("new")

    def count(self, action):
        return sum(1 for row in self.rows if row.action == action)


def parse_date(text: str) -> date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"“{text}” is not a date: write it as 2026-04-01 or 01/04/2026")


def decode(raw: bytes) -> str:
    try:
        check_size(len(raw))
    except ImportTooLarge as error:
        raise UnreadableFile(str(error)) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile("The file is not UTF-8 text: save it as “CSV UTF-8”.") from None


def _records(text: str):
    if "\x00" in text:  # PostgreSQL cannot hold it, and no CSV file of contracts has one
        raise UnreadableFile("The file is not a CSV file (it contains binary data).")
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        lines = [next(reader, None)]
        if lines[0] is None:
            raise UnreadableFile("The file is empty.")
        lines += capped_records(reader)  # rows counted as they are read (pages.import_limits)
    except csv.Error as error:
        raise UnreadableFile(f"The file is not valid CSV: {error}.") from None
    except ImportTooLarge as error:
        raise UnreadableFile(str(error)) from None
    header = [COLUMNS.get(h.strip().lower().replace(" ", "_").replace("-", "_")) for h in lines[0]]
    missing = [c.replace("_", " ") for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise UnreadableFile("The file has no column for: " + ", ".join(missing) + ".")
    for number, values in enumerate(lines[1:], start=2):
        if not any(v.strip() for v in values):
            continue
        record = dict.fromkeys(COLUMNS.values(), "")
        for name, value in zip(header, values, strict=False):
            if name:
                record[name] = value.strip()
        yield number, record


def _service_providers(texts):
    """Service providers by lower-cased CQC location ID and by lower-cased name, in one query."""
    lowered = {t.lower() for t in texts if t}
    matches = ServiceProvider.objects.annotate(
        name_lower=Lower("name"), cqc_lower=Lower("cqc_location_id")
    ).filter(Q(name_lower__in=lowered) | Q(cqc_lower__in=lowered))
    by_cqc, by_name = {}, {}
    for service in matches:
        if service.cqc_lower:
            by_cqc[service.cqc_lower] = service
        by_name.setdefault(service.name_lower, []).append(service)
    return by_cqc, by_name


def read_contracts(commissioner, raw: bytes | str) -> ContractImport:
    """Read and check a file of contracts for `commissioner`. Writes nothing."""
    result = ContractImport()
    try:
        if isinstance(raw, bytes):
            text = decode(raw)
        else:  # posted back by the confirmation: the same caps
            check_text_size(raw)
            text = raw
        records = list(_records(text))
    except (UnreadableFile, ImportTooLarge) as error:
        result.errors.append(str(error))
        return result
    if not records:
        result.errors.append("The file has a header but no contracts.")
        return result
    by_cqc, by_name = _service_providers(r["service_provider"] for _, r in records)
    existing = {
        c.reference: c
        for c in Contract.objects.select_related("service_provider").filter(
            commissioner=commissioner, reference__in=[r["reference"] for _, r in records]
        )
    }
    seen = {}
    for number, record in records:
        row = ContractRow(number, record["reference"], record["service_provider"])
        _check_row(row, record, by_cqc, by_name, existing, seen)
        result.rows.append(row)
    return result


def _check_row(row, record, by_cqc, by_name, existing, seen):
    errors = row.errors
    if not row.reference:
        errors.append("Enter the contract reference")
    elif len(row.reference) > Contract._meta.get_field("reference").max_length:
        errors.append("The reference is longer than 60 characters")
    elif row.reference in seen:
        errors.append(f"The reference {row.reference} is also on row {seen[row.reference]}")
    else:
        seen[row.reference] = row.number
    key = row.service_provider_text.lower()
    if not key:
        errors.append("Enter the service provider's name or CQC location ID")
    elif key in by_cqc:
        row.service_provider = by_cqc[key]
    elif len(by_name.get(key, [])) == 1:
        row.service_provider = by_name[key][0]
    elif by_name.get(key):
        errors.append(
            f"More than one service provider is called “{row.service_provider_text}”: "
            "use its CQC location ID"
        )
    else:
        errors.append(
            f"No service provider is called “{row.service_provider_text}” "
            "or has that CQC location ID"
        )
    for name in ("starts_on", "ends_on"):
        if record[name]:
            try:
                setattr(row, name, parse_date(record[name]))
            except ValueError as error:
                errors.append(f"{name.replace('_', ' ').capitalize()}: {error}")
    if not record["starts_on"]:
        errors.append("Enter the date the contract starts")
    if row.starts_on and row.ends_on and row.ends_on < row.starts_on:
        errors.append("The contract cannot end before it starts")
    requires = record["requires_certified_training"].lower()
    if requires in YES or not requires:
        row.requires_certified_training = True
    elif requires in NO:
        row.requires_certified_training = False
    else:
        errors.append("Requires certified training: write yes or no")
    row.contract = existing.get(row.reference)
    if (
        row.contract is not None
        and row.service_provider is not None
        and row.contract.service_provider_id != row.service_provider.pk
    ):
        errors.append(
            f"Contract {row.reference} already exists for {row.contract.service_provider.name}"
        )


@transaction.atomic
def apply_contracts(commissioner, raw: bytes | str) -> ContractImport:
    """Check the file again and write every row, or nothing when any row has an error."""
    result = read_contracts(commissioner, raw)
    if not result.is_valid:
        return result
    for row in result.rows:
        if row.action == "new":
            Contract.objects.create(
                commissioner=commissioner,
                service_provider=row.service_provider,
                reference=row.reference,
                starts_on=row.starts_on,
                ends_on=row.ends_on,
                requires_certified_training=row.requires_certified_training,
            )
        elif row.action == "update":
            contract = row.contract
            contract.starts_on = row.starts_on
            contract.ends_on = row.ends_on
            contract.requires_certified_training = row.requires_certified_training
            contract.save(update_fields=["starts_on", "ends_on", "requires_certified_training"])
    return result
