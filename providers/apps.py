from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    """Training providers, their curricula, and the public register pages."""

    name = "providers"
    verbose_name = "Training providers"
