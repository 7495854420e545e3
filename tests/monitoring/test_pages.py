"""The monitoring pages (issue #19): the home, the area pages (Germany, Land, Kreis) and the occupation pages;
who may open which (404 for other regions and garbage, 403 for other roles); the downloads carry the page's
numbers; the official balance with its sources; the pages read the cube in a small, constant number of
queries."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ausbildung.core.models import Membership, Occupation, Organisation, Region, Role, User
from ausbildung.monitoring import platform
from ausbildung.monitoring.models import CubeRefresh, MarketCell, OfficialFigure

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INDEX = reverse("monitoring:index")
GERMANY = reverse("monitoring:area", args=["de", "DE"])
SAARLAND = reverse("monitoring:area", args=["land", "10"])
SAARBRUECKEN = reverse("monitoring:area", args=["kreis", "10041"])
MONITORING_USERS = ["monitor", "kammer", "beratung"]


def text(fragment: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def table_html(html: str, testid: str) -> str:
    found = re.search(rf'<table[^>]*data-testid="{testid}".*?</table>', html, re.S)
    assert found, testid
    return found.group(0)


def cells(html: str, testid: str) -> list[list[str]]:
    """The body rows of the table with `data-testid=testid`, each as its cell texts."""
    body = table_html(html, testid).split("<tbody", 1)[1]
    return [
        [text(c) for c in re.findall(r"<t[hd].*?</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr.*?</tr>", body, re.S)
    ]


def header(html: str, testid: str) -> list[str]:
    head = table_html(html, testid).split("<tbody", 1)[0]
    return [text(c) for c in re.findall(r"<th.*?</th>", head, re.S)]


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def first_occupation() -> Occupation:
    return Occupation.objects.order_by("pk").first()


# --- every page for every monitoring role --------------------------------------------------------------------


@pytest.mark.parametrize("username", MONITORING_USERS)
def test_the_monitoring_roles_open_every_page_of_their_region(client, demo, username):
    client.force_login(demo[username])
    occupation = first_occupation()
    pages = [
        INDEX,
        GERMANY,
        SAARLAND,
        SAARBRUECKEN,
        reverse("monitoring:occupation", args=["land", "10", occupation.pk]),
        reverse("monitoring:occupation", args=["kreis", "10041", occupation.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert 'data-testid="freshness"' in html
    home = client.get(INDEX).content.decode()
    # the home is short: the Saarland's cards beside Germany, the Länder map, links; no balance pivot
    assert 'data-testid="cards-10"' in home and 'data-testid="chart-karte-laender"' in home
    assert "official-DE" not in home
    assert f'href="{SAARLAND}"' in home and f'href="{GERMANY}"' in home


def test_the_area_pages_show_their_parts_occupations_and_balance(client, demo):
    client.force_login(demo["monitor"])
    germany = client.get(GERMANY).content.decode()
    assert 'data-testid="chart-karte-laender"' in germany and 'data-testid="laender"' in germany
    assert len(cells(germany, "laender")) == 16
    assert 'data-testid="official-DE"' in germany
    saarland = client.get(SAARLAND).content.decode()
    assert 'data-testid="chart-karte-kreise"' in saarland
    kreise = {row[0] for row in cells(saarland, "kreise")}
    assert (
        set(Region.objects.filter(code__startswith="10", level="kreis").values_list("name", flat=True))
        <= kreise
    )
    assert f'href="{SAARBRUECKEN}"' in saarland  # drill down to the Kreis
    assert 'data-testid="official-10"' in saarland
    assert (
        'data-testid="chart-verlauf-vertraege"' in saarland
        and 'data-testid="chart-verlauf-monatlich"' in saarland
    )
    kreis = client.get(SAARBRUECKEN).content.decode()
    assert "official-" not in kreis  # no official balance for a Kreis
    assert "Saarland" in text(kreis)  # the parent for comparison and in the breadcrumb


def test_the_official_balance_of_germany_names_its_source(client, demo):
    client.force_login(demo["monitor"])
    html = client.get(GERMANY).content.decode()
    official = OfficialFigure.objects.get(
        indicator="neue_Ausbildungsvertraege_BIBB_3009", area_code="DE", year=2024, value=486711
    )
    years = header(html, "official-DE")[1:]
    rows = {row[0]: dict(zip(years, row[1:], strict=True)) for row in cells(html, "official-DE")}
    assert rows["neue Verträge (30.9.)"]["2024"] == "486.711 a"
    assert f'href="{official.source_url}"' in html


# --- who may open what -----------------------------------------------------------------------------------------


@pytest.fixture
def bremen_monitor(demo) -> User:
    """A monitor whose partner organisation serves one Kreis (Bremen, Stadt)."""
    land, _ = Region.objects.get_or_create(code="04", defaults={"name": "Bremen", "level": Region.Level.LAND})
    kreis, _ = Region.objects.get_or_create(
        code="04011", defaults={"name": "Bremen, Stadt", "level": Region.Level.KREIS, "parent": land}
    )
    partner = Organisation.objects.create(kind=Organisation.Kind.PARTNER, name="Bündnis Bremen")
    partner.district.set([kreis])
    user = User.objects.create_user("monitor-bremen", password="x-password-1234")
    Membership.objects.create(user=user, organisation=partner, role=Role.MONITOR)
    return user


GARBAGE = [
    "/monitoring/gebiet/land/04/",  # another region's Land
    "/monitoring/gebiet/kreis/04011/",  # another region's Kreis
    "/monitoring/gebiet/land/99/",
    "/monitoring/gebiet/kreis/99999/",
    "/monitoring/gebiet/kreis/10/",
    "/monitoring/gebiet/land/10041/",
    "/monitoring/gebiet/de/de/",
    "/monitoring/gebiet/de/10/",
    "/monitoring/gebiet/welt/DE/",
    "/monitoring/gebiet/land/1%00/",
    "/monitoring/gebiet/land/%27%3B--/",
    "/monitoring/gebiet/land/10/beruf/999999999/",
    "/monitoring/gebiet/land/04/beruf/1/",
    "/monitoring/gebiet/land/10/beruf/abc/",
    "/monitoring/gebiet/land/10/beruf/-1/",
    "/monitoring/gebiet/land/10/beruf/0/",
    "/monitoring/gebiet/land/10/beruf/99999999999999999999999/",
    "/monitoring/gebiet/land/10/beruf/99999999999999999999999/export/all.xlsx",
    "/monitoring/gebiet/land/10/export/nothing.csv",
    "/monitoring/gebiet/land/10/export/kennzahlen.pdf",
    "/monitoring/gebiet/land/10/export/kennzahlen.CSV",
    "/monitoring/gebiet/land/10/export/all.csv",
    "/monitoring/gebiet/land/04/export/all.xlsx",
    "/monitoring/gebiet/kreis/04011/export/kennzahlen.csv",
    "/monitoring/gebiet/kreis/10041/export/official-10.csv",
    "/monitoring/gebiet/de/DE/beruf/999999999/export/kennzahlen.csv",
    "/monitoring/export/official-DE.csv",  # the balance is on the area page now, not on the home
    "/monitoring/export/kennzahlen-04.csv",
    "/monitoring/export/..%2Fx.csv",
]


@pytest.mark.parametrize("path", GARBAGE)
def test_other_regions_and_garbage_are_not_found(client, demo, path):
    client.force_login(demo["monitor"])
    assert client.get(path).status_code == 404


def test_the_bremen_monitor_sees_bremen_not_the_saarland(client, bremen_monitor):
    client.force_login(bremen_monitor)
    assert client.get("/monitoring/gebiet/kreis/04011/").status_code == 200
    assert client.get("/monitoring/gebiet/land/04/").status_code == 200
    assert client.get(SAARLAND).status_code == 404
    assert client.get(SAARBRUECKEN).status_code == 404
    assert client.get(GERMANY).status_code == 200


def test_the_map_indicator_is_chosen_by_a_get_form_and_garbage_falls_back(client, demo):
    client.force_login(demo["monitor"])
    default = client.get(INDEX).content.decode()
    assert '<option value="contracts_new" selected>' in default
    chosen = client.get(INDEX, {"indicator": "applicants"}).content.decode()
    assert '<option value="applicants" selected>' in chosen
    for garbage in ["nothing", "<script>", "x" * 500, "contracts_concluded"]:
        response = client.get(SAARLAND, {"indicator": garbage})
        assert response.status_code == 200
        assert '<option value="contracts_new" selected>' in response.content.decode()


@pytest.mark.parametrize("username", ["azubi", "betrieb", "lehrer", "schueler"])
def test_other_roles_are_refused(client, demo, username):
    client.force_login(demo[username])
    occupation = first_occupation()
    for url in [
        INDEX,
        GERMANY,
        SAARLAND,
        SAARBRUECKEN,
        reverse("monitoring:occupation", args=["de", "DE", occupation.pk]),
        reverse("monitoring:area_export", args=["de", "DE", "kennzahlen", "csv"]),
        reverse("monitoring:area_export_all", args=["land", "10"]),
        reverse("monitoring:occupation_export_all", args=["de", "DE", occupation.pk]),
    ]:
        assert client.get(url).status_code == 403, url


def test_a_former_monitor_gets_nothing(client, bremen_monitor):
    Membership.objects.filter(user=bremen_monitor).update(is_active=False)
    client.force_login(bremen_monitor)
    for url in [
        INDEX,
        GERMANY,
        "/monitoring/gebiet/kreis/04011/",
        "/monitoring/gebiet/de/DE/export/all.xlsx",
    ]:
        assert client.get(url).status_code == 403, url


# --- known numbers from hand-made cube cells ------------------------------------------------------------------


def cell(measure: str, year: int, level: str, code: str, count: int, occupation_id: int = 0) -> MarketCell:
    return MarketCell(
        measure=measure, year=year, area_level=level, area_code=code, occupation_id=occupation_id, count=count
    )


@pytest.fixture
def bremen_cube(bremen_monitor) -> dict[str, int]:
    """Known cells for Bremen: 40 new contracts in the last complete year (30 the year before) in the Kreis
    and the Land, 25 of them (20 before) in one occupation; Germany keeps the demo's cells."""
    year = platform.latest_complete_year()
    occupation = first_occupation()
    MarketCell.objects.filter(area_code__startswith="04").delete()
    MarketCell.objects.bulk_create(
        [
            *(
                cell("contracts_new", year, level, code, 40)
                for level, code in (("land", "04"), ("kreis", "04011"))
            ),
            *(
                cell("contracts_new", year - 1, lv, code, 30)
                for lv, code in (("land", "04"), ("kreis", "04011"))
            ),
            *(
                cell("contracts_new", y, lv, code, n, occupation.pk)
                for lv, code in (("land", "04"), ("kreis", "04011"))
                for y, n in ((year, 25), (year - 1, 20))
            ),
        ]
    )
    now = timezone.now()
    CubeRefresh.objects.create(started_at=now, finished_at=now, facts=0, cells=0)
    return {"year": year, "occupation": occupation.pk}


def test_the_cards_show_the_known_count_with_its_trend(client, bremen_monitor, bremen_cube):
    client.force_login(bremen_monitor)
    year = bremen_cube["year"]
    home = client.get(INDEX).content.decode()
    card = re.search(r'data-testid="card-contracts_new".*?</li>', home, re.S).group(0)
    assert re.search(r'data-testid="value-contracts_new">(.*?)</span>', card).group(1) == "40"
    assert "↑" in card
    assert f"gestiegen gegenüber {year - 1}: 30" in text(card)
    kreis = client.get("/monitoring/gebiet/kreis/04011/").content.decode()
    rows = {row[0]: row[1:] for row in cells(kreis, "kennzahlen")}
    label = next(d.label for d in platform.definitions() if d.key == "contracts_new")
    assert rows[label][:3] == ["40", "30", "40"]  # the Kreis, its year before, its Land (the only Kreis)


def test_the_occupation_page_compares_with_the_parent_area(client, bremen_monitor, bremen_cube):
    client.force_login(bremen_monitor)
    url = reverse("monitoring:occupation", args=["kreis", "04011", bremen_cube["occupation"]])
    html = client.get(url).content.decode()
    label = next(d.label for d in platform.definitions() if d.key == "contracts_new")
    rows = {row[0]: row[1:] for row in cells(html, "kennzahlen")}
    assert rows[label] == ["25", "20", "25"]
    years = {row[0]: row[1] for row in cells(html, "jahre")}
    assert years[str(bremen_cube["year"])] == "25" and years[str(bremen_cube["year"] - 1)] == "20"
    # the occupation is listed, with its link, on the Kreis page
    kreis = client.get("/monitoring/gebiet/kreis/04011/").content.decode()
    assert f'href="{url}"' in kreis
    assert cells(kreis, "berufe")[0][:2] == [first_occupation().name, "25"]
    rows = read_csv(client.get(reverse("monitoring:area_export", args=["kreis", "04011", "berufe", "csv"])))
    assert rows[1 : 1 + len(cells(kreis, "berufe"))] == cells(kreis, "berufe")


def test_the_coverage_of_the_official_count_is_said_in_words(client, bremen_monitor, bremen_cube):
    """40 platform contracts beside 2,000 official new contracts of Bremen: 2 in 100."""
    year = bremen_cube["year"]
    OfficialFigure.objects.create(
        indicator="neue_Ausbildungsvertraege_BIBB_3009",
        area_level="land",
        area_code="04",
        area_name="Bremen",
        year=year,
        year_kind=OfficialFigure.YearKind.REPORTING_YEAR,
        value=2000,
        unit="Anzahl",
        source_url="https://example.org/bremen",
        source_title="Test source",
        kind=OfficialFigure.Kind.OFFICIAL,
        imported_at=timezone.now(),
        import_batch="test",
    )
    client.force_login(bremen_monitor)
    html = client.get("/monitoring/gebiet/land/04/").content.decode()
    assert text(re.search(r'data-testid="coverage">(.*?)</p>', html, re.S).group(1)) == (
        f"Die Plattform erfasste hier {year} etwa 2 von 100 neuen Verträgen: "
        "Ihre Zahlen sind nicht der Ausbildungsmarkt."
    )
    rows = {row[0]: row[1:] for row in cells(html, "vertraege")}
    assert rows[str(year)] == ["2.000", "40", "2,0"]
    assert 'href="https://example.org/bremen"' in html


# --- downloads: the page's numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["kennzahlen", "kreise", "vertraege", "official-10"])
def test_csv_and_xlsx_hold_the_numbers_of_the_land_page(client, demo, key):
    client.force_login(demo["monitor"])
    html = client.get(SAARLAND).content.decode()
    page = cells(html, key)
    rows = read_csv(client.get(reverse("monitoring:area_export", args=["land", "10", key, "csv"])))
    assert rows[0] == header(html, key)
    assert rows[1 : 1 + len(page)] == page
    response = client.get(reverse("monitoring:area_export", args=["land", "10", key, "xlsx"]))
    assert response["Content-Type"] == XLSX
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[2]] == header(html, key)
    last = 2 + len(page)
    for row, values in zip(page, sheet.iter_rows(min_row=3, max_row=last, values_only=True), strict=True):
        assert str(values[0]) == row[0]
        assert [None if v in (None, "–") else float(v) for v in values[1:]] == [number(c) for c in row[1:]]


def number(shown: str) -> float | None:
    """A number as the page prints it ("1.234", "98,7", "–"), without its footnote marker."""
    shown = shown.split(" ")[0]
    return None if shown == "–" else float(shown.replace(".", "").replace(",", "."))


def test_the_workbook_of_a_page_has_every_table_of_it(client, demo):
    client.force_login(demo["monitor"])
    response = client.get(reverse("monitoring:area_export_all", args=["land", "10"]))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    html = client.get(SAARLAND).content.decode()
    # all figures, by chamber kind, by month, official/platform, Kreise, occupations, balance
    assert len(workbook.sheetnames) == 7
    assert 'id="zustaendigkeit"' in html  # the section; its table once a chamber kind has anything counted
    for key in ["kennzahlen", "kreise", "official-10"]:
        assert f'data-testid="{key}"' in html


def test_the_api_serves_the_tables_of_the_area_page(client, demo):
    client.force_login(demo["monitor"])
    refs = client.get("/api/v1/monitoring/areas/land/10/tables").json()
    keys = [ref["key"] for ref in refs]
    assert keys[:4] == ["kennzahlen", "zustaendigkeit", "monatlich", "vertraege"] and "official-10" in keys
    table = client.get("/api/v1/monitoring/areas/land/10/tables/kennzahlen").json()
    html = client.get(SAARLAND).content.decode()
    assert [row["figure"] for row in table["rows"]] == [row[0] for row in cells(html, "kennzahlen")]
    assert client.get("/api/v1/monitoring/areas/land/04/tables").status_code == 404
    occupation = first_occupation().pk
    assert (
        client.get(f"/api/v1/monitoring/areas/de/DE/occupations/{occupation}/tables/jahre").status_code == 200
    )
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/monitoring/areas/{level}/{code}/tables/{key}" in schema["paths"]


# --- reads: the cube only, in few queries ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", [GERMANY, SAARLAND, SAARBRUECKEN, INDEX])
def test_a_page_needs_few_queries_and_reads_no_raw_table(client, demo, url):
    client.force_login(demo["monitor"])
    client.get(url)  # warm caches (sessions, permissions)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) <= 35, [q["sql"][:120] for q in queries]  # constant: no query per Kreis or occupation
    raw = [
        q["sql"]
        for q in queries
        if re.search(r'"(core_trainingcontract|offers_offer|offers_application)"', q["sql"])
    ]
    assert raw == []
