"""Database rules on certifications, proven by trying to break them with raw updates."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from certification.models import Certification
from certification.statuses import Status
from tests.factories import CertificationFactory

pytestmark = pytest.mark.django_db


def _update_raises(certification, **fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Certification.objects.filter(pk=certification.pk).update(**fields)


def test_certificate_number_is_unique():
    first = CertificationFactory()
    second = CertificationFactory()
    _update_raises(second, certificate_number=first.certificate_number)


@pytest.mark.parametrize("status", [Status.CERTIFIED, Status.SUSPENDED])
@pytest.mark.parametrize("field", ["certificate_number", "certified_on", "valid_until"])
def test_certified_or_suspended_needs_certificate(status, field):
    certification = CertificationFactory()
    _update_raises(certification, status=status, **{field: None})


def test_valid_until_must_be_after_certified_on():
    certification = CertificationFactory()
    _update_raises(certification, valid_until=certification.certified_on)
    _update_raises(certification, valid_until=certification.certified_on - dt.timedelta(days=1))


def test_affiliate_needs_parent_and_others_must_not_have_one():
    parent = CertificationFactory()
    certification = CertificationFactory()
    _update_raises(certification, role=Certification.Role.AFFILIATE, parent=None)
    _update_raises(certification, role=Certification.Role.CERTIFIED_SERVICE, parent=parent)
    Certification.objects.filter(pk=certification.pk).update(
        role=Certification.Role.AFFILIATE, parent=parent
    )


def test_one_current_certification_per_provider_and_body():
    # (A certification's provider and body never change, so the second current one is made
    # by bringing an ended one back.)
    first = CertificationFactory()
    Certification.objects.filter(pk=first.pk).update(status=Status.WITHDRAWN)
    CertificationFactory(body=first.body, provider=first.provider)
    _update_raises(first, status=Status.CERTIFIED)


@pytest.mark.parametrize("ended", [Status.WITHDRAWN, Status.EXPIRED])
def test_an_ended_certification_plus_a_new_one_is_fine(ended):
    first = CertificationFactory()
    Certification.objects.filter(pk=first.pk).update(status=ended)
    second = CertificationFactory(body=first.body, provider=first.provider)
    assert second.provider == first.provider


def test_records_with_history_are_protected():
    certification = CertificationFactory()
    with pytest.raises(ProtectedError), transaction.atomic():
        certification.provider.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        certification.body.delete()
    with pytest.raises((ProtectedError, PermissionError)), transaction.atomic():
        Certification.objects.filter(pk=certification.pk).delete()
    assert Certification.objects.filter(pk=certification.pk).exists()
