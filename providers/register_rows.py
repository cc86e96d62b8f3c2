"""The register's rows, from the providers' headline periods: plain values, no model instances.

A headline period, read through `with_headline` (which applies the bodies' accreditation on
the day), holds what `provider.headline(on)` shows (certification.headline_periods,
tests/providers/test_headline_sql.py), so a row of the register is one joined `values()` row:
no certifications, histories or accreditation changes are prefetched and no verdict is worked
out per row. An affiliate's row names its parent's provider (joined). The one thing neither
holds is which ancestor's certificate an affiliate's ends with, when that comes before its own
end and within the "ends soon" warning's reach: those rare rows take their headline from the
verdict itself, in one fixed batch of queries for the page.
"""

from dataclasses import dataclass, field

from django.urls import reverse

from certification.verdicts import (
    HEADLINE_LABELS,
    Headline,
    HeadlineKindShown,
    ending_warning_text,
    ends_with_an_ancestor_soon,
)
from pages.dates import long_date

from .querysets import HEADLINE_FIELDS

# Headlines whose reason is the one the body recorded (ProviderHeadline.recorded_reason).
_RECORDED_REASON_KINDS = (
    Headline.SUSPENDED,
    Headline.WORKING_TOWARDS,
    Headline.EXPIRED,
    Headline.WITHDRAWN,
)

# A period's values are read through `with_headline` (HEADLINE_FIELDS), so with its body's
# accreditation on the day applied: a certificate by a body whose accreditation does not count
# shows as "Certified, but …", never as plain "Certified".
_VALUES = {
    "pk": "pk",
    "slug": "slug",
    "name": "name",
    "town": "town",
    "region": "region__label",
    "rank": HEADLINE_FIELDS["headline"],
    "label": HEADLINE_FIELDS["label"],
    "certificate_number": HEADLINE_FIELDS["certificate_number"],
    "valid_until": HEADLINE_FIELDS["valid_until"],
    "ends_on": HEADLINE_FIELDS["certificate_ends_on"],
    "reason": HEADLINE_FIELDS["status_reason"],
    # Which certificate the period is about, its body and parent: not what accreditation
    # changes.
    "body": "_period_on__certification__body__name",
    "parent_id": "_period_on__certification__parent_id",
    "parent_provider": "_period_on__certification__parent__provider__name",
}


@dataclass(frozen=True)
class RegisterRow(HeadlineKindShown):
    """What the register shows of one provider, in the names its template reads."""

    url: str
    name: str
    town: str
    region: str
    kind: Headline
    label: str
    on_register: bool
    body: str = ""
    certificate_number: str | None = None
    valid_until: object = None
    recorded_reason: str = ""
    warnings: list = field(default_factory=list)

    # What the row's template writes, worked out here: a filter or a condition per value and
    # row costs the template engine more than the value itself.
    @property
    def place(self):
        return f"{self.town}, {self.region}" if self.town else self.region

    @property
    def certificate(self):
        return self.certificate_number or "none yet"

    @property
    def validity(self):
        """The validity as a row shows it: "Valid until 3 March 2027", or "Certificate end date
        …" when the certificate does not count today; "" with no end date."""
        if not self.valid_until:
            return ""
        words = "Valid until" if self.is_valid else "Certificate end date"
        return f"{words} {long_date(self.valid_until)}"

    def __getitem__(self, name):
        # The template engine tries `row[name]` before `row.name`: answering it spares an
        # exception raised and caught for each of a row's dozen lookups.
        try:
            return getattr(self, name)
        except AttributeError:
            raise KeyError(name) from None


# What a row is made from: `values()` of providers annotated by `with_headline`.
ROW_VALUES = tuple(_VALUES.values())


def register_rows(providers, on, order=None):
    """[RegisterRow] for `providers` (a page of the register, annotated with its headline on
    `on` by `with_headline`) on `on`, in the order of `order` (their ids) if given."""
    rows = rows_of(providers.values(*ROW_VALUES), on)
    return [rows[pk] for pk in order] if order is not None else list(rows.values())


def rows_of(values, on):
    """{pk: RegisterRow} of providers read as ROW_VALUES (by a caller that reads more of
    them), in their order."""
    url_prefix, url_suffix = reverse("providers:detail", args=["-"]).split("/-/")
    rows = {}
    affiliates = []
    for value in values:
        row = {name: value[column] for name, column in _VALUES.items()}
        kind = Headline(row["rank"])
        if ends_with_an_ancestor_soon(
            kind, row["parent_id"], row["ends_on"], row["valid_until"], on
        ):
            affiliates.append(row["pk"])
            rows[row["pk"]] = None  # its place, for the verdict's row below
            continue
        url = f"{url_prefix}/{row['slug']}/{url_suffix}"
        rows[row["pk"]] = _row_from_period(row, kind, url, on)
    if affiliates:
        rows.update(_rows_from_verdicts(affiliates, on, url_prefix, url_suffix))
    return rows


def _row_from_period(row, kind, url, on):
    common = {"url": url, "name": row["name"], "town": row["town"], "region": row["region"]}
    if kind == Headline.NOT_ON_REGISTER:
        return RegisterRow(**common, kind=kind, label=HEADLINE_LABELS[kind], on_register=False)
    warnings = []
    if kind == Headline.CERTIFIED and row["ends_on"] is not None:
        ending = ending_warning_text((row["ends_on"] - on).days)
        if ending:
            warnings.append(ending)
    if kind == Headline.CERTIFIED and row["parent_id"] is not None:
        warnings.append(f"Affiliate of {row['parent_provider']}")
    return RegisterRow(
        **common,
        kind=kind,
        label=row["label"],
        on_register=True,
        body=row["body"],
        certificate_number=row["certificate_number"],
        valid_until=row["valid_until"],
        recorded_reason=row["reason"] if kind in _RECORDED_REASON_KINDS else "",
        warnings=warnings,
    )


def _rows_from_verdicts(provider_ids, on, url_prefix, url_suffix):
    """{pk: RegisterRow} from the verdict itself (ProviderHeadline)."""
    from .models import TrainingProvider

    providers = TrainingProvider.objects.filter(pk__in=provider_ids).with_verdict_data()
    rows = {}
    for provider in providers:
        headline = provider.headline(on)
        verdict = headline.verdict
        rows[provider.pk] = RegisterRow(
            url=f"{url_prefix}/{provider.slug}/{url_suffix}",
            name=provider.name,
            town=provider.town,
            region=provider.region.label,
            kind=headline.kind,
            label=headline.label,
            on_register=verdict is not None,
            body=verdict.certification.body.name if verdict else "",
            certificate_number=verdict.certificate_number if verdict else None,
            valid_until=verdict.valid_until if verdict else None,
            recorded_reason=headline.recorded_reason,
            warnings=headline.warnings,
        )
    return rows
