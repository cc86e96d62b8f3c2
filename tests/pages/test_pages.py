"""Site-wide pages: the start page, the accessibility statement and the health check."""

import datetime as dt
from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.utils import timezone

from certification.models import CertificationEvent
from tests.factories import CertificationFactory

pytestmark = pytest.mark.django_db


def test_start_page_explains_the_register_and_searches_it(client):
    html = client.get("/").content.decode()
    assert "Find training certified against the RRN Training Standards" in html
    assert "Use this register if you:" in html
    assert '<form action="/providers/" method="get" role="search"' in html
    assert 'name="q" type="search"' in html
    for href in ["/providers/", "/certificates/check/", "/certification-bodies/", "/standards/"]:
        assert f'href="{href}"' in html


def test_start_page_says_when_the_data_was_last_updated(client):
    CertificationFactory()
    CertificationFactory()
    latest = CertificationEvent.objects.order_by("-recorded_at").first().recorded_at
    html = client.get("/").content.decode()
    expected = timezone.localtime(latest).date()
    assert f"Data last updated: {expected.day} {expected:%B %Y}" in html


def test_start_page_on_an_empty_register(client):
    html = client.get("/").content.decode()
    assert "No certifications have been recorded on the register yet." in html


def test_start_page_runs_one_query(client, django_assert_num_queries):
    CertificationFactory.create_batch(3)
    with django_assert_num_queries(1):
        client.get("/")


def test_accessibility_statement(client):
    response = client.get("/accessibility/")
    assert response.status_code == 200
    assert "Accessibility statement for the RRN Training Register" in response.content.decode()


def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_does_not(client):
    with mock.patch("pages.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"database unavailable\n"


def test_long_date_filter():
    from pages.templatetags.govuk import long_date

    assert long_date(dt.date(2027, 3, 3)) == "3 March 2027"
    assert long_date(None) == ""
    aware = dt.datetime(2027, 3, 3, 23, 30, tzinfo=dt.UTC)  # 3 March in London (GMT)
    assert long_date(aware) == "3 March 2027"
    summer = dt.datetime(2027, 7, 3, 23, 30, tzinfo=dt.UTC)  # already 4 July in London (BST)
    assert long_date(summer) == "4 July 2027"
