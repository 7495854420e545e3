"""The campaign's calendar in a real browser (issue #22, first part), at 1280 and 360 px: an organiser (the
chamber) publishes an event; a pupil finds it by postcode, opens it and takes it into her calendar (iCal). axe-core
finds 0 violations on every page, and no page is wider than the viewport."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import axe_violations, login

pytestmark = pytest.mark.browser


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [1280, 360])
def test_an_organiser_publishes_and_a_pupil_finds_it_by_postcode(browser, live_server, e2e_demo, width):
    base = live_server.url
    day = timezone.localdate() + dt.timedelta(days=30)
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    login(page, base, "kammer")
    page.goto(f"{base}/veranstaltungen/meine/")
    assert axe_violations(page) == [] and fits(page)
    form = page.get_by_test_id("event-form")
    form.locator("#id_kind").select_option("speed_dating")
    form.locator("#id_title").fill("Azubi-Speed-Dating Sankt Wendel")
    form.locator("#id_day_1").fill(day.isoformat())
    form.locator("#id_from_1").fill("14:00")
    form.locator("#id_to_1").fill("18:00")
    form.locator("#id_street").fill("Schlossplatz 2")
    form.locator("#id_postcode").fill("66606")
    form.get_by_label("Schülerinnen und Schüler mit Ziel Mittlerer Schulabschluss (MSA)").check()
    form.get_by_role("button", name="Veröffentlichen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Azubi-Speed-Dating Sankt Wendel")
    context.close()

    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/veranstaltungen/")
    filters = page.get_by_test_id("calendar-filters")
    filters.get_by_label("In der Nähe der Postleitzahl").fill("66606")
    filters.get_by_label("Umkreis (km)").fill("15")
    filters.get_by_role("button", name="Veranstaltungen anzeigen").click()
    expect(page.get_by_test_id("events")).to_contain_text("Azubi-Speed-Dating Sankt Wendel")
    assert axe_violations(page) == [] and fits(page)
    page.get_by_role("link", name="Azubi-Speed-Dating Sankt Wendel").click()
    expect(page.get_by_test_id("event-facts")).to_contain_text("66606")
    assert axe_violations(page) == [] and fits(page)
    with page.expect_download() as download:
        page.get_by_test_id("ics-link").click()
    assert download.value.suggested_filename.endswith(".ics")
    context.close()


@pytest.mark.parametrize("width", [1280, 360])
def test_the_event_fills_the_waiting_list_moves_and_the_door_checks_in(browser, live_server, e2e_demo, width):
    """One place: Lena registers, Jonas goes on the waiting list; Lena cancels and Jonas takes the offered place;
    the chamber checks Jonas in with the code of his confirmation."""
    from ausbildung.campaigns.models import Event, EventDate
    from ausbildung.core.models import Organisation

    base = live_server.url
    event = Event.objects.create(
        organiser=Organisation.objects.get(name__startswith="Demo-Industrie"),
        kind="open_day",
        title="Tag der offenen Tür mit einem Platz",
        street="Am Markt 1",
        postcode="66111",
        city="Saarbrücken",
        audiences=["pupils_msa"],
        capacity=1,
        published_at=timezone.now(),
    )
    start = timezone.now() + dt.timedelta(days=10)
    EventDate.objects.create(event=event, starts_at=start, ends_at=start + dt.timedelta(hours=2))
    url = f"{base}/veranstaltungen/{event.pk}/"

    def page_for(username: str):
        context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 900})
        page = context.new_page()
        page.set_default_timeout(20_000)
        login(page, base, username)
        page.goto(url)
        return context, page

    lena_context, lena = page_for("schueler")
    lena.get_by_role("button", name="Anmelden").click()
    expect(lena.get_by_test_id("own-state")).to_contain_text("Sie sind angemeldet")
    assert axe_violations(lena) == [] and fits(lena)

    jonas_context, jonas = page_for("azubi")
    expect(jonas.get_by_test_id("free")).to_contain_text("0 Plätze frei")
    jonas.get_by_role("button", name="Auf die Warteliste").click()
    expect(jonas.get_by_test_id("own-state")).to_contain_text("Warteliste, Position 1")

    lena.get_by_role("button", name="Meine Anmeldung stornieren").click()
    # the freed place is held for Jonas now: Lena would join the waiting list
    expect(lena.get_by_test_id("registration")).to_contain_text("Auf die Warteliste")
    lena_context.close()

    jonas.goto(url)
    expect(jonas.get_by_test_id("own-state")).to_contain_text("für Sie frei")
    jonas.get_by_role("button", name="Platz annehmen").click()
    expect(jonas.get_by_test_id("own-state")).to_contain_text("Sie sind angemeldet")
    code = jonas.get_by_test_id("code").inner_text().strip()
    assert axe_violations(jonas) == [] and fits(jonas)
    jonas_context.close()

    door_context, door = page_for("kammer")
    door.goto(f"{url}teilnehmende/")
    form = door.get_by_test_id("check-in-form")
    form.get_by_label("Code aus der Bestätigung").fill(code.lower())
    form.get_by_role("button", name="Einlassen").click()
    expect(door.get_by_test_id("counts")).to_contain_text("1 eingelassen")
    assert axe_violations(door) == [] and fits(door)
    door_context.close()
