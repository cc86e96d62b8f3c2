"""Importing a commissioner's contracts from CSV: preview, row-numbered errors, atomic,
idempotent."""

import datetime as dt

import pytest

from compliance.contract_import import apply_contracts, read_contracts
from compliance.models import Contract
from tests.factories import CommissionerFactory, ContractFactory, ServiceProviderFactory

pytestmark = pytest.mark.django_db

HEADER = "reference,service provider,starts on,ends on,requires certified training\n"


@pytest.fixture
def commissioner():
    return CommissionerFactory()


@pytest.fixture
def services():
    return (
        ServiceProviderFactory(name="Elm House", cqc_location_id="1-1000000001"),
        ServiceProviderFactory(name="Oak Lodge"),
    )


def test_preview_writes_nothing_and_apply_writes_every_row(commissioner, services):
    text = HEADER + "C-1,Elm House,2026-04-01,,yes\nC-2,1-1000000001,01/04/2026,31/03/2027,no\n"
    preview = read_contracts(commissioner, text.encode())
    assert preview.is_valid
    assert [r.action for r in preview.rows] == ["new", "new"]
    assert not Contract.objects.exists()

    apply_contracts(commissioner, text.encode())

    contracts = {c.reference: c for c in Contract.objects.filter(commissioner=commissioner)}
    assert contracts["C-1"].service_provider == services[0]
    assert contracts["C-1"].requires_certified_training is True
    assert contracts["C-2"].service_provider == services[0]
    assert contracts["C-2"].ends_on == dt.date(2027, 3, 31)
    assert contracts["C-2"].requires_certified_training is False


def test_importing_the_same_file_twice_changes_nothing(commissioner, services):
    text = HEADER + "C-1,Elm House,2026-04-01,,yes\n"
    apply_contracts(commissioner, text)
    again = read_contracts(commissioner, text)
    assert [r.action for r in again.rows] == ["unchanged"]
    apply_contracts(commissioner, text)
    assert Contract.objects.count() == 1


def test_a_changed_row_updates_the_contract_with_that_reference(commissioner, services):
    ContractFactory(commissioner=commissioner, service_provider=services[1], reference="C-9")
    text = HEADER + "C-9,Oak Lodge,2026-04-01,2027-03-31,no\n"
    assert [r.action for r in read_contracts(commissioner, text).rows] == ["update"]
    apply_contracts(commissioner, text)
    contract = Contract.objects.get(reference="C-9")
    assert (contract.ends_on, contract.requires_certified_training) == (
        dt.date(2027, 3, 31),
        False,
    )


def test_another_commissioners_reference_is_not_theirs(commissioner, services):
    ContractFactory(reference="C-1", service_provider=services[1])  # another commissioner
    result = apply_contracts(commissioner, HEADER + "C-1,Elm House,2026-04-01,,\n")
    assert result.is_valid
    assert Contract.objects.filter(commissioner=commissioner, reference="C-1").exists()


def test_one_bad_row_writes_nothing_and_errors_name_their_rows(commissioner, services):
    ServiceProviderFactory(name="Twin")
    ServiceProviderFactory(name="Twin")
    ContractFactory(commissioner=commissioner, service_provider=services[1], reference="C-7")
    text = (
        HEADER
        + "C-1,Elm House,2026-04-01,,yes\n"  # row 2: fine
        + ",Elm House,2026-04-01,,\n"  # row 3
        + "C-3,Nowhere Hall,2026-04-01,,\n"  # row 4
        + "C-4,Twin,2026-04-01,,\n"  # row 5
        + "C-5,Elm House,April 2026,,\n"  # row 6
        + "C-6,Elm House,2026-04-01,2026-03-01,\n"  # row 7
        + "C-1,Oak Lodge,2026-04-01,,\n"  # row 8: duplicate of row 2
        + "C-8,Oak Lodge,2026-04-01,,perhaps\n"  # row 9
        + "C-7,Elm House,2026-04-01,,\n"  # row 10: C-7 is Oak Lodge's
        + "C-9,Oak Lodge,,,\n"  # row 11
    )
    result = apply_contracts(commissioner, text)
    assert not result.is_valid
    numbers = [number for number, _ in result.row_errors]
    assert numbers == [3, 4, 5, 6, 7, 8, 9, 10, 11]
    messages = dict(result.row_errors)
    assert "Enter the contract reference" in messages[3]
    assert "Nowhere Hall" in messages[4]
    assert "CQC location ID" in messages[5]
    assert "not a date" in messages[6]
    assert "end before it starts" in messages[7]
    assert "also on row 2" in messages[8]
    assert "yes or no" in messages[9]
    assert "already exists for Oak Lodge" in messages[10]
    assert "date the contract starts" in messages[11]
    assert Contract.objects.filter(commissioner=commissioner).count() == 1  # only C-7


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        (b"", "empty"),
        (b"\xff\xfe\x00bad", "UTF-8"),
        (b"name,town\nElm,Leeds\n", "no column for: reference, service provider, starts on"),
        (HEADER.encode(), "no contracts"),
        (b'reference,service provider,starts on\n"C-1,Elm\n', ""),
        (b"x" * 1_000_001, "larger than"),
    ],
)
def test_unreadable_files_are_refused_whole(commissioner, services, raw, error):
    result = apply_contracts(commissioner, raw)
    assert not result.is_valid
    assert result.errors or result.row_errors
    if error:
        assert error in " ".join(result.errors)
    assert not Contract.objects.exists()
