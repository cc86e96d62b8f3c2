"""Every rule of verdicts.md gives the same answer in every place (issue 14).

Each case of the table builds one provider's history and names, for the dates that matter
(the day before, on and after a change), the headline the rule gives. On each date every place
is asked: the Python verdict, the stored headline periods, the register's status and
ukas_valid filters, the export, the provider page, the register page, the certificate check
and a service's arrangement verdict. They must say the same words, date and reason; and they
must say exactly the same again after `expire_certifications` has run.
"""

import datetime as dt
import html
import io
import re
from unittest import mock

import pytest
from django.core.management import call_command

from certification.certificate_check import check_certificate
from certification.models import Certification, HeadlinePeriod
from certification.services import (
    expire_due_certifications,
    move_certification,
    record_accreditation_change,
    save_certification_edit,
)
from certification.statuses import AccreditationStatus, Status
from certification.verdicts import EXPIRED_BY_DATE_REASON, Headline, long_date
from compliance.models import TrainingArrangement
from compliance.verdicts import ComplianceState, arrangement_verdict
from providers.exports import register_rows
from providers.filters import TrainingProviderFilterSet
from providers.models import TrainingProvider
from providers.querysets import HEADLINE_SLUGS
from tests.factories import (
    CertificationBodyFactory,
    CertificationFactory,
    ComplianceCheckFactory,
    TrainingArrangementFactory,
)

pytestmark = pytest.mark.django_db

CERTIFIED_ON = dt.date(2023, 4, 1)
VALID_UNTIL = dt.date(2026, 3, 31)
LATEST = dt.date(2026, 11, 30)  # the expiry job runs on this day
DAY = dt.timedelta(days=1)


def _certified(**kwargs):
    kwargs.setdefault("certified_on", CERTIFIED_ON)
    kwargs.setdefault("valid_until", VALID_UNTIL)
    kwargs.setdefault("provider__name", "Bright Skills Ltd")
    return CertificationFactory(**kwargs)


def _move(certification, status, on, reason):
    move_certification(certification, status, effective_date=on, reason=reason, today=LATEST)


# -- the cases: build() -> the certification whose provider is asked about -------------------


def certified_past_its_end():
    return _certified()


def suspended_then_past_its_end():
    certification = _certified()
    _move(certification, Status.SUSPENDED, dt.date(2026, 3, 1), "Surveillance audit findings")
    return certification


def suspension_recorded_after_its_end():
    certification = _certified()
    _move(certification, Status.SUSPENDED, dt.date(2026, 4, 10), "Recorded late")
    return certification


def body_accredited_to_another_standard():
    body = CertificationBodyFactory(accreditation_standard="ISO/IEC 17021-1:2015")
    return _certified(body=body)


def body_suspended_then_reinstated():
    certification = _certified()
    record_accreditation_change(
        certification.body, AccreditationStatus.SUSPENDED, effective_date=dt.date(2025, 6, 10)
    )
    record_accreditation_change(
        certification.body, AccreditationStatus.ACCREDITED, effective_date=dt.date(2025, 7, 1)
    )
    return certification


def withdrawn():
    certification = _certified()
    _move(certification, Status.WITHDRAWN, dt.date(2025, 9, 1), "Unsafe practice observed")
    return certification


def archived():
    certification = _certified()
    save_certification_edit(certification, expected_version=certification.version, is_archived=True)
    return certification


def affiliate_whose_parent_ends_sooner():
    parent = _certified(
        provider__name="Parent Training Ltd",
        certified_on=dt.date(2023, 1, 1),
        valid_until=dt.date(2025, 12, 31),
    )
    return _certified(role=Certification.Role.AFFILIATE, parent=parent, body=parent.body)


NOT_VALID_BODY = "Certified, but the certification body's UKAS accreditation is "

# case -> [(date, headline, label, since, reason, warnings)]
TABLE = {
    certified_past_its_end: [
        (VALID_UNTIL - DAY, Headline.CERTIFIED, "Certified", CERTIFIED_ON, "", ["1 day"]),
        (VALID_UNTIL, Headline.CERTIFIED, "Certified", CERTIFIED_ON, "", ["today"]),
        (
            VALID_UNTIL + DAY,
            Headline.EXPIRED,
            "Expired on 1 April 2026",
            VALID_UNTIL + DAY,
            EXPIRED_BY_DATE_REASON,
            [],
        ),
        (
            LATEST,
            Headline.EXPIRED,
            "Expired on 1 April 2026",
            VALID_UNTIL + DAY,
            EXPIRED_BY_DATE_REASON,
            [],
        ),
    ],
    suspended_then_past_its_end: [
        (dt.date(2026, 2, 28), Headline.CERTIFIED, "Certified", CERTIFIED_ON, "", ["31 days"]),
        (
            dt.date(2026, 3, 1),
            Headline.SUSPENDED,
            "Suspended since 1 March 2026",
            dt.date(2026, 3, 1),
            "Surveillance audit findings",
            [],
        ),
        (
            VALID_UNTIL,
            Headline.SUSPENDED,
            "Suspended since 1 March 2026",
            dt.date(2026, 3, 1),
            "Surveillance audit findings",
            [],
        ),
        (
            VALID_UNTIL + DAY,
            Headline.EXPIRED,
            "Expired on 1 April 2026",
            VALID_UNTIL + DAY,
            EXPIRED_BY_DATE_REASON,
            [],
        ),
    ],
    suspension_recorded_after_its_end: [
        (VALID_UNTIL, Headline.CERTIFIED, "Certified", CERTIFIED_ON, "", ["today"]),
        (
            dt.date(2026, 4, 9),
            Headline.EXPIRED,
            "Expired on 1 April 2026",
            VALID_UNTIL + DAY,
            EXPIRED_BY_DATE_REASON,
            [],
        ),
        (
            dt.date(2026, 4, 10),
            Headline.EXPIRED,
            "Expired on 1 April 2026",
            VALID_UNTIL + DAY,
            EXPIRED_BY_DATE_REASON,
            [],
        ),
        (
            dt.date(2026, 4, 11),
            Headline.EXPIRED,
            "Expired on 1 April 2026",
            VALID_UNTIL + DAY,
            EXPIRED_BY_DATE_REASON,
            [],
        ),
    ],
    body_accredited_to_another_standard: [
        (
            day,
            Headline.CERTIFIED_NOT_VALID,
            NOT_VALID_BODY + "not to ISO/IEC 17065",
            CERTIFIED_ON,
            "The certification body's UKAS accreditation is not to ISO/IEC 17065.",
            [],
        )
        for day in (CERTIFIED_ON, dt.date(2025, 1, 1), VALID_UNTIL)
    ],
    body_suspended_then_reinstated: [
        (dt.date(2025, 6, 9), Headline.CERTIFIED, "Certified", CERTIFIED_ON, "", []),
        (
            dt.date(2025, 6, 10),
            Headline.CERTIFIED_NOT_VALID,
            NOT_VALID_BODY + "suspended",
            dt.date(2025, 6, 10),
            "The certification body's UKAS accreditation is suspended.",
            [],
        ),
        (
            dt.date(2025, 6, 30),
            Headline.CERTIFIED_NOT_VALID,
            NOT_VALID_BODY + "suspended",
            dt.date(2025, 6, 10),
            "The certification body's UKAS accreditation is suspended.",
            [],
        ),
        (dt.date(2025, 7, 1), Headline.CERTIFIED, "Certified", CERTIFIED_ON, "", []),
    ],
    withdrawn: [
        (dt.date(2025, 8, 31), Headline.CERTIFIED, "Certified", CERTIFIED_ON, "", []),
        (
            dt.date(2025, 9, 1),
            Headline.WITHDRAWN,
            "Withdrawn on 1 September 2025",
            dt.date(2025, 9, 1),
            "Unsafe practice observed",
            [],
        ),
        (
            VALID_UNTIL + DAY,
            Headline.WITHDRAWN,
            "Withdrawn on 1 September 2025",
            dt.date(2025, 9, 1),
            "Unsafe practice observed",
            [],
        ),
    ],
    archived: [
        (day, Headline.NOT_ON_REGISTER, "Not on the register", None, "", [])
        for day in (CERTIFIED_ON - DAY, CERTIFIED_ON, dt.date(2025, 1, 1), VALID_UNTIL + DAY)
    ],
    affiliate_whose_parent_ends_sooner: [
        (
            dt.date(2025, 12, 11),
            Headline.CERTIFIED,
            "Certified",
            CERTIFIED_ON,
            "",
            ["20 days, with Parent Training Ltd's certificate", "Affiliate of Parent"],
        ),
        (
            dt.date(2025, 12, 31),
            Headline.CERTIFIED,
            "Certified",
            CERTIFIED_ON,
            "",
            ["today, with Parent Training Ltd's certificate", "Affiliate of Parent"],
        ),
        (
            dt.date(2026, 1, 1),
            Headline.CERTIFIED_NOT_VALID,
            "Certified, but the parent certification it is affiliated to is not valid",
            dt.date(2026, 1, 1),
            "The parent certification it is affiliated to is not valid.",
            [],
        ),
    ],
}


# -- the places ------------------------------------------------------------------------------


def _page_tag(client, url, element_id, day):
    with mock.patch("django.utils.timezone.localdate", return_value=day):
        content = client.get(url).content.decode()
    match = re.search(
        rf'id="{element_id}"[^>]*>\s*<strong class="govuk-tag[^"]*">([^<]*)<', content
    )
    return html.unescape(match.group(1)) if match else None, content


def answers(client, provider_pk, number, day):
    """{place: what it says} for one provider on one day."""
    provider = TrainingProvider.objects.with_verdict_data().get(pk=provider_pk)
    headline = provider.headline(day)
    said = {"python": (headline.kind, headline.label, headline.since, headline.reason)}

    # The stored period as the register reads it (its body's accreditation applied).
    period = HeadlinePeriod.objects.filter(
        provider_id=provider_pk, starts_on__lte=day, ends_on__gt=day
    ).exists()
    read = (
        TrainingProvider.objects.with_headline(day)
        .values("headline_rank", "headline_label", "headline_since", "headline_reason")
        .get(pk=provider_pk)
    )
    said["periods"] = (
        (Headline(read["headline_rank"]), *list(read.values())[1:])
        if period
        else (Headline.NOT_ON_REGISTER, "Not on the register", None, "")
    )

    in_lists = set()
    for kind, slug in HEADLINE_SLUGS.items():
        filterset = TrainingProviderFilterSet(
            {"status": [slug]}, queryset=TrainingProvider.objects.active(), on=day
        )
        if filterset.qs.filter(pk=provider_pk).exists():
            in_lists.add(kind)
    said["status filter"] = in_lists
    ukas = TrainingProviderFilterSet(
        {"ukas_valid": "on"}, queryset=TrainingProvider.objects.active(), on=day
    )
    said["ukas_valid filter"] = ukas.qs.filter(pk=provider_pk).exists()

    (row,) = register_rows(TrainingProvider.objects.filter(pk=provider_pk), day, "https://x/")
    said["export"] = (
        row["status"],
        row["status_label"],
        row["status_since"],
        row["status_reason"] or "",
    )

    said["provider page"], page = _page_tag(client, f"/providers/{provider.slug}/", "headline", day)
    said["provider page reason"] = (
        headline.recorded_reason in page if headline.recorded_reason else None
    )
    with mock.patch("django.utils.timezone.localdate", return_value=day):
        register = client.get("/providers/", {"q": provider.name}).content.decode()
    said["register row"] = html.escape(headline.label, quote=True) in register

    result = check_certificate(number, day)
    said["certificate check"] = result.headline.label if result.found else "Not on the register"

    arrangement = TrainingArrangement.objects.with_verdict_data().get(
        training_provider_id=provider_pk
    )
    verdict = arrangement_verdict(arrangement, day)
    said["arrangement"] = (verdict.state, [r.text for r in verdict.reasons])
    return said


def _expected_arrangement(kind, since, day):
    """The arrangement verdict the headline implies (the check is recorded on each day)."""
    if kind == Headline.CERTIFIED:
        return None  # compliant or action needed for an ending certificate: checked below
    date = long_date(since) if since else ""
    text = {
        Headline.SUSPENDED: f"certification suspended on {date}",
        Headline.EXPIRED: f"certification expired on {date}",
        Headline.WITHDRAWN: f"certification withdrawn on {date}",
        Headline.NOT_ON_REGISTER: "no certification on the register",
    }
    if kind == Headline.CERTIFIED_NOT_VALID:
        return ComplianceState.NOT_COMPLIANT, None
    return ComplianceState.NOT_COMPLIANT, [text[kind]]


@pytest.mark.parametrize("build", list(TABLE), ids=[f.__name__ for f in TABLE])
def test_every_place_gives_the_rule_s_answer_before_and_after_the_expiry_job(client, build):
    certification = build()
    provider_pk = certification.provider_id
    number = certification.certificate_number
    arrangement = TrainingArrangementFactory(
        training_provider=TrainingProvider.objects.get(pk=provider_pk),
        starts_on=dt.date(2020, 1, 1),
    )
    for day, *_ in TABLE[build]:
        ComplianceCheckFactory(arrangement=arrangement, checked_on=day)

    before = {}
    for day, kind, label, since, reason, warnings in TABLE[build]:
        said = answers(client, provider_pk, number, day)
        before[day] = said
        where = f"{build.__name__} on {day}"
        assert said["python"] == (kind, label, since, reason), where
        assert said["periods"] == said["python"], where
        assert said["status filter"] == {kind}, where
        assert said["export"] == (
            HEADLINE_SLUGS[kind],
            label,
            since.isoformat() if since else None,
            reason,
        ), where
        if kind == Headline.NOT_ON_REGISTER:
            assert said["certificate check"] == "Not on the register", where
        else:
            assert said["certificate check"] == label, where
            assert said["provider page"] == label, where
            assert said["register row"], where
        assert said["provider page reason"] in (None, True), where
        provider = TrainingProvider.objects.with_verdict_data().get(pk=provider_pk)
        headline = provider.headline(day)
        assert said["ukas_valid filter"] == bool(
            headline.verdict and headline.certification.body.accreditation_counts_on(day)
        ), where
        shown_warnings = headline.warnings
        assert len(shown_warnings) == len(warnings), (where, shown_warnings)
        for shown, expected in zip(shown_warnings, warnings, strict=True):
            assert expected in shown, (where, shown_warnings)
        state, reasons = said["arrangement"]
        expected = _expected_arrangement(kind, since, day)
        if expected is None:
            assert state != ComplianceState.NOT_COMPLIANT, where
        else:
            assert state == expected[0], where
            if expected[1] is not None:
                assert reasons == expected[1], where

    moved = expire_due_certifications(today=LATEST)
    call_command("expire_certifications", stdout=io.StringIO())  # and again: nothing to do
    for day, *_ in TABLE[build]:
        assert answers(client, provider_pk, number, day) == before[day], (build.__name__, day)
    if build in (certified_past_its_end, suspended_then_past_its_end):
        assert moved, "the job recorded the expiry the verdict already showed"


def test_the_expiry_job_records_the_expiry_the_verdict_already_showed():
    certification = suspended_then_past_its_end()
    (moved,) = expire_due_certifications(today=LATEST)
    event = moved.events.order_by("-effective_date", "-pk").first()
    assert (event.to_status, event.effective_date, event.reason) == (
        Status.EXPIRED,
        VALID_UNTIL + DAY,
        EXPIRED_BY_DATE_REASON,
    )
    assert Certification.objects.get(pk=certification.pk).status == Status.EXPIRED


def test_a_certificate_check_of_an_archived_certification_finds_nothing(client):
    certification = archived()
    assert not check_certificate(certification.certificate_number, dt.date(2025, 1, 1)).found
    response = client.get("/certificates/check/", {"number": certification.certificate_number})
    assert "No certificate with this number is on the register" in response.content.decode()


def test_an_archived_certification_is_off_the_body_page_and_its_count(client):
    body = CertificationBodyFactory(name="Counted Body")
    _certified(body=body, provider__name="Kept Training")
    gone = _certified(body=body, provider__name="Archived Training")
    save_certification_edit(gone, expected_version=gone.version, is_archived=True)
    content = client.get(body.get_absolute_url()).content.decode()
    assert "Kept Training" in content and "Archived Training" not in content
    assert "1 certification on the register" in content
    listing = client.get("/certification-bodies/").content.decode()
    counts = re.findall(r'govuk-table__cell--numeric">(\d+)<', listing)
    assert counts == ["1"]


def test_bringing_back_from_the_archive_restores_the_headline():
    certification = archived()
    provider = TrainingProvider.objects.with_verdict_data().get(pk=certification.provider_id)
    assert provider.headline(dt.date(2025, 1, 1)).kind == Headline.NOT_ON_REGISTER
    certification.refresh_from_db()
    save_certification_edit(
        certification, expected_version=certification.version, is_archived=False
    )
    provider = TrainingProvider.objects.with_verdict_data().get(pk=certification.provider_id)
    assert provider.headline(dt.date(2025, 1, 1)).kind == Headline.CERTIFIED
    assert TrainingProvider.objects.with_headline(dt.date(2025, 1, 1)).get(
        pk=provider.pk
    ).headline_rank == int(Headline.CERTIFIED)
