from django.apps import AppConfig


class CertificationConfig(AppConfig):
    """Certification bodies, certifications, their append-only history and verdicts."""

    name = "certification"
