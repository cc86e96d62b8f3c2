from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    """Service providers, commissioners and the checks that their training complies."""

    name = "compliance"

    def ready(self):
        from . import generation

        # Every write of a record a verdict reads starts a new data generation
        # (compliance.generation): overview rows worked out before are not reused.
        generation.connect_signals()
