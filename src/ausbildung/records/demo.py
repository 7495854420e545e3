"""Demo data for the training record (fictional, marked "Demo"): the demo apprentices' record books from the
start of their contracts up to last week, written, submitted and signed through the real services, so that
the signature chains (HMAC links, anchor log) verify and the chamber sees real readiness figures
(BBiG § 43 Abs. 1 Nr. 2 / HwO § 36 Abs. 1 Nr. 2).

For realism the IHK apprentice's book has gaps (the latest week waits for the trainer, one week was sent back
with a comment, two were never written) while the HWK apprentice's is complete. Nothing lies in the future: the
current week (not yet over) stays empty. Idempotent: nothing is added when the contract has periods already.
Loaded by `ausbildung demo` (`demo_load(with_history=True)`), not by the test suite's demo fixture, whose
tests write record weeks of their own.

The signatures carry the time the demo was loaded (the services sign "now"), not a back-dated time.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from ausbildung.core.models import FrameworkItem, Organisation, TrainingContract, User

from . import rules, services
from .models import RecordDay, RecordPeriod

P = RecordDay.Place

# What the weeks say, by occupation (slug) and section; rotated week by week.
TEXTS = {
    "fiausbv": {
        "company": [
            "Arbeitsplätze für neue Kolleginnen eingerichtet, Benutzerkonten angelegt und Drucker verbunden.",
            "Im Team an einer kleinen Web-Anwendung mitgearbeitet: Formular geprüft, Fehler behoben.",
            "Datenbankabfragen für die Auftragsübersicht geschrieben und mit der Ausbilderin besprochen.",
            "Tickets im Helpdesk bearbeitet, zwei Notebooks neu aufgesetzt, Backups kontrolliert.",
            "Unit-Tests für das Kundenportal ergänzt und einen Code-Review mitgemacht.",
        ],
        "instruction": [
            "Unterweisung: Datenschutz bei Kundendaten (DSGVO) und sichere Passwörter.",
            "Unterweisung: Versionsverwaltung mit Git, Branches und Merge-Requests.",
            "Unterweisung: Aufbau eines Netzwerks, IP-Adressen und Subnetze.",
        ],
        "school": [
            "LF 2: Arbeitsplätze nach Kundenwunsch ausstatten; Englisch: Fachtexte.",
            "LF 3: Clients in Netzwerke einbinden; Wirtschaft: Ausbildungsvertrag.",
            "LF 5: Software zur Verwaltung von Daten anpassen; Deutsch: Protokoll.",
        ],
    },
    "tischlausbv": {
        "company": [
            "Korpusmöbel für eine Küche zugeschnitten und verleimt, Kanten angefahren.",
            "Auf der Baustelle Innentüren eingebaut und Zargen ausgerichtet.",
            "Massivholztisch geschliffen und geölt, Oberfläche mit dem Meister abgenommen.",
            "An der Formatkreissäge unter Aufsicht Plattenwerkstoffe zugeschnitten.",
            "Fenster aufgemessen, Aufmaßskizze angefertigt und Material bestellt.",
        ],
        "instruction": [
            "Unterweisung: Arbeitssicherheit an der Tischkreissäge und Schutzausrüstung.",
            "Unterweisung: Holzverbindungen (Dübel, Lamello, Zinken) und wann man welche nimmt.",
            "Unterweisung: Oberflächenbehandlung, Lacke und Öle, Lüften und Lagern.",
        ],
        "school": [
            "LF 3: Kleinmöbel herstellen; Fachzeichnen: Ansichten und Schnitte.",
            "LF 5: Einzelmöbel herstellen; Technische Mathematik: Verschnitt berechnen.",
            "LF 7: Baukörperanschlüsse herstellen; Politik: Tarifvertrag.",
        ],
    },
}

SUMMER_HOLIDAYS = ((7, 7), (8, 15))  # (month, day) range without vocational school (demo value)


def _in_summer_holidays(day: datetime.date) -> bool:
    return SUMMER_HOLIDAYS[0] <= (day.month, day.day) <= SUMMER_HOLIDAYS[1]


def _hours(contract: TrainingContract) -> str:
    """The daily hours of a five-day week of the contract's agreed weekly time (BBiG § 11 Abs. 1 Satz 2 Nr. 4)."""
    return str(((contract.weekly_hours or Decimal(40)) / 5).quantize(Decimal("0.01")))


def _days(
    contract: TrainingContract, start: datetime.date, end: datetime.date, *, school_day: int, leave: bool
):
    land = rules.land_iso(contract)
    hours = _hours(contract)
    days = []
    for day in rules.dates_of(start, end):
        holiday = rules.holiday_name(land, day)
        if day.weekday() >= 5:
            days.append(services.DayInput(date=day, place=P.FREE, hours=None))
        elif holiday:
            days.append(services.DayInput(date=day, place=P.HOLIDAY, hours=None, note=holiday))
        elif leave:
            days.append(services.DayInput(date=day, place=P.LEAVE, hours=None, note="Urlaub"))
        elif day.weekday() == school_day and not _in_summer_holidays(day):
            days.append(services.DayInput(date=day, place=P.SCHOOL, hours=hours, note="BBZ", lessons=6))
        else:
            days.append(services.DayInput(date=day, place=P.COMPANY, hours=hours))
    return days


def _period_input(contract: TrainingContract, index: int, start, end, items: list[int], *, school_day: int):
    texts = TEXTS.get(contract.occupation.slug, TEXTS["fiausbv"])
    # Two weeks of leave in summer and one around the turn of the year (Urlaub, BUrlG / JArbSchG § 19).
    leave = (start.month == 8 and 10 <= start.day <= 23) or (start.month == 12 and start.day >= 27)
    days = _days(contract, start, end, school_day=school_day, leave=leave)
    places = {d.place for d in days}

    def pick(section: str) -> str:
        pool = texts[section]
        return pool[index % len(pool)]

    return services.PeriodInput(
        company_work=pick("company") if P.COMPANY in places else "",
        instruction=pick("instruction") if P.COMPANY in places and index % 2 == 0 else "",
        school=pick("school") if P.SCHOOL in places else "",
        days=days,
        item_ids=[items[(2 * index + k) % len(items)] for k in range(2)] if items else [],
    )


def fill_record(
    contract: TrainingContract,
    apprentice: User,
    trainer: User,
    *,
    today: datetime.date,
    school_day: int,
    gaps: bool,
) -> None:
    """Every week of the contract that ended before this week, written and submitted by the apprentice and
    signed by the trainer. With `gaps`: the latest week waits for the trainer, the third-last was sent back
    with a comment, and the fifth-last and one of the first year were never written."""
    monday = rules.week_start(today)
    weeks = [
        (start, end)
        for start, end in rules.expected_periods(
            form=contract.record_form, start=contract.start_date, end=min(contract.end_date, today)
        )
        if end < monday
    ]
    items = list(
        FrameworkItem.objects.filter(framework_position__plan__occupation_id=contract.occupation_id)
        .order_by("pk")
        .values_list("pk", flat=True)[:60]
    )
    count = len(weeks)
    missing = {count - 5, 11} if gaps else set()
    returned = count - 3 if gaps else -1
    waiting = count - 1 if gaps else -1
    for index, (start, end) in enumerate(weeks):
        if index in missing:
            continue
        data = _period_input(contract, index, start, end, items, school_day=school_day)
        period = services.record_period_save(actor=apprentice, contract=contract, start=start, data=data)
        period = services.record_period_submit(actor=apprentice, period=period)
        if index == waiting:
            continue
        if index == returned:
            services.record_period_return(
                actor=trainer,
                period=period,
                comment="Bitte beschreibe genauer, was du am Mittwoch gemacht hast.",
            )
            continue
        services.record_period_sign(actor=trainer, period=period)


# apprentice, trainer, weekday of vocational school, with gaps: Jonas (IHK, second year) has a week waiting, one
# returned and two missing, so the IHK sees him among the not yet complete records; Lukas (HWK, third year,
# before his exam) has every week signed, so the HWK sees him as ready for admission.
APPRENTICES = [("azubi", "ausbilder", 1, True), ("azubi2", "meister", 2, False)]


def load(organisations: dict[str, Organisation], users: dict[str, User]) -> None:
    today = timezone.localdate()
    for apprentice_name, trainer_name, school_day, gaps in APPRENTICES:
        apprentice, trainer = users.get(apprentice_name), users.get(trainer_name)
        if apprentice is None or trainer is None:
            continue
        contract = (
            TrainingContract.objects.filter(apprentice=apprentice, status=TrainingContract.Status.ACTIVE)
            .select_related("occupation")
            .first()
        )
        if contract is None or RecordPeriod.objects.filter(contract=contract).exists():
            continue
        fill_record(contract, apprentice, trainer, today=today, school_day=school_day, gaps=gaps)
