"""Issue #16, "Forms and pages", in a real browser: the offer form's section titles stand above their fields,
the Fachrichtung list follows the chosen occupation (htmx, under the Content-Security-Policy), and the
counsellor finds an offer to refer to by typing (htmx) – at 1280 px and 360 px, axe 0 violations."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ausbildung.core.models import Occupation, Specialisation
from ausbildung.offers.search import public_offers
from ausbildung.transition.models import Case

from .conftest import axe_violations, login

pytestmark = pytest.mark.browser


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.mark.parametrize("width", [1280, 360])
def test_offer_form_sections_and_specialisations(browser, live_server, e2e_demo, width):
    base = live_server.url
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    login(page, base, "betrieb")
    page.goto(f"{base}/ausbildungsplaetze/betrieb/neu/")
    # every section title is above its first field, with space between them, never beside it
    for section in page.locator("fieldset.form-section").all():
        title = section.locator("legend").bounding_box()
        first_label = section.locator(".form-section__body label").first.bounding_box()
        assert first_label["y"] >= title["y"] + title["height"] + 8, (title, first_label)
    assert no_horizontal_scroll(page)
    assert axe_violations(page) == []
    # choosing the occupation brings its specialisations, by htmx (no reload)
    occupation = Occupation.objects.filter(specialisations__kind="fachrichtung").distinct().first()
    expected = list(
        occupation.specialisations.exclude(kind=Specialisation.Kind.EINSATZGEBIET).values_list(
            "name", flat=True
        )
    )
    specialisation = page.locator("#id_specialisation")
    expect(specialisation.locator("option")).to_have_count(1)  # only the empty choice before the occupation
    page.locator("#id_title").fill("bleibt stehen")
    page.locator("#id_occupation").select_option(str(occupation.pk))
    expect(specialisation.locator("option")).to_have_count(len(expected) + 1)
    names = specialisation.locator("option").all_inner_texts()
    assert all(any(name in text for text in names) for name in expected)
    expect(page.locator("#id_title")).to_have_value("bleibt stehen")  # swapped in place, nothing reloaded
    assert axe_violations(page) == []
    context.close()


@pytest.mark.parametrize("width", [1280, 360])
def test_counsellor_finds_the_offer_by_typing(browser, live_server, e2e_demo, width):
    base = live_server.url
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    login(page, base, "beratung")
    case = Case.objects.get(person__username="schueler", status=Case.Status.OPEN)
    offer = public_offers().select_related("company").order_by("pk").first()
    page.goto(f"{base}/uebergang/faelle/{case.pk}/")
    page.locator("#offer-query").press_sequentially(offer.company.name[:12])
    choice = page.locator(f'input[name="referral-offer"][value="{offer.pk}"]')
    expect(choice).to_have_count(1)
    assert no_horizontal_scroll(page)
    assert axe_violations(page) == []
    choice.check()
    page.locator("#id_referral-kind").select_option("offer")
    page.get_by_role("button", name="Vermittlung hinzufügen").click()
    expect(page.get_by_test_id("referrals")).to_contain_text(offer.display_title)
    context.close()
