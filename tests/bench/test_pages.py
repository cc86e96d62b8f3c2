"""bench/pages.py's API rows: what they ask, with the care home's token, is what the API
answers, and the texts the bench checks for are in those answers."""

import json

import pytest
from django.core.management import call_command

from api.models import ApiToken
from bench import pages


def test_each_bulk_verification_asks_a_different_set_of_real_numbers():
    numbers = [f"LD-{n:07d}-1" for n in range(250)]
    bodies = pages.verification_sets(numbers)
    assert len(bodies) == len(set(bodies)) == pages.VERIFICATION_SETS
    for body in bodies[:50]:
        asked = json.loads(body)["certificates"]
        assert len(asked) == len(set(asked)) == pages.VERIFICATION_BATCH
        assert set(asked) <= set(numbers)
    assert "\n" not in "".join(bodies)  # one request a line of bench/distinct.lua's file


@pytest.mark.django_db
def test_the_api_rows_are_answered_with_what_the_bench_checks_for(client):
    call_command("generate_load_data", "--providers", "220")
    described = {page["key"]: page for page in pages.pages()}
    distinct = pages.distinct_addresses()
    token = pages.credentials()["api"]["Authorization"]
    assert token.startswith("Bearer rrn_")
    (issued,) = ApiToken.objects.all()
    assert (issued.scope, issued.organisation.slug) == (ApiToken.Scope.READ, "load-service")
    auth = {"HTTP_AUTHORIZATION": token}

    listed = described["api_providers"]
    response = client.get(listed["path"], **auth)
    assert response.status_code == 200
    assert listed["expect"].encode() in response.content
    # The register's searches, asked of the API.
    assert distinct["api_providers"] == [
        path.replace("/providers/", "/api/v1/providers/", 1)
        for path in distinct["register_filtered"]
    ]
    for path in distinct["api_providers"][:5]:
        response = client.get(path, **auth)
        assert response.status_code == 200
        assert listed["distinct_expect"].encode() in response.content

    verifying = described["api_verifications"]
    asked = json.loads(verifying["body"])["certificates"]
    assert len(asked) == len(set(asked)) == pages.VERIFICATION_BATCH
    assert verifying["headers"] == {"Content-Type": "application/json"}
    for body, expected in [
        (verifying["body"], verifying["expect"]),
        (distinct["api_verifications"][0], None),
    ]:
        numbers = json.loads(body)["certificates"]
        response = client.post(verifying["path"], body, content_type="application/json", **auth)
        assert response.status_code == 200
        for text in expected or pages.verified(numbers):
            assert text.encode() in response.content
        assert [r["found"] for r in response.json()["results"]] == [True] * len(numbers)


@pytest.mark.django_db
def test_the_commissioner_overviews_are_on_days_its_contracts_are_current():
    """Every distinct overview address has services to work out: its date is one on which the
    load data's contracts are current (before them the page is empty, and cheap)."""
    from urllib.parse import parse_qs, urlsplit

    from django.utils import timezone

    from compliance.models import Contract
    from compliance.overview import SORT_CHOICES, STATE_CHOICES

    call_command("generate_load_data", "--providers", "220")
    addresses = pages.distinct_addresses()["commissioner_overview"]
    assert len(addresses) == len(set(addresses)) > 1000
    contracts = Contract.objects.filter(commissioner__slug="load-commissioner")
    asked = [parse_qs(urlsplit(address).query) for address in addresses]
    today = timezone.localdate()
    for query in asked[:200]:
        (on,) = query["on"]
        assert contracts.current_on(on).exists()
        assert on <= today.isoformat()
    assert {q["sort"][0] for q in asked} == {key for key, _ in SORT_CHOICES}
    assert {q.get("state", [""])[0] for q in asked} == {""} | {key for key, _ in STATE_CHOICES}
