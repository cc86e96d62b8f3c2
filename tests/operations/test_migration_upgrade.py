"""Upgrading a populated database: rows written at an earlier release's migrations, through
the historical models, survive `migrate` to today's, and the derived headline periods are
right afterwards (worked out by today's rules, whatever was stored before).

Runs on SQLite and on PostgreSQL (DATABASE_URL). Migrating back drops later tables, so each
test ends by migrating forward again whatever happens.
"""

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from certification.headline_periods import KIND, headline_periods
from certification.models import Certification, CertificationEvent, HeadlinePeriod
from certification.verdicts import Headline
from compliance.models import Contract
from derived import versions
from providers.models import TrainingProvider
from standards.loading import load_standards, load_vocabulary

# The leaf migrations of the last landed release (git commit 2201570).
PREVIOUS_RELEASE = [
    ("accounts", "0002_initial"),
    ("certification", "0006_event_certificate_number_index"),
    ("compliance", "0004_data_generation"),
    ("providers", "0003_register_order_index"),
    ("standards", "0002_load_standards_and_vocabulary"),
    ("pages", None),
    ("derived", None),
]
# Before the headline periods existed: migration certification 0005 then ran on a populated
# database (and crashed when it called the live rebuild).
BEFORE_HEADLINE_PERIODS = [
    ("accounts", "0002_initial"),
    ("certification", "0004_certification_body_staff_group"),
    ("compliance", "0003_contract_review"),
    ("providers", "0003_register_order_index"),
    ("standards", "0002_load_standards_and_vocabulary"),
    ("pages", None),
    ("derived", None),
]

ON = dt.date(2026, 7, 1)
PROJECT_APPS = ("accounts", "certification", "compliance", "derived", "pages", "providers")
PROJECT_APPS += ("standards", "operations", "config")


def migrate_back(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def populate(apps, with_periods):
    """A body, three providers (certified, suspended, working towards), events, a service
    provider, a commissioner and a contract, as the earlier release wrote them."""
    # A transactional test starts from emptied tables: the standards come back first.
    load_vocabulary(apps)
    load_standards(apps)
    region = apps.get_model("standards", "Region").objects.order_by("order").first()
    edition = apps.get_model("standards", "StandardsEdition").objects.get(is_current=True)
    provider_model = apps.get_model("providers", "TrainingProvider")
    body = apps.get_model("certification", "CertificationBody").objects.create(
        name="Old Body", slug="old-body", ukas_number="7001"
    )
    apps.get_model("certification", "AccreditationChange").objects.create(
        body=body, status="accredited", effective_date=dt.date(2018, 1, 1)
    )
    certification_model = apps.get_model("certification", "Certification")
    event_model = apps.get_model("certification", "CertificationEvent")
    certificate = {"certified_on": dt.date(2025, 1, 1), "valid_until": dt.date(2028, 1, 1)}
    for slug, status in (
        ("certified", "certified"),
        ("suspended", "suspended"),
        ("working", "working_towards"),
    ):
        provider = provider_model.objects.create(
            name=f"Old {slug}", slug=f"old-{slug}", kind="commercial", region=region
        )
        dates = certificate if status != "working_towards" else {}
        number = f"OLD-{slug}" if dates else None
        certification = certification_model.objects.create(
            provider=provider,
            body=body,
            status=status,
            certificate_number=number,
            standards_edition=edition,
            registered_on=dt.date(2024, 6, 1),
            **dates,
        )
        first = "working_towards" if status == "working_towards" else "certified"
        event_model.objects.create(
            certification=certification,
            to_status=first,
            effective_date=dates.get("certified_on", dt.date(2024, 6, 1)),
            reason="First",
            certificate_number=number,
            **dates,
        )
        if status == "suspended":
            event_model.objects.create(
                certification=certification,
                from_status="certified",
                to_status="suspended",
                effective_date=dt.date(2026, 3, 1),
                reason="Audit missed",
                certificate_number=number,
                **dates,
            )
        if with_periods:
            # What older rules stored: here plainly wrong for the suspended one.
            apps.get_model("certification", "HeadlinePeriod").objects.create(
                provider=provider,
                certification=certification,
                starts_on=dt.date(2025, 1, 1),
                ends_on=dt.date(9999, 12, 31),
                headline=int(Headline.CERTIFIED),
                label="Certified",
            )
    service = apps.get_model("compliance", "ServiceProvider").objects.create(
        name="Old Care Home", slug="old-care-home", sector="social_care", region=region
    )
    commissioner = apps.get_model("compliance", "Commissioner").objects.create(
        name="Old Council", slug="old-council", kind="local_authority"
    )
    apps.get_model("compliance", "Contract").objects.create(
        commissioner=commissioner,
        service_provider=service,
        reference="C-1",
        starts_on=dt.date(2025, 1, 1),
    )


def headline_on(provider, day):
    return HeadlinePeriod.objects.get(provider=provider, starts_on__lte=day, ends_on__gt=day)


@pytest.mark.parametrize(
    "targets, with_periods",
    [(PREVIOUS_RELEASE, True), (BEFORE_HEADLINE_PERIODS, False)],
    ids=["from-previous-release", "from-before-headline-periods"],
)
def test_populated_database_upgrades_with_its_data_and_right_headlines(
    transactional_db, targets, with_periods
):
    try:
        populate(migrate_back(targets), with_periods)
        # What a deploy runs; post_migrate rebuilds the derived data.
        call_command("migrate", verbosity=0, interactive=False)
    finally:
        call_command("migrate", verbosity=0, interactive=False)

    assert TrainingProvider.objects.filter(slug__startswith="old-").count() == 3
    assert Certification.objects.filter(body__slug="old-body").count() == 3
    assert CertificationEvent.objects.filter(certification__body__slug="old-body").count() == 4
    # Filled in by certification 0007 for rows already there.
    assert Certification.objects.get(certificate_number="OLD-certified").certificate_key == (
        "OLDCERTIFIED"
    )
    # Contracts recorded before compliance 0005 become claims waiting for the service.
    assert Contract.objects.get(reference="C-1").confirmation == Contract.Confirmation.PENDING

    assert headline_on(TrainingProvider.objects.get(slug="old-certified"), ON).headline == (
        Headline.CERTIFIED
    )
    suspended = headline_on(TrainingProvider.objects.get(slug="old-suspended"), ON)
    assert (suspended.headline, suspended.status_reason) == (Headline.SUSPENDED, "Audit missed")
    assert headline_on(TrainingProvider.objects.get(slug="old-working"), ON).headline == (
        Headline.WORKING_TOWARDS
    )
    # Every stored period is what today's rules work out.
    for provider in TrainingProvider.objects.with_verdict_data():
        stored = [
            (period.starts_on, period.ends_on, period.headline, period.label)
            for period in HeadlinePeriod.objects.filter(provider=provider).order_by("starts_on")
        ]
        fresh = [
            (start, end, shown[0], shown[1]) for start, end, _, shown in headline_periods(provider)
        ]
        assert stored == fresh
    assert versions.recorded(KIND.name) == KIND.version


def _imported_modules(path):
    """Modules a migration imports, except the `import <app>.models` that makemigrations
    writes at the top to name a field's callable or a manager (references, never run to
    compute data)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            top_level = node in tree.body
            for alias in node.names:
                if not (top_level and alias.name.endswith(".models")):
                    yield alias.name
        elif isinstance(node, ast.ImportFrom):
            yield "." * node.level + (node.module or "")


def test_no_migration_imports_the_projects_own_code():
    """A migration works only through the historical models it is given: live code changes
    after it is written (and may need tables from later migrations)."""
    root = Path(__file__).resolve().parents[2]
    offending = [
        (str(path.relative_to(root)), module)
        for path in sorted(root.glob("*/migrations/*.py"))
        for module in _imported_modules(path)
        if module.startswith(".") or module.split(".")[0] in PROJECT_APPS
    ]
    assert offending == []
