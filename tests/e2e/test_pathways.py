"""Higher vocational training in a real browser (issue #21), at 1280 and 360 px: from the carpenter's page in the
occupation explorer to the pathway (the ladder, the Meisterprüfung with its parts), then an Aufstiegs-BAföG
estimate. axe-core finds 0 violations, and no page is wider than the viewport."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ausbildung.core.models import TrainingContract

from .conftest import axe_violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 360])
def test_from_the_occupation_to_its_pathway_and_an_estimate(browser, live_server, e2e_demo, width):
    occupation = TrainingContract.objects.get(apprentice=e2e_demo["azubi2"]).occupation
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/orientierung/berufe/{occupation.slug}/")
    page.get_by_test_id("pathway-link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nach der Ausbildung")
    expect(page.get_by_test_id("rungs")).to_contain_text("Bachelor Professional")
    step = page.get_by_test_id("step-tischlmstrv_2008.md")
    expect(step).to_contain_text("Meisterprüfung im Tischler-Handwerk")
    expect(step).to_contain_text("Teil IV")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert axe_violations(page) == []
    form = page.get_by_test_id("estimate-form")
    form.get_by_label("Lehrgangs- und Prüfungsgebühren (Euro)").fill("10000")
    form.get_by_label("Material für das Meisterstück (Euro)").fill("3000")
    form.get_by_role("button", name="Schätzen").click()
    expect(page.get_by_test_id("grant")).to_contain_text("5.750,00 €")
    expect(page.get_by_test_id("own")).to_contain_text("4.750,00 €")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert axe_violations(page) == []
    context.close()
