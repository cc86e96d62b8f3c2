"""A service provider's answer to a contract a commissioner recorded: confirm or decline.

A contract the commissioner records (by hand or by import) is a claim, pending until the
service provider's staff answer it, once. Only a confirmed contract shows the commissioner
the service's private records (`ContractQuerySet.granting_access_on`). The commissioner's
staff are told either way (compliance.alerts.contract_decision_notices), once the answer is
committed.
"""

from django.db import transaction
from django.utils import timezone

from . import alerts
from .models import Contract


class AlreadyDecided(Exception):
    """The contract was answered already (by someone else, or in another tab)."""


@transaction.atomic
def decide(contract: Contract, user, *, confirm: bool) -> Contract:
    """Record `user`'s answer for the contract's service provider; raise AlreadyDecided when
    it is no longer pending. The row is locked, so two answers at once cannot both win."""
    stored = (
        Contract.objects.select_for_update()
        .filter(pk=contract.pk)
        .values_list("confirmation", flat=True)
    )
    if stored.get() != Contract.Confirmation.PENDING:
        raise AlreadyDecided(contract)
    contract.confirmation = (
        Contract.Confirmation.CONFIRMED if confirm else Contract.Confirmation.DECLINED
    )
    contract.decided_by = user
    contract.decided_at = timezone.now()
    # save() (not update()) so that the compliance data generation moves on: overviews kept
    # before the answer are not shown again (compliance.generation).
    contract.save(update_fields=Contract.DECISION_FIELDS)
    # An email that cannot be sent does not undo the answer: the alert job tries again.
    transaction.on_commit(
        lambda: alerts.deliver(alerts.contract_decision_notices([contract])), robust=True
    )
    return contract
