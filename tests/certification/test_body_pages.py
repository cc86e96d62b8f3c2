"""Public pages of the certification bodies: /certification-bodies/ and /<slug>/."""

import datetime as dt

import pytest
from django.urls import reverse

from certification.services import record_accreditation_change
from certification.statuses import AccreditationStatus, Status
from tests.factories import CertificationBodyFactory, CertificationFactory

pytestmark = pytest.mark.django_db


def test_url_names():
    assert reverse("certification:body_list") == "/certification-bodies/"
    assert reverse("certification:body_detail", args=["abc"]) == "/certification-bodies/abc/"


def test_list_shows_each_body_with_ukas_number_and_accreditation_today(client):
    CertificationBodyFactory(name="Alpha Certification", ukas_number="1111")
    suspended = CertificationBodyFactory(name="Beta Certification", ukas_number="2222")
    record_accreditation_change(
        suspended, AccreditationStatus.SUSPENDED, effective_date=dt.date(2026, 2, 1)
    )
    CertificationBodyFactory(name="Gamma Certification", ukas_number=None, accredited=False)
    html = client.get("/certification-bodies/").content.decode()
    assert "Alpha Certification" in html and "1111" in html
    assert '<strong class="govuk-tag govuk-tag--green">UKAS accredited</strong>' in html
    assert '<strong class="govuk-tag govuk-tag--red">UKAS accreditation suspended</strong>' in html
    assert "UKAS accreditation not recorded" in html
    assert (
        html.index("Alpha Certification")
        < html.index("Beta Certification")
        < html.index("Gamma Certification")
    )


def test_list_counts_what_each_body_certified(client):
    body = CertificationBodyFactory()
    CertificationFactory.create_batch(3, body=body)
    html = client.get("/certification-bodies/").content.decode()
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">3</td>' in html


def test_list_runs_the_same_queries_for_5_and_50_bodies(client, django_assert_num_queries):
    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/certification-bodies/").status_code == 200
        return len(ctx.captured_queries)

    CertificationBodyFactory.create_batch(5)
    few = count()
    CertificationBodyFactory.create_batch(45)
    assert count() == few
    assert few <= 4


def test_detail_shows_accreditation_today_and_its_history(client):
    body = CertificationBodyFactory(
        name="Alpha Certification", ukas_number="1111", last_verified_on=dt.date(2026, 1, 5)
    )
    record_accreditation_change(
        body, AccreditationStatus.SUSPENDED, effective_date=dt.date(2025, 5, 1), note="Audit"
    )
    record_accreditation_change(
        body, AccreditationStatus.ACCREDITED, effective_date=dt.date(2025, 7, 1)
    )
    html = client.get(body.get_absolute_url()).content.decode()
    assert '<h1 class="govuk-heading-l">Alpha Certification</h1>' in html
    assert 'id="accreditation-status">UKAS accredited</strong>' in html
    assert "ISO/IEC 17065:2012" in html
    assert "5 January 2026" in html  # last verified
    history = html.split('id="accreditation-history"')[1].split("</ul>")[0]
    # Newest first.
    assert (
        history.index("1 July 2025") < history.index("1 May 2025") < history.index("1 January 2018")
    )
    assert "UKAS accreditation suspended. Audit" in history


def test_detail_warns_when_accreditation_is_not_in_force(client):
    body = CertificationBodyFactory()
    record_accreditation_change(
        body, AccreditationStatus.WITHDRAWN, effective_date=dt.date(2026, 1, 1)
    )
    html = client.get(body.get_absolute_url()).content.decode()
    assert 'id="accreditation-status">UKAS accreditation withdrawn</strong>' in html
    assert "do not count as UKAS-accredited certification" in html


def test_detail_lists_what_the_body_certified_with_each_verdict(client):
    body = CertificationBodyFactory()
    CertificationFactory(body=body, provider__name="Aardvark Training", certificate_number="A-1")
    CertificationFactory(
        body=body,
        provider__name="Badger Training",
        certificate_number="B-1",
        status=Status.SUSPENDED,
    )
    CertificationFactory(provider__name="Other Body's Provider")
    html = client.get(body.get_absolute_url()).content.decode()
    assert "2 certifications on the register" in html
    assert "Aardvark Training" in html and "Badger Training" in html
    assert "Other Body's Provider" not in html
    assert '<strong class="govuk-tag govuk-tag--green">Certified</strong>' in html
    # The headline's words with its date (issue 14), as on the register.
    assert (
        '<strong class="govuk-tag govuk-tag--red">Suspended since 1 January 2025</strong>' in html
    )
    assert 'href="/providers/' in html


def test_detail_is_paginated_and_bad_page_numbers_never_500(client):
    body = CertificationBodyFactory()
    CertificationFactory.create_batch(30, body=body)
    first = client.get(body.get_absolute_url()).content.decode()
    assert 'class="govuk-pagination"' in first
    assert first.count('<tr class="govuk-table__row">') == 26  # header + 25
    second = client.get(body.get_absolute_url(), {"page": 2}).content.decode()
    assert second.count('<tr class="govuk-table__row">') == 6
    for page in ["-1", "abc", "999999", "0", "1" * 400, "\x00"]:
        assert client.get(body.get_absolute_url(), {"page": page}).status_code == 200, page


def test_detail_runs_the_same_queries_for_5_and_50_certifications(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    body = CertificationBodyFactory()

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(body.get_absolute_url()).status_code == 200
        return len(ctx.captured_queries)

    CertificationFactory.create_batch(5, body=body)
    few = count()
    CertificationFactory.create_batch(45, body=body)
    many = count()
    assert many == few
    assert few <= 8


def test_detail_query_budget(client, django_assert_max_num_queries):
    body = CertificationBodyFactory()
    parent = CertificationFactory(body=body)
    CertificationFactory.create_batch(3, body=body, role="affiliate", parent=parent)
    with django_assert_max_num_queries(8):
        assert client.get(body.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("slug", ["no-such-body", "x" * 2000, "%00", "..%2F..%2Fetc", "%ff%fe"])
def test_unknown_or_bad_slug_is_404(client, slug):
    assert client.get(f"/certification-bodies/{slug}/").status_code == 404
