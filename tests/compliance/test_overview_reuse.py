"""A commissioner's overview rows are worked out afresh for each rendering (cheap from the
headline periods, compliance.overview_rows): the rendered content is what is kept
(pages.content_cache), per data generation, so any write of a record the verdicts read shows at
once."""

import datetime as dt

import pytest
from django.utils import timezone

from certification.services import move_certification
from certification.statuses import Status
from derived import generation
from derived.models import DataGeneration
from tests.factories import (
    CertificationFactory,
    ComplianceCheckFactory,
    ContractFactory,
    MembershipFactory,
    TrainingArrangementFactory,
    UserFactory,
)

# Render the content every time: the rows beneath it are what these tests are about.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_kept_content")]


@pytest.fixture
def commissioned():
    """A commissioner with one contracted, compliant service, and a member."""
    certification = CertificationFactory(valid_until=timezone.localdate() + dt.timedelta(days=900))
    arrangement = TrainingArrangementFactory(training_provider=certification.provider)
    ComplianceCheckFactory(arrangement=arrangement, checked_on=timezone.localdate())
    contract = ContractFactory(service_provider=arrangement.service_provider)
    user = UserFactory()
    MembershipFactory.of(contract.commissioner, user=user)
    return contract.commissioner, certification, user


def states(client, commissioner, query=""):
    response = client.get(f"/compliance/commissioners/{commissioner.slug}/{query}")
    assert response.status_code == 200
    return [row.state.label for row in response.context["page_obj"].object_list]


def test_rows_show_a_certification_moving_at_once(client, commissioned):
    commissioner, certification, user = commissioned
    client.force_login(user)
    assert states(client, commissioner) == ["Compliant"]

    move_certification(
        certification, Status.SUSPENDED, effective_date=timezone.localdate(), reason="Audit"
    )
    assert states(client, commissioner) == ["Not compliant"]


def test_each_set_of_database_filters_has_its_own_rows(client, commissioned):
    commissioner, _, user = commissioned
    client.force_login(user)
    assert states(client, commissioner) == ["Compliant"]
    assert states(client, commissioner, "?q=no-such-service") == []
    assert states(client, commissioner, "?state=compliant&sort=service") == ["Compliant"]


def test_every_watched_write_starts_a_new_generation(commissioned):
    _, certification, _ = commissioned
    before = generation.current()
    certification.populations.clear()
    after_m2m = generation.current()
    assert after_m2m != before
    certification.provider.save()
    assert generation.current() != after_m2m
    assert DataGeneration.objects.count() == 2  # the register's and compliance's
