"""Every URL of the access-control matrix, signed in, answers `Cache-Control: private,
no-store` (accounts.private_responses); public pages seen anonymously keep their own caching.

The rows are the matrix's (tests/test_access_matrix.py), so a new page is covered the moment
it has rows there.
"""

import pytest
from django.utils.cache import get_max_age

from tests.test_access_matrix import LOGIN, ROWS, SIGNED_IN, World, request

MIDDLEWARE = "accounts.private_responses.PrivateResponsesNotStoredMiddleware"


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # evidence files
    return World()


def signed_in_actor(row):
    """A signed-in actor who gets the page itself (200) if there is one, else any."""
    getting_it = [actor for actor in SIGNED_IN if row.expect[actor] == 200]
    return (getting_it or SIGNED_IN)[0]


def cache_control(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


@pytest.mark.parametrize("row", [pytest.param(row, id=row.id) for row in ROWS])
def test_every_signed_in_response_is_private_and_not_stored(client, world, row):
    actor = signed_in_actor(row)
    world.acting_user = world.user(actor)
    client.force_login(world.acting_user)

    response = request(client, row, world)

    assert response.status_code == row.expect[actor], actor
    assert {"private", "no-store"} <= cache_control(response), response.get("Cache-Control")
    assert "public" not in cache_control(response)
    assert get_max_age(response) in (None, 0)


PUBLIC_ROWS = [row for row in ROWS if row.expect["anonymous"] != LOGIN]


@pytest.mark.parametrize("row", [pytest.param(row, id=row.id) for row in PUBLIC_ROWS])
def test_public_pages_seen_anonymously_keep_their_own_caching(client, world, settings, row):
    with_it = request(client, row, world)
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != MIDDLEWARE]
    without_it = request(client, row, world)

    assert with_it.status_code == without_it.status_code == row.expect["anonymous"]
    assert with_it.get("Cache-Control") == without_it.get("Cache-Control")


def test_the_register_seen_anonymously_is_not_marked_no_store(client, world):
    for url in ("/", "/providers/", "/providers/export.csv", "/standards/"):
        assert "no-store" not in cache_control(client.get(url)), url


def test_an_anonymous_visitor_sent_to_sign_in_is_not_stored_either(client, world):
    response = client.get("/compliance/")

    assert response.status_code == 302
    assert "no-store" in cache_control(response)
