from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Users (email sign-in) and their memberships of organisations."""

    name = "accounts"
