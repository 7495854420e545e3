"""The monitoring page (issue #19): who sees it, the official figures with their sources, the platform's own
counts with small cells suppressed, and CSV downloads with the page's numbers."""

from __future__ import annotations

import csv
import datetime
import io
import re
from html import unescape

import openpyxl
import pytest
from django.urls import reverse

from ausbildung.core.models import Membership, Occupation, Organisation, Region, Role, TrainingSite, User
from ausbildung.monitoring.models import OfficialFigure
from ausbildung.offers.models import Offer

INDEX = reverse("monitoring:index")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cells(html: str, testid: str) -> list[list[str]]:
    """The rows of the table with `data-testid=testid`, each as its cell texts (tags stripped)."""
    table = re.search(rf'<table[^>]*data-testid="{testid}".*?</table>', html, re.S)
    assert table, testid
    body = table.group(0).split("<tbody", 1)[1]
    rows = re.findall(r"<tr.*?</tr>", body, re.S)
    return [
        [
            " ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split())
            for cell in re.findall(r"<t[hd].*?</t[hd]>", row, re.S)
        ]
        for row in rows
    ]


def header(html: str, testid: str) -> list[str]:
    """The column labels of the table with `data-testid=testid`."""
    table = re.search(rf'<table[^>]*data-testid="{testid}".*?</table>', html, re.S)
    assert table, testid
    head = table.group(0).split("<tbody", 1)[0]
    return [
        " ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in re.findall(r"<th.*?</th>", head, re.S)
    ]


def pivot(html: str, testid: str) -> dict[tuple[str, str], str]:
    """The balance pivot as {(figure, year): shown text with marker}."""
    years = header(html, testid)[1:]
    return {
        (row[0], year): text for row in cells(html, testid) for year, text in zip(years, row[1:], strict=True)
    }


@pytest.mark.parametrize("username", ["monitor", "kammer", "beratung"])
def test_the_monitoring_roles_see_germany_2024_with_its_source(client, demo, username):
    client.force_login(demo[username])
    response = client.get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    # new contracts DE 2024: BIBB's exact count (an official row) before the rounded ones of other reports
    official = OfficialFigure.objects.get(
        indicator="neue_Ausbildungsvertraege_BIBB_3009", area_code="DE", year=2024, value=486711
    )
    assert official.kind == OfficialFigure.Kind.OFFICIAL
    table = pivot(html, "official-DE")
    assert table[("neue Verträge (30.9.)", "2024")] == "486.711 a"  # a: official
    assert f'href="{official.source_url}"' in html
    # the ANR of 2024 is published in the shipped figures (107,4: docs/domain.md, worked example)
    assert table[("Angebots-Nachfrage-Relation (ANR)", "2024")].split()[0] == "107,4"
    # one row per figure, at most five reporting years as columns, oldest first
    assert len(cells(html, "official-DE")) == 9
    years = header(html, "official-DE")[1:]
    assert 1 <= len(years) <= 5 and "2024" in years and years == sorted(years)
    assert "a: amtlich, der Wert, wie die Behörde ihn veröffentlicht hat." in html
    # the demo partner's district is the Saarland: its table is there too
    assert 'data-testid="official-10"' in html


@pytest.mark.parametrize("username", ["azubi", "betrieb", "lehrer", "schueler"])
def test_other_roles_are_refused(client, demo, username):
    client.force_login(demo[username])
    assert client.get(INDEX).status_code == 403


def test_anonymous_is_sent_to_the_login(client, db):
    response = client.get(INDEX)
    assert response.status_code == 302


@pytest.fixture
def bremen_monitor(demo) -> User:
    """A monitor whose partner organisation serves one Kreis (Bremen) where the demo has no offers."""
    land, _ = Region.objects.get_or_create(code="04", defaults={"name": "Bremen", "level": Region.Level.LAND})
    kreis, _ = Region.objects.get_or_create(
        code="04011", defaults={"name": "Bremen, Stadt", "level": Region.Level.KREIS, "parent": land}
    )
    partner = Organisation.objects.create(kind=Organisation.Kind.PARTNER, name="Bündnis Bremen")
    partner.district.set([kreis])
    user = User.objects.create_user("monitor-bremen", password="x-password-1234")
    Membership.objects.create(user=user, organisation=partner, role=Role.MONITOR)
    return user


def add_offers(count: int) -> None:
    company = Organisation.objects.filter(kind=Organisation.Kind.COMPANY).first()
    site = TrainingSite.objects.create(
        company=company, name="Standort Bremen", region=Region.objects.get(code="04011")
    )
    for _index in range(count):
        Offer.objects.create(
            company=company,
            site=site,
            occupation=Occupation.objects.first(),
            status=Offer.Status.PUBLISHED,
            start_date=datetime.date(2027, 8, 1),
            places=1,
        )


def test_platform_counts_of_one_and_two_are_suppressed(client, bremen_monitor):
    add_offers(2)
    client.force_login(bremen_monitor)
    html = client.get(INDEX).content.decode()
    rows = {row[0]: row[1] for row in cells(html, "platform")}
    assert rows["jetzt veröffentlichte Ausbildungsangebote"] == "–"
    assert rows["davon mit noch offenen Plätzen"] == "–"
    assert rows["davon alle Plätze besetzt"] == "0"  # 0 names nobody and is shown
    add_offers(1)
    html = client.get(INDEX).content.decode()
    rows = {row[0]: row[1] for row in cells(html, "platform")}
    assert rows["jetzt veröffentlichte Ausbildungsangebote"] == "3"
    assert "nicht der Ausbildungsmarkt" in html


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def export_url(table: str, fmt: str) -> str:
    return reverse("monitoring:export", kwargs={"table": table, "fmt": fmt})


def test_csv_has_the_numbers_of_the_page(client, demo, bremen_monitor):
    add_offers(4)
    client.force_login(bremen_monitor)
    html = client.get(INDEX).content.decode()
    platform = read_csv(client.get(export_url("platform", "csv")))
    page = cells(html, "platform")
    assert platform[1 : 1 + len(page)] == page
    assert platform[1][1] == "4"
    official = read_csv(client.get(export_url("official-DE", "csv")))
    page = cells(html, "official-DE")
    assert official[0] == header(html, "official-DE")
    assert official[1 : 1 + len(page)] == page
    assert official[1][0] == "neue Verträge (30.9.)" and official[1][official[0].index("2024")] == "486.711 a"
    # the notes and the sources follow the rows, as under the table on the page
    trailing = [row[0] for row in official[len(page) + 2 :]]
    assert "a: amtlich, der Wert, wie die Behörde ihn veröffentlicht hat." in trailing
    source = OfficialFigure.objects.get(
        indicator="neue_Ausbildungsvertraege_BIBB_3009", area_code="DE", year=2024, value=486711
    )
    assert any(line.endswith(source.source_url) and "(2024)" in line for line in trailing)


def test_xlsx_has_the_numbers_of_the_page(client, demo, bremen_monitor):
    add_offers(4)
    client.force_login(bremen_monitor)
    html = client.get(INDEX).content.decode()
    response = client.get(export_url("official-DE", "xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet.title == "Deutschland"
    labels = [cell.value for cell in sheet[2]]
    assert labels == header(html, "official-DE")
    new_contracts = [cell.value for cell in sheet[3]]
    assert new_contracts[0] == "neue Verträge (30.9.)"
    assert new_contracts[labels.index("2024")] == 486711
    anr = [cell.value for cell in sheet[3 + 7]]
    assert anr[0] == "Angebots-Nachfrage-Relation (ANR)" and anr[labels.index("2024")] == 107.4


def test_the_workbook_has_every_table_of_the_page(client, demo, bremen_monitor):
    add_offers(3)
    client.force_login(bremen_monitor)
    response = client.get(reverse("monitoring:export_all"))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Deutschland", "Bremen", "Auf dieser Plattform (live)", "Abdeckung"]
    platform = workbook["Auf dieser Plattform (live)"]
    assert [platform.cell(row=3, column=c).value for c in (1, 2)] == [
        "jetzt veröffentlichte Ausbildungsangebote",
        3,
    ]
    assert platform.cell(row=4, column=2).value == 0
    assert platform.cell(row=5, column=2).value == 3  # open: three offers of one place each
    assert platform.cell(row=4, column=2).number_format == "#,##0"


@pytest.mark.parametrize(
    "path",
    [
        "official-99.csv",
        "nothing.xlsx",
        "official-DE%00.csv",
        "..%2Fx.csv",
        "official-DE.pdf",
        "official-DE.CSV",
        "official-DE",
        "all.csv",
        "official-04.csv",  # Bremen is not the demo monitor's Land
    ],
)
def test_an_unknown_table_or_format_is_not_found(client, demo, path):
    client.force_login(demo["monitor"])
    assert client.get(f"/monitoring/export/{path}").status_code == 404
