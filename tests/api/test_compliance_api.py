"""Service providers and commissioners read their own compliance through the API (issue 17,
part 5): the same verdicts and the same access rule as their pages."""

import datetime as dt

import pytest
from django.utils import timezone

from api.models import ApiToken
from certification.statuses import Status
from tests.factories import (
    CertificationFactory,
    CommissionerFactory,
    ComplianceCheckFactory,
    ContractFactory,
    MembershipFactory,
    ServiceProviderFactory,
    TrainingArrangementFactory,
    TrainingProviderFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def token_of(organisation, scope=ApiToken.Scope.READ):
    membership = MembershipFactory.of(organisation)
    _token, text = ApiToken.issue(
        name="Their system",
        membership=membership,
        scope=scope,
        expires_at=timezone.now() + dt.timedelta(days=30),
        created_by=membership.user,
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {text}"}


@pytest.fixture
def service():
    return ServiceProviderFactory(name="Elm House", slug="elm-house")


@pytest.fixture
def suspended_trainer(service):
    trainer = TrainingProviderFactory(name="Bright Skills", slug="bright-skills")
    CertificationFactory(provider=trainer, status=Status.SUSPENDED)
    arrangement = TrainingArrangementFactory(service_provider=service, training_provider=trainer)
    ComplianceCheckFactory(arrangement=arrangement, notes="Private note of Elm House")
    return trainer


def test_a_service_providers_token_reads_its_arrangements_with_the_trainers_verdict(
    client, service, suspended_trainer
):
    certified = TrainingProviderFactory(name="Able Training", slug="able-training")
    CertificationFactory(provider=certified)
    TrainingArrangementFactory(service_provider=service, training_provider=certified)

    response = client.get("/api/v1/service-providers/elm-house/arrangements/", **token_of(service))

    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert [r["training_provider"]["slug"] for r in rows] == ["able-training", "bright-skills"]
    suspended = rows[1]
    assert suspended["state"] == "not_compliant"
    assert suspended["trainer_verdict"]["status"] == "suspended"
    assert suspended["reasons"][0]["code"] == "suspended"
    assert "suspended" in suspended["reliance_warning"]
    assert suspended["last_check"]["outcome"] == "compliant"
    assert rows[0]["reliance_warning"] is None
    assert rows[0]["trainer_verdict"]["status"] == "certified"


def test_arrangements_are_as_of_the_date_asked(client, service, suspended_trainer):
    url = "/api/v1/service-providers/elm-house/arrangements/"

    before = client.get(f"{url}?on=2023-06-01", **token_of(service))

    assert before.status_code == 200
    assert before.json()["results"] == []  # the arrangement started in 2024
    assert client.get(f"{url}?on=1-2-3", **token_of(service)).status_code == 400


def test_arrangements_come_in_cursor_pages(client, service):
    for n in range(3):
        TrainingArrangementFactory(
            service_provider=service,
            training_provider=TrainingProviderFactory(name=f"Trainer {n}", slug=f"trainer-{n}"),
        )
    headers = token_of(service)
    url = "/api/v1/service-providers/elm-house/arrangements/?page_size=2"

    first = client.get(url, **headers).json()
    second = client.get(first["next"], **headers).json()

    names = [r["training_provider"]["name"] for r in first["results"] + second["results"]]
    assert names == ["Trainer 0", "Trainer 1", "Trainer 2"]
    assert second["next"] is None


def test_a_member_signed_in_reads_it_too_and_anonymous_is_401(client, service, suspended_trainer):
    url = "/api/v1/service-providers/elm-house/arrangements/"
    assert client.get(url).status_code == 401
    member = MembershipFactory.of(service).user

    client.force_login(member)

    assert client.get(url).status_code == 200


def test_another_organisations_token_gets_404_and_nothing_private(
    client, service, suspended_trainer
):
    url = "/api/v1/service-providers/elm-house/arrangements/"
    other = ServiceProviderFactory(slug="oak-lodge")
    commissioner = CommissionerFactory()
    ContractFactory(commissioner=commissioner, service_provider=service)  # even a confirmed one

    for headers in (token_of(other), token_of(commissioner)):
        response = client.get(url, **headers)
        assert response.status_code == 404
        assert "Bright Skills" not in response.content.decode()
    assert client.get("/api/v1/service-providers/nowhere/arrangements/", **token_of(other)).json()[
        "status"
    ] == (404)


def test_a_token_acts_for_its_own_organisation_only(client, service, suspended_trainer):
    """Its owner is a member of two services: the token of one does not read the other."""
    other = ServiceProviderFactory(slug="oak-lodge")
    headers = token_of(other)
    owner = ApiToken.objects.get().membership.user
    MembershipFactory.of(service, user=owner)

    response = client.get("/api/v1/service-providers/elm-house/arrangements/", **headers)

    assert response.status_code == 404


def test_a_deactivated_owners_token_reads_nothing(client, service, suspended_trainer):
    headers = token_of(service)
    UserFactory._meta.model.objects.update(is_active=False)

    response = client.get("/api/v1/service-providers/elm-house/arrangements/", **headers)

    assert response.status_code == 401  # a leaver's token is no token at all


@pytest.fixture
def commissioner(service, suspended_trainer):
    """A council with a confirmed contract with Elm House, a claim Oak Lodge has not
    answered and one Ash Court declined."""
    council = CommissionerFactory(name="Council", slug="council")
    ContractFactory(commissioner=council, service_provider=service, reference="ELM-1")
    for name, state in (("Oak Lodge", "pending"), ("Ash Court", "declined")):
        withheld = ServiceProviderFactory(name=name, slug=name.lower().replace(" ", "-"))
        arrangement = TrainingArrangementFactory(
            service_provider=withheld,
            training_provider=TrainingProviderFactory(name=f"Secret trainer of {name}"),
        )
        ComplianceCheckFactory(arrangement=arrangement)
        ContractFactory(
            commissioner=council, service_provider=withheld, reference=name, **{state: True}
        )
    return council


def test_a_commissioner_reads_its_services_states_and_reasons(client, commissioner):
    response = client.get("/api/v1/commissioners/council/services/", **token_of(commissioner))

    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["counts"] == {
        "total": 3,
        "counted": 1,
        "compliant": 0,
        "action_needed": 0,
        "not_compliant": 1,
        "not_counted": 0,
        "not_shared": 2,
    }
    rows = {r["service_provider"]["slug"]: r for r in answer["results"]}
    elm = rows["elm-house"]
    assert elm["shared"] and elm["state"] == "not_compliant"
    assert elm["reasons"][0]["text"].startswith("Bright Skills: certification suspended")
    assert elm["arrangements"][0]["status"] == "suspended"
    assert elm["last_check"] is not None


@pytest.mark.parametrize("slug", ["oak-lodge", "ash-court"])
def test_services_that_did_not_confirm_show_their_contracts_and_nothing_private(
    client, commissioner, slug
):
    response = client.get("/api/v1/commissioners/council/services/", **token_of(commissioner))

    row = next(r for r in response.json()["results"] if r["service_provider"]["slug"] == slug)
    assert row["shared"] is False
    assert row["overview_state"] == "not_shared"
    assert row["state"] is None
    assert row["reasons"] == row["arrangements"] == []
    assert row["last_check"] is None
    assert row["contracts"][0]["confirmation"] in ("pending", "declined")
    assert "Secret trainer" not in response.content.decode()


def test_the_overviews_filters_and_date_apply(client, commissioner):
    headers = token_of(commissioner)
    url = "/api/v1/commissioners/council/services/"

    not_shared = client.get(f"{url}?state=not_shared", **headers).json()
    before = client.get(f"{url}?on=2024-01-01", **headers).json()  # contracts start in April
    unknown_region = client.get(f"{url}?region=atlantis", **headers)

    assert not_shared["count"] == 2 and not_shared["counts"]["total"] == 3
    assert {r["service_provider"]["slug"] for r in not_shared["results"]} == {
        "oak-lodge",
        "ash-court",
    }
    assert before["results"] == []
    assert unknown_region.status_code == 400
    assert unknown_region.json()["errors"][0]["field"] == "region"


def test_services_come_in_numbered_pages(client, commissioner):
    headers = token_of(commissioner)

    first = client.get("/api/v1/commissioners/council/services/?page_size=2", **headers).json()
    second = client.get(first["next"], **headers).json()

    assert first["count"] == 3 and len(first["results"]) == 2
    assert len(second["results"]) == 1 and second["next"] is None
    assert client.get("/api/v1/commissioners/council/services/?page=9", **headers).status_code == (
        404
    )


def test_the_commissioners_services_are_its_own(client, commissioner, service):
    url = "/api/v1/commissioners/council/services/"

    assert client.get(url).status_code == 401
    assert client.get(url, **token_of(CommissionerFactory())).status_code == 404
    assert client.get(url, **token_of(service)).status_code == 404
