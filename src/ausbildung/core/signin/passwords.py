"""Password reset and change.

The reset request is answered the same way whether or not an account has the address (we do not confirm who
is registered). Requests are throttled per e-mail address and per client address within an hour
(`PASSWORD_RESET_LIMIT_PER_EMAIL`, `PASSWORD_RESET_LIMIT_PER_IP`); the count is kept in the audit log
(`auth.password_reset_request`, with a keyed hash of the address, never the address itself, since it need not
belong to anyone here). The mail goes through the outbox (`core.mail.mail_queue`), never directly. The link
is Django's one-time token (it changes with the password and the last login), valid `PASSWORD_RESET_TIMEOUT`.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from ..middleware import client_ip
from ..models import AuditLog, User
from ..services import audit_record

REQUEST_ACTION = "auth.password_reset_request"
WINDOW = datetime.timedelta(hours=1)


def email_key(email: str) -> str:
    return salted_hmac("ausbildung.password-reset", email.strip().lower(), algorithm="sha256").hexdigest()[
        :32
    ]


def reset_allowed(*, request: HttpRequest, email: str) -> bool:
    """Fewer than the limit of requests for this address and from this client address in the last hour."""
    since = timezone.now() - WINDOW
    recent = AuditLog.objects.filter(action=REQUEST_ACTION, created_at__gte=since)
    if recent.filter(changes__email=email_key(email)).count() >= settings.PASSWORD_RESET_LIMIT_PER_EMAIL:
        return False
    return recent.filter(changes__ip=client_ip(request)).count() < settings.PASSWORD_RESET_LIMIT_PER_IP


def reset_request_record(*, request: HttpRequest, email: str) -> None:
    """Count a request that was let through (written whether or not an account has the address)."""
    audit_record(
        actor=None,
        action=REQUEST_ACTION,
        target=User(),
        changes={"email": email_key(email), "ip": client_ip(request)},
    )


@transaction.atomic
def password_set(*, user: User, password: str, how: str) -> User:
    """Set a new password (`how`: "change" by the signed-in person, "reset" through a mailed link)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    action = "auth.password_changed" if how == "change" else "auth.password_reset"
    audit_record(actor=user, action=action, target=user, summary=user.username)
    return user
