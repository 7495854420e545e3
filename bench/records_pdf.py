"""Rendering the PDF of a full three-year weekly training record (target: ≤ 3 s).

Builds, in a fresh SQLite database, a contract from 2022-08-01 to 2025-07-31 with 156 weekly periods written,
submitted and signed through the services (about 600 characters per section, five working days with hours,
three framework-plan items each), then times `records.exporters.render_pdf` three times each, in one run:
everything laid out (`use_stored=False`: nothing reused, what the code before did after any change), cold
(nothing laid out before: the signed chunks are laid out and kept), and warm (the signed chunks laid out
beforehand by `records.exporters.pdf.prepare`, as after signing in the background; its time is reported too),
and reports the medians (wall time; CPU time of this process and its layout workers beside it). The cold and
warm medians decide the exit code (≤ 3 s, ≤ 1.5 s).

With `RECORDS_PDF_BASELINE=<git revision>` the benchmark first runs the code of that revision (exported with
`git archive` into a temporary folder, in its own process and database), so that both are measured in one run
on the same host: `RECORDS_PDF_BASELINE=1e73a70 make bench BENCH=records-pdf`.

Django is set up in this process against the temporary database; if Django is already set up here (another
database), the benchmark runs itself in a subprocess instead, so it never writes into a real database.
"""

from __future__ import annotations

import datetime
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 3.0
WARM_TARGET_SECONDS = 1.5  # "about a second"
WEEKS = 156
START = datetime.date(2022, 8, 1)  # a Monday
RUNS = 3

COMPANY = [
    "Im Kundenauftrag Arbeitsplatzrechner mit dem Standard-Image installiert, Treiber geprüft und die "
    "Übergabe an die Fachabteilung mit Checkliste dokumentiert.",
    "Anforderungen für eine kleine Webanwendung mit der Fachabteilung aufgenommen, User Stories formuliert "
    "und mit meiner Ausbilderin priorisiert.",
    "Fehler im Ticketsystem analysiert, den Fehler reproduziert, einen Unit-Test geschrieben und die Korrektur "
    "nach Code-Review in den Hauptzweig übernommen.",
    "Datenbankabfragen der Auftragsverwaltung optimiert, Indizes angelegt und die Laufzeiten vorher und "
    "nachher gemessen und im Wiki festgehalten.",
    "Am Daily Stand-up teilgenommen, Aufgaben im Kanban-Board gepflegt und eine Schnittstelle zum "
    "Lagerverwaltungssystem angebunden.",
    "Backups der Testumgebung geprüft, eine Wiederherstellung geübt und das Vorgehen für das Team in einer "
    "kurzen Anleitung beschrieben.",
]
INSTRUCTION = [
    "Unterweisung zur Arbeitssicherheit im Serverraum und zum Umgang mit elektrostatisch gefährdeten Bauteilen.",
    "Betrieblicher Unterricht: Grundlagen der Versionsverwaltung mit Git, Branches, Merge-Requests und Reviews.",
    "Schulung zum Datenschutz: personenbezogene Daten im Support erkennen, Löschfristen und Auskunftsersuchen.",
    "Einweisung in das Deployment mit Containern und die Überwachung der Dienste im Monitoring.",
]
SCHOOL = [
    "Lernfeld 5: Software zur Verwaltung von Daten anpassen; relationale Modelle, Normalformen, SQL-Abfragen.",
    "Lernfeld 8: Daten systemübergreifend bereitstellen; Formate JSON und XML, REST-Schnittstellen, Tests.",
    "Wirtschafts- und Sozialkunde: Ausbildungsvertrag, Rechte und Pflichten, Sozialversicherung, Tarifrecht.",
    "Englisch: technische Dokumentation lesen und eine Fehlerbeschreibung für ein Ticket verfassen.",
]


def text(pool: list[str], week: int, length: int = 600) -> str:
    """About `length` characters of varied German text, one sentence per line, as apprentices write it."""
    lines, index = [f"Woche {week + 1}:"], week
    while sum(len(line) + 1 for line in lines) + len(pool[index % len(pool)]) // 2 <= length:
        lines.append(pool[index % len(pool)])
        index += 1
    return "\n".join(lines)


def setup_django(database: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    # The book's signature heads go next to the throw-away database, not into the checkout's anchor log.
    os.environ["RECORD_ANCHOR_LOG"] = str(database.with_suffix(".anchors.log"))
    os.environ["AUSBILDUNG_TESTING"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ausbildung.settings")
    import django

    django.setup()


def build_book():
    """The demo region plus a signed three-year weekly book for a new apprentice; returns the contract."""
    from django.core.management import call_command

    from ausbildung.core import services as core_services
    from ausbildung.core.demo import demo_load
    from ausbildung.core.models import ContractTrainer, FrameworkItem, TrainingContract, User
    from ausbildung.records import rules, services
    from ausbildung.records.models import RecordDay

    call_command("migrate", verbosity=0)
    users = demo_load(with_admin=True)
    trainer = users["ausbilder"]
    demo_contract = TrainingContract.objects.get(apprentice=users["azubi"])
    apprentice = User.objects.create_user(
        "azubi-bench", first_name="Mara", last_name="Lorenz", date_of_birth=datetime.date(2003, 4, 12)
    )
    contract = core_services.contract_create(
        actor=None,
        apprentice=apprentice,
        company=demo_contract.company,
        site=demo_contract.site,
        occupation=demo_contract.occupation,
        specialisation=demo_contract.specialisation,
        chamber=demo_contract.chamber,
        vocational_school=demo_contract.vocational_school,
        start_date=START,
        end_date=datetime.date(2025, 7, 31),
        probation_end=datetime.date(2022, 11, 30),
        trainers=[(trainer, ContractTrainer.Kind.MAIN)],
        record_form=TrainingContract.RecordForm.WEEKLY,
        chamber_registration_number="BENCH-2022-00001",
        status=TrainingContract.Status.ACTIVE,
    )
    item_ids = list(
        FrameworkItem.objects.filter(framework_position__plan__occupation=contract.occupation).values_list(
            "pk", flat=True
        )
    )
    for week in range(WEEKS):
        monday = START + datetime.timedelta(weeks=week)
        days = []
        for offset in range(7):
            day = monday + datetime.timedelta(days=offset)
            holiday = rules.holiday_name("SL", day)
            if offset >= 5:
                days.append(services.DayInput(date=day, place=RecordDay.Place.FREE, hours=None))
            elif holiday:
                days.append(
                    services.DayInput(date=day, place=RecordDay.Place.HOLIDAY, hours=None, note=holiday)
                )
            elif offset == week % 2:  # one or two school days a week, moving
                days.append(
                    services.DayInput(date=day, place=RecordDay.Place.SCHOOL, hours="6.5", note="BBZ")
                )
            else:
                days.append(services.DayInput(date=day, place=RecordDay.Place.COMPANY, hours="7.75"))
        period = services.record_period_save(
            actor=apprentice,
            contract=contract,
            start=monday,
            data=services.PeriodInput(
                company_work=text(COMPANY, week),
                instruction=text(INSTRUCTION, week),
                school=text(SCHOOL, week),
                days=days,
                item_ids=[item_ids[(week * 3 + i) % len(item_ids)] for i in range(3)],
            ),
        )
        services.record_period_submit(actor=apprentice, period=period)
        services.record_period_sign(actor=trainer, period=period)
    return contract


def page_count(content: bytes) -> int | None:
    try:
        import io

        from pypdf import PdfReader
    except ImportError:
        return None
    return len(PdfReader(io.BytesIO(content)).pages)


def run() -> int:
    import logging

    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    from django.db import connections

    from ausbildung.records import exporters
    from ausbildung.records.exporters import pdf as book_pdf
    from ausbildung.records.models import RecordPdfPart

    started = time.perf_counter()
    contract = build_book()
    built = time.perf_counter() - started

    def cpu_now() -> float:
        # This process and its finished worker processes (the parallel layout runs in forked children).
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.process_time() + children.ru_utime + children.ru_stime

    def timed(**kwargs) -> tuple[float, float, bytes]:
        started, started_cpu = time.perf_counter(), cpu_now()
        content = exporters.render_pdf(contract, **kwargs)
        return time.perf_counter() - started, cpu_now() - started_cpu, content

    def forget() -> None:
        RecordPdfPart.objects.filter(contract=contract).delete()

    # Everything laid out on every request (what the code before did on every download after a change, and
    # on the first download in each server process), then cold (nothing laid out before: lays out and keeps
    # the signed chunks), then warm (every signed period laid out beforehand, as after signing).
    full = [timed(use_stored=False) for _ in range(RUNS)]
    cold = []
    for _ in range(RUNS):
        forget()
        cold.append(timed())
    forget()
    started, started_cpu = time.perf_counter(), time.process_time()
    prepared = book_pdf.prepare(contract.pk)
    prepare_wall, prepare_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    warm = [timed() for _ in range(RUNS)]
    connections.close_all()
    content = warm[-1][2]
    pages = page_count(content)

    def median(runs) -> float:
        return statistics.median(t for t, _c, _b in runs)

    def cpu(runs) -> float:
        return min(c for _t, c, _b in runs)

    print(
        f"records-pdf ({WEEKS} signed weekly periods, plain PDF, "
        f"{f'{pages} pages, ' if pages else ''}{len(content) / 1024:.0f} KiB), medians of {RUNS}: "
        f"all laid out {median(full):.2f} s (CPU incl. workers {cpu(full):.2f} s) | "
        f"cold (nothing kept) {median(cold):.2f} s (CPU {cpu(cold):.2f} s) | "
        f"warm (signed periods laid out when signed) {median(warm):.2f} s (CPU {cpu(warm):.2f} s); "
        f"laying out the {prepared} signed chunks in the background: {prepare_wall:.2f} s (CPU {prepare_cpu:.2f} s, "
        f"one thread); target ≤ {TARGET_SECONDS:.0f} s cold, ≤ {WARM_TARGET_SECONDS:.1f} s warm; "
        f"book built in {built:.1f} s; host load {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    return 0 if median(cold) <= TARGET_SECONDS and median(warm) <= WARM_TARGET_SECONDS else 1


def baseline(revision: str) -> int:
    """The same benchmark with the code of `revision` (e.g. the commit before the change), in a clean process
    from an exported tree (`git archive`: nothing in the checkout changes), for figures side by side."""
    root = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(
            ["git", "archive", revision, "src", "bench"], cwd=root, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        env = {key: value for key, value in os.environ.items() if key != "PYTEST_VERSION"}
        env["PYTHONPATH"] = f"{tmp}/src"
        print(f"records-pdf, the code of {revision}:", flush=True)
        return subprocess.run(
            [sys.executable, "-m", "bench.records_pdf"], cwd=tmp, env=env, check=False
        ).returncode


def main() -> int:
    from django.apps import apps

    if apps.ready:
        # Django already runs against some database here: measure in a clean process instead.
        env = {key: value for key, value in os.environ.items() if key != "PYTEST_VERSION"}
        root = Path(__file__).resolve().parents[1]
        return subprocess.run(
            [sys.executable, "-m", "bench.records_pdf"], cwd=root, env=env, check=False
        ).returncode
    revision = os.environ.get("RECORDS_PDF_BASELINE")
    if revision:
        baseline(revision)
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(Path(tmp) / "bench.sqlite3")
        return run()


if __name__ == "__main__":
    sys.exit(main())
