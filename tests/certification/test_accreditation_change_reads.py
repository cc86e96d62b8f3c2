"""An accreditation change is right everywhere the moment it commits, and the request that
records it does the same work whatever the number of certifications of the body (issue 15
item 4).

The stored headline periods do not hold the bodies' accreditation: the register's querysets
apply it when they read (certification.headline_periods). So a body of any size loses its
accreditation without a rebuild of its providers' periods, and no page, filter, export or API
answer in between reads an old verdict. Only the providers whose periods have it worked in
(a certificate of another body would become their headline) are rebuilt, in the same
transaction.
"""

import csv
import datetime as dt
import html
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certification.models import HeadlinePeriod
from certification.statuses import AccreditationStatus
from derived import writer
from tests.factories import CertificationBodyFactory, CertificationFactory, TrainingProviderFactory
from tests.form_dates import date_fields

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
SUSPENDED_LABEL = "Certified, but the certification body's UKAS accreditation is suspended"


def _certified(provider, body, valid_until=None):
    return CertificationFactory(
        provider=provider,
        body=body,
        certified_on=TODAY - dt.timedelta(days=100),
        valid_until=valid_until or TODAY + dt.timedelta(days=600),
    )


def _body_of(size):
    body = CertificationBodyFactory()
    for n in range(size):
        _certified(TrainingProviderFactory(name=f"Provider {body.pk}-{n:03}"), body)
    return body


@pytest.fixture
def rebuilt(monkeypatch):
    """The provider ids whose periods the writer rebuilds."""
    seen = set()
    rebuild = writer._writers[writer.PERIODS]

    def spy(keys):
        seen.update(keys)
        rebuild(keys)

    monkeypatch.setitem(writer._writers, writer.PERIODS, spy)
    return seen


def _periods_of(provider_ids):
    fields = [f.attname for f in HeadlinePeriod._meta.concrete_fields]
    return sorted(HeadlinePeriod.objects.filter(provider_id__in=provider_ids).values_list(*fields))


def _suspend_in_the_admin(client, superuser, body):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:certification_accreditationchange_add"),
        {
            "body": body.pk,
            "status": AccreditationStatus.SUSPENDED,
            **date_fields("effective_date", TODAY),
            "note": "UKAS sanction list",
        },
    )
    assert response.status_code == 302
    client.logout()


def test_an_accreditation_change_shows_everywhere_at_once_without_rebuilding_the_bodys_periods(
    client, superuser, rebuilt
):
    body = _body_of(6)
    single = list(body.certifications.select_related("provider"))
    # Also certified by another body, ending later than this one's: when this body loses its
    # accreditation the other certificate becomes the headline, so its periods have the
    # accreditation worked in and are rebuilt.
    both = TrainingProviderFactory(name="Two Bodies Training")
    _certified(both, body, valid_until=TODAY + dt.timedelta(days=900))
    other = _certified(both, CertificationBodyFactory(), valid_until=TODAY + dt.timedelta(days=300))
    assert set(
        HeadlinePeriod.objects.filter(embeds_accreditation=True).values_list(
            "provider_id", flat=True
        )
    ) == {both.pk}
    single_ids = [c.provider_id for c in single]
    stored_before = _periods_of(single_ids)
    rebuilt.clear()

    _suspend_in_the_admin(client, superuser, body)

    assert rebuilt == {both.pk}
    assert _periods_of(single_ids) == stored_before  # nothing of the body's was rewritten

    first = single[0]
    provider, number = first.provider, first.certificate_number
    label = html.escape(SUSPENDED_LABEL, quote=True)
    # The register: its filters and its rows.
    certified = client.get("/providers/", {"status": "certified"}).content.decode()
    not_valid = client.get("/providers/", {"status": "certified_not_valid"}).content.decode()
    ukas_valid = client.get("/providers/", {"ukas_valid": "on"}).content.decode()
    for certification in single:
        name = certification.provider.name
        assert name not in certified and name not in ukas_valid
        assert name in not_valid
    assert label in not_valid
    assert both.name in certified and both.name not in not_valid  # the other body's now
    # The provider page and the certificate check.
    page = client.get(provider.get_absolute_url()).content.decode()
    assert label in page
    check = client.get(reverse("certification:check"), {"number": number}).content.decode()
    assert label in check
    # The API: its list filters and rows, and the provider.
    rows = client.get("/api/v1/providers/", {"status": "certified_not_valid"}).json()["results"]
    assert {row["slug"] for row in rows} == {c.provider.slug for c in single}
    assert {row["headline"]["label"] for row in rows} == {SUSPENDED_LABEL}
    rows = client.get("/api/v1/providers/", {"status": "certified"}).json()["results"]
    assert [(row["slug"], row["headline"]["certificate_number"]) for row in rows] == [
        (both.slug, other.certificate_number)
    ]
    detail = client.get(f"/api/v1/providers/{provider.slug}/").json()
    assert detail["headline"]["label"] == SUSPENDED_LABEL
    # The export.
    export = b"".join(client.get("/providers/export.csv").streaming_content).decode()
    by_slug = {row["slug"]: row for row in csv.DictReader(io.StringIO(export))}
    assert by_slug[provider.slug]["status"] == "certified_not_valid"
    assert by_slug[provider.slug]["status_label"] == SUSPENDED_LABEL
    assert by_slug[provider.slug]["status_since"] == TODAY.isoformat()
    assert by_slug[both.slug]["certificate_number"] == other.certificate_number


def test_a_change_of_the_standard_a_body_is_accredited_to_is_right_at_once(client, rebuilt):
    body = _body_of(3)
    rebuilt.clear()

    body.accreditation_standard = "ISO/IEC 17021-1:2015"
    body.save()

    assert rebuilt == set()
    rows = client.get("/api/v1/providers/", {"status": "certified_not_valid"}).json()["results"]
    assert len(rows) == 3
    assert {row["headline"]["label"] for row in rows} == {
        "Certified, but the certification body's UKAS accreditation is not to ISO/IEC 17065"
    }


def _queries_recording_a_change(client, superuser, size):
    body = _body_of(size)
    client.force_login(superuser)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("admin:certification_accreditationchange_add"),
            {
                "body": body.pk,
                "status": AccreditationStatus.WITHDRAWN,
                **date_fields("effective_date", TODAY),
                "note": "Withdrawn by UKAS",
                **date_fields("verified_on", TODAY),
            },
        )
    assert response.status_code == 302
    return len(queries)


def test_recording_an_accreditation_change_does_the_same_work_for_a_body_of_any_size(
    client, superuser
):
    assert _queries_recording_a_change(client, superuser, 2) == _queries_recording_a_change(
        client, superuser, 25
    )


def test_a_change_rebuilds_only_periods_that_have_the_accreditation_worked_in_past_its_date(
    rebuilt,
):
    """A provider that held two bodies' certificates at once only in the past (it moved from
    one body to the other) is rebuilt by a change dated within that overlap, not by one
    dated today; and either way the register says what the verdict says."""
    from certification.services import record_accreditation_change
    from providers.models import TrainingProvider

    old_body, new_body = CertificationBodyFactory(), CertificationBodyFactory()
    moved = TrainingProviderFactory()
    CertificationFactory(
        provider=moved,
        body=old_body,
        certified_on=TODAY - dt.timedelta(days=1000),
        valid_until=TODAY - dt.timedelta(days=30),
    )
    _certified(moved, new_body)  # since 100 days ago: both were valid for 70 days
    embedded = HeadlinePeriod.objects.filter(provider=moved, embeds_accreditation=True)
    assert embedded.exists()
    assert max(p.ends_on for p in embedded) <= TODAY
    rebuilt.clear()

    record_accreditation_change(new_body, AccreditationStatus.SUSPENDED, effective_date=TODAY)
    assert rebuilt == set()
    record_accreditation_change(
        old_body, AccreditationStatus.WITHDRAWN, effective_date=TODAY - dt.timedelta(days=60)
    )
    assert rebuilt == {moved.pk}

    provider = TrainingProvider.objects.with_verdict_data().get(pk=moved.pk)
    for days_ago in (0, 1, 30, 31, 59, 60, 61, 99, 100, 101):
        day = TODAY - dt.timedelta(days=days_ago)
        read = TrainingProvider.objects.with_headline(day).get(pk=moved.pk)
        headline = provider.headline(day)
        assert (read.headline_rank, read.headline_label, read.headline_since) == (
            headline.kind,
            headline.label if headline.verdict else None,
            headline.since,
        ), day
