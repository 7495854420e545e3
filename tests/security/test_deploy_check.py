"""Production settings pass Django's deployment checks.

Attack surface: a platform run in production without HSTS, without the redirect to HTTPS, with cookies that
travel over plain HTTP or a weak secret key leaks sessions to anyone on the network path.

Defence: DEBUG=0, HTTPS=1, a long SECRET_KEY and RECORD_SIGNING_KEYS (what .env.example asks for production) turn on HSTS, the
HTTPS redirect and secure cookies; `ausbildung check --deploy` reports no issue. Only security.W021 (HSTS
preload, a commitment the operator makes for the whole domain) is silenced unless HSTS_PRELOAD=1.
"""

from __future__ import annotations

import secrets

from tests.test_cli import run


def test_check_deploy_is_clean_with_production_settings(migrated):
    production = {
        "DEBUG": "0",
        "HTTPS": "1",
        "BEHIND_PROXY": "1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "RECORD_SIGNING_KEYS": f"k1:{secrets.token_urlsafe(40)}",
        "ALLOWED_HOSTS": "ausbildung.example.org",
    }
    result = run(["check", "--deploy", "--fail-level", "WARNING"], migrated, **production)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr
