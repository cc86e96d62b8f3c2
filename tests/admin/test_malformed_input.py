"""The admin answers malformed ids, lookups and posted values as "not found", an incorrect
lookup or a form error, never a server error (tests/operations/test_hostile_input_walk.py
walks every admin page; these are the defects it found, one by one)."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group

from certification.models import CertificationImport
from compliance.models import Commissioner, Contract
from tests.factories import CertificationFactory, ComplianceCheckFactory, TrainingProviderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certification(body_a):
    return CertificationFactory(body=body_a)


def _pages_of_ids_that_are_no_ids(certification):
    body, provider = certification.body, certification.provider
    return [
        "/admin/certification/certification/abc/change-status/",
        "/admin/certification/certification/1e3/change-status/",
        "/admin/certification/certification/abc/history/",
        "/admin/certification/certificationbody/abc/history/",
        "/admin/providers/trainingprovider/abc/history/",
        f"/admin/certification/certificationbody/{body.pk}/history/abc/",
        f"/admin/providers/trainingprovider/{provider.pk}/history/abc/",
    ]


@pytest.mark.parametrize("who", ["superuser", "certifier_a"])
def test_an_id_that_is_no_id_is_not_found(client, request, certification, who):
    client.force_login(request.getfixturevalue(who))
    for url in _pages_of_ids_that_are_no_ids(certification):
        assert client.get(url).status_code == 404, url


def test_body_staff_see_a_past_version_of_their_body(client, certifier_a, body_a):
    # The slug is read-only for them: it must not be prepopulated on the page (a KeyError).
    client.force_login(certifier_a)
    version = body_a.history.earliest("history_date")
    response = client.get(
        f"/admin/certification/certificationbody/{body_a.pk}/history/{version.history_id}/"
    )
    assert response.status_code == 200
    assert body_a.name in response.content.decode()


@pytest.mark.parametrize("year", ["9999", "99999", "9" * 20])
@pytest.mark.parametrize(
    "changelist", ["/admin/compliance/compliancecheck/", "/admin/axes/accessattempt/"]
)
def test_a_date_hierarchy_year_out_of_range_is_an_incorrect_lookup(
    client, superuser, changelist, year
):
    ComplianceCheckFactory()
    AccessAttempt.objects.create(
        user_agent="a",
        http_accept="*/*",
        path_info="/",
        get_data="",
        post_data="",
        failures_since_start=1,
    )
    client.force_login(superuser)
    field = "checked_on" if "compliance" in changelist else "attempt_time"
    response = client.get(f"{changelist}?{field}__year={year}")
    # The admin's answer to a lookup it cannot make: the list again, with ?e=1.
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_the_certification_import_admin_has_no_add_form(client, superuser):
    client.force_login(superuser)
    assert client.get("/admin/certification/certificationimport/add/").status_code == 403
    assert client.post("/admin/certification/certificationimport/add/", {}).status_code == 403
    assert not CertificationImport.objects.exists()
    # Imports start on the upload page.
    assert client.get("/admin/certification/certification/import/").status_code == 200


@pytest.mark.parametrize("value", ["x" * 100, "9" * 20, "1e3"])
def test_a_posted_id_that_is_no_id_is_a_form_error(client, superuser, value):
    client.force_login(superuser)
    # An autocomplete field, shown again with the form's errors.
    response = client.post("/admin/compliance/contract/add/", {"commissioner": value})
    assert response.status_code == 200
    assert "Select one of the options in the list" in response.content.decode()
    assert not Contract.objects.exists()
    # A many-to-many field.
    response = client.post("/admin/auth/group/add/", {"name": "Walkers", "permissions": value})
    assert response.status_code == 200
    assert "Select one of the options in the list" in response.content.decode()
    assert not Group.objects.filter(name="Walkers").exists()


def test_an_action_on_ids_that_are_no_ids_selects_nothing(client, superuser):
    provider = TrainingProviderFactory()
    client.force_login(superuser)
    response = client.post(
        "/admin/providers/trainingprovider/",
        {"action": "archive", "_selected_action": ["9" * 20, "abc"]},
    )
    assert response.status_code == 302  # "Items must be selected", the list again
    provider.refresh_from_db()
    assert not provider.is_archived


@pytest.mark.parametrize(
    "url",
    [
        "/admin/certification/certification/?status__exact=%00",
        "/admin/certification/certification/?q=%00",
        "/admin/certification/certification/?%00=1",
        "/admin/autocomplete/?term=%00&app_label=certification&model_name=certification"
        "&field_name=parent",
    ],
)
def test_a_nul_in_an_admin_address_is_a_bad_request(client, superuser, url):
    # PostgreSQL cannot compare text with a NUL in it: refused before any query.
    client.force_login(superuser)
    assert client.get(url).status_code == 400


def test_a_nul_in_an_admin_form_is_a_bad_request_and_writes_nothing(client, superuser):
    client.force_login(superuser)
    response = client.post("/admin/compliance/commissioner/add/", {"name": "Borough\x00Council"})
    assert response.status_code == 400
    assert not Commissioner.objects.exists()
