"""Database rules on memberships, contracts, arrangements, checks and alerts."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from accounts.models import Membership, Role
from compliance.models import Alert, ComplianceCheck, Contract, TrainingArrangement
from tests.factories import (
    AlertFactory,
    CommissionerFactory,
    ComplianceCheckFactory,
    ContractFactory,
    MembershipFactory,
    TrainingArrangementFactory,
)

pytestmark = pytest.mark.django_db


def _update_raises(model, pk, **fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=pk).update(**fields)


def test_membership_needs_exactly_one_organisation_matching_its_role():
    membership = MembershipFactory()
    commissioner = CommissionerFactory()
    _update_raises(Membership, membership.pk, service_provider=None)
    _update_raises(Membership, membership.pk, commissioner=commissioner)
    _update_raises(Membership, membership.pk, role=Role.COMMISSIONER_STAFF)
    Membership.objects.filter(pk=membership.pk).update(
        role=Role.COMMISSIONER_STAFF, service_provider=None, commissioner=commissioner
    )


def test_contract_cannot_end_before_it_starts():
    contract = ContractFactory()
    _update_raises(Contract, contract.pk, ends_on=contract.starts_on - dt.timedelta(days=1))


def test_arrangement_cannot_end_before_it_starts():
    arrangement = TrainingArrangementFactory()
    _update_raises(
        TrainingArrangement, arrangement.pk, ends_on=arrangement.starts_on - dt.timedelta(days=1)
    )


def test_check_review_must_be_after_the_check():
    check = ComplianceCheckFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ComplianceCheck.objects.filter(pk=check.pk).update(next_review_due=check.checked_on)


def test_alert_once_per_recipient_and_key():
    alert = AlertFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        AlertFactory(recipient=alert.recipient, key=alert.key)
    assert Alert.objects.count() == 1
