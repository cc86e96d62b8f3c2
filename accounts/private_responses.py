"""Responses for a signed-in user are never stored by a browser or a proxy.

A page or download that needs a session shows one organisation's private records (its
checks, evidence, contracts, exports); without a Cache-Control header a shared proxy may keep
it and the browser's back button or history shows it again after sign-out. Every response to
a signed-in request, and every response of a view that needs one, is sent with
``Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private`` (Django's
``never_cache``). Public pages for anonymous visitors keep whatever caching they had.
"""

from django.utils.cache import add_never_cache_headers


class PrivateResponsesNotStoredMiddleware:
    """After AuthenticationMiddleware (it reads ``request.user``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if self.needs_session(request) and "no-store" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # As LoginRequiredMiddleware decides: a view needs a session unless it is marked
        # `login_not_required`.
        request.view_needs_session = getattr(view_func, "login_required", True)
        # Read now: DRF's views put their own caller (anonymous, or a token's owner) in
        # request.user, so after the view the session's user is no longer there.
        user = getattr(request, "user", None)
        request.signed_in_before_view = user is not None and user.is_authenticated

    @staticmethod
    def needs_session(request):
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        return (
            signed_in
            or getattr(request, "signed_in_before_view", False)
            or getattr(request, "view_needs_session", False)
        )
