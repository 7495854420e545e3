"""Bearer-token authentication for the API (`Authorization: Bearer <secret>`), for clients without a session.

Two pieces, because access is decided before the view runs (`core.permissions.PermissionMiddleware`):

- :class:`BearerTokenMiddleware` (in ``settings.MIDDLEWARE`` right after Django's ``AuthenticationMiddleware``)
  checks the token of a request to ``/api/`` and sets ``request.user`` to its person, so the permission
  middleware and the scoped selectors see them. An unknown, revoked or expired token is answered with
  401 problem details at once; it never falls back to the session.
- :data:`bearer` (a django-ninja ``HttpBearer``) declares the scheme in the OpenAPI schema and accepts the
  token on the routes that list it in their ``auth``.

Token requests need no CSRF token: the browser never attaches the header on its own.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer, django_auth

from ausbildung.core import tokens
from ausbildung.core.models import ApiToken
from ausbildung.core.permissions import API_TOKEN_ATTRIBUTE, is_api_path, problem_response

TOKEN_ATTRIBUTE = API_TOKEN_ATTRIBUTE


def bearer_secret(request: HttpRequest) -> str | None:
    """The secret of an ``Authorization: Bearer …`` header; None without one ("" when it is empty)."""
    value = request.headers.get("Authorization", "")
    scheme, _sep, secret = value.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return secret.strip()


def invalid_token_response() -> HttpResponse:
    response = problem_response(401, _("Invalid token"), _("The API token is unknown, expired or revoked."))
    response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return response


def _authenticate(request: HttpRequest, secret: str) -> ApiToken | None:
    """Check the secret (once per request) and make its person the request's user."""
    token: ApiToken | None = getattr(request, TOKEN_ATTRIBUTE, None)
    if token is None or not hmac.compare_digest(tokens.hash_secret(secret), token.key_hash):
        token = tokens.api_token_check(secret)
    if token is None:
        return None
    setattr(request, TOKEN_ATTRIBUTE, token)
    request.user = token.user
    return token


class BearerTokenMiddleware:
    """Authenticate ``/api/`` requests that carry a bearer token, before the permission middleware runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_api_path(request.path):
            secret = bearer_secret(request)
            if secret is not None:
                if _authenticate(request, secret) is None:
                    return invalid_token_response()
                user = request.user

                async def auser() -> Any:
                    return user

                request.auser = auser
        return self.get_response(request)


class BearerAuth(HttpBearer):
    """The bearer scheme of the OpenAPI schema; the secret was usually checked by the middleware already."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = _authenticate(request, token)
        if api_token is None:
            raise HttpError(401, _("The API token is unknown, expired or revoked."))
        return api_token.user


bearer = BearerAuth()
# Routes a mobile app uses: a bearer token or the browser session (with CSRF for writes).
token_or_session = [bearer, django_auth]
