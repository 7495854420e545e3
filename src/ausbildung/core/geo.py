"""Postcodes, places and distances in Germany, offline.

Reads `data/postcodes.csv` (built by `scripts/build_postcodes.py` from GeoNames data, CC BY 4.0; see
`data/postcodes.SOURCE.md`) once, lazily, and keeps it in memory (about 8,300 postcodes). Pure Python,
no network, no Django.

Precision: a coordinate is a place centroid (the postcode area's or its localities' centre), not street
level, so distances are good to a few km: fine for "within N km", not for routing.

A place name maps to several postcodes (Berlin has almost 200) and sometimes to several places of the
same name (Neustadt, Münster). `lookup` by name returns one representative `Place`: among the places of
that name (one per Kreis), the one with the most postcodes, ties broken by the lowest postcode; its
coordinate is the mean of that place's postcode coordinates and its `postcode` the lowest of them.
A municipality that is never the main place of a postcode (a village sharing a postcode with a larger
town) is still found, through the postcodes that list it among their `other_places`.
"""

from __future__ import annotations

import bisect
import csv
import functools
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "postcodes.csv"

# Mean earth radius (IUGG), the usual choice for haversine distances.
EARTH_RADIUS_KM = 6371.0088

_POSTCODE = re.compile(r"\d{5}")
# "66111 Saarbrücken" is looked up by its postcode.
_POSTCODE_WITH_NAME = re.compile(r"(\d{5})\s+\D.*")
# Pads the bounding box by about a centimetre so that rounding never drops a point on its edge.
_BOX_PAD_DEG = 1e-7


@dataclass(frozen=True, slots=True)
class Place:
    postcode: str
    name: str
    land: str
    kreis_ars: str
    lat: float
    lon: float


def fold(text: str) -> str:
    """Search key that ignores case, accents and the umlaut spellings.

    "Saarbrücken", "saarbruecken" and "SAARBRUCKEN" all become "saarbrucken": ß → ss, accents dropped,
    "ae/oe/ue" → "a/o/u", every run of other characters (hyphen, slash, brackets) → one space.
    """
    text = text.casefold().replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"([aou])e", r"\1", text)
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


@dataclass(frozen=True, slots=True)
class _Group:
    """All postcodes of one place name within one Kreis."""

    place: Place  # the representative: mean coordinate, lowest postcode
    postcodes: int
    primary: bool  # the name is the main place of these postcodes (not only in other_places)

    def rank(self) -> tuple[int, int, str]:
        """Sort key: main places first, then bigger (more postcodes), then lowest postcode."""
        return (0 if self.primary else 1, -self.postcodes, self.place.postcode)


@dataclass(frozen=True, slots=True)
class _Index:
    by_postcode: dict[str, Place]
    postcodes: list[str]  # sorted
    by_name: dict[str, list[_Group]]  # folded name → its groups, best first
    names: list[str]  # sorted folded names, for prefix search


@functools.cache
def _index() -> _Index:
    by_postcode: dict[str, Place] = {}
    members: dict[tuple[str, str, str, bool], list[Place]] = {}
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            place = Place(
                postcode=row["postcode"],
                name=row["place"],
                land=row["land"],
                kreis_ars=row["kreis_ars"],
                lat=float(row["lat"]),
                lon=float(row["lon"]),
            )
            by_postcode[place.postcode] = place
            members.setdefault((place.name, place.kreis_ars, place.land, True), []).append(place)
            for other in filter(None, row["other_places"].split("|")):
                members.setdefault((other, place.kreis_ars, place.land, False), []).append(place)

    by_name: dict[str, list[_Group]] = {}
    for (name, kreis_ars, land, primary), places in members.items():
        representative = Place(
            postcode=min(p.postcode for p in places),
            name=name,
            land=land,
            kreis_ars=kreis_ars,
            lat=round(sum(p.lat for p in places) / len(places), 4),
            lon=round(sum(p.lon for p in places) / len(places), 4),
        )
        by_name.setdefault(fold(name), []).append(_Group(representative, len(places), primary))
    for groups in by_name.values():
        groups.sort(key=_Group.rank)
    return _Index(by_postcode, sorted(by_postcode), by_name, sorted(by_name))


def lookup(query: str) -> Place | None:
    """A 5-digit postcode ("66111", also "66111 Saarbrücken") or a place name → its Place, else None.

    Names match case-, accent- and umlaut-insensitively. A name that matches no place exactly falls back
    to the places whose name begins with it as whole words ("Frankfurt" → "Frankfurt am Main"), the
    biggest first. See the module docstring for which place a name with several postcodes returns.
    """
    query = query.strip()
    if not query:
        return None
    match = _POSTCODE.fullmatch(query) or _POSTCODE_WITH_NAME.fullmatch(query)
    index = _index()
    if match:
        return index.by_postcode.get(match.group(1) if match.groups() else match.group(0))
    if query.isdigit():
        return None
    key = fold(query)
    if not key:
        return None
    if key in index.by_name:
        return index.by_name[key][0].place
    candidates = [group for name in _names_with_prefix(key + " ") for group in index.by_name[name]]
    if not candidates:
        return None
    return min(candidates, key=_Group.rank).place


def suggest(prefix: str, limit: int = 10) -> list[Place]:
    """Autocomplete: places (or postcodes, for a digit prefix) starting with prefix, at most limit.

    Digits: the postcodes beginning with them, in order. Text: one entry per place name and Kreis, the
    exact name first, then main places before villages that share a postcode, bigger places first.
    """
    prefix = prefix.strip()
    if not prefix or limit <= 0:
        return []
    index = _index()
    if prefix.isdigit():
        if len(prefix) > 5:
            return []
        start = bisect.bisect_left(index.postcodes, prefix)
        found: list[Place] = []
        for postcode in index.postcodes[start:]:
            if not postcode.startswith(prefix) or len(found) >= limit:
                break
            found.append(index.by_postcode[postcode])
        return found
    key = fold(prefix)
    if not key:
        return []
    groups = [(name != key, group) for name in _names_with_prefix(key) for group in index.by_name[name]]
    groups.sort(key=lambda item: (item[0], *item[1].rank()))
    return [group.place for _inexact, group in groups[:limit]]


def _names_with_prefix(key: str) -> list[str]:
    names = _index().names
    start = bisect.bisect_left(names, key)
    end = start
    while end < len(names) and names[end].startswith(key):
        end += 1
    return names[start:end]


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (haversine, mean earth radius 6371.0088 km)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lon2 - lon1)
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def bounding_box(lat: float, lon: float, km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) containing every point within km of (lat, lon).

    Meant as a database prefilter (`lat BETWEEN … AND lon BETWEEN …`) before the exact `distance_km`.
    The longitude span is the exact one for the sphere at that latitude (asin(sin(d)/cos(lat))), not a
    flat-earth guess. Near a pole the box takes every longitude, and where it would cross the
    antimeridian it does too (-180..180): still correct, only less selective.
    """
    if km < 0:
        raise ValueError("km must not be negative")
    angular = km / EARTH_RADIUS_KM  # radians
    d_lat = math.degrees(angular)
    min_lat = max(-90.0, lat - d_lat - _BOX_PAD_DEG)
    max_lat = min(90.0, lat + d_lat + _BOX_PAD_DEG)
    cos_lat = math.cos(math.radians(lat))
    if min_lat <= -90.0 or max_lat >= 90.0 or angular >= math.pi / 2 or math.sin(angular) >= cos_lat:
        return (min_lat, max_lat, -180.0, 180.0)
    d_lon = math.degrees(math.asin(math.sin(angular) / cos_lat)) + _BOX_PAD_DEG
    min_lon, max_lon = lon - d_lon, lon + d_lon
    if min_lon < -180.0 or max_lon > 180.0:
        return (min_lat, max_lat, -180.0, 180.0)
    return (min_lat, max_lat, min_lon, max_lon)
