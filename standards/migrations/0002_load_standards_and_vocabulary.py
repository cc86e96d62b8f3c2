"""Load the RRN Training Standards (first edition, v1.2) and the scope vocabulary.

A migration never calls live application code: the loader is copied here, working only
through the historical models it is given.
"""

from datetime import date
from pathlib import Path

import yaml
from django.db import migrations
from django.utils.text import slugify

# The facts as the app holds them (standards/data/); the code below is a frozen copy of
# standards.loading as it stood when this migration was written.
DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def _read(name):
    with open(DATA_DIR / name, encoding="utf-8") as f:
        return yaml.safe_load(f)


def _month(value):
    """'2019-04' → 1 April 2019 (the sources give the month only)."""
    year, month = str(value).split("-")[:2]
    return date(int(year), int(month), 1)


def load_vocabulary(apps):
    vocabulary = _read("vocabulary.yaml")
    for model_name, key in [
        ("Population", "populations"),
        ("Setting", "settings"),
        ("SpecialistContent", "specialist_content"),
    ]:
        model = apps.get_model("standards", model_name)
        for order, term in enumerate(vocabulary[key]):
            model.objects.update_or_create(
                slug=term["slug"], defaults={"label": term["label"], "order": order}
            )
    region = apps.get_model("standards", "Region")
    order = 0
    for name in vocabulary["english_regions"]:
        region.objects.update_or_create(
            slug=slugify(name), defaults={"label": name, "nation": "england", "order": order}
        )
        order += 1
    for name in vocabulary["nations"]:
        if name == "England":
            continue  # England is its nine regions
        region.objects.update_or_create(
            slug=slugify(name), defaults={"label": name, "nation": slugify(name), "order": order}
        )
        order += 1


def load_standards(apps):
    facts = _read("standards.yaml")
    edition_model = apps.get_model("standards", "StandardsEdition")
    section_model = apps.get_model("standards", "Section")
    standard_model = apps.get_model("standards", "Standard")
    clause_model = apps.get_model("standards", "Clause")
    e = facts["edition"]
    edition, _ = edition_model.objects.update_or_create(
        name=e["name"],
        edition=e["edition"],
        version=e["version"],
        defaults={
            "slug": slugify(f"{e['edition']} v{e['version']}"),
            "published": _month(e["published"]),
            "version_published": _month(e["version_published"]),
        },
    )
    if not edition_model.objects.filter(is_current=True).exclude(pk=edition.pk).exists():
        edition_model.objects.filter(pk=edition.pk).update(is_current=True)
    for s in facts["sections"]:
        section, _ = section_model.objects.update_or_create(
            edition=edition,
            number=s["number"],
            defaults={"title": s["title"], "summary": s.get("summary") or ""},
        )
        for st in s.get("standards") or []:
            standard, created = standard_model.objects.get_or_create(
                section=section, number=st["number"], defaults={"title": st.get("title") or ""}
            )
            if not created and st.get("title") and not standard.title:
                standard.title = st["title"]
                standard.save(update_fields=["title"])
            for c in st.get("clauses") or []:
                clause, created = clause_model.objects.get_or_create(
                    standard=standard, number=c["number"], defaults={"title": c.get("title") or ""}
                )
                if not created and c.get("title") and not clause.title:
                    clause.title = c["title"]
                    clause.save(update_fields=["title"])


def load(apps, schema_editor):
    load_vocabulary(apps)
    load_standards(apps)


class Migration(migrations.Migration):
    dependencies = [("standards", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
