"""Issue #17: the internship search in a real browser at 1280 and 360 px – a place of several names offers
choices (nearest to the pupil's postcode first), a choice refines the search, a radius narrows it, an unknown
place lists nothing; no sideways scroll; axe-core finds nothing."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ausbildung.core import geo
from ausbildung.core.models import Organisation, TrainingSite
from ausbildung.orientation.models import InternshipSlot

from .conftest import axe_violations, login

pytestmark = pytest.mark.browser


def _slot(company: Organisation, postcode: str, title: str, start: int) -> InternshipSlot:
    place = geo.lookup(postcode)
    assert place is not None
    site = TrainingSite.objects.create(
        company=company,
        name=title,
        postcode=postcode,
        city=place.name,
        latitude=place.lat,
        longitude=place.lon,
    )
    today = timezone.localdate()
    return InternshipSlot.objects.create(
        company=company,
        site=site,
        title=title,
        field="Holz",
        start_date=today + datetime.timedelta(days=start),
        end_date=today + datetime.timedelta(days=start + 4),
        status=InternshipSlot.Status.PUBLISHED,
    )


@pytest.mark.parametrize("width", [1280, 360])
def test_internship_search_by_place_radius_and_an_unknown_place(browser, live_server, e2e_demo, width):
    tischlerei = Organisation.objects.get(training_sites__name="Werkstatt St. Wendel")
    _slot(tischlerei, "66538", "Berufsfelderkundung Holz Neunkirchen", 40)
    _slot(tischlerei, "20095", "Praktikum Holz Hamburg", 45)
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 800})
    page = context.new_page()
    page.set_default_timeout(20_000)
    login(page, live_server.url, "schueler")
    page.goto(f"{live_server.url}/orientierung/praktika/")
    results = page.locator("#internship-results")
    rows = results.locator(".internship-row")
    expect(rows).to_have_count(3)
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    place = page.get_by_label("Wo? Postleitzahl oder Ort")
    place.fill("Neunkirchen")  # searches while typing (htmx)
    expect(page.locator("#id_ort_error")).to_have_text(
        "„Neunkirchen“ gibt es mehrmals. Bitte wähle unten einen Ort aus."
    )
    choices = page.get_by_test_id("place-choices")
    expect(rows).to_have_count(0)
    first = choices.get_by_role("link").first
    expect(first).to_have_text(
        "Neunkirchen/Saar (66538, Kreis Neunkirchen, Saarland)"
    )  # the pupil: Saarlouis
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    first.click()
    page.wait_for_url("**ort=66538+Neunkirchen%2FSaar*")
    expect(place).to_have_value("66538 Neunkirchen/Saar")
    expect(page.locator("#id_ort_error")).to_have_count(0)
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("Berufsfelderkundung Holz Neunkirchen")
    expect(rows.last).to_contain_text("Praktikum Holz Hamburg")
    page.get_by_label("Umkreis").select_option("25")  # searches on change
    expect(rows).to_have_count(2)
    expect(results).not_to_contain_text("Hamburg")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    place.fill("Atlantis")
    expect(page.locator("#id_ort_error")).to_contain_text("Den Ort „Atlantis“ kennen wir nicht.")
    expect(page.get_by_test_id("place-unknown")).to_be_visible()
    expect(rows).to_have_count(0)
    page.get_by_role(
        "button", name="Suchen"
    ).click()  # without script: the full page says it at the field too
    page.wait_for_url("**ort=Atlantis*")
    expect(place).to_have_attribute("aria-invalid", "true")
    expect(rows).to_have_count(0)
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()
