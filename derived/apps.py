from django.apps import AppConfig


class DerivedConfig(AppConfig):
    """Derived data's infrastructure, below every other app (it imports none of them): the one
    writer (derived.writer), the data generations (derived.generation), which version of the
    code computed what is stored (derived.versions) and the release stamp that goes into every
    key of kept work (derived.release)."""

    name = "derived"

    def ready(self):
        from django.core.signals import setting_changed

        from . import generation, writer
        from .release import forget_release_stamp

        setting_changed.connect(forget_release_stamp, dispatch_uid="derived-release")
        writer.register(writer.GENERATIONS, generation.start_new)
