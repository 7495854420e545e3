"""The training-record pages under load on PostgreSQL (target: p95 ≤ 50 ms at 50 concurrent clients).

Issue target: "Apprentice week page and trainer queue (50 apprentices) on PostgreSQL: p95 ≤ 50 ms at 50
concurrent clients (a load script against gunicorn on loopback, bounded in time)."

1. A fresh PostgreSQL database (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/ausbildung_bench;
   dropped and recreated through the `postgres` maintenance database) gets the project's own commands in
   subprocesses: `migrate`, `demo` (which imports the three regulations it needs).
2. In this process: 50 adult apprentices of the demo company, each with an active weekly contract trained
   by the demo trainer "ausbilder" (users, memberships and contracts through the services), and 60 weekly
   periods each; the last two of every apprentice stay submitted, so the trainer's queue holds 100. The
   periods of the first 5 apprentices are written, submitted and signed through the real services (about
   1.6 s an apprentice); those of the other 45 are bulk-inserted as the same rows (audit log aside), and
   `verify_contract` checks one book of each kind, so the set-up stays well under a minute.
3. Database sessions for the trainer and every apprentice (clients send `Cookie: sessionid=…`).
4. gunicorn (2 × CPUs + 1 sync workers) on a free loopback port, production settings (DEBUG off).
5. 50 client threads (http.client, keep-alive where the server allows it: gunicorn's sync workers close
   every connection), 3 s warm-up, then a bounded measurement window, for two URL mixes: (a) an
   apprentice's signed week page, every client a different apprentice; (b) the trainer's review queue.
   Two client models: (i) interactive users who wait 0.5–1.5 s between requests (the figure compared with
   the target), (ii) a closed loop without think time (saturation throughput and the latency it costs).
   Before them, one sequential client per mix shows the service time without queueing. Any response
   other than 200 fails the benchmark.
6. SQL queries per page (in-process test client, CaptureQueriesContext) with 1 and with 50 apprentices, so
   a count that grows with the data (N+1) shows; and the CPU time per request of the Django side alone (the
   same client, 3 × 200 requests, the lowest round), which other work on the host distorts much less than
   the latencies.

Every run also prints where the CPUs went (gunicorn, the PostgreSQL backends of the bench database, the load
generator, everything else) and gunicorn+PostgreSQL CPU per request: on a small or shared host the
latencies are mostly queueing for CPU, and other people's work on the host shows as "other processes".

The exit code is 0 when the think-time p95 of both mixes is within the target and no request failed.
BENCH_LOAD_SECONDS and BENCH_WARMUP_SECONDS change the measurement window (defaults 20 and 3).
"""

from __future__ import annotations

import datetime
import http.client
import math
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

TARGET_P95_MS = 50.0
CLIENTS = 50
APPRENTICES = 50
WEEKS = 60
SUBMITTED_PER_APPRENTICE = 2
THROUGH_SERVICES = 5  # apprentices whose periods go through the services (~1.6 s each); the rest in bulk
START = datetime.date(2025, 8, 1)  # a Friday: the first period is 01.08.–03.08., then Monday to Sunday
THINK_SECONDS = (0.5, 1.5)
QUIET = 0.25  # host CPU share busy before the load above which the figures are flagged as distorted
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ausbildung_bench"
DEMO_COMPANY = "Saar Systemhaus GmbH (Demo)"
SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"

FIRST_NAMES = ["Mia", "Noah", "Emma", "Ben", "Hannah", "Paul", "Lea", "Finn", "Lina", "Elias"]
LAST_NAMES = ["Müller", "Schneider", "Fischer", "Weber", "Wagner", "Becker", "Schulz", "Hoffmann", "Koch"]
COMPANY = [
    "Arbeitsplatzrechner mit dem Standard-Image installiert und die Übergabe mit Checkliste dokumentiert.",
    "Anforderungen für eine kleine Webanwendung aufgenommen und User Stories formuliert.",
    "Fehler im Ticketsystem reproduziert, einen Unit-Test geschrieben und die Korrektur eingereicht.",
    "Datenbankabfragen der Auftragsverwaltung untersucht, Indizes angelegt und Laufzeiten gemessen.",
    "Eine Schnittstelle zum Lagerverwaltungssystem angebunden und im Daily Stand-up vorgestellt.",
]
INSTRUCTION = [
    "Unterweisung zur Arbeitssicherheit im Serverraum.",
    "Betrieblicher Unterricht: Versionsverwaltung mit Git, Branches und Reviews.",
    "Schulung zum Datenschutz im Support.",
]
SCHOOL = [
    "Lernfeld 5: relationale Modelle, Normalformen, SQL-Abfragen.",
    "Lernfeld 8: JSON, XML und REST-Schnittstellen.",
    "Wirtschafts- und Sozialkunde: Rechte und Pflichten aus dem Ausbildungsvertrag.",
]


# --- database and subprocesses ---------------------------------------------------------------------------


def database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)


def _maintenance(url: str) -> tuple[str, str]:
    """(URL of the `postgres` maintenance database, name of the bench database)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or name == "postgres":
        raise SystemExit(f"BENCH_DATABASE_URL must name a scratch database (not 'postgres'): {url!r}")
    return urlunsplit(parts._replace(path="/postgres")), name


def recreate_database(url: str, *, create: bool = True) -> None:
    import psycopg
    from psycopg import sql

    maintenance, name = _maintenance(url)
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if create:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def bench_env(url: str) -> dict[str, str]:
    """The environment of an operator's production-like run: DEBUG unset, a dummy secret key."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "AUSBILDUNG_TESTING", "PYTEST_VERSION", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DATABASE_URL=url,
        SECRET_KEY="bench-dummy-secret-key-not-for-production-0123456789",  # noqa: S106 - a dummy, the database is dropped after the run
        ALLOWED_HOSTS="127.0.0.1",
        LOG_LEVEL="WARNING",
        # The signature heads of the bench's books go to a throw-away file, not the checkout's anchor log.
        RECORD_ANCHOR_LOG=os.path.join(tempfile.gettempdir(), f"bench-record-anchors-{os.getpid()}.log"),
    )
    return env


def cli(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "ausbildung.cli", *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"ausbildung {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return time.perf_counter() - started


def setup_django(env: dict[str, str]) -> None:
    for key in ("DEBUG", "AUSBILDUNG_TESTING", "PYTEST_VERSION"):
        os.environ.pop(key, None)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "ausbildung.settings"
    import django

    django.setup()


# --- seeding -----------------------------------------------------------------------------------------------


@dataclass
class Apprentice:
    username: str
    contract_id: int
    session: str = ""
    signed_starts: list[datetime.date] = field(default_factory=list)


@dataclass
class Seeded:
    trainer_session: str
    apprentices: list[Apprentice]
    seconds: float


def _text(pool: list[str], week: int, person: int) -> str:
    lines = [pool[(week + person + i) % len(pool)] for i in range(3)]
    return f"Woche {week + 1}:\n" + "\n".join(lines)


def _days(start: datetime.date, end: datetime.date, week: int):
    from ausbildung.records import rules, services
    from ausbildung.records.models import RecordDay

    place = RecordDay.Place
    days, current = [], start
    while current <= end:
        holiday = rules.holiday_name("SL", current)
        if current.weekday() >= 5:
            days.append(services.DayInput(date=current, place=place.FREE, hours=None))
        elif holiday:
            days.append(services.DayInput(date=current, place=place.HOLIDAY, hours=None, note=holiday))
        elif current.weekday() == 1 + week % 2:  # one school day a week, Tuesday or Wednesday
            days.append(services.DayInput(date=current, place=place.SCHOOL, hours="8", note="BBZ"))
        else:
            days.append(services.DayInput(date=current, place=place.COMPANY, hours="8"))
        current += datetime.timedelta(days=1)
    return days


def _period_input(week: int, index: int, start, end, rng: random.Random, item_ids: list[int]):
    from ausbildung.records import services

    return services.PeriodInput(
        company_work=_text(COMPANY, week, index),
        instruction=_text(INSTRUCTION, week, index),
        school=_text(SCHOOL, week, index),
        days=_days(start, end, week),
        item_ids=rng.sample(item_ids, 3),
    )


def _seed_apprentice(
    index: int, *, company, demo_contract, trainer, item_ids: list[int], through_services: bool
) -> Apprentice:
    from ausbildung.core import services as core_services
    from ausbildung.core.models import ContractTrainer, Role, TrainingContract, User
    from ausbildung.records import rules, services

    apprentice = User.objects.create_user(
        f"bench-azubi-{index:02d}",
        email=f"bench-azubi-{index:02d}@demo.invalid",
        first_name=FIRST_NAMES[index % len(FIRST_NAMES)],
        last_name=f"{LAST_NAMES[index % len(LAST_NAMES)]} {index:02d}",
        date_of_birth=datetime.date(2000, 1 + index % 12, 1 + index % 28),
    )
    core_services.membership_create(actor=None, user=apprentice, organisation=company, role=Role.APPRENTICE)
    contract = core_services.contract_create(
        actor=None,
        apprentice=apprentice,
        company=company,
        site=demo_contract.site,
        occupation=demo_contract.occupation,
        specialisation=demo_contract.specialisation,
        chamber=demo_contract.chamber,
        vocational_school=demo_contract.vocational_school,
        start_date=START,
        end_date=core_services.add_months(START, 36) - datetime.timedelta(days=1),
        probation_end=core_services.add_months(START, 4) - datetime.timedelta(days=1),
        trainers=[(trainer, ContractTrainer.Kind.MAIN)],
        record_form=TrainingContract.RecordForm.WEEKLY,
        chamber_registration_number=f"BENCH-2025-{index:05d}",
        status=TrainingContract.Status.ACTIVE,
    )
    result = Apprentice(username=apprentice.username, contract_id=contract.pk)
    periods = list(
        rules.expected_periods(form=contract.record_form, start=START, end=contract.end_date, land_iso="SL")
    )[:WEEKS]
    result.signed_starts = [
        start for start, _end in periods[: WEEKS - SUBMITTED_PER_APPRENTICE] if start.weekday() == 0
    ]
    rng = random.Random(index)
    if not through_services:
        _bulk_periods(apprentice, contract, trainer, periods, index, rng, item_ids)
        return result
    for week, (start, end) in enumerate(periods):
        period = services.record_period_save(
            actor=apprentice,
            contract=contract,
            start=start,
            data=_period_input(week, index, start, end, rng, item_ids),
        )
        services.record_period_submit(actor=apprentice, period=period)
        if week < WEEKS - SUBMITTED_PER_APPRENTICE:
            services.record_period_sign(actor=trainer, period=period)
    return result


def _bulk_periods(apprentice, contract, trainer, periods, index, rng, item_ids) -> None:
    """The same rows the services write (periods, days, items, events, keyed signatures with their signed
    versions) in a few bulk inserts; only the audit-log rows and the anchor-log lines are left out.
    `verify_contract` (without the anchor log) checks the result afterwards."""
    from django.utils import timezone

    from ausbildung.core.models import ContractTrainer
    from ausbildung.records import integrity, services
    from ausbildung.records.models import RecordDay, RecordEvent, RecordPeriod, RecordSignature

    now = timezone.now()
    state = RecordPeriod.State
    rows, inputs = [], []
    for week, (start, end) in enumerate(periods):
        data = _period_input(week, index, start, end, rng, item_ids)
        signed = week < WEEKS - SUBMITTED_PER_APPRENTICE
        rows.append(
            RecordPeriod(
                contract=contract,
                start=start,
                end=end,
                form=contract.record_form,
                state=state.SIGNED if signed else state.SUBMITTED,
                company_work=data.company_work,
                instruction=data.instruction,
                school=data.school,
                submitted_at=now,
                signed_at=now if signed else None,
                signed_by=trainer if signed else None,
                version=1,
            )
        )
        inputs.append(data)
    RecordPeriod.objects.bulk_create(rows)
    RecordDay.objects.bulk_create(
        RecordDay(
            period=period,
            date=day.date,
            place=day.place,
            hours=services._parse_hours(day.hours),
            note=day.note,
        )
        for period, data in zip(rows, inputs, strict=True)
        for day in data.days
    )
    through = RecordPeriod.items.through
    through.objects.bulk_create(
        through(recordperiod_id=period.pk, frameworkitem_id=item)
        for period, data in zip(rows, inputs, strict=True)
        for item in data.item_ids
    )
    events, signatures, previous = [], [], ""
    for period in rows:
        events.append(RecordEvent(period=period, actor=apprentice, action=RecordEvent.Action.SUBMITTED))
        if period.state != state.SIGNED:
            continue
        content = services.period_content(period)
        period.content_hash = integrity.content_digest(content)
        sequence = len(signatures) + 1
        key_id = integrity.current_key_id()
        link = integrity.link_hash(
            key_id=key_id,
            previous=previous,
            sequence=sequence,
            period_id=period.pk,
            content=period.content_hash,
            signer_id=trainer.pk,
            at=now,
        )
        signatures.append(
            RecordSignature(
                contract=contract,
                period=period,
                sequence=sequence,
                signer=trainer,
                signer_kind=ContractTrainer.Kind.MAIN,
                signed_at=now,
                content_hash=period.content_hash,
                content=content,
                previous_hash=previous,
                chain_hash=link,
                key_id=key_id,
                code=integrity.code_of(link),
            )
        )
        previous = link
        events.append(RecordEvent(period=period, actor=trainer, action=RecordEvent.Action.SIGNED))
    RecordPeriod.objects.bulk_update([p for p in rows if p.content_hash], ["content_hash"])
    RecordSignature.objects.bulk_create(signatures)
    RecordEvent.objects.bulk_create(events)


def _session_for(user) -> str:
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = SESSION_BACKEND
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.save()
    assert store.session_key
    return store.session_key


def seed(on_first=None) -> Seeded:
    """Apprentices, contracts, periods and sessions; `on_first()` runs after the first apprentice."""
    from django.db import connection

    from ausbildung.core.models import FrameworkItem, Organisation, TrainingContract, User
    from ausbildung.records.services import verify_contract

    started = time.perf_counter()
    with connection.cursor() as cursor:
        # Set-up only, this connection only: do not wait for the WAL flush of each of the ~9000 commits.
        cursor.execute("SET synchronous_commit TO off")
    trainer = User.objects.get(username="ausbilder")
    demo_contract = TrainingContract.objects.select_related("site", "occupation").get(
        apprentice__username="azubi"
    )
    company = Organisation.objects.get(name=DEMO_COMPANY)
    item_ids = list(
        FrameworkItem.objects.filter(
            framework_position__plan__occupation_id=demo_contract.occupation_id
        ).values_list("pk", flat=True)
    )
    apprentices = []
    for index in range(APPRENTICES):
        apprentices.append(
            _seed_apprentice(
                index,
                company=company,
                demo_contract=demo_contract,
                trainer=trainer,
                item_ids=item_ids,
                through_services=index < THROUGH_SERVICES,
            )
        )
        if index == 0 and on_first is not None:
            first = apprentices[0]
            first.session = _session_for(User.objects.get(username=first.username))
            on_first(_session_for(trainer), first)
    for apprentice in (apprentices[0], apprentices[-1]):
        problems = verify_contract(TrainingContract.objects.get(pk=apprentice.contract_id))
        if problems:
            raise RuntimeError(f"seeded book of {apprentice.username} does not verify: {problems[:3]}")
    users = {u.username: u for u in User.objects.filter(username__startswith="bench-azubi-")}
    for apprentice in apprentices:
        apprentice.session = _session_for(users[apprentice.username])
    return Seeded(_session_for(trainer), apprentices, time.perf_counter() - started)


# --- queries per page --------------------------------------------------------------------------------------


def week_path(apprentice: Apprentice, start: datetime.date) -> str:
    return f"/nachweis/{apprentice.contract_id}/{start.isoformat()}/"


QUEUE_PATH = "/nachweis/pruefen/"


def count_queries(session: str, path: str) -> tuple[int, list[str]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="127.0.0.1")
    client.cookies["sessionid"] = session
    # The first request of a session stamps it for the idle timeout (a session write, at most once a minute
    # after that): counted apart, the page's own queries are those of the next request.
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path}: status {response.status_code} in the query check")
    return len(captured.captured_queries), [q["sql"] for q in captured.captured_queries]


def cpu_per_request(session: str, paths: list[str], *, requests: int = 200, rounds: int = 3) -> float:
    """CPU time (ms) of this process per request through the whole middleware stack (in-process test client,
    after a warm-up), the lowest of `rounds` rounds: the Python side of a page without the HTTP server and
    mostly without other people's work on the host (PostgreSQL's own CPU is not in it)."""
    from django.test import Client

    client = Client(SERVER_NAME="127.0.0.1")
    client.cookies["sessionid"] = session
    for path in paths[:20]:
        client.get(path)
    best = math.inf
    for _ in range(rounds):
        started = time.process_time()
        for index in range(requests):
            response = client.get(paths[index % len(paths)])
            if response.status_code != 200:
                raise RuntimeError(
                    f"{paths[index % len(paths)]}: status {response.status_code} in the CPU check"
                )
        best = min(best, time.process_time() - started)
    return best / requests * 1000


# --- gunicorn ----------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "ausbildung.wsgi:application",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def get(port: int, path: str, session: str, timeout: float = 10.0) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Cookie": f"sessionid={session}"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def wait_ready(server: subprocess.Popen, port: int, session: str, log: Path, workers: int) -> None:
    """Until the workers have answered a few requests each (imports, template cache); 30 s at most."""
    deadline = time.monotonic() + 30
    answered = 0
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({server.returncode}):\n{log.read_text(errors='replace')}")
        try:
            status, _body = get(port, QUEUE_PATH, session, timeout=5)
        except OSError:
            time.sleep(0.2)
            continue
        if status != 200:
            raise RuntimeError(f"gunicorn answered {status} on {QUEUE_PATH}")
        answered += 1
        if answered >= 4 * workers:
            return
    raise RuntimeError(f"gunicorn did not answer within 30 s:\n{log.read_text(errors='replace')}")


# --- load --------------------------------------------------------------------------------------------------


@dataclass
class Client:
    session: str
    paths: list[str]


@dataclass
class Result:
    mix: str
    model: str
    seconds: float
    latencies: list[float] = field(default_factory=list)  # ms, status 200
    failures: dict[str, int] = field(default_factory=dict)
    server_closed: int = 0  # responses after which the server closed the connection (no keep-alive)
    cpu: dict[str, float] = field(default_factory=dict)  # CPUs used during the window, per group

    @property
    def requests(self) -> int:
        return len(self.latencies) + sum(self.failures.values())

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        rank = min(len(ordered), max(1, math.ceil(p / 100 * len(ordered)))) - 1  # nearest rank
        return ordered[rank]

    @property
    def p95(self) -> float:
        return self.percentile(95)

    def line(self) -> str:
        failed = sum(self.failures.values())
        verdict = "within" if self.p95 <= TARGET_P95_MS else "ABOVE"
        detail = f", FAILED {failed} {self.failures}" if failed else ""
        return (
            f"  {self.mix:<20} {self.model:<28} {self.requests:>5} req {self.requests / self.seconds:>6.1f} rps  "
            f"p50 {self.percentile(50):6.1f}  p95 {self.p95:6.1f}  p99 {self.percentile(99):6.1f}  "
            f"max {max(self.latencies, default=float('nan')):7.1f} ms  p95 {verdict} {TARGET_P95_MS:.0f} ms"
            f"{detail}"
        )

    def cpu_line(self) -> str:
        if not self.cpu:
            return ""
        parts = ", ".join(f"{name} {cores:.2f}" for name, cores in self.cpu.items())
        per_request = ""
        if self.requests:
            server = self.cpu.get("gunicorn", 0) + self.cpu.get("postgres", 0)
            per_request = (
                f"; gunicorn+postgres {server * self.seconds / self.requests * 1000:.1f} ms CPU/request"
            )
        return (
            f"{'':<51}CPUs used of {os.cpu_count()}: {parts}{per_request}; "
            f"server closed {self.server_closed}/{self.requests} connections"
        )


class CpuMeter:
    """CPU time on the host during a window, split into gunicorn (master and workers), the PostgreSQL
    backends of the bench database, this process (the load generator) and everything else (PostgreSQL's
    background processes, and other people's work on a shared host, which distorts the latencies)."""

    def __init__(self, server: subprocess.Popen, url: str) -> None:
        self.server_pid = server.pid
        self.maintenance, self.database = _maintenance(url)
        self.ticks = os.sysconf("SC_CLK_TCK")

    @staticmethod
    def _stat(pid: int | str) -> list[str] | None:
        try:
            return Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
        except (OSError, IndexError, UnicodeDecodeError):
            return None

    def _cpu(self, pids: set[int]) -> dict[int, float]:
        seconds = {}
        for pid in pids:
            fields = self._stat(pid)
            if fields:
                seconds[pid] = (int(fields[11]) + int(fields[12])) / self.ticks  # utime + stime
        return seconds

    def _gunicorn(self) -> set[int]:
        pids = {self.server_pid}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                fields = self._stat(entry.name)
                if fields and fields[1] == str(self.server_pid):
                    pids.add(int(entry.name))
        return pids

    def _postgres(self) -> set[int]:
        try:
            import psycopg

            with psycopg.connect(self.maintenance, autocommit=True) as conn:
                rows = conn.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = %s", [self.database]
                ).fetchall()
        except Exception:  # a figure for the report only
            return set()
        return {row[0] for row in rows}

    def snapshot(self) -> dict | None:
        try:
            with open("/proc/stat", encoding="ascii") as stat:
                values = [int(v) for v in stat.readline().split()[1:]]
        except (OSError, ValueError):
            return None
        return {
            "host": (sum(values) - values[3] - values[4]) / self.ticks,
            "process": time.process_time(),
            "gunicorn": self._cpu(self._gunicorn()),
            "postgres": self._cpu(self._postgres()),
        }

    def usage(self, before: dict | None, after: dict | None, seconds: float) -> dict[str, float]:
        """CPUs used per group. A process that appeared in the window counts in full (a new database
        connection after DATABASE_CONN_MAX_AGE); one that ended in it is lost (small)."""
        if not before or not after:
            return {}

        def delta(group: str) -> float:
            return sum(cpu - before[group].get(pid, 0.0) for pid, cpu in after[group].items())

        used = {
            "gunicorn": delta("gunicorn") / seconds,
            "postgres": delta("postgres") / seconds,
            "load generator": (after["process"] - before["process"]) / seconds,
        }
        host = (after["host"] - before["host"]) / seconds
        used["other processes"] = max(0.0, host - sum(used.values()))
        used["host total"] = host
        return used


def run_load(
    port: int,
    clients: list[Client],
    *,
    mix: str,
    model: str,
    think: bool,
    warmup: float,
    seconds: float,
    meter: CpuMeter | None = None,
) -> Result:
    result = Result(mix=mix, model=model, seconds=seconds)
    lock = threading.Lock()
    begin = time.perf_counter()
    measure_from, stop_at = begin + warmup, begin + warmup + seconds
    cpu: dict[str, dict | None] = {}

    def sample(key: str) -> None:
        if meter is not None:
            cpu[key] = meter.snapshot()

    timers = [threading.Timer(warmup, sample, ("from",)), threading.Timer(warmup + seconds, sample, ("to",))]

    def worker(index: int, client: Client) -> None:
        rng = random.Random(index)
        latencies: list[float] = []
        failures: dict[str, int] = {}
        closed = 0
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Cookie": f"sessionid={client.session}"}
        if think:  # users do not arrive in lockstep
            time.sleep(rng.uniform(0, THINK_SECONDS[1]))
        while True:
            started = time.perf_counter()
            if started >= stop_at:
                break
            will_close = False
            try:
                conn.request("GET", rng.choice(client.paths), headers=headers)
                response = conn.getresponse()
                response.read()
                status = str(response.status)
                will_close = response.will_close
                if will_close:
                    conn.close()
            except (OSError, http.client.HTTPException) as error:
                status = type(error).__name__
                conn.close()
            finished = time.perf_counter()
            if started >= measure_from and finished <= stop_at:
                closed += will_close
                if status == "200":
                    latencies.append((finished - started) * 1000)
                else:
                    failures[status] = failures.get(status, 0) + 1
            if think:
                time.sleep(min(rng.uniform(*THINK_SECONDS), max(0.0, stop_at - time.perf_counter())))
        conn.close()
        with lock:
            result.latencies.extend(latencies)
            result.server_closed += closed
            for key, count in failures.items():
                result.failures[key] = result.failures.get(key, 0) + count

    threads = [threading.Thread(target=worker, args=(i, c), daemon=True) for i, c in enumerate(clients)]
    for thread in [*timers, *threads]:
        thread.start()
    for thread in [*timers, *threads]:
        thread.join(timeout=warmup + seconds + 60)
    if meter is not None:
        result.cpu = meter.usage(cpu.get("from"), cpu.get("to"), seconds)
    return result


def wait_quiet(limit: float = 30.0) -> float | None:
    """Wait (at most `limit` seconds) until other work on the host has calmed down; the last reading."""
    deadline = time.monotonic() + limit
    busy = host_busy()
    while busy is not None and busy > QUIET and time.monotonic() < deadline:
        busy = host_busy()
    return busy


def host_busy(seconds: float = 2.0) -> float | None:
    """Share of all CPUs busy over `seconds` (every process on the host)."""

    def read() -> tuple[int, int] | None:
        try:
            with open("/proc/stat", encoding="ascii") as stat:
                values = [int(v) for v in stat.readline().split()[1:]]
        except (OSError, ValueError):
            return None
        return sum(values), values[3] + values[4]

    before = read()
    time.sleep(seconds)
    after = read()
    if not before or not after or after[0] <= before[0]:
        return None
    return 1 - (after[1] - before[1]) / (after[0] - before[0])


# --- the benchmark -----------------------------------------------------------------------------------------


def _print_queries(label: str, small: int, large: int, sqls: list[str]) -> None:
    grows = " – GROWS WITH THE DATA (N+1?)" if large > small else ""
    print(f"  {label:<52} {small:>3} queries with 1 apprentice, {large:>3} with {APPRENTICES}{grows}")
    if os.environ.get("BENCH_SHOW_SQL"):
        for sql in sqls:
            print(f"      {sql[:200]}")


def run(url: str, env: dict[str, str]) -> int:
    import logging

    logging.disable(logging.WARNING)
    warmup = float(os.environ.get("BENCH_WARMUP_SECONDS", "3"))
    seconds = float(os.environ.get("BENCH_LOAD_SECONDS", "20"))
    started = time.perf_counter()
    migrate = cli(["migrate", "--no-input"], env)
    demo = cli(["demo", "--quiet-logins"], env)
    setup_django(env)
    from django.db import connections

    small: dict[str, tuple[int, list[str]]] = {}

    def on_first(trainer_session: str, first: Apprentice) -> None:
        small["week"] = count_queries(first.session, week_path(first, first.signed_starts[-1]))
        small["queue"] = count_queries(trainer_session, QUEUE_PATH)

    seeded = seed(on_first)
    first = seeded.apprentices[0]
    large = {
        "week": count_queries(first.session, week_path(first, first.signed_starts[-1])),
        "queue": count_queries(seeded.trainer_session, QUEUE_PATH),
    }
    cpu_week = cpu_per_request(first.session, [week_path(first, start) for start in first.signed_starts])
    cpu_queue = cpu_per_request(seeded.trainer_session, [QUEUE_PATH])
    connections.close_all()
    print(
        f"records-load: set-up {time.perf_counter() - started:.0f} s (migrate {migrate:.0f} s, demo {demo:.0f} s, "
        f"{APPRENTICES} apprentices × {WEEKS} weeks {seeded.seconds:.0f} s: {THROUGH_SERVICES} through the "
        f"services, {APPRENTICES - THROUGH_SERVICES} bulk-inserted)"
    )
    print("SQL queries per page (in-process test client, production settings):")
    _print_queries(
        "apprentice week page (signed, read-only)", small["week"][0], large["week"][0], large["week"][1]
    )
    _print_queries(
        f"trainer queue ({APPRENTICES * SUBMITTED_PER_APPRENTICE} waiting, 50 a page)",
        small["queue"][0],
        large["queue"][0],
        large["queue"][1],
    )

    print(
        f"CPU per request in this process (test client through all middleware, lowest of 3 × 200 requests; "
        f"PostgreSQL's CPU not included): week page {cpu_week:.1f} ms, queue {cpu_queue:.1f} ms "
        f"(host load {os.getloadavg()[0]:.2f})"
    )

    workers = 2 * (os.cpu_count() or 1) + 1
    port = free_port()
    week_clients = [
        Client(a.session, [week_path(a, start) for start in a.signed_starts]) for a in seeded.apprentices
    ][:CLIENTS]
    queue_clients = [Client(seeded.trainer_session, [QUEUE_PATH]) for _ in range(CLIENTS)]
    results: list[Result] = []
    baseline: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "gunicorn.log"
        server = start_gunicorn(env, port, workers, log)
        try:
            wait_ready(server, port, seeded.trainer_session, log, workers)
            status, body = get(port, QUEUE_PATH, seeded.trainer_session)
            rows = body.count(b'name="periods"')
            if status != 200 or rows != 50:
                raise RuntimeError(f"queue page: status {status}, {rows} rows (expected 200 and 50)")
            status, body = get(port, week_clients[0].paths[0], first.session)
            if status != 200 or b"section-company_work" not in body:
                raise RuntimeError(f"week page: status {status}, no company-work section")
            meter = CpuMeter(server, url)
            busy = wait_quiet()
            print(
                f"Load: gunicorn, {workers} sync workers on 127.0.0.1:{port}; {CLIENTS} client threads, "
                f"{warmup:.0f} s warm-up, {seconds:.0f} s measured per run; target p95 ≤ {TARGET_P95_MS:.0f} ms. "
                f"Host: {os.cpu_count()} CPUs, {'?' if busy is None else f'{busy:.0%}'} busy before the load"
                f"{' – SHARED HOST, figures inflated' if busy is not None and busy > QUIET else ''}"
            )
            mixes = (("(a) apprentice week", week_clients), ("(b) trainer queue", queue_clients))
            for mix, clients in mixes:  # service time without queueing, for reading the figures below
                result = run_load(
                    port,
                    clients[:1],
                    mix=mix,
                    model="1 client, sequential",
                    think=False,
                    warmup=1,
                    seconds=3,
                    meter=meter,
                )
                print(result.line(), flush=True)
                print(result.cpu_line())
                baseline.append(result)
            for model, think in (("50 clients, think 0.5–1.5 s", True), ("50 clients, closed loop", False)):
                for mix, clients in mixes:
                    result = run_load(
                        port,
                        clients,
                        mix=mix,
                        model=model,
                        think=think,
                        warmup=warmup,
                        seconds=seconds,
                        meter=meter,
                    )
                    results.append(result)
                    print(result.line(), flush=True)
                    print(result.cpu_line())
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    failed = sum(sum(r.failures.values()) for r in [*baseline, *results])
    if failed:
        print(f"records-load: {failed} requests did not answer 200 – the benchmark fails.")
    think_ok = all(r.p95 <= TARGET_P95_MS for r in results if "think" in r.model)
    print(
        f"records-load: think-time p95 {'within' if think_ok else 'ABOVE'} {TARGET_P95_MS:.0f} ms for both "
        f"mixes; total {time.perf_counter() - started:.0f} s"
    )
    return 0 if think_ok and not failed else 1


def main() -> int:
    from django.apps import apps

    if apps.ready:
        # Django already runs against some database here: measure in a clean process instead.
        root = Path(__file__).resolve().parents[1]
        return subprocess.run(
            [sys.executable, "-m", "bench.records_load"], cwd=root, env=dict(os.environ), check=False
        ).returncode
    url = database_url()
    env = bench_env(url)
    saved_environ = dict(os.environ)
    recreate_database(url)
    try:
        return run(url, env)
    finally:
        os.environ.clear()
        os.environ.update(saved_environ)
        try:
            from django.db import connections

            connections.close_all()
        except Exception as error:  # clean-up must not hide the result
            print(f"records-load: closing connections failed: {error}", file=sys.stderr)
        recreate_database(url, create=False)


if __name__ == "__main__":
    sys.exit(main())
