"""Signing in safely in a real browser (#18), at 1280 and 360 px: an invited trainer creates the account and sets up TOTP
and reaches no staff page before; a password reset round trip. No page scrolls sideways; axe finds nothing."""

from __future__ import annotations

import re

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from ausbildung.core.accounts.services import invitation_create
from ausbildung.core.models import Organisation, OutgoingMail

from .conftest import axe_violations

pytestmark = pytest.mark.browser

ACCEPT = "Konto anlegen und annehmen"


def no_sideways_scroll(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def code_for_key(key: str) -> str:
    """The code an authenticator computes from the key typed by hand (base32, shown in groups)."""
    from base64 import b32decode

    raw = key.replace(" ", "")
    secret = b32decode(raw + "=" * (-len(raw) % 8))
    return f"{TOTP(secret).token():06d}"


def new_page(browser, width: int):
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 800})
    page = context.new_page()
    page.set_default_timeout(20_000)
    return page


@pytest.mark.parametrize("width", [1280, 360])
def test_invited_trainer_sets_up_totp_before_reaching_staff_pages(browser, live_server, e2e_demo, width):
    """The company invites a trainer (one-time link, core.accounts); the trainer creates the account from the
    link and is then held at the second factor's setup until it is done (STAFF_TWO_FACTOR "required")."""
    company = Organisation.objects.get(name="Saar Systemhaus GmbH (Demo)")
    _invitation, secret = invitation_create(
        actor=e2e_demo["betrieb"],
        email="tina.trainer@example.org",
        target_key=f"org-{company.pk}-trainer",
        site=live_server.url,
    )
    page = new_page(browser, width)
    base = live_server.url
    page.goto(f"{base}/einladung/{secret}/")
    no_sideways_scroll(page, width)
    assert axe_violations(page) == []
    page.get_by_label("Benutzername").fill("tina")
    page.get_by_label("Vorname").fill("Tina")
    page.get_by_label("Nachname").fill("Trainer")
    page.get_by_label("Passwort", exact=True).fill("ein-langes-Passwort-2026")
    page.get_by_label("Passwort wiederholen").fill("ein-langes-Passwort-2026")
    page.get_by_role("button", name=ACCEPT).click()
    # No device yet: on to the setup, and no staff page opens before it is done.
    page.wait_for_url("**/mein-bereich/sicherheit/zwei-faktor/**")
    expect(page.get_by_test_id("setup-required")).to_be_visible()
    no_sideways_scroll(page, width)
    assert axe_violations(page) == []
    for url in ("/nachweis/pruefen/", "/vertraege/", "/mein-bereich/"):
        page.goto(f"{base}{url}")
        assert "/mein-bereich/sicherheit/zwei-faktor/" in page.url, url
    key = page.get_by_test_id("totp-key").inner_text()
    page.get_by_label("Code aus der App").fill(code_for_key(key))
    page.get_by_role("button", name="Bestätigen und einschalten").click()
    page.wait_for_url("**/wiederherstellungscodes/**")
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    no_sideways_scroll(page, width)
    assert axe_violations(page) == []
    page.get_by_role("link", name="Ich habe die Codes aufbewahrt").click()
    page.goto(f"{base}/nachweis/pruefen/")
    expect(page.locator("h1")).not_to_contain_text("Zweiten Faktor")
    assert "/nachweis/pruefen/" in page.url
    page.goto(f"{base}/mein-bereich/sicherheit/")
    expect(page.get_by_test_id("two-factor-status")).to_contain_text("Eingeschaltet")
    expect(page.get_by_test_id("security-events")).to_contain_text("Zweiter Faktor eingerichtet")
    no_sideways_scroll(page, width)
    assert axe_violations(page) == []
    page.context.close()


def test_password_reset_round_trip(browser, live_server, e2e_demo):
    apprentice = e2e_demo["azubi"]
    apprentice.email = "jonas.becker@example.org"
    apprentice.save(update_fields=["email"])
    page = new_page(browser, 360)
    base = live_server.url
    page.goto(f"{base}/anmelden/")
    page.get_by_test_id("forgot-password").click()
    page.get_by_label("E-Mail-Adresse").fill(apprentice.email)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Link senden").click()
    expect(page.get_by_test_id("reset-sent")).to_be_visible()
    assert axe_violations(page) == []
    mail = OutgoingMail.objects.get(to=apprentice.email)
    path = re.search(r"https?://[^/\s]+(/passwort-neu/\S+)", mail.body).group(1)
    page.goto(f"{base}{path}")
    page.get_by_label("Neues Passwort", exact=True).fill("Sommer-Ausbildung-2026")
    page.get_by_label("Neues Passwort bestätigen").fill("Sommer-Ausbildung-2026")
    no_sideways_scroll(page, 360)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Passwort speichern").click()
    page.wait_for_url("**/passwort-neu/fertig/")
    page.get_by_role("link", name="Anmelden").last.click()
    page.get_by_label("Benutzername").fill("azubi")
    page.get_by_label("Passwort").fill("Sommer-Ausbildung-2026")
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{base}/mein-bereich/")
    page.context.close()
