from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    """Service providers, commissioners and the checks that their training complies."""

    name = "compliance"
