"""Every API operation in the schema, with hostile path values, query parameters and JSON
bodies: never a server error, and every error is problem details JSON (house rule 3).

The operations and their parameters come from the OpenAPI schema itself, so a new operation
is walked as soon as it is described; tests/api/test_schema.py checks that every API URL is.
"""

import json
import logging

import pytest
from django.test import Client

from standards.models import StandardsEdition
from tests.api.body_tokens import auth, issue_token
from tests.factories import CertificationFactory

pytestmark = pytest.mark.django_db

HOSTILE = ["%00", "%FF", "1e3", "-1", "9" * 20, "x" * 10_000, "2026-02-30", "true", "[]", "%2F"]
HOSTILE_JSON = [
    None,
    [],
    "x",
    1e308,
    {"certificates": None},
    {"certificates": [None]},
    {"certificates": [["a"]]},
    {"certificates": [{"a": 1}]},
    {"certificates": ["\x00"]},
    {"certificates": ["x" * 10_000]},
    {"certificates": ["RRN-1"], "on": "9999-12-31"},
    {"certificates": ["RRN-1"], "on": 20260101},
    {"certificates": ["RRN-1"], "scope": []},
    {"certificates": ["RRN-1"], "scope": {"populations": "autism"}},
    {"certificates": ["RRN-1"], "scope": {"populations": ["\x00"]}},
    {"certificates": ["RRN-1"], "scope": {"unknown": ["x"]}},
]
# A certification body's writes (sent with its write token, below).
HOSTILE_WRITES = [
    {"provider": None},
    {"provider": "\x00", "effective_date": "2026-01-01", "reason": "x"},
    {"provider": "x" * 10_000},
    {"provider": ["a"], "reason": {"a": 1}, "effective_date": 20260101},
    {"effective_date": "9999-12-31", "registered_on": "0001-01-01"},
    {"reason": "\x00", "certificate_number": "\x00", "status": "certified"},
    {"certificate_number": "x" * 10_000, "status": "certified", "certified_on": "2026-02-30"},
    {"parent": "9" * 20, "curricula": ["9" * 20]},
    {"parent": -1, "curricula": [None], "populations": [None]},
    {"populations": "autism", "settings": {"a": 1}, "regions": ["\x00"]},
    {"populations": ["x"] * 10_000},
    {"role": "affiliate", "parent": 1, "standards_edition": "\x00"},
    {"to_status": None, "effective_date": None, "reason": None},
    {"to_status": "certified", "certified_on": "2026-01-01", "valid_until": "2025-01-01"},
    {"is_archived": "maybe", "status": "withdrawn", "body": "\x00"},
    {"certifications": None},
    {"certifications": [None, "x", 1, []]},
    {"certifications": [{}] * 101},
    {"certifications": [{"provider": "\x00"}] * 3},
]
HOSTILE_HEADERS = [
    {"HTTP_IF_MATCH": "\x00"},
    {"HTTP_IF_MATCH": "x" * 10_000},
    {"HTTP_IF_MATCH": ",,,W/"},
    {"HTTP_IDEMPOTENCY_KEY": "x" * 10_000},
    {"HTTP_IDEMPOTENCY_KEY": "\x00"},
    {"HTTP_IDEMPOTENCY_KEY": "k", "HTTP_IF_MATCH": "*"},
]


@pytest.fixture
def schema(client):
    return json.loads(client.get("/api/v1/schema/?format=json").content)


@pytest.fixture
def valid_values():
    certification = CertificationFactory()
    return {
        "slug": certification.provider.slug,
        "number": certification.certificate_number,
        "id": certification.pk,
    }, {
        "/api/v1/certification-bodies/{slug}/": {"slug": certification.body.slug},
        "/api/v1/standards/{slug}/": {"slug": StandardsEdition.objects.get(is_current=True).slug},
    }


@pytest.fixture
def _quiet_logs():
    logging.disable(logging.ERROR)
    yield
    logging.disable(logging.NOTSET)


def _check(response, failures, what):
    if response.status_code >= 500:
        failures.append(f"{what}: {response.status_code}")
    elif response.status_code >= 400 and response["Content-Type"] != "application/problem+json":
        failures.append(f"{what}: {response.status_code} {response['Content-Type']}")


@pytest.mark.usefixtures("_quiet_logs")
def test_no_api_operation_gives_a_server_error_or_a_non_problem_error(
    schema, valid_values, settings
):
    settings.API_THROTTLE_RATES = {"anonymous": "100000/minute", "verification": "100000/minute"}
    client = Client(raise_request_exception=False)
    defaults, per_path = valid_values
    failures = []
    walked = 0
    for path, operations in schema["paths"].items():
        values = {**defaults, **per_path.get(path, {})}
        for method, operation in operations.items():
            parameters = [p for p in operation.get("parameters", []) if p["in"] == "query"]
            path_names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]
            url = path.format(**values)
            for name in path_names:
                for value in HOSTILE:
                    hostile_url = path.format(**{**values, name: value})
                    response = client.generic(method.upper(), hostile_url)
                    _check(response, failures, f"{method} {hostile_url[:80]}")
                    walked += 1
            for parameter in parameters:
                for value in HOSTILE:
                    response = client.generic(
                        method.upper(),
                        f"{url}?{parameter['name']}={value}",
                        "{}" if method == "post" else "",
                        content_type="application/json",
                    )
                    _check(response, failures, f"{method} {url}?{parameter['name']}={value[:20]}")
                    walked += 1
            if method == "post":
                for body in HOSTILE_JSON:
                    response = client.post(url, json.dumps(body), content_type="application/json")
                    _check(response, failures, f"POST {url} {str(body)[:60]}")
                    walked += 1
                for raw, content_type in (
                    (b"\xff\xfe", "application/json"),
                    (b"{", "application/json"),
                    (b"a=1", "application/x-www-form-urlencoded"),
                    (b"", "application/json"),
                ):
                    response = client.post(url, raw, content_type=content_type)
                    _check(response, failures, f"POST {url} raw {raw[:10]!r}")
                    walked += 1
            for other in ("put", "patch", "delete"):
                if other not in operations:
                    _check(client.generic(other.upper(), url), failures, f"{other} {url}")

    assert walked > 200, "the walk reached too few operations"
    assert not failures, "\n".join(failures)


@pytest.mark.usefixtures("_quiet_logs")
def test_no_body_write_gives_a_server_error_or_a_non_problem_error(schema, settings):
    """The certification bodies' operations, with the body's write token: hostile ids,
    query parameters (the list's filters and cursor), JSON bodies and headers (If-Match,
    Idempotency-Key)."""
    settings.API_THROTTLE_RATES = {
        **settings.API_THROTTLE_RATES,
        "token_anonymous": "100000/minute",
    }
    certification = CertificationFactory()
    client = Client(raise_request_exception=False, **auth(issue_token(certification.body)[1]))
    failures = []
    walked = 0
    for path, operations in schema["paths"].items():
        if not path.startswith("/api/v1/certifications/"):
            continue
        url = path.format(id=certification.pk)
        for method in operations:
            for value in HOSTILE:
                if "{id}" in path:
                    hostile_url = path.format(id=value)
                    response = client.generic(method.upper(), hostile_url, "{}", "application/json")
                    _check(response, failures, f"{method} {hostile_url[:80]}")
            for body in [*HOSTILE_JSON, *HOSTILE_WRITES]:
                for headers in [{}, *HOSTILE_HEADERS]:
                    response = client.generic(
                        method.upper(), url, json.dumps(body), "application/json", **headers
                    )
                    _check(response, failures, f"{method} {url} {str(body)[:60]} {headers}"[:200])
                    walked += 1
            for raw in (b"\xff\xfe", b"{", b""):
                response = client.generic(method.upper(), url, raw, "application/json")
                _check(response, failures, f"{method} {url} raw {raw[:10]!r}")
            # The list's filters and page parameters, as the token's body sends them.
            parameters = operations[method].get("parameters", [])
            for name in [p["name"] for p in parameters if p["in"] == "query"]:
                for value in [*HOSTILE, "", "working_towards&status=%00"]:
                    response = client.generic(method.upper(), f"{url}?{name}={value}")
                    _check(response, failures, f"{method} {url}?{name}={value[:20]}")
                    walked += 1

    assert walked > 500, "the walk reached too few operations"
    assert not failures, "\n".join(failures)
