"""Sessions end after SESSION_COOKIE_AGE without a request; the clock restarts at most once
every SESSION_RENEW_AFTER_SECONDS.

Saving the session on every request (SESSION_SAVE_EVERY_REQUEST) would restart the clock
exactly, at the price of a database write and commit on every signed-in request, which cost
signed-in pages more than the rest of their work once their content is kept
(pages.content_cache). Renewing only when the last renewal is a minute old keeps the
8-hour idle timeout to within that minute.
"""

import time

from django.conf import settings

RENEWED_AT = "_renewed_at"


class SessionRenewalMiddleware:
    """After SessionMiddleware: marks a live session modified, so that SessionMiddleware
    saves it with a new expiry, when its last renewal is old enough."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = request.session
        if session.session_key is None:  # no session cookie: nothing to renew
            return response
        renewed_at = session.get(RENEWED_AT, 0)  # loads it, if nothing has yet
        if session.session_key is None or session.is_empty():  # stale cookie, or flushed
            return response
        now = int(time.time())
        if now - renewed_at >= settings.SESSION_RENEW_AFTER_SECONDS:
            session[RENEWED_AT] = now
        return response
