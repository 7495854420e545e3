"""The monitoring page (issue #19): who sees it, the official figures with their sources, the platform's own
counts with small cells suppressed, and CSV downloads with the page's numbers."""

from __future__ import annotations

import csv
import datetime
import io
import re
from html import unescape

import pytest
from django.urls import reverse

from ausbildung.core.models import Membership, Occupation, Organisation, Region, Role, TrainingSite, User
from ausbildung.monitoring.models import OfficialFigure
from ausbildung.offers.models import Offer

INDEX = reverse("monitoring:index")


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


@pytest.mark.parametrize("username", ["monitor", "kammer", "beratung"])
def test_the_monitoring_roles_see_germany_2024_with_its_source(client, demo, username):
    client.force_login(demo[username])
    response = client.get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    rows = cells(html, "official-DE")
    # new contracts DE 2024: BIBB's exact count (an official row) before the rounded ones of other reports
    official = OfficialFigure.objects.get(
        indicator="neue_Ausbildungsvertraege_BIBB_3009", area_code="DE", year=2024, value=486711
    )
    assert official.kind == OfficialFigure.Kind.OFFICIAL
    assert ["2024", "neue Verträge (30.9.)", "486.711", "amtlich"] in [row[:4] for row in rows]
    assert f'href="{official.source_url}"' in html
    # the ANR of 2024 is published in the shipped figures (107,4: docs/domain.md, worked example)
    assert any(row[0] == "2024" and row[2] == "107,4" for row in rows)
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


def test_csv_has_the_numbers_of_the_page(client, demo, bremen_monitor):
    add_offers(4)
    client.force_login(bremen_monitor)
    html = client.get(INDEX).content.decode()
    platform = read_csv(client.get(reverse("monitoring:export", args=["platform"])))
    assert [row[:2] for row in platform[1:]] == [row[:2] for row in cells(html, "platform")]
    official = read_csv(client.get(reverse("monitoring:export", args=["official-DE"])))
    page = cells(html, "official-DE")
    assert [(row[1], row[2], row[3]) for row in official[1:]] == [(row[0], row[1], row[2]) for row in page]
    assert ("2024", "486.711") in {(row[1], row[3]) for row in official[1:]}


@pytest.mark.parametrize("table", ["official-99", "nothing", "official-DE%00", "..%2Fx"])
def test_an_unknown_table_is_not_found(client, demo, table):
    client.force_login(demo["monitor"])
    assert client.get(f"/monitoring/export/{table}.csv").status_code == 404


@pytest.mark.parametrize(("username", "shown"), [("monitor", True), ("kammer", True), ("azubi", False)])
def test_the_home_page_shows_the_monitoring_card_to_the_monitoring_roles(client, demo, username, shown):
    client.force_login(demo[username])
    html = client.get(reverse("core:home")).content.decode()
    assert (f'href="{INDEX}"' in html) is shown
