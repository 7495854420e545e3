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
import random
from decimal import Decimal

from django.utils import timezone

from ausbildung.core.demo import backdate
from ausbildung.core.models import ContractTrainer, FrameworkItem, Organisation, TrainingContract, User

from . import integrity, rules, services
from .models import RecordDay, RecordEvent, RecordPeriod, RecordSignature

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


# --- the demo region's past, for the monitoring (monitoring.demo) ---------------------------------------------

HISTORY_WEEKS = 6  # the complete weeks before this one
HISTORY_CONTRACTS = 30
FINDING_WEEKS = 8
# What became of a week (weight): signed, submitted in time and waiting, submitted late (more than a week after
# its end) and waiting, left as a draft, never written.
FATES = [("signed", 60), ("submitted", 12), ("late", 10), ("draft", 7), ("missing", 11)]
LONG_DAY = Decimal("10.5")  # above ArbZG § 3 (10 hours) and JArbSchG § 8 Abs. 1 (8 hours)


def _history_days(
    period: RecordPeriod, contract: TrainingContract, land: str, *, long_day: bool
) -> list[RecordDay]:
    daily = (contract.weekly_hours or Decimal(40)) / 5
    days = []
    for day in rules.dates_of(period.start, period.end):
        holiday = rules.holiday_name(land, day)
        if day.weekday() >= 5:
            days.append(RecordDay(period=period, date=day, place=P.FREE))
        elif holiday:
            days.append(RecordDay(period=period, date=day, place=P.HOLIDAY, note=holiday))
        elif day.weekday() == 1 and not _in_summer_holidays(day):
            days.append(RecordDay(period=period, date=day, place=P.SCHOOL, hours=daily, lessons=6))
        else:
            hours = LONG_DAY if long_day and day.weekday() == 3 else daily
            days.append(RecordDay(period=period, date=day, place=P.COMPANY, hours=hours))
    return days


def bulk_history(
    contracts: list[tuple[TrainingContract, User]], *, today: datetime.date, rng: random.Random
) -> None:
    """The record books of some of the current `contracts` (with their main trainer) for the last complete
    weeks, in bulk and deterministic with `rng`: most weeks signed (with keyed links of the signature chain and
    their anchor lines, as `services.record_period_sign` makes them, dated a few days after the week), some
    submitted in time or late and waiting, some drafts, some never written; a few weeks with a day of 10.5
    hours, whose working-time findings (ArbZG § 3, JArbSchG § 8) are computed by the services and wait for the
    trainer."""
    monday = rules.week_start(today)
    weeks = [monday - datetime.timedelta(weeks=n) for n in range(HISTORY_WEEKS, 0, -1)]
    eligible = sorted(
        (pair for pair in contracts if pair[0].start_date <= weeks[0] and pair[0].end_date > today),
        key=lambda pair: pair[0].pk,
    )
    chosen = rng.sample(eligible, k=min(len(eligible), HISTORY_CONTRACTS))
    if not chosen:
        return
    now = timezone.now()
    fates, weights = zip(*FATES, strict=True)
    plans = []
    for contract, trainer in chosen:
        for week in weeks:
            fate = rng.choices(fates, weights=weights)[0]
            if fate != "missing":
                plans.append([contract, trainer, week, fate, False])
    for plan in rng.sample([p for p in plans if p[3] != "draft"], k=min(FINDING_WEEKS, len(plans))):
        plan[3], plan[4] = rng.choice(["submitted", "late"]), True
    periods = []
    for contract, _trainer, week, fate, _long in plans:
        end = week + datetime.timedelta(days=6)
        submitted = None
        if fate in {"signed", "submitted"}:
            submitted = end + datetime.timedelta(days=rng.randrange(0, 4))
        elif fate == "late":
            submitted = end + datetime.timedelta(days=rng.randrange(9, 20))
        if submitted is not None and submitted > today:
            submitted, fate = None, "draft"
        texts = TEXTS.get(contract.occupation.slug)
        periods.append(
            RecordPeriod(
                contract=contract,
                start=week,
                end=end,
                form=contract.record_form,
                state=RecordPeriod.State.DRAFT if submitted is None else RecordPeriod.State.SUBMITTED,
                company_work=texts["company"][week.toordinal() // 7 % 5] if texts else "Arbeiten im Betrieb.",
                school="Berufsschule: Lernfeld des Halbjahres.",
                submitted_at=timezone.make_aware(datetime.datetime.combine(submitted, datetime.time(19)))
                if submitted
                else None,
            )
        )
    RecordPeriod.objects.bulk_create(periods)
    land = rules.land_iso(
        TrainingContract.objects.select_related("site__region__parent").get(pk=chosen[0][0].pk)
    )
    RecordDay.objects.bulk_create(
        [
            day
            for period, plan in zip(periods, plans, strict=True)
            for day in _history_days(period, plan[0], land, long_day=plan[4])
        ]
    )
    events: list[tuple[RecordEvent, datetime.datetime]] = []
    for period, (contract, _trainer, _week, _fate, _long) in zip(periods, plans, strict=True):
        if period.submitted_at is not None:
            events.append(
                (
                    RecordEvent(
                        period=period, actor_id=contract.apprentice_id, action=RecordEvent.Action.SUBMITTED
                    ),
                    period.submitted_at,
                )
            )
    # Working-time findings: computed from the recorded days by the services, as a save computes them.
    for contract, _trainer, week, _fate, long_day in plans:
        if long_day:
            services.working_time_recompute(actor=None, contract=contract, week=week)
    # The signed weeks: each contract's chain of keyed links in the order of its weeks.
    to_sign = {p.pk for p, plan in zip(periods, plans, strict=True) if plan[3] == "signed" and p.submitted_at}
    loaded = {
        p.pk: p
        for p in RecordPeriod.objects.filter(pk__in=to_sign)
        .select_related("contract")
        .prefetch_related("days", "items")
        .order_by("contract_id", "start")
    }
    key_id = integrity.current_key_id()
    signatures: list[RecordSignature] = []
    signed: list[RecordPeriod] = []
    anchors: list[tuple[int, int, int, str]] = []
    heads: dict[int, tuple[int, str, datetime.datetime]] = {}
    trainer_of = {p.pk: plan[1] for p, plan in zip(periods, plans, strict=True)}
    for pk, period in loaded.items():
        trainer = trainer_of[pk]
        submitted_at = period.submitted_at
        if submitted_at is None:
            continue
        sequence, previous, last_at = heads.get(period.contract_id, (0, "", submitted_at))
        at: datetime.datetime = max(submitted_at, last_at) + datetime.timedelta(
            days=rng.randrange(1, 5), minutes=1
        )
        if at >= now:
            continue
        content = services.period_content(period)
        digest = integrity.content_digest(content)
        head = integrity.link_hash(
            key_id=key_id,
            previous=previous,
            sequence=sequence + 1,
            period_id=period.pk,
            content=digest,
            signer_id=trainer.pk,
            at=at,
        )
        signatures.append(
            RecordSignature(
                contract_id=period.contract_id,
                period=period,
                sequence=sequence + 1,
                signer=trainer,
                signer_kind=ContractTrainer.Kind.MAIN,
                signed_at=at,
                content_hash=digest,
                content=content,
                previous_hash=previous,
                chain_hash=head,
                key_id=key_id,
                code=integrity.code_of(head),
            )
        )
        heads[period.contract_id] = (sequence + 1, head, at)
        period.state, period.signed_at, period.signed_by, period.content_hash = (
            RecordPeriod.State.SIGNED,
            at,
            trainer,
            digest,
        )
        signed.append(period)
        events.append((RecordEvent(period=period, actor=trainer, action=RecordEvent.Action.SIGNED), at))
        anchors.append((period.contract_id, sequence + 1, period.pk, head))
    RecordSignature.objects.bulk_create(signatures)
    RecordPeriod.objects.filter(pk__in=[p.pk for p in signed]).update(
        state=RecordPeriod.State.SIGNED, return_comment=""
    )
    backdate(RecordPeriod, [(p.pk, {"signed_at": p.signed_at}) for p in signed if p.signed_at])
    for period in signed:  # signer and content hash: one UPDATE per period (a few hundred)
        RecordPeriod.objects.filter(pk=period.pk).update(
            signed_by=period.signed_by, content_hash=period.content_hash
        )
    RecordEvent.objects.bulk_create([event for event, _at in events])
    backdate(RecordEvent, [(event.pk, {"created_at": at}) for event, at in events])
    for contract_id, sequence, period_id, head in anchors:
        integrity.anchor_on_commit(
            kind=integrity.SIGN, contract_id=contract_id, sequence=sequence, period_id=period_id, head=head
        )
