"""The main pages run under the Content-Security-Policy without a single violation (real Chromium).

Chromium reports every refused script, style or connection on the console; the pages must not need any
(tests/security/test_response_headers.py checks the header itself).
"""

from __future__ import annotations

import pytest

from ausbildung.core.models import TrainingContract

from .conftest import login

pytestmark = pytest.mark.browser


def watch_violations(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


def test_main_pages_run_without_csp_violations(page, live_server, e2e_demo):
    violations = watch_violations(page)
    base = live_server.url
    page.goto(f"{base}/anmelden/")
    page.goto(f"{base}/ausbildungsplaetze/?q=Kaufmann")
    login(page, base, "azubi")  # lands on the dashboard ("Mein Bereich")
    contract = TrainingContract.objects.filter(apprentice__username="azubi").first()
    assert contract is not None
    page.goto(f"{base}/nachweis/{contract.pk}/")
    week = page.locator(f"a[href^='/nachweis/{contract.pk}/20']").first
    week.click()
    page.wait_for_load_state("load")
    page.goto(f"{base}/nachweis/{contract.pk}/abdeckung/")  # chart.js
    page.wait_for_load_state("load")
    assert violations == []
