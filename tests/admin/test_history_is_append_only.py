"""Events and accreditation changes are read-only everywhere, for everyone."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from certification.models import AccreditationChange, CertificationEvent
from tests.factories import CertificationFactory
from tests.form_dates import date_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return CertificationFactory().events.get()


def test_orm_refuses_to_change_or_delete_an_event(event):
    event.reason = "rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        CertificationEvent.objects.filter(pk=event.pk).update(reason="rewritten")
    with pytest.raises(PermissionError):
        CertificationEvent.objects.filter(pk=event.pk).delete()
    event.refresh_from_db()
    assert event.reason != "rewritten"


def test_orm_refuses_to_change_or_delete_an_accreditation_change(event):
    change = AccreditationChange.objects.filter(body=event.certification.body).first()
    with pytest.raises(PermissionError):
        AccreditationChange.objects.filter(pk=change.pk).update(note="x")
    with pytest.raises(PermissionError):
        change.delete()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE certification_certificationevent SET reason = 'rewritten' WHERE id = %s",
        "DELETE FROM certification_certificationevent WHERE id = %s",
    ],
)
def test_postgresql_refuses_raw_sql_changes_to_events(event, sql):
    if connection.vendor != "postgresql":
        pytest.skip("The append-only trigger exists on PostgreSQL only.")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [event.pk])
    event.refresh_from_db()
    assert event.reason != "rewritten"


def test_postgresql_refuses_raw_sql_changes_to_accreditation_changes(event):
    if connection.vendor != "postgresql":
        pytest.skip("The append-only trigger exists on PostgreSQL only.")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM certification_accreditationchange")
    assert AccreditationChange.objects.exists()


@pytest.mark.parametrize("view", ["change", "delete"])
def test_admin_gives_no_change_or_delete_of_events_even_to_superusers(
    client, superuser, event, view
):
    client.force_login(superuser)
    url = reverse(f"admin:certification_certificationevent_{view}", args=[event.pk])
    if view == "change":
        response = client.post(url, {"reason": "rewritten", "effective_date": "2020-01-01"})
        assert response.status_code == 403
    else:
        assert client.post(url, {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:certification_certificationevent_add")).status_code == 403
    event.refresh_from_db()
    assert event.reason != "rewritten"


def test_admin_gives_no_change_or_delete_of_accreditation_changes(client, superuser, event):
    change = AccreditationChange.objects.filter(body=event.certification.body).first()
    client.force_login(superuser)
    for view in ("change", "delete"):
        url = reverse(f"admin:certification_accreditationchange_{view}", args=[change.pk])
        assert client.post(url, {"post": "yes", "note": "x"}).status_code == 403


def test_nothing_with_history_is_deleted_in_the_admin(client, superuser):
    certification = CertificationFactory()
    client.force_login(superuser)
    for name, obj in [
        ("certification_certification", certification),
        ("certification_certificationbody", certification.body),
        ("providers_trainingprovider", certification.provider),
    ]:
        url = reverse(f"admin:{name}_delete", args=[obj.pk])
        assert client.post(url, {"post": "yes"}).status_code == 403


def test_past_versions_are_shown_not_restored(client, superuser):
    certification = CertificationFactory()
    record = certification.history.earliest()
    client.force_login(superuser)
    url = reverse(
        "admin:certification_certification_simple_history",
        args=[certification.pk, record.history_id],
    )
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 403


def test_archive_action_keeps_the_certification_and_its_history(client, superuser):
    certification = CertificationFactory()
    client.force_login(superuser)
    response = client.post(
        reverse("admin:certification_certification_changelist"),
        {"action": "archive", "_selected_action": [certification.pk]},
    )
    assert response.status_code == 302
    certification.refresh_from_db()
    assert certification.is_archived
    assert certification.version == 2
    latest = certification.history.latest()
    assert latest.history_user == superuser
    assert latest.is_archived


def test_site_administrator_records_an_accreditation_change_that_verdicts_respect(
    client, superuser
):
    certification = CertificationFactory()
    body = certification.body
    today = dt.date.today()
    before = type(certification).objects.with_verdict_data().get(pk=certification.pk)
    assert before.verdict(today).is_valid
    client.force_login(superuser)
    response = client.post(
        reverse("admin:certification_accreditationchange_add"),
        {
            "body": body.pk,
            "status": "suspended",
            **date_fields("effective_date", today.isoformat()),
            "note": "UKAS sanction list, week 48",
            **date_fields("verified_on", today.isoformat()),
        },
    )
    assert response.status_code == 302
    change = AccreditationChange.objects.filter(body=body).latest("pk")
    assert change.recorded_by == superuser and change.status == "suspended"
    body.refresh_from_db()
    assert body.last_verified_on == today
    after = type(certification).objects.with_verdict_data().get(pk=certification.pk)
    assert not after.verdict(today).is_valid


def test_certifier_cannot_record_accreditation_changes(client, certifier_a, body_a):
    client.force_login(certifier_a)
    response = client.post(
        reverse("admin:certification_accreditationchange_add"),
        {"body": body_a.pk, "status": "withdrawn", "effective_date": "2026-01-01"},
    )
    assert response.status_code == 403
    assert not AccreditationChange.objects.filter(body=body_a, status="withdrawn").exists()
