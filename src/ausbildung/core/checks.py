"""System checks of the platform's own configuration (`ausbildung check --deploy`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags
from django.core.checks import Warning as CheckWarning


def secret_key_from_environment(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Production sets SECRET_KEY itself. The key a checkout's `make run` wrote into .venv/secret_key (read when
    SECRET_KEY is unset, so that the README's commands work after `make run`) is a local development key: it
    lies in the code folder, is readable by whoever can read the checkout and is not managed by the operator."""
    source = getattr(settings, "SECRET_KEY_SOURCE", "environment")
    if source == "environment":
        return []
    where = ".venv/secret_key of the checkout" if source == "local-file" else "the fixed development key"
    return [
        Error(
            f"SECRET_KEY is not set in the environment; the platform uses {where}.",
            hint="Set SECRET_KEY in the server's environment (a long random string, see .env.example).",
            id="core.E001",
        )
    ]


def staff_two_factor_required(app_configs: Any = None, **kwargs: Any) -> list[CheckWarning]:
    """Staff see other people's data (minors' among them): outside a local demo they need the second factor."""
    if settings.STAFF_TWO_FACTOR == "required" or settings.DEBUG:
        return []
    return [
        CheckWarning(
            'STAFF_TWO_FACTOR is "optional": staff roles sign in without a second factor.',
            hint='Unset STAFF_TWO_FACTOR (default "required") in the server\'s environment; "optional" is for a local demo.',
            id="core.W001",
        )
    ]


def register() -> None:
    from django.core.checks import register as register_check

    register_check(secret_key_from_environment, Tags.security, deploy=True)
    register_check(staff_two_factor_required, Tags.security, deploy=True)
