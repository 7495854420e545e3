"""Postcodes, places and distances in Germany, offline.

Reads `data/postcodes.csv` (built by `scripts/build_postcodes.py` from GeoNames data, CC BY 4.0; see
`data/postcodes.SOURCE.md`) once, lazily, and keeps it in memory with its search index (about 8,300
postcodes, 12,400 place names; built in well under a second, then a query takes microseconds). Pure
Python, no network, no Django.

Precision: a coordinate is a place centroid (the postcode area's or its localities' centre), not street
level, so distances are good to a few km: fine for "within N km", not for routing.

Resolving what a person typed (`resolve`): a place query finds the place of that name or says that it
did not, and never silently takes a different name.

- A 5-digit postcode ("66111", also "66111 Saarbrücken") is looked up by the postcode.
- A name matches ignoring case, hyphens versus spaces and punctuation; "ä/ae", "ö/oe", "ü/ue", "ß/ss"
  are the same ("Muenchen" is München), and where nothing matches so, a missing umlaut is forgiven
  ("Saarbrucken"). A real "ue" of a name is never dropped: "Neunkirchen" is not "Neuenkirchen".
- Abbreviations are the same as their long form: "St." = "Sankt", "a." = "am"/"an", "a.d." = "an der",
  "i.d." = "in der", "i." = "im"/"in", "b." = "bei", "v." = "vor"; and a qualifier may be written with
  brackets, a slash or a connecting word alike ("Frankfurt (Oder)", "Frankfurt/Oder", "Neustadt a.d.
  Aisch" = "Neustadt an der Aisch"), or shortened to its first letters after a connecting word
  ("Frankfurt a.M."). "Bad" is part of a name and stays.
- A name without its qualifier is every place that has it: "Frankfurt" is Frankfurt am Main and
  Frankfurt (Oder), "Neunkirchen" the Neunkirchens of four Länder and Neunkirchen/Saar.
- A qualifier after a comma or in brackets ("Neunkirchen, Saarland", "Neunkirchen (Kreis Neunkirchen)")
  narrows to the places of that Land (name or ISO code), that Kreis (name where `regions.json` has it:
  the Saarland's; or the Kreis key) or, failing those, of the Kreis that holds a place of that name.
- Places of one name are told apart by their Kreis: one place per name and Kreis (a name that is the
  main place of some postcodes and only one of the `other_places` of others counts once, as the main
  place). Its coordinate is the mean of its postcodes' coordinates, its `postcode` the lowest of them.
- Several places → `Resolution.choices`, nearest to `near` first; without `near`, those of the home Land
  first, then by Land, name and postcode alphabetically. Each choice carries a query that resolves to
  exactly it ("66538 Neunkirchen/Saar").
- Nothing → `Resolution.suggestions` ("Meinten Sie …?"): names that contain the query as whole words
  ("Kissingen" → "Bad Kissingen") or are spelled almost alike (difflib ratio ≥ 0.8). Never taken on
  their own.

`lookup` is `resolve` for one answer: the place when the query names exactly one, else None.
"""

from __future__ import annotations

import bisect
import csv
import difflib
import functools
import json
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "postcodes.csv"
REGIONS_FILE = DATA_FILE.parent / "regions.json"

# Mean earth radius (IUGG), the usual choice for haversine distances.
EARTH_RADIUS_KM = 6371.0088

_POSTCODE = re.compile(r"\d{5}")
# "66111 Saarbrücken" is looked up by its postcode.
_POSTCODE_WITH_NAME = re.compile(r"(\d{5})\s+(\D.*)")
# Pads the bounding box by about a centimetre so that rounding never drops a point on its edge.
_BOX_PAD_DEG = 1e-7

# Words of a name and their abbreviations, each to one canonical token.
_CANONICAL = {
    "sankt": "st",
    "st": "st",
    "am": "a",
    "an": "a",
    "a": "a",
    "der": "d",
    "d": "d",
    "im": "i",
    "in": "i",
    "i": "i",
    "bei": "b",
    "b": "b",
    "vor": "v",
    "ob": "ob",
    "o": "ob",
    "v": "v",
}
# Canonical tokens that connect a name to its qualifier ("am Main", "an der Havel", "bei Berlin").
_CONNECTORS = frozenset({"a", "d", "i", "b", "v", "ob"})
# Words of a Kreis or Land qualifier that are not its name ("Kreis Neunkirchen", "Landkreis Miltenberg").
_REGION_WORDS = frozenset(
    {"kreis", "landkreis", "lk", "lkr", "kr", "regionalverband", "stadtverband", "land", "bundesland"}
)
# Everyday short names of Länder beside their ISO codes.
_LAND_ALIASES = {
    "NW": {"nrw"},
    "BW": {"bawue"},
    "MV": {"m v", "meckpomm"},
    "RP": {"rlp"},
    "SH": {"s h"},
    "SL": {"saar"},
    "ST": {"lsa"},
}
# "Neunkirchen, Saarland", "Neunkirchen (Kreis Neunkirchen)": a name and a Land or Kreis.
_QUALIFIED = re.compile(r"(.+?)\s*(?:,\s*(.+?)|\((.+?)\))\s*")
_HAS_UMLAUT = re.compile("[äöüÄÖÜß]")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_UMLAUTS_DOTLESS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
# "Meinten Sie …?": how alike a name must be spelled (difflib ratio), and how many are offered.
SUGGESTION_CUTOFF = 0.8
SUGGESTIONS = 5


@dataclass(frozen=True, slots=True)
class Place:
    postcode: str
    name: str
    land: str
    kreis_ars: str
    lat: float
    lon: float


def fold(text: str, *, dotless: bool = False) -> str:
    """Search key that ignores case, accents, punctuation and the umlaut spellings.

    "Saarbrücken", "saarbruecken" and "SAARBRÜCKEN" all become "saarbruecken": ä/ö/ü → ae/oe/ue, ß → ss,
    accents dropped, every run of other characters (hyphen, slash, brackets, dot) → one space. With
    `dotless`, an umlaut loses its dots instead ("saarbrucken"), the spelling of a keyboard without them;
    a name's own "ae/oe/ue" stays as it is in both.
    """
    text = text.casefold().translate(_UMLAUTS_DOTLESS if dotless else _UMLAUTS)
    if not text.isascii():
        # Accents become base letter + combining mark, which the ASCII encoding drops ("é" → "e").
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(_NOT_ALNUM.sub(" ", text).split())


@functools.lru_cache(maxsize=65536)
def _tokens(text: str, *, dotless: bool = False) -> tuple[str, ...]:
    return tuple(_CANONICAL.get(word, word) for word in fold(text, dotless=dotless).split())


def _core(tokens: Iterable[str]) -> str:
    """The key of a name: canonical words without the connecting ones, so that "Frankfurt am Main",
    "Frankfurt a.M." (after prefix matching), "Neustadt a.d. Aisch" and "Neustadt (Aisch)" compare."""
    return " ".join(token for token in tokens if token not in _CONNECTORS)


def name_key(text: str, *, dotless: bool = False) -> str:
    """The key by which a place name is matched (see the module docstring)."""
    return _core(_tokens(text, dotless=dotless))


def _base_key(name: str, *, dotless: bool = False) -> str:
    """The key of a name without its qualifier ("Frankfurt am Main" → "frankfurt", "Halle (Saale)" →
    "halle", "Neunkirchen/Saar" → "neunkirchen"); "" when the name has none."""
    head = re.split(r"[(/,]", name, maxsplit=1)[0]
    tokens = list(_tokens(head, dotless=dotless))
    for position, token in enumerate(tokens):
        if position and token in _CONNECTORS:
            tokens = tokens[:position]
            break
    base = _core(tokens)
    return base if base and base != name_key(name, dotless=dotless) else ""


@dataclass(frozen=True, slots=True)
class _Group:
    """All postcodes of one place name within one Kreis."""

    place: Place  # the representative: mean coordinate, lowest postcode
    postcodes: tuple[str, ...]
    primary: bool  # the name is the main place of these postcodes (not only in other_places)

    def rank(self) -> tuple[int, int, str]:
        """Sort key: main places first, then bigger (more postcodes), then lowest postcode."""
        return (0 if self.primary else 1, -len(self.postcodes), self.place.postcode)


@dataclass(frozen=True, slots=True)
class _Index:
    by_postcode: dict[str, Place]
    other_places: dict[str, tuple[str, ...]]  # postcode → the further municipalities it serves
    postcodes: list[str]  # sorted
    groups: list[_Group]  # one per place name and Kreis
    by_name: dict[str, list[int]]  # fold(name) → its groups, best first (for `suggest`)
    names: list[str]  # sorted fold(name), for prefix search
    # name_key / _base_key (exact umlauts, then dotless) → group numbers
    by_key: dict[str, list[int]]
    by_base: dict[str, list[int]]
    by_key_dotless: dict[str, list[int]]
    by_base_dotless: dict[str, list[int]]
    by_first_word: dict[str, list[int]]  # first word of name_key → groups, for abbreviated qualifiers
    kreis_names: dict[str, set[str]]  # Kreis key → name_keys of its main places
    keys: list[str]  # every name_key, for "Meinten Sie …?"
    keys_of: list[str]  # group number → its name_key
    keys_by_word: dict[str, set[str]]  # a word → the name_keys that have it
    keys_by_initial: dict[str, list[str]]  # a first letter → the name_keys that begin with it
    land_keys: dict[str, set[str]]  # Land name → its keys (name, ISO code, ARS code)
    land_by_code: dict[str, str]  # ARS code of a Land → its name
    kreis_official: dict[str, str]  # Kreis key → name_key of its official name (where regions.json has it)
    kreis_label: dict[str, str]  # Kreis key → official name


# A place of the same name this close to a postcode of a bigger one is that place, split by the Kreis or
# Land border its postcode crosses (Hamburg's 22113 is filed under Schleswig-Holstein, Kiel's 24109 under
# another Kreis). The nearest distinct same-name pair in the data is 6 km apart (two Hartmannsdorfs).
SPLIT_PLACE_KM = 5.0


def _merge_split_places(groups: list[_Group], by_postcode: dict[str, Place]) -> list[_Group]:
    """Groups (best first) with each split-off part of a place (see SPLIT_PLACE_KM) folded into it."""
    kept: dict[str, list[_Group]] = {}
    for group in groups:
        same_name = kept.setdefault(name_key(group.place.name), [])
        for position, bigger in enumerate(same_name):
            if any(
                distance_km(group.place.lat, group.place.lon, by_postcode[p].lat, by_postcode[p].lon)
                < SPLIT_PLACE_KM
                for p in bigger.postcodes
            ):
                postcodes = tuple(sorted(bigger.postcodes + group.postcodes))
                same_name[position] = _Group(bigger.place, postcodes, bigger.primary)
                break
        else:
            same_name.append(group)
    return sorted((group for same_name in kept.values() for group in same_name), key=_Group.rank)


def _append(index: dict[str, list[int]], key: str, number: int) -> None:
    if key:
        index.setdefault(key, []).append(number)


@functools.cache
def _index() -> _Index:
    by_postcode: dict[str, Place] = {}
    other_places: dict[str, tuple[str, ...]] = {}
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
            others = tuple(filter(None, row["other_places"].split("|")))
            other_places[place.postcode] = others
            for other in others:
                members.setdefault((other, place.kreis_ars, place.land, False), []).append(place)

    best: dict[tuple[str, str, str], _Group] = {}
    for (name, kreis_ars, land, primary), places in members.items():
        representative = Place(
            postcode=min(p.postcode for p in places),
            name=name,
            land=land,
            kreis_ars=kreis_ars,
            lat=round(sum(p.lat for p in places) / len(places), 4),
            lon=round(sum(p.lon for p in places) / len(places), 4),
        )
        group = _Group(representative, tuple(sorted(p.postcode for p in places)), primary)
        where = (name, kreis_ars, land)
        # A name that is a main place here and only another postcode's further place there counts once.
        if where not in best or group.rank() < best[where].rank():
            best[where] = group
    groups = _merge_split_places(sorted(best.values(), key=_Group.rank), by_postcode)

    by_name: dict[str, list[int]] = {}
    by_key: dict[str, list[int]] = {}
    by_base: dict[str, list[int]] = {}
    by_key_dotless: dict[str, list[int]] = {}
    by_base_dotless: dict[str, list[int]] = {}
    by_first_word: dict[str, list[int]] = {}
    kreis_names: dict[str, set[str]] = {}
    keys_of = []
    for number, group in enumerate(groups):
        name = group.place.name
        key, base = name_key(name), _base_key(name)
        keys_of.append(key)
        _append(by_name, fold(name), number)
        _append(by_key, key, number)
        _append(by_base, base, number)
        if _HAS_UMLAUT.search(name):
            key, base = name_key(name, dotless=True), _base_key(name, dotless=True)
        _append(by_key_dotless, key, number)
        _append(by_base_dotless, base, number)
        _append(by_first_word, keys_of[-1].split(" ", 1)[0], number)
        if group.primary:
            kreis_names.setdefault(group.place.kreis_ars, set()).update({keys_of[-1], base} - {""})

    keys_by_word: dict[str, set[str]] = {}
    keys_by_initial: dict[str, list[str]] = {}
    for key in sorted(by_key):
        keys_by_initial.setdefault(key[0], []).append(key)
        for word in key.split():
            keys_by_word.setdefault(word, set()).add(key)

    regions = json.loads(REGIONS_FILE.read_text(encoding="utf-8"))
    land_keys = {
        land["name"]: {name_key(land["name"]), land["iso"].casefold(), land["code"]}
        | _LAND_ALIASES.get(land["iso"], set())
        for land in regions["laender"]
    }
    kreis_label = {kreis["code"]: kreis["name"] for kreis in regions["kreise"]}
    return _Index(
        by_postcode=by_postcode,
        other_places=other_places,
        postcodes=sorted(by_postcode),
        groups=groups,
        by_name=by_name,
        names=sorted(by_name),
        by_key=by_key,
        by_base=by_base,
        by_key_dotless=by_key_dotless,
        by_base_dotless=by_base_dotless,
        by_first_word=by_first_word,
        kreis_names=kreis_names,
        keys=sorted(by_key),
        keys_of=keys_of,
        keys_by_word=keys_by_word,
        keys_by_initial=keys_by_initial,
        land_keys=land_keys,
        land_by_code={land["code"]: land["name"] for land in regions["laender"]},
        kreis_official={code: name_key(name) for code, name in kreis_label.items()},
        kreis_label=kreis_label,
    )


# --- resolving a query -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Choice:
    """One of several places a query may mean."""

    place: Place
    km: float | None  # from the `near` point, when given
    kreis: str  # the Kreis's official name where known (regions.json: the Saarland's), else ""
    via: str  # for a municipality that is no postcode's main place: the main place of its postcode

    @property
    def query(self) -> str:
        """What to search for to get exactly this place."""
        return f"{self.place.postcode} {self.place.name}"

    @property
    def label(self) -> str:
        """ "Neunkirchen/Saar (66538, Kreis Neunkirchen, Saarland)"; the Kreis only where its name is known."""
        parts = [self.place.postcode]
        if self.via:
            parts[0] += f" {self.via}"
        if self.kreis:
            parts.append(self.kreis)
        parts.append(self.place.land)
        return f"{self.place.name} ({', '.join(parts)})"


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a place query means: one `place`, several `choices`, or nothing (then maybe `suggestions`)."""

    query: str
    place: Place | None = None
    choices: tuple[Choice, ...] = ()
    suggestions: tuple[Choice, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.query.strip()

    @property
    def found(self) -> bool:
        return self.place is not None

    @property
    def ambiguous(self) -> bool:
        return self.place is None and bool(self.choices)

    @property
    def unknown(self) -> bool:
        return not self.empty and self.place is None and not self.choices


def resolve(
    query: str, *, near: tuple[float, float] | None = None, home_land: str = "", limit: int | None = None
) -> Resolution:
    """What the place query means (see the module docstring).

    `near` (lat, lon), e.g. the centre of the person's own postcode, orders the choices by distance;
    without it, the places of `home_land` (a Land's name or its 2-digit ARS code, e.g. the platform's
    region) come first, then the others alphabetically by Land. `limit` caps the number of choices.
    """
    text = query.strip()
    if not text:
        return Resolution(query)
    index = _index()
    match = _POSTCODE.fullmatch(text) or _POSTCODE_WITH_NAME.fullmatch(text)
    if match:
        place = index.by_postcode.get(match.group(1) if match.groups() else match.group(0))
        if place is not None and match.groups():
            place = _named(place, match.group(2), index)
        return Resolution(query, place=place)
    if any(ch.isdigit() for ch in text) and not any(ch.isalpha() for ch in text):
        return Resolution(query)  # a malformed postcode
    found = _match(text, index)
    home = index.land_by_code.get(home_land, home_land)
    if len(found) == 1:
        return Resolution(query, place=index.groups[found[0]].place)
    if found:
        choices = _choices(found, index, near, home)
        return Resolution(query, choices=tuple(choices[:limit] if limit else choices))
    similar = _similar(text, index)
    # The likeliest names first (as `_similar` ranks them); places of one name as the choices are ordered,
    # so a misspelt "Neunkirchn" suggests the Neunkirchen nearest the person (or in the home Land) first.
    rank: dict[str, int] = {}
    for number in similar:
        name = index.groups[number].place.name
        rank.setdefault(_base_key(name) or name_key(name), len(rank))
    ordered = _choices(similar, index, near, home)
    ordered.sort(key=lambda choice: rank[_base_key(choice.place.name) or name_key(choice.place.name)])
    suggestions = ordered[:SUGGESTIONS]
    return Resolution(query, suggestions=tuple(suggestions))


def lookup(query: str) -> Place | None:
    """A 5-digit postcode ("66111", also "66111 Saarbrücken") or a place name → its Place, else None.

    None also when the name is that of several places ("Frankfurt", "Neunkirchen"): `resolve` lists them.
    """
    return resolve(query).place


def _named(place: Place, name: str, index: _Index) -> Place:
    """The place of a "postcode name" query: the postcode's own, named as asked when the name is one of the
    further municipalities the postcode serves (the choices' queries, "54426 Neunkirchen")."""
    key = name_key(name)
    if key == name_key(place.name):
        return place
    for other in index.other_places.get(place.postcode, ()):
        if name_key(other) == key:
            return Place(place.postcode, other, place.land, place.kreis_ars, place.lat, place.lon)
    return place


def _match(text: str, index: _Index) -> list[int]:
    """The groups (one per name and Kreis) the text names, without a Kreis or Land qualifier first."""
    found = _match_name(text, index)
    if found:
        return found
    qualified = _QUALIFIED.fullmatch(text)
    if not qualified:
        return []
    name, qualifier = qualified.group(1), qualified.group(2) or qualified.group(3)
    return _in_region(_match_name(name, index), qualifier, index)


def _match_name(text: str, index: _Index) -> list[int]:
    for dotless, by_key, by_base in (
        (False, index.by_key, index.by_base),
        (True, index.by_key_dotless, index.by_base_dotless),
    ):
        key = name_key(text, dotless=dotless)
        if not key:
            return []
        found = by_key.get(key, []) + by_base.get(key, [])
        if found:
            return sorted(set(found))
    return _abbreviated(_tokens(text), index)


def _abbreviated(tokens: tuple[str, ...], index: _Index) -> list[int]:
    """Names whose qualifier the query shortens to first letters after a connecting word
    ("Frankfurt a.M." → "Frankfurt am Main", "Halle/S." → no connector, so not)."""
    shortened = [
        position
        for position, token in enumerate(tokens)
        if position and tokens[position - 1] in _CONNECTORS and token not in _CONNECTORS and len(token) <= 3
    ]
    if not shortened:
        return []
    words = _core(tokens).split()
    found = []
    for number in index.by_first_word.get(words[0], []):
        name_words = index.keys_of[number].split()
        if len(name_words) == len(words) and all(
            mine == theirs or (len(mine) <= 3 and theirs.startswith(mine))
            for mine, theirs in zip(words, name_words, strict=True)
        ):
            found.append(number)
    return found


def _in_region(found: list[int], qualifier: str, index: _Index) -> list[int]:
    """Those of the groups in the Land or Kreis the qualifier names (see the module docstring)."""
    words = [word for word in fold(qualifier).split() if word not in _REGION_WORDS]
    key = name_key(" ".join(words))
    if not key:
        return []
    official = [
        number
        for number in found
        if key in index.land_keys.get(index.groups[number].place.land, set())
        or key
        in (
            index.kreis_official.get(index.groups[number].place.kreis_ars),
            index.groups[number].place.kreis_ars,
        )
    ]
    if official:
        return official
    return [
        number
        for number in found
        if key in index.kreis_names.get(index.groups[number].place.kreis_ars, set())
    ]


def _similar(text: str, index: _Index) -> list[int]:
    """Names the query may have meant: for "name (qualifier)" or "name, qualifier" whose qualifier names no
    Land or Kreis of theirs, the places of that name; else names containing the query as whole words,
    else names spelled almost alike."""
    key = name_key(text)
    if not key:
        return []
    qualified = _QUALIFIED.fullmatch(text)
    if qualified and (found := _match_name(qualified.group(1), index)):
        return found
    words = key.split()
    with_words = set.intersection(*(index.keys_by_word.get(word, set()) for word in words))
    containing = [
        number
        for other in sorted(with_words)
        if other != key and f" {key} " in f" {other} "
        for number in index.by_key[other]
    ]
    if containing:
        return containing
    # A typo seldom hits the first letter, and a ratio of 0.8 needs lengths within a third of each other.
    pool = [
        other for other in index.keys_by_initial.get(key[0], []) if 3 * abs(len(other) - len(key)) <= len(key)
    ]
    close = difflib.get_close_matches(key, pool, n=SUGGESTIONS, cutoff=SUGGESTION_CUTOFF)
    # Each close name as a query would find it: "neunkirchen" also means Neunkirchen/Saar.
    numbers: dict[int, None] = {}
    for other in close:
        for number in _match_name(other, index) or index.by_key[other]:
            numbers.setdefault(number, None)
    return list(numbers)


def _kreis_label(name: str) -> str:
    """ "Kreis Neunkirchen"; "Regionalverband Saarbrücken" and "Saarpfalz-Kreis" say what they are."""
    if not name or "kreis" in name.casefold() or name.startswith(("Regionalverband", "Stadtverband")):
        return name
    return f"Kreis {name}"


def _choices(
    found: Iterable[int], index: _Index, near: tuple[float, float] | None, home: str, *, ordered: bool = True
) -> list[Choice]:
    """The groups as choices; `ordered`: nearest first, or the home Land first (else as given)."""
    choices = []
    for number in found:
        place = index.groups[number].place
        km = distance_km(near[0], near[1], place.lat, place.lon) if near else None
        main = index.by_postcode[place.postcode]
        choices.append(
            Choice(
                place=place,
                km=km,
                kreis=_kreis_label(index.kreis_label.get(place.kreis_ars, "")),
                via="" if index.groups[number].primary or main.name == place.name else main.name,
            )
        )
    if not ordered:
        return choices
    if near:
        choices.sort(key=lambda choice: (choice.km, choice.place.name, choice.place.postcode))
    else:
        choices.sort(key=lambda c: (c.place.land != home, c.place.land, fold(c.place.name), c.place.postcode))
    return choices


# --- autocomplete ----------------------------------------------------------------------------------------


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
    groups = [
        (name != key, index.groups[number])
        for name in _names_with_prefix(key)
        for number in index.by_name[name]
    ]
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


# --- centroids of the Kreise ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KreisCentroid:
    """A representative point of one Kreis: the mean of its postcodes' coordinates (each postcode once)."""

    kreis_ars: str
    land: str
    lat: float
    lon: float
    postcodes: int


@functools.cache
def kreis_centroids() -> dict[str, KreisCentroid]:
    """Every Kreis of the postcode table by its 5-digit ARS, with the mean of its postcodes' coordinates.

    Good enough to place a Kreis on a schematic map (a dot per Kreis), not a geometric centroid of its area:
    densely coded cities pull the point towards them. Computed once; treat the result as read-only.
    """
    sums: dict[str, list[float]] = {}
    lands: dict[str, str] = {}
    for place in _index().by_postcode.values():
        if not place.kreis_ars:
            continue
        total = sums.setdefault(place.kreis_ars, [0.0, 0.0, 0.0])
        total[0] += place.lat
        total[1] += place.lon
        total[2] += 1
        lands[place.kreis_ars] = place.land
    return {
        ars: KreisCentroid(
            kreis_ars=ars,
            land=lands[ars],
            lat=round(lat / count, 4),
            lon=round(lon / count, 4),
            postcodes=int(count),
        )
        for ars, (lat, lon, count) in sorted(sums.items())
    }
