from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ProvidersConfig(AppConfig):
    """Training providers, their curricula, and the public register pages."""

    name = "providers"
    verbose_name = "Training providers"

    def ready(self):
        from certification.models import CertificationBody
        from standards.models import Population, Region, Setting, SpecialistContent

        from .counts import forget_register_count
        from .filters import forget_vocabulary
        from .models import TrainingProvider

        # The register's filter choices are cached (providers.filters.vocabulary_terms):
        # a changed term clears its list.
        for model in (Region, Population, Setting, SpecialistContent, CertificationBody):
            for signal in (post_save, post_delete):
                signal.connect(forget_vocabulary, sender=model, dispatch_uid=f"register-{model}")
        for signal in (post_save, post_delete):
            signal.connect(forget_register_count, sender=TrainingProvider, dispatch_uid="count")
