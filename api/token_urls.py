"""/accounts/api-tokens/: an organisation's API tokens (api.tokens)."""

from django.urls import path

from . import tokens

app_name = "api_tokens"

urlpatterns = [
    path("", tokens.api_tokens, name="list"),
    path("<int:pk>/revoke/", tokens.revoke_api_token, name="revoke"),
]
