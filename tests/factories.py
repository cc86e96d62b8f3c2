"""factory-boy factories for every model. Vocabulary and standards come from the data
migration, so factories look those up rather than inventing them."""

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import Membership, Role, User
from certification.models import AccreditationChange, Certification, CertificationBody
from certification.services import Certificate, move_certification, register_certification
from certification.statuses import AccreditationStatus, Status
from compliance.models import (
    Alert,
    Commissioner,
    ComplianceCheck,
    Contract,
    ContractReview,
    ServiceProvider,
    TrainingArrangement,
)
from providers.models import Curriculum, TrainingProvider
from standards.models import Population, Region, Setting, SpecialistContent, StandardsEdition

TEST_PASSWORD = "correct-horse-battery-staple"


def region(slug="london"):
    return Region.objects.get(slug=slug)


def current_edition():
    return StandardsEdition.objects.get(is_current=True)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class TrainingProviderFactory(DjangoModelFactory):
    class Meta:
        model = TrainingProvider
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Safer Care Training {n}")
    slug = factory.Sequence(lambda n: f"safer-care-training-{n}")
    kind = TrainingProvider.Kind.COMMERCIAL
    town = factory.Faker("city", locale="en_GB")
    postcode = factory.Faker("postcode", locale="en_GB")
    region = factory.LazyFunction(region)


class CurriculumFactory(DjangoModelFactory):
    class Meta:
        model = Curriculum
        skip_postgeneration_save = True

    provider = factory.SubFactory(TrainingProviderFactory)
    name = factory.Sequence(lambda n: f"Positive behaviour support course {n}")


class CertificationBodyFactory(DjangoModelFactory):
    """A body with UKAS accreditation in force since 2018 (unless accredited=False)."""

    class Meta:
        model = CertificationBody
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Certification Body {n}")
    slug = factory.Sequence(lambda n: f"certification-body-{n}")
    ukas_number = factory.Sequence(lambda n: f"{9000 + n}")
    last_verified_on = dt.date(2026, 1, 5)

    @factory.post_generation
    def accredited(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            AccreditationChange.objects.create(
                body=obj, status=AccreditationStatus.ACCREDITED, effective_date=dt.date(2018, 1, 1)
            )


class AccreditationChangeFactory(DjangoModelFactory):
    class Meta:
        model = AccreditationChange

    body = factory.SubFactory(CertificationBodyFactory)
    status = AccreditationStatus.SUSPENDED
    effective_date = factory.LazyFunction(timezone.localdate)


class CertificationFactory(DjangoModelFactory):
    """A certification put on the register through the service, so it has its first event.

    By default certified from 2025-01-01 to 2028-01-01 (three years).
    """

    class Meta:
        model = Certification
        skip_postgeneration_save = True

    provider = factory.SubFactory(TrainingProviderFactory)
    body = factory.SubFactory(CertificationBodyFactory)
    standards_edition = factory.LazyFunction(current_edition)
    status = Status.CERTIFIED
    certificate_number = factory.Sequence(lambda n: f"RRN-{n:05d}")
    certified_on = dt.date(2025, 1, 1)
    valid_until = dt.date(2028, 1, 1)
    effective_date = None  # defaults to certified_on, or 2024-06-01 when working towards
    reason = "Assessment completed"
    role = Certification.Role.CERTIFIED_SERVICE
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kw):
        status = kw.pop("status")
        number = kw.pop("certificate_number")
        certified_on = kw.pop("certified_on")
        valid_until = kw.pop("valid_until")
        effective = kw.pop("effective_date")
        certificate = None
        if status in (Status.CERTIFIED, Status.SUSPENDED, Status.EXPIRED):
            certificate = Certificate(number, certified_on, valid_until)
            effective = effective or certified_on
        else:
            effective = effective or dt.date(2024, 6, 1)
        first = Status.CERTIFIED if certificate else Status.WORKING_TOWARDS
        certification = register_certification(
            provider=kw.pop("provider"),
            body=kw.pop("body"),
            standards_edition=kw.pop("standards_edition"),
            status=first,
            effective_date=effective,
            reason=kw.pop("reason"),
            certificate=certificate,
            role=kw.pop("role"),
            parent=kw.pop("parent"),
            today=max(effective, timezone.localdate()),
        )
        if status not in (first,):
            move_certification(
                certification,
                status,
                effective_date=effective,
                reason=f"Moved to {status} by the test factory",
                today=max(effective, timezone.localdate()),
            )
        return certification


class ServiceProviderFactory(DjangoModelFactory):
    class Meta:
        model = ServiceProvider
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Meadow View Care Home {n}")
    slug = factory.Sequence(lambda n: f"meadow-view-care-home-{n}")
    sector = ServiceProvider.Sector.SOCIAL_CARE
    region = factory.LazyFunction(region)


class CommissionerFactory(DjangoModelFactory):
    class Meta:
        model = Commissioner

    name = factory.Sequence(lambda n: f"Borough Council {n}")
    slug = factory.Sequence(lambda n: f"borough-council-{n}")
    kind = Commissioner.Kind.LOCAL_AUTHORITY
    region = factory.LazyFunction(region)


class ContractFactory(DjangoModelFactory):
    """A contract its service provider confirmed (when it started), as most tests need; the
    `pending` and `declined` traits make the other states."""

    class Meta:
        model = Contract

    class Params:
        pending = factory.Trait(
            confirmation=Contract.Confirmation.PENDING, decided_by=None, decided_at=None
        )
        declined = factory.Trait(confirmation=Contract.Confirmation.DECLINED)

    commissioner = factory.SubFactory(CommissionerFactory)
    service_provider = factory.SubFactory(ServiceProviderFactory)
    reference = factory.Sequence(lambda n: f"CON-{n:04d}")
    starts_on = dt.date(2024, 4, 1)
    confirmation = Contract.Confirmation.CONFIRMED
    decided_by = factory.SubFactory(UserFactory)
    # Long before the tests' "today": not news for the alert job (recent_contract_decisions).
    decided_at = factory.LazyAttribute(
        lambda o: dt.datetime.combine(o.starts_on, dt.time(9), tzinfo=dt.UTC)
    )


class ContractReviewFactory(DjangoModelFactory):
    class Meta:
        model = ContractReview

    contract = factory.SubFactory(ContractFactory)
    reviewed_on = dt.date(2026, 1, 15)
    outcome = ContractReview.Outcome.COMPLIANT
    reviewed_by = factory.SubFactory(UserFactory)


class TrainingArrangementFactory(DjangoModelFactory):
    class Meta:
        model = TrainingArrangement
        skip_postgeneration_save = True

    service_provider = factory.SubFactory(ServiceProviderFactory)
    training_provider = factory.SubFactory(TrainingProviderFactory)
    route = TrainingArrangement.Route.BOUGHT_IN
    starts_on = dt.date(2024, 1, 1)


class ComplianceCheckFactory(DjangoModelFactory):
    class Meta:
        model = ComplianceCheck

    arrangement = factory.SubFactory(TrainingArrangementFactory)
    checked_by = factory.SubFactory(UserFactory)
    checked_on = factory.LazyFunction(timezone.localdate)
    scope_covers_populations = True
    scope_covers_settings = True
    scope_covers_content = True
    evidence = "Certificate copy and register entry"
    outcome = ComplianceCheck.Outcome.COMPLIANT
    next_review_due = factory.LazyAttribute(lambda o: o.checked_on + dt.timedelta(days=365))


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.SERVICE_PROVIDER_STAFF
    service_provider = factory.SubFactory(ServiceProviderFactory)

    @classmethod
    def of(cls, organisation, user=None, **kwargs):
        """A membership of any kind of organisation, in the role that kind has."""
        role, field = ROLE_AND_FIELD_BY_ORGANISATION[type(organisation)]
        fields = {"service_provider": None, field: organisation}
        if user is not None:
            fields["user"] = user
        return cls(role=role, **fields, **kwargs)


ROLE_AND_FIELD_BY_ORGANISATION = {
    ServiceProvider: (Role.SERVICE_PROVIDER_STAFF, "service_provider"),
    Commissioner: (Role.COMMISSIONER_STAFF, "commissioner"),
    CertificationBody: (Role.CERTIFICATION_BODY_STAFF, "certification_body"),
    TrainingProvider: (Role.TRAINING_PROVIDER_STAFF, "training_provider"),
}


class AlertFactory(DjangoModelFactory):
    class Meta:
        model = Alert

    recipient = factory.SubFactory(UserFactory)
    kind = Alert.Kind.STATUS_CHANGE
    key = factory.Sequence(lambda n: f"event:{n}")
    subject = "A training provider's status changed"
    message = "Its certification was suspended."


def vocabulary(model, *slugs):
    return list(model.objects.filter(slug__in=slugs))


__all__ = [
    "TEST_PASSWORD",
    "Population",
    "Setting",
    "SpecialistContent",
    "vocabulary",
]
