"""The public change feed: /providers/changes/ (HTML) and /providers/changes.atom."""

import datetime as dt
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from certification.services import move_certification
from tests.factories import CertificationBodyFactory, CertificationFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def changes():
    body_a = CertificationBodyFactory(name="Alpha Certification", slug="alpha")
    body_b = CertificationBodyFactory(name="Beta Certification", slug="beta")
    old = CertificationFactory(body=body_a, provider__name="Oldfield Training")
    new = CertificationFactory(body=body_b, provider__name="Newton Training")
    move_certification(
        new,
        "suspended",
        effective_date=dt.date(2026, 3, 1),
        reason="Trainers' own certificates lapsed",
        today=dt.date(2026, 3, 1),
    )
    return old, new


def test_feed_lists_changes_newest_first_with_reasons(client, changes):
    response = client.get("/providers/changes/")
    assert response.status_code == 200
    text = response.text
    assert text.index("Trainers&#x27; own certificates lapsed") < text.index("Oldfield Training")
    assert "Suspended (was Certified)" in text


def test_feed_filters_by_body_and_date_range(client, changes):
    by_body = client.get("/providers/changes/", {"body": "alpha"}).text
    assert "Oldfield Training" in by_body and "Newton Training" not in by_body
    by_date = client.get("/providers/changes/", {"since": "2026-02-01", "until": "2026-12-31"})
    assert "Suspended (was Certified)" in by_date.text
    assert "Oldfield Training" not in by_date.text


@pytest.mark.parametrize(
    "query",
    [
        {"since": "not-a-date"},
        {"body": "no-such-body"},
        {"until": "99999-01-01"},
        {"page": "x"},
        {"body": "\x00"},
        {"since_day": "9" * 10, "since_month": "1", "since_year": "2026"},
        {"since_day": "1", "since_month": "9" * 10, "since_year": "2026"},
    ],
)
def test_bad_filters_are_errors_not_500s(client, changes, query):
    response = client.get("/providers/changes/", query)
    assert response.status_code == 200
    atom = client.get("/providers/changes.atom", query)
    assert atom.status_code == 200


def test_archived_certifications_leave_the_feed(client, changes):
    old, _ = changes
    from certification.services import save_certification_edit

    save_certification_edit(old, expected_version=old.version, is_archived=True)
    assert "Oldfield Training" not in client.get("/providers/changes/").text


def test_atom_feed_lists_the_same_changes(client, changes):
    response = client.get(reverse("certification:changes_atom"), {"body": "beta"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    titles = [entry.find(f"{ATOM}title").text for entry in feed.iter(f"{ATOM}entry")]
    assert titles[0] == "Newton Training: Suspended (was Certified)"
    assert all("Oldfield" not in title for title in titles)


def test_feed_query_count_does_not_grow_with_rows(client, changes, django_assert_max_num_queries):
    client.get("/providers/changes/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get("/providers/changes/")
    budget = len(queries)
    for _ in range(30):
        CertificationFactory()
    with django_assert_max_num_queries(budget):
        client.get("/providers/changes/")
    with django_assert_max_num_queries(budget):
        client.get("/providers/changes.atom")
