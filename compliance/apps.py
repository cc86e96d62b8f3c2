from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    """Service providers, commissioners and the checks that their training complies."""

    name = "compliance"

    def ready(self):
        from derived import generation

        from .models import (
            ComplianceCheck,
            Contract,
            ContractReview,
            ServiceProvider,
            TrainingArrangement,
        )

        # What a compliance verdict or the overview reads beyond the register's records:
        # every write of one starts a new compliance data generation (derived.generation),
        # so page content kept before is not reused.
        generation.watch(
            [ComplianceCheck, Contract, ContractReview, ServiceProvider, TrainingArrangement],
            register=False,
        )
