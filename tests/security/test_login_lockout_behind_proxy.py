"""Login throttling behind a reverse proxy.

Attack: behind the TLS proxy every request comes from the proxy's address. django-axes locks a username+IP
pair after LOGIN_FAILURE_LIMIT failures, so five wrong passwords for "azubi" from anywhere locked "azubi"
out for everyone: anyone could lock any account. The obvious repair, taking the left-most X-Forwarded-For
entry, would let the attacker write a new address into every attempt and never be locked.

Defence: with BEHIND_PROXY=1 the client's address is the one the trusted proxy appended to X-Forwarded-For
(core.middleware.client_ip, TRUSTED_PROXY_COUNT from the right), and axes locks per username + that address.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ausbildung.core.demo import DEMO_PASSWORD

PROXY = "10.0.0.2"  # the reverse proxy: REMOTE_ADDR of every request
ATTACKER = "203.0.113.7"
OWNER = "198.51.100.4"


@pytest.fixture(autouse=True)
def _behind_proxy(settings):
    settings.BEHIND_PROXY = True
    settings.TRUSTED_PROXY_COUNT = 1


def login_via_proxy(username: str, password: str, *, client_address: str, claimed: str = "") -> int:
    """A login POST as the proxy passes it on: the client's own X-Forwarded-For, then the address it saw."""
    forwarded = f"{claimed}, {client_address}" if claimed else client_address
    response = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded).post(
        reverse("core:login"), {"username": username, "password": password}
    )
    return response.status_code


def test_an_attacker_locks_only_himself_not_the_account(demo, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):  # the last of them is answered with the lockout page
        login_via_proxy("azubi", "falsch", client_address=ATTACKER)
    assert login_via_proxy("azubi", DEMO_PASSWORD, client_address=ATTACKER) == 429  # locked
    # The owner, from her own address behind the same proxy, signs in.
    assert login_via_proxy("azubi", DEMO_PASSWORD, client_address=OWNER) == 302


def test_a_spoofed_left_most_address_does_not_change_the_attackers_identity(demo, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        # Each attempt claims another origin; the proxy appends the address it really saw.
        login_via_proxy("azubi", "falsch", client_address=ATTACKER, claimed=f"192.0.2.{attempt + 1}")
    blocked = login_via_proxy("azubi", DEMO_PASSWORD, client_address=ATTACKER, claimed="192.0.2.99")
    assert blocked == 429
    # Claiming the owner's address does not borrow her standing either.
    assert login_via_proxy("azubi", DEMO_PASSWORD, client_address=ATTACKER, claimed=OWNER) == 429
    assert login_via_proxy("azubi", DEMO_PASSWORD, client_address=OWNER) == 302
