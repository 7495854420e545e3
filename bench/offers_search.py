"""The public offer search over 500,000 generated offers on PostgreSQL (target: p95 ≤ 100 ms per query).

Issue target: "Offer search over 500,000 generated offers on PostgreSQL with text + radius + filters: p95 ≤
100 ms per query (single client), measured with a script that states its data generation and query mix."

Database: a scratch PostgreSQL database of its own (BENCH_OFFERS_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/ausbildung_bench_offers; never the test suite's `test`), dropped and
recreated through the `postgres` maintenance database, migrated with the project's `migrate` in a
subprocess, dropped again after the run (BENCH_KEEP=1 keeps it, and a later run with BENCH_KEEP=1 reuses
it when it holds the expected number of offers).

Data generation (seeded, deterministic; COPY into the migrated tables, indexes of the migrations in place;
the triggers of migration 0009 write each published offer's row of the narrow search table during the COPY,
as they would for offers entered one by one):

- 320 occupations, generated: 40 real occupation stems (Elektroniker, Kaufmann, Tischler …) × 8 field
  suffixes ("für Betriebstechnik", "im Einzelhandel" …), names in the male/female/neutral forms and a
  `search_text` built like the catalogue's. The regulation import is not used: it takes minutes and adds
  nothing the search reads (the search reads occupation id and the offer's own `search_text`).
- 20,000 companies with one training site each, at a postcode drawn uniformly from the ~8,300 postcodes
  of `ausbildung.core.geo` (postcodes are denser where people live, so this follows population roughly);
  the offer copies the site's postcode, city and coordinates (as `offers.services` does).
- 500,000 offers (BENCH_OFFERS): status published 90 %, draft 4 %, paused 3 %, closed 3 %; occupation
  Zipf-like (popular occupations have many offers); start date on 1 August or 1 September of the next two
  years (60 %) or any day of the next 730 days; certificate expected: none 30 %, esa 20 %, msa 35 %,
  fhr 10 %, ahr 5 %; places 1–5, a fifth of them full; deadline: none for half, else 30–180 days before
  the start (5 % already passed); `search_text` = normalised occupation names + company name + city +
  a description of 25–60 words from a 200-word vocabulary of training-ad German.

Query mix (single client, in-process, as the search page does: `search.offer_search(…, cap=RESULT_CAP + 1)`,
which ranks at most 1,001 candidates in one query, + `search.CappedPaginator` page 1 of 20 rows, which
reads those rows (the count is the number of candidates), + `offer_fit` of the 20 rows). Places:
half from 12 big cities, half a random postcode. Five kinds, N = 60 each (BENCH_QUERIES), interleaved
in a random order after 5 warm-up queries per kind:

1. text        – one or two words (an occupation stem, a field word or a description word, prefix match)
2. text_r25    – text + place + radius 25 km (sort fit, neutral seeker)
3. occ_r50_cert – occupation + place + radius 50 km + certificate filter
4. r_free_dist – place + radius 10/25/50/100 km + only free places, sorted by distance
5. text_r_fit  – text + place + radius 50 km + start window + certificate, sorted by fit for a seeker
                 with 3 interests, a certificate and a home postcode

Reported: p50/p95/p99 and max per kind and overall, the median number of hits per kind, and the host load
(`os.getloadavg`) before and after. BENCH_EXPLAIN=1 prints EXPLAIN (ANALYZE, BUFFERS) of every query of the page for
one example of each kind. The exit code is 0 when the overall p95 is within the target.
"""

from __future__ import annotations

import datetime
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.records_load import bench_env, cli, recreate_database, setup_django

TARGET_P95_MS = 100.0
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ausbildung_bench_offers"
PAGE_SIZE = 20
WARMUP_PER_KIND = 5
SEED = 20260

STEMS = [
    "Elektroniker",
    "Mechatroniker",
    "Kaufmann",
    "Fachinformatiker",
    "Tischler",
    "Koch",
    "Friseur",
    "Bäcker",
    "Maler und Lackierer",
    "Anlagenmechaniker",
    "Industriemechaniker",
    "Zerspanungsmechaniker",
    "Verkäufer",
    "Mediengestalter",
    "Hotelfachmann",
    "Konditor",
    "Fleischer",
    "Zimmerer",
    "Maurer",
    "Dachdecker",
    "Gärtner",
    "Landwirt",
    "Florist",
    "Augenoptiker",
    "Zahntechniker",
    "Kraftfahrzeugmechatroniker",
    "Fachlagerist",
    "Berufskraftfahrer",
    "Steuerfachangestellter",
    "Verwaltungsfachangestellter",
    "Chemielaborant",
    "Biologielaborant",
    "Glaser",
    "Schornsteinfeger",
    "Hörakustiker",
    "Systemelektroniker",
    "Metallbauer",
    "Fachkraft",
    "Technischer Produktdesigner",
    "Medizinischer Fachangestellter",
]
FIELDS = [
    "für Betriebstechnik",
    "für Büromanagement",
    "für Automatisierungstechnik",
    "im Einzelhandel",
    "für Systemintegration",
    "für Gebäudetechnik",
    "für Lagerlogistik",
    "im Handwerk",
]
VOCABULARY_TEXT = (
    "wir bieten dir eine abwechslungsreiche ausbildung in einem familiären team mit modernen werkzeugen "
    "und digitalen arbeitsplätzen du lernst alle bereiche unseres betriebs kennen von der planung über die "
    "fertigung bis zum kundendienst übernahme nach erfolgreicher prüfung ist unser ziel wir zahlen nach "
    "tarif mit urlaubsgeld weihnachtsgeld fahrtkostenzuschuss jobticket und betrieblicher altersvorsorge "
    "deine aufgaben montage wartung reparatur beratung verkauf kundenkontakt dokumentation qualitätsprüfung "
    "lager logistik buchhaltung einkauf disposition programmierung netzwerk server steuerung anlagen "
    "maschinen fahrzeuge werkstatt baustelle küche salon laden filiale büro labor praxis garten hof "
    "du bringst mit interesse an technik handwerk menschen zahlen sorgfalt zuverlässigkeit teamgeist "
    "freundlichkeit führerschein wünschenswert gute noten in mathematik deutsch physik chemie biologie "
    "englisch informatik wirtschaft berufsschule blockunterricht teilzeitunterricht überbetriebliche "
    "lehrgänge prüfungsvorbereitung azubi projekte messen ausflüge sport gesundheit kantine parkplatz "
    "flexible arbeitszeiten gleitzeit homeoffice laptop smartphone weiterbildung meister techniker studium "
    "duales aufstiegschancen sicherer arbeitsplatz traditionsbetrieb mittelstand konzern familienunternehmen "
    "region stadt land nähe bahnhof bus nachhaltigkeit umwelt energie solar wärmepumpe elektromobilität "
    "digitalisierung automatisierung robotik software daten sicherheit qualität kunden service"
)
VOCABULARY = VOCABULARY_TEXT.split()
CITY_POSTCODES = [
    "10115",
    "20095",
    "80331",
    "50667",
    "60311",
    "70173",
    "40210",
    "04109",
    "44135",
    "28195",
    "01067",
    "66111",
]
TEXT_QUERIES = [
    "elektroniker",
    "kaufm",
    "informatik",
    "tischler",
    "koch",
    "mechatron",
    "buero",
    "einzelhandel",
    "systemintegration",
    "lager",
    "baecker",
    "gaertner",
    "anlagen",
    "elektroniker betriebstechnik",
    "kaufmann einzelhandel",
    "fachkraft lagerlogistik",
    "solar",
    "robotik",
    "friseur",
    "maler",
]
KINDS = ["text", "text_r25", "occ_r50_cert", "r_free_dist", "text_r_fit"]


def database_url() -> str:
    return os.environ.get("BENCH_OFFERS_DATABASE_URL", DEFAULT_URL)


# --- data ----------------------------------------------------------------------------------------------------


def _occupation_rows() -> list[tuple[str, str, str, str, str]]:
    """(slug, name, name_male, name_female, search_text) of the generated occupations."""
    from ausbildung.core.search import normalise

    rows = []
    for stem in STEMS:
        for suffix in FIELDS:
            female_stem = stem[:-4] + "frau" if stem.endswith("mann") else f"{stem}in"
            male, female = f"{stem} {suffix}", f"{female_stem} {suffix}"
            name = f"{stem}/{female_stem} {suffix}"
            slug = normalise(f"bench {stem} {suffix}").replace(" ", "-")[:50]
            rows.append((slug, name, male, female, normalise(f"{name} {male} {female}")))
    return rows


def _copy(cursor, table: str, columns: list[str], rows) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def generate(offers: int) -> float:
    """Insert the generated data with COPY; returns the seconds taken (ANALYZE included)."""
    from django.db import connection
    from django.utils import timezone

    from ausbildung.core import geo
    from ausbildung.core.models import Occupation, Organisation, TrainingSite
    from ausbildung.core.search import normalise

    started = time.perf_counter()
    rng = random.Random(SEED)
    now = timezone.now()
    today = timezone.localdate()
    places = list(geo._index().by_postcode.values())

    Occupation.objects.bulk_create(
        [
            Occupation(
                slug=slug,
                name=name,
                name_male=male,
                name_female=female,
                search_text=text,
                duration_months=36,
                is_active=True,
            )
            for slug, name, male, female, text in _occupation_rows()
        ],
        batch_size=1000,
    )
    occupations = list(
        Occupation.objects.order_by("id").values_list("id", "name", "name_male", "name_female")
    )

    companies = []
    for number in range(20_000):
        place = rng.choice(places)
        companies.append(
            Organisation(
                kind=Organisation.Kind.COMPANY,
                name=f"{rng.choice(['Müller', 'Schmidt', 'Weber', 'Becker', 'Hoffmann', 'Wagner'])} "
                f"{rng.choice(['GmbH', 'KG', 'AG', 'e.K.', 'GmbH & Co. KG'])} {number}",
                postcode=place.postcode,
                city=place.name,
                latitude=place.lat,
                longitude=place.lon,
                created_at=now,
            )
        )
    Organisation.objects.bulk_create(companies, batch_size=5000)
    sites = [
        TrainingSite(
            company=company,
            name="Hauptsitz",
            postcode=company.postcode,
            city=company.city,
            latitude=company.latitude,
            longitude=company.longitude,
        )
        for company in companies
    ]
    TrainingSite.objects.bulk_create(sites, batch_size=5000)
    site_rows = [
        (site.pk, site.company_id, site.postcode, site.city, site.latitude, site.longitude, company.name)
        for site, company in zip(sites, companies, strict=True)
    ]

    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(occupations))]
    occupation_of = rng.choices(occupations, weights=weights, k=offers)
    statuses = rng.choices(["published", "draft", "paused", "closed"], weights=[90, 4, 3, 3], k=offers)
    certificates = rng.choices(["", "esa", "msa", "fhr", "ahr"], weights=[30, 20, 35, 10, 5], k=offers)
    columns = [
        "company_id",
        "site_id",
        "occupation_id",
        "title",
        "status",
        "start_date",
        "places",
        "places_taken",
        "certificate",
        "description",
        "requirements",
        "collective_agreement",
        "contact_name",
        "contact_email",
        "contact_phone",
        "deadline",
        "internship_possible",
        "trial_day_possible",
        "postcode",
        "city",
        "latitude",
        "longitude",
        "search_text",
        "source",
        "external_ref",
        "external_url",
        "created_at",
        "updated_at",
        "published_at",
    ]
    starts = [datetime.date(today.year + y, m, 1) for y in (0, 1, 2) for m in (8, 9)]
    starts = [d for d in starts if today < d <= today + datetime.timedelta(days=730)]

    def rows():
        for n in range(offers):
            site_id, company_id, postcode, city, lat, lon, company_name = rng.choice(site_rows)
            occupation_id, name, male, female = occupation_of[n]
            if rng.random() < 0.6 and starts:
                start = rng.choice(starts)
            else:
                start = today + datetime.timedelta(days=rng.randint(1, 730))
            places_n = rng.randint(1, 5)
            taken = places_n if rng.random() < 0.2 else rng.randint(0, places_n - 1)
            deadline = None
            if rng.random() < 0.5:
                if rng.random() < 0.05:
                    deadline = today - datetime.timedelta(days=rng.randint(1, 60))
                else:
                    deadline = max(today, start - datetime.timedelta(days=rng.randint(30, 180)))
            description = " ".join(rng.choices(VOCABULARY, k=rng.randint(25, 60)))
            text = normalise(" ".join((name, male, female, company_name, city, description)))
            yield (
                company_id,
                site_id,
                occupation_id,
                "",
                statuses[n],
                start,
                places_n,
                taken,
                certificates[n],
                description,
                "",
                False,
                "",
                "",
                "",
                deadline,
                False,
                False,
                postcode,
                city,
                lat,
                lon,
                text,
                "platform",
                "",
                "",
                now,
                now,
                now if statuses[n] != "draft" else None,
            )

    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        _copy(cursor, "offers_offer", columns, rows())
    connection.connection.commit()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


def offer_count() -> int:
    from ausbildung.offers.models import Offer

    return Offer.objects.count()


# --- queries -------------------------------------------------------------------------------------------------


def _place(rng: random.Random) -> str:
    from ausbildung.core import geo

    if rng.random() < 0.5:
        return rng.choice(CITY_POSTCODES)
    return rng.choice(geo._index().postcodes)


def make_query(kind: str, rng: random.Random, occupation_ids: list[int]):
    """(SearchParams, Seeker or None) of one query of the kind."""
    from django.utils import timezone

    from ausbildung.core import geo
    from ausbildung.offers import fit, search

    today = timezone.localdate()
    if kind == "text":
        return search.SearchParams(query=rng.choice(TEXT_QUERIES)), None
    if kind == "text_r25":
        return search.SearchParams(query=rng.choice(TEXT_QUERIES), place=_place(rng), radius_km=25), None
    if kind == "occ_r50_cert":
        # Popular and rare occupations alike (uniform over the catalogue).
        return search.SearchParams(
            occupation_id=rng.choice(occupation_ids),
            place=_place(rng),
            radius_km=50,
            certificate=rng.choice(["esa", "msa", "fhr", "ahr"]),
        ), None
    if kind == "r_free_dist":
        return search.SearchParams(
            place=_place(rng), radius_km=rng.choice([10, 25, 50, 100]), free_only=True, sort="distance"
        ), None
    home = geo.lookup(_place(rng))
    assert home is not None  # postcodes come from the same table
    seeker = fit.Seeker(
        interests=dict.fromkeys(rng.sample(occupation_ids, 3), 1.0),
        certificate=rng.choice(["esa", "msa", "fhr", "ahr"]),
        latitude=home.lat,
        longitude=home.lon,
    )
    return search.SearchParams(
        query=rng.choice(TEXT_QUERIES),
        radius_km=50,
        start_from=today + datetime.timedelta(days=rng.randint(0, 200)),
        start_until=today + datetime.timedelta(days=rng.randint(300, 700)),
        certificate=seeker.certificate,
        sort="fit",
    ), seeker


def run_query(params, seeker) -> tuple[float, int]:
    """Milliseconds for page 1 (20 rows) and the capped count, fits included; and the number of hits
    (at most RESULT_CAP, as the page shows)."""
    from ausbildung.offers import search

    started = time.perf_counter()
    result = search.offer_search(params, seeker=seeker, cap=search.RESULT_CAP + 1)
    page = search.CappedPaginator(result.offers, PAGE_SIZE).get_page(1)
    for offer in page.object_list:
        search.offer_fit(offer, result.seeker)
    hits = page.paginator.count
    return (time.perf_counter() - started) * 1000, hits


def explain(params, seeker) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of every query the search page runs (candidates, count, page, related), in one
    transaction that also replays the page's settings (`SET LOCAL jit = off` of the candidate queries)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run_query(params, seeker)
    with transaction.atomic():
        for number, query in enumerate(captured.captured_queries, 1):
            sql = query["sql"]
            if sql.startswith("SET "):
                with connection.cursor() as cursor:
                    cursor.execute(sql)
            if not sql.startswith("SELECT"):  # the search's own estimate (`search._rare`), BEGIN, SET …
                print(f"    query {number} ({query['time']} s): {sql[:60]}…")
                continue
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                plan = "\n      ".join(row[0] for row in cursor.fetchall())
            print(f"    query {number} ({query['time']} s): {plan}")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def measure(per_kind: int) -> tuple[dict[str, list[float]], dict[str, list[int]]]:
    from ausbildung.core.models import Occupation

    occupation_ids = list(Occupation.objects.values_list("id", flat=True))
    rng = random.Random(SEED + 1)
    for kind in KINDS:
        for _ in range(WARMUP_PER_KIND):
            run_query(*make_query(kind, rng, occupation_ids))
    plan = [kind for kind in KINDS for _ in range(per_kind)]
    rng.shuffle(plan)
    times: dict[str, list[float]] = {kind: [] for kind in KINDS}
    hits: dict[str, list[int]] = {kind: [] for kind in KINDS}
    for kind in plan:
        ms, count = run_query(*make_query(kind, rng, occupation_ids))
        times[kind].append(ms)
        hits[kind].append(count)
    if os.environ.get("BENCH_EXPLAIN"):
        for kind in KINDS:
            print(f"  EXPLAIN {kind}:")
            explain(*make_query(kind, rng, occupation_ids))
    return times, hits


def _line(label: str, values: list[float], extra: str = "") -> str:
    return (
        f"  {label:<13} n={len(values):>4}  p50 {percentile(values, 0.5):7.1f}  p95 {percentile(values, 0.95):7.1f}"
        f"  p99 {percentile(values, 0.99):7.1f}  max {max(values):7.1f} ms{extra}"
    )


def run(url: str, env: dict[str, str], *, reuse: bool) -> int:
    offers = int(os.environ.get("BENCH_OFFERS", "500000"))
    per_kind = int(os.environ.get("BENCH_QUERIES", "60"))
    # A reused database is migrated too, so that it carries the indexes of migrations added since.
    seconds = cli(["manage", "migrate", "--noinput"], env)
    print(f"offers-search: migrated {'the reused' if reuse else 'a fresh'} database in {seconds:.1f} s")
    setup_django(env)
    if reuse:
        print(f"offers-search: reusing {offer_count():,} offers in {url.rsplit('/', 1)[-1]}")
    else:
        seconds = generate(offers)
        print(
            f"offers-search: generated {offer_count():,} offers (COPY, then VACUUM ANALYZE) in {seconds:.1f} s"
        )
    load_before = os.getloadavg()
    times, hits = measure(per_kind)
    load_after = os.getloadavg()
    print(
        f"offers-search: {len(KINDS)} kinds × {per_kind} queries, single client, page of {PAGE_SIZE} + count "
        f"(load average before {load_before[0]:.2f}, after {load_after[0]:.2f}; {os.cpu_count()} CPUs)"
    )
    for kind in KINDS:
        over = "  OVER TARGET" if percentile(times[kind], 0.95) > TARGET_P95_MS else ""
        print(_line(kind, times[kind], f"  hits median {statistics.median(hits[kind]):,.0f}{over}"))
    everything = [ms for values in times.values() for ms in values]
    p95 = percentile(everything, 0.95)
    print(_line("overall", everything))
    verdict = "within" if p95 <= TARGET_P95_MS else "OVER"
    print(f"offers-search: overall p95 {p95:.1f} ms, {verdict} the target of {TARGET_P95_MS:.0f} ms")
    return 0 if p95 <= TARGET_P95_MS else 1


def _reusable(url: str, offers: int) -> bool:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            row = conn.execute("SELECT count(*) FROM offers_offer").fetchone()
    except Exception:  # no database or no table: generate
        return False
    return row is not None and row[0] == offers


def main() -> int:
    from django.apps import apps

    if apps.ready:
        # Django already runs against some database here: measure in a clean process instead.
        root = Path(__file__).resolve().parents[1]
        return subprocess.run(
            [sys.executable, "-m", "bench.offers_search"], cwd=root, env=dict(os.environ), check=False
        ).returncode
    url = database_url()
    if url.rstrip("/").rsplit("/", 1)[-1] in {"test", "postgres"}:
        raise SystemExit(f"BENCH_OFFERS_DATABASE_URL must name a scratch database: {url!r}")
    keep = bool(os.environ.get("BENCH_KEEP"))
    env = bench_env(url)
    saved_environ = dict(os.environ)
    reuse = keep and _reusable(url, int(os.environ.get("BENCH_OFFERS", "500000")))
    if not reuse:
        recreate_database(url)
    try:
        return run(url, env, reuse=reuse)
    finally:
        os.environ.clear()
        os.environ.update(saved_environ)
        try:
            from django.db import connections

            connections.close_all()
        except Exception as error:  # clean-up must not hide the result
            print(f"offers-search: closing connections failed: {error}", file=sys.stderr)
        if not keep:
            recreate_database(url, create=False)


if __name__ == "__main__":
    sys.exit(main())
