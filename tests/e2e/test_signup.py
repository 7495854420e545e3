"""A pupil signs up in a real browser (#18), confirms her e-mail address with the link from the outbox and
joins the demo class with its code, at 1280 px and at 360 px: no page scrolls sideways, axe-core finds
nothing."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ausbildung.core.models import Membership, OutgoingMail, User

from .conftest import axe_violations

pytestmark = pytest.mark.browser


def no_sideways_scroll(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


@pytest.mark.parametrize("width", [1280, 360])
def test_pupil_signs_up_confirms_and_joins_a_class(browser, live_server, e2e_demo, width):
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 800})
    page = context.new_page()
    page.set_default_timeout(20_000)
    base = live_server.url
    page.goto(f"{base}/anmelden/")
    page.get_by_test_id("signup-link").get_by_role("link", name="Registrieren").click()
    page.wait_for_url("**/registrieren/")
    expect(page.get_by_test_id("guardian-why")).to_contain_text("DSGVO Art. 8")
    no_sideways_scroll(page, width)
    assert axe_violations(page) == []
    username = f"lena{width}"
    born = timezone.localdate().replace(year=timezone.localdate().year - 17)
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("E-Mail-Adresse", exact=True).fill(f"{username}@example.org")
    page.get_by_label("Vorname").fill("Lena")
    page.get_by_label("Nachname").fill("Lang")
    page.get_by_label("Geburtsdatum").fill(born.isoformat())
    page.get_by_label("Passwort", exact=True).fill("ein-langes-Passwort-2026")
    page.get_by_label("Passwort wiederholen").fill("ein-langes-Passwort-2026")
    page.get_by_test_id("signup-form").get_by_role("button", name="Registrieren").click()
    page.wait_for_url("**/registrieren/gesendet/")
    expect(page.get_by_test_id("signup-sent")).to_contain_text("Link")
    no_sideways_scroll(page, width)
    assert axe_violations(page) == []
    assert not User.objects.get(username=username).is_active

    mail = OutgoingMail.objects.filter(to=f"{username}@example.org").latest("pk")
    path = re.search(r"https?://[^/\s]+(/registrieren/bestaetigen/\S+)", mail.body).group(1)
    page.goto(f"{base}{path}")
    no_sideways_scroll(page, width)
    assert axe_violations(page) == []
    page.get_by_role("button", name="E-Mail-Adresse bestätigen").click()
    page.wait_for_url("**/orientierung/klasse-beitreten/")
    no_sideways_scroll(page, width)
    assert axe_violations(page) == []
    page.get_by_label("Klassencode").fill("DEMO9B27")
    page.get_by_test_id("join-form").get_by_role("button", name="Beitreten").click()
    page.wait_for_url("**/orientierung/fahrplan/")
    no_sideways_scroll(page, width)
    membership = Membership.objects.get(user__username=username)
    assert membership.role == "pupil" and membership.is_active
    context.close()
