"""The monitoring pages (issue #19) over a national-scale data set on PostgreSQL (target: p95 ≤ 300 ms per page).

`make bench BENCH=monitoring` (or `python -m bench monitoring`):

1. Database: BENCH_MONITORING_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/bench_monitoring (never
   `test` or `postgres`). No PostgreSQL answering there: one line, exit code 2.
2. Data: `bench.monitoring_data.generate(scale)` once (BENCH_MONITORING_SCALE, default 1.0; seed 7). The
   database is kept after the run and remembers scale and seed in a table `bench_monitoring_meta`; a later run
   with the same scale and seed reuses it (only `migrate` runs again), another scale drops and regenerates it,
   and BENCH_MONITORING_FRESH=1 always does.
3. Two monitors (role monitor at a partner organisation): one whose district is Bayern (09), one whose
   district is every Land (Region has no level for Germany; a Land in a district stands for its Kreise). Their
   sessions pass the second factor as the test suite's `force_login` does (a confirmed TOTP device named in
   the session).
4. Every page of `PAGES` (label, URL name or path; resolved when measured, a name that does not resolve is
   skipped with a note) for both monitors with Django's test client in this process, production settings
   (DEBUG off): 3 warm-ups, then BENCH_MONITORING_REQUESTS requests (default 30); a page whose requests take
   longer than BENCH_MONITORING_PAGE_SECONDS in all (default 300) stops early, after one warm-up and at least 3
   requests, with the number measured shown.
   Any response other than 200 fails the benchmark. Then the `BASELINE` callable (label, function of a
   `Scope`) the same way: what plain ORM aggregation over the raw tables costs, for comparison.

Printed: one table of p50/p95/max per page and scope, and pass/fail against the target. Exit code 0 when every
page's p95 is within the target (the baseline is shown, not judged).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.records_load import _maintenance, bench_env, cli, recreate_database, setup_django

TARGET_P95_MS = 300.0
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_monitoring"
SEED = 7
WARMUPS = 3
MINIMUM = 3  # requests measured at least, however slow the page
BAYERN = "09"


@dataclass(frozen=True)
class Scope:
    """Whom a page is measured for: a monitor whose partner organisation's district is `land_codes`."""

    label: str
    username: str
    land_codes: tuple[str, ...]
    user: Any = None  # the User, set once the database is ready


def raw_aggregation(scope: Scope) -> list[list[dict]]:
    """Plain ORM aggregation over the raw tables of the scope's Kreise: contracts by start year and status,
    platform offers by status (and how many full), applications by state, destinations by year and kind."""
    from django.db.models import Count, F, Q
    from django.db.models.functions import ExtractYear

    from ausbildung.core.models import Region, TrainingContract
    from ausbildung.offers.models import Application, Offer
    from ausbildung.transition.models import Destination

    kreise = Region.objects.filter(level=Region.Level.KREIS, parent__code__in=scope.land_codes)
    contracts = (
        TrainingContract.objects.filter(company__region__in=kreise)
        .exclude(status=TrainingContract.Status.DRAFT)
        .values("status", year=ExtractYear("start_date"))
        .annotate(n=Count("pk"))
    )
    offers = (
        Offer.objects.filter(site__region__in=kreise, source=Offer.Source.PLATFORM)
        .values("status")
        .annotate(n=Count("pk"), full=Count("pk", filter=Q(places_taken__gte=F("places"))))
    )
    applications = (
        Application.objects.filter(offer__site__region__in=kreise, offer__source=Offer.Source.PLATFORM)
        .values("state")
        .annotate(n=Count("pk"))
    )
    destinations = (
        Destination.objects.filter(school__region__in=kreise)
        .values("school_year", "actual_kind")
        .annotate(n=Count("pk"))
    )
    return [list(query) for query in (contracts, offers, applications, destinations)]


# The pages measured: (label, URL name without arguments or a path starting with "/"). "{kreis}" and
# "{occupation}" in a path are filled with the first Kreis of Bayern and the occupation with the most contracts
# there. Each page is measured as served (from the cube, after `cube.refresh`), judged against the target, and
# again computed live from the raw tables (MONITORING_SOURCE=live: the same page, plain ORM aggregation) for the
# Bayern monitor, as the reference.
PAGES: list[tuple[str, str]] = [
    ("monitoring home", "monitoring:index"),
    ("Germany", "/monitoring/gebiet/de/DE/"),
    ("Land Bayern", "/monitoring/gebiet/land/09/"),
    ("Kreis", "/monitoring/gebiet/kreis/{kreis}/"),
    ("occupation in the Land", "/monitoring/gebiet/land/09/beruf/{occupation}/"),
]
# The older reference: counts over the raw tables without the page (label, callable of a Scope), or None.
BASELINE: tuple[str, Callable[[Scope], object]] | None = (
    "plain ORM aggregation over raw tables",
    raw_aggregation,
)
# Requests of the live reference per page (each takes seconds to minutes at national scale), and the pages it is
# run for: the Germany-wide ones would recompute every fact of Germany per request (the refresh's minutes).
LIVE_REQUESTS = int(os.environ.get("BENCH_MONITORING_LIVE_REQUESTS", "1"))
# BENCH_MONITORING_LIVE=0 leaves the live pages out (at national scale the Land page alone ran for more than
# 25 minutes); the plain ORM aggregation (BASELINE) is measured either way.
LIVE_PAGES = (
    set()
    if os.environ.get("BENCH_MONITORING_LIVE") == "0"
    else {"Land Bayern", "Kreis", "occupation in the Land"}
)


def database_url() -> str:
    return os.environ.get("BENCH_MONITORING_DATABASE_URL", DEFAULT_URL)


def scale() -> float:
    raw = os.environ.get("BENCH_MONITORING_SCALE", "").strip() or "1.0"
    value = float(raw)  # a bad value: ValueError, reported by bench.__main__ as one line
    if not 0 < value <= 10:
        raise ValueError(f"BENCH_MONITORING_SCALE must be above 0 and at most 10; got {raw!r}")
    return value


def reachable(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(_maintenance(url)[0], connect_timeout=3):
            return True
    except Exception:  # any failure to connect: not reachable
        return False


def generated_with(url: str) -> tuple[float, int] | None:
    """(scale, seed) the database was generated with, None when it was not (completely)."""
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=3) as conn:
            row = conn.execute("SELECT scale, seed FROM bench_monitoring_meta").fetchone()
    except Exception:  # no database or no table: not generated
        return None
    return None if row is None else (float(row[0]), int(row[1]))


def remember(scale_: float, seconds: float) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_monitoring_meta (scale float8, seed int, seconds float8, generated_at timestamptz)"
        )
        cursor.execute(
            "INSERT INTO bench_monitoring_meta VALUES (%s, %s, %s, now())", [scale_, SEED, seconds]
        )


def monitors() -> list[Scope]:
    """The two monitors (made once; kept in the database) with their partner organisations and districts."""
    from ausbildung.core.models import Membership, Organisation, Region, Role, User

    laender = tuple(
        Region.objects.filter(level=Region.Level.LAND).order_by("code").values_list("code", flat=True)
    )
    scopes = []
    for scope in (
        Scope("Bayern (09)", "bench-monitor-by", (BAYERN,)),
        Scope("Germany (16 Länder)", "bench-monitor-de", laender),
    ):
        user, _created = User.objects.get_or_create(username=scope.username)
        partner, _created = Organisation.objects.get_or_create(
            kind=Organisation.Kind.PARTNER, name=f"Bench-Monitoring {scope.label}"
        )
        partner.district.set(Region.objects.filter(level=Region.Level.LAND, code__in=scope.land_codes))
        Membership.objects.get_or_create(user=user, organisation=partner, role=Role.MONITOR)
        scopes.append(Scope(scope.label, scope.username, scope.land_codes, user))
    return scopes


def signed_in_client(user):
    """A test client signed in as `user`, past the second factor (as tests/conftest.py `verify_second_factor`)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user_id=user.pk, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def placeholders() -> dict[str, str]:
    """Values for the "{kreis}" and "{occupation}" of PAGES."""
    from django.db.models import Count

    from ausbildung.core.models import Region, TrainingContract

    kreis = Region.objects.filter(level=Region.Level.KREIS, code__startswith=BAYERN).order_by("code").first()
    top = (
        TrainingContract.objects.filter(site__region__code__startswith=BAYERN)
        .values("occupation_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    return {"kreis": kreis.code if kreis else "", "occupation": str(top["occupation_id"]) if top else "0"}


def resolve(target: str, values: dict[str, str] | None = None) -> str | None:
    from django.urls import NoReverseMatch, reverse

    if target.startswith("/"):
        return target.format(**(values or {}))
    try:
        return reverse(target)
    except NoReverseMatch:
        return None


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def timed(call: Callable[[], object], requests: int, budget: float, warmups: int = WARMUPS) -> list[float]:
    """Milliseconds of `requests` calls after WARMUPS warm-ups. When the calls take longer than `budget` seconds
    in all, the warm-ups stop after the first and the measurement after MINIMUM calls."""
    started = time.perf_counter()
    for _ in range(warmups):
        call()
        if time.perf_counter() - started > budget / (requests + WARMUPS):
            break
    times: list[float] = []
    started = time.perf_counter()
    while len(times) < requests:
        begin = time.perf_counter()
        call()
        times.append((time.perf_counter() - begin) * 1000)
        if len(times) >= min(MINIMUM, requests) and time.perf_counter() - started > budget:
            break
    return times


def get_ok(client, url: str) -> Callable[[], object]:
    def call() -> object:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}, not 200")
        return response

    return call


def row(label: str, scope: str, times: list[float], requests: int, judged: bool = True) -> str:
    p95 = percentile(times, 0.95)
    verdict = ("pass" if p95 <= TARGET_P95_MS else "FAIL") if judged else "(reference)"
    n = f"{len(times)}" if len(times) == requests else f"{len(times)}/{requests}"
    return f"  {label:<38} {scope:<26} {n:>6} {percentile(times, 0.5):9.1f} {p95:9.1f} {max(times):9.1f}  {verdict}"


def measure(scopes: list[Scope]) -> int:
    from django.test import override_settings

    requests = int(os.environ.get("BENCH_MONITORING_REQUESTS", "30"))
    budget = float(os.environ.get("BENCH_MONITORING_PAGE_SECONDS", "300"))
    values = placeholders()
    lines, failed = [], False
    for label, target in PAGES:
        url = resolve(target, values)
        if url is None:
            print(f"monitoring: skipped {label!r}: {target!r} does not resolve (not built yet)")
            continue
        for scope in scopes:
            times = timed(get_ok(signed_in_client(scope.user), url), requests, budget)
            lines.append(row(f"{label} ({url})", f"{scope.label}, cube", times, requests))
            failed = failed or percentile(times, 0.95) > TARGET_P95_MS
            print(lines[-1], flush=True)
        if label not in LIVE_PAGES:
            continue
        with override_settings(MONITORING_SOURCE="live"):
            scope = scopes[0]
            times = timed(get_ok(signed_in_client(scope.user), url), LIVE_REQUESTS, budget, warmups=0)
            lines.append(row(f"{label} ({url})", f"{scope.label}, live", times, LIVE_REQUESTS, judged=False))
            print(lines[-1], flush=True)
    if BASELINE is not None:
        label, function = BASELINE
        for scope in scopes:
            times = timed(lambda scope=scope: function(scope), LIVE_REQUESTS, budget, warmups=0)
            lines.append(row(label, scope.label, times, LIVE_REQUESTS, judged=False))
            print(lines[-1], flush=True)
    print(
        f"monitoring: {WARMUPS} warm-ups, then up to {requests} requests each (live: {LIVE_REQUESTS}, no warm-up)"
    )
    print(
        f"  {'page':<38} {'scope':<26} {'n':>6} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9}  target p95 ≤ {TARGET_P95_MS:.0f} ms"
    )
    for line in lines:
        print(line)
    return 1 if failed else 0


def refresh_cube() -> None:
    """Build the cube the pages read, as the cron task does, and say how long it took
    (BENCH_MONITORING_REFRESH=0 keeps a cube built by an earlier run)."""
    from ausbildung.monitoring import cube

    done = cube.last_refresh()
    if os.environ.get("BENCH_MONITORING_REFRESH") == "0" and done is not None:
        seconds = (done.finished_at - done.started_at).total_seconds()
        print(f"monitoring: kept the cube of {done.finished_at:%Y-%m-%d %H:%M} (built in {seconds:.1f} s)")
        return

    started = time.perf_counter()
    done = cube.refresh()
    print(
        f"monitoring: cube refreshed in {time.perf_counter() - started:.1f} s "
        f"({done.facts} facts, {done.cells} cells)",
        flush=True,
    )


def run(url: str, scale_: float) -> int:
    env = bench_env(url)
    previous = None if os.environ.get("BENCH_MONITORING_FRESH") else generated_with(url)
    reuse = previous == (scale_, SEED)
    if not reuse:
        recreate_database(url)
    seconds = cli(["manage", "migrate", "--noinput"], env)
    print(f"monitoring: migrated {'the kept' if reuse else 'a fresh'} database in {seconds:.1f} s")
    setup_django(env)
    if reuse:
        print(f"monitoring: reusing the data of scale {scale_} in {url.rsplit('/', 1)[-1]}")
    else:
        from bench import monitoring_data

        started = time.perf_counter()
        monitoring_data.generate(scale_, SEED)
        remember(scale_, time.perf_counter() - started)
    scopes = monitors()
    refresh_cube()
    load = os.getloadavg()[0]
    code = measure(scopes)
    print(
        f"monitoring: load average before {load:.2f}, after {os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs)"
    )
    return code


def main() -> int:
    from django.apps import apps

    if apps.ready:
        # Django already runs against some database here: measure in a clean process instead.
        root = Path(__file__).resolve().parents[1]
        return subprocess.run(
            [sys.executable, "-m", "bench.monitoring_pages"], cwd=root, env=dict(os.environ), check=False
        ).returncode
    url = database_url()
    if url.rstrip("/").rsplit("/", 1)[-1] in {"test", "postgres"}:
        print(f"monitoring: BENCH_MONITORING_DATABASE_URL must name a scratch database: {url!r}")
        return 2
    if not reachable(url):
        print(f"monitoring: not run: no PostgreSQL answers at {url.rsplit('/', 1)[0]}")
        return 2
    saved_environ = dict(os.environ)
    try:
        return run(url, scale())
    finally:
        os.environ.clear()
        os.environ.update(saved_environ)
        try:
            from django.db import connections

            connections.close_all()
        except Exception as error:  # clean-up must not hide the result
            print(f"monitoring: closing connections failed: {error}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
