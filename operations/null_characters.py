"""Requests carrying a NUL character are answered 400 Bad Request, before any view runs.

PostgreSQL cannot store or compare NUL in text (it raises an error mid-query), and no field of
this service has a use for it. Django's form fields already refuse it, but query strings reach
querysets without a form: the admin's list filters, search and autocomplete, and the lists'
filters. One check here, on the path, the query string and the posted fields, covers every one
of them, now and for views still to come. (Django drops it from uploaded files' names; one inside
a file is the file reader's to refuse, e.g. compliance.contract_import.)
"""

from django.core.exceptions import BadRequest

NUL = "\x00"


def _has_nul(query_dict):
    return any(
        NUL in key or any(NUL in value for value in values) for key, values in query_dict.lists()
    )


class RejectNullCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path_info or _has_nul(request.GET):
            raise BadRequest("The address contains a NUL character")
        if request.method == "POST" and _has_nul(request.POST):
            raise BadRequest("The form contains a NUL character")
        return self.get_response(request)
