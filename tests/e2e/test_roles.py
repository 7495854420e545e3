"""Every demo role signs in through the real login form and lands on its home page; axe finds nothing."""

from __future__ import annotations

import pytest

from ausbildung.core.models import Membership

from ..conftest import ROLE_USERS
from .conftest import axe_violations, login

pytestmark = pytest.mark.browser


def test_login_page_is_accessible(page, live_server, e2e_demo):
    page.goto(f"{live_server.url}/anmelden/")
    assert page.locator("html").get_attribute("lang") == "de"
    assert axe_violations(page) == []


def test_skip_link_comes_first(page, live_server, e2e_demo):
    """The skip link is the first thing the keyboard reaches, and it leads to the main landmark."""
    page.goto(f"{live_server.url}/")
    assert axe_violations(page) == []
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Zum Hauptinhalt springen"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_wrong_password_shows_german_error(page, live_server, e2e_demo):
    page.goto(f"{live_server.url}/anmelden/")
    page.get_by_label("Benutzername").fill("azubi")
    page.get_by_label("Passwort").fill("falsch")
    page.get_by_role("button", name="Anmelden").click()
    assert page.get_by_role("alert").is_visible()
    assert "Benutzername oder Passwort ist falsch" in page.get_by_role("alert").inner_text()
    assert axe_violations(page) == []


@pytest.mark.parametrize("role", sorted(ROLE_USERS))
def test_role_home_page(role, page, live_server, e2e_demo):
    username = ROLE_USERS[role]
    user = e2e_demo[username]
    login(page, live_server.url, username)
    main = page.locator("main")
    assert main.get_by_role("heading", level=1).inner_text() == "Mein Bereich"
    assert user.get_full_name() in main.inner_text()
    membership = Membership.objects.filter(user=user).select_related("organisation").first()
    if membership is not None:
        assert membership.organisation.name in page.get_by_test_id("acting").inner_text()
    else:  # the guardian acts for a person, not an organisation
        assert "gesetzliche" in page.get_by_test_id("acting").inner_text().lower()
    # Every area link on the page opens without an error.
    links = [a.get_attribute("href") for a in page.locator("[data-testid=areas] a").all()]
    assert axe_violations(page) == [], role
    for href in links:
        response = page.goto(f"{live_server.url}{href}")
        assert response is not None and response.status < 400, (role, href)


def test_small_screen_has_no_horizontal_scrolling(browser, live_server, e2e_demo):
    context = browser.new_context(locale="de-DE", viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        login(page, live_server.url, "betrieb")
        for path in ("/mein-bereich/", "/vertraege/"):
            page.goto(f"{live_server.url}{path}")
            assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
        assert axe_violations(page) == []
    finally:
        context.close()


def test_language_switch_to_english(page, live_server, e2e_demo):
    login(page, live_server.url, "azubi")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("main h1").inner_text() == "My area"
    page.get_by_role("button", name="Deutsch").click()
    page.wait_for_load_state()
    assert page.locator("main h1").inner_text() == "Mein Bereich"
