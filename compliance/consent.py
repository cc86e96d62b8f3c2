"""A service provider's answer to a contract a commissioner recorded: confirm or decline.

A contract the commissioner records (by hand or by import) is a claim, pending until the
service provider's staff answer it, once. Only a confirmed contract shows the commissioner
the service's private records (`ContractQuerySet.granting_access_on`). An answer is to the
terms its page showed (`Contract.terms_fingerprint`, posted back by the answer form): if the
commissioner changed them since, nothing is recorded. The commissioner's staff are told
either way (compliance.alerts.contract_decision_notices), once the answer is committed.
"""

from django.db import transaction
from django.utils import timezone

from derived import generation

from . import alerts
from .models import Contract


class AlreadyDecided(Exception):
    """The contract was answered already (by someone else, or in another tab)."""


class TermsChanged(Exception):
    """The contract's terms are no longer those the service provider was shown."""


def decide(contract: Contract, user, *, confirm: bool, terms: str) -> Contract:
    """Record `user`'s answer to `contract` as loaded, whose `terms_fingerprint` the answer
    form showed as `terms`. Raise AlreadyDecided when it is no longer pending, TermsChanged
    when its terms are not those shown.

    One conditional UPDATE, the transaction's first statement, decides between two answers
    at once or an answer and an edit: on SQLite it takes the write lock at once (a second
    answer waits for it rather than failing), on PostgreSQL the loser re-reads the row."""
    if not contract.is_pending:
        raise AlreadyDecided(contract)
    if terms != contract.terms_fingerprint():
        raise TermsChanged(contract)
    decided_at = timezone.now()
    confirmation = Contract.Confirmation.CONFIRMED if confirm else Contract.Confirmation.DECLINED
    with transaction.atomic():
        answered = Contract.objects.filter(
            pk=contract.pk, confirmation=Contract.Confirmation.PENDING, **contract.terms()
        ).update(confirmation=confirmation, decided_by=user, decided_at=decided_at)
        if not answered:
            still_pending = Contract.objects.filter(
                pk=contract.pk, confirmation=Contract.Confirmation.PENDING
            ).exists()
            raise (TermsChanged if still_pending else AlreadyDecided)(contract)
        # A queryset update sends no post_save: overviews kept before the answer are not
        # shown again (derived.generation).
        generation.compliance_changed()
        contract.confirmation, contract.decided_by, contract.decided_at = (
            confirmation,
            user,
            decided_at,
        )
        # An email that cannot be sent does not undo the answer: the alert job tries again.
        transaction.on_commit(
            lambda: alerts.deliver(alerts.contract_decision_notices([contract])), robust=True
        )
    return contract
