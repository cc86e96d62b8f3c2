"""The largest request the service reads: an upload over it is refused before it is read.

Django reads a form's whole body, files and all (to memory, or to a temporary file past
FILE_UPLOAD_MAX_MEMORY_SIZE), before a form can look at a file's size; and
DATA_UPLOAD_MAX_MEMORY_SIZE counts only the fields that are not files. So a 1 GB "evidence
file" would be written to disk in full only to be told it is over 5 MB. This handler, first
in FILE_UPLOAD_HANDLERS, looks at the body's declared length before anything is read and
refuses one over MAX_UPLOAD_REQUEST_BYTES with RequestDataTooBig, which Django answers with
the "file too big" page (pages.errors, 413). Under WSGI the body is cut at its declared length,
so it cannot be longer than it says.

Each form still checks its own file's size (evidence 5 MB, imports as they say).
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler


class RequestSizeLimitUploadHandler(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > settings.MAX_UPLOAD_REQUEST_BYTES:
            raise RequestDataTooBig(
                f"Upload of {content_length} bytes is larger than MAX_UPLOAD_REQUEST_BYTES."
            )

    def receive_data_chunk(self, raw_data, start):
        return raw_data  # to the next handler: this one keeps nothing

    def file_complete(self, file_size):
        return None
