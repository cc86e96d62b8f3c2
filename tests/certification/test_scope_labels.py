"""certification.scope_labels: the labels of many-to-many lists in one query, as `.all()`
gives them (its terms' own order)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certification.models import Certification
from certification.scope_labels import SCOPE, certification_scope, labels
from providers.models import Curriculum, TrainingProvider
from standards.models import Region
from tests.factories import (
    CertificationFactory,
    CurriculumFactory,
    Population,
    Setting,
    SpecialistContent,
    TrainingProviderFactory,
)

pytestmark = pytest.mark.django_db


def as_all(record, name):
    return [str(term) for term in getattr(record, name).all()]


def test_a_certifications_scope_is_its_lists_labels_in_their_own_order():
    parent_provider = TrainingProviderFactory(name="Zebra Training")
    affiliate_provider = TrainingProviderFactory(name="Alpha Training")
    parent = CertificationFactory(provider=parent_provider)
    affiliate = CertificationFactory(
        provider=affiliate_provider,
        body=parent.body,
        role=Certification.Role.AFFILIATE,
        parent=parent,
    )
    bare = CertificationFactory()
    # Curricula of two providers: by provider name, then name (Curriculum's ordering).
    affiliate.curricula.set(
        [
            CurriculumFactory(provider=parent_provider, name="A course"),
            CurriculumFactory(provider=affiliate_provider, name="Z course"),
            CurriculumFactory(provider=affiliate_provider, name="B course"),
        ]
    )
    affiliate.populations.set(Population.objects.all())
    affiliate.settings.set(Setting.objects.order_by("-order")[:2])
    affiliate.regions.set(Region.objects.order_by("-label")[:3])
    affiliate.specialist_content.set(SpecialistContent.objects.all()[:2])
    parent.regions.set(Region.objects.all()[:1])

    ids = [affiliate.pk, parent.pk, bare.pk]
    with CaptureQueriesContext(connection) as queries:
        scope = certification_scope(ids)
    assert len(queries) == 1

    for certification in Certification.objects.filter(pk__in=ids):
        assert scope[certification.pk] == {
            column: as_all(certification, column) for column in SCOPE
        }
    assert scope[affiliate.pk]["curricula"] == ["B course", "Z course", "A course"]
    assert scope[bare.pk] == {column: [] for column in SCOPE}


def test_lists_of_other_records_in_the_same_query():
    provider = TrainingProviderFactory()
    provider.regions_served.set(Region.objects.all()[:4])
    curriculum = CurriculumFactory(provider=provider)
    curriculum.settings.set(Setting.objects.all())
    other = CurriculumFactory(provider=provider)  # no settings

    with CaptureQueriesContext(connection) as queries:
        found = labels(
            {
                "served": (TrainingProvider.regions_served, [provider.pk]),
                "settings": (Curriculum.settings, [curriculum.pk, other.pk]),
                "nothing": (Curriculum.populations, []),
            }
        )
    assert len(queries) == 1
    assert found["served"] == {provider.pk: as_all(provider, "regions_served")}
    assert found["settings"] == {curriculum.pk: as_all(curriculum, "settings")}
    assert found["nothing"] == {}


def test_no_records_no_query():
    with CaptureQueriesContext(connection) as queries:
        assert certification_scope([]) == {}
    assert len(queries) == 0
