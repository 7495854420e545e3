"""Every role's journey walked in a real browser at the desktop (1280 px) and on a phone (360 px), issue #16.

On every page visited, at both widths: the answer is 200, the page has a main heading, the page does not
scroll sideways (`scrollWidth <= innerWidth`), and a table too wide for its box, which scrolls inside it,
says so in a visible note. axe-core checks each page at the desktop width, as the other
browser tests do. On a phone, pupils' and apprentices' pages also keep every visible form field inside the
screen: a field hidden in a table that scrolls sideways (the week's "Bemerkung") is as good as missing.

The assertions are about layout, status codes and the presence of a main heading, not about wording: the
pages' texts are free to change.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pytest
from django.db.models.functions import Length
from django.utils import timezone

from ausbildung.core.models import Occupation, TrainingContract
from ausbildung.offers.models import Offer
from ausbildung.orientation.models import InternshipSlot
from ausbildung.records import services as records_services
from ausbildung.records.models import RecordPeriod

from ..orientation.check_helpers import completed_check
from ..records.conftest import week_input
from .conftest import axe_violations, login

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 780}

# The form fields the person can see (not screen-reader-only text, not hidden inputs), whose right edge lies
# beyond the screen: [name or tag, right edge in px].
FIELDS_OFF_SCREEN = """() => {
  const width = window.innerWidth;
  return [...document.querySelectorAll('main input, main select, main textarea, main button')]
    .filter((el) => el.type !== 'hidden' && el.getClientRects().length > 0)
    .map((el) => [el.name || el.id || el.tagName, Math.round(el.getBoundingClientRect().right)])
    .filter(([, right]) => right > width);
}"""

# Tables wider than their box scroll inside it; each such box must say so (a visible note before it).
SCROLL_BOXES_WITHOUT_HINT = """() => [...document.querySelectorAll('main .kern-table-responsive')]
  .filter((box) => box.scrollWidth > box.clientWidth + 1)
  .filter((box) => !(box.previousElementSibling && box.previousElementSibling.matches('.scroll-hint')))
  .map((box) => (box.querySelector('caption') || box).textContent.trim().slice(0, 60))"""


@dataclass
class Walk:
    """One person's browser at one width: logged in once, then led from page to page."""

    page: object
    viewport: dict
    fields_on_screen: bool

    def visit(self, url: str, *, axe: bool = True) -> None:
        response = self.page.goto(url)
        assert response is not None and response.status == 200, (url, response and response.status)
        self.check(url, axe=axe)

    def check(self, where: str, *, axe: bool = True) -> None:
        page = self.page
        page.wait_for_load_state()
        assert page.locator("main h1").first.inner_text().strip(), f"{where}: no main heading"
        width, scroll = page.evaluate("[window.innerWidth, document.documentElement.scrollWidth]")
        assert width == self.viewport["width"]
        assert scroll <= width, f"{where} scrolls sideways at {width} px: {scroll} px wide"
        assert page.evaluate(SCROLL_BOXES_WITHOUT_HINT) == [], f"{where}: a table scrolls without a hint"
        if self.fields_on_screen and width < 576:
            assert page.evaluate(FIELDS_OFF_SCREEN) == [], f"{where}: fields beyond the screen at {width} px"
        if axe and self.viewport is DESKTOP:
            assert axe_violations(page) == [], where


def walk(
    browser,
    base: str,
    username: str,
    journey: Callable[[Walk], None],
    *,
    fields_on_screen: bool = False,
) -> None:
    """Walk the journey once at the desktop width and once at the phone width (one context each)."""
    for viewport in (DESKTOP, PHONE):
        context = browser.new_context(locale="de-DE", viewport=viewport)
        page = context.new_page()
        page.set_default_timeout(20_000)  # CI machines run two test workers on two cores
        try:
            login(page, base, username)
            journey(Walk(page=page, viewport=viewport, fields_on_screen=fields_on_screen))
        finally:
            context.close()


def links(page, pattern: str) -> list[str]:
    """The distinct links of the main area whose address matches the pattern, in page order."""
    hrefs = page.evaluate("[...document.querySelectorAll('main a[href]')].map((a) => a.getAttribute('href'))")
    return list(dict.fromkeys(h for h in hrefs if re.fullmatch(pattern, h)))


def visit_all(w: Walk, base: str, paths: Iterable[str]) -> None:
    for path in paths:
        w.visit(f"{base}{path}")


def unrecorded_week(contract: TrainingContract) -> datetime.date:
    """The latest past week of the contract without a record period (the demo's history may grow)."""
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday() + 7)
    recorded = set(RecordPeriod.objects.filter(contract=contract).values_list("start", flat=True))
    while monday in recorded:
        monday -= datetime.timedelta(days=7)
    assert monday >= contract.start_date
    return monday


def test_pupil_journey(browser, live_server, e2e_demo):
    base = live_server.url
    check = completed_check(e2e_demo["schueler"], {"R": 4, "C": 3, "I": 1})
    longest_name = Occupation.objects.order_by(Length("name").desc()).first()
    offers = [o for o in Offer.objects.order_by("pk") if o.is_public]
    assert offers, "the demo has public offers"
    slot = InternshipSlot.objects.order_by("pk").first()
    assert slot is not None

    def journey(w: Walk) -> None:
        visit_all(
            w, base, ["/mein-bereich/", "/orientierung/klasse-beitreten/", "/orientierung/interessencheck/"]
        )
        w.visit(f"{base}/orientierung/interessencheck/{check.pk}/ergebnis/")
        # the occupations the check found, opened from the result and compared side by side
        matches = [path.split("/")[-2] for path in links(w.page, r"/orientierung/berufe/[\w-]+/")]
        assert matches, "the result links occupations"
        compared = list(dict.fromkeys([*matches[:2], "tischlausbv"]))
        visit_all(
            w,
            base,
            [
                *(f"/orientierung/berufe/{slug}/" for slug in compared),
                "/orientierung/berufe/vergleich/?" + "&".join(f"beruf={slug}" for slug in compared),
                "/orientierung/berufe/",
                f"/orientierung/berufe/{longest_name.slug}/",
                "/orientierung/praktika/",
                f"/orientierung/praktika/{slot.pk}/",
                "/orientierung/fahrplan/",
                "/ausbildungsplaetze/?q=Informatik&wo=66740",
                *(f"/ausbildungsplaetze/{offer.pk}/" for offer in offers),
            ],
        )

    walk(browser, base, "schueler", journey, fields_on_screen=True)


def test_apprentice_journey(browser, live_server, e2e_demo):
    base = live_server.url
    contract = TrainingContract.objects.get(apprentice__username="azubi")
    empty_week = unrecorded_week(contract)

    def journey(w: Walk) -> None:
        visit_all(w, base, ["/mein-bereich/", "/nachweis/", f"/nachweis/{contract.pk}/"])
        weeks = links(w.page, rf"/nachweis/{contract.pk}/\d{{4}}-\d\d-\d\d/")
        assert weeks, "the record book lists its periods"
        # a week the book lists, and a past week not written yet: the form with its days
        visit_all(w, base, [weeks[0], f"/nachweis/{contract.pk}/{empty_week.isoformat()}/"])
        assert w.page.locator('input[name^="note-"]').count() == 7
        if w.viewport is DESKTOP:
            w.visit(f"{base}/nachweis/{contract.pk}/")
            href = w.page.get_by_role("link", name=re.compile("PDF")).first.get_attribute("href")
            response = w.page.context.request.get(f"{base}{href}")
            assert response.status == 200
            assert response.headers["content-type"] in {"application/pdf", "text/html; charset=utf-8"}

    walk(browser, base, "azubi", journey, fields_on_screen=True)


def test_trainer_journey(browser, live_server, e2e_demo):
    base = live_server.url
    # a week the apprentice wrote and submitted, waiting for the trainer
    contract = TrainingContract.objects.get(apprentice__username="azubi")
    monday = unrecorded_week(contract)
    period = records_services.record_period_save(
        actor=e2e_demo["azubi"], contract=contract, start=monday, data=week_input(monday)
    )
    records_services.record_period_submit(actor=e2e_demo["azubi"], period=period)

    def journey(w: Walk) -> None:
        visit_all(w, base, ["/mein-bereich/", "/nachweis/pruefen/"])
        periods = links(w.page, r"/nachweis/\d+/\d{4}-\d\d-\d\d/(pruefung/)?")
        assert periods, "the demo's queue holds a period to review"
        w.visit(f"{base}{periods[0]}")

    walk(browser, base, "ausbilder", journey)


def test_company_journey(browser, live_server, e2e_demo):
    base = live_server.url

    def journey(w: Walk) -> None:
        visit_all(w, base, ["/mein-bereich/", "/ausbildungsplaetze/betrieb/"])
        inboxes = links(w.page, r"/ausbildungsplaetze/betrieb/\d+/bewerbungen/")
        edits = links(w.page, r"/ausbildungsplaetze/betrieb/\d+/")
        assert inboxes and edits, "the company's offers link their form and their applications"
        visit_all(w, base, ["/ausbildungsplaetze/betrieb/neu/", edits[0], inboxes[0]])

    walk(browser, base, "betrieb", journey)


def test_counsellor_journey(browser, live_server, e2e_demo):
    base = live_server.url

    def journey(w: Walk) -> None:
        visit_all(w, base, ["/mein-bereich/", "/uebergang/faelle/"])
        cases = links(w.page, r"/uebergang/faelle/\d+/")
        assert cases, "the demo counsellor has a case"
        w.visit(f"{base}{cases[0]}")
        # the referral is made on the case page
        assert w.page.get_by_test_id("referral-form").count() == 1
        visit_all(w, base, ["/uebergang/uebersicht/", "/uebergang/nachvermittlung/"])
        rounds = links(w.page, r"/uebergang/nachvermittlung/\d+/")
        visit_all(w, base, rounds[:1])

    walk(browser, base, "beratung", journey)
