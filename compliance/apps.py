from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    """Service providers, commissioners and the checks that their training complies."""

    name = "compliance"

    def ready(self):
        from . import generation

        # Every write of a watched record starts a new data generation
        # (compliance.generation): overview rows and page content kept before are not reused.
        generation.connect_signals()
