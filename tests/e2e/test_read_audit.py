"""Issue #18 (accountability) in a real browser at 360 px: a trainer opens an apprentice's record book; the
apprentice follows the link on the home page and sees who read what; no sideways scroll; axe finds nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ausbildung.core.models import TrainingContract

from .conftest import axe_violations, login

pytestmark = pytest.mark.browser


def test_an_apprentice_sees_the_trainers_read_on_a_phone(browser, live_server, e2e_demo):
    contract = TrainingContract.objects.get(apprentice=e2e_demo["azubi"])
    context = browser.new_context(locale="de-DE", viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.set_default_timeout(20_000)
    login(page, live_server.url, "ausbilder")
    page.goto(f"{live_server.url}/nachweis/{contract.pk}/")
    page.context.clear_cookies()
    login(page, live_server.url, "azubi")
    page.get_by_test_id("read-log-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wer deine Daten gelesen hat")
    line = page.get_by_test_id("read-line")
    expect(line).to_have_count(1)
    expect(line).to_contain_text("Miriam Klein")
    expect(line).to_contain_text("Ausbilder")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()
