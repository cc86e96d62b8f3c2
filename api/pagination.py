"""Cursor pagination for the API's lists: stable pages however the register changes."""

from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination

MAX_POSITION_LENGTH = 400
# Orderings whose position is a whole number (a rank, an id): up to 18 digits, so that it
# fits every database's integers (a longer one is no position this API gave).
NUMERIC_ORDERINGS = {"headline_rank", "pk", "id"}
MAX_NUMBER_LENGTH = 18


class RegisterCursorPagination(CursorPagination):
    """Pages in the view's `cursor_ordering` (the register's `sort`, a body's certifications
    by id), with a cursor a client cannot turn into a bad query: positions are checked
    before use."""

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    invalid_cursor_message = "The cursor is not one this API gave: start again without it"

    def get_ordering(self, request, queryset, view):
        return view.cursor_ordering()

    def get_page_size(self, request):
        try:
            return super().get_page_size(request)
        except (OverflowError, ValueError):
            return self.page_size

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is not None and len(encoded) > 2 * MAX_POSITION_LENGTH:
            raise NotFound(self.invalid_cursor_message)
        try:
            cursor = super().decode_cursor(request)
        except (ValueError, OverflowError, UnicodeError) as error:
            raise NotFound(self.invalid_cursor_message) from error
        if cursor is None or cursor.position is None:
            return cursor
        position = cursor.position
        if "\x00" in position or len(position) > 200:
            raise NotFound(self.invalid_cursor_message)
        if self.ordering[0].lstrip("-") in NUMERIC_ORDERINGS and not (
            position.isascii() and position.isdigit() and len(position) <= MAX_NUMBER_LENGTH
        ):
            raise NotFound(self.invalid_cursor_message)
        return cursor
