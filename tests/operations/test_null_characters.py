"""A NUL character anywhere in a request is 400 Bad Request (operations.null_characters):
PostgreSQL cannot hold or compare it, so without this it reached the database as a 500."""

import pytest

from compliance.models import Commissioner

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/providers/?q=%00",
        "/providers/?%00=1",
        "/certificates/check/?number=RRN%0012",
        "/providers/%00/",
        "/admin/certification/certification/?q=%00",
        "/admin/certification/certification/?status__exact=%00",
        "/admin/autocomplete/?term=%00&app_label=certification&model_name=certification"
        "&field_name=parent",
    ],
)
def test_a_nul_in_the_address_is_a_bad_request(client, superuser, url):
    client.force_login(superuser)
    assert client.get(url).status_code == 400


def test_a_nul_in_a_posted_form_is_a_bad_request_and_writes_nothing(client, superuser):
    client.force_login(superuser)
    response = client.post("/admin/compliance/commissioner/add/", {"name": "Borough\x00Council"})
    assert response.status_code == 400
    assert not Commissioner.objects.exists()


def test_a_request_without_a_nul_is_answered_as_usual(client):
    assert client.get("/providers/?q=care").status_code == 200
