"""On PostgreSQL the register's free-text search is served by trigram indexes, not a scan."""

import pytest
from django.db import connection

from providers.filters import TrainingProviderFilterSet
from providers.models import TrainingProvider

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes exist on PostgreSQL only (SQLite scans)")


def _plan(queryset):
    with connection.cursor() as cursor:
        # A tiny test table is cheaper to scan; forbid that to see whether an index CAN serve.
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_name_search_can_use_the_trigram_index():
    queryset = TrainingProvider.objects.filter(name__icontains="calm")
    assert "provider_name_trgm_idx" in _plan(queryset)


def test_town_and_postcode_prefix_searches_can_use_their_indexes():
    assert "provider_town_trgm_idx" in _plan(
        TrainingProvider.objects.filter(town__istartswith="le")
    )
    assert "provider_postcode_upper_idx" in _plan(
        TrainingProvider.objects.filter(postcode__istartswith="ls1")
    )


def test_the_register_search_uses_the_name_index():
    filterset = TrainingProviderFilterSet({"q": "calm"}, queryset=TrainingProvider.objects.all())
    assert "provider_name_trgm_idx" in _plan(filterset.qs)
