"""The register's pages by headline read from the periods' index (providers.register_order):
the same pages, in the same order, as the general path (every provider joined to its period
of the day and sorted), and the periods' copies of each provider's name kept by their writer."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certification.models import HeadlinePeriod
from certification.services import record_accreditation_change
from certification.statuses import AccreditationStatus, Status
from providers import register_order
from providers.filters import TrainingProviderFilterSet
from providers.models import TrainingProvider
from tests.factories import CertificationFactory, TrainingProviderFactory

pytestmark = pytest.mark.django_db

URL = "/providers/"
# The general path's page of ids: the matches sorted.
_GENERAL_PAGE = 'SELECT "providers_trainingprovider"."id" AS "pk" FROM'
STATUSES = ("certified", "suspended", "working_towards", "expired", "withdrawn")


@pytest.fixture(autouse=True)
def _fresh_vocabulary_cache():
    cache.clear()


def days(n):
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def register():
    """64 providers: every headline on the register, names shared (ties go by id), certified
    ones ending on a few dates, one archived, and 8 not on the register, so the last page
    sorted by headline reaches the providers with no period of the day."""
    kinds = [Status.CERTIFIED] * 3 + [
        Status.SUSPENDED,
        Status.WORKING_TOWARDS,
        Status.EXPIRED,
        Status.WITHDRAWN,
    ]
    for n in range(55):
        status = kinds[n % len(kinds)]
        CertificationFactory(
            provider=TrainingProviderFactory(name=f"Provider {n % 20:02d}"),
            status=status,
            certified_on=days(-400),
            valid_until=days(30 * (n % 4) + 10),
        )
    for n in range(8):
        TrainingProviderFactory(name=f"Provider {n:02d}")
    CertificationFactory(provider=TrainingProviderFactory(name="Provider 00", is_archived=True))


def general_order(query):
    """Provider pages in the register's order as the general path reads them (every match
    joined to its period of the day and sorted)."""
    filterset = TrainingProviderFilterSet(
        QueryDict(query), queryset=TrainingProvider.objects.active()
    )
    return [
        TrainingProvider(slug=slug).get_absolute_url()
        for slug in filterset.qs.values_list("slug", flat=True)
    ]


def every_page(client, query):
    """[provider page] of every page of the list, the count it says, and whether each page
    read its ids from the periods' index."""
    ids, from_index, page = [], [], 1
    while True:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{URL}?{query}&page={page}")
        assert response.status_code == 200
        count = response.context["paginator"].count
        ids += [row.url for row in response.context["rows"]]
        sql = [q["sql"] for q in queries]
        by_index = any('"provider_name"' in q and "ORDER BY" in q for q in sql)
        by_sorting = any(q.startswith(_GENERAL_PAGE) and "ORDER BY" in q for q in sql)
        from_index.append(by_index and not by_sorting)
        if not response.context["page_obj"].has_next():
            return ids, count, from_index
        page += 1


@pytest.mark.parametrize(
    "query",
    ["sort=status", "sort=valid_until"]
    + [f"status={s}" for s in STATUSES]
    + [f"status={s}&sort={sort}" for s in STATUSES for sort in ("status", "valid_until")],
)
def test_every_page_is_the_general_orders(client, register, query):
    expected = general_order(query)
    ids, count, from_index = every_page(client, query)
    assert ids == expected
    assert count == len(expected)
    assert from_index[0]  # the index served the first page at least


def test_a_page_reaching_the_providers_with_no_period_is_read_the_general_way(client, register):
    ids, _count, from_index = every_page(client, "sort=status")
    assert len(ids) == 63 and from_index == [True, True, False]
    no_period = {
        p.get_absolute_url()
        for p in TrainingProvider.objects.active().filter(headline_periods__isnull=True)
    }
    assert set(ids[-8:]) == no_period  # last, in name order (the general path's)


def test_served_only_where_the_index_has_the_order():
    assert register_order.serves({}, "status", {}) is None
    assert register_order.serves({"status": ["expired"]}, "name", {}) == "expired"
    assert register_order.serves({}, "name", {}) is False  # the providers' own index
    assert register_order.serves({"status": ["certified", "expired"]}, "status", {}) is False
    assert register_order.serves({"status": ["not_on_register"]}, "status", {}) is False
    assert register_order.serves({"status": ["certified"], "q": "care"}, "status", {}) is False
    # A body's accreditation does not count: a stored headline is not what it reads as.
    assert register_order.serves({}, "status", {1: object()}) is False


def test_a_day_a_body_does_not_count_is_read_the_general_way(client, register):
    body = CertificationFactory(provider=TrainingProviderFactory(name="Zed")).body
    record_accreditation_change(
        body,
        AccreditationStatus.SUSPENDED,
        effective_date=timezone.localdate(),
        note="Suspended by UKAS",
    )
    for query in ("sort=status", "status=certified"):
        ids, count, from_index = every_page(client, query)
        assert ids == general_order(query) and count == len(ids)
        assert not any(from_index)


def test_a_renamed_provider_moves_in_the_order_by_headline(client, register):
    expired = TrainingProvider.objects.filter(headline_periods__headline=5)
    provider = expired.filter(name="Provider 19").first()
    provider.name = "Aaron Training"
    provider.save()
    assert set(provider.headline_periods.values_list("provider_name", flat=True)) == {
        "Aaron Training"
    }
    ids, _count, _from_index = every_page(client, "status=expired")
    assert ids == general_order("status=expired")
    ids, _count, _from_index = every_page(client, "sort=status")
    assert ids == general_order("sort=status")


def test_an_archived_provider_leaves_the_pages_and_the_count(client, register):
    provider = TrainingProvider.objects.filter(headline_periods__headline=1).first()
    provider.is_archived = True
    provider.save()
    assert not provider.headline_periods.filter(provider_archived=False).exists()
    ids, count, _from_index = every_page(client, "status=certified")
    assert provider.get_absolute_url() not in ids and count == len(
        general_order("status=certified")
    )


def test_a_save_that_changes_no_copy_writes_no_period(register):
    provider = TrainingProvider.objects.filter(headline_periods__isnull=False).first()
    before = set(provider.headline_periods.values_list("pk", flat=True))
    provider.description = "Edited by its staff."
    provider.save()
    assert set(HeadlinePeriod.objects.filter(provider=provider).values_list("pk", flat=True)) == (
        before
    )
