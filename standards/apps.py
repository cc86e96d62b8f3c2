from django.apps import AppConfig


class StandardsConfig(AppConfig):
    """The RRN Training Standards and the scope vocabulary used across the register."""

    name = "standards"

    def ready(self):
        from derived import generation

        from .models import Population, Region, Setting, SpecialistContent, StandardsEdition

        # The register shows these: a write starts a new data generation (derived.generation).
        generation.watch([Population, Region, Setting, SpecialistContent, StandardsEdition])
