"""`for_user(user)`: the one way to ask which organisations a user may see or act for."""

import pytest
from django.contrib.auth.models import AnonymousUser

from certification.models import CertificationBody
from compliance.models import Commissioner, ServiceProvider
from providers.models import TrainingProvider
from tests.factories import (
    CertificationBodyFactory,
    CommissionerFactory,
    MembershipFactory,
    ServiceProviderFactory,
    TrainingProviderFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

KINDS = [
    pytest.param(ServiceProvider, ServiceProviderFactory, id="service_provider"),
    pytest.param(Commissioner, CommissionerFactory, id="commissioner"),
    pytest.param(CertificationBody, CertificationBodyFactory, id="certification_body"),
    pytest.param(TrainingProvider, TrainingProviderFactory, id="training_provider"),
]


@pytest.mark.parametrize(("model", "factory"), KINDS)
def test_a_member_sees_only_their_own_organisation(model, factory):
    mine, _theirs = factory(), factory()
    user = MembershipFactory.of(mine).user

    assert list(model.objects.for_user(user)) == [mine]


@pytest.mark.parametrize(("model", "factory"), KINDS)
def test_a_member_of_two_organisations_sees_both(model, factory):
    first, second, _third = factory(), factory(), factory()
    user = MembershipFactory.of(first).user
    MembershipFactory.of(second, user=user)

    assert set(model.objects.for_user(user)) == {first, second}


@pytest.mark.parametrize(("model", "factory"), KINDS)
def test_a_superuser_sees_every_organisation(model, factory):
    factory(), factory()
    superuser = UserFactory(is_superuser=True, is_staff=True)

    assert model.objects.for_user(superuser).count() == model.objects.count() >= 2


@pytest.mark.parametrize(("model", "factory"), KINDS)
def test_anonymous_and_deactivated_users_see_none(model, factory):
    organisation = factory()
    former = MembershipFactory.of(organisation, user=UserFactory(is_active=False)).user

    assert not model.objects.for_user(AnonymousUser()).exists()
    assert not model.objects.for_user(former).exists()


def test_membership_of_one_kind_grants_nothing_of_another_kind():
    service_provider = ServiceProviderFactory()
    CommissionerFactory(), CertificationBodyFactory(), TrainingProviderFactory()
    user = MembershipFactory.of(service_provider).user

    assert not Commissioner.objects.for_user(user).exists()
    assert not CertificationBody.objects.for_user(user).exists()
    assert not TrainingProvider.objects.for_user(user).exists()


def test_certification_body_ids_for_the_admin_are_the_bodies_a_user_is_staff_of():
    mine, _theirs = CertificationBodyFactory(), CertificationBodyFactory()
    user = MembershipFactory.of(mine, user=UserFactory(is_staff=True)).user

    ids = CertificationBody.objects.for_user(user).values_list("pk", flat=True)

    assert list(ids) == [mine.pk]


def test_the_queryset_chains_with_other_filters():
    provider = TrainingProviderFactory(is_archived=True)
    user = MembershipFactory.of(provider).user

    assert not TrainingProvider.objects.active().for_user(user).exists()
    assert TrainingProvider.objects.for_user(user).get() == provider
