"""Browser tests: real Chromium (Debian package) driven by Playwright; axe-core loaded from static/vendor."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import Error as PlaywrightError

from ausbildung.core.demo import DEMO_PASSWORD

from ..conftest import CHROMIUM, _demo_in_place, demo_restore

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test are safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)  # CI machines run two test workers on two cores
    yield page
    context.close()


@pytest.fixture
def e2e_demo(transactional_db):
    """The demo as the session's demo_load made it: committed, as the live server's threads need it (the
    flush at the end of a transactional test empties the database, and tests/conftest.py puts the demo back
    from its snapshot; should it be missing, it is restored here)."""
    return _demo_in_place() or demo_restore()


def axe_violations(page) -> list[dict]:
    # Loaded from our static files: the Content-Security-Policy refuses an inline copy of the script.
    # A click that navigates returns before the next page is there; while it loads, the script tag finds no
    # document to go into (or is lost with the old page): wait for the page and try again.
    for attempt in range(3):
        page.wait_for_load_state()
        origin = "/".join(page.url.split("/")[:3])
        try:
            page.add_script_tag(url=f"{origin}/static/vendor/axe-core/axe.min.js")
            page.wait_for_function("typeof axe !== 'undefined'")
            break
        except PlaywrightError:
            if attempt == 2:
                raise
            page.wait_for_timeout(200)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
    ]


def current_totp_code(user) -> str:
    """The code the person's authenticator would show now (their confirmed TOTP device), as an app computes it.

    A device accepts each time step once; a test that signs in twice within 30 seconds would be refused the
    same code again, so the device forgets its last step first."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def login(page, base_url: str, username: str) -> None:
    """Sign in through the real form; staff then type the current code of their authenticator (core.signin;
    the test gives them a confirmed device when they have none, as if they had set it up before)."""
    from ausbildung.core.models import User
    from ausbildung.core.permissions import STAFF_ROLES, roles_of

    user = User.objects.get(username=username)
    staff = bool(roles_of(user) & STAFF_ROLES)
    code = current_totp_code(user) if staff else ""
    page.goto(f"{base_url}/anmelden/")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    if staff:
        page.wait_for_url(f"{base_url}/anmelden/code/**")
        page.get_by_label("Code", exact=True).fill(code)
        page.get_by_role("button", name="Bestätigen").click()
    page.wait_for_url(f"{base_url}/mein-bereich/")
