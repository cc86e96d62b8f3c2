"""The public certificate check: /certificates/check/?number=…"""

import datetime as dt

import pytest
from django.urls import reverse

from certification.services import Certificate, move_certification, record_accreditation_change
from certification.statuses import AccreditationStatus, Status
from tests.factories import (
    CertificationBodyFactory,
    CertificationFactory,
    CurriculumFactory,
    Population,
    Setting,
    SpecialistContent,
    region,
    vocabulary,
)

pytestmark = pytest.mark.django_db

URL = "/certificates/check/"


def check(client, number, **extra):
    response = client.get(URL, {"number": number}, **extra)
    assert response.status_code == 200
    return response, response.content.decode()


def test_url_name_is_certification_check():
    assert reverse("certification:check") == URL


def test_without_a_number_the_page_shows_the_form_and_no_answer(client):
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label class="govuk-label" for="id_number">Certificate number</label>' in html
    assert 'method="get"' in html
    assert 'id="result"' not in html
    assert "govuk-error-summary" not in html


def test_valid_certificate_shows_body_ukas_number_dates_and_scope(client):
    body = CertificationBodyFactory(name="Good Cert Ltd", ukas_number="4321")
    certification = CertificationFactory(
        body=body,
        provider__name="Calm Approaches",
        certificate_number="RRN-0001",
        certified_on=dt.date(2025, 3, 3),
        valid_until=dt.date(2028, 3, 3),
    )
    certification.populations.set(vocabulary(Population, "autism"))
    certification.regions.set([region("london")])
    certification.curricula.set(
        [CurriculumFactory(provider=certification.provider, name="Safe Hands")]
    )
    _, html = check(client, "RRN-0001")
    assert '<strong class="govuk-tag govuk-tag--green" id="result-status">Valid</strong>' in html
    assert (
        "This certificate is valid. Calm Approaches is certified by Good Cert Ltd "
        "until 3 March 2028." in html
    )
    assert "4321" in html
    assert "3 March 2025" in html
    assert "Autistic people" in html
    assert "London" in html
    assert "Safe Hands" in html
    assert 'href="/certification-bodies/' in html


def test_number_is_normalised_and_the_permalink_uses_the_normal_form(client):
    CertificationFactory(certificate_number="RRN-0002")
    _, html = check(client, "  rrn - 0002 ")
    assert "Valid</strong>" in html
    assert (
        'href="http://testserver/certificates/check/?number=RRN-0002" id="result-permalink"' in html
    )
    assert "Link to this result" in html


def test_permalink_gives_the_same_answer(client):
    CertificationFactory(certificate_number="RRN-0003")
    _, first = check(client, "rrn-0003")
    _, again = check(client, "RRN-0003")
    assert "Valid</strong>" in first and "Valid</strong>" in again


def test_suspended_certificate_says_since_when(client):
    CertificationFactory(
        certificate_number="RRN-0004", status=Status.SUSPENDED, effective_date=dt.date(2025, 6, 1)
    )
    _, html = check(client, "RRN-0004")
    assert 'govuk-tag--red" id="result-status">Suspended</strong>' in html
    assert "This certificate has been suspended since 1 June 2025." in html


def test_withdrawn_certificate_says_when(client):
    certification = CertificationFactory(certificate_number="RRN-0005")
    move_certification(
        certification, Status.WITHDRAWN, effective_date=dt.date(2025, 9, 9), reason="Breach"
    )
    _, html = check(client, "RRN-0005")
    assert 'id="result-status">Withdrawn</strong>' in html
    assert "This certificate was withdrawn on 9 September 2025." in html


def test_certificate_past_its_end_date_reads_as_expired(client):
    CertificationFactory(
        certificate_number="RRN-0006",
        certified_on=dt.date(2020, 1, 1),
        valid_until=dt.date(2023, 1, 1),
    )
    _, html = check(client, "RRN-0006")
    assert 'id="result-status">Expired</strong>' in html
    assert "This certificate expired on 2 January 2023." in html


def test_certificate_is_not_valid_while_the_body_accreditation_is_suspended(client):
    certification = CertificationFactory(certificate_number="RRN-0007")
    record_accreditation_change(
        certification.body, AccreditationStatus.SUSPENDED, effective_date=dt.date(2026, 1, 1)
    )
    _, html = check(client, "RRN-0007")
    assert 'id="result-status">Not valid</strong>' in html
    assert "UKAS accreditation is suspended" in html


def test_replaced_number_after_renewal_points_to_the_new_number(client):
    certification = CertificationFactory(certificate_number="RRN-OLD")
    move_certification(
        certification,
        Status.CERTIFIED,
        effective_date=dt.date(2026, 1, 1),
        reason="Renewed",
        certificate=Certificate("RRN-NEW", dt.date(2026, 1, 1), dt.date(2029, 1, 1)),
    )
    _, html = check(client, "RRN-OLD")
    assert 'id="result-status">Replaced</strong>' in html
    assert "now has certificate number RRN-NEW" in html
    _, html = check(client, "RRN-NEW")
    assert 'id="result-status">Valid</strong>' in html


def test_unknown_number_says_so_with_status_200_and_echoes_it_safely(client):
    _, html = check(client, "<script>alert(1)</script>")
    assert "No certificate with this number is on the register." in html
    assert "<script>alert" not in html.lower()
    assert "&lt;SCRIPT&gt;ALERT(1)&lt;/SCRIPT&gt;" in html


def test_empty_number_asks_for_one(client):
    _, html = check(client, "   ")
    assert "govuk-error-summary" in html
    assert '<a href="#id_number">Enter a certificate number</a>' in html
    assert 'id="result"' not in html


@pytest.mark.parametrize(
    "bad",
    [
        "X" * 20_000,
        "RRN\x00-0001",
        "RRN-" + "1" * 41,
        "%%%",
        "🙂" * 50,
    ],
)
def test_bad_input_gives_a_form_error_or_an_answer_never_a_500(client, bad):
    response = client.get(URL, {"number": bad})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html or "No certificate with this number" in html


def test_over_long_number_is_refused_with_a_clear_message(client):
    _, html = check(client, "X" * 20_000)
    assert "Certificate numbers are 40 characters or fewer" in html
    assert "X" * 300 not in html.split("</form>")[1]


def test_nul_byte_is_refused(client):
    _, html = check(client, "RRN\x00-1")
    assert "govuk-input--error" in html


def test_non_utf8_and_repeated_query_strings_do_not_break_the_page(client):
    for query in ["number=%ff%fe%fd", "number=RRN-1&number=RRN-2", "number", "number=%00"]:
        response = client.get(URL, QUERY_STRING=query)
        assert response.status_code == 200, query


def test_check_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    certification = CertificationFactory(certificate_number="RRN-0100")
    certification.populations.set(Population.objects.all())
    certification.settings.set(Setting.objects.all())
    certification.specialist_content.set(SpecialistContent.objects.all())
    with django_assert_max_num_queries(12):
        check(client, "RRN-0100")
