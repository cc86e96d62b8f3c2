"""A certificate number belongs to one certification however it is written: numbers that differ
only in case or separators (RRN-2024-0061, RRN/2024/0061) share a key, and the key is unique in
the database and in every check that writes a number (add form, services, bulk import)."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from certification import importing
from certification.certificate_check import check_certificate
from certification.forms import CertificateCheckForm, CertificationAddForm
from certification.models import Certification
from certification.services import Certificate, move_certification, register_certification
from certification.statuses import Status
from tests.admin.test_certification_import import csv_text, row
from tests.factories import (
    CertificationBodyFactory,
    CertificationFactory,
    TrainingProviderFactory,
    UserFactory,
    current_edition,
)

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 6, 1)
CERTIFICATE = Certificate("RRN/2024/0061", dt.date(2025, 1, 1), dt.date(2028, 1, 1))


@pytest.fixture
def old_holder():
    """Old P: expired, still holding RRN-2024-0061 as its last certificate."""
    return CertificationFactory(
        provider__name="Old P", certificate_number="RRN-2024-0061", status=Status.EXPIRED
    )


def test_the_database_refuses_a_second_certification_with_the_same_key(old_holder):
    with pytest.raises(IntegrityError), transaction.atomic():
        Certification.objects.bulk_create(
            [
                Certification(
                    provider=TrainingProviderFactory(),
                    body=old_holder.body,
                    standards_edition=old_holder.standards_edition,
                    status=Status.CERTIFIED,
                    certificate_number="RRN/2024/0061",
                    certified_on=CERTIFICATE.certified_on,
                    valid_until=CERTIFICATE.valid_until,
                    registered_on=ON,
                )
            ]
        )


def test_the_constraint_says_what_to_do(old_holder):
    constraint = next(
        c
        for c in Certification._meta.constraints
        if c.name == "certification_certificate_key_unique"
    )
    assert constraint.violation_error_message == (
        "Another certification already has this certificate number"
    )


def test_registering_refuses_a_number_that_differs_only_in_separators(old_holder):
    with pytest.raises(Exception, match="Another certification already has this certificate"):
        register_certification(
            provider=TrainingProviderFactory(name="New P"),
            body=CertificationBodyFactory(),
            standards_edition=current_edition(),
            status=Status.CERTIFIED,
            effective_date=CERTIFICATE.certified_on,
            reason="Assessed",
            certificate=CERTIFICATE,
            today=ON,
        )
    assert Certification.objects.count() == 1


def test_moving_to_certified_refuses_a_number_that_differs_only_in_separators(old_holder):
    other = CertificationFactory(status=Status.WORKING_TOWARDS)
    with pytest.raises(Exception, match="Another certification already has this certificate"):
        move_certification(
            other,
            Status.CERTIFIED,
            effective_date=CERTIFICATE.certified_on,
            reason="Assessed",
            certificate=CERTIFICATE,
            today=ON,
        )
    other.refresh_from_db()
    assert other.status == Status.WORKING_TOWARDS and other.certificate_number is None


def test_the_add_form_refuses_a_number_that_differs_only_in_separators(old_holder):
    form = CertificationAddForm(data={"certificate_number": "rrn.2024.0061"})
    assert not form.is_valid()
    assert form.errors["certificate_number"] == [
        "Another certification already has this certificate number"
    ]


@pytest.mark.parametrize("same_body", [True, False])
def test_the_importer_refuses_a_number_that_differs_only_in_separators(old_holder, same_body):
    body = old_holder.body if same_body else CertificationBodyFactory()
    plan = importing.Importer(body, UserFactory()).plan(
        csv_text(row(1, provider_name="New P", certificate_number="RRN/2024/0061"))
    )
    assert [(e.row, e.column) for e in plan.errors] == [(2, "certificate_number")]


def test_the_importer_finds_the_body_s_certification_however_its_number_is_written(old_holder):
    """The same provider's row, with the number written differently: its own certification."""
    plan = importing.Importer(old_holder.body, UserFactory()).plan(
        csv_text(
            row(
                1,
                provider_name="Old P",
                provider_registration_number=old_holder.provider.registration_number or "",
                certificate_number="rrn/2024/0061",
                status="expired",
            )
        )
    )
    assert not plan.errors
    (planned,) = plan.rows
    assert planned.certification == old_holder


def test_a_number_replaced_on_one_certification_may_be_reused_by_another():
    """As before keys: only numbers certifications hold now are taken. The check then finds
    the certification whose number is exactly the one typed."""
    old = CertificationFactory(provider__name="Old P", certificate_number="RRN-2024-0061")
    move_certification(
        old,
        Status.CERTIFIED,
        effective_date=dt.date(2026, 5, 1),
        reason="Renewed",
        certificate=Certificate("RRN-2026-0001", dt.date(2026, 5, 1), dt.date(2029, 5, 1)),
        today=ON,
    )
    new = register_certification(
        provider=TrainingProviderFactory(name="New P"),
        body=CertificationBodyFactory(),
        standards_edition=current_edition(),
        status=Status.CERTIFIED,
        effective_date=CERTIFICATE.certified_on,
        reason="Assessed",
        certificate=CERTIFICATE,
        today=ON,
    )
    exact_new = check_certificate("RRN/2024/0061", ON)
    assert exact_new.certification == new and exact_new.label == "Valid"
    exact_old = check_certificate("RRN-2024-0061", ON)
    assert exact_old.certification == old and exact_old.label == "Replaced"
    # Typed neither way: the one holding it now.
    assert check_certificate("rrn 2024 0061", ON).certification == new


def test_the_check_form_tidies_the_number_as_the_register_stores_it():
    form = CertificateCheckForm(data={"number": " rrn 2024-0061 "})
    assert form.is_valid()
    assert form.cleaned_data["number"] == "RRN2024-0061"


def test_the_importer_refuses_one_number_written_two_ways_in_one_file():
    plan = importing.Importer(CertificationBodyFactory(), UserFactory()).plan(
        csv_text(row(1, certificate_number="RRN-9-1"), row(2, certificate_number="rrn/9/1"))
    )
    assert [(e.row, e.column) for e in plan.errors] == [(3, "certificate_number")]
