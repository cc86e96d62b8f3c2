"""Derived data is fresh the moment a write commits, for a reader on another connection: the
writer works in a thread of its own (its own database connection and transaction) while the
test reads the register through the test client, before and after the commit.

Before the one writer, the register count and the vocabulary lists were cleared in
post_save, before the commit: a request in between put the old value back under the same
key, and every process then served it after the commit (for up to an hour in a process
whose cache was not shared). Now they are kept under the data generation, which the commit
itself changes.

PostgreSQL only: SQLite's test database refuses a read while another connection writes.
"""

import datetime as dt
import threading

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction

from certification.services import move_certification, record_accreditation_change
from certification.statuses import AccreditationStatus, Status
from standards.loading import load_standards, load_vocabulary
from tests.factories import (
    CertificationBodyFactory,
    CertificationFactory,
    TrainingProviderFactory,
)

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections at once"),
]


class Writer:
    """Runs `write()` in a transaction in another thread, holding it open until `commit()`."""

    def __init__(self, write):
        self.write = write
        self.written = threading.Event()
        self.go_on = threading.Event()
        self.done = threading.Event()
        self.error = None
        self.result = None
        self.thread = threading.Thread(target=self._run)

    def _run(self):
        try:
            with transaction.atomic():
                self.result = self.write()
                self.written.set()
                assert self.go_on.wait(30)
        except BaseException as error:  # reported in the test's thread
            self.error = error
        finally:
            self.written.set()
            connection.close()
            self.done.set()

    def start(self):
        self.thread.start()
        assert self.written.wait(30)
        if self.error:
            raise self.error
        return self

    def commit(self):
        self.go_on.set()
        self.thread.join(30)
        if self.error:
            raise self.error
        return self.result


REFUSED = "There is a problem"


def register_count(client):
    response = client.get("/providers/")
    assert response.status_code == 200
    return response.context["paginator"].count if response.context else None


def register_page(client, query=""):
    response = client.get(f"/providers/{query}")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture(autouse=True)
def _standards_and_empty_cache(transactional_db):
    # A transactional test starts from emptied tables: the vocabulary comes back first.
    load_vocabulary(apps)
    load_standards(apps)
    cache.clear()


def test_the_register_count_is_new_as_soon_as_a_new_provider_commits(
    transactional_db, client, without_kept_content
):
    TrainingProviderFactory.create_batch(3)
    assert register_count(client) == 3

    writer = Writer(TrainingProviderFactory).start()
    # Read while the write is uncommitted: the old count, which is kept again...
    assert register_count(client) == 3
    writer.commit()

    # ...but never shown after the commit.
    assert register_count(client) == 4


def test_a_new_bodys_filter_is_accepted_as_soon_as_the_body_commits(transactional_db, client):
    CertificationFactory(body__name="Old Body", body__slug="old-body")
    assert "Old Body" in register_page(client)

    writer = Writer(lambda: CertificationFactory(body__name="New Body", body__slug="new-body"))
    writer.start()
    before = register_page(client, "?body=new-body")
    assert "New Body" not in before  # not committed: not a choice yet
    writer.commit()

    after = register_page(client, "?body=new-body")
    assert "There is a problem" not in after
    assert (
        'value="new-body" checked' in after
        or "new-body" in after.split("checked")[0]
        or ("New Body" in after)
    )


def test_a_status_move_is_on_the_register_as_soon_as_it_commits(transactional_db, client):
    certification = CertificationFactory(provider__name="Moving Training")
    assert "Moving Training" in register_page(client, "?status=certified")
    assert "Moving Training" not in register_page(client, "?status=suspended")

    writer = Writer(
        lambda: move_certification(
            certification,
            Status.SUSPENDED,
            effective_date=dt.date.today() - dt.timedelta(days=1),
            reason="Audit missed",
        )
    ).start()
    # Uncommitted: the old headline, from the old periods (and kept again under the old key).
    assert "Moving Training" in register_page(client, "?status=certified")
    writer.commit()

    # Committed: the new periods and a new generation, so no kept page of the old one.
    assert "Moving Training" in register_page(client, "?status=suspended")
    assert "Moving Training" not in register_page(client, "?status=certified")


def test_an_accreditation_change_is_on_the_register_as_soon_as_it_commits(transactional_db, client):
    body = CertificationBodyFactory(name="Wavering Body")
    CertificationFactory(provider__name="Trusting Training", body=body)
    assert "Trusting Training" in register_page(client, "?ukas_valid=on")

    Writer(
        lambda: record_accreditation_change(
            body, AccreditationStatus.SUSPENDED, effective_date=dt.date.today()
        )
    ).start().commit()

    assert "Trusting Training" not in register_page(client, "?ukas_valid=on")
