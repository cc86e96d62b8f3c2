"""A certification body lists its own certifications through the API (issue 17): only its
own, each as GET /api/v1/certifications/<id>/ answers it, filtered by provider, status,
archiving and certificate number, in cursor pages by id; bad filters and cursors are 400 and
404 problem details, never a server error."""

import base64

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.models import ApiToken
from certification.models import Certification
from certification.statuses import Status
from standards.models import Population, Setting
from tests.api.body_tokens import auth, issue_token
from tests.factories import (
    CertificationBodyFactory,
    CertificationFactory,
    CurriculumFactory,
    TrainingProviderFactory,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/certifications/"


@pytest.fixture
def body_a(db):
    return CertificationBodyFactory(name="Body A", slug="body-a")


@pytest.fixture
def body_b(db):
    return CertificationBodyFactory(name="Body B", slug="body-b")


@pytest.fixture
def get(client, body_a):
    """GET with body A's read-only token (reading needs no write scope)."""
    text = issue_token(body_a, ApiToken.Scope.READ)[1]

    def get(url):
        return client.get(url, **auth(text))

    return get


def ids(response):
    assert response.status_code == 200, response.content
    return [record["id"] for record in response.json()["results"]]


def errors_of(response):
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    return {error["field"]: error["message"] for error in response.json()["errors"]}


def cursor(query):
    """A cursor as DRF encodes one (base64 of its query string), to forge."""
    return base64.b64encode(query.encode()).decode()


def test_a_body_lists_only_its_own_certifications_each_as_its_record_reads(
    client, get, body_a, body_b
):
    ours = [CertificationFactory(body=body_a), CertificationFactory(body=body_a)]
    theirs = CertificationFactory(body=body_b, certificate_number="RRN-B-ONLY")

    response = get(URL)

    answer = response.json()
    assert ids(response) == [c.pk for c in ours]
    assert answer["next"] is None and answer["previous"] is None
    for record, certification in zip(answer["results"], ours, strict=True):
        assert record == get(f"{URL}{certification.pk}/").json()  # the same shape and ETag
        assert record["etag"] == get(f"{URL}{certification.pk}/")["ETag"]
    assert "RRN-B-ONLY" not in response.content.decode()
    b_token = issue_token(body_b)[1]
    assert ids(client.get(URL, **auth(b_token))) == [theirs.pk]


def test_a_body_with_no_certifications_lists_none(get, body_b):
    CertificationFactory(body=body_b)

    assert ids(get(URL)) == []


def test_the_filters_narrow_the_bodys_own_certifications(get, body_a, body_b):
    calm = TrainingProviderFactory(slug="calm-minds")
    certified = CertificationFactory(body=body_a, provider=calm, certificate_number="RRN-2026-0412")
    suspended = CertificationFactory(body=body_a, status=Status.SUSPENDED)
    working = CertificationFactory(body=body_a, status=Status.WORKING_TOWARDS)
    archived = CertificationFactory(body=body_a, status=Status.WITHDRAWN)
    Certification.objects.filter(pk=archived.pk).update(is_archived=True)
    CertificationFactory(body=body_b, provider=calm)  # B's, of the same provider

    assert ids(get(f"{URL}?provider=calm-minds")) == [certified.pk]
    assert ids(get(f"{URL}?status=suspended")) == [suspended.pk]
    assert ids(get(f"{URL}?status=suspended&status=working_towards")) == [
        suspended.pk,
        working.pk,
    ]
    assert ids(get(f"{URL}?is_archived=true")) == [archived.pk]
    assert ids(get(f"{URL}?is_archived=false")) == [certified.pk, suspended.pk, working.pk]
    # The current number, in any case or with any separators (as the certificate check).
    assert ids(get(f"{URL}?certificate_number=rrn+2026+0412")) == [certified.pk]
    assert ids(get(f"{URL}?certificate_number=RRN-2026-0413")) == []
    assert ids(get(f"{URL}?certificate_number=---")) == []  # no letters or digits: no number
    assert ids(get(f"{URL}?provider=calm-minds&status=suspended")) == []
    assert ids(get(f"{URL}?status=certified&is_archived=false&unknown=1")) == [certified.pk]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("status=shiny", "status", "Enter a status: working_towards, certified, suspended"),
        ("status=certified&status=%00", "status", "Enter a status"),
        ("is_archived=maybe", "is_archived", "Enter true or false"),
        ("is_archived=1", "is_archived", "Enter true or false"),
        ("provider=no-such-provider", "provider", "Enter the slug of a training provider"),
        ("provider=%00", "provider", "Null characters are not allowed"),
        ("provider=" + "x" * 10_000, "provider", "Enter the slug of a training provider"),
        ("certificate_number=" + "9" * 41, "certificate_number", "40 characters or fewer"),
        ("certificate_number=%00", "certificate_number", "Null characters are not allowed"),
    ],
)
def test_a_bad_filter_value_is_a_400_with_the_fields_error(get, body_a, query, field, message):
    CertificationFactory(body=body_a)

    errors = errors_of(get(f"{URL}?{query}"))

    assert field in errors and message in errors[field], errors


def test_another_bodys_provider_is_not_a_filter_a_body_may_use(get, body_b):
    """Refused as an unknown slug: it says nothing of what another body certifies."""
    CertificationFactory(body=body_b, provider=TrainingProviderFactory(slug="b-trainer"))

    assert "provider" in errors_of(get(f"{URL}?provider=b-trainer"))


def test_the_pages_give_every_certification_once_in_id_order_both_ways(get, body_a, body_b):
    ours = [CertificationFactory(body=body_a).pk for _ in range(7)]
    CertificationFactory(body=body_b)

    seen, url, pages = [], f"{URL}?page_size=3", []
    while url:
        response = get(url)
        pages.append(response.json())
        seen += ids(response)
        url = response.json()["next"]

    assert seen == ours
    assert [len(page["results"]) for page in pages] == [3, 3, 1]
    back = get(pages[-1]["previous"])
    assert ids(back) == ours[3:6]


def test_a_filter_is_kept_across_the_pages(get, body_a):
    suspended = [CertificationFactory(body=body_a, status=Status.SUSPENDED).pk for _ in range(3)]
    CertificationFactory(body=body_a)

    first = get(f"{URL}?status=suspended&page_size=2").json()
    second = get(first["next"])

    assert [r["id"] for r in first["results"]] + ids(second) == suspended


def test_a_page_size_out_of_range_gives_the_default_or_the_largest(get, body_a):
    CertificationFactory(body=body_a)

    for size in ("0", "-1", "x", "9" * 30, "500"):
        assert len(ids(get(f"{URL}?page_size={size}"))) == 1, size


@pytest.mark.parametrize(
    "value",
    [
        "not-a-cursor",
        "x" * 10_000,
        cursor("p=abc"),
        cursor("p=" + "9" * 19),
        cursor("p=%D9%A3"),  # ARABIC-INDIC DIGIT THREE: a digit, but not a position
        cursor("p=%00"),
        cursor("r=1&p=-1"),
    ],
)
def test_a_cursor_this_api_did_not_give_is_a_404_problem(get, body_a, value):
    CertificationFactory(body=body_a)

    response = get(f"{URL}?cursor={value}")

    assert response.status_code == 404, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == (
        "The cursor is not one this API gave: start again without it"
    )


def test_a_cursor_with_a_position_is_followed(get, body_a):
    first, second = CertificationFactory(body=body_a), CertificationFactory(body=body_a)

    assert ids(get(f"{URL}?cursor={cursor(f'p={first.pk}')}")) == [second.pk]


# --- query budget ------------------------------------------------------------------------


def _grow(body, count, tag):
    """`count` certifications of the body, each with more scope than the one before, a
    curriculum, and (every other one) a second event in its history."""
    for n in range(count):
        provider = TrainingProviderFactory(slug=f"{tag}-provider-{n}")
        certification = CertificationFactory(
            body=body, provider=provider, status=Status.SUSPENDED if n % 2 else Status.CERTIFIED
        )
        certification.populations.set(Population.objects.all()[: n + 1])
        certification.settings.set(Setting.objects.all()[:2])
        certification.curricula.set([CurriculumFactory(provider=provider)])


@pytest.mark.usefixtures("every_cache_off")
@pytest.mark.parametrize("query", ["", "?status=certified&status=suspended&is_archived=false"])
def test_listing_costs_the_same_queries_however_many_certifications(get, body_a, body_b, query):
    def queries():
        get(f"{URL}{query}")  # a first request's one-off work (the token's last use kept)
        with CaptureQueriesContext(connection) as context:
            response = get(f"{URL}{query}")
        return len(ids(response)), len(context)

    _grow(body_b, 2, "b")  # another body's: never read
    _grow(body_a, 2, "small")
    small = queries()
    _grow(body_a, 4, "large")
    large = queries()

    assert (small[0], large[0]) == (2, 6)
    # The token with its owner (1) and its body (1); the page with providers, body and
    # edition (1); the page's scope, curricula and history (6).
    assert small[1] == large[1] <= 9, (small, large)
