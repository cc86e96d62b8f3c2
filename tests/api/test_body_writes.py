"""Certification bodies write their own records through the API (issue 17, part 4): register,
read, change dates and scope, record status moves, in bulk, through the admin's service
functions; ETag/If-Match, Idempotency-Key; the audit trail names the token's owner."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from api.models import ApiToken, IdempotencyKey
from certification.models import Certification, CertificationEvent
from certification.statuses import Status
from standards.models import Population, Setting
from tests.api.body_tokens import auth, issue_token
from tests.factories import (
    CertificationBodyFactory,
    CertificationFactory,
    CurriculumFactory,
    TrainingProviderFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/certifications/"
TODAY = timezone.localdate()


@pytest.fixture
def body_a(db):
    return CertificationBodyFactory(name="Body A", slug="body-a")


@pytest.fixture
def body_b(db):
    return CertificationBodyFactory(name="Body B", slug="body-b")


@pytest.fixture
def owner(db):
    return UserFactory(email="case-system-owner@body-a.example")


@pytest.fixture
def token_a(body_a, owner):
    return issue_token(body_a, user=owner)


@pytest.fixture
def provider(db):
    return TrainingProviderFactory(name="Calm Minds", slug="calm-minds")


@pytest.fixture
def api(client, token_a):
    """The client, sending body A's write token."""
    _token, text = token_a

    class Api:
        def post(self, url, body, **headers):
            return client.post(
                url, json.dumps(body), content_type="application/json", **auth(text), **headers
            )

        def patch(self, url, body, **headers):
            return client.patch(
                url, json.dumps(body), content_type="application/json", **auth(text), **headers
            )

        def get(self, url, **headers):
            return client.get(url, **auth(text), **headers)

    return Api()


def certified(training_provider, **changes):
    return {
        "provider": training_provider.slug,
        "status": "certified",
        "effective_date": "2025-01-01",
        "reason": "Assessment completed",
        "certificate_number": "RRN-API-0001",
        "certified_on": "2025-01-01",
        "valid_until": "2028-01-01",
        **changes,
    }


def errors_of(response):
    assert response["Content-Type"] == "application/problem+json", response.content
    return {error["field"]: error["message"] for error in response.json().get("errors", [])}


# --- registering ------------------------------------------------------------------------


def test_a_body_registers_a_certification_with_its_first_event_and_scope(
    api, body_a, provider, owner
):
    autism = Population.objects.get(slug="autism")
    setting = Setting.objects.order_by("pk").first()
    course = CurriculumFactory(provider=provider, name="Calm Minds core")

    response = api.post(
        URL,
        certified(provider, populations=["autism"], settings=[setting.slug], curricula=[course.pk]),
    )

    assert response.status_code == 201, response.content
    answer = response.json()
    certification = Certification.objects.get()
    assert answer["id"] == certification.pk
    assert response["Location"] == f"http://testserver{URL}{certification.pk}/"
    assert response["ETag"] == answer["etag"]
    assert (certification.provider, certification.body) == (provider, body_a)
    assert certification.status == Status.CERTIFIED
    assert certification.certificate_number == "RRN-API-0001"
    assert list(certification.populations.all()) == [autism]
    assert list(certification.curricula.all()) == [course]
    assert answer["populations"] == ["autism"]
    assert answer["curricula"] == [{"id": course.pk, "name": "Calm Minds core"}]
    (event,) = answer["history"]
    assert event["to_status"] == "certified"
    assert event["recorded_by"] == owner.email
    # The audit trail names the token's owner, as it names the signed-in user of the admin.
    assert certification.events.get().recorded_by == owner
    assert {h.history_user for h in certification.history.all()} == {owner}


def test_a_new_certification_starts_working_towards_by_default(api, provider):
    response = api.post(
        URL, {"provider": provider.slug, "effective_date": str(TODAY), "reason": "Applied"}
    )

    assert response.status_code == 201, response.content
    assert response.json()["status"] == "working_towards"
    assert response.json()["certificate_number"] is None


def test_the_register_shows_the_new_status_as_soon_as_the_write_answers(api, client, provider):
    api.post(URL, certified(provider))

    headline = client.get(f"/api/v1/providers/{provider.slug}/").json()["headline"]

    assert headline["status"] == "certified"
    assert headline["certificate_number"] == "RRN-API-0001"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"provider": "no-such-provider"}, "provider", "There is no training provider"),
        ({"body": "body-b"}, "body", "register your own body's certifications only"),
        ({"effective_date": "2150-01-01"}, "effective_date", "must be today or in the past"),
        ({"effective_date": "2025-02-30"}, "effective_date", "YYYY-MM-DD"),
        ({"reason": "  "}, "reason", "Enter the reason for this change"),
        ({"certificate_number": ""}, "certificate_number", "Enter the certificate number"),
        ({"valid_until": "2024-01-01"}, "valid_until", "must end after it starts"),
        ({"certified_on": None}, "certified_on", "Enter the date the certificate starts"),
        ({"status": "suspended"}, "status", "is not a valid choice"),
        ({"populations": ["no-such-term"]}, "populations", "not in the register's vocabulary"),
        ({"standards_edition": "no-such-edition"}, "standards_edition", "no standards edition"),
        ({"colour": "blue"}, "colour", "not a field of a certification"),
        ({"role": "affiliate"}, "non_field_errors", "names its parent certification"),
    ],
)
def test_what_the_admin_refuses_is_a_400_with_field_errors(api, provider, changes, field, message):
    response = api.post(URL, certified(provider, **changes))

    assert response.status_code == 400, response.content
    assert message in errors_of(response)[field]
    assert not Certification.objects.exists()


def test_a_certificate_number_already_on_the_register_is_refused(api, provider):
    CertificationFactory(certificate_number="RRN/API/0001")

    response = api.post(URL, certified(provider))

    assert response.status_code == 400
    assert "already has this certificate number" in errors_of(response)["certificate_number"]


def test_a_second_current_certification_by_the_same_body_is_refused(api, body_a, provider):
    CertificationFactory(provider=provider, body=body_a)

    response = api.post(URL, certified(provider, certificate_number="RRN-OTHER"))

    assert response.status_code == 400
    assert "already has a current certification" in errors_of(response)["non_field_errors"]
    assert provider.certifications.count() == 1


def test_a_provider_another_body_certifies_may_be_registered_as_in_the_admin(api, body_b, provider):
    CertificationFactory(provider=provider, body=body_b)

    response = api.post(URL, certified(provider, certificate_number="RRN-SECOND"))

    assert response.status_code == 201, response.content


def test_another_bodys_certification_cannot_be_the_parent(api, body_b, provider):
    theirs = CertificationFactory(body=body_b)

    response = api.post(URL, certified(provider, role="affiliate", parent=theirs.pk))

    assert response.status_code == 400
    assert "one of your body's certifications" in errors_of(response)["parent"]


def test_another_providers_curricula_are_refused(api, provider):
    foreign = CurriculumFactory(name="Someone else's course")

    response = api.post(URL, certified(provider, curricula=[foreign.pk]))

    assert response.status_code == 400
    assert "Someone else's course is another provider's" in errors_of(response)["curricula"]


# --- reading ----------------------------------------------------------------------------


def test_a_body_reads_its_own_record_with_who_recorded_each_move(api, body_a, owner):
    certification = CertificationFactory(body=body_a)

    response = api.get(f"{URL}{certification.pk}/")

    assert response.status_code == 200
    answer = response.json()
    assert response["ETag"] == answer["etag"]
    assert answer["version"] == certification.version
    assert [e["to_status"] for e in answer["history"]] == ["certified"]


def test_another_bodys_certification_is_not_found(api, body_b):
    theirs = CertificationFactory(body=body_b)
    url = f"{URL}{theirs.pk}/"

    assert api.get(url).status_code == 404
    assert api.patch(url, {"registered_on": "2024-01-01"}, HTTP_IF_MATCH="*").status_code == 404
    moved = api.post(
        f"{url}status-moves/",
        {"to_status": "suspended", "effective_date": str(TODAY), "reason": "x"},
    )
    assert moved.status_code == 404
    assert theirs.events.count() == 1


# --- changing dates and scope -------------------------------------------------------------


def test_a_change_with_the_etag_read_is_saved_and_recorded_as_the_tokens_owner(api, body_a, owner):
    certification = CertificationFactory(body=body_a)
    read = api.get(f"{URL}{certification.pk}/")

    response = api.patch(
        f"{URL}{certification.pk}/",
        {"registered_on": "2024-05-01", "populations": ["autism"]},
        HTTP_IF_MATCH=read["ETag"],
    )

    assert response.status_code == 200, response.content
    certification.refresh_from_db()
    assert certification.registered_on == dt.date(2024, 5, 1)
    assert [p.slug for p in certification.populations.all()] == ["autism"]
    assert response["ETag"] != read["ETag"]
    latest = certification.history.order_by("-history_id").first()
    assert latest.history_user == owner
    assert set(
        certification.history.filter(history_date__gte=timezone.now() - dt.timedelta(minutes=1))
        .exclude(history_type="+")
        .values_list("history_user", flat=True)
    ) == {owner.pk}


def test_a_change_without_if_match_is_428_and_with_a_stale_etag_412(api, body_a):
    certification = CertificationFactory(body=body_a)
    url = f"{URL}{certification.pk}/"
    stale = api.get(url)["ETag"]
    api.post(
        f"{url}status-moves/",
        {"to_status": "suspended", "effective_date": str(TODAY), "reason": "Complaint"},
    )

    missing = api.patch(url, {"registered_on": "2024-05-01"})
    refused = api.patch(url, {"registered_on": "2024-05-01"}, HTTP_IF_MATCH=stale)

    assert missing.status_code == 428
    assert refused.status_code == 412
    assert refused["Content-Type"] == "application/problem+json"
    certification.refresh_from_db()
    assert certification.registered_on != dt.date(2024, 5, 1)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"status": "withdrawn"}, "status", "only through a status move"),
        ({"valid_until": "2030-01-01"}, "valid_until", "only through a status move"),
        ({"provider": "calm-minds"}, "provider", "provider and body cannot change"),
        ({"registered_on": "not a date"}, "registered_on", "YYYY-MM-DD"),
        ({"regions": ["nowhere"]}, "regions", "not in the register's vocabulary"),
    ],
)
def test_a_change_the_admin_refuses_is_a_400(api, body_a, change, field, message):
    certification = CertificationFactory(body=body_a)

    response = api.patch(f"{URL}{certification.pk}/", change, HTTP_IF_MATCH="*")

    assert response.status_code == 400, response.content
    assert message in errors_of(response)[field]
    assert Certification.objects.get().version == certification.version


def test_a_change_to_another_providers_curriculum_is_refused(api, body_a):
    certification = CertificationFactory(body=body_a)
    foreign = CurriculumFactory(name="Not theirs")

    response = api.patch(
        f"{URL}{certification.pk}/", {"curricula": [foreign.pk]}, HTTP_IF_MATCH="*"
    )

    assert response.status_code == 400
    assert "Not theirs is another provider's" in errors_of(response)["curricula"]
    assert not certification.curricula.exists()


# --- status moves -----------------------------------------------------------------------


def move_url(certification):
    return f"{URL}{certification.pk}/status-moves/"


def test_a_status_move_is_recorded_as_the_tokens_owner_and_the_register_shows_it(
    api, client, body_a, owner
):
    certification = CertificationFactory(body=body_a)
    etag = api.get(f"{URL}{certification.pk}/")["ETag"]

    response = api.post(
        move_url(certification),
        {"to_status": "suspended", "effective_date": str(TODAY), "reason": "Complaint upheld"},
        HTTP_IF_MATCH=etag,
    )

    assert response.status_code == 201, response.content
    assert response.json()["status"] == "suspended"
    event = certification.events.order_by("-pk").first()
    assert (event.to_status, event.reason, event.recorded_by) == (
        "suspended",
        "Complaint upheld",
        owner,
    )
    assert certification.history.order_by("-history_id").first().history_user == owner
    provider = client.get(f"/api/v1/providers/{certification.provider.slug}/").json()
    assert provider["headline"]["status"] == "suspended"


def test_a_renewal_sets_the_new_certificate_dates(api, body_a):
    certification = CertificationFactory(body=body_a, certificate_number="RRN-RENEW")

    response = api.post(
        move_url(certification),
        {
            "to_status": "certified",
            "effective_date": str(TODAY),
            "reason": "Renewed",
            "certificate_number": "RRN-RENEW",
            "certified_on": str(TODAY),
            "valid_until": str(TODAY + dt.timedelta(days=3 * 365)),
        },
    )

    assert response.status_code == 201, response.content
    certification.refresh_from_db()
    assert certification.certified_on == TODAY


@pytest.mark.parametrize(
    ("move", "field", "message"),
    [
        ({"to_status": "working_towards"}, "to_status", "cannot move to working towards"),
        (
            {"to_status": "suspended", "effective_date": "2150-01-01"},
            "effective_date",
            "must be today or in the past",
        ),
        (
            {"to_status": "suspended", "effective_date": "2020-01-01"},
            "effective_date",
            "the same as or after the last recorded change",
        ),
        ({"to_status": "suspended", "reason": ""}, "reason", "Enter the reason"),
        ({"to_status": "certified"}, "certificate_number", "Enter the certificate number"),
        ({"to_status": "frozen"}, "to_status", "is not a valid choice"),
    ],
)
def test_a_move_the_admin_refuses_is_a_400_and_writes_nothing(api, body_a, move, field, message):
    certification = CertificationFactory(body=body_a)

    response = api.post(
        move_url(certification), {"effective_date": str(TODAY), "reason": "Because", **move}
    )

    assert response.status_code == 400, response.content
    assert message in errors_of(response)[field]
    assert certification.events.count() == 1


def test_a_move_with_a_stale_etag_is_412_and_writes_nothing(api, body_a):
    certification = CertificationFactory(body=body_a)
    stale = api.get(f"{URL}{certification.pk}/")["ETag"]
    api.patch(f"{URL}{certification.pk}/", {"registered_on": "2024-02-02"}, HTTP_IF_MATCH=stale)

    response = api.post(
        move_url(certification),
        {"to_status": "suspended", "effective_date": str(TODAY), "reason": "Complaint"},
        HTTP_IF_MATCH=stale,
    )

    assert response.status_code == 412
    assert certification.events.count() == 1


# --- Idempotency-Key --------------------------------------------------------------------


def test_a_retry_with_the_same_key_gets_the_first_answer_and_writes_nothing(api, provider):
    first = api.post(URL, certified(provider), HTTP_IDEMPOTENCY_KEY="key-1")
    retry = api.post(URL, certified(provider), HTTP_IDEMPOTENCY_KEY="key-1")

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["ETag"] == first["ETag"] and retry["Location"] == first["Location"]
    assert retry["Idempotent-Replayed"] == "true"
    assert Certification.objects.count() == 1
    assert CertificationEvent.objects.count() == 1


def test_the_same_key_with_another_body_is_422(api, provider):
    api.post(URL, certified(provider), HTTP_IDEMPOTENCY_KEY="key-1")

    response = api.post(URL, certified(provider, reason="Other"), HTTP_IDEMPOTENCY_KEY="key-1")

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert Certification.objects.count() == 1


def test_a_retried_status_move_is_recorded_once(api, body_a):
    certification = CertificationFactory(body=body_a)
    move = {"to_status": "suspended", "effective_date": str(TODAY), "reason": "Complaint"}
    etag = api.get(f"{URL}{certification.pk}/")["ETag"]

    first = api.post(move_url(certification), move, HTTP_IF_MATCH=etag, HTTP_IDEMPOTENCY_KEY="m-1")
    retry = api.post(move_url(certification), move, HTTP_IF_MATCH=etag, HTTP_IDEMPOTENCY_KEY="m-1")

    assert first.status_code == retry.status_code == 201
    assert certification.events.count() == 2


def test_keys_are_per_token_and_expire_after_a_day(api, client, body_a, provider):
    api.post(URL, certified(provider), HTTP_IDEMPOTENCY_KEY="key-1")
    _token, other_text = issue_token(body_a)
    other_provider = TrainingProviderFactory()

    mine = client.post(
        URL,
        json.dumps(certified(other_provider, certificate_number="RRN-X2")),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="key-1",
        **auth(other_text),
    )
    IdempotencyKey.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
    after_a_day = api.post(URL, certified(provider), HTTP_IDEMPOTENCY_KEY="key-1")

    assert mine.status_code == 201
    # Not the first answer again: checked afresh, and the provider is now certified.
    assert after_a_day.status_code == 400
    assert "already has a current" in errors_of(after_a_day)["non_field_errors"]
    assert IdempotencyKey.objects.count() == 0  # the expired keys were pruned


def test_a_refused_write_is_not_kept_so_a_corrected_retry_may_use_the_key(api, provider):
    refused = api.post(URL, certified(provider, reason=""), HTTP_IDEMPOTENCY_KEY="key-1")
    corrected = api.post(URL, certified(provider), HTTP_IDEMPOTENCY_KEY="key-1")

    assert (refused.status_code, corrected.status_code) == (400, 201)


@pytest.mark.parametrize("key", ["", "x" * 256, "naïve"])
def test_an_unusable_key_is_refused(api, provider, key):
    response = api.post(URL, certified(provider), HTTP_IDEMPOTENCY_KEY=key)

    assert response.status_code == 400
    assert "Idempotency-Key" in errors_of(response)
    assert not Certification.objects.exists()


# --- bulk -------------------------------------------------------------------------------


def test_bulk_registers_every_record(api, client, body_a):
    providers = TrainingProviderFactory.create_batch(3)
    records = [certified(p, certificate_number=f"RRN-BULK-{n}") for n, p in enumerate(providers)]

    response = api.post(f"{URL}bulk/", {"certifications": records})

    assert response.status_code == 201, response.content
    assert [r["provider"]["slug"] for r in response.json()["results"]] == [
        p.slug for p in providers
    ]
    assert Certification.objects.filter(body=body_a).count() == 3
    listed = client.get("/api/v1/providers/?status=certified").json()["results"]
    assert {row["slug"] for row in listed} == {p.slug for p in providers}


def test_bulk_is_all_or_nothing_with_errors_by_record(api):
    providers = TrainingProviderFactory.create_batch(3)
    records = [
        certified(providers[0], certificate_number="RRN-BULK-0"),
        certified(providers[1], certificate_number="RRN-BULK-0"),  # the first's number
        certified(providers[2], certificate_number="RRN-BULK-2", provider="nobody"),
    ]

    response = api.post(f"{URL}bulk/", {"certifications": records})

    assert response.status_code == 400
    errors = errors_of(response)
    assert "There is no training provider" in errors["certifications.2.provider"]
    assert not Certification.objects.exists()
    # Without the record that does not validate, the one the database refuses is named.
    response = api.post(f"{URL}bulk/", {"certifications": records[:2]})
    assert response.status_code == 400
    assert (
        "already has this certificate number"
        in errors_of(response)["certifications.1.certificate_number"]
    )
    assert not Certification.objects.exists()
    assert not CertificationEvent.objects.exists()


def test_bulk_takes_at_most_100_records(api):
    response = api.post(f"{URL}bulk/", {"certifications": [{}] * 101})

    assert response.status_code == 400
    assert "certifications" in errors_of(response)


# --- tokens -----------------------------------------------------------------------------


def test_a_write_updates_the_tokens_last_used_time(api, token_a, provider):
    token, _text = token_a
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - dt.timedelta(days=2))

    api.post(URL, certified(provider))

    token.refresh_from_db()
    assert timezone.now() - token.last_used_at < dt.timedelta(minutes=1)


def test_a_token_of_a_deactivated_user_is_refused(api, owner, provider):
    owner.is_active = False
    owner.save()

    response = api.post(URL, certified(provider))

    assert response.status_code == 401
    assert not Certification.objects.exists()


def test_a_site_administrators_token_acts_for_its_body_only(client, body_a, body_b, provider):
    admin = UserFactory(is_staff=True, is_superuser=True)
    _token, text = issue_token(body_a, user=admin)
    theirs = CertificationFactory(body=body_b)

    created = client.post(
        URL, json.dumps(certified(provider)), content_type="application/json", **auth(text)
    )
    other = client.get(f"{URL}{theirs.pk}/", **auth(text))

    assert created.status_code == 201
    assert Certification.objects.get(pk=created.json()["id"]).body == body_a
    assert other.status_code == 404


# --- query budgets ----------------------------------------------------------------------


def test_reading_a_record_costs_the_same_however_long_its_history_and_scope(api, body_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(certification):
        with CaptureQueriesContext(connection) as context:
            assert api.get(f"{URL}{certification.pk}/").status_code == 200
        return len(context)

    short = CertificationFactory(body=body_a)
    long = CertificationFactory(body=body_a)
    long.populations.set(Population.objects.all())
    long.settings.set(Setting.objects.all())
    for n in range(3):
        api.post(
            f"{URL}{long.pk}/status-moves/",
            {
                "to_status": "suspended" if n % 2 == 0 else "certified",
                "effective_date": str(TODAY),
                "reason": f"Move {n}",
                "certificate_number": long.certificate_number,
                "certified_on": "2025-01-01",
                "valid_until": "2028-01-01",
            },
        )
    assert long.events.count() == 4

    assert queries(short) == queries(long) <= 12


def test_a_bulk_upload_costs_the_same_queries_for_each_record_whatever_the_register_holds(
    api, body_a, every_cache_off
):
    """Bulk writes are not lists, so their budget is per record: each record of an upload
    costs the same queries as the one before, and none depends on how much is on the
    register already (no query that grows with the rows)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    numbers = iter(range(1000))

    def queries(records):
        providers = TrainingProviderFactory.create_batch(records)
        body = {
            "certifications": [
                certified(p, certificate_number=f"RRN-BUDGET-{next(numbers)}") for p in providers
            ]
        }
        with CaptureQueriesContext(connection) as context:
            assert api.post(f"{URL}bulk/", body).status_code == 201
        return len(context)

    queries(1)  # the token's last-used time is written at most once a minute: now
    one, two, four = queries(1), queries(2), queries(4)
    per_record = two - one
    assert per_record <= 31  # the record's checks, its first event, scope and history
    assert four - two == 2 * per_record
    CertificationFactory.create_batch(10, body=body_a)  # more on the register
    assert queries(2) == two


def test_a_retry_racing_the_first_request_is_rolled_back_and_gets_its_answer(
    api, token_a, provider, monkeypatch
):
    """Two requests with one key at once: neither finds the key kept, both write; the
    second's key is refused by the unique constraint, so its write is rolled back and it
    answers what the first kept (here kept directly, as the first request would)."""
    import hashlib

    from api import idempotency

    body = certified(provider)
    text = json.dumps(body, sort_keys=True, separators=(",", ":"))
    IdempotencyKey.objects.create(
        token=token_a[0],
        key="race",
        fingerprint=hashlib.sha256(f"POST {URL}\n{text}".encode()).hexdigest(),
        status=201,
        body={"kept": "the first answer"},
    )
    real, look_ups = idempotency._stored, []

    def stored(*args):  # its first look-up ran before the first request committed
        look_ups.append(args)
        return None if len(look_ups) == 1 else real(*args)

    monkeypatch.setattr(idempotency, "_stored", stored)

    response = api.post(URL, body, HTTP_IDEMPOTENCY_KEY="race")

    assert response.status_code == 201
    assert response.json() == {"kept": "the first answer"}
    assert len(look_ups) == 2
    assert not Certification.objects.exists()
    assert not CertificationEvent.objects.exists()
