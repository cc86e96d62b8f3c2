"""The admin's "view on site" shortcut (/admin/r/<content type>/<id>/) tells a user an
object's address only if they may view that object in the admin: otherwise a 404, the same
whether or not the object exists."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from tests.factories import (
    CertificationFactory,
    CommissionerFactory,
    ComplianceCheckFactory,
    ServiceProviderFactory,
    TrainingProviderFactory,
)

pytestmark = pytest.mark.django_db


def shortcut(obj):
    content_type = ContentType.objects.get_for_model(obj)
    return reverse("admin:view_on_site", args=[content_type.pk, obj.pk])


@pytest.fixture
def private_records():
    check = ComplianceCheckFactory()
    return {
        "service provider": ServiceProviderFactory(),
        "commissioner": CommissionerFactory(),
        "compliance check": check,
    }


@pytest.mark.parametrize("kind", ["service provider", "commissioner", "compliance check"])
def test_certifier_is_not_told_where_private_records_are(
    client, certifier_a, private_records, kind
):
    client.force_login(certifier_a)
    response = client.get(shortcut(private_records[kind]))
    assert response.status_code == 404
    assert "Location" not in response.headers


def test_certifier_is_not_told_about_another_body_certification(
    client, certifier_a, body_a, body_b
):
    own = CertificationFactory(body=body_a)
    other = CertificationFactory(body=body_b)
    client.force_login(certifier_a)
    assert client.get(shortcut(own)).status_code == 302
    assert client.get(shortcut(other)).status_code == 404


def test_certifier_is_sent_to_public_pages(client, certifier_a):
    provider = TrainingProviderFactory()
    client.force_login(certifier_a)
    response = client.get(shortcut(provider))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(provider.get_absolute_url())


@pytest.mark.parametrize("kind", ["service provider", "commissioner", "compliance check"])
def test_site_administrator_is_sent_anywhere(client, superuser, private_records, kind):
    client.force_login(superuser)
    obj = private_records[kind]
    response = client.get(shortcut(obj))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(obj.get_absolute_url())


@pytest.mark.parametrize(
    "path",
    [
        "/admin/r/abc/1/",
        "/admin/r/99999999999999999999/1/",
        "/admin/r/-1/1/",
        "/admin/r/{provider}/abc/",
        "/admin/r/{provider}/99999999999999999999/",
        "/admin/r/{provider}/1e3/",
        "/admin/r/{provider}/%FF/",
    ],
)
@pytest.mark.parametrize("who", ["certifier_a", "superuser"])
def test_hostile_ids_are_not_found(client, request, who, path):
    client.force_login(request.getfixturevalue(who))
    provider_type = ContentType.objects.get(app_label="providers", model="trainingprovider")
    response = client.get(path.format(provider=provider_type.pk))
    assert response.status_code == 404


def test_signed_out_visitor_is_sent_to_sign_in(client, private_records):
    response = client.get(shortcut(private_records["service provider"]))
    assert response.status_code == 302
    assert "/admin/login/" in response.headers["Location"]
