"""How large a CSV import may be, for every import: at most `settings.IMPORT_MAX_ROWS` rows and
`settings.IMPORT_MAX_BYTES` bytes (README § Operations).

A preview and its confirmation each read and check the whole file in one request, so the caps
are what keep both inside the worker timeout. The size is checked before the file is decoded;
rows are counted as the CSV reader yields them, and no row past the cap reaches the importer.
"""

import csv
import io

from django.conf import settings


class ImportTooLarge(ValueError):
    """The file holds more rows or bytes than one import may."""


def _size_text(size):
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f}".removesuffix(".0") + " MB"
    if size >= 1_000:
        return f"{size / 1_000:.1f}".removesuffix(".0") + " kB"
    return f"{size:,} bytes"


def limits_text():
    """The caps in words, for a form's hint: "at most 2,000 rows and 1 MB"."""
    return f"at most {settings.IMPORT_MAX_ROWS:,} rows and {_size_text(settings.IMPORT_MAX_BYTES)}"


def check_size(size):
    """ImportTooLarge when `size` (bytes) is over the cap."""
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise ImportTooLarge(
            f"The file is larger than {_size_text(limit)}. Import at most {_size_text(limit)} "
            "at a time: split the file"
        )


def read_capped(upload):
    """The bytes of `upload` (an UploadedFile), or ImportTooLarge: its declared size is
    checked before reading, and never more than the cap and a byte is read, whatever that
    declared size says."""
    check_size(upload.size)
    raw = upload.read(settings.IMPORT_MAX_BYTES + 1)
    check_size(len(raw))
    return raw


def check_text_size(text):
    """The cap for text posted back by a confirmation (line ends as the browser sent them:
    a form turns every line end into CR LF, which the file did not have)."""
    check_size(len(text.replace("\r\n", "\n").encode("utf-8")))


def is_blank(record):
    return not any(cell.strip() for cell in record)


def capped_records(reader):
    """The records of `reader` (a csv.reader past its header row), blank ones included, until
    one past the cap: then ImportTooLarge saying how many rows the file has.

    The rest of the file is only counted, for the message (the byte cap bounds that work).
    """
    limit = settings.IMPORT_MAX_ROWS
    count = 0
    for record in reader:
        if not is_blank(record):
            count += 1
            if count > limit:
                raise ImportTooLarge(_too_many_rows(count, reader, limit))
        yield record


def check_rows(text):
    """ImportTooLarge when the CSV `text` has more rows after its header than the cap. Reading
    stops at the first row past it; malformed CSV is left for the importer to describe."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        next(reader, None)
        for _ in capped_records(reader):
            pass
    except csv.Error:
        pass


def _too_many_rows(count, reader, limit):
    try:
        total = f"{count + sum(1 for record in reader if not is_blank(record)):,}"
    except csv.Error:
        total = f"more than {limit:,}"
    return f"The file has {total} rows. Import at most {limit:,} rows at a time: split the file"
