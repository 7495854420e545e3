"""A pupil answers a company's invitation in a real browser (#16), at 1280 px and at 360 px: the home page says
that an invitation waits, the application page offers to accept the date, propose another or decline; no
page scrolls sideways and axe-core finds nothing."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ausbildung.offers import services
from ausbildung.offers.models import Application
from tests.offers.conftest import sent_application

from .conftest import axe_violations, login

pytestmark = pytest.mark.browser


def no_sideways_scroll(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


@pytest.mark.parametrize("width", [1280, 360])
def test_pupil_answers_an_invitation(browser, live_server, e2e_demo, width):
    application = sent_application(e2e_demo)
    services.interview_propose(
        actor=e2e_demo["betrieb"],
        side=services.COMPANY,
        application=application,
        at=timezone.now() + datetime.timedelta(days=4),
        place="Saar Systemhaus, Raum 2",
    )
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 800})
    page = context.new_page()
    page.set_default_timeout(20_000)
    base = live_server.url
    login(page, base, "schueler")
    item = page.get_by_test_id("waiting-offers_invitations")
    expect(item).to_contain_text("1")
    no_sideways_scroll(page, width)
    assert axe_violations(page) == []
    page.goto(f"{base}/ausbildungsplaetze/bewerbungen/")
    expect(page.locator("main")).to_contain_text("Termin vom Betrieb vorgeschlagen")
    no_sideways_scroll(page, width)
    assert axe_violations(page) == []
    page.goto(f"{base}/mein-bereich/")
    item.get_by_role("link").click()  # one invitation: the link opens it
    page.wait_for_url(f"**/bewerbungen/{application.pk}/")
    expect(page.get_by_test_id("interview-date")).to_contain_text("Raum 2")
    no_sideways_scroll(page, width)
    assert axe_violations(page) == []

    if width == 1280:
        page.get_by_role("button", name="Termin zusagen").click()
        expect(page.get_by_test_id("interview-date")).to_contain_text("Termin vereinbart")
        application.refresh_from_db()
        assert application.interview_status == Application.InterviewStatus.AGREED
    else:
        page.get_by_test_id("interview-counter").locator("summary").click()
        other = timezone.localtime(timezone.now() + datetime.timedelta(days=6))
        page.get_by_label("Datum").fill(other.date().isoformat())
        page.get_by_label("Uhrzeit").fill("14:30")
        no_sideways_scroll(page, width)
        assert axe_violations(page) == []
        page.get_by_role("button", name="Meinen Vorschlag senden").click()
        expect(page.get_by_test_id("interview-date")).to_contain_text("14:30")
        no_sideways_scroll(page, width)
        application.refresh_from_db()
        assert application.interview_status == Application.InterviewStatus.COUNTER
        # the company sees it on its home page and confirms
        company = browser.new_context(locale="de-DE", viewport={"width": width, "height": 800}).new_page()
        company.set_default_timeout(20_000)
        login(company, base, "betrieb")
        expect(company.get_by_test_id("waiting-offers_counter")).to_contain_text("1")
        company.get_by_test_id("waiting-offers_counter").get_by_role("link").click()
        company.wait_for_url(f"**/bewerbungen/{application.pk}/")
        company.get_by_role("button", name="Vorgeschlagenen Termin bestätigen").click()
        expect(company.get_by_test_id("interview-date")).to_contain_text("Termin vereinbart")
        no_sideways_scroll(company, width)
        company.context.close()
    context.close()


def test_pupil_declines_an_invitation_with_a_reason(page, live_server, e2e_demo):
    application = sent_application(e2e_demo)
    services.interview_propose(
        actor=e2e_demo["betrieb"],
        side=services.COMPANY,
        application=application,
        at=timezone.now() + datetime.timedelta(days=4),
        online=True,
    )
    base = live_server.url
    login(page, base, "schueler")
    page.goto(f"{base}/ausbildungsplaetze/bewerbungen/{application.pk}/")
    page.get_by_test_id("interview-decline").locator("summary").click()
    page.get_by_label("Grund").fill("Ich habe schon eine Zusage.")
    page.get_by_test_id("interview-decline").get_by_role("button", name="Einladung absagen").click()
    expect(page.get_by_test_id("application-state")).to_contain_text("Zurückgezogen")
    application.refresh_from_db()
    assert application.state == Application.State.WITHDRAWN


@pytest.mark.parametrize("width", [1280, 360])
def test_apprentice_switches_the_digest_on_from_the_home_page(browser, live_server, e2e_demo, width):
    from ausbildung.core.digests import digest_frequency_of

    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 800})
    page = context.new_page()
    page.set_default_timeout(20_000)
    login(page, live_server.url, "azubi")
    expect(page.get_by_test_id("waiting")).to_contain_text("Was auf dich wartet")
    no_sideways_scroll(page, width)
    page.get_by_test_id("digest-link").click()
    no_sideways_scroll(page, width)
    assert axe_violations(page) == []
    page.get_by_label("Wöchentlich (montags)").check()
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_label("Wöchentlich (montags)")).to_be_checked()
    assert digest_frequency_of(e2e_demo["azubi"]) == "weekly"
    context.close()
