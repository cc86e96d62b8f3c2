"""The register's pages run a fixed number of queries, whatever the rows and the data size."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certification.models import Certification
from certification.statuses import Status
from providers import exports
from providers.views import TrainingProviderListView
from standards.models import Population, Region
from tests.factories import (
    CertificationBodyFactory,
    CertificationFactory,
    CurriculumFactory,
    TrainingProviderFactory,
)

# The budgets are measured with every cache off (tests/caches_off.py): for working the pages
# out afresh, not for serving them kept (tests/pages/test_content_cache.py).
pytestmark = pytest.mark.django_db
budgeted = pytest.mark.usefixtures("every_cache_off")

# The budgets, in one place. The list: the data generation (pages.content_cache), count, the
# page's ids (one query with the count where the database reads every match for either:
# TrainingProviderFilterSet.reads_every_match), the bodies' accreditation on the date
# (certification.headline_periods.accreditations_not_counting, applied to the periods when
# read), its rows from the headline periods (providers.register_rows); the vocabulary for the
# filter form (five lists) and the count of the unfiltered register (providers.counts), kept
# when the cache is on; the ids of the terms a filter names (the same kept lists, read again
# with the cache off). The unfiltered list runs 10; the costliest URL below (a region and a
# population) 15. An affiliate whose certificate ends soon with its parent's adds a fixed
# batch (the verdict's own data: providers, certifications, events, accreditation changes,
# parents' events and changes).
LIST_BUDGET = 15
AFFILIATE_ENDING_WITH_PARENT_EXTRA = 6
# When the cache is cold: the vocabulary for the filter form (five lists) and the count of
# the unfiltered register (providers.counts).
COLD_CACHE_EXTRA = 6
DETAIL_BUDGET = 22
# An export: the bodies' accreditation on the date and the providers' rows from their headline
# periods (one query, read from its cursor in batches); then each batch's scope, in one query
# (certification.scope_labels).
EXPORT_FIXED = 2
EXPORT_BUDGET_PER_BATCH = 1


def _register(n):
    """n providers, in the shapes a page meets: certified with scope, affiliates, suspended,
    working towards, none."""
    body = CertificationBodyFactory()
    autism = Population.objects.get(slug="autism")
    london = Region.objects.get(slug="london")
    parent = CertificationFactory(body=body)
    for i in range(n):
        provider = TrainingProviderFactory(name=f"Provider {i:03d}")
        provider.regions_served.add(london)
        shape = i % 4
        if shape == 0:
            certification = CertificationFactory(provider=provider, body=body)
            certification.populations.add(autism)
            certification.regions.add(london)
        elif shape == 1:
            CertificationFactory(
                provider=provider, body=body, role=Certification.Role.AFFILIATE, parent=parent
            )
        elif shape == 2:
            CertificationFactory(provider=provider, status=Status.SUSPENDED, body=body)
            CertificationFactory(provider=provider, status=Status.WITHDRAWN)


def _queries(client, url, stream=False):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
        assert response.status_code == 200
        if stream:
            b"".join(response.streaming_content)
    return len(context.captured_queries)


LIST_URLS = [
    "/providers/",
    "/providers/?status=certified&status=suspended&status=not_on_register&sort=status",
    "/providers/?q=provider&region=london&population=autism&sort=valid_until&ukas_valid=on",
    "/providers/?expiring=5000&page=2",
]


@budgeted
@pytest.mark.parametrize("url", LIST_URLS)
def test_list_queries_do_not_grow_with_the_data(client, url, django_assert_max_num_queries):
    _register(5)
    client.get(url)  # warm the vocabulary cache
    small = _queries(client, url)
    _register(45)
    client.get(url)  # re-warm: a new body cleared the bodies' cached list
    large = _queries(client, url)
    assert small == large
    with django_assert_max_num_queries(LIST_BUDGET):
        client.get(url)


@budgeted
def test_list_queries_do_not_grow_with_the_page_size(client, monkeypatch):
    _register(100)
    url = LIST_URLS[1]
    client.get(url)
    monkeypatch.setattr(TrainingProviderListView, "paginate_by", 10)
    ten = _queries(client, url)
    monkeypatch.setattr(TrainingProviderListView, "paginate_by", 100)
    response = client.get(url)
    assert len(response.context["rows"]) == 100
    hundred = _queries(client, url)
    assert ten == hundred <= LIST_BUDGET


@pytest.mark.usefixtures("without_kept_content")
def test_cold_cache_costs_a_fixed_six_queries(client):
    _register(5)
    client.get("/providers/")
    warm = _queries(client, "/providers/")
    cache.clear()
    assert _queries(client, "/providers/") == warm + COLD_CACHE_EXTRA


def _busy_provider(certifications):
    """A provider with `certifications` certifications, each with affiliates, scope, curricula
    and several events."""
    provider = TrainingProviderFactory(name="Busy Provider")
    provider.regions_served.add(Region.objects.get(slug="london"))
    for _ in range(certifications):
        certification = CertificationFactory(provider=provider)
        certification.populations.add(Population.objects.get(slug="autism"))
        certification.regions.add(Region.objects.get(slug="london"))
        for _ in range(2):
            CertificationFactory(
                role=Certification.Role.AFFILIATE, parent=certification, body=certification.body
            )
        curriculum = CurriculumFactory(provider=provider)
        curriculum.populations.add(Population.objects.get(slug="autism"))
        certification.curricula.add(curriculum)
    return provider


@budgeted
def test_detail_queries_do_not_grow_with_certifications_affiliates_or_history(
    client, django_assert_max_num_queries
):
    small = _busy_provider(1)
    small_count = _queries(client, small.get_absolute_url())
    Certification.objects.all()  # (nothing shared between the two providers but vocabulary)
    large = TrainingProviderFactory(name="Larger")
    for _ in range(4):
        certification = CertificationFactory(provider=large)
        certification.populations.add(Population.objects.get(slug="autism"))
        for _ in range(3):
            CertificationFactory(
                role=Certification.Role.AFFILIATE, parent=certification, body=certification.body
            )
        CertificationFactory(provider=large, status=Status.WITHDRAWN)
    for _ in range(4):
        CurriculumFactory(provider=large).populations.add(Population.objects.get(slug="autism"))
    large.regions_served.add(Region.objects.get(slug="london"))
    large_count = _queries(client, large.get_absolute_url())
    assert small_count == large_count
    with django_assert_max_num_queries(DETAIL_BUDGET):
        client.get(large.get_absolute_url())


@budgeted
@pytest.mark.parametrize("export", ["csv", "json"])
def test_export_queries_do_not_grow_with_the_data_within_a_batch(client, export):
    url = f"/providers/export.{export}?status=certified&status=suspended&status=not_on_register"
    _register(5)
    client.get("/providers/")  # warm the vocabulary cache
    small = _queries(client, url, stream=True)
    _register(45)
    large = _queries(client, url, stream=True)
    assert small == large <= EXPORT_FIXED + EXPORT_BUDGET_PER_BATCH


@budgeted
def test_export_queries_are_fixed_per_batch(client, monkeypatch):
    monkeypatch.setattr(exports, "BATCH_SIZE", 10)
    _register(40)  # 41 providers with the parent's: 5 batches of 10 or fewer
    client.get("/providers/")
    count = _queries(client, "/providers/export.csv", stream=True)
    batches = 5
    assert count <= EXPORT_FIXED + batches * EXPORT_BUDGET_PER_BATCH


@budgeted
def test_affiliates_ending_with_their_parent_cost_one_fixed_batch(client):
    """Their warning names whose certificate they end with, which the periods do not hold:
    those rows come from the verdict, in one batch however many there are."""
    import datetime as dt

    from django.utils import timezone

    CertificationFactory()
    plain = _queries(client, "/providers/")
    soon = timezone.localdate() + dt.timedelta(days=20)
    parent = CertificationFactory(valid_until=soon)

    def affiliates(n):
        for _ in range(n):
            CertificationFactory(
                provider=TrainingProviderFactory(),
                body=parent.body,
                role=Certification.Role.AFFILIATE,
                parent=parent,
            )

    affiliates(1)
    one = _queries(client, "/providers/")
    affiliates(20)
    many = _queries(client, "/providers/")
    assert one == many == plain + AFFILIATE_ENDING_WITH_PARENT_EXTRA
    warnings = {w for row in client.get("/providers/").context["rows"] for w in row.warnings}
    assert f"Certificate ends in 20 days, with {parent.provider.name}'s certificate" in warnings
