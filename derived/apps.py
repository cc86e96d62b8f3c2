from django.apps import AppConfig


class DerivedConfig(AppConfig):
    """Derived data's bookkeeping, below every other app: which version of the code computed
    what is stored, and the release stamp that goes into every key of kept work."""

    name = "derived"

    def ready(self):
        from django.core.signals import setting_changed

        from .release import forget_release_stamp

        setting_changed.connect(forget_release_stamp, dispatch_uid="derived-release")
