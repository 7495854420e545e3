"""Place queries (`core.geo.resolve`): the place of that name, the choices when several have it, or nothing
said as nothing. Issue #16: "Neunkirchen" became Neuenkirchen (Lower Saxony), "St. Wendel" was unknown."""

from __future__ import annotations

import csv
import re
import timeit

import pytest

from ausbildung.core import geo

SAARBRUECKEN = (49.2333, 7.0000)
SIEGEN = (50.8748, 8.0243)  # 15 km from Neunkirchen (57290, Nordrhein-Westfalen)

# The long words of a name and the short forms people write (and the platform's own pages show).
SHORT_FORMS = [
    (r"^Sankt ", "St. "),
    (r" an der ", " a.d. "),
    (r" in der ", " i.d. "),
    (r" am ", " a. "),
    (r" bei ", " b. "),
    (r" im ", " i. "),
    (r" vor der ", " v.d. "),
]


def all_place_names() -> list[str]:
    names: set[str] = set()
    with geo.DATA_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            names.add(row["place"])
            names.update(filter(None, row["other_places"].split("|")))
    return sorted(names)


def spellings(name: str) -> list[str]:
    """The name, its short form, and how it is typed without umlauts, hyphens or capitals."""
    short = name
    for pattern, replacement in SHORT_FORMS:
        short = re.sub(pattern, replacement, short)
    typed = (
        name.replace("ä", "ae")
        .replace("ö", "oe")
        .replace("ü", "ue")
        .replace("ß", "ss")
        .replace("-", " ")
        .lower()
    )
    return list(dict.fromkeys([name, short, typed, name.upper()]))


def names_of(resolution: geo.Resolution) -> set[str]:
    if resolution.place is not None:
        return {resolution.place.name}
    return {choice.place.name for choice in resolution.choices}


def test_every_place_name_of_the_postcode_table_and_its_short_form_resolves_to_a_place_of_that_name() -> None:
    names = all_place_names()
    assert len(names) > 12_000
    failures: list[tuple[str, str, object]] = []
    for name in names:
        for spelling in spellings(name):
            resolution = geo.resolve(spelling)
            if name not in names_of(resolution):
                failures.append((name, spelling, sorted(names_of(resolution))[:5]))
            # Never a different name alone: a unique answer is the name itself (several may be offered).
            if resolution.place is not None and geo.name_key(resolution.place.name) != geo.name_key(name):
                failures.append((name, spelling, resolution.place.name))
    assert failures == []


def test_every_choice_carries_a_query_that_resolves_to_exactly_it() -> None:
    for query in ("Neunkirchen", "Frankfurt", "Halle", "Neuenkirchen", "Neustadt"):
        choices = geo.resolve(query).choices
        assert len(choices) > 1, query
        for choice in choices:
            place = geo.lookup(choice.query)
            assert place is not None and place.name == choice.place.name, choice.query
            assert place.land == choice.place.land, choice.query


def test_neunkirchen_offers_the_saarland_first_and_never_neuenkirchen() -> None:
    """Issue #16: "Neunkirchen" was Neuenkirchen (21763, Lower Saxony)."""
    assert geo.lookup("Neunkirchen") is None  # several places: no silent pick
    resolution = geo.resolve("Neunkirchen", home_land="10")
    assert resolution.ambiguous
    names = [choice.place.name for choice in resolution.choices]
    assert "Neuenkirchen" not in names
    assert all(name.startswith("Neunkirchen") for name in names)
    first = resolution.choices[0].place
    assert (first.name, first.land, first.kreis_ars) == ("Neunkirchen/Saar", "Saarland", "10043")
    # Without a home Land: alphabetically by Land (Baden-Württemberg first).
    lands = [choice.place.land for choice in geo.resolve("Neunkirchen").choices]
    assert lands == sorted(lands)
    # "Neuenkirchen" is a name of its own and stays one.
    assert "Neunkirchen/Saar" not in names_of(geo.resolve("Neuenkirchen"))


def test_choices_are_ordered_by_distance_from_the_persons_postcode() -> None:
    from_siegen = geo.resolve("Neunkirchen", near=SIEGEN, home_land="10").choices
    assert (from_siegen[0].place.name, from_siegen[0].place.postcode) == ("Neunkirchen", "57290")
    distances = [choice.km for choice in from_siegen]
    assert distances == sorted(distances)  # type: ignore[type-var]
    from_saarbruecken = geo.resolve("Neunkirchen", near=SAARBRUECKEN).choices
    assert from_saarbruecken[0].place.name == "Neunkirchen/Saar"
    assert from_saarbruecken[0].km is not None and from_saarbruecken[0].km < 25


@pytest.mark.parametrize(
    "query", ["St. Wendel", "St.Wendel", "Sankt Wendel", "st wendel", "ST. WENDEL", "Sankt-Wendel", "66606"]
)
def test_st_wendel_as_the_platform_spells_it(query: str) -> None:
    """Issue #16: "St. Wendel" was unknown."""
    place = geo.lookup(query)
    assert place is not None
    assert (place.name, place.postcode, place.land) == ("Sankt Wendel", "66606", "Saarland")


@pytest.mark.parametrize(
    ("query", "name", "land"),
    [
        ("Neunkirchen, Saarland", "Neunkirchen/Saar", "Saarland"),
        ("Neunkirchen (Saarland)", "Neunkirchen/Saar", "Saarland"),
        ("Neunkirchen (Kreis Neunkirchen)", "Neunkirchen/Saar", "Saarland"),
        ("Neunkirchen, Landkreis Neunkirchen", "Neunkirchen/Saar", "Saarland"),
        ("Neunkirchen, SL", "Neunkirchen/Saar", "Saarland"),
        ("Neunkirchen/Saar", "Neunkirchen/Saar", "Saarland"),
        ("Neunkirchen (Saar)", "Neunkirchen/Saar", "Saarland"),
        ("Neunkirchen, Nordrhein-Westfalen", "Neunkirchen", "Nordrhein-Westfalen"),
        ("Neunkirchen, NRW", "Neunkirchen", "Nordrhein-Westfalen"),
        ("Neunkirchen (Kreis 05970)", "Neunkirchen", "Nordrhein-Westfalen"),
        ("Neunkirchen (Landkreis Siegen)", "Neunkirchen", "Nordrhein-Westfalen"),  # the Kreis of Siegen
        ("Miltenberg (Kreis Miltenberg)", "Miltenberg", "Bayern"),
        ("Homburg (Saar)", "Homburg", "Saarland"),
    ],
)
def test_a_kreis_or_land_narrows_the_name(query: str, name: str, land: str) -> None:
    place = geo.lookup(query)
    assert place is not None, query
    assert (place.name, place.land) == (name, land)


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("Saarbrucken", "Saarbrücken"),  # no dots on the keyboard
        ("SAARBRUECKEN", "Saarbrücken"),
        ("Muenchen", "München"),
        ("Grossrosseln", "Großrosseln"),
        ("Neustadt a.d. Aisch", "Neustadt an der Aisch"),
        ("Neustadt (Aisch)", "Neustadt an der Aisch"),
        ("Rothenburg o.d. Tauber", "Rothenburg ob der Tauber"),
        ("Born am Darß", "Born a. Darß"),
        ("Brandenburg a.d. Havel", "Brandenburg an der Havel"),
        ("Buchholz i.d. Nordheide", "Buchholz in der Nordheide"),
        ("Rüdersdorf b. Berlin", "Rüdersdorf bei Berlin"),
        ("Bad Kissingen", "Bad Kissingen"),
        ("Neunkirchen Seelscheid", "Neunkirchen-Seelscheid"),
        ("54426 Neunkirchen", "Neunkirchen"),  # a municipality that shares its postcode with Malborn
        ("Hamburg", "Hamburg"),  # 22113 lies in Schleswig-Holstein but is Hamburg: one place, not two
    ],
)
def test_spellings_of_one_place(query: str, name: str) -> None:
    place = geo.lookup(query)
    assert place is not None, query
    assert place.name == name


def test_nothing_found_is_said_with_suggestions_never_taken() -> None:
    nothing = geo.resolve("Atlantis")
    assert nothing.unknown and nothing.place is None and nothing.suggestions == ()
    typo = geo.resolve("Neunkirchn")
    assert typo.unknown and typo.place is None
    assert "Neunkirchen" in {choice.place.name for choice in typo.suggestions}
    # Suggestions are ordered as choices are: the misspelt name's place in the home Land first.
    saar = geo.resolve("Neunkirchn", home_land="10")
    assert (saar.suggestions[0].place.postcode, saar.suggestions[0].place.land) == ("66538", "Saarland")
    short = geo.resolve("Kissingen")
    assert short.unknown
    assert [choice.place.name for choice in short.suggestions] == ["Bad Kissingen"]
    # A qualifier that names no Land or Kreis of the name: nothing, and the places of the name suggested.
    wrong_land = geo.resolve("Sankt Wendel, Bayern")
    assert wrong_land.unknown
    assert [choice.place.name for choice in wrong_land.suggestions] == ["Sankt Wendel"]
    for query in ("99999", "1234", "99999 Saarbrücken"):
        assert geo.resolve(query).unknown


def test_resolving_is_fast_once_the_index_is_built() -> None:
    geo.resolve("Saarbrücken")
    queries = ["Neunkirchen", "St. Wendel", "Frankfurt a.M.", "66111", "Neunkirchen, Saarland", "Atlantis"]
    seconds = min(timeit.repeat(lambda: [geo.resolve(q) for q in queries], number=20, repeat=3)) / 20
    assert seconds / len(queries) < 0.05  # measured: see docs/performance.md ("place-resolve")
