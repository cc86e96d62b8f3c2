"""A service provider's pages: dashboard, arrangements, checks, history, export, alerts."""

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certification.services import move_certification, record_accreditation_change
from certification.statuses import AccreditationStatus, Status
from compliance.models import Alert, ComplianceCheck, TrainingArrangement
from providers.models import TrainingProvider
from standards.models import SpecialistContent
from tests.factories import (
    AlertFactory,
    CertificationFactory,
    ComplianceCheckFactory,
    TrainingArrangementFactory,
    TrainingProviderFactory,
)
from tests.form_dates import date_fields
from tests.form_tokens import with_token

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def url(name, service, *args):
    return reverse(f"compliance:{name}", args=[service.slug, *args])


@pytest.fixture
def signed_in(client, user_a):
    client.force_login(user_a)
    return client


def _certified_arrangement(service, checked=True, **cert_kw):
    certification = CertificationFactory(**cert_kw)
    arrangement = TrainingArrangementFactory(
        service_provider=service, training_provider=certification.provider
    )
    if checked:
        ComplianceCheckFactory(arrangement=arrangement, checked_on=timezone.localdate())
    return arrangement, certification


def _check_data(arrangement, /, **overrides):
    data = {
        "arrangement": arrangement.pk,
        **date_fields("checked_on", timezone.localdate().isoformat()),
        "outcome": "action_needed",
        "scope_covers_populations": "yes",
        "scope_covers_settings": "yes",
        "scope_covers_content": "no",
        "evidence": "Certificate copy seen",
        "notes": "",
        **date_fields("next_review_due", ""),
    }
    data.update(overrides)
    return data


# Dashboard


def test_dashboard_says_all_arrangements_are_certified(signed_in, service_provider_a):
    for _ in range(3):
        _certified_arrangement(service_provider_a)
    response = signed_in.get(url("service_provider", service_provider_a))
    assert response.status_code == 200
    assert "All 3 training arrangements are certified" in response.content.decode()


def test_dashboard_counts_arrangements_needing_action_and_shows_reasons(
    signed_in, service_provider_a
):
    today = timezone.localdate()
    _certified_arrangement(service_provider_a)
    _certified_arrangement(service_provider_a, valid_until=today + dt.timedelta(days=40))
    _, suspended = _certified_arrangement(service_provider_a)
    move_certification(suspended, Status.SUSPENDED, effective_date=today, reason="Audit")
    page = signed_in.get(url("service_provider", service_provider_a)).content.decode()
    assert "2 of 3 training arrangements need action" in page
    assert "Certificate ends within 90 days: 1" in page
    assert "Certification suspended: 1" in page
    assert "Certificate ends on" in page


def test_dashboard_shows_a_body_under_ukas_suspension(signed_in, service_provider_a):
    _, certification = _certified_arrangement(service_provider_a)
    record_accreditation_change(
        certification.body, AccreditationStatus.SUSPENDED, effective_date=timezone.localdate()
    )
    page = signed_in.get(url("service_provider", service_provider_a)).content.decode()
    assert "Certification body not UKAS-accredited" in page


def test_dashboard_point_in_time_shows_verdicts_as_they_were(signed_in, service_provider_a):
    _, certification = _certified_arrangement(service_provider_a)
    today = timezone.localdate()
    move_certification(certification, Status.SUSPENDED, effective_date=today, reason="Audit")
    ComplianceCheckFactory(
        arrangement=TrainingArrangement.objects.get(service_provider=service_provider_a),
        checked_on=today - dt.timedelta(days=30),
    )
    now = signed_in.get(url("service_provider", service_provider_a)).content.decode()
    assert "Certification suspended" in now
    before = signed_in.get(
        url("service_provider", service_provider_a),
        {"on": (today - dt.timedelta(days=10)).isoformat()},
    ).content.decode()
    assert "The training arrangement is certified" in before
    assert "Certification suspended" not in before


@pytest.mark.parametrize(
    "on", ["not-a-date", "2026-02-30", "0001-01-01", "9999-12-31", "x" * 20000, "2026-05-01\x00"]
)
def test_dashboard_bad_date_is_a_form_error_not_a_500(signed_in, service_provider_a, on):
    _certified_arrangement(service_provider_a)
    response = signed_in.get(url("service_provider", service_provider_a), {"on": on})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_dashboard_future_date_is_refused(signed_in, service_provider_a):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = signed_in.get(url("service_provider", service_provider_a), {"on": tomorrow})
    assert "Date must be today or in the past" in response.content.decode()


def _count_queries(client, path, data=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, data or {})
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_dashboard_queries_do_not_grow_with_arrangements(signed_in, service_provider_a):
    path = url("service_provider", service_provider_a)
    for _ in range(2):
        _certified_arrangement(service_provider_a)
    AlertFactory(recipient=signed_in_user(signed_in), service_provider=service_provider_a)
    small = _count_queries(signed_in, path)
    for _ in range(28):
        _certified_arrangement(service_provider_a)
    AlertFactory(recipient=signed_in_user(signed_in), service_provider=service_provider_a)
    assert _count_queries(signed_in, path) == small


def signed_in_user(client):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=client.session["_auth_user_id"])


# Alerts


def test_notice_shows_on_the_dashboard_until_marked_read(signed_in, user_a, service_provider_a):
    alert = AlertFactory(
        recipient=user_a, service_provider=service_provider_a, subject="Provider X suspended"
    )
    path = url("service_provider", service_provider_a)
    assert "Provider X suspended" in signed_in.get(path).content.decode()
    response = signed_in.post(url("alert_read", service_provider_a, alert.pk))
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.read_at is not None
    assert "Provider X suspended" not in signed_in.get(path).content.decode()


def test_cannot_mark_someone_elses_alert_read(signed_in, service_provider_a, user_b):
    alert = AlertFactory(recipient=user_b, service_provider=service_provider_a)
    response = signed_in.post(url("alert_read", service_provider_a, alert.pk))
    assert response.status_code == 404
    alert.refresh_from_db()
    assert alert.read_at is None


def test_user_switches_email_alerts_off_for_themselves(signed_in, user_a, service_provider_a):
    response = signed_in.post(url("alert_settings", service_provider_a), {"email_alerts": "no"})
    assert response.status_code == 302
    user_a.refresh_from_db()
    assert user_a.email_alerts is False


@pytest.mark.parametrize("value", ["", "maybe", "x" * 5000])
def test_alert_settings_bad_input(signed_in, user_a, service_provider_a, value):
    response = signed_in.post(url("alert_settings", service_provider_a), {"email_alerts": value})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    user_a.refresh_from_db()
    assert user_a.email_alerts is True


# Arrangements


def test_add_a_training_provider_by_search_then_choose(signed_in, service_provider_a, user_a):
    provider = TrainingProviderFactory(name="Calm Approaches Ltd")
    TrainingProviderFactory(name="Other Training")
    search = signed_in.get(url("arrangement_new", service_provider_a), {"q": "calm"})
    page = search.content.decode()
    assert "Calm Approaches Ltd" in page
    assert "Other Training" not in page
    assert f"?provider={provider.slug}" in page
    chosen = signed_in.get(url("arrangement_new", service_provider_a), {"provider": provider.slug})
    assert chosen.status_code == 200
    restraint = SpecialistContent.objects.first()
    response = signed_in.post(
        url("arrangement_new", service_provider_a),
        with_token(
            user_a,
            {
                "training_provider": provider.slug,
                "route": "bought_in",
                **date_fields("starts_on", "2026-01-05"),
                "specialist_content": [restraint.pk],
            },
        ),
    )
    assert response.status_code == 302
    arrangement = TrainingArrangement.objects.get(service_provider=service_provider_a)
    assert arrangement.training_provider == provider
    assert list(arrangement.specialist_content.all()) == [restraint]


@pytest.mark.parametrize(
    "data",
    [
        {},
        {
            "training_provider": "no-such-provider",
            "route": "bought_in",
            **date_fields("starts_on", "2026-01-05"),
        },
        {
            "training_provider": "PROVIDER",
            "route": "teleport",
            **date_fields("starts_on", "2026-01-05"),
        },
        {
            "training_provider": "PROVIDER",
            "route": "bought_in",
            **date_fields("starts_on", ("31", "2", "2026")),
        },
        {
            "training_provider": "PROVIDER",
            "route": "bought_in",
            **date_fields("starts_on", "1000-01-01"),
        },
        {
            "training_provider": "PROVIDER",
            "route": "bought_in",
            **date_fields("starts_on", "2026-01-05"),
            "specialist_content": ["999999"],
        },
    ],
)
def test_add_arrangement_bad_input_saves_nothing(signed_in, service_provider_a, data):
    provider = TrainingProviderFactory()
    data = {k: (provider.slug if v == "PROVIDER" else v) for k, v in data.items()}
    response = signed_in.post(url("arrangement_new", service_provider_a), data)
    assert response.status_code == 200
    assert not TrainingArrangement.objects.exists()


def test_second_open_arrangement_with_the_same_provider_is_refused(signed_in, service_provider_a):
    arrangement, _ = _certified_arrangement(service_provider_a)
    response = signed_in.post(
        url("arrangement_new", service_provider_a),
        {
            "training_provider": arrangement.training_provider.slug,
            "route": "bought_in",
            **date_fields("starts_on", "2026-01-05"),
        },
    )
    assert response.status_code == 200
    assert "already has an open arrangement" in response.content.decode()
    assert TrainingArrangement.objects.count() == 1


@pytest.mark.parametrize("q", ["", " ", "x" * 20000, "\x00"])
def test_provider_search_bad_input(signed_in, service_provider_a, q):
    response = signed_in.get(url("arrangement_new", service_provider_a), {"q": q})
    assert response.status_code == 200


def test_unknown_provider_choice_is_404(signed_in, service_provider_a):
    response = signed_in.get(url("arrangement_new", service_provider_a), {"provider": "nope"})
    assert response.status_code == 404


def test_ending_an_arrangement_keeps_it(signed_in, service_provider_a):
    arrangement, _ = _certified_arrangement(service_provider_a)
    response = signed_in.post(
        url("arrangement_end", service_provider_a, arrangement.pk),
        {**date_fields("ends_on", "2026-02-01")},
    )
    assert response.status_code == 302
    arrangement.refresh_from_db()
    assert arrangement.ends_on == dt.date(2026, 2, 1)
    listing = signed_in.get(url("arrangement_list", service_provider_a)).content.decode()
    assert arrangement.training_provider.name in listing


@pytest.mark.parametrize("ends_on", ["", "2023-12-31", ("garbage", "1", "2026"), "9999-01-01"])
def test_ending_an_arrangement_bad_input(signed_in, service_provider_a, ends_on):
    arrangement, _ = _certified_arrangement(service_provider_a)
    response = signed_in.post(
        url("arrangement_end", service_provider_a, arrangement.pk),
        {**date_fields("ends_on", ends_on)},
    )
    assert response.status_code == 200
    arrangement.refresh_from_db()
    assert arrangement.ends_on is None


# Recording a check


def test_check_form_preselects_the_arrangement(signed_in, service_provider_a):
    arrangement, _ = _certified_arrangement(service_provider_a)
    page = signed_in.get(
        url("check_new", service_provider_a), {"arrangement": arrangement.pk}
    ).content.decode()
    assert f'<option value="{arrangement.pk}" selected>' in page


def test_record_a_check_with_an_evidence_file(
    signed_in, service_provider_a, user_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    arrangement, certification = _certified_arrangement(service_provider_a, checked=False)
    data = with_token(user_a, _check_data(arrangement))
    data["evidence_file"] = SimpleUploadedFile("certificate.pdf", PDF, "application/pdf")
    response = signed_in.post(url("check_new", service_provider_a), data)
    assert response.status_code == 302
    check = ComplianceCheck.objects.get()
    assert check.seen_certificate_number == certification.certificate_number
    assert check.next_review_due == timezone.localdate() + dt.timedelta(days=365)
    assert check.evidence_file.name.endswith(".pdf")
    download = signed_in.get(url("check_evidence", service_provider_a, check.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("certificate.pdf", b"MZ\x90\x00 not a pdf at all"),
        ("certificate.png", b"<html><script>alert(1)</script>"),
        ("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024)),
    ],
)
def test_bad_evidence_files_are_refused_and_nothing_saved(
    signed_in, service_provider_a, settings, tmp_path, name, content
):
    settings.MEDIA_ROOT = tmp_path
    arrangement, _ = _certified_arrangement(service_provider_a, checked=False)
    data = _check_data(arrangement)
    data["evidence_file"] = SimpleUploadedFile(name, content)
    response = signed_in.post(url("check_new", service_provider_a), data)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not ComplianceCheck.objects.exists()
    assert not list(tmp_path.rglob("*.*"))


def test_png_evidence_is_accepted_whatever_its_name(
    signed_in, service_provider_a, user_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    arrangement, _ = _certified_arrangement(service_provider_a, checked=False)
    data = with_token(user_a, _check_data(arrangement))
    data["evidence_file"] = SimpleUploadedFile("scan.exe", PNG)
    assert signed_in.post(url("check_new", service_provider_a), data).status_code == 302
    assert ComplianceCheck.objects.get().evidence_file.name.endswith(".png")


@pytest.mark.parametrize(
    "overrides",
    [
        {"arrangement": ""},
        {"arrangement": "999999"},
        {"arrangement": "abc"},
        {"checked_on": (timezone.localdate() + dt.timedelta(days=1)).isoformat()},
        {**date_fields("checked_on", "2023-12-31")},
        {**date_fields("checked_on", ("garbage", "1", "2026"))},
        {"outcome": "great"},
        {"scope_covers_settings": ""},
        {"evidence": "   "},
        {"evidence": "x" * 6000},
        {**date_fields("next_review_due", "2020-01-01")},
        {**date_fields("next_review_due", "9999-12-31")},
    ],
)
def test_check_form_bad_input_saves_nothing(signed_in, service_provider_a, overrides):
    arrangement, _ = _certified_arrangement(service_provider_a, checked=False)
    response = signed_in.post(
        url("check_new", service_provider_a), _check_data(arrangement, **overrides)
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not ComplianceCheck.objects.exists()


def test_check_of_another_services_arrangement_is_refused(
    signed_in, service_provider_a, service_provider_b
):
    theirs, _ = _certified_arrangement(service_provider_b, checked=False)
    response = signed_in.post(url("check_new", service_provider_a), _check_data(theirs))
    assert response.status_code == 200
    assert not ComplianceCheck.objects.exists()


def test_compliant_outcome_contradicting_the_verdict_asks_for_confirmation(
    signed_in, service_provider_a, user_a
):
    arrangement, certification = _certified_arrangement(service_provider_a, checked=False)
    move_certification(
        certification, Status.SUSPENDED, effective_date=timezone.localdate(), reason="Audit"
    )
    data = with_token(user_a, _check_data(arrangement, outcome="compliant"))
    first = signed_in.post(url("check_new", service_provider_a), data)
    assert first.status_code == 200
    assert "certification suspended on" in first.content.decode()
    assert not ComplianceCheck.objects.exists()
    confirmed = signed_in.post(
        url("check_new", service_provider_a), {**data, "confirm_contradiction": "on"}
    )
    assert confirmed.status_code == 302
    assert ComplianceCheck.objects.get().outcome == "compliant"


def test_compliant_outcome_agreeing_with_the_verdict_saves_at_once(
    signed_in, service_provider_a, user_a
):
    arrangement, _ = _certified_arrangement(service_provider_a, checked=False)
    response = signed_in.post(
        url("check_new", service_provider_a),
        with_token(user_a, _check_data(arrangement, outcome="compliant")),
    )
    assert response.status_code == 302


# History and export


def test_history_is_newest_first_and_filters_by_provider_and_outcome(signed_in, service_provider_a):
    first, _ = _certified_arrangement(service_provider_a, checked=False)
    second, _ = _certified_arrangement(service_provider_a, checked=False)
    ComplianceCheckFactory(arrangement=first, checked_on=dt.date(2026, 1, 1), notes="OLDEST")
    ComplianceCheckFactory(
        arrangement=second, checked_on=dt.date(2026, 3, 1), outcome="not_compliant"
    )
    page = signed_in.get(url("check_list", service_provider_a)).content.decode()
    assert page.index("1 March 2026") < page.index("1 January 2026")
    by_provider = signed_in.get(
        url("check_list", service_provider_a),
        {"training_provider": first.training_provider.slug},
    ).content.decode()
    assert "1 January 2026" in by_provider and "1 March 2026" not in by_provider
    by_outcome = signed_in.get(
        url("check_list", service_provider_a), {"outcome": "not_compliant"}
    ).content.decode()
    assert "1 March 2026" in by_outcome and "1 January 2026" not in by_outcome


@pytest.mark.parametrize(
    "params",
    [
        {"outcome": "bogus"},
        {"training_provider": "not-ours"},
        {"training_provider": "x" * 20000},
        {"page": "-1"},
        {"page": "abc"},
        {"page": "999999"},
        {"outcome": "\x00"},
    ],
)
def test_history_and_export_bad_filters_are_not_500(signed_in, service_provider_a, params):
    _arrangement, _ = _certified_arrangement(service_provider_a)
    assert signed_in.get(url("check_list", service_provider_a), params).status_code == 200
    export = signed_in.get(url("check_export", service_provider_a), params)
    assert export.status_code == 200
    b"".join(export.streaming_content)


def test_history_filter_does_not_offer_or_accept_another_services_provider(
    signed_in, service_provider_a, service_provider_b
):
    theirs, _ = _certified_arrangement(service_provider_b)
    response = signed_in.get(
        url("check_list", service_provider_a),
        {"training_provider": theirs.training_provider.slug},
    )
    assert theirs.training_provider.name not in response.content.decode()


def test_export_is_csv_with_snapshot_and_formula_cells_neutralised(signed_in, service_provider_a):
    arrangement, certification = _certified_arrangement(service_provider_a, checked=False)
    ComplianceCheckFactory(
        arrangement=arrangement,
        notes='=HYPERLINK("http://evil")',
        evidence="+1 certificate",
        seen_certificate_number=certification.certificate_number,
    )
    response = signed_in.get(url("check_export", service_provider_a))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1
    assert rows[0]["notes"] == '\'=HYPERLINK("http://evil")'
    assert rows[0]["evidence"] == "'+1 certificate"
    assert rows[0]["seen_certificate_number"] == certification.certificate_number
    assert rows[0]["training_provider"] == arrangement.training_provider.name


def test_export_honours_the_filters(signed_in, service_provider_a):
    arrangement, _ = _certified_arrangement(service_provider_a, checked=False)
    ComplianceCheckFactory(arrangement=arrangement, outcome="compliant")
    ComplianceCheckFactory(arrangement=arrangement, outcome="not_compliant")
    response = signed_in.get(url("check_export", service_provider_a), {"outcome": "compliant"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["outcome"] for r in rows] == ["Compliant"]


@pytest.mark.parametrize("name", ["check_list", "check_export"])
def test_history_and_export_queries_do_not_grow_with_checks(signed_in, service_provider_a, name):
    arrangement, _ = _certified_arrangement(service_provider_a, checked=False)
    path = url(name, service_provider_a)
    ComplianceCheckFactory.create_batch(5, arrangement=arrangement)
    small = _count_queries(signed_in, path)
    other, _ = _certified_arrangement(service_provider_a, checked=False)
    ComplianceCheckFactory.create_batch(195, arrangement=other)
    assert _count_queries(signed_in, path) == small


def test_check_page_shows_snapshot_next_to_todays_status(signed_in, service_provider_a, user_a):
    arrangement, certification = _certified_arrangement(service_provider_a, checked=False)
    signed_in.post(
        url("check_new", service_provider_a), with_token(user_a, _check_data(arrangement))
    )
    check = ComplianceCheck.objects.get()
    move_certification(
        certification, Status.SUSPENDED, effective_date=timezone.localdate(), reason="Audit"
    )
    page = signed_in.get(url("check_detail", service_provider_a, check.pk)).content.decode()
    snapshot, today = page.split('id="today"')
    assert "Certified" in snapshot.split('id="snapshot"')[1]
    assert "Suspended" in today


def test_check_without_file_has_no_evidence_download(signed_in, service_provider_a):
    arrangement, _ = _certified_arrangement(service_provider_a)
    check = ComplianceCheck.objects.get(arrangement=arrangement)
    assert signed_in.get(url("check_evidence", service_provider_a, check.pk)).status_code == 404


# Access: another organisation's pages, files and exports are 404 (moved into the matrix
# test once it exists).


@pytest.fixture
def b_objects(service_provider_b, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    arrangement, _ = _certified_arrangement(service_provider_b)
    check = ComplianceCheck.objects.get(arrangement=arrangement)
    check.evidence_file = SimpleUploadedFile("e.pdf", PDF)
    check.save()
    return arrangement, check


def _urls_of(service, arrangement, check):
    return [
        ("get", url("service_provider", service)),
        ("get", url("alert_settings", service)),
        ("post", url("alert_settings", service)),
        ("get", url("arrangement_list", service)),
        ("get", url("arrangement_new", service)),
        ("post", url("arrangement_new", service)),
        ("get", url("arrangement_end", service, arrangement.pk)),
        ("post", url("arrangement_end", service, arrangement.pk)),
        ("get", url("check_new", service)),
        ("post", url("check_new", service)),
        ("get", url("check_list", service)),
        ("get", url("check_export", service)),
        ("get", url("check_detail", service, check.pk)),
        ("get", url("check_evidence", service, check.pk)),
    ]


def test_another_service_providers_pages_files_and_exports_are_404(
    signed_in, service_provider_b, b_objects
):
    for method, path in _urls_of(service_provider_b, *b_objects):
        response = getattr(signed_in, method)(path)
        assert response.status_code == 404, (method, path)


def test_objects_of_another_service_under_my_slug_are_404(signed_in, service_provider_a, b_objects):
    arrangement, check = b_objects
    for name, pk in [
        ("arrangement_end", arrangement.pk),
        ("check_detail", check.pk),
        ("check_evidence", check.pk),
    ]:
        assert signed_in.get(url(name, service_provider_a, pk)).status_code == 404


def test_anonymous_users_are_sent_to_sign_in(client, service_provider_b, b_objects):
    for method, path in _urls_of(service_provider_b, *b_objects):
        response = getattr(client, method)(path)
        assert response.status_code == 302, (method, path)
        assert response["Location"].startswith("/accounts/login/")


def test_superuser_sees_any_service_provider(client, superuser, service_provider_b, b_objects):
    client.force_login(superuser)
    _arrangement, check = b_objects
    assert client.get(url("service_provider", service_provider_b)).status_code == 200
    assert client.get(url("check_detail", service_provider_b, check.pk)).status_code == 200
    assert TrainingProvider.objects.exists()
    assert Alert.objects.count() == 0


@pytest.mark.parametrize("provider", ["\x00", "a\x00b", "not a slug", "x" * 20000])
def test_malformed_provider_choice_is_404_not_500(signed_in, service_provider_a, provider):
    response = signed_in.get(url("arrangement_new", service_provider_a), {"provider": provider})
    assert response.status_code == 404


def test_adding_a_provider_shows_its_status_and_warns_when_it_is_not_valid(
    signed_in, service_provider_a, user_a
):
    suspended = CertificationFactory(
        provider__name="Bright Skills Ltd", status=Status.SUSPENDED
    ).provider
    CertificationFactory(provider__name="Bright Futures Training")
    search = signed_in.get(url("arrangement_new", service_provider_a), {"q": "bright"})
    matches = search.content.decode().split('id="matches"')[1].split("</ul>")[0]
    assert '<strong class="govuk-tag govuk-tag--red">Suspended</strong>' in matches
    assert '<strong class="govuk-tag govuk-tag--green">Certified</strong>' in matches

    warning = (
        "Bright Skills Ltd&#x27;s certification is suspended: training from it does not comply "
        "until it is reinstated"
    )
    chosen = signed_in.get(url("arrangement_new", service_provider_a), {"provider": suspended.slug})
    assert warning in chosen.content.decode()
    response = signed_in.post(
        url("arrangement_new", service_provider_a),
        with_token(
            user_a,
            {
                "training_provider": suspended.slug,
                "route": "bought_in",
                **date_fields("starts_on", "2026-01-05"),
            },
        ),
        follow=True,
    )
    page = response.content.decode()
    assert "Bright Skills Ltd added" in page
    assert warning in page


def test_adding_a_valid_provider_gives_no_warning(signed_in, service_provider_a, user_a):
    provider = CertificationFactory(provider__name="Bright Futures Training").provider
    chosen = signed_in.get(url("arrangement_new", service_provider_a), {"provider": provider.slug})
    assert "does not comply" not in chosen.content.decode()
    assert '<strong class="govuk-tag govuk-tag--green">Certified</strong>' in (
        chosen.content.decode()
    )
