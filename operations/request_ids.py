"""Request ids: one id per request, taken from the load balancer or made here.

The id travels in the ``X-Request-ID`` header (in and out) and is put on every log record
written while the request is handled, so one request's lines can be found across the
load balancer's, gunicorn's and Django's logs.
"""

import logging
import re
import uuid
from contextvars import ContextVar

REQUEST_ID_HEADER = "X-Request-ID"
# An id from outside is used only if it is short and plain: it ends up in logs and headers.
_ACCEPTABLE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)


def request_id_for(request) -> str:
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    if _ACCEPTABLE_ID.match(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Gives each request an id (``request.request_id``) and returns it in the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_for(request)
        token = current_request_id.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response[REQUEST_ID_HEADER] = request.request_id
        return response


class RequestIdLogFilter(logging.Filter):
    """Puts the current request's id (or "-" outside a request) on every log record."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            # Django logs a 4xx/5xx response after the middleware has returned, passing the
            # request along: its id is on the request.
            logged_request = getattr(record, "request", None)
            record.request_id = (
                current_request_id.get() or getattr(logged_request, "request_id", None) or "-"
            )
        return True
