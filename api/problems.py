"""Errors from /api/ as RFC 9457 problem details (application/problem+json), never HTML.

One shape for every error: `type`, `title`, `status`, `detail`, and for a request that did
not validate, `errors`: [{"field": "on", "message": "..."}] (the field's dotted path, or
"non_field_errors"). DRF's own exceptions come through `exception_handler`; what Django
answers before or around a view (a 404 for an unknown path, CSRF, a request too large, the
database unavailable, an unexpected exception) is turned into the same shape by
`ApiProblemsMiddleware`.

drf-standardized-errors was considered: its documented shape is its own
(`type`/`errors[code, detail, attr]`), not RFC 9457, and the handler here is small.
"""

import json
import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"
API_PREFIX = "/api/"

TITLES = {
    400: "Bad request",
    401: "Not signed in",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    412: "Precondition failed",
    413: "Request too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    428: "Precondition required",
    429: "Too many requests",
    500: "Server error",
    503: "Service unavailable",
}

logger = logging.getLogger(__name__)


def problem(status, detail, errors=None, headers=None):
    """A problem details response."""
    body = {
        "type": "about:blank",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM_CONTENT_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def field_errors(detail, path=""):
    """DRF's nested error detail as a flat list of {field, message}."""
    if isinstance(detail, dict):
        return [
            error
            for key, value in detail.items()
            for error in field_errors(value, f"{path}.{key}" if path else str(key))
        ]
    if isinstance(detail, list):
        errors = []
        for index, value in enumerate(detail):
            if isinstance(value, dict | list):
                errors.extend(field_errors(value, f"{path}.{index}" if path else str(index)))
            else:
                errors.append({"field": path or "non_field_errors", "message": str(value)})
        return errors
    return [{"field": path or "non_field_errors", "message": str(detail)}]


def exception_handler(exc, context):
    # As DRF does inside its own handler, so that the message is the detail, not an error list.
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # not an API exception: the middleware answers (500, logged)
    headers = {
        name: value
        for name, value in response.items()
        if name in ("Retry-After", "Allow", "WWW-Authenticate")
    }
    if isinstance(exc, exceptions.ValidationError):
        return problem(
            response.status_code,
            "The request was not valid: see errors",
            field_errors(exc.detail),
            headers,
        )
    detail = exc.detail if isinstance(exc, exceptions.APIException) else response.data
    if isinstance(detail, dict | list):
        return problem(
            response.status_code, "The request was not valid", field_errors(detail), headers
        )
    return problem(response.status_code, str(detail), headers=headers)


# Django's own answers for a status, in words an API client can act on.
_DETAILS = {
    400: "The request could not be read",
    403: "The request was refused",
    404: "There is nothing at this address",
    405: "This method is not allowed here",
    413: "The request is too large",
    503: "The register is not available at the moment: try again later",
}


class ApiProblemsMiddleware:
    """For paths under /api/: any error response that is not already problem details (a 404
    from the URL resolver, a CSRF refusal, a 503 from the database check) is replaced by one,
    and an unexpected exception is logged and answered with a problem details 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith(PROBLEM_CONTENT_TYPE):
            return response
        headers = {
            name: response[name] for name in ("Retry-After", "Allow") if response.has_header(name)
        }
        status = response.status_code
        return problem(status, _DETAILS.get(status, TITLES.get(status, "Error")), headers=headers)

    def process_exception(self, request, exception):
        if not request.path.startswith(API_PREFIX):
            return None
        logger.exception("API error on %s", request.path, exc_info=exception)
        return problem(500, "Something went wrong on our side: it has been logged")
