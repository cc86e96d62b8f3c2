"""The page for a request the service will not read (Django's handler400).

A request Django refuses before any view runs (a body too large, too many fields, a
malformed one) gets a page in the site's layout instead of Django's bare "Bad Request": a
body over the size limits says so, as 413 Content Too Large.
"""

from django.core.exceptions import RequestDataTooBig
from django.shortcuts import render


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        return render(request, "413.html", status=413)
    return render(request, "400.html", status=400)
