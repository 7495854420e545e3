"""System checks of the training record's evidence (`ausbildung check --deploy`)."""

from __future__ import annotations

import os
from typing import Any

from django.core.checks import Tags, Warning


def signing_key_configured(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """Production should have its own signing key: the one derived from SECRET_KEY changes with it, and lives
    wherever SECRET_KEY does (records.integrity)."""
    if os.environ.get("RECORD_SIGNING_KEYS", "").strip():
        return []
    return [
        Warning(
            "RECORD_SIGNING_KEYS is not set: training-record signatures use a key derived from SECRET_KEY.",
            hint="Set RECORD_SIGNING_KEYS=id:secret (32+ characters), kept out of database backups; keep the "
            "derived key id listed there when SECRET_KEY changes (see .env.example).",
            id="records.W001",
        )
    ]


def register() -> None:
    from django.core.checks import register as register_check

    register_check(signing_key_configured, Tags.security, deploy=True)
