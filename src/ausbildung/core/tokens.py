"""Personal API tokens: create (the secret is returned once), revoke, and check a presented secret.

Only the SHA-256 hex digest of a secret is stored. Secrets are 256 bits from `secrets`, so a plain hash
(no salt, no slow KDF) is enough: nobody can guess them, and the hash makes the table useless to a reader.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import permissions
from .models import ApiToken, User
from .services import audit_record

PREFIX_LENGTH = 8
MAX_DAYS = 366
# last_used_at is written at most this often per token, not on every request.
TOUCH_INTERVAL = datetime.timedelta(minutes=5)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _may_manage(actor: User | None, user: User) -> bool:
    """A person manages their own tokens; platform administrators may act for anyone (actor None: system)."""
    return actor is None or actor.pk == user.pk or permissions.is_platform_admin(actor)


@transaction.atomic
def api_token_create(
    *, actor: User | None, user: User, name: str, days: int | None = None
) -> tuple[ApiToken, str]:
    """A new token for `user`, valid for `days` (None: until revoked). Returns (token, secret)."""
    if not _may_manage(actor, user):
        raise PermissionDenied
    name = name.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Please give the token a name, e.g. the device it is used on.")
    elif len(name) > ApiToken._meta.get_field("name").max_length:  # type: ignore[operator]
        errors["name"] = _("The name is too long.")
    if days is not None and not 1 <= days <= MAX_DAYS:
        errors["days"] = _("A token is valid for 1 to %(max)s days.") % {"max": MAX_DAYS}
    if errors:
        raise ValidationError(errors)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_hash=hash_secret(secret),
        prefix=secret[:PREFIX_LENGTH],
        expires_at=timezone.now() + datetime.timedelta(days=days) if days is not None else None,
    )
    audit_record(
        actor=actor,
        action="api_token.create",
        target=token,
        summary=f"{user.username}: {token}",
        changes={"user": user.pk, "expires_at": token.expires_at.isoformat() if token.expires_at else None},
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, actor: User | None, token: ApiToken) -> ApiToken:
    """Revoke a token for good (idempotent; audited once)."""
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if not _may_manage(actor, token.user):
        raise PermissionDenied
    if token.revoked:
        return token
    token.revoked = True
    token.save(update_fields=["revoked"])
    audit_record(
        actor=actor, action="api_token.revoke", target=token, summary=f"{token.user.username}: {token}"
    )
    return token


def api_token_check(secret: str) -> ApiToken | None:
    """The usable token for a presented secret (with its user), or None: unknown, revoked, expired, inactive."""
    if not secret or len(secret) > 200:
        return None
    digest = hash_secret(secret)
    token = ApiToken.objects.select_related("user").filter(key_hash=digest).first()
    # The lookup is by the hash of a random secret; compare again in constant time all the same.
    if token is None or not hmac.compare_digest(token.key_hash, digest):
        return None
    now = timezone.now()
    if not token.is_usable(now):
        return None
    if token.last_used_at is None or token.last_used_at < now - TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
