"""Posting a creating form as its page would: with a fresh one-time token (pages.submissions)."""

from pages.submissions import TOKEN_FIELD, new_token


def with_token(user, data=None):
    return {**(data or {}), TOKEN_FIELD: new_token(user)}
