"""certification.scope_labels: the labels of many-to-many lists in one query, as `.all()`
gives them (its terms' own order)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certification.models import Certification
from certification.scope_labels import SCOPE, Term, certification_scope, labels, links, terms
from compliance.models import ServiceProvider
from providers.models import Curriculum, TrainingProvider
from standards.models import Region
from tests.factories import (
    CertificationFactory,
    CurriculumFactory,
    Population,
    ServiceProviderFactory,
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


def test_terms_are_the_labels_with_their_ids_in_the_same_order():
    service = ServiceProviderFactory()
    service.populations.set(Population.objects.order_by("-order")[:3])
    certification = CertificationFactory()
    certification.settings.set(Setting.objects.all())
    lists = {
        "populations": (ServiceProvider.populations, [service.pk]),
        "settings": (Certification.settings, [certification.pk]),
    }

    found = terms(lists)

    assert found["populations"] == {
        service.pk: [Term(t.pk, t.label) for t in service.populations.all()]
    }
    assert found["settings"] == {
        certification.pk: [Term(t.pk, t.label) for t in certification.settings.all()]
    }
    assert labels(lists)["populations"] == {service.pk: as_all(service, "populations")}


def test_links_are_only_those_to_the_terms_asked_about():
    first, second, third = Population.objects.order_by("order")[:3]
    covering = CertificationFactory()
    covering.populations.set([first, second, third])
    partial = CertificationFactory()
    partial.populations.set([third])
    bare = CertificationFactory()
    home = Setting.objects.first()
    covering.settings.set([home])

    with CaptureQueriesContext(connection) as queries:
        found = links(
            {
                "populations": (
                    Certification.populations,
                    [covering.pk, partial.pk, bare.pk],
                    [first.pk, second.pk],
                ),
                "settings": (Certification.settings, [covering.pk], [home.pk]),
                "unasked": (Certification.regions, [covering.pk], []),
            }
        )
    assert len(queries) == 1
    assert found["populations"] == {covering.pk: {first.pk, second.pk}}
    assert found["settings"] == {covering.pk: {home.pk}}
    assert found["unasked"] == {}
