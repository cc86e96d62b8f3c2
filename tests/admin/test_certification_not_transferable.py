"""Certification is not transferable: a certification's provider and body are fixed once it is
created. The admin shows them read-only, the edit service, the model, bulk updates and the
database refuse a change, and a site administrator puts a mistake right through one audited
path, which works the register out again for both providers."""

import json

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from certification.models import Certification, CertificationCorrection
from certification.services import correct_provider_or_body, save_certification_edit
from certification.verdicts import Headline
from pages.dates import DateField
from tests.factories import (
    CertificationBodyFactory,
    CertificationFactory,
    CurriculumFactory,
    TrainingProviderFactory,
)
from tests.form_dates import as_posted

pytestmark = pytest.mark.django_db


@pytest.fixture
def certification(body_a):
    return CertificationFactory(body=body_a, provider__name="Wrong Provider Ltd")


@pytest.fixture
def right_provider():
    return TrainingProviderFactory(name="Right Provider Ltd")


def change_form_data(response, **changes):
    form = response.context["adminform"].form
    data = {"events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0"}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if isinstance(form.fields[name], DateField):
            data |= as_posted(form, name, value)
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        else:
            data[name] = "on" if value is True else str(value)
    return data | changes


@pytest.mark.parametrize("who", ["certifier_a", "superuser"])
def test_change_form_shows_provider_and_body_read_only_and_ignores_posted_ones(
    client, request, who, certification, right_provider, body_b
):
    client.force_login(request.getfixturevalue(who))
    url = reverse("admin:certification_certification_change", args=[certification.pk])
    page = client.get(url)
    assert 'name="provider"' not in page.text and 'name="body"' not in page.text
    assert "Wrong Provider Ltd" in page.text
    response = client.post(
        url,
        change_form_data(page, provider=str(right_provider.pk), body=str(body_b.pk)),
    )
    assert response.status_code == 302
    certification.refresh_from_db()
    assert certification.provider.name == "Wrong Provider Ltd"
    assert certification.body.name == "Body A"


@pytest.mark.parametrize("field", ["provider", "body"])
def test_edit_service_refuses_a_new_provider_or_body(certification, right_provider, body_b, field):
    value = {"provider": right_provider, "body": body_b}[field]
    version = certification.version
    with pytest.raises(ValidationError, match="cannot change"):
        save_certification_edit(certification, expected_version=version, **{field: value})
    fresh = Certification.objects.get(pk=certification.pk)
    assert fresh.version == version
    assert fresh.provider.name == "Wrong Provider Ltd" and fresh.body.name == "Body A"


def test_model_refuses_to_save_a_moved_certification(certification, right_provider):
    certification.provider = right_provider
    with pytest.raises(ValidationError, match="not transferable"):
        certification.save()
    loaded = Certification.objects.get(pk=certification.pk)
    loaded.body = CertificationBodyFactory()
    with pytest.raises(ValidationError, match="not transferable"):
        loaded.save()
    loaded.refresh_from_db(fields=["status"])  # other fields reloaded: still refused
    with pytest.raises(ValidationError, match="not transferable"):
        loaded.save()
    assert Certification.objects.get(pk=certification.pk).provider.name == "Wrong Provider Ltd"


def test_bulk_updates_refuse_provider_and_body(certification, right_provider):
    with pytest.raises(PermissionError):
        Certification.objects.filter(pk=certification.pk).update(provider=right_provider)
    certification.provider = right_provider
    with pytest.raises(PermissionError):
        Certification.objects.bulk_update([certification], ["provider"])


def test_database_refuses_an_update_of_provider_or_body(certification, right_provider):
    table = Certification._meta.db_table
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET provider_id = %s WHERE id = %s",
            [right_provider.pk, certification.pk],
        )
    other_body = CertificationBodyFactory()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET body_id = %s WHERE id = %s", [other_body.pk, certification.pk]
        )
    with connection.cursor() as cursor:  # other columns still change
        cursor.execute(
            f"UPDATE {table} SET is_archived = %s WHERE id = %s", [True, certification.pk]
        )
    fresh = Certification.objects.get(pk=certification.pk)
    assert fresh.provider.name == "Wrong Provider Ltd" and fresh.is_archived


def register_row(client, provider):
    rows = json.loads(b"".join(client.get(reverse("providers:export_json")).streaming_content))
    return next((row for row in rows if row["slug"] == provider.slug), None)


def test_site_administrator_corrects_the_provider_audited_and_both_registers_rebuilt(
    client, superuser, certification, right_provider
):
    wrong_provider = certification.provider
    assert wrong_provider.headline_periods.filter(headline=Headline.CERTIFIED).exists()
    client.force_login(superuser)
    url = reverse("admin:certification_certification_correct", args=[certification.pk])
    page = client.get(url)
    assert page.status_code == 200
    change_page = client.get(
        reverse("admin:certification_certification_change", args=[certification.pk])
    )
    assert url in change_page.text  # linked from the change form

    response = client.post(
        url,
        {
            "provider": right_provider.pk,
            "body": certification.body_id,
            "reason": "Recorded against the wrong provider by the importer",
            "version": certification.version,
        },
    )
    assert response.status_code == 302
    certification.refresh_from_db()
    assert certification.provider == right_provider

    correction = CertificationCorrection.objects.get(certification=certification)
    assert (correction.from_provider, correction.to_provider) == (wrong_provider, right_provider)
    assert correction.from_body == correction.to_body == certification.body
    assert correction.reason == "Recorded against the wrong provider by the importer"
    assert correction.recorded_by == superuser
    latest = certification.history.order_by("-history_date").first()
    assert latest.history_user == superuser and "wrong provider" in latest.history_change_reason
    assert LogEntry.objects.filter(
        object_id=str(certification.pk), change_message__contains="wrong provider"
    ).exists()

    # The register: the old provider is no longer certified, the new one is.
    assert not wrong_provider.headline_periods.exists()
    assert right_provider.headline_periods.filter(headline=Headline.CERTIFIED).exists()
    assert register_row(client, wrong_provider)["status"] == "not_on_register"
    assert register_row(client, right_provider)["status"] == "certified"


def test_correcting_the_body_rebuilds_the_headlines_of_affiliates(superuser, body_a):
    """The parent was recorded against the wrong body (one without UKAS accreditation); its
    affiliate, by the right one, reads its parent's body: its headline is worked out again."""
    unaccredited = CertificationBodyFactory(accredited=False)
    parent = CertificationFactory(body=unaccredited)
    affiliate = CertificationFactory(body=body_a, role="affiliate", parent=parent)
    today = timezone.localdate()

    def headline_today(provider):
        period = provider.headline_periods.get(starts_on__lte=today, ends_on__gt=today)
        return period.headline

    assert headline_today(affiliate.provider) != Headline.CERTIFIED
    correct_provider_or_body(
        parent,
        provider=parent.provider,
        body=body_a,
        reason="Issued by Body A, recorded against another body",
        recorded_by=superuser,
    )
    parent.refresh_from_db()
    assert parent.body == body_a
    assert CertificationCorrection.objects.get().to_body == body_a
    # The affiliate's headline reads its parent's body: worked out again.
    assert headline_today(affiliate.provider) == Headline.CERTIFIED
    assert headline_today(parent.provider) == Headline.CERTIFIED


def post_correction(client, certification, **changes):
    url = reverse("admin:certification_certification_correct", args=[certification.pk])
    data = {
        "provider": certification.provider_id,
        "body": certification.body_id,
        "reason": "Recorded against the wrong one",
        "version": certification.version,
    }
    return client.post(url, data | {k: v.pk for k, v in changes.items()})


def assert_refused(response, certification, field, message):
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not CertificationCorrection.objects.exists()
    fresh = Certification.objects.get(pk=certification.pk)
    assert (fresh.provider_id, fresh.body_id) == (certification.provider_id, certification.body_id)


def test_correcting_the_provider_is_refused_while_curricula_are_the_old_provider_s(
    client, superuser, certification, right_provider
):
    course = CurriculumFactory(provider=certification.provider, name="Safe Holds Course")
    certification.curricula.add(course)
    client.force_login(superuser)
    response = post_correction(client, certification, provider=right_provider)
    assert_refused(
        response,
        certification,
        "provider",
        "Remove Safe Holds Course from this certification's curricula first: it is not "
        "Right Provider Ltd's",
    )
    # With the curriculum removed (an ordinary edit), the correction goes through.
    certification.curricula.clear()
    assert post_correction(client, certification, provider=right_provider).status_code == 302


def test_correcting_a_parent_s_provider_is_refused_while_affiliates_use_its_curricula(
    client, superuser, certification, right_provider
):
    affiliate = CertificationFactory(
        body=certification.body, role="affiliate", parent=certification
    )
    affiliate.curricula.add(
        CurriculumFactory(provider=certification.provider, name="Parent Course")
    )
    client.force_login(superuser)
    response = post_correction(client, certification, provider=right_provider)
    assert_refused(
        response,
        certification,
        "provider",
        "Remove Parent Course from the curricula of this certification's affiliates first",
    )


def test_correcting_a_parent_s_body_is_refused_while_its_affiliates_are_by_the_old_body(
    client, superuser, certification, body_b
):
    affiliate = CertificationFactory(
        body=certification.body, role="affiliate", parent=certification, provider__name="Aff Ltd"
    )
    client.force_login(superuser)
    response = post_correction(client, certification, body=body_b)
    assert_refused(
        response,
        certification,
        "body",
        "Give this certification's affiliates (Aff Ltd) another parent first: they are not "
        "certified by Body B",
    )
    assert Certification.objects.get(pk=affiliate.pk).body == certification.body


def test_correcting_an_affiliate_s_body_is_refused_unless_its_parent_s(
    client, superuser, certification, body_b
):
    affiliate = CertificationFactory(
        body=certification.body, role="affiliate", parent=certification
    )
    client.force_login(superuser)
    response = post_correction(client, affiliate, body=body_b)
    assert_refused(
        response,
        affiliate,
        "body",
        "Choose Body A, the body of this affiliate's parent certification",
    )


def test_correction_needs_a_reason_and_a_change(client, superuser, certification, right_provider):
    client.force_login(superuser)
    url = reverse("admin:certification_certification_correct", args=[certification.pk])
    data = {
        "provider": right_provider.pk,
        "body": certification.body_id,
        "version": certification.version,
    }
    no_reason = client.post(url, data | {"reason": "   "})
    assert no_reason.status_code == 200
    assert "Enter the reason for this correction" in no_reason.text
    unchanged = client.post(
        url, data | {"provider": certification.provider_id, "reason": "Nothing really"}
    )
    assert unchanged.status_code == 200
    assert "Choose a different provider or body" in unchanged.text
    stale = client.post(url, data | {"reason": "Wrong", "version": certification.version - 1})
    assert stale.status_code == 200
    assert not CertificationCorrection.objects.exists()
    certification.refresh_from_db()
    assert certification.provider.name == "Wrong Provider Ltd"


def test_correction_refused_when_it_would_make_two_current_certifications(
    superuser, certification, right_provider
):
    CertificationFactory(provider=right_provider, body=certification.body)
    with pytest.raises(ValidationError, match="already has a current certification"):
        correct_provider_or_body(
            certification,
            provider=right_provider,
            body=certification.body,
            reason="Duplicate",
            recorded_by=superuser,
        )
    assert not CertificationCorrection.objects.exists()


def test_only_site_administrators_correct_a_certification(
    client, certifier_a, certifier_b, certification, right_provider
):
    url = reverse("admin:certification_certification_correct", args=[certification.pk])
    signed_out = client.get(url)
    assert signed_out.status_code == 302 and "login/?next=" in signed_out.headers["Location"]
    client.force_login(certifier_b)
    assert client.get(url).status_code == 403
    client.force_login(certifier_a)
    assert client.get(url).status_code == 403
    response = client.post(
        url,
        {
            "provider": right_provider.pk,
            "body": certification.body_id,
            "reason": "Mine now",
            "version": certification.version,
        },
    )
    assert response.status_code == 403
    change_page = client.get(
        reverse("admin:certification_certification_change", args=[certification.pk])
    )
    assert url not in change_page.text
    with pytest.raises(PermissionError):
        correct_provider_or_body(
            certification,
            provider=right_provider,
            body=certification.body,
            reason="Mine now",
            recorded_by=certifier_a,
        )
    assert not CertificationCorrection.objects.exists()


@pytest.mark.parametrize("object_id", ["0", "99999999999999999999"])
def test_correction_page_of_a_missing_certification_is_not_found(client, superuser, object_id):
    client.force_login(superuser)
    url = f"/admin/certification/certification/{object_id}/correct-provider-or-body/"
    assert client.get(url).status_code == 404


def test_corrections_are_append_only(superuser, certification, right_provider):
    correction = correct_provider_or_body(
        certification,
        provider=right_provider,
        body=certification.body,
        reason="Wrong provider",
        recorded_by=superuser,
    )
    with pytest.raises(PermissionError):
        correction.save()
    with pytest.raises(PermissionError):
        CertificationCorrection.objects.update(reason="Rewritten")
    with pytest.raises(PermissionError):
        correction.delete()


def test_bulk_writes_refuse_whatever_models_fixed_fields_lists(monkeypatch, certification):
    """One list of fixed fields (certification.models.FIXED_FIELDS): the bulk-write guard and
    the add form read it rather than keeping copies."""
    from certification import forms, models

    assert forms.FIXED_FIELDS == ["provider", "body"]
    monkeypatch.setattr(models, "FIXED_FIELDS", (*models.FIXED_FIELDS, "registered_on"))
    with pytest.raises(PermissionError):
        Certification.objects.filter(pk=certification.pk).update(registered_on="2020-01-01")
    with pytest.raises(PermissionError):
        Certification.objects.bulk_update([certification], ["registered_on"])
