"""A commissioner's contracted service on a date: the table in verdicts.md, as one rule.

`contracted_service_verdict` takes the service's own verdict (tested with the arrangement table
in test_arrangement_verdicts.py), the service's contracts with this commissioner and their
reviews; it decides whether the service is on the overview, whether it is counted, its state
and its reasons. These cases need no database.
"""

import datetime as dt
from types import SimpleNamespace

import pytest

from compliance.models import Contract, ContractReview
from compliance.verdicts import (
    ArrangementVerdict,
    ComplianceState,
    Reason,
    ServiceVerdict,
    contracted_service_verdict,
)

ON = dt.date(2026, 6, 1)
OK, ACTION, NOT_OK = (
    ComplianceState.COMPLIANT,
    ComplianceState.ACTION_NEEDED,
    ComplianceState.NOT_COMPLIANT,
)
REASONS = {
    OK: [],
    ACTION: [Reason(ACTION, "certificate ends on 1 August 2026")],
    NOT_OK: [Reason(NOT_OK, "certification suspended on 1 May 2026")],
}

# Contracts, as (starts_on, ends_on, requires certified training).
CURRENT = (dt.date(2025, 4, 1), None, True)
CURRENT_NOT_REQUIRING = (dt.date(2025, 4, 1), None, False)
ENDED = (dt.date(2024, 4, 1), dt.date(2026, 5, 31), True)
NOT_STARTED = (dt.date(2026, 6, 2), None, True)
ENDS_ON_THE_DATE = (dt.date(2025, 4, 1), ON, True)

# Reviews of the first contract, as (reviewed_on, actions_due_on, actions_completed_on).
NO_ACTIONS = (dt.date(2026, 1, 15), None, None)
OVERDUE = (dt.date(2026, 1, 15), dt.date(2026, 3, 31), None)
DUE_TODAY = (dt.date(2026, 1, 15), ON, None)
COMPLETED = (dt.date(2026, 1, 15), dt.date(2026, 3, 31), dt.date(2026, 3, 20))
COMPLETED_LATE_AFTER_THE_DATE = (dt.date(2026, 1, 15), dt.date(2026, 3, 31), dt.date(2026, 6, 10))
REVIEWED_AFTER_THE_DATE = (dt.date(2026, 6, 5), dt.date(2026, 6, 20), None)

# Each arrangement's reasons name its training provider on the commissioner's pages.
PROVIDER = "Bright Skills Ltd"
ENDS = f"{PROVIDER}: certificate ends on 1 August 2026"
SUSPENDED = f"{PROVIDER}: certification suspended on 1 May 2026"

OVERDUE_TEXT = "actions from the contract review of 15 January 2026 were due on 31 March 2026"
NO_ARRANGEMENT = "no training arrangement recorded"

# (arrangement states, contracts, reviews) -> (on the overview, counted, state, reasons)
TABLE = [
    pytest.param([OK], [CURRENT], [], (True, True, OK, []), id="compliant"),
    pytest.param([OK, OK], [CURRENT], [], (True, True, OK, []), id="all-arrangements-compliant"),
    pytest.param(
        [OK, ACTION],
        [CURRENT],
        [],
        (True, True, ACTION, [ENDS]),
        id="worst-arrangement-needs-action",
    ),
    pytest.param(
        [ACTION, NOT_OK],
        [CURRENT],
        [],
        (
            True,
            True,
            NOT_OK,
            [ENDS, SUSPENDED],
        ),
        id="worst-arrangement-not-compliant-all-reasons-shown",
    ),
    pytest.param(
        [], [CURRENT], [], (True, True, NOT_OK, [NO_ARRANGEMENT]), id="no-arrangement-recorded"
    ),
    pytest.param(
        [NOT_OK],
        [CURRENT_NOT_REQUIRING],
        [],
        (True, False, NOT_OK, [SUSPENDED]),
        id="contract-not-requiring-certified-training-shown-not-counted",
    ),
    pytest.param(
        [NOT_OK],
        [CURRENT_NOT_REQUIRING, CURRENT],
        [],
        (True, True, NOT_OK, [SUSPENDED]),
        id="counted-when-any-current-contract-requires-it",
    ),
    pytest.param(
        [NOT_OK],
        [CURRENT, ENDED],
        [],
        (True, True, NOT_OK, [SUSPENDED]),
        id="ended-contract-beside-a-current-one",
    ),
    pytest.param([OK], [ENDED], [], (False, None, None, None), id="contract-ended-excluded"),
    pytest.param(
        [OK], [NOT_STARTED], [], (False, None, None, None), id="contract-not-started-excluded"
    ),
    pytest.param([OK], [], [], (False, None, None, None), id="no-contract-excluded"),
    pytest.param(
        [OK], [ENDS_ON_THE_DATE], [], (True, True, OK, []), id="contract-ending-on-the-date-counts"
    ),
    pytest.param([OK], [CURRENT], [NO_ACTIONS], (True, True, OK, []), id="review-without-actions"),
    pytest.param(
        [OK],
        [CURRENT],
        [OVERDUE],
        (True, True, ACTION, [OVERDUE_TEXT]),
        id="overdue-review-actions-flagged",
    ),
    pytest.param(
        [NOT_OK],
        [CURRENT],
        [OVERDUE],
        (True, True, NOT_OK, [SUSPENDED, OVERDUE_TEXT]),
        id="overdue-actions-beside-not-compliant",
    ),
    pytest.param(
        [OK],
        [CURRENT_NOT_REQUIRING],
        [OVERDUE],
        (True, False, ACTION, [OVERDUE_TEXT]),
        id="overdue-actions-flagged-when-not-counted",
    ),
    pytest.param(
        [OK], [CURRENT], [DUE_TODAY], (True, True, OK, []), id="actions-due-today-not-overdue"
    ),
    pytest.param(
        [OK], [CURRENT], [COMPLETED], (True, True, OK, []), id="completed-actions-not-overdue"
    ),
    pytest.param(
        [OK],
        [CURRENT],
        [COMPLETED_LATE_AFTER_THE_DATE],
        (True, True, ACTION, [OVERDUE_TEXT]),
        id="actions-completed-after-the-date-were-overdue-on-it",
    ),
    pytest.param(
        [OK],
        [CURRENT],
        [REVIEWED_AFTER_THE_DATE],
        (True, True, OK, []),
        id="review-after-the-date-not-counted",
    ),
    pytest.param(
        [OK],
        [CURRENT, ENDED],
        [("second", OVERDUE)],
        (True, True, OK, []),
        id="overdue-actions-of-an-ended-contract-ignored",
    ),
]


def _contracts(specs):
    return [
        Contract(pk=n, reference=f"C{n}", starts_on=s, ends_on=e, requires_certified_training=r)
        for n, (s, e, r) in enumerate(specs, start=1)
    ]


def _reviews(specs):
    reviews = []
    for spec in specs:
        contract_id = 1
        if spec[0] == "second":
            contract_id, spec = 2, spec[1]
        reviewed_on, due, completed = spec
        reviews.append(
            ContractReview(
                contract_id=contract_id,
                reviewed_on=reviewed_on,
                outcome="action_needed",
                actions_agreed="Book refresher training" if due else "",
                actions_due_on=due,
                actions_completed_on=completed,
            )
        )
    return reviews


def _service_verdict(states):
    arrangement = SimpleNamespace(training_provider=SimpleNamespace(name=PROVIDER))
    arrangements = [ArrangementVerdict(arrangement, ON, None, REASONS[state]) for state in states]
    return ServiceVerdict(None, ON, arrangements)


@pytest.mark.parametrize(("arrangements", "contracts", "reviews", "expected"), TABLE)
def test_contracted_service_state(arrangements, contracts, reviews, expected):
    shown, counted, state, reasons = expected
    verdict = contracted_service_verdict(
        _service_verdict(arrangements), _contracts(contracts), _reviews(reviews), ON
    )
    if not shown:
        assert verdict is None
        return
    assert verdict is not None
    assert verdict.counted is counted
    assert verdict.state == state
    assert [r.text for r in verdict.reasons] == reasons


def test_only_current_contracts_are_listed_with_the_verdict():
    verdict = contracted_service_verdict(
        _service_verdict([OK]), _contracts([CURRENT, ENDED]), [], ON
    )
    assert [c.reference for c in verdict.contracts] == ["C1"]
