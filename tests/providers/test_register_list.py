"""The register at /providers/: search, filters, sort, pagination, rows."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from certification.models import Certification
from certification.services import record_accreditation_change
from certification.statuses import AccreditationStatus, Status
from standards.models import Population, Region, Setting, SpecialistContent
from tests.factories import (
    CertificationBodyFactory,
    CertificationFactory,
    CurriculumFactory,
    TrainingProviderFactory,
)

pytestmark = pytest.mark.django_db

URL = "/providers/"


@pytest.fixture(autouse=True)
def _fresh_vocabulary_cache():
    cache.clear()


def days(n):
    return timezone.localdate() + dt.timedelta(days=n)


def names(response):
    """Provider names in the order the page lists them."""
    return [row.name for row in response.context["rows"]]


def get(client, query=""):
    response = client.get(URL + query)
    assert response.status_code == 200
    return response


# -- search ------------------------------------------------------------------------------


def test_search_matches_part_of_the_name_ignoring_case(client):
    TrainingProviderFactory(name="Calm Minds Training")
    TrainingProviderFactory(name="Other Provider")
    assert names(get(client, "?q=minds")) == ["Calm Minds Training"]


def test_search_matches_town_and_postcode_prefix(client):
    TrainingProviderFactory(name="In Leeds", town="Leeds", postcode="LS1 4AP")
    TrainingProviderFactory(name="In Bath", town="Bath", postcode="BA1 1AA")
    assert names(get(client, "?q=leeds")) == ["In Leeds"]
    assert names(get(client, "?q=ba1")) == ["In Bath"]


def test_search_takes_like_wildcards_literally(client):
    TrainingProviderFactory(name="100% Safe Training", town="Leeds")
    TrainingProviderFactory(name="Under_score Care", town="Bath")
    TrainingProviderFactory(name="Anything Else", town="York")
    assert names(get(client, "?q=100%25")) == ["100% Safe Training"]
    assert names(get(client, "?q=%25")) == ["100% Safe Training"]
    assert names(get(client, "?q=_")) == ["Under_score Care"]


def test_search_matches_certificate_number_however_it_is_typed(client):
    CertificationFactory(
        provider=TrainingProviderFactory(name="Numbered"), certificate_number="RRN-77001"
    )
    TrainingProviderFactory(name="Unnumbered")
    assert names(get(client, "?q=+rrn-77001+")) == ["Numbered"]


# -- filters -----------------------------------------------------------------------------


def test_region_filter_covers_based_in_serving_and_certified_for(client):
    north_east = Region.objects.get(label="North East")
    based = TrainingProviderFactory(name="Based", region=north_east)
    serving = TrainingProviderFactory(name="Serving")
    serving.regions_served.add(north_east)
    certified_for = CertificationFactory(provider=TrainingProviderFactory(name="Certified for"))
    certified_for.regions.add(north_east)
    TrainingProviderFactory(name="Elsewhere")
    assert names(get(client, f"?region={north_east.slug}")) == [
        "Based",
        "Certified for",
        "Serving",
    ]
    assert based and serving


def test_population_setting_and_specialist_filters_use_certificate_and_curricula_scope(client):
    autism = Population.objects.get(slug="autism")
    education = Setting.objects.get(slug="education")
    restraint = SpecialistContent.objects.get(slug="physical-restraint")
    certified = CertificationFactory(provider=TrainingProviderFactory(name="Certificate scope"))
    certified.populations.add(autism)
    certified.settings.add(education)
    certified.specialist_content.add(restraint)
    curriculum = CurriculumFactory(provider=TrainingProviderFactory(name="Curriculum scope"))
    curriculum.populations.add(autism)
    TrainingProviderFactory(name="No scope")
    assert names(get(client, "?population=autism")) == ["Certificate scope", "Curriculum scope"]
    assert names(get(client, "?setting=education")) == ["Certificate scope"]
    assert names(get(client, "?specialist=physical-restraint")) == ["Certificate scope"]
    # Filters combine with AND; values of one filter with OR.
    assert names(get(client, "?population=autism&setting=education")) == ["Certificate scope"]
    assert names(get(client, "?setting=education&setting=health")) == ["Certificate scope"]


def test_region_and_scope_filters_skip_archived_certifications_and_hold_in_a_subquery(client):
    from providers.filters import TrainingProviderFilterSet
    from providers.models import TrainingProvider

    london, autism = Region.objects.get(slug="london"), Population.objects.get(slug="autism")
    elsewhere = Region.objects.exclude(pk=london.pk).first()
    both = CertificationFactory(provider=TrainingProviderFactory(name="Both", region=elsewhere))
    both.regions.add(london)
    both.populations.add(autism)
    archived = CertificationFactory(
        provider=TrainingProviderFactory(name="Archived scope", region=elsewhere)
    )
    archived.regions.add(london)
    archived.populations.add(autism)
    Certification.objects.filter(pk=archived.pk).update(is_archived=True)
    taught = CurriculumFactory(provider=TrainingProviderFactory(name="Taught", region=london))
    taught.populations.add(autism)
    assert names(get(client, "?region=london")) == ["Both", "Taught"]
    assert names(get(client, "?region=london&population=autism")) == ["Both", "Taught"]
    # Inside another query the conditions test that query's providers (relabelled aliases).
    filterset = TrainingProviderFilterSet(
        {"region": ["london"], "population": ["autism"]},
        queryset=TrainingProvider.objects.active(),
        on=timezone.localdate(),
    )
    outer = TrainingProvider.objects.filter(pk__in=filterset.qs.values("pk"))
    assert sorted(outer.values_list("name", flat=True)) == ["Both", "Taught"]


def test_body_and_kind_filters(client):
    body = CertificationBodyFactory(name="Picked Body", slug="picked-body")
    CertificationFactory(provider=TrainingProviderFactory(name="By picked body"), body=body)
    CertificationFactory(provider=TrainingProviderFactory(name="By another body"))
    TrainingProviderFactory(name="In-house team", kind="in_house")
    assert names(get(client, "?body=picked-body")) == ["By picked body"]
    assert names(get(client, "?kind=in_house")) == ["In-house team"]


def test_ukas_valid_keeps_providers_whose_body_is_accredited_today(client):
    suspended = CertificationBodyFactory()
    record_accreditation_change(suspended, AccreditationStatus.SUSPENDED, effective_date=days(-1))
    CertificationFactory(provider=TrainingProviderFactory(name="Accredited body"))
    CertificationFactory(provider=TrainingProviderFactory(name="Suspended body"), body=suspended)
    TrainingProviderFactory(name="No certification")
    assert names(get(client, "?ukas_valid=on")) == ["Accredited body"]


def test_expiring_keeps_valid_certificates_ending_within_the_days(client):
    CertificationFactory(
        provider=TrainingProviderFactory(name="Ends in 20"),
        certified_on=days(-100),
        valid_until=days(20),
    )
    CertificationFactory(
        provider=TrainingProviderFactory(name="Ends in 200"),
        certified_on=days(-100),
        valid_until=days(200),
    )
    CertificationFactory(
        provider=TrainingProviderFactory(name="Suspended, ends in 10"),
        status=Status.SUSPENDED,
        certified_on=days(-100),
        valid_until=days(10),
    )
    assert names(get(client, "?expiring=30")) == ["Ends in 20"]
    assert names(get(client, "?expiring=365")) == ["Ends in 20", "Ends in 200"]
    assert names(get(client, "?expiring=0")) == []


def test_status_filter_on_the_page(client):
    CertificationFactory(provider=TrainingProviderFactory(name="Certified one"))
    CertificationFactory(
        provider=TrainingProviderFactory(name="Suspended one"), status=Status.SUSPENDED
    )
    TrainingProviderFactory(name="Nothing")
    assert names(get(client, "?status=certified")) == ["Certified one"]
    assert names(get(client, "?status=not_on_register&status=suspended")) == [
        "Nothing",
        "Suspended one",
    ]


def test_archived_providers_are_not_on_the_register(client):
    TrainingProviderFactory(name="Archived", is_archived=True)
    TrainingProviderFactory(name="Listed")
    assert names(get(client)) == ["Listed"]


# -- sort --------------------------------------------------------------------------------


def _sortable():
    TrainingProviderFactory(name="A none")
    CertificationFactory(
        provider=TrainingProviderFactory(name="B late"),
        certified_on=days(-10),
        valid_until=days(900),
    )
    CertificationFactory(
        provider=TrainingProviderFactory(name="C soon"),
        certified_on=days(-10),
        valid_until=days(30),
    )
    CertificationFactory(provider=TrainingProviderFactory(name="D susp"), status=Status.SUSPENDED)


def test_sort_by_name_status_and_valid_until(client):
    _sortable()
    assert names(get(client)) == ["A none", "B late", "C soon", "D susp"]
    assert names(get(client, "?sort=status")) == ["B late", "C soon", "D susp", "A none"]
    assert names(get(client, "?sort=valid_until")) == ["C soon", "B late", "D susp", "A none"]


def test_sort_links_keep_the_filters(client):
    _sortable()
    html = get(client, "?q=o&kind=commercial").content.decode()
    assert 'href="?q=o&amp;kind=commercial&amp;sort=status"' in html


# -- the page ----------------------------------------------------------------------------


def test_a_row_shows_name_link_place_status_body_number_valid_until_and_warnings(client):
    body = CertificationBodyFactory(name="Trusted Body")
    CertificationFactory(
        provider=TrainingProviderFactory(name="Row Provider", town="Leeds", slug="row-provider"),
        body=body,
        certificate_number="RRN-5",
        certified_on=days(-300),
        valid_until=days(21),
    )
    html = get(client).content.decode()
    assert '<a class="govuk-link" href="/providers/row-provider/">Row Provider</a>' in html
    assert "Leeds, London" in html
    assert '<strong class="govuk-tag govuk-tag--green">Certified</strong>' in html
    assert "Trusted Body" in html
    assert "RRN-5" in html
    assert f"{days(21).day} {days(21):%B %Y}" in html
    assert "Certificate ends in 21 days" in html


def test_25_per_page_with_govuk_pagination_and_result_count(client):
    for n in range(30):
        TrainingProviderFactory(name=f"Provider {n:02d}")
    first = get(client)
    assert len(first.context["rows"]) == 25
    html = first.content.decode()
    assert "30 training providers" in html
    assert 'class="govuk-pagination"' in html
    second = get(client, "?page=2")
    assert names(second) == [f"Provider {n:02d}" for n in range(25, 30)]


@pytest.mark.parametrize(
    "query",
    [
        "?kind=consortium",  # read with its count in one query (COUNT(*) OVER ())
        "?kind=consortium&sort=status",
        "?status=not_on_register",  # counted on its own, the page read after
    ],
)
def test_every_page_and_the_count_of_a_filtered_list(client, query):
    for n in range(30):
        TrainingProviderFactory(name=f"Provider {n:02d}", kind="consortium")
    # Neither of the kind nor off the register.
    CertificationFactory(provider=TrainingProviderFactory(name="Provider 99", kind="commercial"))
    first, second = get(client, query), get(client, query + "&page=2")
    for response in (first, second):
        assert response.context["paginator"].count == 30
        assert "30 training providers" in response.content.decode()
    assert names(first) + names(second) == [f"Provider {n:02d}" for n in range(30)]
    # Past the last page: no row to carry the count, so the count is read on its own and
    # the last page shown.
    past = get(client, query + "&page=7")
    assert past.context["page_obj"].number == 2
    assert names(past) == names(second)


def test_pagination_links_keep_the_filters(client):
    for n in range(30):
        TrainingProviderFactory(name=f"Provider {n:02d}", kind="consortium")
    html = get(client, "?kind=consortium").content.decode()
    assert 'href="?kind=consortium&amp;page=2"' in html


def test_active_filters_are_shown_and_each_link_removes_only_itself(client):
    html = get(client, "?q=care&region=london&status=certified&status=suspended").content.decode()
    active = re.search(r'<ul class="govuk-list" id="active-filters">(.*?)</ul>', html, re.S)
    assert active
    links = {
        " ".join(re.sub(r"<[^>]+>|\u00d7", " ", text).split()): href
        for href, text in re.findall(r'href="\?([^"]*)">(.*?)</a>', active.group(1), re.S)
    }
    assert links["Remove filter Status today: Suspended"] == (
        "q=care&amp;status=certified&amp;region=london"
    )
    assert links["Remove filter Region: London"] == (
        "q=care&amp;status=certified&amp;status=suspended"
    )
    assert links["Remove filter Search: “care”"] == (
        "status=certified&amp;status=suspended&amp;region=london"
    )


def test_download_links_carry_the_current_filters(client):
    html = get(client, "?q=care&region=london&page=1").content.decode()
    assert 'href="/providers/export.csv?q=care&amp;region=london"' in html
    assert 'href="/providers/export.json?q=care&amp;region=london"' in html


def test_output_is_escaped(client):
    TrainingProviderFactory(name="<script>alert(1)</script>", town="<b>Town</b>")
    html = get(client, "?q=%3Cscript%3E").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>Town</b>" not in html


def test_the_export_columns_are_documented_on_the_page(client):
    html = get(client).content.decode()
    for column in ("slug", "status_label", "ukas_number", "specialist_content", "url"):
        assert f"<code>{column}</code>" in html


def test_works_without_javascript_the_filters_are_a_plain_get_form(client):
    html = get(client).content.decode()
    assert '<form action="/providers/" method="get"' in html
    assert 'type="submit"' in html


def test_vocabulary_choices_are_cached_and_a_new_term_clears_them(client):
    get(client)
    body = CertificationBodyFactory(name="Brand New Body")
    html = get(client).content.decode()
    assert "Brand New Body" in html
    assert body.slug in html


def test_archived_certification_still_counts_as_the_python_headline_does(client):
    certification = CertificationFactory(provider=TrainingProviderFactory(name="Archived cert"))
    Certification.objects.filter(pk=certification.pk).update(is_archived=True)
    assert names(get(client, "?status=certified")) == ["Archived cert"]
