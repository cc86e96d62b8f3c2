from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Users (email sign-in) and their memberships of organisations."""

    name = "accounts"

    def ready(self):
        from . import signin  # noqa: F401  (connects the sign-in log's signal receivers)
