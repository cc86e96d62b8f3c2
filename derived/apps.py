from django.apps import AppConfig


class DerivedConfig(AppConfig):
    """Derived data's bookkeeping, below every other app: which version of the code computed
    what is stored, and the release stamp that goes into every key of kept work."""

    name = "derived"
