"""The self-check "Ausbildungsbetrieb werden" in a real browser as the demo company: every step accessible."""

from __future__ import annotations

import pytest

from ausbildung.onboarding.models import OnboardingRequest

from .conftest import axe_violations, login

pytestmark = pytest.mark.browser


def test_walk_the_self_check(page, live_server, e2e_demo):
    base = live_server.url
    login(page, base, "betrieb")
    page.goto(f"{base}/ausbildungsplaetze/ausbildungsbetrieb-werden/")
    assert axe_violations(page) == []

    # Step 1: company, activity, occupation search (a submit button: works without JavaScript).
    page.locator("#id_activity").fill("Wir entwickeln Software für Kommunen und den Mittelstand.")
    page.locator("#id_q").fill("Fachinformatiker")
    page.locator("button[name=search]").click()
    page.locator("input[name=occupations]").first.wait_for()
    assert axe_violations(page) == []
    page.locator("input[name=occupations]").first.check()
    page.locator("button[name=next]").click()
    page.wait_for_url(f"{base}/ausbildungsplaetze/ausbildungsbetrieb-werden/ausbildungsstaette/")

    # Step 2: with an error first, then valid answers.
    page.locator("#id_skilled_staff").fill("-1")
    page.locator("button[type=submit].kern-btn--primary").click()
    page.locator("#id_skilled_staff_error").wait_for()
    assert axe_violations(page) == []
    page.locator("#id_skilled_staff").fill("4")
    page.locator("#id_trainer_3").check()  # no trainer with AEVO yet
    page.locator("#id_contents_1").check()  # partly
    page.locator("button[type=submit].kern-btn--primary").click()
    page.wait_for_url(f"{base}/ausbildungsplaetze/ausbildungsbetrieb-werden/ergebnis/")
    assert "AEVO" in page.content()
    assert axe_violations(page) == []

    # Send: the request page with the PDF link.
    page.locator("button[type=submit].kern-btn--primary").click()
    page.wait_for_url(lambda url: "/ausbildungsbetrieb-werden/anfragen/" in url)
    assert OnboardingRequest.objects.filter(company__name__startswith="Saar Systemhaus").count() == 1
    assert page.locator("a[href$='/pdf/']").count() == 1
    assert axe_violations(page) == []
