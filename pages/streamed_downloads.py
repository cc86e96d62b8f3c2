"""Streamed downloads (the register as CSV and JSON, a commissioner's overview, a service's
checks) that fail before they start rather than halfway.

A StreamingHttpResponse sends its status and headers before the first byte of its body, so a
database that cannot be reached while the body is made used to leave the client a 200 and a
broken file. `streamed_download` reads the first item, and with it the first batch of rows
from the database, while the view can still answer otherwise: a database error then becomes
a 503 with the error page (operations.database_unavailable). A failure after that, mid-stream,
can only close the connection early: README § The register as open data says what a client
sees then.
"""

import itertools

from django.http import StreamingHttpResponse


def first_batch_read(items):
    """`items` as an iterator whose first item (and so its first database fetch) is read now."""
    iterator = iter(items)
    for first in iterator:
        return itertools.chain([first], iterator)
    return iter(())


def streamed_download(items, lines, *, content_type, filename):
    """A download of `lines(items)`, streamed, its first batch of `items` read already."""
    response = StreamingHttpResponse(lines(first_batch_read(items)), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
