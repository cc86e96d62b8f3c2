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


@pytest.fixture
def schema(client):
    return json.loads(client.get("/api/v1/schema/?format=json").content)


@pytest.fixture
def valid_values():
    certification = CertificationFactory()
    return {
        "slug": certification.provider.slug,
        "number": certification.certificate_number,
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
