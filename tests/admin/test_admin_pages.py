"""Every model has an admin whose pages work, and whose change lists run a fixed number of
queries however many rows there are."""

import datetime as dt

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certification.services import record_accreditation_change
from tests.factories import (
    AlertFactory,
    CertificationFactory,
    ComplianceCheckFactory,
    ContractFactory,
    CurriculumFactory,
    MembershipFactory,
)

pytestmark = pytest.mark.django_db

MODELS = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model._meta.app_label not in ("auth",)
)


def test_every_project_model_has_an_admin():
    from django.apps import apps

    registered = set(admin.site._registry)
    missing = [
        model.__name__
        for app in ("accounts", "standards", "providers", "certification", "compliance")
        for model in apps.get_app_config(app).get_models()
        if model not in registered and not model.__name__.startswith("Historical")
    ]
    assert missing == []


def _rows(n):
    for i in range(n):
        certification = CertificationFactory()
        CurriculumFactory(provider=certification.provider)
        check = ComplianceCheckFactory(arrangement__training_provider=certification.provider)
        ContractFactory(service_provider=check.arrangement.service_provider)
        MembershipFactory(service_provider=check.arrangement.service_provider)
        AlertFactory(certification=certification)
        record_accreditation_change(
            certification.body, "suspended", effective_date=dt.date(2026, 1, 1 + i)
        )


def _changelist_queries(client, app_label, model_name):
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize(("app_label", "model_name"), MODELS)
def test_change_list_query_count_does_not_grow_with_rows(
    client, superuser, app_label, model_name, django_assert_max_num_queries
):
    client.force_login(superuser)
    _rows(2)
    budget = _changelist_queries(client, app_label, model_name)
    _rows(4)
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(("app_label", "model_name"), MODELS)
def test_change_and_add_pages_render_for_a_site_administrator(
    client, superuser, app_label, model_name
):
    client.force_login(superuser)
    _rows(1)
    model = admin.site._registry
    model_class = next(m for m in model if m._meta.model_name == model_name)
    obj = model_class._default_manager.order_by("pk").first()
    if obj is not None:
        url = reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk])
        assert client.get(url).status_code == 200, url
    add_url = reverse(f"admin:{app_label}_{model_name}_add")
    expected = (
        200 if admin.site._registry[model_class].has_add_permission(_request(superuser)) else 403
    )
    assert client.get(add_url).status_code == expected, add_url


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.mark.django_db
def test_the_admins_error_note_says_what_to_do_without_a_full_stop(client, superuser):
    """Django's own "Please correct the error below." in the register's words
    (locale/en_GB/LC_MESSAGES/django.po)."""
    client.force_login(superuser)

    response = client.post(reverse("admin:providers_trainingprovider_add"), {"name": ""})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Correct the error" in page
    assert "Please correct" not in page
