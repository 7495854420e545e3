"""The monitoring pages in a real browser: the monitor opens the Land from the home, drills down to a Kreis and
an occupation, downloads the occupation's key figures as XLSX and finds the page's numbers in the file; axe-core
checks every monitoring page (0 violations); screenshots at 1280 and 360 px go to the test's tmp dir."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ausbildung.core.models import Occupation
from ausbildung.monitoring import platform
from ausbildung.monitoring.models import CubeRefresh, MarketCell

from .conftest import axe_violations, login

pytestmark = pytest.mark.browser

WIDTHS = (1280, 360)


def known_cells() -> Occupation:
    """Cells of the last complete reporting year for one occupation in Regionalverband Saarbrücken (10041):
    24 new contracts (18 the year before), counted in the Kreis and the Saarland."""
    year = platform.latest_complete_year()
    occupation = Occupation.objects.order_by("pk").first()
    for level, code in (("kreis", "10041"), ("land", "10")):
        for y, n in ((year, 24), (year - 1, 18)):
            for occupation_id in (0, occupation.pk):
                MarketCell.objects.update_or_create(
                    measure="contracts_new",
                    year=y,
                    month=None,
                    area_level=level,
                    area_code=code,
                    occupation_id=occupation_id,
                    responsibility="",
                    defaults={"count": n},
                )
    now = timezone.now()
    CubeRefresh.objects.create(started_at=now, finished_at=now, facts=0, cells=0)
    return occupation


def check(page, name: str, shots) -> None:
    """axe finds nothing; a screenshot at each width."""
    assert axe_violations(page) == [], page.url
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(shots / f"{name}-{width}.png"), full_page=True)
        wide = page.evaluate(
            """(width) => [...document.querySelectorAll('body *')]
                .filter((e) => e.getBoundingClientRect().right > width + 1 && e.getClientRects().length > 0)
                .map((e) => e.tagName + '.' + e.className + ' ' + (e.textContent || '').slice(0, 40))
                .slice(0, 5)""",
            width,
        )
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert wide == [] and scroll <= width, (
            f"{name} at {width} px: wider than the screen ({scroll}): {wide}"
        )
    page.set_viewport_size({"width": 1280, "height": 900})


def table_rows(page, testid: str) -> list[list[str]]:
    rows = page.get_by_test_id(testid).locator("tbody tr")
    return [
        [" ".join(text.split()) for text in rows.nth(i).locator("th, td").all_inner_texts()]
        for i in range(rows.count())
    ]


def number(shown: str) -> float | None:
    shown = shown.split(" ")[0]
    return None if shown == "–" else float(shown.replace(".", "").replace(",", "."))


def test_the_monitor_drills_down_and_downloads(page, live_server, e2e_demo, tmp_path):
    occupation = known_cells()
    base = live_server.url
    shots = tmp_path / "screenshots"
    shots.mkdir()
    login(page, base, "monitor")
    page.goto(f"{base}/monitoring/")
    expect(page.get_by_test_id("chart-karte-laender")).to_be_visible()
    expect(page.get_by_test_id("card-contracts_new")).to_contain_text("24")
    check(page, "home", shots)

    page.get_by_test_id("open-10").click()
    page.wait_for_url(f"{base}/monitoring/gebiet/land/10/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Saarland")
    check(page, "land", shots)

    page.get_by_test_id("kreise").get_by_role("link", name="Regionalverband Saarbrücken").click()
    page.wait_for_url(f"{base}/monitoring/gebiet/kreis/10041/")
    check(page, "kreis", shots)

    page.get_by_test_id("berufe").get_by_role("link", name=occupation.name).click()
    page.wait_for_url(f"{base}/monitoring/gebiet/kreis/10041/beruf/{occupation.pk}/")
    check(page, "beruf", shots)
    page.get_by_test_id("figures-details").locator("summary").click()
    shown = table_rows(page, "kennzahlen")
    label = next(d.label for d in platform.definitions() if d.key == "contracts_new")
    assert next(row for row in shown if row[0] == label)[1:4] == ["24", "18", "24"]

    with page.expect_download() as download_info:
        page.get_by_test_id("table-kennzahlen").get_by_role("link", name="als Excel (XLSX)").click()
    sheet = openpyxl.load_workbook(io.BytesIO(download_info.value.path().read_bytes())).worksheets[0]
    values = list(sheet.iter_rows(min_row=3, max_row=2 + len(shown), values_only=True))
    assert [str(row[0]) for row in values] == [row[0] for row in shown]
    for row, got in zip(shown, values, strict=True):
        assert [None if v in (None, "–") else float(v) for v in got[1:]] == [number(c) for c in row[1:]]

    page.goto(f"{base}/monitoring/gebiet/de/DE/")
    check(page, "germany", shots)
    print(f"screenshots: {shots}")
