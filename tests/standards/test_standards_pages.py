"""Public pages of the RRN Training Standards: /standards/ and /standards/<edition>/."""

import pytest
from django.urls import reverse

from standards.models import Clause, Section, Standard, StandardsEdition

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return StandardsEdition.objects.get(is_current=True)


def test_url_names(edition):
    assert reverse("standards:index") == "/standards/"
    assert edition.get_absolute_url() == f"/standards/{edition.slug}/"


def test_index_lists_editions_with_the_current_one_marked(client, edition):
    html = client.get("/standards/").content.decode()
    assert f'href="{edition.get_absolute_url()}"' in html
    assert "First edition (version 1.2)" in html
    assert '<strong class="govuk-tag govuk-tag--green">Current</strong>' in html


def test_edition_shows_sections_standards_and_clauses(client, edition):
    html = client.get(edition.get_absolute_url()).content.decode()
    assert "Section 1: Pre-delivery processes" in html
    assert "Section 4: Trainer standards" in html
    assert "1.1 Training needs analysis" in html
    assert "Immediate life support cover in place" in html


def test_unknown_titles_are_shown_honestly(client, edition):
    html = client.get(edition.get_absolute_url()).content.decode()
    # 1.2 has no known title in the facts.
    assert (
        '<h3 class="govuk-heading-s govuk-!-margin-bottom-1" id="standard-1.2">1.2 '
        '<span class="govuk-hint govuk-!-display-inline">(title not yet recorded)</span></h3>'
    ) in html
    assert "The standards in this section are not yet recorded on the register." in html


def test_standards_and_clauses_are_ordered_numerically(client, edition):
    section = Section.objects.get(edition=edition, number=1)
    ten = Standard.objects.create(section=section, number="1.10", title="Tenth")
    Standard.objects.create(section=section, number="1.9", title="Ninth")
    Clause.objects.create(standard=ten, number="1.10.10", title="Clause ten")
    Clause.objects.create(standard=ten, number="1.10.2", title="Clause two")
    html = client.get(edition.get_absolute_url()).content.decode()
    assert html.index('id="standard-1.2"') < html.index('id="standard-1.9"')
    assert html.index('id="standard-1.9"') < html.index('id="standard-1.10"')
    assert html.index('id="clause-1.10.2"') < html.index('id="clause-1.10.10"')


def test_edition_page_runs_a_fixed_number_of_queries(client, edition, django_assert_num_queries):
    with django_assert_num_queries(4):
        client.get(edition.get_absolute_url())
    section = Section.objects.get(edition=edition, number=3)
    for n in range(2, 12):
        standard = Standard.objects.create(section=section, number=f"3.{n}")
        Clause.objects.create(standard=standard, number=f"3.{n}.1")
    with django_assert_num_queries(4):
        client.get(edition.get_absolute_url())


def test_index_runs_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get("/standards/")


@pytest.mark.parametrize("slug", ["second-edition", "x" * 3000, "%00", "%ff"])
def test_unknown_edition_is_404(client, slug):
    assert client.get(f"/standards/{slug}/").status_code == 404
