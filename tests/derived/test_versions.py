"""Stored derived data carries the version of the rules that computed it, and `migrate`
rebuilds it when that is not today's version."""

import importlib
import sys

from django.core.management import call_command

from certification.headline_periods import KIND, headline_periods
from certification.models import HeadlinePeriod
from derived import versions
from providers.models import TrainingProvider
from tests.factories import CertificationFactory


def stored_labels():
    return sorted(HeadlinePeriod.objects.values_list("label", flat=True))


def fresh_labels():
    return sorted(
        shown[1]
        for provider in TrainingProvider.objects.with_verdict_data()
        for _start, _end, _embeds, shown in headline_periods(provider)
    )


def test_migrate_rebuilds_periods_that_other_rules_computed(db):
    CertificationFactory.create_batch(2)
    HeadlinePeriod.objects.update(label="As older rules put it")
    versions.record(KIND.name, "an-older-release")

    call_command("migrate", verbosity=0, interactive=False)

    assert stored_labels() == fresh_labels() != []
    assert versions.recorded(KIND.name) == KIND.version


def test_migrate_rebuilds_periods_no_version_was_recorded_for(db):
    CertificationFactory()
    HeadlinePeriod.objects.all().delete()
    versions.record(KIND.name, "")

    call_command("migrate", verbosity=0, interactive=False)

    assert stored_labels() == fresh_labels() != []


def test_migrate_leaves_periods_that_todays_rules_computed(db):
    CertificationFactory()
    versions.record(KIND.name, KIND.version)
    HeadlinePeriod.objects.update(label="Left alone")

    call_command("migrate", verbosity=0, interactive=False)

    assert set(stored_labels()) == {"Left alone"}


def test_rebuild_command_records_todays_rules(db):
    versions.record(KIND.name, "an-older-release")
    call_command("rebuild_headline_periods", verbosity=0)
    assert versions.recorded(KIND.name) == KIND.version


def test_a_rules_version_changes_with_the_rules_source(tmp_path, monkeypatch):
    rules = tmp_path / "some_rules.py"
    rules.write_text("LIMIT = 30\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    before = versions.source_version("some_rules")
    assert versions.source_version("some_rules") == before

    rules.write_text("LIMIT = 31\n")

    assert versions.source_version("some_rules") != before
    sys.modules.pop("some_rules", None)
