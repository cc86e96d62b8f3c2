"""The migration that gave followers link secrets and made addresses unique whatever their
case: each existing follower gets its own secret, and two followers of one provider whose
addresses differ only in case become one, the confirmed one."""

import datetime as dt

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from standards.loading import load_standards, load_vocabulary

BEFORE = [("compliance", "0007_provider_followers")]
AFTER = [("compliance", "0008_follower_link_secret")]


@pytest.mark.django_db(transaction=True)
def test_followers_before_the_migration_get_their_own_secrets_and_one_row_per_address():
    # Transactional, as tests/compliance/test_contract_migration.py is, for the same reasons.
    load_vocabulary(apps)
    load_standards(apps)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    region = old.get_model("standards", "Region").objects.first()
    provider = old.get_model("providers", "TrainingProvider").objects.create(
        name="Calm Training", slug="calm-training", kind="commercial", region=region
    )
    Follower = old.get_model("compliance", "ProviderFollower")
    confirmed = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
    unconfirmed = Follower.objects.create(provider=provider, email="reader@example.org")
    kept = Follower.objects.create(
        provider=provider, email="Reader@Example.org", confirmed_at=confirmed
    )
    other = Follower.objects.create(provider=provider, email="other@example.org")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from compliance.models import ProviderFollower

    rows = {f.pk: f for f in ProviderFollower.objects.all()}
    assert set(rows) == {kept.pk, other.pk}
    assert unconfirmed.pk not in rows
    assert rows[kept.pk].email == "reader@example.org"
    assert rows[kept.pk].confirmed_at == confirmed
    secrets = {f.link_secret for f in rows.values()}
    assert len(secrets) == 2 and all(len(s) >= 40 for s in secrets)
