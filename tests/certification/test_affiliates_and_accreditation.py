"""Issue 14, items 2, 3 and 7: an accreditation counts only to ISO/IEC 17065 (one function,
asked by every page); months are calendar months; an affiliate's parent is a certified
training service."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from certification.models import Certification
from compliance.checks import default_review_due
from compliance.models import TrainingArrangement
from compliance.verdicts import ComplianceState, arrangement_verdict
from tests.factories import (
    CertificationBodyFactory,
    CertificationFactory,
    ComplianceCheckFactory,
    TrainingArrangementFactory,
)

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 6, 1)


# -- item 2: ISO/IEC 17065 ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("standard", "counts"),
    [
        ("ISO/IEC 17065:2012", True),
        ("ISO/IEC 17065", True),
        ("ISO/IEC 17021-1:2015", False),
        ("ISO/IEC 17024:2012", False),
    ],
)
def test_accreditation_counts_only_to_iso_iec_17065(client, standard, counts):
    body = CertificationBodyFactory(accreditation_standard=standard, name="Some Body")
    certification = CertificationFactory(body=body)
    assert body.accreditation_counts_on(ON) is counts
    assert certification.verdict(ON).is_valid is counts
    body_page = client.get(body.get_absolute_url()).content.decode()
    provider_page = client.get(certification.provider.get_absolute_url()).content.decode()
    if counts:
        assert "UKAS accredited</strong>" in body_page
        assert "do not count as UKAS-accredited" not in body_page
    else:
        words = f"UKAS accredited to {standard}, not to ISO/IEC 17065"
        assert words in body_page and words in provider_page
        assert "do not count as UKAS-accredited" in body_page
        assert 'govuk-tag--red">' + words in provider_page


# -- item 3: calendar months ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("checked_on", "on", "overdue"),
    [
        (dt.date(2023, 3, 1), dt.date(2024, 2, 29), False),
        (dt.date(2023, 3, 1), dt.date(2024, 3, 1), False),  # 366 days: still in date
        (dt.date(2023, 3, 1), dt.date(2024, 3, 2), True),
        (dt.date(2024, 2, 29), dt.date(2025, 2, 28), False),
        (dt.date(2024, 2, 29), dt.date(2025, 3, 1), True),
        (dt.date(2025, 6, 1), dt.date(2026, 6, 1), False),
        (dt.date(2025, 6, 1), dt.date(2026, 6, 2), True),
    ],
)
def test_a_check_is_in_date_for_12_calendar_months(checked_on, on, overdue):
    certification = CertificationFactory(
        certified_on=dt.date(2022, 1, 1), valid_until=dt.date(2028, 1, 1)
    )
    arrangement = TrainingArrangementFactory(
        training_provider=certification.provider, starts_on=dt.date(2022, 1, 1)
    )
    ComplianceCheckFactory(arrangement=arrangement, checked_on=checked_on)
    loaded = TrainingArrangement.objects.with_verdict_data().get(pk=arrangement.pk)
    verdict = arrangement_verdict(loaded, on)
    codes = [r.code for r in verdict.reasons]
    assert ("check_overdue" in codes) is overdue
    assert verdict.state == (
        ComplianceState.ACTION_NEEDED if overdue else ComplianceState.COMPLIANT
    )


@pytest.mark.parametrize(
    ("checked_on", "due"),
    [
        (dt.date(2023, 3, 1), dt.date(2024, 3, 1)),
        (dt.date(2024, 2, 29), dt.date(2025, 2, 28)),
        (dt.date(2025, 1, 31), dt.date(2026, 1, 31)),
    ],
)
def test_the_default_next_review_is_12_calendar_months_on(checked_on, due):
    assert default_review_due(checked_on) == due


# -- item 7: affiliates ---------------------------------------------------------------------


def test_an_affiliate_cannot_be_the_parent_of_another_affiliate():
    parent = CertificationFactory()
    affiliate = CertificationFactory(
        role=Certification.Role.AFFILIATE, parent=parent, body=parent.body
    )
    second = Certification(
        provider=CertificationFactory().provider,
        body=parent.body,
        role=Certification.Role.AFFILIATE,
        parent=affiliate,
        standards_edition=parent.standards_edition,
        status="working_towards",
        registered_on=ON,
    )
    with pytest.raises(ValidationError) as error:
        second.full_clean(exclude=["status", "certificate_number", "version"])
    assert "certified training service" in error.value.message_dict["parent"][0]


def test_a_parent_with_affiliates_cannot_become_an_affiliate():
    parent = CertificationFactory()
    CertificationFactory(role=Certification.Role.AFFILIATE, parent=parent, body=parent.body)
    other = CertificationFactory()
    parent.role = Certification.Role.AFFILIATE
    parent.parent = other
    with pytest.raises(ValidationError) as error:
        parent.full_clean(exclude=["status", "certificate_number", "version"])
    assert "role" in error.value.message_dict


def test_the_admin_form_shows_the_affiliate_rule_as_a_field_error(client, superuser):
    parent = CertificationFactory()
    affiliate = CertificationFactory(
        role=Certification.Role.AFFILIATE, parent=parent, body=parent.body
    )
    from certification.forms import CertificationChangeForm

    target = CertificationFactory(body=parent.body)
    data = {
        "provider": target.provider_id,
        "body": target.body_id,
        "role": Certification.Role.AFFILIATE,
        "parent": affiliate.pk,
        "standards_edition": target.standards_edition_id,
        "registered_on": "2025-01-01",
        "opened_version": target.version,
    }
    form = CertificationChangeForm(data, instance=target)
    assert not form.is_valid()
    assert "certified training service" in " ".join(form.errors["parent"])


@pytest.mark.postgres_only
def test_the_database_refuses_an_affiliate_of_an_affiliate_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's")
    parent = CertificationFactory()
    affiliate = CertificationFactory(
        role=Certification.Role.AFFILIATE, parent=parent, body=parent.body
    )
    target = CertificationFactory(body=parent.body)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certification.objects.filter(pk=target.pk).update(role="affiliate", parent=affiliate)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certification.objects.filter(pk=parent.pk).update(role="affiliate", parent=target)


def test_an_affiliate_whose_parent_ends_sooner_warns_with_the_parent_s_end(client):
    parent = CertificationFactory(
        provider__name="Bright Skills Ltd",
        certified_on=dt.date(2024, 1, 1),
        valid_until=dt.date(2026, 6, 21),
    )
    affiliate = CertificationFactory(
        role=Certification.Role.AFFILIATE,
        parent=parent,
        body=parent.body,
        valid_until=dt.date(2028, 1, 1),
    )
    verdict = Certification.objects.with_verdict_data().get(pk=affiliate.pk).verdict(ON)
    assert verdict.ends_on == dt.date(2026, 6, 21)
    assert verdict.days_left == 20
    assert verdict.ends_with == parent
    arrangement = TrainingArrangementFactory(
        training_provider=affiliate.provider, starts_on=dt.date(2025, 1, 1)
    )
    ComplianceCheckFactory(arrangement=arrangement, checked_on=ON)
    loaded = TrainingArrangement.objects.with_verdict_data().get(pk=arrangement.pk)
    assert [r.text for r in arrangement_verdict(loaded, ON).reasons] == [
        "certificate ends on 21 June 2026, with Bright Skills Ltd's certificate"
    ]


def test_changing_a_body_s_accreditation_standard_updates_the_register_filters():
    from providers.filters import TrainingProviderFilterSet
    from providers.models import TrainingProvider

    certification = CertificationFactory()
    body = certification.body

    def in_ukas_valid():
        filterset = TrainingProviderFilterSet(
            {"ukas_valid": "on"}, queryset=TrainingProvider.objects.active(), on=ON
        )
        return filterset.qs.filter(pk=certification.provider_id).exists()

    assert in_ukas_valid()
    body.accreditation_standard = "ISO/IEC 17021-1:2015"
    body.save()
    assert not in_ukas_valid()
    ranks = TrainingProvider.objects.with_headline(ON).get(pk=certification.provider_id)
    assert ranks.headline_rank == 2  # Certified, but not valid
