"""How the OpenAPI schema describes the API's token authentication."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token made on your account's API tokens page (optional)",
        }


PROBLEM = {
    "type": "object",
    "description": "An error, as RFC 9457 problem details (api.problems)",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "description": "For a request that did not validate: each field's message",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                "required": ["field", "message"],
            },
        },
    },
    "required": ["type", "title", "status", "detail"],
}
PROBLEM_REFERENCE = {"$ref": "#/components/schemas/Problem"}
PAGE_PARAMETERS = {"cursor", "page"}


def _problem(description):
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": PROBLEM_REFERENCE}},
    }


def document_problems(result, generator, request, public):
    """A drf-spectacular postprocessing hook: every operation's error answers, in the one
    shape (api.problems), where the view did not document them itself. Which an operation
    can give follows from what it takes: 400 for query parameters or a body, 404 for a path
    parameter or a page position, 415 for a body; 401 (a token not valid) and 429 (too many
    requests) for all."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            parameters = operation.get("parameters", [])
            names = {p["name"] for p in parameters if p.get("in") == "query"}
            errors = {
                "401": "The token is not valid (unknown, expired or revoked), or none was sent "
                "where one is needed",
                "429": "Too many requests: try again after Retry-After seconds",
            }
            if names or "requestBody" in operation:
                errors["400"] = "The request was not valid: see `errors`"
            if any(p.get("in") == "path" for p in parameters) or names & PAGE_PARAMETERS:
                errors["404"] = "Not found (or not yours), or a page that is not there"
            if "requestBody" in operation:
                errors["415"] = "The body is not JSON"
            responses = operation.setdefault("responses", {})
            for status, description in errors.items():
                responses.setdefault(status, _problem(description))
    return result
