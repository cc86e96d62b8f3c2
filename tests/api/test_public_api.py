"""The public, read-only API: the register's answers as data (issue 17, part 1)."""

import datetime as dt

import pytest
from django.utils import timezone

from certification.services import move_certification
from certification.statuses import Status
from standards.models import Population
from tests.change_feed import wait_until_settled
from tests.factories import CertificationBodyFactory, CertificationFactory, TrainingProviderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def calm_minds():
    body = CertificationBodyFactory(name="Safe Cert Ltd", ukas_number="4242", slug="safe-cert")
    certification = CertificationFactory(
        provider=TrainingProviderFactory(name="Calm Minds", slug="calm-minds", town="Leeds"),
        body=body,
        certificate_number="RRN-2024-0061",
    )
    certification.populations.add(Population.objects.order_by("pk").first())
    return certification


def test_provider_list_gives_each_provider_its_headline(client, calm_minds):
    TrainingProviderFactory(name="Zed Training", slug="zed")

    response = client.get("/api/v1/providers/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    rows = response.json()["results"]
    assert [row["slug"] for row in rows] == ["calm-minds", "zed"]
    headline = rows[0]["headline"]
    assert headline["status"] == "certified"
    assert headline["label"] == "Certified"
    assert headline["certificate_number"] == "RRN-2024-0061"
    assert headline["body"] == "Safe Cert Ltd"
    assert headline["ukas_number"] == "4242"
    assert headline["certified_on"] == "2025-01-01"
    assert headline["valid_until"] == "2028-01-01"
    assert headline["scope"]["populations"] == [str(Population.objects.order_by("pk").first())]
    assert rows[1]["headline"]["status"] == "not_on_register"
    assert rows[0]["url"].endswith("/providers/calm-minds/")


def test_provider_list_answers_for_a_past_date(client, calm_minds):
    response = client.get("/api/v1/providers/?on=2024-12-31")

    headline = response.json()["results"][0]["headline"]
    assert headline["on"] == "2024-12-31"
    assert headline["status"] == "not_on_register"


def test_provider_list_warns_of_a_certificate_ending_soon(client, calm_minds):
    response = client.get("/api/v1/providers/?on=2027-12-02")

    assert response.json()["results"][0]["headline"]["warnings"] == ["Certificate ends in 30 days"]


def test_provider_list_uses_the_registers_filters(client, calm_minds):
    other = CertificationFactory(provider=TrainingProviderFactory(slug="suspended-one"))
    move_certification(
        other,
        Status.SUSPENDED,
        effective_date=dt.date(2026, 3, 1),
        reason="Complaint under investigation",
        today=max(dt.date(2026, 3, 1), timezone.localdate()),
    )

    suspended = client.get("/api/v1/providers/?status=suspended").json()["results"]
    searched = client.get("/api/v1/providers/?q=rrn 2024").json()["results"]
    by_body = client.get("/api/v1/providers/?body=safe-cert").json()["results"]

    assert [row["slug"] for row in suspended] == ["suspended-one"]
    assert suspended[0]["headline"]["reason"] == "Complaint under investigation"
    assert suspended[0]["headline"]["since"] == "2026-03-01"
    assert [row["slug"] for row in searched] == ["calm-minds"]
    assert [row["slug"] for row in by_body] == ["calm-minds"]


def test_a_filter_it_does_not_understand_is_a_problem_with_the_registers_message(client):
    response = client.get("/api/v1/providers/?status=shiny&on=yesterday")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400
    assert problem["errors"] == [
        {"field": "on", "message": "Enter the date as YYYY-MM-DD, for example 2026-12-01"}
    ]

    response = client.get("/api/v1/providers/?status=shiny")
    message = "“shiny” is not a status on the register, so it was not used"
    assert response.json()["errors"] == [{"field": "status", "message": message}]


@pytest.mark.parametrize("sort", ["name", "status", "valid_until"])
def test_cursor_pages_walk_the_whole_register_once_in_each_sort(client, sort):
    for n in range(7):
        provider = TrainingProviderFactory(name=f"Provider {n % 3}", slug=f"provider-{n}")
        if n % 2:
            CertificationFactory(provider=provider, valid_until=dt.date(2028, 1, 1 + n))

    seen = []
    url = f"/api/v1/providers/?page_size=2&sort={sort}"
    while url:
        answer = client.get(url).json()
        seen += [row["slug"] for row in answer["results"]]
        url = answer["next"]

    assert sorted(seen) == sorted(f"provider-{n}" for n in range(7))
    assert len(seen) == 7


def test_a_forged_cursor_is_a_problem_not_a_server_error(client):
    import base64

    for position in ("p=%00x", "p=abc&o=1", "o=99999999999999999999"):
        cursor = base64.b64encode(position.encode()).decode()
        for sort in ("name", "status"):
            response = client.get(f"/api/v1/providers/?sort={sort}&cursor={cursor}")
            assert response.status_code in (200, 404), (position, sort, response.status_code)
            assert response["Content-Type"].startswith("application/")


def test_provider_detail_has_certifications_and_history(client, calm_minds):
    move_certification(
        calm_minds,
        Status.SUSPENDED,
        effective_date=dt.date(2026, 3, 1),
        reason="Complaint under investigation",
        today=max(dt.date(2026, 3, 1), timezone.localdate()),
    )

    answer = client.get("/api/v1/providers/calm-minds/?on=2026-03-02").json()

    assert answer["headline"]["status"] == "suspended"
    assert answer["headline"]["label"] == "Suspended since 1 March 2026"
    (certification,) = answer["certifications"]
    assert certification["certificate_number"] == "RRN-2024-0061"
    assert certification["body"]["ukas_number"] == "4242"
    assert certification["status"] == "suspended"
    assert [entry["to_status"] for entry in certification["history"]] == [
        "suspended",
        "certified",
    ]
    assert certification["history"][0]["reason"] == "Complaint under investigation"


def test_an_unknown_provider_is_a_problem_details_404(client):
    response = client.get("/api/v1/providers/nobody/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Not found"
    assert "errors" not in response.json()
    assert client.get("/api/v1/providers/?format=xml").json()["detail"] == "Not found."


def test_an_unknown_api_address_is_a_problem_details_404_not_the_html_page(client):
    for url in ("/api/v1/nothing-here/", "/api/v2/providers/", "/api/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/problem+json", url


def test_certificate_by_number_is_the_certificate_checks_answer(client, calm_minds):
    response = client.get("/api/v1/certificates/rrn 2024 0061/")

    answer = response.json()
    assert response.status_code == 200
    assert answer["found"] is True
    assert answer["register_number"] == "RRN-2024-0061"
    assert answer["is_valid"] is True
    assert answer["label"] == "Valid"
    assert answer["provider"] == {"slug": "calm-minds", "name": "Calm Minds"}
    assert answer["sentence"].startswith("This certificate is valid.")
    assert client.get("/api/v1/certificates/RRN-0000/").status_code == 404


def test_certification_bodies_with_accreditation_history(client, calm_minds):
    answer = client.get("/api/v1/certification-bodies/safe-cert/").json()

    assert answer["ukas_number"] == "4242"
    assert answer["accreditation_counts"] is True
    assert answer["accreditation_history"] == [
        {"status": "accredited", "effective_date": "2018-01-01"}
    ]
    assert answer["accreditation"] == "UKAS accredited"
    listed = client.get("/api/v1/certification-bodies/?on=2017-01-01").json()
    assert listed[0]["accreditation_counts"] is False


def test_standards_and_vocabulary(client):
    editions = client.get("/api/v1/standards/").json()
    current = next(edition for edition in editions if edition["is_current"])
    detail = client.get(f"/api/v1/standards/{current['slug']}/").json()
    vocabulary = client.get("/api/v1/vocabulary/").json()

    assert detail["sections"][0]["standards"][0]["number"]
    assert any(section["standards"][0]["clauses"] for section in detail["sections"])
    assert {"slug": Population.objects.first().slug, "label": Population.objects.first().label} in (
        vocabulary["populations"]
    )
    assert set(vocabulary) == {"populations", "settings", "regions", "specialist_content"}


def test_change_feed_keeps_a_client_in_step_with_since(client, calm_minds):
    wait_until_settled()
    first = client.get("/api/v1/changes/").json()
    assert [c["to_status"] for c in first["results"] if c["kind"] == "status"] == ["certified"]
    assert first["more"] is False

    move_certification(
        calm_minds,
        Status.SUSPENDED,
        effective_date=dt.date(2026, 3, 1),
        reason="Complaint",
        today=max(dt.date(2026, 3, 1), timezone.localdate()),
    )
    wait_until_settled()
    after = client.get(f"/api/v1/changes/?since={first['next_since']}").json()

    assert [change["to_status"] for change in after["results"]] == ["suspended"]
    assert after["results"][0]["change"] == "Suspended (was Certified)"
    assert client.get(f"/api/v1/changes/?since={after['next_since']}").json()["results"] == []
    assert client.get("/api/v1/changes/?since=abc").status_code == 400


def test_api_is_throttled_per_client_address_with_retry_after(client, settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "anonymous": "2/minute"}

    codes = [client.get("/api/v1/vocabulary/").status_code for _ in range(3)]
    other = client.get("/api/v1/vocabulary/", REMOTE_ADDR="192.0.2.7")

    assert codes == [200, 200, 429]
    throttled = client.get("/api/v1/vocabulary/")
    assert throttled["Content-Type"] == "application/problem+json"
    assert int(throttled["Retry-After"]) > 0
    assert other.status_code == 200  # another address has its own count


def test_throttle_counts_the_address_the_trusted_proxy_saw_not_one_the_client_sent(
    client, settings
):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "anonymous": "1/minute"}
    settings.TRUSTED_PROXY_COUNT = 1

    first = client.get("/api/v1/vocabulary/", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.5")
    forged = client.get("/api/v1/vocabulary/", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.5")

    assert first.status_code == 200
    assert forged.status_code == 429


def test_provider_list_warnings_are_the_headlines_own(client):
    """The API's warnings come from the same periods as the register's page: for a certificate
    ending soon, an affiliate ending with its parent's certificate and one ending first
    itself, they are the verdict's."""
    from certification.models import Certification
    from providers.models import TrainingProvider

    today = timezone.localdate()
    parent = CertificationFactory(
        provider=TrainingProviderFactory(name="Parent ending soon"),
        valid_until=today + dt.timedelta(days=20),
    )
    CertificationFactory(
        provider=TrainingProviderFactory(name="Affiliate of the parent"),
        role=Certification.Role.AFFILIATE,
        parent=parent,
        body=parent.body,
    )
    CertificationFactory(provider=TrainingProviderFactory(name="Certified for long"))

    rows = client.get("/api/v1/providers/").json()["results"]

    expected = {
        p.slug: p.headline(today).warnings
        for p in TrainingProvider.objects.all().with_verdict_data()
    }
    assert {row["slug"]: row["headline"]["warnings"] for row in rows} == expected
    assert any("with Parent ending soon's certificate" in w for ws in expected.values() for w in ws)


def test_provider_list_rows_are_what_its_serializer_gives(client, calm_minds):
    """The list answers api.register's rows as they are (the serializer only describes them in
    the schema), so each must render exactly as the serializer's answer for it would: every
    field, in its order, written the same."""
    from rest_framework.renderers import JSONRenderer

    from api.register import page_rows
    from api.serializers import TrainingProviderSerializer
    from providers.models import TrainingProvider

    parent = CertificationFactory(provider=TrainingProviderFactory(name="Parent"))
    CertificationFactory(
        provider=TrainingProviderFactory(name="Affiliate"),
        role="affiliate",
        parent=parent,
        body=parent.body,
    )
    CertificationFactory(status=Status.SUSPENDED)
    TrainingProviderFactory(name="Not on it")
    ids = list(TrainingProvider.objects.order_by("name").values_list("pk", flat=True))
    for on in (timezone.localdate(), dt.date(2027, 12, 2), dt.date(2024, 12, 31)):
        rows = page_rows(ids, on, "http://testserver/")
        assert len(rows) == len(ids) == 5
        serialized = TrainingProviderSerializer(rows, many=True).data
        assert JSONRenderer().render(rows) == JSONRenderer().render(serialized)
