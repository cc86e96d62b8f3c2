"""The unfiltered register's count comes from the cache, kept under the register's data
generation, so the number shown is never stale after a write (nothing clears it by hand)."""

import pytest
from django.core.cache import cache

from tests.factories import TrainingProviderFactory

# The count is worked out when the register's content is rendered, so render it every time.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_kept_content")]


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def shown_count(client, query=""):
    response = client.get(f"/providers/{query}")
    assert response.status_code == 200
    return response.context["paginator"].count


def test_unfiltered_count_is_cached_and_new_after_providers_change(client):
    TrainingProviderFactory.create_batch(3)
    assert shown_count(client) == 3

    provider = TrainingProviderFactory()
    assert shown_count(client) == 4

    provider.is_archived = True
    provider.save()
    assert shown_count(client) == 3


def test_unfiltered_count_is_not_queried_once_cached(client, django_assert_num_queries):
    TrainingProviderFactory.create_batch(2)
    shown_count(client)
    with django_assert_num_queries(4) as captured:  # generation, ids, accreditation, rows
        shown_count(client)
    assert not any("COUNT(" in query["sql"] for query in captured.captured_queries)


def test_filtered_lists_count_their_own_rows(client):
    TrainingProviderFactory(name="Alpha Training")
    TrainingProviderFactory(name="Beta Training")
    assert shown_count(client) == 2
    assert shown_count(client, "?q=alpha") == 1
    # An unrecognised filter is ignored, so the list is the whole register again.
    assert shown_count(client, "?status=nonsense") == 2
