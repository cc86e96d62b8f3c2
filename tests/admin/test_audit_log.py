"""The audit trail answers "who changed this, when, and what": per object in the admin
history, and across records in the site administrators' audit log."""

import pytest
from django.urls import reverse

from certification.services import save_certification_edit
from tests.factories import CertificationFactory, TrainingProviderFactory

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
    assert ("is_archived", False, True) in rows[0]["changes"]
    assert "Untouched By Certifier" not in by_user.text
    future = client.get(url, {"since": "2999-01-01"})
    assert future.context["rows"] == []
    bad = client.get(url, {"since": "not a date", "model": "nothing"})
    assert bad.status_code == 200


def test_only_site_administrators_see_the_audit_log(client, certifier_a):
    client.force_login(certifier_a)
    assert client.get(reverse("admin:audit_log")).status_code == 403
    client.logout()
    assert client.get(reverse("admin:audit_log")).status_code == 302  # to the admin sign-in


def test_audit_log_query_count_does_not_grow_with_history(
    client, superuser, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        CertificationFactory()
    client.force_login(superuser)
    url = reverse("admin:audit_log")
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    budget = len(queries) + 2 * 50  # at most two per row of a full page
    for _ in range(40):
        CertificationFactory()
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200
