from django.apps import AppConfig


class StandardsConfig(AppConfig):
    """The RRN Training Standards and the scope vocabulary used across the register."""

    name = "standards"
