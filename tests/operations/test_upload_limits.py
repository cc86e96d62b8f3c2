"""Upload limits: a body over MAX_UPLOAD_REQUEST_BYTES is refused before it is read, with the
site's "file too big" page (413), never a 500; other bodies Django will not read get the
site's 400 page; a file over a form's own limit, but under the body limit, is a form error."""

from unittest import mock
from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler

from compliance.forms import MAX_EVIDENCE_BYTES
from compliance.models import ComplianceCheck
from tests.factories import CommissionerFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 "


def check_new(user):
    slug = user.memberships.get().service_provider.slug
    return f"/compliance/service-providers/{slug}/checks/new/"


def evidence(size):
    return SimpleUploadedFile("evidence.pdf", PDF + b"0" * (size - len(PDF)), "application/pdf")


def assert_too_big_page(response):
    assert response.status_code == 413
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">The file you chose is too big</h1>' in html
    assert "<title>The file you chose is too big \N{EN DASH} RRN Training Register</title>" in html
    assert "Nothing has been saved" in html


def test_a_body_over_the_limit_is_refused_before_any_of_it_is_read(client, settings, user_a):
    settings.MAX_UPLOAD_REQUEST_BYTES = 200_000
    client.force_login(user_a)

    with (
        mock.patch.object(MemoryFileUploadHandler, "receive_data_chunk") as to_memory,
        mock.patch.object(TemporaryFileUploadHandler, "receive_data_chunk") as to_disk,
    ):
        response = client.post(
            check_new(user_a), {"evidence": "Seen", "evidence_file": evidence(300_000)}
        )

    assert_too_big_page(response)
    assert not to_memory.called and not to_disk.called
    assert not ComplianceCheck.objects.exists()


def test_an_evidence_file_over_the_real_limit_gets_the_too_big_page(client, user_a):
    client.force_login(user_a)

    response = client.post(
        check_new(user_a),
        {"evidence": "Seen", "evidence_file": evidence(django_settings.MAX_UPLOAD_REQUEST_BYTES)},
    )

    assert_too_big_page(response)
    assert "no-store" in response["Cache-Control"]  # signed in


def test_an_evidence_file_over_5_mb_under_the_body_limit_is_a_form_error(client, user_a):
    client.force_login(user_a)

    response = client.post(
        check_new(user_a), {"evidence": "Seen", "evidence_file": evidence(MAX_EVIDENCE_BYTES + 1)}
    )

    assert response.status_code == 200
    assert "The file must be 5 MB or smaller" in response.content.decode()
    assert not ComplianceCheck.objects.exists()


def test_too_many_form_fields_get_the_sites_bad_request_page(client):
    fields = {f"field{n}": "x" for n in range(django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}

    response = client.post("/accounts/login/", fields)

    assert response.status_code == 400
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Sorry, the service could not read that request</h1>' in html


def test_form_fields_over_the_limit_get_the_too_big_page(client):
    response = client.post(
        "/accounts/login/",
        urlencode({"username": "x" * django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE}),
        content_type="application/x-www-form-urlencoded",
    )

    assert_too_big_page(response)


@pytest.mark.parametrize(
    "form_limit",
    [django_settings.IMPORT_MAX_BYTES, MAX_EVIDENCE_BYTES],
    ids=["imports", "evidence"],
)
def test_every_forms_file_limit_fits_in_the_body_limit(form_limit):
    # So a file just over a form's limit gets that form's own message, not the 413 page.
    assert form_limit + 64 * 1024 <= django_settings.MAX_UPLOAD_REQUEST_BYTES


def test_the_contract_import_confirmation_posts_a_1_mb_file_back(client):
    # The confirmation carries the checked CSV in a field; percent-encoded, a CSV of commas
    # is three times its size.
    commissioner = CommissionerFactory()
    user = UserFactory()
    MembershipFactory.of(commissioner, user=user)
    client.force_login(user)

    response = client.post(
        f"/compliance/commissioners/{commissioner.slug}/contracts/import/",
        urlencode({"confirm": "yes", "csv": "," * django_settings.IMPORT_MAX_BYTES}),
        content_type="application/x-www-form-urlencoded",  # as the page's form posts it
    )

    assert response.status_code == 200
    assert "Import contracts" in response.content.decode()
