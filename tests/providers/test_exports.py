"""The register as open data: /providers/export.csv and /providers/export.json."""

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.http import StreamingHttpResponse

from certification.statuses import Status
from providers.exports import COLUMNS, neutralise
from standards.models import Population, Region
from tests.factories import CertificationBodyFactory, CertificationFactory, TrainingProviderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_vocabulary_cache():
    cache.clear()


def csv_rows(client, query=""):
    response = client.get("/providers/export.csv" + query)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    content = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(content)))


def json_rows(client, query=""):
    response = client.get("/providers/export.json" + query)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "application/json"
    return json.loads(b"".join(response.streaming_content))


def test_columns_are_the_documented_stable_set(client):
    TrainingProviderFactory()
    response = client.get("/providers/export.csv")
    header = b"".join(response.streaming_content).decode().splitlines()[0]
    assert header == (
        "slug,name,kind,town,region,status,status_label,status_since,status_reason,"
        "certificate_number,body,ukas_number,"
        "certified_on,valid_until,regions,populations,settings,specialist_content,url"
    )
    assert list(json_rows(client)[0]) == COLUMNS


def test_a_certified_provider_row(client):
    body = CertificationBodyFactory(name="Safe Cert Ltd", ukas_number="4242")
    certification = CertificationFactory(
        provider=TrainingProviderFactory(name="Calm Minds", slug="calm-minds", town="Leeds"),
        body=body,
        certificate_number="RRN-1",
    )
    certification.populations.add(
        *Population.objects.filter(slug__in=["autism", "learning-disability"])
    )
    certification.regions.add(Region.objects.get(slug="london"))
    (row,) = csv_rows(client)
    assert row == {
        "slug": "calm-minds",
        "name": "Calm Minds",
        "kind": "commercial",
        "town": "Leeds",
        "region": "London",
        "status": "certified",
        "status_label": "Certified",
        "status_since": "2025-01-01",
        "status_reason": "",
        "certificate_number": "RRN-1",
        "body": "Safe Cert Ltd",
        "ukas_number": "4242",
        "certified_on": "2025-01-01",
        "valid_until": "2028-01-01",
        "regions": "London",
        "populations": "People with learning disabilities; Autistic people",
        "settings": "",
        "specialist_content": "",
        "url": "http://testserver/providers/calm-minds/",
    }
    (item,) = json_rows(client)
    assert item["populations"] == ["People with learning disabilities", "Autistic people"]
    assert item["settings"] == []
    assert item["status"] == "certified"


def test_a_provider_not_on_the_register_has_empty_certificate_columns(client):
    TrainingProviderFactory(slug="nobody")
    (item,) = json_rows(client)
    assert item["status"] == "not_on_register"
    assert item["certificate_number"] is None
    assert item["body"] is None


def test_exports_honour_the_same_filters_as_the_list(client):
    CertificationFactory(provider=TrainingProviderFactory(name="Certified A"))
    CertificationFactory(
        provider=TrainingProviderFactory(name="Suspended B"), status=Status.SUSPENDED
    )
    TrainingProviderFactory(name="Nothing C")
    TrainingProviderFactory(name="Archived D", is_archived=True)
    query = "?status=certified&status=not_on_register&sort=status"
    listed = [row.name for row in client.get("/providers/" + query).context["rows"]]
    assert listed == ["Certified A", "Nothing C"]
    assert [row["name"] for row in csv_rows(client, query)] == listed
    assert [row["name"] for row in json_rows(client, query)] == listed
    assert [row["name"] for row in csv_rows(client, "?q=suspended")] == ["Suspended B"]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Calm = kind", "Calm = kind"),
        ("", ""),
    ],
)
def test_formula_cells_are_neutralised(cell, expected):
    assert neutralise(cell) == expected


def test_csv_cells_that_could_run_as_formulas_start_with_an_apostrophe(client):
    TrainingProviderFactory(name="=cmd|' /C calc'!A0", town="@Town")
    (row,) = csv_rows(client)
    assert row["name"] == "'=cmd|' /C calc'!A0"
    assert row["town"] == "'@Town"
    (item,) = json_rows(client)
    assert item["name"] == "=cmd|' /C calc'!A0"  # JSON is data, not a spreadsheet


def test_json_is_an_array_even_when_empty(client):
    assert json_rows(client) == []
    assert csv_rows(client) == []
