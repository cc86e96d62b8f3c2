"""The data migration loaded the standards and vocabulary; unknown titles stay empty."""

import datetime

import pytest
import yaml
from django.db import IntegrityError, transaction

from standards.loading import DATA_DIR
from standards.models import (
    Clause,
    Population,
    Region,
    Section,
    Setting,
    SpecialistContent,
    Standard,
    StandardsEdition,
)

pytestmark = pytest.mark.django_db


def _facts():
    with open(DATA_DIR / "standards.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


def test_edition_and_four_sections_loaded():
    edition = StandardsEdition.objects.get(is_current=True)
    assert str(edition.version) == str(_facts()["edition"]["version"])
    assert Section.objects.filter(edition=edition).count() == 4


def test_known_standards_and_clauses_loaded_with_unknown_titles_empty():
    for s in _facts()["sections"]:
        for st in s.get("standards") or []:
            standard = Standard.objects.get(section__number=s["number"], number=st["number"])
            assert standard.title == (st.get("title") or "")
            for c in st.get("clauses") or []:
                clause = Clause.objects.get(standard=standard, number=c["number"])
                assert clause.title == (c.get("title") or "")
    assert Standard.objects.exists() and Clause.objects.exists()


def test_vocabulary_loaded():
    assert Population.objects.count() == 6
    assert Setting.objects.count() == 4
    assert SpecialistContent.objects.count() == 4
    assert Region.objects.filter(nation=Region.Nation.ENGLAND).count() == 9
    assert Region.objects.exclude(nation=Region.Nation.ENGLAND).count() == 3
    assert Region.objects.count() == 12


def test_only_one_current_edition():
    with pytest.raises(IntegrityError), transaction.atomic():
        StandardsEdition.objects.create(
            name="Other",
            edition="Second",
            version="9.9",
            slug="second-v9-9",
            published=datetime.date(2030, 1, 1),
            is_current=True,
        )
