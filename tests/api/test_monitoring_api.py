"""The monitoring tables as JSON (api.monitoring, issue #19): the page's numbers for the monitoring roles,
403 problem details for everyone else, 404 for a table the caller's page does not have."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from ausbildung.core.tokens import api_token_create

TABLES = reverse("api:monitoring_tables")


def table_url(key: str) -> str:
    return reverse("api:monitoring_table", kwargs={"key": key})


def page_cells(html: str, testid: str) -> list[list[str]]:
    """The body cells of the page's table `testid`, tags and footnote markers stripped to the shown text."""
    table = re.search(rf'<table[^>]*data-testid="{testid}".*?</table>', html, re.S)
    assert table, testid
    body = table.group(0).split("<tbody", 1)[1]
    body = re.sub(r" <sup>[a-z]</sup>", "", body)
    return [
        [
            " ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split())
            for c in re.findall(r"<t[hd].*?</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr.*?</tr>", body, re.S)
    ]


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    return body


def area_table_url(key: str, level: str = "de", code: str = "DE") -> str:
    return reverse("api:monitoring_area_table", kwargs={"level": level, "code": code, "key": key})


def test_a_monitor_gets_the_tables_of_their_pages(demo, client_for):
    client = client_for("monitor")
    listed = client.get(TABLES)
    assert listed.status_code == 200
    assert [t["key"] for t in listed.json()] == ["kennzahlen-10"]  # the home: the Saarland's key figures
    home = client.get(reverse("monitoring:index")).content.decode()
    assert 'data-testid="cards-10"' in home
    germany = reverse("api:monitoring_area_tables", kwargs={"level": "de", "code": "DE"})
    keys = [t["key"] for t in client.get(germany).json()]
    assert keys[0] == "kennzahlen" and "laender" in keys and keys[-1] == "official-DE"
    html = client.get(reverse("monitoring:area", args=["de", "DE"])).content.decode()
    for key in ("kennzahlen", "laender", "vertraege", "official-DE"):
        data = client.get(area_table_url(key)).json()
        columns = [c["key"] for c in data["columns"]]
        assert [[row[k] for k in columns] for row in data["shown"]] == page_cells(html, key), key
    balance = client.get(area_table_url("official-DE")).json()
    assert balance["rows"][0]["figure"] == "neue Verträge (30.9.)"
    assert balance["rows"][0]["2024"] == 486711 and balance["markers"][0]["2024"] == "a"
    assert balance["rows"][7]["2024"] == 107.4
    assert all(source["url"].startswith("https://") for source in balance["sources"])
    # a Land of another region, garbage and an unknown occupation are not found
    assert_problem(client.get(area_table_url("kennzahlen", "land", "04")), 404)
    assert_problem(client.get(area_table_url("kennzahlen", "welt", "x")), 404)
    huge = "/api/v1/monitoring/areas/de/DE/occupations/99999999999999999999999/tables"
    assert client.get(huge).status_code in (404, 422)


def test_the_api_answers_a_bearer_token_too(demo):
    _token, secret = api_token_create(actor=None, user=demo["monitor"], name="dashboard")
    response = Client().get(area_table_url("official-DE"), HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert response.json()["key"] == "official-DE"


@pytest.mark.parametrize("role", ["apprentice", "pupil", "trainer", "company_admin", "platform_admin"])
def test_other_roles_get_403_problem_details(demo, client_for, role):
    client = client_for(role)
    assert_problem(client.get(TABLES), 403)
    assert_problem(client.get(table_url("official-DE")), 403)


def test_anonymous_gets_401(db):
    assert_problem(Client().get(table_url("official-DE")), 401)


@pytest.mark.parametrize("key", ["nothing", "official-04", "all", "official-99"])
def test_an_unknown_table_is_a_404_problem(demo, client_for, key):
    assert_problem(client_for("chamber_officer").get(table_url(key)), 404)


def test_the_routes_are_in_the_openapi_schema_with_their_responses(db):
    schema = Client().get(reverse("api:openapi-json")).json()
    operation = schema["paths"]["/api/v1/monitoring/tables/{key}"]["get"]
    assert set(operation["responses"]) >= {"200", "403", "404"}
    assert "TableOut" in schema["components"]["schemas"]
    assert "/api/v1/monitoring/tables" in schema["paths"]
