"""Follow-up qualifications derived from the ordinances: parser on the shipped files, the two linking rules,
and the explorer pages that show them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from ausbildung.core.models import Occupation
from ausbildung.orientation import follow_up
from ausbildung.orientation.explorer import selectors
from ausbildung.orientation.follow_up import ADMISSION, CRAFT, CatalogueName

FILES = follow_up.FORTBILDUNG_DIR


def read(name: str) -> follow_up.Ordinance:
    return follow_up.parse_ordinance((FILES / name).read_text(encoding="utf-8"), name)


def names(*pairs: tuple[str, str]) -> list[CatalogueName]:
    """Catalogue names from (male, female) pairs, slugged like the catalogue would not need to be."""
    return [
        CatalogueName(f"occ-{i}", f"{male}/{female}", male, female) for i, (male, female) in enumerate(pairs)
    ]


TISCHLER = ("Tischler", "Tischlerin")
VERKAEUFER = ("Verkäufer", "Verkäuferin")
FACHLAGERIST = ("Fachlagerist", "Fachlageristin")
EINZELHANDEL = ("Kaufmann im Einzelhandel", "Kauffrau im Einzelhandel")
MALER = ("Maler und Lackierer", "Malerin und Lackiererin")


def linked(
    links: list[tuple[str, follow_up.Link]], catalogue: list[CatalogueName]
) -> dict[str, follow_up.Link]:
    by_slug = {name.slug: name.name_male for name in catalogue}
    return {by_slug[slug]: link for slug, link in links}


def test_every_shipped_ordinance_is_read():
    ordinances = follow_up.load_ordinances()
    assert len(ordinances) == len(list(FILES.glob("*.md"))) == 126
    for ordinance in ordinances:
        assert ordinance.title and ordinance.jurabk and ordinance.issued_on, ordinance.source_file


def test_meister_ordinance_of_a_craft_links_that_craft():
    ordinance = read("tischlmstrv_2008.md")
    assert ordinance.jurabk == "TischlMstrV 2008"
    assert ordinance.issued_on == dt.date(2008, 5, 13)
    assert ordinance.craft == "Tischler" and ordinance.craft_basis == "45"
    assert ordinance.qualification == "Meisterprüfung im Tischler-Handwerk"
    assert ordinance.admissions == ()  # admission is HwO § 49, not in the ordinance
    catalogue = names(TISCHLER, ("Tischlerhelfer", "Tischlerhelferin"), ("Glaser", "Glaserin"), VERKAEUFER)
    found = linked(follow_up.craft_links(ordinance, catalogue), catalogue)
    assert list(found) == ["Tischler"]  # not "Tischlerhelfer": the craft name must end at a word boundary
    assert found["Tischler"].reason == CRAFT and found["Tischler"].matched == "Tischler"


def test_craft_without_licence_requirement_and_suspended_hyphen():
    behaelter = read("behappmstrv.md")
    assert behaelter.craft == "Behälter- und Apparatebauer" and behaelter.craft_basis == "51a"
    catalogue = names(("Behälter- und Apparatebauer", "Behälter- und Apparatebauerin"), MALER)
    assert list(linked(follow_up.craft_links(behaelter, catalogue), catalogue)) == [
        "Behälter- und Apparatebauer"
    ]
    # "Maler- und Lackierer-Handwerk" is the Maler-Handwerk and Lackierer-Handwerk: the occupation is
    # "Maler und Lackierer"
    maler = read("mulmstrv.md")
    assert maler.craft == "Maler- und Lackierer"
    assert list(linked(follow_up.craft_links(maler, catalogue), catalogue)) == ["Maler und Lackierer"]


def test_admission_section_naming_occupations_links_them():
    ordinance = read("hdlfachwprv.md")
    assert [a.section for a in ordinance.admissions] == ["§ 2 Zulassungsvoraussetzungen"]
    assert ordinance.craft == "" and ordinance.stage is None
    assert ordinance.qualification == "Geprüfter Handelsfachwirt und Geprüfte Handelsfachwirtin"
    catalogue = names(VERKAEUFER, FACHLAGERIST, EINZELHANDEL, TISCHLER)
    found = linked(follow_up.admission_links(ordinance, catalogue), catalogue)
    # "zum Verkäufer oder zur Verkäuferin", "zum Fachlageristen oder zur Fachlageristin"; Kaufmann im
    # Einzelhandel is only covered by "einem anerkannten dreijährigen kaufmännischen Ausbildungsberuf im Handel"
    assert set(found) == {"Verkäufer", "Fachlagerist"}
    assert found["Verkäufer"].matched == "Verkäufer"
    assert found["Fachlagerist"].matched == "Fachlageristin"
    assert found["Verkäufer"].section == "§ 2 Zulassungsvoraussetzungen"


def test_meister_ordinance_of_agriculture_links_by_its_admission_section():
    ordinance = read("lwmstrprv.md")
    catalogue = names(("Landwirt", "Landwirtin"), ("Winzer", "Winzerin"))
    found = linked(follow_up.admission_links(ordinance, catalogue), catalogue)
    assert list(found) == ["Landwirt"]
    assert found["Landwirt"].section == "§ 1a Zulassungsvoraussetzungen zur Meisterprüfung"
    assert ordinance.qualification == "Meisterprüfung für den Beruf Landwirt/Landwirtin"


def test_generic_admission_links_no_occupation():
    ordinance = read("indfachwirtprv_2010.md")  # "in einem anerkannten kaufmännischen … Ausbildungsberuf"
    assert ordinance.admissions
    catalogue = names(
        VERKAEUFER, FACHLAGERIST, EINZELHANDEL, TISCHLER, ("Industriekaufmann", "Industriekauffrau")
    )
    assert follow_up.admission_links(ordinance, catalogue) == []
    assert follow_up.craft_links(ordinance, catalogue) == []


def test_stage_only_where_the_title_names_it():
    assert read("bibubaprofprv.md").stage == ("Bachelor Professional", "BBiG § 53c, HwO § 42c")
    assert read("restmaprorestprv.md").stage == ("Master Professional", "BBiG § 53d, HwO § 42d")
    assert read("polierprv_2012.md").stage is None


SYNTHETIC = """---
Title: Verordnung über die Prüfung zum anerkannten Fortbildungsabschluss Geprüfter Test
jurabk: TestPrV
slug: testprv

---

# Verordnung über die Prüfung zum anerkannten Fortbildungsabschluss Geprüfter Test (TestPrV)

Ausfertigungsdatum
:   2020-01-02

## § 1 Ziel

Der Elektroniker für Betriebstechnik wird hier nicht zugelassen, der Koch schon gar nicht.

## § 2 Zulassungsvoraussetzungen

Zur Prüfung ist zuzulassen, wer eine Abschlussprüfung als Elektroniker für
Betriebstechnik oder im Tischler-Handwerk oder als Fachverkäuferin im Lebensmittelhandwerk nachweist.

## § 3 Gliederung

Der Maler und Lackierer.
"""


def test_whole_names_only_longest_name_and_only_in_the_admission_section():
    ordinance = follow_up.parse_ordinance(SYNTHETIC, "testprv.md")
    assert ordinance.issued_on == dt.date(2020, 1, 2) and ordinance.jurabk == "TestPrV"
    catalogue = names(
        ("Elektroniker", "Elektronikerin"),
        ("Elektroniker für Betriebstechnik", "Elektronikerin für Betriebstechnik"),
        TISCHLER,  # only as part of "Tischler-Handwerk": no link
        VERKAEUFER,  # only inside "Fachverkäuferin": no link
        ("Koch", "Köchin"),  # named outside the admission section: no link
        MALER,
    )
    found = linked(follow_up.admission_links(ordinance, catalogue), catalogue)
    assert list(found) == ["Elektroniker für Betriebstechnik"]


# --------------------------------------------------------------------------------------------------------------
# Over the catalogue (demo occupations plus constructed rows) and on the explorer pages
# --------------------------------------------------------------------------------------------------------------

EXTRA = {
    "test-verkaeufer": VERKAEUFER,
    "test-fachlagerist": FACHLAGERIST,
    "test-einzelhandel": EINZELHANDEL,
    "test-maler": MALER,
    "test-dachdecker": ("Dachdecker", "Dachdeckerin"),
    "test-landwirt": ("Landwirt", "Landwirtin"),
}


@pytest.fixture
def catalogue(demo):
    for slug, (male, female) in EXTRA.items():
        Occupation.objects.get_or_create(
            slug=slug, defaults={"name": f"{male}/{female}", "name_male": male, "name_female": female}
        )
    return {o.slug: o for o in Occupation.objects.filter(is_active=True)}


@pytest.mark.django_db
def test_no_occupation_is_linked_without_its_name_in_the_text(catalogue):
    links = follow_up.catalogue_links(selectors.catalogue_names())
    total = 0
    for slug, occupation_links in links.items():
        occupation = catalogue[slug]
        forms = {occupation.name_male, occupation.name_female}
        for link in occupation_links:
            total += 1
            if link.reason == ADMISSION:
                assert link.matched in forms
                text = next(a.text for a in link.ordinance.admissions if a.section == link.section)
                assert re.search(rf"(?<![\w-]){re.escape(link.matched)}(?![\w-])", text)
            else:
                assert link.reason == CRAFT
                assert link.matched in follow_up.craft_names(link.ordinance.craft)
                assert re.match(rf"{re.escape(link.matched)}(?:$|[ /])", occupation.name_male)
                assert f"{link.ordinance.craft}-" in link.ordinance.title
    # Tischler, Maler und Lackierer, Dachdecker (craft); Verkäufer (2), Fachlagerist, Kaufmann im
    # Einzelhandel (2), Landwirt (admission)
    assert set(links) == {"tischlausbv", *EXTRA}
    assert [len(links[slug]) for slug in ("test-verkaeufer", "test-einzelhandel")] == [2, 2]
    assert total == 9
    counts = follow_up.summary(selectors.catalogue_names())
    assert counts["occupations_with_follow_up"] == len(links) and counts["links"] == total
    assert counts["links_admission"] + counts["links_craft"] == total


@pytest.mark.django_db
def test_occupation_page_lists_follow_ups_with_jurabk_date_and_reason(client, catalogue):
    content = client.get(reverse("orientation:occupation", args=["tischlausbv"])).content.decode()
    assert 'data-testid="follow-ups"' in content
    assert content.count('data-testid="follow-up"') == 1
    assert "Meisterprüfung im Tischler-Handwerk" in content and "TischlMstrV 2008" in content
    assert "13.05.2008" in content and "HwO § 45, § 49" in content and "tischlmstrv_2008.md" in content
    # the four figures are unknown, the follow-up qualifications are not
    assert content.count('data-testid="unknown"') == len(selectors.FIGURE_KEYS)

    verkaeufer = client.get(reverse("orientation:occupation", args=["test-verkaeufer"])).content.decode()
    assert "HdlFachwPrV" in verkaeufer and "EzHdlFachwPrV" in verkaeufer
    assert "§ 2 Zulassungsvoraussetzungen" in verkaeufer


@pytest.mark.django_db
def test_occupation_without_follow_up_says_unknown(client, catalogue):
    content = client.get(reverse("orientation:occupation", args=["fiausbv"])).content.decode()
    assert 'data-testid="follow-ups"' not in content
    assert content.count('data-testid="unknown"') == len(selectors.FIGURE_KEYS) + 1


@pytest.mark.django_db
def test_compare_shows_follow_ups(client, catalogue):
    response = client.get(reverse("orientation:compare"), {"beruf": ["tischlausbv", "fiausbv"]})
    content = response.content.decode()
    assert [len(column["follow_ups"]) for column in response.context["columns"]] == [1, 0]
    assert content.count('data-testid="compare-follow-ups"') == 2
    assert "Meisterprüfung im Tischler-Handwerk (TischlMstrV 2008)" in content
