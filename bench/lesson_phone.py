"""One school lesson on a phone (issue 17): the pupil's path class code → interest check → result → three
occupation pages, walked in Chromium at 360 × 640 px, measured page by page.

Measured per page (`measure_page`):

- screens: the page's height in viewport heights (scrollHeight / innerHeight), what the pupil scrolls through;
- words:   visible words in <main> (`innerText`, split on white space, tokens with a letter or digit; text in
           closed <details> and screen-reader-only text is not visible and not counted);
- read:    the words to read: the same, but a line identical to one above it on the same page is read once
           (the five answer labels of the check under every item, "passt sehr gut" under every suggestion);
- items:   questions to answer (radio groups);
- clicks:  taps the walk makes on that page (radios, buttons, links; typing the class code counts as one);
- overflow: horizontal overflow in px (scrollWidth − innerWidth); must be 0 (no sideways scrolling).

The time budget (`lesson_minutes`, from `read`) rests on stated assumptions, not on a study of this flow:

- reading speed: 120 words per minute. An assumption for 14-year-olds reading German on a phone; for scale,
  a meta-analysis of adults reading non-fiction silently in English found about 238 words per minute
  (Brysbaert 2019, Journal of Memory and Language 109, 104047). We take about half of that.
- 4 s per item to decide after reading it, 5 s per page (tap, load, find one's place).
- the lesson: 45 minutes, of which 10 for the teacher's introduction and 5 to close: 30 minutes for the pupil.
- "a first look" at an occupation: its page read up to 250 words (about two minutes); the figure for reading
  the three pages whole is reported beside it.

Run: `make bench BENCH=lesson-phone` (a scratch SQLite database with the whole shipped catalogue of training
regulations and the demo data, whose loader derives every occupation's interest profile; the development server on
a free port, Chromium at CHROMIUM_PATH or /usr/bin/chromium). Exit code 0 when the walk fits the 30 minutes.
The browser test tests/e2e/test_orientation_lesson.py walks the same path with `walk_lesson` and asserts the
budget, so the lesson cannot grow unnoticed.
"""

from __future__ import annotations

import math
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

VIEWPORT = {"width": 360, "height": 640}
WORDS_PER_MINUTE = 120  # assumption, see the module docstring
SECONDS_PER_ITEM = 4
SECONDS_PER_PAGE = 5
LESSON_MINUTES = 45
TEACHER_INTRO_MINUTES = 10
WRAP_UP_MINUTES = 5
PUPIL_MINUTES = LESSON_MINUTES - TEACHER_INTRO_MINUTES - WRAP_UP_MINUTES
OCCUPATIONS_OPENED = 3
# "The first look at three occupations": in the lesson a pupil reads the top of each occupation page (about
# two minutes each), not all of it; the rest is for later or at home. `report` gives both figures.
FIRST_LOOK_WORDS = 250

MEASURE_JS = """() => {
  const main = document.querySelector('main') || document.body;
  const count = (text) => (text || '').split(/\\s+/).filter(w => /[\\p{L}\\p{N}]/u.test(w)).length;
  // screen-reader-only text is not read on the screen: take it off (if it is rendered at all)
  const hidden = [...main.querySelectorAll('.kern-sr-only')].filter(el => el.checkVisibility());
  const srWords = hidden.reduce((sum, el) => sum + count(el.innerText), 0);
  const lines = (main.innerText || '').split('\\n').map(line => line.trim()).filter(Boolean);
  const words = count(main.innerText) - srWords;
  const read = [...new Set(lines)].reduce((sum, line) => sum + count(line), 0) - srWords;
  const radios = new Set([...main.querySelectorAll('input[type=radio]')].map(r => r.name));
  const root = document.scrollingElement || document.documentElement;
  return {
    screens: root.scrollHeight / window.innerHeight,
    words: words,
    read: read,
    items: radios.size,
    overflow: Math.max(0, root.scrollWidth - window.innerWidth),
  };
}"""


@dataclass
class PageMeasure:
    name: str
    url: str
    screens: float
    words: int
    read: int
    items: int
    overflow: int
    clicks: int = 0


def measure_page(page, name: str) -> PageMeasure:
    page.wait_for_load_state()
    data = page.evaluate(MEASURE_JS)
    return PageMeasure(
        name=name,
        url=page.url,
        screens=round(data["screens"], 1),
        words=int(data["words"]),
        read=int(data["read"]),
        items=int(data["items"]),
        overflow=int(data["overflow"]),
    )


def walk_lesson(
    page,
    base_url: str,
    class_code: str,
    value_for: Callable[[str], int],
    on_page: Callable[[PageMeasure], None] | None = None,
) -> list[PageMeasure]:
    """The pupil's lesson, logged in already, at the page's viewport. `value_for(item_key)` is the answer
    (0–4) to each item; `on_page` runs on every page after it is measured (the browser test checks axe there)."""
    pages: list[PageMeasure] = []

    def record(name: str, clicks: int) -> PageMeasure:
        measure = measure_page(page, name)
        measure.clicks = clicks
        pages.append(measure)
        if on_page:
            on_page(measure)
        return measure

    page.goto(f"{base_url}/orientierung/klasse-beitreten/")
    record("join", clicks=2)  # type the code, tap "Beitreten"
    page.locator("#id_code").fill(class_code)
    page.get_by_test_id("join-form").locator("button[type=submit]").click()
    page.wait_for_url("**/orientierung/fahrplan/")
    record("plan", clicks=1)  # tap "Interessencheck starten"
    start_link = page.get_by_test_id("plan-start-check")
    if start_link.count():
        start_link.click()
    else:  # no link on the plan: the pupil has to find the check through the menu
        page.goto(f"{base_url}/orientierung/interessencheck/")
    page.wait_for_url("**/orientierung/interessencheck/")
    record("check start", clicks=1)
    page.locator("button[name=start]").click()
    page.wait_for_url("**/schritt/1/")
    step = 1
    while "/schritt/" in page.url:
        keys = page.evaluate(
            "() => [...new Set([...document.querySelectorAll('main input[type=radio]')].map(r => r.name))]"
        )
        record(f"check step {step}", clicks=len(keys) + 1)
        for key in keys:
            page.locator(f"input[name={key}][value='{value_for(key)}']").check()
        page.locator("button[name=action][value=next]").click()
        page.wait_for_url(lambda url, step=step: f"/schritt/{step}/" not in url)
        step += 1
    page.wait_for_url("**/ergebnis/")
    result_url = page.url
    record("result", clicks=2 * OCCUPATIONS_OPENED)  # open each occupation, come back
    links = page.locator("#interest-matches > li h3 a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(min(OCCUPATIONS_OPENED, links.count()))]
    for number, href in enumerate(hrefs, start=1):
        page.goto(f"{base_url}{href}" if href and href.startswith("/") else str(href))
        record(f"occupation {number}", clicks=0)
    page.goto(result_url)
    return pages


def lesson_minutes(pages: list[PageMeasure], *, first_look: int | None = FIRST_LOOK_WORDS) -> float:
    """Minutes for the pupil; with `first_look`, an occupation page is read up to that many words."""
    words = sum(
        min(p.read, first_look) if first_look is not None and p.name.startswith("occupation") else p.read
        for p in pages
    )
    items = sum(p.items for p in pages)
    seconds = words / WORDS_PER_MINUTE * 60 + items * SECONDS_PER_ITEM + len(pages) * SECONDS_PER_PAGE
    return seconds / 60


def report(pages: list[PageMeasure]) -> str:
    lines = [
        f"{'page':<16}{'screens':>8}{'words':>7}{'read':>6}{'items':>6}{'clicks':>7}{'overflow':>9}",
        *(
            f"{p.name:<16}{p.screens:>8.1f}{p.words:>7}{p.read:>6}{p.items:>6}{p.clicks:>7}{p.overflow:>9}"
            for p in pages
        ),
        f"{'total':<16}{sum(p.screens for p in pages):>8.1f}{sum(p.words for p in pages):>7}"
        f"{sum(p.read for p in pages):>6}{sum(p.items for p in pages):>6}{sum(p.clicks for p in pages):>7}{max(p.overflow for p in pages):>9}",
        f"time: {lesson_minutes(pages):.1f} min of {PUPIL_MINUTES} for the pupil with a first look at each "
        f"occupation (≤ {FIRST_LOOK_WORDS} words), {lesson_minutes(pages, first_look=None):.1f} min reading them "
        f"whole "
        f"({WORDS_PER_MINUTE} words/min, {SECONDS_PER_ITEM} s/item, {SECONDS_PER_PAGE} s/page; "
        f"{LESSON_MINUTES} min lesson − {TEACHER_INTRO_MINUTES} intro − {WRAP_UP_MINUTES} close)",
    ]
    return "\n".join(lines)


# --- the benchmark: its own database and server ------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - our own local server
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def main() -> int:
    cli = str(Path(sys.executable).with_name("ausbildung"))
    with tempfile.TemporaryDirectory(prefix="bench-lesson-") as tmp:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"AUSBILDUNG_TESTING", "PYTEST_VERSION", "DJANGO_SETTINGS_MODULE"}
        }
        env.update(
            DATABASE_URL=f"sqlite:///{tmp}/lesson.sqlite3",
            DEBUG="1",  # the development server serves the static files
            SECRET_KEY="bench-dummy-secret-key-not-for-production-0123456789",  # noqa: S106 - thrown away
            LOG_LEVEL="WARNING",
        )
        subprocess.run([cli, "manage", "migrate", "--verbosity", "0"], env=env, check=True)
        # The whole shipped catalogue, as on a real installation: the result then ranks all occupations.
        subprocess.run([cli, "import-regulations"], env=env, check=True, capture_output=True)
        subprocess.run([cli, "demo"], env=env, check=True, capture_output=True)
        port = _free_port()
        server = subprocess.Popen(
            [cli, "manage", "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_for(f"{base}/")
            pages = _walk(base, env)
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(report(pages))
    minutes = lesson_minutes(pages)
    fits = minutes <= PUPIL_MINUTES and all(p.overflow == 0 for p in pages)
    print(f"lesson-phone: {'fits' if fits else 'does NOT fit'} ({math.ceil(minutes)} of {PUPIL_MINUTES} min)")
    return 0 if fits else 1


def _walk(base: str, env: dict[str, str]) -> list[PageMeasure]:
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "ausbildung.settings"
    import django

    django.setup()
    from playwright.sync_api import sync_playwright

    from ausbildung.core.demo import DEMO_PASSWORD
    from ausbildung.orientation.check import items
    from ausbildung.orientation.school_demo import DEMO_CLASS_CODE

    dimension = {item.key: item.dimension for item in items.ITEMS}
    # A pupil who likes practical and social activities and little else (a plausible, not a flat profile).
    levels = {"R": 4, "S": 3, "A": 2}
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
        context = browser.new_context(locale="de-DE", viewport=VIEWPORT)
        page = context.new_page()
        page.goto(f"{base}/anmelden/")
        page.get_by_label("Benutzername").fill("schueler")
        page.get_by_label("Passwort").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Anmelden").click()
        page.wait_for_url(f"{base}/mein-bereich/")
        pages = walk_lesson(page, base, DEMO_CLASS_CODE, lambda key: levels.get(dimension[key], 1))
        browser.close()
    return pages
