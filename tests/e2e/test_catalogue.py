"""The occupation catalogue in a real browser: live search (htmx), the occupation page, accessibility."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import axe_violations

pytestmark = pytest.mark.browser


def test_search_and_open_occupation_page(page, live_server, e2e_demo):
    page.goto(f"{live_server.url}/berufe/")
    assert axe_violations(page) == []
    page.get_by_label("Beruf suchen").fill("Schreiner")
    # htmx replaces the result list without a page load; the URL follows the filter.
    page.wait_for_url(lambda url: "q=Schreiner" in url)
    results = page.locator("#occupation-rows")
    results.get_by_text("1 Beruf gefunden").wait_for()  # the swap has finished
    results.get_by_role("link", name="Tischler/Tischlerin").click()
    page.wait_for_url(f"{live_server.url}/berufe/tischlausbv/")
    assert page.locator("h1").inner_text() == "Tischler/Tischlerin"
    assert axe_violations(page) == []


def test_leaving_the_search_field_sends_no_second_search(page, live_server, e2e_demo):
    """Typing searches once. Leaving the field (its 'change' event) must not search again: the second
    answer's history entry (hx-push-url) cancelled a click on a result that was already under way."""
    searches = []
    page.on("request", lambda request: searches.append(request.url) if "/berufe/?" in request.url else None)
    page.goto(f"{live_server.url}/berufe/")
    page.get_by_label("Beruf suchen").fill("Schreiner")
    page.locator("#occupation-rows").get_by_text("1 Beruf gefunden").wait_for()
    page.keyboard.press("Tab")  # leaves the search field: fires 'change' on it
    with page.expect_request(lambda request: "dauer=36" in request.url):
        page.get_by_label("Dauer").select_option("36")
    assert [url.split("?", 1)[1] for url in searches] == ["q=Schreiner&dauer=", "q=Schreiner&dauer=36"]


def test_framework_plan_table(page, live_server, e2e_demo):
    page.goto(f"{live_server.url}/berufe/fiausbv/")
    table = page.locator("table").first
    assert "Abschnitt A" in table.locator("caption").inner_text()
    headers = table.locator("thead th").all_inner_texts()
    assert headers[-2:] == ["1. bis 18. Monat", "19. bis 36. Monat"]
    first = table.locator("tbody tr").first
    assert first.locator("th").inner_text() == "1"
    assert "Planen, Vorbereiten und Durchführen von Arbeitsaufgaben" in first.inner_text()
    assert first.locator("td").nth(2).inner_text() == "12"
    assert axe_violations(page) == []


def test_search_works_without_javascript(browser, live_server, e2e_demo):
    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/berufe/")
        page.get_by_label("Beruf suchen").fill("Büromanagement")
        page.get_by_role("button", name="Suchen").click()
        # The click submits the form; the result page may still be loading (is_visible would not wait).
        expect(
            page.get_by_role("link", name="Kaufmann für Büromanagement/Kauffrau für Büromanagement")
        ).to_be_visible()
    finally:
        context.close()
