"""Two people editing the same certification at once: the second save is refused with who
changed it and when, never silently overwriting the first. On SQLite and PostgreSQL."""

import pytest
from django.urls import reverse

from certification.models import Certification
from certification.services import StaleCertificationError, save_certification_edit
from pages.dates import DateField
from tests.factories import CertificationFactory
from tests.form_dates import as_posted, date_fields

pytestmark = pytest.mark.django_db


def _form_data(response):
    """What the browser would post back: the change form's current values."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(form.fields[name], DateField):
            data |= as_posted(form, name, value)
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = str(value)
    data |= {"events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0"}
    return data


def test_second_of_two_concurrent_edits_is_refused(client, certifier_a, certifier_b, body_a):
    from certification.staff import add_body_staff

    add_body_staff(certifier_b, body_a)
    certification = CertificationFactory(body=body_a)
    url = reverse("admin:certification_certification_change", args=[certification.pk])

    client.force_login(certifier_a)
    first_form = _form_data(client.get(url))
    client.force_login(certifier_b)
    second_form = _form_data(client.get(url))

    client.force_login(certifier_a)
    first = client.post(url, first_form | {"role": "certified_service", "is_archived": "on"})
    assert first.status_code == 302

    client.force_login(certifier_b)
    second = client.post(url, second_form | date_fields("registered_on", "2020-02-02"))
    assert second.status_code == 200
    errors = " ".join(second.context["adminform"].form.non_field_errors())
    assert f"changed by {certifier_a}" in errors
    assert "since you opened it" in errors and "try again" in errors

    certification.refresh_from_db()
    assert certification.is_archived  # the first edit stands
    assert str(certification.registered_on) != "2020-02-02"  # the second was not saved


def test_the_version_check_is_in_the_update_itself(body_a):
    """Even if both edits pass the form's check, only one UPDATE finds its version."""
    certification = CertificationFactory(body=body_a)
    first = Certification.objects.get(pk=certification.pk)
    second = Certification.objects.get(pk=certification.pk)
    save_certification_edit(first, expected_version=first.version, is_archived=True)
    with pytest.raises(StaleCertificationError):
        save_certification_edit(second, expected_version=second.version, is_archived=False)
    certification.refresh_from_db()
    assert certification.is_archived
    assert certification.version == second.version + 1


def test_a_race_past_the_form_check_is_refused_and_writes_nothing(
    client, certifier_a, body_a, monkeypatch
):
    from certification import forms

    certification = CertificationFactory(body=body_a)
    url = reverse("admin:certification_certification_change", args=[certification.pk])
    client.force_login(certifier_a)
    data = _form_data(client.get(url))
    # Someone saves between the form's check and the UPDATE.
    original_clean = forms.CertificationChangeForm.clean

    def clean_then_someone_saves(form):
        cleaned = original_clean(form)
        other = Certification.objects.get(pk=certification.pk)
        save_certification_edit(other, expected_version=other.version)
        return cleaned

    monkeypatch.setattr(forms.CertificationChangeForm, "clean", clean_then_someone_saves)
    response = client.post(url, data | date_fields("registered_on", "2020-02-02"), follow=True)
    assert "since you opened it" in response.text
    certification.refresh_from_db()
    assert str(certification.registered_on) != "2020-02-02"


def test_ordinary_edit_cannot_change_status_or_certificate(client, certifier_a, body_a):
    certification = CertificationFactory(body=body_a)
    url = reverse("admin:certification_certification_change", args=[certification.pk])
    client.force_login(certifier_a)
    data = _form_data(client.get(url))
    response = client.post(
        url,
        data | {"status": "withdrawn", "certificate_number": "HACKED", "valid_until": "2099-01-01"},
    )
    assert response.status_code == 302
    certification.refresh_from_db()
    assert certification.status == "certified"
    assert certification.certificate_number != "HACKED"
    assert certification.version == 2
