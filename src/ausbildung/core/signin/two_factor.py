"""The second factor: TOTP (RFC 6238) through django-otp, with ten single-use recovery codes.

Who needs it: with `STAFF_TWO_FACTOR = "required"` (the default) every person holding a staff role
(`core.permissions.STAFF_ROLES`: they see other people's data), and anyone who set a device up themselves
(optional for pupils, apprentices and guardians). A session counts as verified once a code of the person's
device was accepted in it (django-otp keeps the device in the session; `OTPMiddleware` gives
`request.user.is_verified()`). The rule is enforced by `core.permissions.PermissionMiddleware`.

Recovery codes: django-otp's static device compares the stored token with the presented one as text, so the
stored token is a keyed hash (HMAC-SHA-256 with the SECRET_KEY, the first 16 hex digits, the field's length)
of the code, never the code itself; the code is shown once. Changing SECRET_KEY invalidates them (the person
signs in with the authenticator and makes new ones). Each code is deleted when used (single use).
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..models import User
from ..permissions import SECOND_FACTOR_PENDING_KEY, STAFF_ROLES, roles_of, second_factor_missing
from ..services import audit_record

if TYPE_CHECKING:
    from django_otp.models import Device

# Set at login when the person has a confirmed device: the session must pass the code step too.
PENDING_SESSION_KEY = SECOND_FACTOR_PENDING_KEY
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i
RECOVERY_CODE_LENGTH = 10  # ~49 bits each; online guessing is throttled by the device
DEVICE_NAME = "Authenticator"
RECOVERY_DEVICE_NAME = "Recovery codes"


# --- who needs it --------------------------------------------------------------------------------------------


def required_by_role(user: Any) -> bool:
    """Staff roles need a second factor while STAFF_TWO_FACTOR is "required"."""
    return settings.STAFF_TWO_FACTOR == "required" and bool(roles_of(user) & STAFF_ROLES)


def is_verified(user: Any) -> bool:
    verified = getattr(user, "is_verified", None)
    return bool(verified and verified())


def needs_code(request: HttpRequest) -> bool:
    """The signed-in session has not passed the second factor though it must (role, or an own device)."""
    return second_factor_missing(request)


def totp_device_of(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return device.token_set.count() if device else 0


def mark_pending_after_login(request: HttpRequest, user: User) -> None:
    """At login (before the code step): remember that this session still owes the second factor."""
    if has_device(user):
        request.session[PENDING_SESSION_KEY] = True


# --- setting up ----------------------------------------------------------------------------------------------


def totp_setup_begin(*, user: User) -> TOTPDevice:
    """The unconfirmed device of a setup in progress (one per person; a new setup reuses it)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def config_url(device: TOTPDevice) -> str:
    return str(device.config_url)


def base32_key(device: TOTPDevice) -> str:
    """The key to type into an authenticator by hand, in groups of four."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URL as a QR code: an SVG data URI rendered here (no external host)."""
    return str(
        segno.make(config_url(device), error="m").svg_data_uri(scale=4, border=2, dark="#000", light="#fff")
    )


def normalise(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def totp_setup_confirm(*, request: HttpRequest, user: User, code: str) -> list[str]:
    """Confirm the setup with the first code of the app: the device counts, the session is verified, ten new
    recovery codes are made (returned to be shown once)."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
        )
        # verify_token counts a failure on the device (its throttle) and must not be rolled back: no raise here.
        accepted = device is not None and bool(device.verify_token(normalise(code)))
    if not accepted or device is None:
        raise ValidationError({"code": _("The code is not right. Please type the current code of the app.")})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
        audit_record(actor=user, action="auth.otp_setup", target=user, summary=user.username)
    otp_login(request, device)
    request.session.pop(PENDING_SESSION_KEY, None)
    return codes


def _hash(code: str) -> str:
    return salted_hmac("ausbildung.recovery-code", normalise(code), algorithm="sha256").hexdigest()[:16]


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = []
    for _i in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _j in range(RECOVERY_CODE_LENGTH))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        device.token_set.create(token=_hash(raw))
    return codes


# --- the code step -------------------------------------------------------------------------------------------


def second_factor_verify(*, request: HttpRequest, user: User, code: str) -> Device:
    """Accept a current code of the app or an unused recovery code (then used up); verifies the session.

    A wrong code is counted by the device (django-otp's throttle: growing waits after failures) and audited
    (`auth.otp_failed`); both are committed, so the check runs in its own transaction that never raises."""
    value = normalise(code)
    device: Device | None = None
    with transaction.atomic():
        if value.isdigit() and len(value) == 6:
            totp = (
                TOTPDevice.objects.select_for_update()
                .filter(user=user, confirmed=True)
                .order_by("pk")
                .first()
            )
            if totp is not None and totp.verify_token(value):
                device = totp
        elif len(value) == RECOVERY_CODE_LENGTH:
            static = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
            if static is not None and static.verify_token(_hash(value)):
                device = static
                audit_record(
                    actor=user,
                    action="auth.otp_recovery_used",
                    target=user,
                    summary=user.username,
                    changes={"left": static.token_set.count()},
                )
        if device is None:
            audit_record(actor=user, action="auth.otp_failed", target=user, summary=user.username)
    if device is None:
        raise ValidationError({"code": _("The code is not right or was used already. Please try again.")})
    otp_login(request, device)
    request.session.pop(PENDING_SESSION_KEY, None)
    return device


# --- changing it ---------------------------------------------------------------------------------------------


def check_password_or_code(user: User, secret: str) -> bool:
    """Confirm a change with the account's password or a current code of the app (not a recovery code)."""
    if secret and user.check_password(secret):
        return True
    value = normalise(secret)
    if value.isdigit() and len(value) == 6:
        device = totp_device_of(user)
        return device is not None and bool(device.verify_token(value))
    return False


def two_factor_disable(*, request: HttpRequest, user: User, secret: str) -> None:
    """Remove the authenticator and the recovery codes. Staff are sent to set up a new one at once.

    The check runs before the transaction: a wrong code stays counted by the device's throttle."""
    if not check_password_or_code(user, secret):
        raise ValidationError({"secret": _("The password or code is not right.")})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        audit_record(actor=user, action="auth.otp_disabled", target=user, summary=user.username)
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    request.session.pop(PENDING_SESSION_KEY, None)


def recovery_codes_regenerate(*, user: User, secret: str) -> list[str]:
    """Ten new recovery codes; the old ones stop working."""
    if not has_device(user):
        raise ValidationError({"secret": _("Set up the second factor first.")})
    if not check_password_or_code(user, secret):
        raise ValidationError({"secret": _("The password or code is not right.")})
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        audit_record(actor=user, action="auth.otp_recovery_regenerated", target=user, summary=user.username)
    return codes
