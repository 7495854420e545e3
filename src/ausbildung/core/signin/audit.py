"""Audit rows of signing in and out, written from Django's auth signals (the login itself is Django's).

`auth.login` and `auth.logout` name the person; `auth.login_failed` keeps the username that was typed (never
the password) and the client address, without an actor: the typed name need not be an account.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ..middleware import client_ip
from ..models import AuditLog, User
from ..services import audit_record
from . import two_factor

MAX_USERNAME = 150


def _address(request: HttpRequest | None) -> str:
    return client_ip(request) if request is not None else ""


def on_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    audit_record(
        actor=user, action="auth.login", target=user, summary=user.username, changes={"ip": _address(request)}
    )
    if request is not None:
        two_factor.mark_pending_after_login(request, user)


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Django masks the password in `credentials` already; only the username is kept here in any case.
    username = str(credentials.get("username", ""))[:MAX_USERNAME]
    audit_record(
        actor=None,
        action="auth.login_failed",
        target=User(),
        summary=username,
        changes={"username": username, "ip": _address(request)},
    )


def on_logout(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is not None and user.pk:
        audit_record(actor=user, action="auth.logout", target=user, summary=user.username)


def connect() -> None:
    user_logged_in.connect(on_login, dispatch_uid="ausbildung.signin.login")
    user_login_failed.connect(on_login_failed, dispatch_uid="ausbildung.signin.login_failed")
    user_logged_out.connect(on_logout, dispatch_uid="ausbildung.signin.logout")


# The actions a person sees of their own account on the security page, with their labels.
SECURITY_ACTIONS = {
    "auth.login": _("Signed in"),
    "auth.login_failed": _("Failed sign-in with this username"),
    "auth.otp_setup": _("Second factor set up"),
    "auth.otp_disabled": _("Second factor removed"),
    "auth.otp_recovery_regenerated": _("New recovery codes made"),
    "auth.otp_recovery_used": _("Recovery code used"),
    "auth.otp_failed": _("Wrong code at the second factor"),
    "auth.password_changed": _("Password changed"),
    "auth.password_reset": _("Password set through a reset link"),
}


def security_events_of(user: User, limit: int = 15) -> list[AuditLog]:
    """The person's own recent sign-ins and changes of the account's security, newest first, plus failed
    sign-ins under their username (the typed name, so also attempts by others)."""
    from django.db.models import Q

    rows = AuditLog.objects.filter(
        Q(actor=user, action__in=SECURITY_ACTIONS)
        | Q(action="auth.login_failed", actor__isnull=True, summary=user.username)
    )
    events = list(rows.order_by("-created_at", "-id")[:limit])
    for event in events:
        event.label = SECURITY_ACTIONS.get(event.action, event.action)  # type: ignore[attr-defined]
    return events
