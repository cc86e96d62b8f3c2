"""The API change feed is complete (issue 17): besides status moves it carries every change of
what the API shows (certification edits, providers, bodies, UKAS accreditation, archiving and
bringing back), whichever path wrote it, in one commit order after a cursor."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from api.views import changes
from certification import importing
from certification.models import AccreditationChange, RegisterChange
from certification.services import (
    correct_provider_or_body,
    move_certification,
    record_accreditation_change,
    save_certification_edit,
)
from certification.statuses import AccreditationStatus, Status
from providers.models import TrainingProvider
from standards.models import Population
from tests.admin.test_certification_import import csv_text, row
from tests.admin.test_crafted_values import change_form_data
from tests.api.body_tokens import auth, issue_token
from tests.change_feed import wait_until_settled
from tests.factories import (
    CertificationBodyFactory,
    CertificationFactory,
    TrainingProviderFactory,
    UserFactory,
    region,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/changes/"


def read(client, since=None, **query):
    response = client.get(URL, {"since": since, **query} if since else query)
    assert response.status_code == 200, response.content
    return response.json()


def read_all(client, since=None, **query):
    """Every change after `since`, page by page, and the cursor to go on from."""
    seen = []
    while True:
        page = read(client, since, **query)
        seen += page["results"]
        since = page["next_since"]
        if not page["more"]:
            return seen, since


def new_since(client, cursor, **query):
    """The changes after `cursor`, once settled: [(kind, action, change)], and the cursor."""
    wait_until_settled()
    seen, cursor = read_all(client, cursor, **query)
    return [(c["kind"], c["action"], c["change"]) for c in seen], cursor


@pytest.fixture
def caught_up(client):
    """A client that has read everything so far: its cursor."""

    def catch_up():
        wait_until_settled()
        return read_all(client)[1]

    return catch_up


# --- each kind, through each write path ---------------------------------------------------


def test_a_certification_edit_by_the_service_is_a_certification_change(client, caught_up):
    certification = CertificationFactory()
    cursor = caught_up()

    save_certification_edit(
        certification,
        expected_version=certification.version,
        registered_on=dt.date(2024, 5, 1),
    )
    wait_until_settled()
    (change,) = read(client, cursor)["results"]

    assert (change["kind"], change["action"], change["change"]) == (
        "certification",
        "changed",
        "Registered date changed",
    )
    assert change["provider"]["slug"] == certification.provider.slug
    assert change["body"]["slug"] == certification.body.slug
    assert change["certificate_number"] == certification.certificate_number
    assert change["from_status"] is change["to_status"] is change["reason"] is None
    assert change["effective_date"] is None


def test_a_status_move_is_a_status_change_only(client, caught_up):
    certification = CertificationFactory()
    cursor = caught_up()

    move_certification(
        certification,
        Status.SUSPENDED,
        effective_date=dt.date(2026, 3, 1),
        reason="Complaint upheld",
        today=max(dt.date(2026, 3, 1), timezone.localdate()),
    )
    wait_until_settled()
    (change,) = read(client, cursor)["results"]

    assert change["kind"] == "status"
    assert change["action"] is None
    assert change["change"] == "Suspended (was Certified)"
    assert (change["from_status"], change["to_status"]) == ("certified", "suspended")
    assert change["reason"] == "Complaint upheld"


def test_a_scope_change_through_the_api_is_a_certification_change(client, caught_up):
    certification = CertificationFactory()
    _token, text = issue_token(certification.body, user=UserFactory())
    url = f"/api/v1/certifications/{certification.pk}/"
    etag = client.get(url, **auth(text))["ETag"]
    cursor = caught_up()

    response = client.patch(
        url,
        {"populations": [Population.objects.first().slug]},
        content_type="application/json",
        HTTP_IF_MATCH=etag,
        **auth(text),
    )
    assert response.status_code == 200, response.content
    seen, _ = new_since(client, cursor)

    assert ("certification", "changed", "Scope changed") in seen
    assert {kind for kind, _action, _change in seen} == {"certification"}


def test_a_provider_edited_in_the_admin_is_a_provider_change(client, superuser, caught_up):
    provider = CertificationFactory().provider
    client.force_login(superuser)
    url = reverse("admin:providers_trainingprovider_change", args=[provider.pk])
    page = client.get(url)
    cursor = caught_up()

    response = client.post(url, change_form_data(page, name="Calmer Minds", town="Leeds"))
    assert response.status_code == 302, response.context and response.context["errors"]
    seen, _ = new_since(client, cursor)

    assert seen == [("provider", "changed", "Name and town changed")]


def test_an_edit_the_api_does_not_show_is_no_change(client, caught_up):
    provider = CertificationFactory().provider
    cursor = caught_up()

    provider.phone = "0113 496 0000"
    provider.description = "Now with evening courses"
    provider.save()

    assert new_since(client, cursor)[0] == []


def test_a_certification_edited_in_the_admin_is_a_certification_change(
    client, superuser, caught_up
):
    certification = CertificationFactory()
    client.force_login(superuser)
    url = reverse("admin:certification_certification_change", args=[certification.pk])
    page = client.get(url)
    cursor = caught_up()

    response = client.post(
        url,
        change_form_data(page, regions=[str(region("london").pk)])
        | {"events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 302
    seen, _ = new_since(client, cursor)

    assert seen and set(seen) == {("certification", "changed", "Scope changed")}


def test_archiving_and_bringing_back_a_provider_are_served(client, superuser, caught_up):
    certification = CertificationFactory()
    provider = certification.provider
    client.force_login(superuser)
    cursor = caught_up()

    changelist = reverse("admin:providers_trainingprovider_changelist")
    client.post(changelist, {"action": "archive", "_selected_action": [provider.pk]})
    provider.refresh_from_db()
    assert provider.is_archived
    seen, cursor = new_since(client, cursor)
    assert seen == [("provider", "archived", "Archived: no longer on the register")]
    # While it is archived, its changes (status moves and edits) are not served...
    move_certification(
        certification,
        Status.SUSPENDED,
        effective_date=dt.date(2026, 3, 1),
        reason="Complaint upheld",
        today=max(dt.date(2026, 3, 1), timezone.localdate()),
    )
    provider.name = "Renamed while archived"
    provider.save()
    assert new_since(client, cursor)[0] == []

    client.post(changelist, {"action": "unarchive", "_selected_action": [provider.pk]})
    seen, _ = new_since(client, cursor)
    # ...and when it comes back, the client is told to read it again (the changes made
    # meanwhile, behind it in the feed but after this client's cursor, come now too).
    assert seen == [
        ("status", None, "Suspended (was Certified)"),
        ("provider", "changed", "Name changed"),
        ("provider", "brought_back", "Brought back to the register"),
    ]


def test_archiving_a_certification_through_the_service_is_served(client, caught_up):
    certification = CertificationFactory()
    cursor = caught_up()

    save_certification_edit(certification, expected_version=certification.version, is_archived=True)
    seen, cursor = new_since(client, cursor)

    assert seen == [("certification", "archived", "Archived: no longer on the register")]


def test_a_body_edit_and_its_accreditation_changes_are_served(client, caught_up):
    body = CertificationBodyFactory(name="Assure Ltd")
    cursor = caught_up()

    record_accreditation_change(
        body,
        AccreditationStatus.SUSPENDED,
        effective_date=dt.date(2026, 12, 1),
        verified_on=dt.date(2026, 11, 30),
    )
    body.website = "https://assure.example.org"
    body.save()
    wait_until_settled()
    found, _ = read_all(client, cursor)

    assert [(c["kind"], c["action"], c["change"]) for c in found] == [
        ("accreditation", "changed", "UKAS accreditation suspended from 1 December 2026"),
        ("body", "changed", "Date last checked with UKAS changed"),
        ("body", "changed", "Website changed"),
    ]
    assert found[0]["effective_date"] == "2026-12-01"
    assert {c["body"]["slug"] for c in found} == {body.slug}
    assert {c["provider"] is None for c in found} == {True}


def test_a_new_body_and_a_new_provider_are_added(client, caught_up):
    cursor = caught_up()

    body = CertificationBodyFactory(accredited=False)
    TrainingProviderFactory()
    seen, _ = new_since(client, cursor)

    assert seen == [
        ("body", "added", "Added to the register"),
        ("provider", "added", "Added to the register"),
    ]
    AccreditationChange.objects.create(
        body=body, status=AccreditationStatus.ACCREDITED, effective_date=dt.date(2026, 1, 5)
    )
    assert new_since(client, _)[0] == [
        ("accreditation", "changed", "UKAS accredited from 5 January 2026")
    ]


def test_an_import_s_new_providers_are_added(client, caught_up):
    body = CertificationBodyFactory()
    user = UserFactory()
    cursor = caught_up()

    importer = importing.Importer(body, user)
    importer.apply(importer.plan(csv_text(row(1), row(2))))
    wait_until_settled()
    found, _ = read_all(client, cursor)

    added = [c["provider"]["name"] for c in found if c["kind"] == "provider"]
    assert added == ["Imported Training 1", "Imported Training 2"]
    assert [c["to_status"] for c in found if c["kind"] == "status"] == ["certified"] * 2
    # A provider is added before its certification's first status move is given.
    assert [c["kind"] for c in found].index("provider") < [c["kind"] for c in found].index("status")


def test_an_import_s_scope_update_is_a_certification_change(client, caught_up):
    body = CertificationBodyFactory()
    importer = importing.Importer(body, UserFactory())
    importer.apply(importer.plan(csv_text(row(1))))
    cursor = caught_up()

    importer = importing.Importer(body, UserFactory())
    plan = importer.plan(csv_text(row(1, regions="london")))
    assert not plan.errors
    importer.apply(plan)
    seen, _ = new_since(client, cursor)

    assert seen and set(seen) == {("certification", "changed", "Scope changed")}


def test_a_corrected_provider_is_a_change_of_both_providers(client, caught_up, superuser):
    certification = CertificationFactory()
    wrong = certification.provider
    right = TrainingProviderFactory()
    cursor = caught_up()

    correct_provider_or_body(
        certification,
        provider=right,
        body=certification.body,
        reason="Recorded against the wrong provider",
        recorded_by=superuser,
    )
    wait_until_settled()
    found, _ = read_all(client, cursor)

    assert [(c["kind"], c["change"], c["provider"]["slug"]) for c in found] == [
        ("certification", "Provider changed", right.slug),
        (
            "provider",
            "A certification recorded by mistake was moved to another provider",
            wrong.slug,
        ),
    ]


def test_a_rolled_back_write_leaves_no_change(client, caught_up):
    certification = CertificationFactory()
    before = RegisterChange.objects.count()
    cursor = caught_up()

    with pytest.raises(RuntimeError), transaction.atomic():
        certification.provider.name = "Never saved"
        certification.provider.save()
        record_accreditation_change(
            certification.body, AccreditationStatus.WITHDRAWN, effective_date=dt.date(2026, 6, 1)
        )
        raise RuntimeError("the rest of the write failed")

    assert RegisterChange.objects.count() == before
    assert new_since(client, cursor)[0] == []


# --- one order, one cursor -----------------------------------------------------------------


def test_status_moves_and_other_changes_are_served_in_one_order_page_by_page(client, monkeypatch):
    """Every change once, paging two at a time through both kinds of row, in the order they
    were recorded (on PostgreSQL: by transaction, each test step its own savepoint, so here
    one transaction, in the order written)."""
    monkeypatch.setattr(changes, "CHANGES_PER_REQUEST", 2)
    certification = CertificationFactory()
    certification.provider.town = "York"
    certification.provider.save()
    move_certification(
        certification,
        Status.SUSPENDED,
        effective_date=dt.date(2026, 3, 1),
        reason="Complaint upheld",
        today=max(dt.date(2026, 3, 1), timezone.localdate()),
    )
    save_certification_edit(
        certification,
        expected_version=certification.version,
        role="certified_service",
        registered_on=dt.date(2024, 2, 2),
    )
    wait_until_settled()

    found, cursor = read_all(client)

    kinds = [(c["kind"], c["change"]) for c in found]
    assert kinds[-3:] == [
        ("provider", "Town changed"),
        ("status", "Suspended (was Certified)"),
        ("certification", "Registered date changed"),
    ]
    assert len({(c["kind"], c["id"]) for c in found}) == len(found)  # each once
    recorded = [dt.datetime.fromisoformat(c["recorded_at"]) for c in found]
    assert recorded == sorted(recorded)
    assert read(client, cursor)["results"] == []


def test_a_cursor_from_before_register_changes_keeps_its_place(client):
    """`<xact>-<event>`, a status move's cursor as clients kept it before register changes
    existed, is a position in the merged order: it gives every change after that move (and,
    at worst, a register change of that move's own transaction again), never fewer."""
    first = CertificationFactory()
    wait_until_settled()
    found, _ = read_all(client)
    (status,) = [c for c in found if c["kind"] == "status"]
    xact = status["cursor"].split("-")[0]
    old_style = f"{xact}-{status['id']}"

    first.provider.name = "Renamed"
    first.provider.save()
    second = CertificationFactory(provider=first.provider)
    seen, cursor = read_all(client, old_style)

    assert status["id"] not in [c["id"] for c in seen if c["kind"] == "status"]
    assert [c["id"] for c in seen if c["kind"] == "status"] == [second.events.get().pk]
    assert ("provider", "Name changed") in [(c["kind"], c["change"]) for c in seen]
    assert read(client, cursor)["results"] == []


def test_the_body_filter_gives_a_body_s_changes_of_every_kind(client, caught_up):
    mine, theirs = CertificationFactory.create_batch(2)
    cursor = caught_up()

    for certification in (mine, theirs):
        certification.provider.town = "Hull"
        certification.provider.save()
        record_accreditation_change(
            certification.body, AccreditationStatus.SUSPENDED, effective_date=dt.date(2026, 6, 1)
        )
        save_certification_edit(
            certification,
            expected_version=certification.version,
            registered_on=dt.date(2024, 3, 3),
        )
    wait_until_settled()
    found, _ = read_all(client, cursor, body=mine.body.slug)

    assert [(c["kind"], c["provider"] and c["provider"]["slug"]) for c in found] == [
        ("provider", mine.provider.slug),
        ("accreditation", None),
        ("certification", mine.provider.slug),
    ]
    assert {c["body"]["slug"] for c in found if c["body"]} == {mine.body.slug}
    assert client.get(URL, {"body": "no-such-body"}).status_code == 400


@pytest.mark.parametrize("since", ["1-2-3-4", "-1-2", "1--2", "5-" + "9" * 20 + "-1", "1-2-x"])
def test_a_cursor_the_feed_never_gave_is_a_400(client, since):
    response = client.get(URL, {"since": since})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_the_feed_runs_the_same_queries_however_many_changes_of_each_kind(client, every_cache_off):
    def grow(n):
        for _ in range(n):
            certification = CertificationFactory()
            certification.provider.town = "Bath"
            certification.provider.save()
            save_certification_edit(
                certification,
                expected_version=certification.version,
                registered_on=dt.date(2024, 3, 3),
            )
            record_accreditation_change(
                certification.body,
                AccreditationStatus.SUSPENDED,
                effective_date=dt.date(2026, 6, 1),
            )
        wait_until_settled()

    def count():
        with CaptureQueriesContext(connection) as queries:
            page = read(client)
        return len(queries), {c["kind"] for c in page["results"]}

    grow(1)
    small, kinds = count()
    grow(4)
    large, _ = count()

    assert kinds == {"status", "provider", "body", "certification", "accreditation"}
    assert small == large


# --- append-only -----------------------------------------------------------------------------


def test_register_changes_are_append_only():
    TrainingProviderFactory()
    change = RegisterChange.objects.get()

    change.summary = "rewritten"
    with pytest.raises(PermissionError):
        change.save()
    with pytest.raises(PermissionError):
        change.delete()
    with pytest.raises(PermissionError):
        RegisterChange.objects.update(summary="rewritten")
    with pytest.raises(PermissionError):
        RegisterChange.objects.all().delete()
    assert RegisterChange.objects.get().summary == "Added to the register"


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_to_change_a_register_change_or_its_stamp():
    TrainingProviderFactory()
    change = RegisterChange.objects.get()

    for sql in (
        "UPDATE certification_registerchange SET summary = 'x' WHERE id = %s",
        "UPDATE certification_registerchange SET xact_id = '1' WHERE id = %s",
        "DELETE FROM certification_registerchange WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [change.pk])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT xact_id = pg_current_xact_id() FROM certification_registerchange WHERE id = %s",
            [change.pk],
        )
        assert cursor.fetchone() == (True,)  # stamped by this (the test's) transaction


def test_nothing_is_recorded_for_a_provider_kept_off_the_feed_by_loaddata():
    """Raw saves (fixtures) are a register's starting data, not changes."""
    now = timezone.now()
    provider = TrainingProvider(
        name="Fixture Ltd",
        slug="fixture-ltd",
        kind="commercial",
        region=region(),
        created_at=now,
        updated_at=now,
    )
    provider.save_base(raw=True)  # as loaddata saves: post_save with raw=True

    assert not RegisterChange.objects.exists()
