"""Training places in a real browser: a pupil searches, opens an offer and applies with a document; the company
invites and offers the place; the pupil accepts; a contract draft exists. axe-core checks every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ausbildung.core.models import TrainingContract
from ausbildung.offers.models import Application
from tests.offers.conftest import PDF

from .conftest import axe_violations, login

pytestmark = pytest.mark.browser


def test_search_apply_invite_offer_accept(browser, live_server, e2e_demo):
    base = live_server.url

    pupil_context = browser.new_context(locale="de-DE")
    pupil = pupil_context.new_page()
    pupil.set_default_timeout(20_000)
    login(pupil, base, "schueler")
    pupil.get_by_role("link", name="Ausbildungsplatz finden").click()
    assert pupil.locator("h1").inner_text() == "Ausbildungsplatz finden"
    assert axe_violations(pupil) == []
    pupil.get_by_label("Was?").fill("Informatik")
    pupil.get_by_label("Wo? Postleitzahl oder Ort").fill("66740")
    pupil.get_by_role("button", name="Suchen").click()
    pupil.wait_for_url("**/ausbildungsplaetze/?q=Informatik*")
    result = pupil.locator("#offer-results").get_by_role("link", name="Fachinformatiker/Fachinformatikerin")
    expect(result).to_have_count(1)  # waits for a live (htmx) search started while typing to settle
    expect(pupil.locator("#offer-results")).to_contain_text("km entfernt")
    result.click()
    assert pupil.locator("h1").inner_text() == "Fachinformatiker/Fachinformatikerin"
    assert "Passung" in pupil.locator("#fit-heading").inner_text()
    assert axe_violations(pupil) == []

    pupil.get_by_role("link", name="Jetzt bewerben").click()
    assert axe_violations(pupil) == []
    pupil.get_by_label("Deine Nachricht an den Betrieb").fill("Ich programmiere seit zwei Jahren in Python.")
    pupil.get_by_role("button", name="Speichern und weiter").click()
    pupil.get_by_label("Dokument (PDF, JPEG oder PNG)").set_input_files(
        {"name": "lebenslauf.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    pupil.get_by_role("button", name="Hochladen").click()
    expect(pupil.get_by_role("link", name="lebenslauf.pdf")).to_have_count(1)
    assert axe_violations(pupil) == []
    pupil.get_by_role("button", name="Bewerbung absenden").click()
    assert "Gesendet" in pupil.get_by_test_id("application-state").inner_text()

    company_context = browser.new_context(locale="de-DE")
    company = company_context.new_page()
    company.set_default_timeout(20_000)
    login(company, base, "betrieb")
    company.get_by_role("link", name="Ausbildungsplätze und Bewerbungen").click()
    assert axe_violations(company) == []
    company.get_by_role("link", name="1 offene Bewerbung").click()
    assert axe_violations(company) == []
    company.get_by_role("link", name="Lena Schmidt").click()
    assert axe_violations(company) == []
    company.get_by_label("Nachricht an die Bewerberin / den Bewerber").fill("Kommen Sie am Montag um 10 Uhr?")
    company.get_by_role("button", name="Zum Gespräch einladen").click()
    assert "Eingeladen" in company.get_by_test_id("application-state").inner_text()
    company.get_by_role("button", name="Platz anbieten").click()
    assert "Platz angeboten" in company.get_by_test_id("application-state").inner_text()

    pupil.reload()
    assert "Kommen Sie am Montag um 10 Uhr?" in pupil.content()
    pupil.get_by_role("button", name="Platz annehmen").click()
    assert "Zugesagt" in pupil.get_by_test_id("application-state").inner_text()
    assert pupil.get_by_test_id("contract-draft").count() == 1

    application = Application.objects.get(applicant=e2e_demo["schueler"])
    assert application.state == Application.State.ACCEPTED
    contract = TrainingContract.objects.get(pk=application.contract_id)
    assert contract.status == TrainingContract.Status.DRAFT and contract.apprentice == e2e_demo["schueler"]
    company.reload()
    company.get_by_role("link", name="Vertragsentwurf öffnen").click()
    assert "Lena Schmidt" in company.content()

    pupil_context.close()
    company_context.close()


def test_filters_search_live_but_leaving_a_text_field_does_not(page, live_server, e2e_demo):
    """Selects, dates and the check box search on 'change'; the text fields search while typing and not a
    second time when left (that extra answer's history entry cancelled a click on a result under way)."""
    searches = []
    page.on("request", lambda r: searches.append(r.url) if "/ausbildungsplaetze/?" in r.url else None)
    login(page, live_server.url, "schueler")
    page.goto(f"{live_server.url}/ausbildungsplaetze/")
    with page.expect_request(lambda r: "q=Informatik" in r.url):
        page.locator("#id_q").fill("Informatik")
    page.keyboard.press("Tab")  # leaves 'Was?': its 'change' event must not search
    with page.expect_request(lambda r: "sortierung=start" in r.url):
        page.locator("#id_sortierung").select_option("start")
    with page.expect_request(lambda r: "ab=2027-08-01" in r.url):
        page.locator("#id_ab").fill("2027-08-01")
    with page.expect_request(lambda r: "frei=on" in r.url):
        page.locator("#id_frei").check()
    queries = [url.split("?", 1)[1] for url in searches]
    assert len(queries) == 4, queries
    assert "sortierung=start" in queries[1] and "ab=2027-08-01" in queries[2] and "frei=on" in queries[3]


@pytest.mark.parametrize("width", [1280, 360])
def test_ambiguous_place_offers_choices_and_an_unknown_one_lists_nothing(
    browser, live_server, e2e_demo, width
):
    """Issue #16: "Neunkirchen" became Neuenkirchen (Lower Saxony), an unknown place listed every offer. Typed
    into the search, a name of several places offers them (nearest to the pupil's postcode, Saarlouis, first);
    a choice refines the search; an unknown name is said at the field and lists no offer. No sideways scroll."""
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 800})
    page = context.new_page()
    page.set_default_timeout(20_000)
    login(page, live_server.url, "schueler")
    page.goto(f"{live_server.url}/ausbildungsplaetze/")
    results = page.locator("#offer-results")
    expect(results.locator(".offer-card")).to_have_count(3)

    page.get_by_label("Wo? Postleitzahl oder Ort").fill("Neunkirchen")  # searches while typing (htmx)
    expect(page.locator("#id_ort_error")).to_have_text(
        "„Neunkirchen“ gibt es mehrmals. Bitte wähle unten einen Ort aus."
    )
    choices = page.get_by_test_id("place-choices")
    expect(choices).to_contain_text("Welches „Neunkirchen“ meinst du?")
    expect(results.locator(".offer-card")).to_have_count(0)
    first = choices.get_by_role("link").first
    expect(first).to_have_text("Neunkirchen/Saar (66538, Kreis Neunkirchen, Saarland)")
    expect(choices).not_to_contain_text("Neuenkirchen")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    first.click()
    page.wait_for_url("**ort=66538+Neunkirchen%2FSaar*")
    expect(page.get_by_label("Wo? Postleitzahl oder Ort")).to_have_value("66538 Neunkirchen/Saar")
    expect(page.locator("#id_ort_error")).to_have_count(0)
    expect(results).to_contain_text("Neunkirchen/Saar (66538)")
    expect(results.locator(".offer-card")).to_have_count(3)
    page.get_by_label("Umkreis").select_option("25")
    expect(results.locator(".offer-card").first).to_contain_text("Tischler/Tischlerin")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.get_by_label("Wo? Postleitzahl oder Ort").fill("Atlantis")
    expect(page.locator("#id_ort_error")).to_contain_text("Den Ort „Atlantis“ kennen wir nicht.")
    expect(page.get_by_test_id("place-unknown")).to_be_visible()
    expect(results.locator(".offer-card")).to_have_count(0)
    page.get_by_role("button", name="Suchen").click()  # the full page says it at the field too
    page.wait_for_url("**ort=Atlantis*")
    expect(page.get_by_label("Wo? Postleitzahl oder Ort")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Wo? Postleitzahl oder Ort")).to_have_value("Atlantis")
    expect(results.locator(".offer-card")).to_have_count(0)
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()
