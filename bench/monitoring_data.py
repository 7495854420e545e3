"""A national-scale data set for the monitoring pages (issue #19), generated on PostgreSQL with set-based SQL.

`generate(scale, seed)` fills an empty, migrated PostgreSQL database (Django already set up against it): the
small reference tables (regions, occupations, chambers) through the ORM, every large table with one
`INSERT … SELECT … FROM generate_series` each, so no row passes through Python. Scale 1.0 took 824 s on the
shared 2-vCPU VM, most of it in index maintenance (docs/performance.md, "Monitoring at national scale").
Bench data only: names are made up, figures are not statistics.

At scale 1.0 (every count below is multiplied by `scale`, the regions and chambers excepted):

- Regions: the 16 Länder of `data/regions.json` and every Kreis of `data/postcodes.csv` (the distinct
  `kreis_ars`, ~400), named as in `regions.json` where it has the Kreis, else after the most common place of
  the Kreis's postcodes, else "Kreis <code>". Places are drawn from the ~8,300 postcodes, so a Kreis gets
  companies, schools and sites in proportion to its number of postcodes (denser where people live).
- 320 occupations (generated names, `bench.offers_search`), popular ones drawn more often (Zipf-like).
- An IHK and an HWK per Land (district: the Land), the competent chamber of the companies of their Land.
- 60,000 companies, one training site each and a second one for a tenth of them; 10,000 general schools.
- 1,500,000 apprentices (users without memberships: minimal rows) and 1,500,000 training contracts: 94 % first
  contracts starting in the last three training years (80 % on 1 August or 1 September or a day of those
  months, else any day from the October before to July), entered 1–9 months before the start; 37.5 % drawn
  for dissolution (a third within probation, the rest over the two years after it; a dissolution that would
  lie in the future is not made, so recent cohorts show fewer and about a quarter of all are dissolved), the
  others active or completed; 6 % re-entries: a second
  contract of an apprentice whose first one was dissolved, starting 2 weeks to 6 months later.
- 500,000 offers: platform 85 % / BA 15 %; published 55 % (a fifth of them with every place taken),
  closed 40 %, paused 3 %, draft 2 %; 1–5 places.
- 450,000 applicants (the first apprentices) with 1–8 applications each: for 60 % one accepted application
  linked to their first contract, the others declined or withdrawn; the rest sent, invited, offered,
  declined, withdrawn or draft.
- 700,000 destinations (Verbleib) of school leavers over three leaving years: 40 % training, linked to the
  first contract of an apprentice who left school before it started; the others of new pupils (users)
  with further school, university, EQ, transition measure, work, voluntary service or unknown; a tenth
  without an actual destination yet.

The generator is seeded (PostgreSQL `setseed` and serial plans), so the same scale and seed give the same data.
"""

from __future__ import annotations

import collections
import csv
import datetime
import importlib
import json
import time
from pathlib import Path

SEARCH_TRIGGER = "offers_offer_search_write"
DATA_DIR = Path(__file__).resolve().parents[1] / "src" / "ausbildung" / "data"

COMPANIES = 60_000
SCHOOLS = 10_000
APPRENTICES = 1_500_000
CONTRACTS = 1_500_000
RE_ENTRY_SHARE = 0.06
DISSOLVED_SHARE = 0.375
OFFERS = 500_000
APPLICANTS = 450_000
DESTINATIONS = 700_000
TRAINING_DESTINATION_SHARE = 0.40

# Tables whose identity sequence is moved past the explicit ids given here.
TABLES = [
    "core_organisation",
    "core_trainingsite",
    "core_user",
    "core_trainingcontract",
    "offers_offer",
    "offers_application",
    "transition_destination",
]


def _kreise() -> list[dict]:
    """One dict per Kreis of postcodes.csv: code, name, land code and its postcodes (postcode, place, lat, lon)."""
    official = {
        k["code"]: k["name"]
        for k in json.loads((DATA_DIR / "regions.json").read_text(encoding="utf-8"))["kreise"]
    }
    postcodes: dict[str, list[tuple[str, str, float, float]]] = collections.defaultdict(list)
    with (DATA_DIR / "postcodes.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["kreis_ars"]:
                postcodes[row["kreis_ars"]].append(
                    (row["postcode"], row["place"], float(row["lat"]), float(row["lon"]))
                )
    result = []
    for code in sorted(postcodes):
        places = collections.Counter(place for _pc, place, _lat, _lon in postcodes[code])
        name = official.get(code) or (places.most_common(1)[0][0] if places else f"Kreis {code}")
        result.append({"code": code, "name": name, "land": code[:2], "postcodes": postcodes[code]})
    return result


def _regions(kreise: list[dict]) -> dict[str, int]:
    """The Länder and Kreise as Region rows; returns region id by code."""
    from ausbildung.core.models import Region

    laender = json.loads((DATA_DIR / "regions.json").read_text(encoding="utf-8"))["laender"]
    Region.objects.bulk_create(
        [Region(code=x["code"], name=x["name"], level=Region.Level.LAND, iso_code=x["iso"]) for x in laender]
    )
    land_ids = dict(Region.objects.filter(level=Region.Level.LAND).values_list("code", "pk"))
    Region.objects.bulk_create(
        [
            Region(code=k["code"], name=k["name"], level=Region.Level.KREIS, parent_id=land_ids[k["land"]])
            for k in kreise
        ]
    )
    return dict(Region.objects.values_list("code", "pk"))


def _occupations() -> None:
    from ausbildung.core.models import Occupation
    from bench.offers_search import _occupation_rows

    Occupation.objects.bulk_create(
        [
            Occupation(
                slug=slug,
                name=name,
                name_male=male,
                name_female=female,
                search_text=text,
                duration_months=(36, 36, 42, 24)[number % 4],
                recognised_under=("bbig", "hwo", "bbig+hwo")[number % 3],
                is_active=True,
            )
            for number, (slug, name, male, female, text) in enumerate(_occupation_rows())
        ]
    )


def _chambers(region_ids: dict[str, int]) -> None:
    """An IHK and an HWK per Land, each with the Land as its district."""
    from ausbildung.core.models import Organisation

    laender = [code for code in region_ids if len(code) == 2]
    kinds = [(Organisation.ChamberKind.IHK, "IHK"), (Organisation.ChamberKind.HWK, "HWK")]
    chambers = Organisation.objects.bulk_create(
        [
            Organisation(
                kind=Organisation.Kind.CHAMBER,
                chamber_kind=kind,
                name=f"Bench-{label} {code}",
                region_id=region_ids[code],
            )
            for code in laender
            for kind, label in kinds
        ]
    )
    through = Organisation.district.through
    through.objects.bulk_create(
        [through(organisation_id=c.pk, region_id=c.region_id) for c in chambers]  # type: ignore[call-arg]
    )


def _execute(cursor, label: str, sql: str, params: dict | None = None) -> None:
    started = time.perf_counter()
    cursor.execute(sql, params or {})
    print(f"  {label:<34} {cursor.rowcount:>10,} rows  {time.perf_counter() - started:6.1f} s", flush=True)


def _sync(cursor, table: str) -> None:
    """Move the table's identity sequence past the explicit ids just inserted."""
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
    )


def _offset(cursor, table: str) -> int:
    cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")  # noqa: S608 - a constant table name
    return int(cursor.fetchone()[0])


def _offers(cursor, params: dict) -> None:
    """Offers, their status, places and dates (see the module docstring)."""
    _execute(
        cursor,
        "offers",
        """WITH drawn AS (
             SELECT g, 1 + floor(%(companies)s * power(random(), 2))::int AS ci,
                    1 + floor(%(nocc)s * power(random(), 2))::int AS oi,
                    random() AS r_status, random() AS r_source, random() AS r_taken, random() AS r_chamber,
                    1 + floor(random() * 5)::int AS places, %(y0)s + floor(random() * 4)::int AS y,
                    random() AS r_month, random() AS r_created
             FROM generate_series(1, %(offers)s) g),
           shaped AS (
             SELECT d.*, CASE WHEN r_status < 0.55 THEN 'published' WHEN r_status < 0.95 THEN 'closed'
                              WHEN r_status < 0.98 THEN 'paused' ELSE 'draft' END AS status,
                    make_date(y, CASE WHEN r_month < 0.6 THEN 8 ELSE 9 END, 1) AS start
             FROM drawn d)
           INSERT INTO offers_offer (id, company_id, site_id, occupation_id, chamber_id, title, status,
               start_date, places, places_taken, certificate, description, requirements,
               collective_agreement, contact_name, contact_email, contact_phone, internship_possible,
               trial_day_possible, postcode, city, latitude, longitude, search_text, source, external_ref,
               external_url, created_at, updated_at, published_at)
           SELECT %(offer)s + s.g, c.id, c.site, bo.id, CASE WHEN s.r_chamber < 0.7 THEN c.ihk ELSE c.hwk END,
               '', s.status, s.start, s.places,
               CASE WHEN s.status = 'closed' OR (s.status = 'published' AND s.r_taken < 0.2) THEN s.places
                    ELSE floor(s.r_taken * s.places)::int END,
               '', '', '', false, '', '', '', false, false, c.postcode, c.city, c.latitude, c.longitude,
               bo.search_text || ' '
                 || replace(replace(replace(replace(lower(c.city), 'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'ß', 'ss'),
               CASE WHEN s.r_source < 0.85 THEN 'platform' ELSE 'ba' END,
               CASE WHEN s.r_source < 0.85 THEN '' ELSE 'bench-ba-' || s.g END, '',
               least(now(), s.start - make_interval(days => 30 + floor(s.r_created * 300)::int)), now(),
               CASE WHEN s.status <> 'draft'
                 THEN least(now(), s.start - make_interval(days => 29 + floor(s.r_created * 300)::int)) END
           FROM shaped s JOIN bench_company c ON c.i = s.ci JOIN bench_occ bo ON bo.i = s.oi
           ORDER BY s.g""",
        params,
    )


def generate(scale: float = 1.0, seed: int = 7) -> dict[str, int]:
    """Fill the empty migrated database Django is set up against; print row counts and the time taken, return
    the row count of every table written."""
    from django.db import connection
    from django.utils import timezone

    search_table = importlib.import_module("ausbildung.offers.migrations.0009_offer_search_table")
    started = time.perf_counter()
    today = timezone.localdate()
    # The three latest training years that have begun (a training year starts on 1 August).
    last_start_year = today.year if today >= datetime.date(today.year, 8, 1) else today.year - 1
    n = {
        "companies": max(50, round(COMPANIES * scale)),
        "schools": max(20, round(SCHOOLS * scale)),
        "apprentices": max(100, round(APPRENTICES * scale)),
        "contracts": max(100, round(CONTRACTS * scale)),
        "offers": max(100, round(OFFERS * scale)),
        "applicants": max(50, round(APPLICANTS * scale)),
        "destinations": max(100, round(DESTINATIONS * scale)),
    }
    n["re_entries"] = round(n["contracts"] * RE_ENTRY_SHARE)
    n["first_contracts"] = min(n["contracts"] - n["re_entries"], n["apprentices"])
    n["applicants"] = min(n["applicants"], n["first_contracts"])
    n["training_destinations"] = min(
        round(n["destinations"] * TRAINING_DESTINATION_SHARE), n["first_contracts"]
    )
    n["pupils"] = n["destinations"] - n["training_destinations"]

    kreise = _kreise()
    region_ids = _regions(kreise)
    _occupations()
    _chambers(region_ids)
    print(
        f"monitoring-data: {len(region_ids)} regions, occupations and chambers in {time.perf_counter() - started:.1f} s"
    )

    with connection.cursor() as cursor:
        cursor.execute("SET max_parallel_workers_per_gather = 0")  # one serial plan: random() is seeded
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SELECT setseed(%s)", [((seed * 7919) % 2000) / 1000 - 1])
        cursor.execute(
            "CREATE TEMP TABLE bench_pc (i int PRIMARY KEY, postcode text, place text, region_id bigint, land text, lat float8, lon float8)"
        )
        pc_rows = [(region_ids[k["code"]], k["land"], *place) for k in kreise for place in k["postcodes"]]
        with cursor.cursor.copy(
            "COPY bench_pc (i, region_id, land, postcode, place, lat, lon) FROM STDIN"
        ) as copy:
            for i, (region_id, land, postcode, place, lat, lon) in enumerate(pc_rows, 1):
                copy.write_row((i, region_id, land, postcode, place, lat, lon))
        cursor.execute(
            """CREATE TEMP TABLE bench_chamber AS
               SELECT r.code AS land,
                      max(o.id) FILTER (WHERE o.chamber_kind = 'ihk') AS ihk,
                      max(o.id) FILTER (WHERE o.chamber_kind = 'hwk') AS hwk
               FROM core_organisation o JOIN core_region r ON r.id = o.region_id
               WHERE o.kind = 'chamber' GROUP BY r.code"""
        )
        cursor.execute("SELECT count(*) FROM core_occupation")
        occ_count = cursor.fetchone()[0]
        cursor.execute(
            "CREATE TEMP TABLE bench_occ AS SELECT row_number() OVER (ORDER BY id) AS i, id, search_text "
            "FROM core_occupation"
        )
        cursor.execute("CREATE UNIQUE INDEX ON bench_occ (i)")
        params = {
            "npc": len(pc_rows),
            "nocc": occ_count,
            "today": today,
            "y0": last_start_year - 2,
            **n,
        }

        # --- companies, sites, schools -------------------------------------------------------------------
        params["org"] = _offset(cursor, "core_organisation")
        params["site"] = _offset(cursor, "core_trainingsite")
        _execute(
            cursor,
            "companies",
            """INSERT INTO core_organisation (id, kind, name, chamber_kind, street, postcode, city, region_id,
                   latitude, longitude, email, phone, website, is_active, created_at, competent_chamber_id,
                   verified_at, verification, verification_note)
               SELECT %(org)s + s.g, 'company', 'Bench-Betrieb ' || s.g, '', '', pc.postcode, pc.place,
                   pc.region_id, pc.lat, pc.lon, '', '', '', true, now() - interval '6 years', ch.ihk,
                   now() - interval '6 years', 'existing', ''
               FROM (SELECT g, 1 + floor(random() * %(npc)s)::int AS p FROM generate_series(1, %(companies)s) g) s
               JOIN bench_pc pc ON pc.i = s.p JOIN bench_chamber ch ON ch.land = pc.land
               ORDER BY s.g""",
            params,
        )
        cursor.execute(
            """CREATE TEMP TABLE bench_company AS
               SELECT o.id - %(org)s AS i, o.id, o.id - %(org)s + %(site)s AS site, o.postcode, o.city,
                      o.latitude, o.longitude, o.region_id, ch.ihk, ch.hwk
               FROM core_organisation o JOIN core_region r ON r.id = o.region_id
               JOIN bench_chamber ch ON ch.land = left(r.code, 2)
               WHERE o.kind = 'company'""",
            params,
        )
        _sync(cursor, "core_organisation")
        cursor.execute("CREATE UNIQUE INDEX ON bench_company (i)")
        _execute(
            cursor,
            "training sites",
            """INSERT INTO core_trainingsite (id, company_id, name, street, postcode, city, region_id, latitude,
                   longitude, is_active)
               SELECT site, id, 'Hauptsitz', '', postcode, city, region_id, latitude, longitude, true
               FROM bench_company ORDER BY i""",
        )
        _sync(cursor, "core_trainingsite")
        _execute(
            cursor,
            "second training sites",
            """INSERT INTO core_trainingsite (company_id, name, street, postcode, city, region_id, latitude,
                   longitude, is_active)
               SELECT c.id, 'Zweigstelle', '', pc.postcode, pc.place, pc.region_id, pc.lat, pc.lon, true
               FROM (SELECT i, 1 + floor(random() * %(npc)s)::int AS p FROM bench_company
                     WHERE random() < 0.1 ORDER BY i) s
               JOIN bench_company c ON c.i = s.i JOIN bench_pc pc ON pc.i = s.p""",
            params,
        )
        params["school"] = _offset(cursor, "core_organisation")
        _execute(
            cursor,
            "schools",
            """INSERT INTO core_organisation (id, kind, name, chamber_kind, street, postcode, city, region_id,
                   latitude, longitude, email, phone, website, is_active, created_at, verification,
                   verification_note)
               SELECT %(school)s + s.g, 'school', 'Bench-Schule ' || s.g, '', '', pc.postcode, pc.place,
                   pc.region_id, pc.lat, pc.lon, '', '', '', true, now() - interval '6 years', '', ''
               FROM (SELECT g, 1 + floor(random() * %(npc)s)::int AS p FROM generate_series(1, %(schools)s) g) s
               JOIN bench_pc pc ON pc.i = s.p ORDER BY s.g""",
            params,
        )

        # --- people ------------------------------------------------------------------------------------------
        params["user"] = _offset(cursor, "core_user")
        _execute(
            cursor,
            "users (apprentices and pupils)",
            """INSERT INTO core_user (id, password, is_superuser, username, first_name, last_name, email,
                   is_staff, is_active, date_joined, date_of_birth)
               SELECT %(user)s + g, '!', false, 'bench-' || g, '', '', '', false, true, now() - interval '4 years',
                   date '2002-01-01' + floor(random() * 3650)::int
               FROM generate_series(1, %(apprentices)s + %(pupils)s) g""",
            params,
        )

        # --- contracts -------------------------------------------------------------------------------------
        params["contract"] = _offset(cursor, "core_trainingcontract")
        # start: the reporting year's cohort (80 % in August or September, half of those on the 1st), else
        # any day from 1 October before to 31 July; end: start + the occupation's months - 1 day; probation
        # 1-4 months (BBiG § 20); dissolution drawn, kept only when it is not in the future.
        _execute(
            cursor,
            "first contracts",
            """WITH drawn AS (
                 SELECT g, %(y0)s + floor(random() * 3)::int AS y, random() AS r_start, random() AS r_day,
                        1 + floor(%(companies)s * power(random(), 2.5))::int AS ci,
                        1 + floor(%(nocc)s * power(random(), 2))::int AS oi,
                        random() AS r_chamber, random() AS r_created, random() AS r_dissolve,
                        random() AS r_when, 1 + floor(random() * 4)::int AS probation_months
                 FROM generate_series(1, %(first_contracts)s) g),
               dated AS (
                 SELECT d.*, CASE
                     WHEN r_start < 0.4 THEN make_date(y, 8, 1)
                     WHEN r_start < 0.6 THEN make_date(y, 9, 1)
                     WHEN r_start < 0.8 THEN make_date(y, 8, 1) + floor(r_day * 61)::int
                     ELSE make_date(y - 1, 10, 1) + floor(r_day * 304)::int END AS start
                 FROM drawn d),
               full_rows AS (
                 SELECT d.*, o.duration_months,
                   (d.start + make_interval(months => d.probation_months) - interval '1 day')::date AS probation_end,
                   CASE WHEN d.r_dissolve < %(dissolved)s / 3 THEN
                          d.start + floor(d.r_when * d.probation_months * 30)::int
                        WHEN d.r_dissolve < %(dissolved)s THEN
                          (d.start + make_interval(months => d.probation_months))::date + floor(d.r_when * 730)::int
                   END AS dissolve_on
                 FROM dated d JOIN bench_occ bo ON bo.i = d.oi JOIN core_occupation o ON o.id = bo.id)
               INSERT INTO core_trainingcontract (id, apprentice_id, company_id, site_id, occupation_id,
                   start_date, end_date, probation_end, chamber_id, chamber_registration_number, record_form,
                   record_medium, duration_reason, status, dissolved_on, created_at, updated_at)
               SELECT %(contract)s + f.g, %(user)s + f.g, c.id, c.site, bo.id, f.start,
                   (f.start + make_interval(months => coalesce(f.duration_months, 36)) - interval '1 day')::date,
                   f.probation_end, CASE WHEN f.r_chamber < 0.7 THEN c.ihk ELSE c.hwk END, '', 'weekly',
                   'electronic', '',
                   CASE WHEN f.dissolve_on <= %(today)s THEN 'dissolved'
                        WHEN (f.start + make_interval(months => coalesce(f.duration_months, 36))) <= %(today)s
                          THEN 'completed'
                        ELSE 'active' END,
                   CASE WHEN f.dissolve_on <= %(today)s THEN f.dissolve_on END,
                   least(now(), f.start - make_interval(days => 30 + floor(f.r_created * 240)::int)),
                   now()
               FROM full_rows f JOIN bench_company c ON c.i = f.ci JOIN bench_occ bo ON bo.i = f.oi
               ORDER BY f.g""",
            {**params, "dissolved": DISSOLVED_SHARE},
        )
        _sync(cursor, "core_trainingcontract")
        _execute(
            cursor,
            "re-entry contracts",
            """WITH candidates AS (
                 SELECT t.apprentice_id, t.dissolved_on,
                        t.dissolved_on + 14 + floor(random() * 170)::int AS start,
                        1 + floor(%(companies)s * power(random(), 2.5))::int AS ci,
                        1 + floor(%(nocc)s * power(random(), 2))::int AS oi, random() AS r
                 FROM core_trainingcontract t WHERE t.status = 'dissolved' ORDER BY t.id),
               chosen AS (
                 SELECT * FROM candidates WHERE start <= %(today)s ORDER BY r LIMIT %(re_entries)s)
               INSERT INTO core_trainingcontract (apprentice_id, company_id, site_id, occupation_id,
                   start_date, end_date, probation_end, chamber_id, chamber_registration_number, record_form,
                   record_medium, duration_reason, status, created_at, updated_at)
               SELECT ch.apprentice_id, c.id, c.site, bo.id, ch.start,
                   (ch.start + make_interval(months => coalesce(o.duration_months, 36)) - interval '1 day')::date,
                   (ch.start + interval '4 months' - interval '1 day')::date,
                   CASE WHEN ch.r < 0.7 THEN c.ihk ELSE c.hwk END, '', 'weekly', 'electronic', '',
                   CASE WHEN (ch.start + make_interval(months => coalesce(o.duration_months, 36))) <= %(today)s
                     THEN 'completed' ELSE 'active' END,
                   greatest(ch.dissolved_on::timestamptz, ch.start - interval '45 days'), now()
               FROM chosen ch JOIN bench_company c ON c.i = ch.ci JOIN bench_occ bo ON bo.i = ch.oi
               JOIN core_occupation o ON o.id = bo.id ORDER BY ch.apprentice_id""",
            params,
        )

        # --- offers and applications -------------------------------------------------------------------------
        params["offer"] = _offset(cursor, "offers_offer")
        # The search table's trigger (offers migration 0009) would run once per row; it is switched off for
        # the insert and the rows are written afterwards in one statement, as the migration fills the table.
        cursor.execute(f"ALTER TABLE offers_offer DISABLE TRIGGER {SEARCH_TRIGGER}")
        try:
            _offers(cursor, params)
        finally:
            cursor.execute(f"ALTER TABLE offers_offer ENABLE TRIGGER {SEARCH_TRIGGER}")
        _sync(cursor, "offers_offer")
        _execute(
            cursor,
            "offers' search rows",
            f"""INSERT INTO {search_table.TABLE} (offer_id, {", ".join(search_table.COLUMNS)}, words, lexemes)
               SELECT o.id, {", ".join(f"o.{column}" for column in search_table.COLUMNS)}, t.words, t.lexemes
               FROM offers_offer o CROSS JOIN LATERAL offers_offer_search_text(o.search_text) AS t
               WHERE o.status = 'published' AND o.id > %(offer)s ORDER BY o.id""",  # noqa: S608 - the migration's names
            params,
        )

        # One row per (applicant, k): the first application of an accepting applicant is the accepted one,
        # linked to the applicant's first contract; duplicates of (offer, applicant) are skipped.
        _execute(
            cursor,
            "applications",
            """WITH applicants AS (
                 SELECT a, 1 + floor(random() * 8)::int AS k, random() < 0.6 AS accepts
                 FROM generate_series(1, %(applicants)s) a),
               rows AS (
                 SELECT p.a, p.accepts, s.k, 1 + floor(random() * %(offers)s)::int AS oi, random() AS r,
                        random() AS r_days
                 FROM applicants p CROSS JOIN LATERAL generate_series(1, p.k) s(k))
               INSERT INTO offers_application (offer_id, applicant_id, state, message, contract_id, sent_at,
                   interview_status, interview_place, interview_online, created_at, updated_at)
               SELECT %(offer)s + r.oi, %(user)s + r.a,
                   CASE WHEN r.accepts AND r.k = 1 THEN 'accepted'
                        WHEN r.accepts THEN CASE WHEN r.r < 0.6 THEN 'declined' ELSE 'withdrawn' END
                        WHEN r.r < 0.05 THEN 'draft' WHEN r.r < 0.40 THEN 'sent' WHEN r.r < 0.55 THEN 'invited'
                        WHEN r.r < 0.60 THEN 'offered' WHEN r.r < 0.90 THEN 'declined' ELSE 'withdrawn' END,
                   '', CASE WHEN r.accepts AND r.k = 1 THEN %(contract)s + r.a END,
                   CASE WHEN r.accepts OR r.r >= 0.05 THEN now() - make_interval(days => 1 + floor(r.r_days * 900)::int) END,
                   '', '', false, now() - make_interval(days => 2 + floor(r.r_days * 900)::int), now()
               FROM rows r ORDER BY r.a, r.k
               ON CONFLICT DO NOTHING""",
            params,
        )

        # --- destinations (Verbleib) ------------------------------------------------------------------------
        # Training: the first contracts of the apprentices 1..training_destinations, the leaver left school
        # in the summer before the start (school year of the leaving date, e.g. 2025/26 for July 2026).
        _execute(
            cursor,
            "destinations (training)",
            """WITH t AS (
                 SELECT c.id, c.apprentice_id, c.start_date, c.status,
                        make_date(extract(year FROM c.start_date - 61)::int, 7, 1)
                          - floor(random() * 30)::int AS leaving, random() AS r,
                        1 + floor(random() * %(schools)s)::int AS si
                 FROM core_trainingcontract c
                 WHERE c.id BETWEEN %(contract)s + 1 AND %(contract)s + %(training_destinations)s ORDER BY c.id)
               INSERT INTO transition_destination (pupil_id, school_id, class_label, school_year, leaving_date,
                   planned_kind, planned_note, actual_kind, actual_since, contract_id, updated_at)
               SELECT t.apprentice_id, %(school)s + t.si, '10a',
                   (extract(year FROM t.leaving)::int - 1) || '/' || lpad((extract(year FROM t.leaving)::int %% 100)::text, 2, '0'),
                   t.leaving, CASE WHEN t.r < 0.8 THEN 'training' ELSE 'further_school' END, '', 'training',
                   t.start_date, t.id, now()
               FROM t""",
            params,
        )
        _execute(
            cursor,
            "destinations (other kinds)",
            """WITH p AS (
                 SELECT g, %(y0)s + floor(random() * 3)::int AS y, random() AS r_kind, random() AS r_plan,
                        random() AS r_day, 1 + floor(random() * %(schools)s)::int AS si
                 FROM generate_series(1, %(pupils)s) g),
               k AS (
                 SELECT p.*, make_date(y, 6, 15) + floor(r_day * 45)::int AS leaving,
                   CASE WHEN r_kind < 0.42 THEN 'further_school' WHEN r_kind < 0.55 THEN 'university'
                        WHEN r_kind < 0.60 THEN 'eq' WHEN r_kind < 0.77 THEN 'transition_measure'
                        WHEN r_kind < 0.84 THEN 'work' WHEN r_kind < 0.89 THEN 'voluntary_service'
                        ELSE 'unknown' END AS kind
                 FROM p)
               INSERT INTO transition_destination (pupil_id, school_id, class_label, school_year, leaving_date,
                   planned_kind, planned_note, actual_kind, actual_since, updated_at)
               SELECT %(user)s + %(apprentices)s + k.g, %(school)s + k.si, '10b', (k.y - 1) || '/' || lpad((k.y %% 100)::text, 2, '0'),
                   k.leaving, CASE WHEN k.r_plan < 0.7 THEN k.kind WHEN k.r_plan < 0.9 THEN 'training' ELSE '' END,
                   '', CASE WHEN k.r_plan < 0.9 THEN k.kind ELSE '' END,
                   CASE WHEN k.r_plan < 0.9 THEN k.leaving + 45 END, now()
               FROM k ORDER BY k.g""",
            params,
        )
        for table in TABLES:
            _sync(cursor, table)
        cursor.execute("DROP TABLE bench_pc, bench_chamber, bench_occ, bench_company")
    analysed = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"  {'VACUUM ANALYZE':<34} {'':>10}       {time.perf_counter() - analysed:6.1f} s")
    counts = row_counts()
    for table, count in counts.items():
        print(f"  {table:<34} {count:>10,}")
    print(f"monitoring-data: scale {scale}, seed {seed}: generated in {time.perf_counter() - started:.1f} s")
    return counts


def row_counts() -> dict[str, int]:
    """Rows of the tables the generator writes, and the dissolved and re-entry contracts."""
    from django.db import connection

    counts = {}
    with connection.cursor() as cursor:
        for table in ["core_region", "core_occupation", *TABLES]:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - a constant table name
            counts[table] = int(cursor.fetchone()[0])
        cursor.execute("SELECT count(*) FROM core_trainingcontract WHERE status = 'dissolved'")
        counts["contracts dissolved"] = int(cursor.fetchone()[0])
        cursor.execute(
            "SELECT count(*) FROM (SELECT apprentice_id FROM core_trainingcontract GROUP BY apprentice_id "
            "HAVING count(*) > 1) s"
        )
        counts["apprentices with a re-entry"] = int(cursor.fetchone()[0])
        cursor.execute("SELECT count(*) FROM offers_application WHERE contract_id IS NOT NULL")
        counts["applications linked to a contract"] = int(cursor.fetchone()[0])
    return counts
