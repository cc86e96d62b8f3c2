"""The migration that made contracts claims: contracts recorded before it were never confirmed
by their service providers, so they become pending and show nothing private."""

import datetime as dt

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from standards.loading import load_standards, load_vocabulary

BEFORE = [("compliance", "0004_data_generation")]
AFTER = [("compliance", "0005_contract_confirmation")]


@pytest.mark.django_db(transaction=True)
def test_contracts_recorded_before_the_migration_are_pending_claims():
    # Transactional (migrations commit). Other transactional tests flush away the vocabulary
    # rows of the data migration, so load them again (serialized_rollback clashes with content
    # types re-created by earlier flushes).
    load_vocabulary(apps)
    load_standards(apps)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    region = old.get_model("standards", "Region").objects.first()
    service = old.get_model("compliance", "ServiceProvider").objects.create(
        name="Elm House", slug="elm-house", sector="social_care", region=region
    )
    commissioner = old.get_model("compliance", "Commissioner").objects.create(
        name="Riverside Council", slug="riverside", kind="local_authority"
    )
    old.get_model("compliance", "Contract").objects.create(
        commissioner=commissioner,
        service_provider=service,
        reference="RC-1",
        starts_on=dt.date(2000, 1, 1),
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from compliance.models import Contract

    contract = Contract.objects.get(reference="RC-1")
    assert contract.confirmation == Contract.Confirmation.PENDING
    assert contract.decided_by is None and contract.decided_at is None
    assert not Contract.objects.granting_access_on(dt.date.today()).exists()
