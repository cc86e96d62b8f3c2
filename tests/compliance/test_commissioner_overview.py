"""A commissioner's overview: rows, counts, filters, sort, exposure and its query budget."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext

from certification.services import move_certification
from certification.statuses import Status
from compliance.filters import ContractedServiceFilterSet
from compliance.overview import (
    contracts_on,
    count_states,
    depending_on,
    filter_state,
    overview_rows,
    relied_on,
    sort_rows,
)
from compliance.verdicts import ComplianceState
from tests.factories import (
    CertificationBodyFactory,
    CertificationFactory,
    CommissionerFactory,
    ComplianceCheckFactory,
    ContractFactory,
    ContractReviewFactory,
    ServiceProviderFactory,
    TrainingArrangementFactory,
    TrainingProviderFactory,
    region,
)

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 6, 1)


def _certified_provider(**kw):
    provider = TrainingProviderFactory()
    CertificationFactory(provider=provider, **kw)
    return provider


def _service(commissioner, providers, checked_on=dt.date(2026, 3, 1), **contract_kw):
    service = ServiceProviderFactory(**contract_kw.pop("service_kw", {}))
    contract = ContractFactory(commissioner=commissioner, service_provider=service, **contract_kw)
    for provider in providers:
        arrangement = TrainingArrangementFactory(
            service_provider=service, training_provider=provider
        )
        if checked_on:
            ComplianceCheckFactory(arrangement=arrangement, checked_on=checked_on)
    return service, contract


def _rows(commissioner, on=ON):
    return overview_rows(contracts_on(commissioner, on), on)


def _by_name(rows):
    return {r.service_provider.name: r for r in rows}


def test_one_row_per_contracted_service_with_its_state_and_reasons():
    commissioner = CommissionerFactory()
    good = _certified_provider()
    suspended = _certified_provider()
    move_certification(
        suspended.certifications.get(),
        Status.SUSPENDED,
        effective_date=dt.date(2026, 5, 1),
        reason="Audit findings",
        today=ON,
    )
    ok_service, _ = _service(commissioner, [good])
    bad_service, _ = _service(commissioner, [good, suspended])
    empty_service, _ = _service(commissioner, [])
    other_commissioners_service, _ = _service(CommissionerFactory(), [good])

    rows = _by_name(_rows(commissioner))

    assert set(rows) == {ok_service.name, bad_service.name, empty_service.name}
    assert rows[ok_service.name].state == ComplianceState.COMPLIANT
    assert rows[bad_service.name].state == ComplianceState.NOT_COMPLIANT
    # Each reason names the training provider it is about (issue 14).
    assert [r.text for r in rows[bad_service.name].reasons] == [
        f"{suspended.name}: certification suspended on 1 May 2026"
    ]
    assert [r.text for r in rows[empty_service.name].reasons] == [
        "no training arrangement recorded"
    ]
    assert rows[ok_service.name].last_check.checked_on == dt.date(2026, 3, 1)
    assert other_commissioners_service.name not in rows


def test_a_service_with_two_current_contracts_is_one_row():
    commissioner = CommissionerFactory()
    service, _ = _service(commissioner, [_certified_provider()])
    ContractFactory(commissioner=commissioner, service_provider=service)
    rows = _rows(commissioner)
    assert len(rows) == 1
    assert len(rows[0].contracts) == 2


def test_contracts_not_current_on_the_date_are_left_out():
    commissioner = CommissionerFactory()
    provider = _certified_provider()
    _service(commissioner, [provider], ends_on=dt.date(2026, 5, 31))
    _service(commissioner, [provider], starts_on=dt.date(2026, 6, 2))
    current, _ = _service(commissioner, [provider])
    assert [r.service_provider.pk for r in _rows(commissioner)] == [current.pk]


def test_the_overview_as_of_an_earlier_date_uses_the_verdicts_of_that_date():
    commissioner = CommissionerFactory()
    provider = _certified_provider()
    move_certification(
        provider.certifications.get(),
        Status.SUSPENDED,
        effective_date=dt.date(2026, 5, 1),
        reason="Audit findings",
        today=ON,
    )
    _service(commissioner, [provider], checked_on=dt.date(2026, 3, 1))
    assert _rows(commissioner, ON)[0].state == ComplianceState.NOT_COMPLIANT
    assert _rows(commissioner, dt.date(2026, 4, 1))[0].state == ComplianceState.COMPLIANT


def test_counts_filter_and_sort_work_on_computed_states():
    commissioner = CommissionerFactory()
    good = _certified_provider()
    _service(commissioner, [good], service_kw={"name": "B compliant"})
    _service(commissioner, [], service_kw={"name": "A not compliant"})
    _service(commissioner, [good], checked_on=None, service_kw={"name": "C action"})
    _service(
        commissioner,
        [],
        requires_certified_training=False,
        service_kw={"name": "D not required"},
    )
    rows = _rows(commissioner)

    counts = count_states(rows)
    assert (counts.total, counts.compliant, counts.action_needed, counts.not_compliant) == (
        4,
        1,
        1,
        1,
    )
    assert (counts.not_counted, counts.counted) == (1, 3)
    assert [r.service_provider.name for r in filter_state(rows, "not_compliant")] == [
        "A not compliant"
    ]
    assert [r.service_provider.name for r in filter_state(rows, "not_counted")] == [
        "D not required"
    ]
    assert [r.service_provider.name for r in sort_rows(rows, "state")] == [
        "A not compliant",
        "C action",
        "B compliant",
        "D not required",
    ]
    assert [r.service_provider.name for r in sort_rows(rows, "service")] == [
        "A not compliant",
        "B compliant",
        "C action",
        "D not required",
    ]


def test_exposure_finds_services_relying_on_a_provider_directly_or_through_an_affiliate():
    commissioner = CommissionerFactory()
    parent = _certified_provider()
    affiliate = TrainingProviderFactory()
    CertificationFactory(provider=affiliate, role="affiliate", parent=parent.certifications.get())
    unrelated = _certified_provider()
    direct, _ = _service(commissioner, [parent])
    via_affiliate, _ = _service(commissioner, [affiliate])
    _service(commissioner, [unrelated])
    _service(CommissionerFactory(), [parent])  # another commissioner's

    exposed = depending_on(contracts_on(commissioner, ON), ON, training_provider=parent)
    rows = overview_rows(exposed, ON)

    assert {r.service_provider.pk for r in rows} == {direct.pk, via_affiliate.pk}
    through = relied_on(rows, ON, training_provider=parent)
    for row in rows:
        assert [
            a.arrangement.training_provider.pk
            for a in row.arrangements
            if a.arrangement.pk in through
        ] in ([parent.pk], [affiliate.pk])


def test_exposure_to_a_certification_body():
    commissioner = CommissionerFactory()
    body = CertificationBodyFactory()
    certified_by_body = _certified_provider(body=body)
    other = _certified_provider()
    relying, _ = _service(commissioner, [certified_by_body, other])
    _service(commissioner, [other])

    rows = overview_rows(depending_on(contracts_on(commissioner, ON), ON, body=body), ON)

    assert [r.service_provider.pk for r in rows] == [relying.pk]
    through = relied_on(rows, ON, body=body)
    relied = [a for a in rows[0].arrangements if a.arrangement.pk in through]
    assert [a.arrangement.training_provider.pk for a in relied] == [certified_by_body.pk]


def test_arrangement_ended_before_the_date_is_no_exposure():
    commissioner = CommissionerFactory()
    provider = _certified_provider()
    service, _ = _service(commissioner, [provider])
    service.training_arrangements.update(ends_on=dt.date(2026, 1, 1))
    exposed = depending_on(contracts_on(commissioner, ON), ON, training_provider=provider)
    assert not exposed.exists()


def test_filterset_narrows_by_region_search_and_training_provider():
    commissioner = CommissionerFactory()
    provider = _certified_provider()
    _service(commissioner, [provider], service_kw={"name": "Elm House"})
    _service(
        commissioner,
        [],
        service_kw={"name": "Oak Lodge", "region": region("north-west")},
    )
    base = contracts_on(commissioner, ON)

    def names(data):
        filterset = ContractedServiceFilterSet(data, queryset=base, commissioner=commissioner)
        return sorted(c.service_provider.name for c in filterset.qs)

    assert names({"region": "north-west"}) == ["Oak Lodge"]
    assert names({"q": "elm"}) == ["Elm House"]
    assert names({"training_provider": provider.slug}) == ["Elm House"]
    assert names({}) == ["Elm House", "Oak Lodge"]


@pytest.mark.parametrize(
    "data",
    [
        {"on": "not-a-date"},
        {"region": "atlantis"},
        {"training_provider": "nobody"},
        {"body": "'; drop table"},
        {"state": "splendid"},
        {"sort": "sideways"},
    ],
)
def test_bad_filter_values_are_errors_and_ignored(data):
    commissioner = CommissionerFactory()
    _service(commissioner, [])
    filterset = ContractedServiceFilterSet(
        data, queryset=contracts_on(commissioner, ON), commissioner=commissioner
    )
    assert filterset.errors
    assert filterset.qs.count() == 1


def test_a_reviewed_contract_cannot_be_deleted():
    review = ContractReviewFactory()
    with pytest.raises(ProtectedError):
        review.contract.delete()
    with pytest.raises(ProtectedError):
        type(review.contract).objects.filter(pk=review.contract.pk).delete()


def test_an_unreviewed_contract_can_be_deleted():
    contract = ContractFactory()
    contract.delete()
    assert not type(contract).objects.filter(pk=contract.pk).exists()


def _queries_for_overview(commissioner):
    with CaptureQueriesContext(connection) as captured:
        rows = _rows(commissioner)
        for row in rows:
            row.state, row.reasons, row.last_check, row.counted  # noqa: B018
    return len(captured), rows


def test_overview_queries_do_not_grow_with_contracts():
    providers = [_certified_provider() for _ in range(4)]
    body_suspended_provider = _certified_provider()

    def commissioner_with(n):
        commissioner = CommissionerFactory()
        for i in range(n):
            chosen = [providers[i % 4], providers[(i + 1) % 4], body_suspended_provider]
            _, contract = _service(commissioner, chosen)
            if i % 3 == 0:
                ContractReviewFactory(
                    contract=contract,
                    actions_agreed="Renew",
                    actions_due_on=dt.date(2026, 2, 1),
                )
        return commissioner

    small, large = commissioner_with(3), commissioner_with(100)
    small_queries, small_rows = _queries_for_overview(small)
    large_queries, large_rows = _queries_for_overview(large)

    assert len(small_rows) == 3
    assert len(large_rows) == 100
    assert all(len(r.arrangements) == 3 for r in large_rows)
    assert large_queries == small_queries
    assert large_queries <= 25
