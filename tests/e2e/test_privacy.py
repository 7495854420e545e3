"""A pupil downloads her data and asks for erasure (#18, DSGVO Art. 15, 17, 20) in a real browser, at 1280 px and
at 360 px: the home page links to "Meine Daten", the download is a ZIP with the manifest, the erasure is
confirmed with the password. At 1280 px the school's record and the consent must stay, and the page says until
when; at 360 px nothing must stay, so the account is closed and she is signed out. No page scrolls sideways;
axe-core finds nothing."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ausbildung.core.demo import DEMO_PASSWORD
from ausbildung.core.models import User
from ausbildung.orientation.models import PlanStep
from ausbildung.transition.models import Consent, Destination

from .conftest import axe_violations, login

pytestmark = pytest.mark.browser


def no_sideways_scroll(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


@pytest.mark.parametrize("width", [1280, 360])
def test_pupil_downloads_her_data_and_asks_for_erasure(browser, live_server, e2e_demo, width):
    pupil = e2e_demo["schueler"]
    PlanStep.objects.create(pupil=pupil, text="Praktikum im Betrieb suchen")
    if width == 360:  # nothing must be kept: the account is closed
        Consent.objects.filter(person=pupil).delete()
        Destination.objects.filter(pupil=pupil).delete()
    context = browser.new_context(
        locale="de-DE", viewport={"width": width, "height": 800}, accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    base = live_server.url
    login(page, base, "schueler")
    page.get_by_test_id("my-data-link").click()
    page.wait_for_url(f"{base}/mein-bereich/meine-daten/")
    expect(page.locator("main h1")).to_have_text("Meine Daten")
    expect(page.get_by_test_id("held")).to_contain_text("Berufsorientierung")
    no_sideways_scroll(page, width)
    assert axe_violations(page) == []

    with page.expect_download() as info:
        page.get_by_test_id("export").click()
    archive = zipfile.ZipFile(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert "manifest.json" in archive.namelist()
    assert "Praktikum im Betrieb suchen" in archive.read("daten/orientation.own.json").decode()

    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_test_id("erase").click()
    if width == 1280:
        page.wait_for_url(f"{base}/mein-bereich/meine-daten/")
        expect(page.get_by_test_id("kept")).to_contain_text("Verbleib")
        expect(page.get_by_test_id("kept")).to_contain_text("bleibt bis")
        expect(page.get_by_test_id("requested")).to_contain_text("Löschung beantragt am")
        pupil.refresh_from_db()
        assert pupil.is_active and pupil.erasure_requested_at is not None
    else:
        page.wait_for_url(f"{base}/")
        expect(page.locator("main")).to_contain_text("Konto geschlossen")
        assert User.objects.get(pk=pupil.pk).username == f"geloescht-{pupil.pk}"
    assert not PlanStep.objects.filter(pupil=pupil).exists()
    no_sideways_scroll(page, width)
    assert axe_violations(page) == []
    context.close()
