"""The certificate check forgives how people type a number (issue 14, item 8), in one indexed
lookup, and the register's search does the same."""

import datetime as dt
import importlib

import pytest
from django.db import connection

from certification.certificate_check import check_certificate
from certification.certificate_numbers import certificate_key
from certification.models import Certification, CertificationEvent
from certification.services import Certificate, move_certification
from certification.statuses import Status
from providers.filters import TrainingProviderFilterSet
from providers.models import TrainingProvider
from tests.factories import CertificationFactory

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 6, 1)
TYPED = [
    "RRN-2024-0061",
    "rrn-2024-0061",
    "rrn 2024 0061",
    "RRN/2024/0061",
    "rrn.2024.0061",
    "RRN_2024_0061",
    " rrn\u20132024\u20130061 ",  # en dashes, as word processors write them
    "RRN20240061",
    "rrn - 2024 / 0061",
]


@pytest.mark.parametrize("typed", TYPED)
def test_case_spaces_and_separators_do_not_matter(typed):
    certification = CertificationFactory(certificate_number="RRN-2024-0061")
    result = check_certificate(typed, ON)
    assert result.found and result.certification == certification
    assert result.is_current_number and result.is_valid
    assert result.shown_number == "RRN-2024-0061"  # the register's own format


@pytest.mark.parametrize("typed", ["RRN-2024-0062", "RRN-2024-006", "XRRN-2024-0061"])
def test_a_different_number_is_not_found(typed):
    CertificationFactory(certificate_number="RRN-2024-0061")
    assert not check_certificate(typed, ON).found


def test_a_replaced_number_is_found_in_the_history_however_typed():
    certification = CertificationFactory(certificate_number="RRN-2022-0007")
    move_certification(
        certification,
        Status.CERTIFIED,
        effective_date=dt.date(2026, 5, 1),
        reason="Renewed",
        certificate=Certificate("RRN-2026-0007", dt.date(2026, 5, 1), dt.date(2029, 5, 1)),
        today=ON,
    )
    result = check_certificate("rrn/2022/0007", ON)
    assert result.found and not result.is_current_number
    assert result.label == "Replaced"
    assert result.shown_number == "RRN-2022-0007"


def test_the_page_finds_it_and_links_to_the_register_format(client):
    CertificationFactory(certificate_number="RRN-2024-0061")
    html = client.get("/certificates/check/", {"number": "rrn 2024 0061"}).content.decode()
    assert "Valid</strong>" in html
    assert "?number=RRN-2024-0061" in html


def test_the_hint_shows_the_register_s_real_format(client):
    html = client.get("/certificates/check/").content.decode()
    assert "for example RRN-2024-0061" in html


def test_a_number_of_separators_only_asks_for_a_number(client):
    html = client.get("/certificates/check/", {"number": "-/-"}).content.decode()
    assert "Enter a certificate number, like RRN-2024-0061" in html


def test_the_key_is_kept_on_every_write_including_bulk_create():
    certification = CertificationFactory(certificate_number="RRN-2024-0099")
    assert Certification.objects.get(pk=certification.pk).certificate_key == "RRN20240099"
    event = CertificationEvent.objects.get(certification=certification)
    assert event.certificate_key == "RRN20240099"
    (bulk,) = Certification.objects.bulk_create(
        [
            Certification(
                provider=certification.provider,
                body=certification.body,
                standards_edition=certification.standards_edition,
                status=Status.WITHDRAWN,
                certificate_number="ABC/1",
                registered_on=ON,
            )
        ]
    )
    assert Certification.objects.get(pk=bulk.pk).certificate_key == "ABC1"


def test_the_migration_s_copy_of_the_rule_agrees_with_the_live_one():
    migration = importlib.import_module("certification.migrations.0007_verdict_rules")
    for typed in [*TYPED, "abc", "Ärzte-1", "", None, "---"]:
        assert migration._key(typed) == certificate_key(typed), typed


def test_register_search_finds_a_certificate_number_however_typed():
    certification = CertificationFactory(certificate_number="RRN-2024-0061")
    for typed in ("rrn 2024 0061", "RRN/2024", "rrn.2024.00"):
        filterset = TrainingProviderFilterSet({"q": typed}, queryset=TrainingProvider.objects.all())
        assert list(filterset.qs) == [certification.provider], typed


@pytest.mark.postgres_only
def test_the_lookup_is_an_indexed_lookup_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the plan is PostgreSQL's")
    CertificationFactory(certificate_number="RRN-2024-0061")
    for model in (Certification, CertificationEvent):
        queryset = model.objects.filter(certificate_key="RRN20240061")
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            sql, params = queryset.query.sql_with_params()
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "certificate_key" in plan and "Index" in plan, plan
