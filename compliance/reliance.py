"""What relying on a training provider that is not valid means for a service's compliance.

Said when a service adds the provider ("Add a training provider"), before and after it saves.
"""

from certification.verdicts import Headline

_CONSEQUENCE = "training from it does not comply"


def reliance_warning(name, headline):
    """The warning for relying on provider `name` with `headline` (a ProviderHeadline), or
    None when its certification is valid."""
    kind = headline.kind
    if kind == Headline.CERTIFIED:
        return None
    if kind == Headline.CERTIFIED_NOT_VALID:
        because = headline.verdict.not_valid_because
        return f"{name} is certified, but {because}: {_CONSEQUENCE} until that is put right"
    if kind == Headline.SUSPENDED:
        return f"{name}'s certification is suspended: {_CONSEQUENCE} until it is reinstated"
    if kind == Headline.WORKING_TOWARDS:
        return f"{name} is working towards certification: {_CONSEQUENCE} until it is certified"
    if kind == Headline.EXPIRED:
        return f"{name}'s certification has expired: {_CONSEQUENCE} until it is certified again"
    if kind == Headline.WITHDRAWN:
        return f"{name}'s certification was withdrawn: {_CONSEQUENCE}"
    return f"{name} is not certified: {_CONSEQUENCE}"
