"""Bulk verification: POST /api/v1/verifications/ (issue 17, part 2)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certification.services import move_certification
from certification.statuses import Status
from standards.models import Population, Setting
from tests.factories import CertificationFactory, TrainingProviderFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/verifications/"


def verify(client, **body):
    return client.post(URL, body, content_type="application/json")


def test_each_number_is_answered_in_the_order_given_with_not_found_entries(client):
    valid = CertificationFactory(certificate_number="RRN-AAA-1")
    suspended = CertificationFactory(certificate_number="RRN-BBB-2")
    move_certification(
        suspended,
        Status.SUSPENDED,
        effective_date=dt.date(2026, 3, 1),
        reason="Complaint",
        today=max(dt.date(2026, 3, 1), timezone.localdate()),
    )

    response = verify(client, certificates=["rrn bbb 2", "RRN-NOPE", "rrn-aaa-1"], on="2026-06-01")

    assert response.status_code == 200
    answer = response.json()
    assert answer["on"] == "2026-06-01"
    results = answer["results"]
    assert [r["number"] for r in results] == ["RRNBBB2", "RRN-NOPE", "RRN-AAA-1"]
    assert [r["found"] for r in results] == [True, False, True]
    assert [r["is_valid"] for r in results] == [False, False, True]
    assert results[0]["status"] == "suspended"
    assert results[0]["register_number"] == "RRN-BBB-2"
    assert results[1]["label"] == "Not on the register"
    assert results[2]["provider"]["slug"] == valid.provider.slug
    assert all(r["scope_covers"] is None for r in results)


def test_required_scope_says_what_each_certificate_does_not_cover(client):
    autism = Population.objects.get(slug="autism")
    setting = Setting.objects.order_by("pk").first()
    covering = CertificationFactory(certificate_number="RRN-COVER")
    covering.populations.add(autism)
    covering.settings.add(setting)
    CertificationFactory(certificate_number="RRN-PART").populations.add(autism)

    results = verify(
        client,
        certificates=["RRN-COVER", "RRN-PART", "RRN-NONE"],
        scope={"populations": ["autism"], "settings": [setting.slug]},
    ).json()["results"]

    assert [r["scope_covers"] for r in results] == [True, False, False]
    assert results[1]["scope_missing"] == [str(setting)]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "certificates"),
        ({"certificates": []}, "certificates"),
        ({"certificates": ["RRN-1"] * 101}, "certificates"),
        ({"certificates": ["x" * 41]}, "certificates.0"),
        ({"certificates": "RRN-1"}, "certificates"),
        ({"certificates": ["RRN-1"], "on": "1 December"}, "on"),
        (
            {"certificates": ["RRN-1"], "scope": {"populations": ["no-such-term"]}},
            "scope.populations",
        ),
        ({"certificates": ["RRN-\x00"]}, "certificates.0"),
    ],
)
def test_a_request_it_cannot_answer_is_a_problem_naming_the_field(client, body, field):
    response = verify(client, **body)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert field in [error["field"] for error in response.json()["errors"]]


def test_a_body_that_is_not_json_is_a_problem(client):
    for data, content_type in (("{not json", "application/json"), ("a=1", "text/plain")):
        response = client.post(URL, data, content_type=content_type)
        assert response.status_code in (400, 415)
        assert response["Content-Type"] == "application/problem+json"


def test_verification_runs_the_same_queries_for_3_numbers_as_for_100(client):
    for n in range(30):
        CertificationFactory(
            provider=TrainingProviderFactory(), certificate_number=f"RRN-Q-{n:03d}"
        )
    scope = {"populations": ["autism"]}

    def count(numbers):
        verify(client, certificates=numbers, scope=scope)  # warm any caches
        with CaptureQueriesContext(connection) as queries:
            response = verify(client, certificates=numbers, scope=scope)
        assert response.status_code == 200
        assert len(response.json()["results"]) == len(numbers)
        return len(queries)

    few = count(["RRN-Q-000", "RRN-Q-001", "RRN-NOPE"])
    many = count([f"RRN-Q-{n:03d}" for n in range(30)] + [f"RRN-X-{n}" for n in range(70)])

    assert few == many
    assert many <= 9


def test_verification_has_its_own_lower_rate(client, settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "verification": "1/minute"}

    assert verify(client, certificates=["RRN-1"]).status_code == 200
    throttled = verify(client, certificates=["RRN-1"])

    assert throttled.status_code == 429
    assert "Retry-After" in throttled
    assert client.get("/api/v1/vocabulary/").status_code == 200
