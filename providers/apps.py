from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    """Training providers, their curricula, and the public register pages."""

    name = "providers"
    verbose_name = "Training providers"

    def ready(self):
        from derived import generation

        from .models import Curriculum, TrainingProvider

        # The register shows these: a write starts a new data generation (derived.generation).
        generation.watch([Curriculum, TrainingProvider])
