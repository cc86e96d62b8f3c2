from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the service: request ids, structured logs, security events, backups."""

    name = "operations"

    def ready(self):
        from . import security_events

        security_events.connect()
