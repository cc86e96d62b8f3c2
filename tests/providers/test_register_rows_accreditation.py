"""The register's rows and its status filter read the headline periods with the body's UKAS
accreditation on the day applied (providers.querysets.with_headline): a provider certified by
a body whose accreditation is suspended is never shown or filtered as plain "Certified"."""

import datetime as dt

import pytest
from django.utils import timezone

from certification.models import Certification, HeadlinePeriod
from certification.verdicts import Headline
from providers import register_rows
from providers.models import TrainingProvider
from providers.querysets import HEADLINE_BY_SLUG
from tests.factories import (
    AccreditationChangeFactory,
    CertificationBodyFactory,
    CertificationFactory,
    TrainingProviderFactory,
)

pytestmark = pytest.mark.django_db

SUSPENDED_LABEL = "Certified, but the certification body's UKAS accreditation is suspended"


def _certified(name, body, **kwargs):
    today = timezone.localdate()
    return CertificationFactory(
        provider=TrainingProviderFactory(name=name),
        body=body,
        certified_on=today - dt.timedelta(days=100),
        valid_until=kwargs.pop("valid_until", today + dt.timedelta(days=600)),
        **kwargs,
    )


@pytest.fixture
def register():
    """A provider of an accredited body, and one of a body suspended today with an affiliate
    whose parent's certificate ends soon (the rows that would otherwise come from the
    verdict)."""
    today = timezone.localdate()
    good = _certified("Accredited Body Training", CertificationBodyFactory())
    suspended_body = CertificationBodyFactory()
    lost = _certified("Suspended Body Training", suspended_body)
    parent = _certified(
        "Suspended Parent Training", suspended_body, valid_until=today + dt.timedelta(days=20)
    )
    affiliate = _certified(
        "Suspended Affiliate Training",
        suspended_body,
        role=Certification.Role.AFFILIATE,
        parent=parent,
    )
    AccreditationChangeFactory(body=suspended_body, effective_date=today)
    # Stored as if the body counted: the accreditation is applied only when read.
    assert HeadlinePeriod.objects.filter(
        provider=lost.provider, headline=int(Headline.CERTIFIED), embeds_accreditation=False
    ).exists()
    return good, lost, parent, affiliate


def _rows(providers, today):
    return register_rows.register_rows(providers.order_by("name", "pk").with_headline(today), today)


def test_rows_show_a_suspended_bodys_provider_as_certified_but_not_valid(register):
    good, lost, parent, affiliate = register
    today = timezone.localdate()
    rows = {row.name: row for row in _rows(TrainingProvider.objects.active(), today)}

    assert rows[good.provider.name].kind == Headline.CERTIFIED
    assert rows[good.provider.name].is_valid
    for certification in (lost, parent, affiliate):
        row = rows[certification.provider.name]
        assert row.kind == Headline.CERTIFIED_NOT_VALID
        assert row.label == SUSPENDED_LABEL
        assert not row.is_valid
        assert row.warnings == []  # no "ends soon" or "affiliate of": it is not valid

    # The same rows the verdict itself gives, the accreditation read from its records.
    providers = TrainingProvider.objects.active().order_by("name", "pk")
    ids = list(providers.values_list("pk", flat=True))
    from_verdicts = register_rows._rows_from_verdicts(ids, today, "/providers", "")
    assert _rows(providers, today) == [from_verdicts[pk] for pk in ids]


def _listed(client, **query):
    return [row.name for row in client.get("/providers/", query).context["rows"]]


def test_the_status_filter_applies_the_accreditation(client, register):
    good, lost, parent, affiliate = register
    suspended = sorted(c.provider.name for c in (lost, parent, affiliate))

    assert _listed(client, status="certified") == [good.provider.name]
    assert sorted(_listed(client, status="certified_not_valid")) == suspended
    both = _listed(client, status=["certified", "certified_not_valid"])
    assert sorted(both) == sorted([good.provider.name, *suspended])
    with_none = _listed(client, status=["certified", "not_on_register"])
    assert with_none == [good.provider.name]
    # The page shows the words with the filter too.
    page = client.get("/providers/", {"status": "certified_not_valid"}).content.decode()
    assert "the certification body&#x27;s UKAS accreditation is suspended" in page


@pytest.mark.parametrize("sort", ["name", "status", "valid_until"])
def test_the_status_filter_reads_as_the_headline_annotation(register, sort):
    """The status filter (providers.querysets.period_reads_as: a semi-join when sorted by
    name, the annotation's own join when sorted by the headline) and `with_headline`'s rank
    agree for every headline asked for, alone and with "not on the register", in the list
    and in its count."""
    from providers.filters import TrainingProviderFilterSet
    from providers.querysets import HEADLINE_SLUGS

    today = timezone.localdate()
    ranks = dict(
        TrainingProvider.objects.active().with_headline(today).values_list("pk", "headline_rank")
    )
    asked = [[slug] for slug in HEADLINE_SLUGS.values()]
    asked += [[slug, "not_on_register"] for slug in HEADLINE_SLUGS.values()]
    for slugs in asked:
        filterset = TrainingProviderFilterSet(
            {"status": slugs, "sort": sort}, queryset=TrainingProvider.objects.active(), on=today
        )
        kinds = {HEADLINE_BY_SLUG[slug] for slug in slugs}
        expected = {pk for pk, rank in ranks.items() if rank in kinds}
        assert set(filterset.qs.values_list("pk", flat=True)) == expected, slugs
        assert filterset.matching.count() == len(expected), slugs
