"""The client's address: the one address sign-in lockouts and the logs both use.

Behind the TLS-terminating load balancer every request's ``REMOTE_ADDR`` is the balancer's.
The client's address is then the entry the outermost trusted proxy appended to
``X-Forwarded-For`` (DJANGO_TRUSTED_PROXY_HEADER): with N trusted proxies in front of the
service (DJANGO_TRUSTED_PROXY_COUNT), the N-th entry from the right. Anything to its left was
written by the client and is ignored, so a client cannot pick its own address by sending
the header. With no trusted proxies (the default) the header is ignored and ``REMOTE_ADDR``
is the address. django-ipware reads and validates the header.
"""

import logging
from contextvars import ContextVar

from django.conf import settings
from ipware import get_client_ip

# Where the address is kept for the rest of the request: request.META is the WSGI environ,
# which gunicorn's access log reads too (config/gunicorn.conf.py). A client cannot send
# this key: header names arrive as HTTP_*.
ENVIRON_KEY = "rrn.client_address"

current_client_address: ContextVar[str | None] = ContextVar("current_client_address", default=None)


def meta_key(header):
    """request.META's name for an HTTP header: "X-Forwarded-For" -> "HTTP_X_FORWARDED_FOR"."""
    return "HTTP_" + header.upper().replace("-", "_")


def _work_out(request):
    remote_addr = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote_addr
    # ipware counts the proxies listed in the header after the client; the proxy nearest the
    # service is REMOTE_ADDR, not in the header: so N proxies in front are N - 1 in the list.
    # Not strict: extra entries the client put on the left do not void the header.
    address, _routable = get_client_ip(
        request,
        proxy_order="left-most",
        proxy_count=proxies - 1,
        request_header_order=[meta_key(settings.TRUSTED_PROXY_HEADER)],
        strict=False,
    )
    # No usable header: the request did not come through the proxies (a health check from
    # inside the network, say), so the socket's address is the client's.
    return address or remote_addr


def client_address(request):
    """The client's IP address as a string (None if there is none at all), worked out once
    a request. django-axes asks for it through AXES_CLIENT_IP_CALLABLE."""
    if request is None:
        return None
    meta = request.META
    if ENVIRON_KEY not in meta:
        meta[ENVIRON_KEY] = _work_out(request)
    return meta[ENVIRON_KEY]


class ClientAddressMiddleware:
    """Works the client's address out at the start of each request, for the log lines
    written while it is handled (ClientAddressLogFilter) and gunicorn's access log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_client_address.set(client_address(request))
        try:
            return self.get_response(request)
        finally:
            current_client_address.reset(token)


class ClientAddressLogFilter(logging.Filter):
    """Puts the current request's client address (or "-" outside a request) on every log
    record, as ``client_address``."""

    def filter(self, record):
        if not hasattr(record, "client_address"):
            # As with the request id, Django logs some responses after the middleware has
            # returned, passing the request along.
            logged_request = getattr(record, "request", None)
            record.client_address = (
                current_client_address.get()
                or getattr(logged_request, "META", {}).get(ENVIRON_KEY)
                or "-"
            )
        return True
