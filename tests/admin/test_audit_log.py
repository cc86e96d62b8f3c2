"""The audit trail answers "who changed this, when, and what": per object in the admin
history, and across records in the site administrators' audit log."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certification.audit import AUDIT_LOG_PER_PAGE
from certification.services import Certificate, move_certification, save_certification_edit
from certification.statuses import Status
from standards.models import Population, Region
from tests.factories import (
    CertificationBodyFactory,
    CertificationFactory,
    CurriculumFactory,
    TrainingProviderFactory,
)

pytestmark = pytest.mark.django_db


def test_admin_edit_shows_who_when_and_old_and_new_values(client, superuser):
    provider = TrainingProviderFactory(name="Old Name Training")
    client.force_login(superuser)
    url = reverse("admin:providers_trainingprovider_change", args=[provider.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data |= {
        "name": "New Name Training",
        "region": provider.region_id,
        "curricula-TOTAL_FORMS": 0,
        "curricula-INITIAL_FORMS": 0,
    }
    assert client.post(url, data).status_code == 302
    history = client.get(reverse("admin:providers_trainingprovider_history", args=[provider.pk]))
    assert "Old Name Training" in history.text and "New Name Training" in history.text
    assert superuser.email in history.text


def test_audit_log_filters_by_user_model_and_dates(client, superuser, certifier_a, body_a):
    certification = CertificationFactory(body=body_a)
    certification._history_user = certifier_a
    save_certification_edit(
        certification,
        expected_version=certification.version,
        recorded_by=certifier_a,
        is_archived=True,
    )
    TrainingProviderFactory(name="Untouched By Certifier")
    client.force_login(superuser)
    url = reverse("admin:audit_log")
    everything = client.get(url)
    assert everything.status_code == 200
    assert "Untouched By Certifier" in everything.text
    by_user = client.get(url, {"user": certifier_a.email, "model": "certification"})
    rows = by_user.context["rows"]
    assert rows and all(r["record"].history_user == certifier_a for r in rows)
    assert ("Is archived", "No", "Yes") in rows[0]["changes"]
    assert "Untouched By Certifier" not in by_user.text
    future = client.get(url, {"since": "2999-01-01"})
    assert future.context["rows"] == []
    bad = client.get(url, {"since": "not a date", "model": "nothing"})
    assert bad.status_code == 200


def test_status_moves_and_scope_lists_read_in_words(client, superuser, body_a):
    certification = CertificationFactory(
        body=body_a, status=Status.WORKING_TOWARDS, certificate_number=""
    )
    certification.regions.set([Region.objects.get(slug="london")])
    move_certification(
        certification,
        Status.CERTIFIED,
        effective_date=dt.date(2026, 3, 2),
        reason="Assessment passed",
        certificate=Certificate("RRN-7001", dt.date(2026, 3, 2), dt.date(2029, 3, 1)),
        today=dt.date(2026, 3, 2),
    )
    client.force_login(superuser)

    response = client.get(reverse("admin:audit_log"), {"model": "certification"})

    changes = [change for row in response.context["rows"] for change in row["changes"]]
    assert ("Status", "Working towards certification", "Certified") in changes
    assert ("Certificate number", "none", "RRN-7001") in changes
    assert ("Valid until", "none", "1 March 2029") in changes
    assert ("Regions", "none", "London") in changes
    assert "{&#x27;" not in response.text and "{'" not in response.text


def test_only_site_administrators_see_the_audit_log(client, certifier_a):
    client.force_login(certifier_a)
    assert client.get(reverse("admin:audit_log")).status_code == 403
    client.logout()
    assert client.get(reverse("admin:audit_log")).status_code == 302  # to the admin sign-in


def _change_one_of_each_kind(user):
    """History rows of every kind the log shows: created, edited by `user`, scope changed."""
    region = Region.objects.order_by("pk").first()
    population = Population.objects.order_by("pk").first()
    provider = TrainingProviderFactory()
    provider._history_user = user
    provider.description = "Edited"
    provider.save()
    provider.regions_served.add(region)
    body = CertificationBodyFactory()
    body._history_user = user
    body.website = "https://body.example.org"
    body.save()
    course = CurriculumFactory(provider=provider)
    course.populations.add(population)
    certification = CertificationFactory(provider=provider, body=body)
    certification.populations.add(population)
    certification.curricula.add(course)
    save_certification_edit(
        certification,
        expected_version=certification.version,
        recorded_by=user,
        registered_on=certification.registered_on - dt.timedelta(days=1),
    )


def test_audit_log_runs_the_same_queries_however_many_rows_are_on_the_page(
    client, superuser, certifier_a, django_assert_num_queries
):
    _change_one_of_each_kind(certifier_a)
    client.force_login(superuser)
    url = reverse("admin:audit_log")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        few = client.get(url).context["rows"]
    shown = {(row["model"], bool(row["changes"])) for row in few}
    assert shown == {
        (kind, changed)
        for kind in ("Training provider", "Curriculum", "Certification body", "Certification")
        for changed in (False, True)
    }
    for _ in range(6):
        _change_one_of_each_kind(certifier_a)
    with django_assert_num_queries(len(queries)):
        many = client.get(url).context["rows"]
    assert len(many) == AUDIT_LOG_PER_PAGE > len(few)
