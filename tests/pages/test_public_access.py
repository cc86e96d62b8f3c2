"""The public pages only read (GET/HEAD), and a server error shows the friendly 500 page.
Who may see them (everyone) is in the access-control matrix, tests/test_access_matrix.py."""

import pytest

from standards.models import StandardsEdition
from tests.factories import CertificationBodyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_urls():
    body = CertificationBodyFactory()
    edition = StandardsEdition.objects.get(is_current=True)
    return [
        "/",
        "/accessibility/",
        "/certificates/check/",
        "/certificates/check/?number=RRN-1",
        "/certification-bodies/",
        body.get_absolute_url(),
        "/standards/",
        edition.get_absolute_url(),
    ]


def test_public_pages_refuse_writes(client, public_urls):
    for url in public_urls:
        for method in ("post", "put", "delete"):
            response = getattr(client, method)(url)
            assert response.status_code in (403, 405), (method, url, response.status_code)
        assert client.head(url).status_code == 200, url


def test_a_server_error_shows_the_friendly_500_page(client):
    from unittest import mock

    client.raise_request_exception = False
    with mock.patch("pages.views.StartPageView.get_context_data", side_effect=RuntimeError):
        response = client.get("/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, there is a problem with the service" in html
    assert "RuntimeError" not in html
