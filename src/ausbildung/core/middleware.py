"""HTTP hardening that applies to every response: body size, client address, headers, idle sessions.

- `client_ip`: the address of the person at the other end. Behind a reverse proxy (`BEHIND_PROXY=1`) that is
  the address the trusted proxy appended to `X-Forwarded-For` (counted from the right, `TRUSTED_PROXY_COUNT`
  proxies), never the left-most entry, which the client writes itself. Login throttling (django-axes) uses it.
- `RequestBodyLimitMiddleware`: a request announcing more than `MAX_REQUEST_BODY` bytes is answered 413 from
  its headers, before a byte of the body is read (nothing is parsed, spooled to disk or checked for CSRF).
- `SecurityHeadersMiddleware`: the Content-Security-Policy of every page, and `Cache-Control: no-store` on
  every response to a signed-in person or one that used the session (pages with personal data).
- `IdleSessionMiddleware`: ends a session after a configurable time without a request (shorter for staff).
- `ReadAuditMiddleware`: writes the staff reads of young people's data a request noted, in one INSERT.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from ausbildung.core.audit import flush_reads
from ausbildung.core.permissions import STAFF_ROLES, is_api_path, problem_response, roles_of

GetResponse = Callable[[HttpRequest], HttpResponse]


# --- the client's address ------------------------------------------------------------------------------------


def client_ip(request: HttpRequest) -> str:
    """The client's IP address; behind a trusted proxy, the one the proxy saw (see module docstring).

    With `TRUSTED_PROXY_COUNT = n`, the last n entries of X-Forwarded-For were appended by our n proxies, the
    n-th from the right is the address the outermost proxy accepted the connection from. Entries further
    left are the client's own claims. A request without enough entries did not pass all proxies: the
    socket's address is used (the proxy's, which is the safe side: one shared address, no spoofing).
    """
    remote = str(request.META.get("REMOTE_ADDR", ""))
    if not settings.BEHIND_PROXY:
        return remote
    forwarded = [part.strip() for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    forwarded = [part for part in forwarded if part]
    count = settings.TRUSTED_PROXY_COUNT
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


# --- request body --------------------------------------------------------------------------------------------


class RequestBodyLimitMiddleware:
    """413 for a request whose Content-Length exceeds MAX_REQUEST_BODY, decided from the headers alone.

    Django reads at most Content-Length bytes of a body (a chunked body without it is not read at all), so
    the announced length bounds what reaches the parsers and the temporary upload files.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = str(request.META.get("CONTENT_LENGTH") or "0")
        try:
            length = int(raw)
        except ValueError:
            length = -1
        if length < 0 or length > settings.MAX_REQUEST_BODY:
            return self.refuse(request, length)
        return self.get_response(request)

    @staticmethod
    def refuse(request: HttpRequest, length: int) -> HttpResponse:
        limit_mb = settings.MAX_REQUEST_BODY / (1024 * 1024)
        if length < 0:
            status, title = 400, _("Bad request")
            detail = _("The request's Content-Length is not a number.")
        else:
            status, title = 413, _("Request too large")
            detail = _("A request may carry at most %(limit).0f MB.") % {"limit": limit_mb}
        if is_api_path(request.path):
            response: HttpResponse = problem_response(status, title, detail)
        else:
            response = HttpResponse(
                f"{title}: {detail}", status=status, content_type="text/plain; charset=utf-8"
            )
        # The unread body stays on the socket: the server drains at most 64 KiB of it (for at most 5 s, see
        # ausbildung.serving) and then closes the connection.
        return response


# --- response headers ----------------------------------------------------------------------------------------


class SecurityHeadersMiddleware:
    """Content-Security-Policy on every response that has none; no-store for personal responses."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        # A session with data (a sign-in in progress, a message) is personal too; an empty one is not.
        personal_session = session is not None and (
            session.modified or (session.accessed and not session.is_empty())
        )
        if signed_in or personal_session:
            add_never_cache_headers(response)
        return response


# --- idle sessions -------------------------------------------------------------------------------------------

LAST_SEEN_KEY = "_ausbildung_last_seen"
# The stamp is written at most this often (seconds), so a page view does not always save the session.
LAST_SEEN_RESOLUTION = 60


def idle_timeout_seconds(request: HttpRequest) -> int:
    """Staff (they see other people's data) get SESSION_IDLE_MINUTES_STAFF, everyone else SESSION_IDLE_MINUTES."""
    if roles_of(request.user) & STAFF_ROLES:
        return settings.SESSION_IDLE_MINUTES_STAFF * 60
    return settings.SESSION_IDLE_MINUTES * 60


class IdleSessionMiddleware:
    """Sign out a browser session after a time without requests; API bearer tokens are not sessions."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if request.user.is_authenticated and session.get(BACKEND_SESSION_KEY):
            now = int(time.time())
            last_seen = session.get(LAST_SEEN_KEY)
            if isinstance(last_seen, int) and now - last_seen > idle_timeout_seconds(request):
                minutes = idle_timeout_seconds(request) // 60
                logout(request)  # flushes the session, request.user becomes anonymous
                messages.info(
                    request,
                    _("You were signed out after %(minutes)d minutes without activity.")
                    % {"minutes": minutes},
                )
            elif not isinstance(last_seen, int) or now - last_seen >= LAST_SEEN_RESOLUTION:
                session[LAST_SEEN_KEY] = now
        return self.get_response(request)


# --- audit of reads ------------------------------------------------------------------------------------------


class ReadAuditMiddleware:
    """Writes the staff reads a request noted (`core.audit.note_read`) with one INSERT after a successful
    answer (2xx/3xx); a refused or failed request writes none (see `core.audit`)."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        flush_reads(request, response)
        return response
