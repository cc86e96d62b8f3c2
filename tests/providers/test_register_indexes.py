"""Every register filter and sort can be answered from indexes on PostgreSQL (no full scans).

With sequential scans priced out (`enable_seqscan = off`), PostgreSQL still scans a table
whole when no index can serve the query; so a plan without "Seq Scan" on the register's big
tables shows an index exists for that filter or sort. The vocabulary tables are small lists
and may be scanned.
"""

import re

import pytest
from django.db import connection
from django.http import QueryDict
from django.utils import timezone

from providers.filters import TrainingProviderFilterSet
from providers.models import TrainingProvider
from standards.models import Population, Region, Setting, SpecialistContent
from tests.factories import CertificationFactory, CurriculumFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans are PostgreSQL's"),
]

BIG_TABLES = {
    "providers_trainingprovider",
    "providers_trainingprovider_regions_served",
    "providers_curriculum",
    "certification_certification",
    "certification_certification_populations",
    "certification_certification_settings",
    "certification_certification_regions",
    "certification_certification_specialist_content",
    "certification_certificationevent",
    "certification_headlineperiod",
}

QUERIES = [
    "",
    "sort=status",
    "sort=valid_until",
    "page=40",
    "q=alpha",
    "q=LD12",
    "q=RRN-00001",
    "status=certified",
    "status=not_on_register&status=expired",
    "region={region}",
    "population={population}",
    "setting={setting}",
    "specialist={specialist}",
    "body={body}",
    "kind=in_house",
    "ukas_valid=on",
    "expiring=90",
    "q=alpha&status=certified&region={region}&sort=valid_until",
]


@pytest.fixture
def register():
    """Slugs of real terms, for the filters to use."""
    for _ in range(3):
        certification = CertificationFactory()
        CurriculumFactory(provider=certification.provider)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "setting": Setting.objects.first().slug,
        "population": Population.objects.first().slug,
        "specialist": SpecialistContent.objects.first().slug,
        "region": Region.objects.first().slug,
        "body": certification.body.slug,
    }


def scanned_tables(plan):
    return set(re.findall(r"Seq Scan on (\w+)", plan))


@pytest.mark.parametrize("query", QUERIES)
def test_register_query_uses_indexes(register, query):
    filterset = TrainingProviderFilterSet(
        QueryDict(query.format(**register)),
        queryset=TrainingProvider.objects.active(),
        on=timezone.localdate(),
    )
    assert filterset.is_valid(), filterset.errors
    queryset = filterset.qs
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plans = [queryset[:25].explain(), queryset.order_by().explain()]
    full_scans = set().union(*(scanned_tables(plan) for plan in plans)) & BIG_TABLES
    assert full_scans == set(), "\n\n".join(plans)


def test_the_check_notices_a_full_scan(register):
    """The control: a filter on a column with no index (the description) shows its scan."""
    queryset = TrainingProvider.objects.filter(description__icontains="restraint")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    assert "providers_trainingprovider" in scanned_tables(queryset.explain())
