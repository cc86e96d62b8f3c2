from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the service: request ids, structured logs, security events, backups."""

    name = "operations"

    def ready(self):
        from . import deploy_checks, security_events  # noqa: F401 (deploy_checks registers)

        security_events.connect()
