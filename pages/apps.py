from django.apps import AppConfig


class PagesConfig(AppConfig):
    """Site-wide pages that belong to no one app: start page, health check, accessibility."""

    name = "pages"
