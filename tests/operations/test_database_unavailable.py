"""When the database cannot be reached, a page or a download answers 503 with the "service
unavailable" page, never a 200 with a broken file: streamed downloads read their first batch
of rows before the response starts (pages.streamed_downloads, operations.database_unavailable)."""

import contextlib

import pytest
from django.db import OperationalError, connection
from django.http import StreamingHttpResponse
from django.urls import reverse

from tests.factories import (
    CertificationFactory,
    CommissionerFactory,
    ComplianceCheckFactory,
    ContractFactory,
    MembershipFactory,
    TrainingArrangementFactory,
)

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def database_down(table=""):
    """Every query (or every one reading `table`) fails as an unreachable database does."""

    def fail(execute, sql, params, many, context):
        if table in sql:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail):
        yield


def body_of(response):
    if isinstance(response, StreamingHttpResponse):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def assert_unavailable(response):
    assert response.status_code == 503
    assert not isinstance(response, StreamingHttpResponse)
    assert "Sorry, the service is unavailable" in response.content.decode()
    assert response["Retry-After"] == "30"


@pytest.fixture
def register():
    CertificationFactory(provider__name="Calm Hands Training")


@pytest.mark.parametrize("name", ["providers:export_csv", "providers:export_json"])
def test_the_register_export_is_a_503_when_the_database_is_down(client, register, name):
    with database_down():
        response = client.get(reverse(name))
        assert_unavailable(response)


@pytest.mark.parametrize("name", ["providers:export_csv", "providers:export_json"])
def test_the_register_export_still_streams_every_row(client, register, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert "Calm Hands Training" in body_of(response)


def test_an_empty_export_still_has_its_header(client):
    response = client.get(reverse("providers:export_csv"))
    assert body_of(response).startswith("slug,name,")
    assert body_of(client.get(reverse("providers:export_json"))) == "[\n]\n"


def test_a_commissioners_overview_export_is_a_503_when_the_database_is_down(client):
    commissioner = CommissionerFactory()
    ContractFactory(commissioner=commissioner)
    client.force_login(MembershipFactory.of(commissioner).user)
    url = reverse("compliance:commissioner_export", args=[commissioner.slug])
    with database_down("compliance_contract"):
        assert_unavailable(client.get(url))
    assert client.get(url).status_code == 200


def test_a_services_check_export_is_a_503_when_the_database_is_down(client):
    check = ComplianceCheckFactory(
        arrangement=TrainingArrangementFactory(), evidence="Seen on the register"
    )
    service_provider = check.arrangement.service_provider
    client.force_login(MembershipFactory.of(service_provider).user)
    url = reverse("compliance:check_export", args=[service_provider.slug])
    with database_down("compliance_compliancecheck"):
        assert_unavailable(client.get(url))
    assert "Seen on the register" in body_of(client.get(url))


def test_any_page_is_a_503_when_the_database_is_down(client, register):
    with database_down():
        assert_unavailable(client.get(reverse("providers:list")))
