"""The HTTP API under /api/v1/ (django-ninja, OpenAPI 3 at /api/v1/openapi.json, docs at /api/v1/docs).

Errors are RFC 9457 problem details (`application/problem+json`). Access is decided by
`core.permissions` (the middleware checks each route's rule; routers fetch through the scoped selectors).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from ausbildung.core.permissions import problem_response

from . import core, monitoring, offers, records
from .docs import VendoredSwagger

api = NinjaAPI(
    title="ausbildung API",
    version="1",
    description="Open API of the ausbildung platform for dual vocational training.",
    urls_namespace="api",
    docs=VendoredSwagger(),
)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return problem_response(
        422, "Unprocessable Content", "The request does not match the schema.", errors=list(exc.errors)
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(404, "Not Found", "No such object, or it is not visible to you.")


@api.exception_handler(AuthenticationError)
def not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem_response(401, "Unauthorized", "Please sign in first.")


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem_response(exc.status_code, str(exc))


@api.exception_handler(RawPostDataException)
def body_not_json(request: HttpRequest, exc: RawPostDataException) -> HttpResponse:
    # A multipart form body was read as a form (by the CSRF check of a signed-in session) before the operation
    # could read it as JSON: the body is not what the API takes.
    return problem_response(
        415, "Unsupported Media Type", "Send the request body as JSON (Content-Type: application/json)."
    )


@api.exception_handler(records.OutsideContract)
def outside_contract(request: HttpRequest, exc: records.OutsideContract) -> HttpResponse:
    return records.outside_contract_response(exc)


@api.exception_handler(offers.InvalidInput)
def invalid_input(request: HttpRequest, exc: offers.InvalidInput) -> HttpResponse:
    return exc.response or offers.invalid_response(exc.errors)


api.add_router("", core.router)
api.add_router("/records", records.router)
api.add_router("", offers.router)
api.add_router("", monitoring.router)
