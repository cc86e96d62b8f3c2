"""Cursor pagination for the provider list: stable pages however the register changes."""

from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination

MAX_POSITION_LENGTH = 400


class RegisterCursorPagination(CursorPagination):
    """Pages in the order the register's `sort` gives (the view's `cursor_ordering`), with
    a cursor a client cannot turn into a bad query: positions are checked before use."""

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
        numeric = self.ordering[0].lstrip("-") == "headline_rank"
        if "\x00" in position or (numeric and not position.isdigit()) or len(position) > 200:
            raise NotFound(self.invalid_cursor_message)
        return cursor
