"""The public occupation catalogue: search and the occupation page with its framework plan."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ausbildung.core.models import Occupation
from ausbildung.core.regulations.importer import DEFAULT_DIR, import_files


def search(query: str, **params) -> list[str]:
    response = Client().get(reverse("api:occupation_list"), {"q": query, **params})
    assert response.status_code == 200
    return [item["name"] for item in response.json()["items"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Fachinformatikerin", "Fachinformatiker/Fachinformatikerin"),  # the other gender form
        ("fachinformatiker", "Fachinformatiker/Fachinformatikerin"),
        ("Schreiner", "Tischler/Tischlerin"),  # regional name
        ("buero", "Kaufmann für Büromanagement/Kauffrau für Büromanagement"),  # umlaut spelled out
        ("Bürokauffrau", "Kaufmann für Büromanagement/Kauffrau für Büromanagement"),  # earlier name
        ("FIAE", "Fachinformatiker/Fachinformatikerin"),  # common short form
        ("Anwendungsentwicklung", "Fachinformatiker/Fachinformatikerin"),  # a Fachrichtung
    ],
)
def test_search_finds_occupation(demo, query, expected):
    assert expected in search(query)


def test_search_needs_every_word(demo):
    assert search("Kauffrau Büromanagement") == ["Kaufmann für Büromanagement/Kauffrau für Büromanagement"]
    assert search("Kauffrau Tischler") == []


def test_search_by_common_abbreviation_after_import(demo):
    import_files([DEFAULT_DIR / "medfangausbv.md"], actor=None)
    assert any("Medizinische" in name for name in search("MFA"))


def test_duration_filter(demo):
    assert search("", duration_months=36)
    assert all(item for item in search("", duration_months=36))
    assert search("Fachinformatiker", duration_months=24) == []


def test_occupation_page_shows_regulation_and_plan(demo):
    response = Client().get(reverse("core:occupation_detail", kwargs={"slug": "fiausbv"}))
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        "Fachinformatiker/Fachinformatikerin",
        "36 Monate",
        "FIAusbV",
        "28.02.2020",
        "BGBl I: 2020, 250",
        "Anwendungsentwicklung",
        "Digitale Vernetzung",
        "Planen, Vorbereiten und Durchführen von Arbeitsaufgaben",
        "1. bis 18. Monat",
        "Grundsätze und Methoden des Projektmanagements anwenden",
    ):
        assert text in body, text
    # Position 1 of section A: 12 weeks in months 1–18 (FIAusbV 2020, Anlage, BGBl. I 2020 S. 260).
    assert '<td class="kern-table__cell kern-table__cell--numeric">12</td>' in body


def test_occupation_list_page_and_htmx_fragment(demo):
    client = Client()
    page = client.get(reverse("core:occupation_list"), {"q": "Tischler"})
    assert page.status_code == 200 and "Tischler/Tischlerin" in page.content.decode()
    fragment = client.get(reverse("core:occupation_list"), {"q": "Tischler"}, headers={"HX-Request": "true"})
    assert "<html" not in fragment.content.decode() and "Tischler/Tischlerin" in fragment.content.decode()


def test_unknown_occupation_is_404(db):
    assert (
        Client().get(reverse("core:occupation_detail", kwargs={"slug": "gibt-es-nicht"})).status_code == 404
    )
    assert Client().get("/api/v1/occupations/gibt-es-nicht").status_code == 404


def test_api_occupation_detail_has_the_plan(demo):
    body = Client().get("/api/v1/occupations/fiausbv").json()
    first = body["framework_plan"][0]
    assert first["number"] == "1" and first["weeks"][0] == 12
    assert first["items"][0]["letter"] == "a"
    assert {s["name"] for s in body["specialisations"] if s["kind"] == "fachrichtung"} == {
        "Anwendungsentwicklung",
        "Systemintegration",
        "Daten- und Prozessanalyse",
        "Digitale Vernetzung",
    }


def test_nul_bytes_in_queries_are_harmless(client_for):
    """PostgreSQL rejects NUL in text; a crafted query string must not cause a server error."""
    assert (
        client_for("chamber_officer").get(reverse("core:contract_list"), {"q": "a\x00b"}).status_code == 200
    )
    assert client_for("chamber_officer").get("/api/v1/contracts", {"status": "active\x00"}).status_code == 200
    assert Client().get(reverse("core:occupation_list"), {"q": "Tisch\x00ler"}).status_code == 200


def test_occupation_page_marks_the_electives(db):
    # ChemikAusbV 2009: "Abschnitt II: Wahlqualifikationen nach § 3 Nummer 2", four to choose (§ 3 Nr. 2).
    import_files([DEFAULT_DIR / "chemikausbv_2009.md"], actor=None)
    slug = Occupation.objects.get(source_file="chemikausbv_2009.md").slug
    page = Client().get(reverse("core:occupation_detail", kwargs={"slug": slug})).content.decode()
    assert page.count('data-testid="elective-section"') == 1
    assert "Wahlqualifikationen: 4 zu wählen" in page
    plan = Client().get(f"/api/v1/occupations/{slug}").json()["framework_plan"]
    assert [p["kind"] for p in plan].count("elective") == 20
