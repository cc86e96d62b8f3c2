"""Bulk import of a certification body's own certifications from CSV.

Upload → preview (every row's action: create / update / unchanged, and every error with its
row and column) → confirm. The confirmation re-reads the stored file and re-checks every row
against the database as it is then; it writes everything or nothing (one transaction), and the
same file imported twice changes nothing the second time.

A file holds at most settings.IMPORT_MAX_ROWS rows and IMPORT_MAX_BYTES bytes
(pages.import_limits), checked at upload and again when the stored file is previewed and
confirmed, and changes at most IMPORT_MAX_UPDATES certifications already on the register (each
is written on its own; new ones are written in bulk). Everything a row needs from the database
is looked up for the whole file at once. The rules are those of
`certification.services` (and the database constraints hold them too): new certifications
get their first event; status changes of existing ones go through `move_certification`.

Cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage
return) are refused on import and neutralised on export (`neutralise_formula`).
"""

import csv
import hashlib
import io
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db.models import Max
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from derived import writer
from pages.import_limits import ImportTooLarge, capped_records, check_size
from providers.models import TrainingProvider
from standards.models import Population, Region, Setting, SpecialistContent, StandardsEdition

from .certificate_numbers import certificate_key
from .headline_periods import providers_changed
from .models import Certification, CertificationEvent
from .register_changes import record_providers_added
from .services import (
    Certificate,
    move_certification,
    normalise_certificate_number,
    save_certification_edit,
)
from .statuses import ALLOWED_MOVES, CURRENT_STATUSES, STATUSES_WITH_CERTIFICATE, Status
from .verdicts import long_date

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

COLUMNS = [
    "provider_name",
    "provider_registration_number",
    "provider_kind",
    "provider_region",
    "certificate_number",
    "status",
    "certified_on",
    "valid_until",
    "effective_date",
    "reason",
    "populations",
    "settings",
    "regions",
    "specialist_content",
]
REQUIRED_COLUMNS = ["provider_name", "provider_kind", "provider_region", "status"]
SCOPE_COLUMNS = {
    "populations": Population,
    "settings": Setting,
    "regions": Region,
    "specialist_content": SpecialistContent,
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


class ImportFileError(ValueError):
    """The file as a whole cannot be read (size, encoding, not CSV, missing columns)."""


@dataclass
class RowError:
    row: int
    column: str | None
    message: str

    def __str__(self):
        where = f"Row {self.row}" + (f", column “{self.column}”" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class RowPlan:
    """What one row will do."""

    row: int
    provider_name: str
    action: str = UNCHANGED
    changes: list[str] = field(default_factory=list)
    provider: TrainingProvider | None = None
    new_provider: dict | None = None
    certification: Certification | None = None
    status: str = ""
    certificate: Certificate | None = None
    effective_date: date | None = None
    reason: str = ""
    scope: dict = field(default_factory=dict)


@dataclass
class ImportPlan:
    rows: list[RowPlan] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def is_valid(self):
        return not self.errors

    def count(self, action):
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self):
        return {action: self.count(action) for action in (CREATE, UPDATE, UNCHANGED)}

    def digest(self):
        """Fingerprint of the actions, to tell whether the preview still holds at confirm."""
        text = "\n".join(f"{r.row}:{r.action}:{','.join(r.changes)}" for r in self.rows)
        return hashlib.sha256(text.encode()).hexdigest()


def neutralise_formula(value):
    """A cell a spreadsheet would treat as a formula, made inert with a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def template_csv():
    """The header row and one example row, as downloaded from the admin."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerow(
        [
            "Example Training Ltd",
            "01234567",
            "commercial",
            "north-west",
            "RRN-00001",
            "certified",
            "2025-01-01",
            "2028-01-01",
            "",
            "",
            # Terms from the scope vocabulary (standards/loading.py): the template must pass
            # its own validation (tests/admin/test_certification_import.py).
            "learning-disability; autism",
            "health",
            "north-west; yorkshire-and-the-humber",
            "physical-restraint",
        ]
    )
    return out.getvalue()


def export_csv(certifications):
    """Certifications in the import format; every cell neutralised against formulas."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for c in certifications:
        writer.writerow(
            neutralise_formula(value)
            for value in [
                c.provider.name,
                c.provider.registration_number,
                c.provider.kind,
                c.provider.region.slug,
                c.certificate_number or "",
                c.status,
                c.certified_on or "",
                c.valid_until or "",
                "",
                "",
                "; ".join(t.slug for t in c.populations.all()),
                "; ".join(t.slug for t in c.settings.all()),
                "; ".join(t.slug for t in c.regions.all()),
                "; ".join(t.slug for t in c.specialist_content.all()),
            ]
        )
    return out.getvalue()


def decode_upload(data: bytes):
    """The uploaded bytes as text, or ImportFileError saying why not."""
    try:
        check_size(len(data))
    except ImportTooLarge as error:
        raise ImportFileError(str(error)) from error
    if not data.strip():
        raise ImportFileError("The file is empty")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            "The file is not UTF-8 text (a byte at position "
            f"{error.start} cannot be read): save it as “CSV UTF-8” and upload it again"
        ) from error


def sha256(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_rows(text):
    """(header, [(row number, {column: value})]); ImportFileError for unreadable CSV, or
    for more rows than one import may have (pages.import_limits: counted as they are read)."""
    if "\x00" in text:
        raise ImportFileError("The file is not a CSV file (it contains binary data)")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records = []
    try:
        header = next(reader, None)
        if header is None:
            raise ImportFileError("The file is empty")
        for record in capped_records(reader):
            records.append(record)
    except csv.Error as error:
        raise ImportFileError(
            f"Row {len(records) + 2}: the file is not valid CSV ({error})"
        ) from error
    except ImportTooLarge as error:
        raise ImportFileError(str(error)) from error
    header = [name.strip().lower() for name in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise ImportFileError(
            "Missing column(s): " + ", ".join(missing) + ": download the template for the "
            "expected columns"
        )
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        raise ImportFileError("Unknown column(s): " + ", ".join(unknown))
    if len(set(header)) != len(header):
        raise ImportFileError("A column appears twice in the header row")
    rows, errors = [], []
    for index, record in enumerate(records, start=2):
        if not any(cell.strip() for cell in record):
            continue  # blank lines are skipped
        if len(record) != len(header):
            errors.append(
                RowError(index, None, f"has {len(record)} cells; the header has {len(header)}")
            )
            continue
        rows.append((index, dict(zip(header, record, strict=True))))
    return header, rows, errors


def _parse_date(value):
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def _vocabulary(model):
    terms = {}
    for term in model.objects.all():
        terms[term.slug.lower()] = term
        terms[term.label.lower()] = term
    return terms


def _choice(value, choices):
    value = value.strip().lower()
    for key, label in choices:
        if value in (key.lower(), label.lower()):
            return key
    return None


class Importer:
    """Plans (and then applies) one CSV file for one body."""

    def __init__(self, body, user, *, today=None, source="CSV import"):
        self.body = body
        self.user = user
        self.today = today or timezone.localdate()
        self.source = source

    # --- planning -------------------------------------------------------------------

    def plan(self, text):
        """Check every row; return the ImportPlan. Raises ImportFileError for the file."""
        _, rows, errors = read_rows(text)
        plan = ImportPlan(errors=errors)
        self._load(rows)
        seen_numbers, seen_providers = {}, {}
        for row_number, cells in rows:
            row_plan = self._plan_row(row_number, cells, plan.errors)
            if row_plan is None:
                continue
            number = certificate_key(row_plan.certificate.number) if row_plan.certificate else None
            if number:
                if number in seen_numbers:
                    plan.errors.append(
                        RowError(
                            row_number,
                            "certificate_number",
                            f"the same certificate number is on row {seen_numbers[number]}",
                        )
                    )
                seen_numbers.setdefault(number, row_number)
            key = row_plan.provider.pk if row_plan.provider else row_plan.provider_name.lower()
            if key in seen_providers:
                plan.errors.append(
                    RowError(
                        row_number,
                        "provider_name",
                        f"this provider is already on row {seen_providers[key]}",
                    )
                )
            seen_providers.setdefault(key, row_number)
            plan.rows.append(row_plan)
        if not rows and not plan.errors:
            plan.errors.append(RowError(1, None, "the file has a header but no rows"))
        self._cap_updates(plan)
        return plan

    def _cap_updates(self, plan):
        """A change to a certification on the register is written row by row (its event,
        history and headline periods), unlike new ones: settings.IMPORT_MAX_UPDATES caps how
        many one file may make, so a confirmation stays inside the worker timeout."""
        limit = settings.IMPORT_MAX_UPDATES
        updates = [row for row in plan.rows if row.action == UPDATE]
        if len(updates) > limit:
            plan.errors.append(
                RowError(
                    updates[limit].row,
                    None,
                    f"the file changes {len(updates):,} certifications already on the "
                    f"register. Change at most {limit:,} at a time: split the file",
                )
            )

    def _load(self, rows):
        """Everything the rows need from the database, in a fixed number of queries."""
        names = {cells.get("provider_name", "").strip().lower() for _, cells in rows}
        numbers = {
            cells.get("provider_registration_number", "").strip()
            for _, cells in rows
            if cells.get("provider_registration_number", "").strip()
        }
        providers = list(
            TrainingProvider.objects.annotate(lname=Lower("name")).filter(lname__in=names)
        ) + list(TrainingProvider.objects.filter(registration_number__in=numbers))
        self.providers_by_number = {
            p.registration_number: p for p in providers if p.registration_number
        }
        self.providers_by_name = defaultdict(list)
        for provider in {p.pk: p for p in providers}.values():
            self.providers_by_name[provider.name.lower()].append(provider)
        certifications = (
            Certification.objects.filter(body=self.body, provider__in={p.pk for p in providers})
            .annotate(last_effective=Max("events__effective_date"))
            .prefetch_related(*SCOPE_COLUMNS)
            .order_by("pk")
        )
        self.current_by_provider = {}
        self.by_number = {}
        for certification in certifications:
            if certification.status in CURRENT_STATUSES:
                self.current_by_provider[certification.provider_id] = certification
            if certification.certificate_key:
                self.by_number[certification.certificate_key] = certification
        # By key: a number written with other separators (RRN/2024/0061 for RRN-2024-0061)
        # is the same certificate number.
        file_keys = {certificate_key(cells.get("certificate_number")) for _, cells in rows} - {None}
        self.numbers_elsewhere = dict(
            Certification.objects.filter(certificate_key__in=file_keys)
            .exclude(body=self.body)
            .values_list("certificate_key", "body__name")
        )
        self.numbers_taken = dict(
            Certification.objects.filter(certificate_key__in=file_keys, body=self.body).values_list(
                "certificate_key", "provider_id"
            )
        )
        self.regions = _vocabulary(Region)
        self.vocabularies = {name: _vocabulary(model) for name, model in SCOPE_COLUMNS.items()}
        self.edition = StandardsEdition.objects.filter(is_current=True).first()

    def _plan_row(self, row_number, cells, errors):
        row_errors = []

        def error(column, message):
            row_errors.append(RowError(row_number, column, message))

        for column, value in cells.items():
            if value.lstrip(" ").startswith(FORMULA_STARTS):
                error(
                    column,
                    f"starts with “{value.lstrip(' ')[0]!s}”: cells that a spreadsheet would "
                    "run as a formula are not accepted",
                )
        if row_errors:
            errors.extend(row_errors)
            return None
        cells = {column: value.strip() for column, value in cells.items()}
        name = cells.get("provider_name", "")
        plan = RowPlan(row=row_number, provider_name=name)
        if not name:
            error("provider_name", "enter the provider's name")
        if len(name) > 200:
            error("provider_name", "is longer than 200 characters")
        registration = cells.get("provider_registration_number", "")
        if len(registration) > 20:
            error("provider_registration_number", "is longer than 20 characters")
        kind = _choice(cells.get("provider_kind", ""), TrainingProvider.Kind.choices)
        if kind is None:
            error(
                "provider_kind",
                "must be one of: " + ", ".join(TrainingProvider.Kind.values),
            )
        region = self.regions.get(cells.get("provider_region", "").lower())
        if region is None:
            error("provider_region", f"unknown region “{cells.get('provider_region', '')}”")
        status = _choice(cells.get("status", ""), Status.choices)
        if status is None:
            error("status", "must be one of: " + ", ".join(Status.values))
        plan.status = status

        dates = {}
        for column in ("certified_on", "valid_until", "effective_date"):
            value = cells.get(column, "")
            if not value:
                dates[column] = None
                continue
            try:
                dates[column] = _parse_date(value)
            except ValueError:
                error(column, f"“{value}” is not a date; use YYYY-MM-DD, for example 2026-05-01")
                dates[column] = None
        number = normalise_certificate_number(cells.get("certificate_number"))
        if number and len(number) > 40:
            error("certificate_number", "is longer than 40 characters")
        needs_certificate = status in STATUSES_WITH_CERTIFICATE or status == Status.EXPIRED
        if needs_certificate:
            for column, value in (
                ("certificate_number", number),
                ("certified_on", dates["certified_on"]),
                ("valid_until", dates["valid_until"]),
            ):
                if not value and not any(e.column == column for e in row_errors):
                    error(column, f"a {status} certification needs this")
        if (
            dates["certified_on"]
            and dates["valid_until"]
            and dates["valid_until"] <= dates["certified_on"]
        ):
            error("valid_until", "must be after certified_on")
        if number and dates["certified_on"] and dates["valid_until"]:
            plan.certificate = Certificate(number, dates["certified_on"], dates["valid_until"])
        key = certificate_key(number)
        if key and key in self.numbers_elsewhere:
            error(
                "certificate_number",
                f"belongs to a certification by {self.numbers_elsewhere[key]}",
            )
        scope = {}
        for column, terms in self.vocabularies.items():
            value = cells.get(column, "")
            chosen = []
            for item in filter(None, (part.strip() for part in value.split(";"))):
                term = terms.get(item.lower())
                if term is None:
                    error(column, f"unknown term “{item}”")
                else:
                    chosen.append(term)
            scope[column] = {t.pk for t in chosen}
        plan.scope = scope
        plan.reason = cells.get("reason") or f"Recorded by {self.source}."
        if row_errors:
            errors.extend(row_errors)
            return None

        # Which provider and certification the row is about.
        provider = self.providers_by_number.get(registration) if registration else None
        if provider is None:
            same_name = self.providers_by_name.get(name.lower(), [])
            if len(same_name) > 1:
                error(
                    "provider_name",
                    "several providers have this name: add their registration number",
                )
            provider = same_name[0] if len(same_name) == 1 else None
        certification = None
        if key and key in self.by_number:
            certification = self.by_number[key]
            if provider is not None and certification.provider_id != provider.pk:
                error("certificate_number", "belongs to another provider's certification")
        elif key and key in self.numbers_taken:
            error("certificate_number", "belongs to another provider's certification")
        if certification is None and provider is not None:
            certification = self.current_by_provider.get(provider.pk)
        plan.provider = provider
        plan.certification = certification
        effective = dates["effective_date"]
        if effective is None:
            effective = (
                dates["certified_on"]
                if certification is None and plan.certificate and status == Status.CERTIFIED
                else self.today
            )
        if effective > self.today:
            error("effective_date", "cannot be in the future")
        plan.effective_date = effective

        if certification is None:
            plan.action = CREATE
            plan.changes = ["new certification"]
            if provider is None:
                plan.new_provider = {
                    "name": name,
                    "kind": kind,
                    "region": region,
                    "registration_number": registration,
                }
                plan.changes.insert(0, "new provider")
            first = Status.CERTIFIED if plan.certificate else Status.WORKING_TOWARDS
            if status != first and status not in ALLOWED_MOVES[first]:
                error("status", f"a new certification cannot start as {status}")
            if plan.certificate and plan.certificate.certified_on > effective:
                error("certified_on", "cannot be after the effective date")
        else:
            self._plan_update(plan, certification, status, error)
        if row_errors:
            errors.extend(row_errors)
            return None
        return plan

    def _plan_update(self, plan, certification, status, error):
        changes = []
        certificate = plan.certificate
        same_certificate = certificate is None or (
            certificate_key(certificate.number) == certification.certificate_key
            and certificate.certified_on == certification.certified_on
            and certificate.valid_until == certification.valid_until
        )
        if status != certification.status:
            changes.append(f"status {certification.status} → {status}")
            if status not in ALLOWED_MOVES[certification.status]:
                error(
                    "status",
                    f"a {certification.status} certification cannot move to {status}",
                )
            if status == Status.CERTIFIED and certificate is None:
                error("certificate_number", "certifying needs the certificate and dates")
        elif not same_certificate:
            if status == Status.CERTIFIED:
                changes.append("renewal: new certificate or dates")
            else:
                error(
                    "certificate_number",
                    f"a {status} certification's certificate cannot change; "
                    "only a move to certified sets a new one",
                )
        if (
            changes
            and certification.last_effective
            and (plan.effective_date < certification.last_effective)
        ):
            error(
                "effective_date",
                "cannot be before the last recorded change "
                f"({long_date(certification.last_effective)})",
            )
        for column in SCOPE_COLUMNS:
            current = {t.pk for t in getattr(certification, column).all()}
            if plan.scope[column] != current:
                changes.append(f"{column.replace('_', ' ')} changed")
        plan.changes = changes
        plan.action = UPDATE if changes else UNCHANGED

    # --- applying -------------------------------------------------------------------

    @writer.batch()  # each provider's periods worked out once, however many rows name it
    def apply(self, plan):
        """Write the plan: all rows or none (an exception rolls everything back)."""
        if not plan.is_valid:
            raise ValueError("An import with errors cannot be applied.")
        creates = [r for r in plan.rows if r.action == CREATE]
        self._create_providers([r for r in creates if r.new_provider])
        self._create_certifications(creates)
        for row in plan.rows:
            if row.action == UPDATE:
                self._update(row)
        return plan.counts

    def _create_providers(self, rows):
        if not rows:
            return
        wanted = [slugify(r.new_provider["name"])[:200] or "provider" for r in rows]
        candidates = {f"{base}-{n}" for base in wanted for n in range(2, 10)} | set(wanted)
        taken = set(
            TrainingProvider.objects.filter(slug__in=candidates).values_list("slug", flat=True)
        )
        providers = []
        for row, base in zip(rows, wanted, strict=True):
            slug, n = base, 1
            while slug in taken:
                n += 1
                slug = f"{base}-{n}" if n < 10 else f"{base}-{secrets.token_hex(3)}"
            taken.add(slug)
            providers.append(
                TrainingProvider(
                    name=row.new_provider["name"],
                    slug=slug,
                    kind=row.new_provider["kind"],
                    region=row.new_provider["region"],
                    registration_number=row.new_provider["registration_number"],
                )
            )
        created = bulk_create_with_history(
            providers, TrainingProvider, batch_size=500, default_user=self.user
        )
        record_providers_added(created)  # a bulk write sends no signal
        for row, provider in zip(rows, created, strict=True):
            row.provider = provider

    def _create_certifications(self, rows):
        if not rows:
            return
        certifications = []
        for row in rows:
            certificate = row.certificate
            status = row.status
            certifications.append(
                Certification(
                    provider=row.provider,
                    body=self.body,
                    standards_edition=self.edition,
                    status=status,
                    certificate_number=certificate.number if certificate else None,
                    certified_on=certificate.certified_on if certificate else None,
                    valid_until=certificate.valid_until if certificate else None,
                    registered_on=row.effective_date,
                )
            )
        created = bulk_create_with_history(
            certifications, Certification, batch_size=500, default_user=self.user
        )
        events = []
        through_rows = defaultdict(list)
        for row, certification in zip(rows, created, strict=True):
            row.certification = certification
            certificate = row.certificate
            first = Status.CERTIFIED if certificate else Status.WORKING_TOWARDS
            moves = [(None, first)] + ([(first, row.status)] if row.status != first else [])
            for from_status, to_status in moves:
                events.append(
                    CertificationEvent(
                        certification=certification,
                        from_status=from_status,
                        to_status=to_status,
                        effective_date=row.effective_date,
                        reason=row.reason,
                        certificate_number=certification.certificate_number,
                        certified_on=certification.certified_on,
                        valid_until=certification.valid_until,
                        recorded_by=self.user,
                    )
                )
            for column, pks in row.scope.items():
                through = getattr(Certification, column).through
                source = f"{Certification._meta.model_name}_id"
                target = f"{SCOPE_COLUMNS[column]._meta.model_name}_id"
                through_rows[column].extend(
                    through(**{source: certification.pk, target: pk}) for pk in pks
                )
        CertificationEvent.objects.bulk_create(events, batch_size=500)
        for column, objs in through_rows.items():
            getattr(Certification, column).through.objects.bulk_create(objs, batch_size=1000)
        # bulk_create sends no signals: reported to the one writer here (headline periods,
        # and a new data generation for kept content and counts).
        providers_changed(row.provider.pk for row in rows)
        writer.changed(writer.GENERATIONS, writer.REGISTER_DATA)

    def _update(self, row):
        certification = Certification.objects.get(pk=row.certification.pk)
        if row.status != certification.status or (
            row.certificate
            and row.status == Status.CERTIFIED
            and (
                certificate_key(row.certificate.number) != certification.certificate_key
                or row.certificate.certified_on != certification.certified_on
                or row.certificate.valid_until != certification.valid_until
            )
        ):
            certification = move_certification(
                certification,
                row.status,
                effective_date=row.effective_date,
                reason=row.reason,
                recorded_by=self.user,
                certificate=row.certificate if row.status == Status.CERTIFIED else None,
                today=self.today,
            )
        current = {
            column: set(getattr(certification, column).values_list("pk", flat=True))
            for column in SCOPE_COLUMNS
        }
        if current != row.scope:
            save_certification_edit(
                certification, expected_version=certification.version, recorded_by=self.user
            )
            for column, pks in row.scope.items():
                getattr(certification, column).set(pks)
