"""A view that cannot reach the database answers 503 with the "service unavailable" page.

The failure is the service's and passes (a restarted or failed-over database, a dropped
connection), so the client is told to try again later (`Retry-After`) rather than shown the
500 page for a fault in the code. Streamed downloads read their first batch of rows before
the response starts (pages.streamed_downloads), so they fail here too instead of answering
200 with a broken file. The page is rendered without a request, so it needs no database.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader

logger = logging.getLogger("rrn.database")

RETRY_AFTER_SECONDS = 30


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error(
            "database unavailable",
            exc_info=exception,
            extra={"event": "database_unavailable", "path": request.path},
        )
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
