"""Every write path goes through the one writer (derived.writer), and works out each provider's
headline periods once per transaction: the admin (a change form with its scope, a status move,
an accreditation change), a site administrator's correction (the old and the new provider,
once each), the CSV import, and a restore (which also rebuilds what an older release stored).
"""

import datetime as dt
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from certification.headline_periods import KIND, headline_periods
from certification.models import HeadlinePeriod
from certification.staff import add_body_staff
from certification.statuses import AccreditationStatus, Status
from derived import generation, versions, writer
from derived.models import DerivedVersion
from standards.loading import load_standards, load_vocabulary
from standards.models import Region
from tests.admin.test_certification_import import confirm, csv_text, preview, row
from tests.derived.test_every_write_path_stateful import _admin_form_data, _date_post
from tests.factories import (
    CertificationBodyFactory,
    CertificationFactory,
    TrainingProviderFactory,
    UserFactory,
)

TODAY = timezone.localdate()


@pytest.fixture
def rebuilt(monkeypatch):
    """The provider ids of every rebuild of periods, and the generations started, in order."""
    calls = {"periods": [], "generations": []}
    for kind, name in ((writer.PERIODS, "periods"), (writer.GENERATIONS, "generations")):
        write = writer._writers[kind]

        def counting(keys, write=write, name=name):
            calls[name].append(sorted(keys))
            write(keys)

        monkeypatch.setitem(writer._writers, kind, counting)
    return calls


@pytest.fixture
def body():
    return CertificationBodyFactory()


@pytest.fixture
def certifier(body):
    return add_body_staff(UserFactory(), body)


@pytest.fixture
def superuser():
    return UserFactory(is_staff=True, is_superuser=True)


def _once_each(calls):
    """Every provider rebuilt in at most one call: [provider ids] of all the calls."""
    ids = [pk for call in calls for pk in call]
    assert len(ids) == len(set(ids)), calls
    return sorted(ids)


@pytest.mark.django_db
def test_an_admin_change_form_with_its_scope_works_out_the_periods_once(
    client, certifier, body, rebuilt
):
    certification = CertificationFactory(body=body)
    client.force_login(certifier)
    url = reverse("admin:certification_certification_change", args=[certification.pk])
    data = _admin_form_data(client.get(url))
    data["regions"] = [str(pk) for pk in Region.objects.values_list("pk", flat=True)[:2]]
    data |= _date_post("registered_on", dt.date(2024, 2, 2))
    rebuilt["periods"].clear()
    rebuilt["generations"].clear()

    assert client.post(url, data).status_code == 302

    assert rebuilt["periods"] == [[certification.provider_id]]
    assert len(rebuilt["generations"]) == 1  # a save and two scope changes: one generation
    assert certification.regions.count() == 2


@pytest.mark.django_db
def test_an_admin_status_move_works_out_the_periods_once(client, certifier, body, rebuilt):
    certification = CertificationFactory(body=body)
    client.force_login(certifier)
    rebuilt["periods"].clear()
    url = reverse("admin:certification_certification_change_status", args=[certification.pk])
    data = {
        "to_status": Status.SUSPENDED,
        "reason": "Audit missed",
        "version": certification.version,
        **_date_post("effective_date", TODAY),
    }

    assert client.post(url, data).status_code == 302

    assert rebuilt["periods"] == [[certification.provider_id]]


@pytest.mark.django_db
def test_an_accreditation_change_works_out_no_period_the_register_reads_it_into(
    client, superuser, body, rebuilt
):
    """The register applies a body's accreditation as it reads (providers.querysets
    .with_headline): providers certified by this body alone have nothing to work out again."""
    certifications = CertificationFactory.create_batch(3, body=body)
    client.force_login(superuser)
    rebuilt["periods"].clear()
    data = {"body": body.pk, "status": AccreditationStatus.SUSPENDED, "note": "UKAS"}
    data |= _date_post("effective_date", TODAY)

    response = client.post(reverse("admin:certification_accreditationchange_add"), data)

    assert response.status_code == 302
    assert certifications and _once_each(rebuilt["periods"]) == []


@pytest.mark.django_db
def test_a_correction_works_out_the_old_and_the_new_provider_once_each(
    client, superuser, body, rebuilt
):
    certification = CertificationFactory(body=body)
    old_provider, new_provider = certification.provider, TrainingProviderFactory()
    client.force_login(superuser)
    rebuilt["periods"].clear()
    url = reverse("admin:certification_certification_correct", args=[certification.pk])
    data = {
        "provider": new_provider.pk,
        "body": body.pk,
        "reason": "Recorded against the wrong provider",
        "version": certification.version,
    }

    assert client.post(url, data).status_code == 302

    assert _once_each(rebuilt["periods"]) == sorted([old_provider.pk, new_provider.pk])
    assert not HeadlinePeriod.objects.filter(provider=old_provider).exists()
    assert HeadlinePeriod.objects.filter(provider=new_provider).exists()


@pytest.mark.django_db
def test_an_import_works_out_each_provider_once(client, certifier, body, rebuilt):
    moved = CertificationFactory(body=body, certificate_number="IMP-00009")
    client.force_login(certifier)
    text = csv_text(
        row(1),
        row(2),
        row(
            9,
            provider_name=moved.provider.name,
            provider_registration_number=moved.provider.registration_number,
            status="suspended",
            reason="Audit missed",
            effective_date=TODAY.isoformat(),
        ),
    )
    page, url = preview(client, body, text)
    rebuilt["periods"].clear()

    assert confirm(client, url, page).status_code == 302

    ids = _once_each(rebuilt["periods"])
    assert moved.provider_id in ids and len(ids) == 3


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite restore (loaddata)")
def test_a_restore_rebuilds_what_an_older_release_stored_and_starts_a_new_generation(
    tmp_path,
):
    call_command("flush", interactive=False, verbosity=0)
    load_vocabulary(apps)
    load_standards(apps)
    certification = CertificationFactory()
    # What an older release stored: other rules' periods, recorded as theirs.
    HeadlinePeriod.objects.filter(provider=certification.provider).update(label="Old words")
    DerivedVersion.objects.filter(name=KIND.name).update(version="older-rules")
    backup = tmp_path / "register.xml.gz"
    call_command("backup_database", output=str(backup), stdout=io.StringIO())
    token = generation.current(generation.REGISTER)

    call_command("restore_database", str(backup), stdout=io.StringIO())

    assert versions.recorded(KIND.name) == KIND.version
    provider = type(certification.provider).objects.with_verdict_data().get()
    stored = list(
        HeadlinePeriod.objects.filter(provider=provider)
        .order_by("starts_on")
        .values_list("starts_on", "ends_on", "label")
    )
    assert stored == [(s, e, shown[1]) for s, e, _embeds, shown in headline_periods(provider)]
    assert generation.current(generation.REGISTER) != token
