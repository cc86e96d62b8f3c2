from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save


class CertificationConfig(AppConfig):
    """Certification bodies, certifications, their append-only history and verdicts."""

    name = "certification"

    def ready(self):
        from derived import generation, versions, writer
        from providers.models import TrainingProvider

        from . import headline_periods as periods
        from . import register_changes
        from .models import (
            AccreditationChange,
            Certification,
            CertificationBody,
            CertificationEvent,
        )

        # The register's headline periods are derived from these records: every write of
        # one reports the providers it affects to the one writer, whichever code path made
        # it (bulk writers call headline_periods.providers_changed themselves).
        writer.register(writer.PERIODS, periods.rebuild_for_providers)
        receivers = (
            (Certification, periods.on_certification_saved),
            (CertificationEvent, periods.on_event_saved),
            (AccreditationChange, periods.on_accreditation_change_saved),
            # The standard a body is accredited to decides whether its accreditation counts.
            (CertificationBody, periods.on_body_saved),
        )
        for model, receiver in receivers:
            post_save.connect(receiver, sender=model, dispatch_uid=f"headline-periods-{model}")
        # The register shows these: a write starts a new data generation (derived.generation).
        generation.watch([model for model, _receiver in receivers])
        # The periods copy their provider's name (the providers app watches the provider).
        post_save.connect(
            periods.on_provider_saved,
            sender=TrainingProvider,
            dispatch_uid="headline-periods-provider",
        )

        # Stored periods computed by other rules (a release that changed them, or a database
        # upgraded from before periods existed) are rebuilt by `migrate` itself.
        versions.register(periods.KIND)
        post_migrate.connect(
            periods.rebuild_if_stale, sender=self, dispatch_uid="headline-periods-version"
        )

        # What the API change feed serves besides status moves, written with each change.
        register_changes.connect()
