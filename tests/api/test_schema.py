"""The API's OpenAPI description and its docs page (issue 17, part 7)."""

import json
import re

import pytest
import yaml
from openapi_spec_validator import validate

from certification.statuses import Status
from tests.test_access_matrix import url_patterns

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_schema_is_valid_openapi(schema):
    validate(schema)  # raises on an invalid document
    assert schema["openapi"].startswith("3.")


def test_the_yaml_schema_is_the_same_document(client, schema):
    response = client.get("/api/v1/schema/")

    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    assert yaml.safe_load(response.content) == schema


def test_every_api_operation_is_in_the_schema(schema):
    described = {re.sub(r"\{\w+\}", "{}", path) for path in schema["paths"]}
    operations = {
        re.sub(r"<(?:\w+:)?\w+>", "{}", route)
        for name, route, _ in url_patterns()
        if name and name.startswith("api:") and name not in ("api:schema", "api:docs")
    }
    assert operations == described


def test_the_schema_documents_the_registers_filters_and_problem_details(schema):
    parameters = {p["name"] for p in schema["paths"]["/api/v1/providers/"]["get"]["parameters"]}
    assert {"q", "status", "region", "body", "expiring", "sort", "on", "cursor"} <= parameters
    verification = schema["paths"]["/api/v1/verifications/"]["post"]
    assert "application/json" in verification["requestBody"]["content"]


def test_the_docs_page_is_served_by_the_site_inside_its_csp(client):
    response = client.get("/api/v1/docs/")
    html = response.content.decode()

    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "script-src 'self'" in policy
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all('src="/' in attrs and not body.strip() for attrs, body in scripts)
    assert "<style" not in html and " style=" not in html
    assert '<html lang="en-GB">' in html
    assert 'href="/api/v1/schema/"' in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    setup = client.get("/api/v1/docs/?script=")
    assert setup.status_code == 200
    assert setup["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in setup.content.decode()


def test_the_site_footer_links_to_the_api_docs(client):
    assert 'href="/api/v1/docs/"' in client.get("/accessibility/").content.decode()


def test_the_schema_documents_the_bodies_writes_headers_and_refusals(schema):
    paths = schema["paths"]
    create = paths["/api/v1/certifications/"]["post"]
    change = paths["/api/v1/certifications/{id}/"]["patch"]
    move = paths["/api/v1/certifications/{id}/status-moves/"]["post"]
    bulk = paths["/api/v1/certifications/bulk/"]["post"]

    def headers(operation):
        return {p["name"]: p for p in operation["parameters"] if p["in"] == "header"}

    assert "Idempotency-Key" in headers(create) and "Idempotency-Key" in headers(bulk)
    assert headers(change)["If-Match"]["required"] is True
    assert headers(move)["If-Match"].get("required", False) is False
    assert "ETag" in paths["/api/v1/certifications/{id}/"]["get"]["responses"]["200"]["headers"]
    assert {"400", "401", "403", "404", "412", "428"} <= set(change["responses"])
    assert {"400", "401", "403", "422"} <= set(create["responses"])
    assert "application/problem+json" in move["responses"]["412"]["content"]
    assert create["security"] == [{"apiToken": []}]


def test_the_schema_documents_a_bodys_list_of_its_certifications(schema):
    operation = schema["paths"]["/api/v1/certifications/"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"] if p["in"] == "query"}

    assert operation["operationId"] == "certifications_list"
    assert {"provider", "status", "is_archived", "certificate_number", "cursor"} <= set(parameters)
    assert set(parameters["status"]["schema"]["items"]["enum"]) == set(Status.values)
    assert parameters["is_archived"]["schema"]["type"] == "boolean"
    assert {"200", "400", "401", "403", "404"} <= set(operation["responses"])
    assert "application/problem+json" in operation["responses"]["400"]["content"]
    page = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    results = schema["components"]["schemas"][page.rsplit("/", 1)[1]]["properties"]["results"]
    assert results["items"] == {"$ref": "#/components/schemas/BodyCertification"}
    assert operation["security"] == [{"apiToken": []}]
