"""Reads of dropout prevention: the facts of contracts (from the record book, the school's notes, the company's
history and the apprentice's check-ins), their scores, and the lists each role sees. Scope: `access`."""

from __future__ import annotations

import csv
import datetime
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Sum
from django.utils import timezone

from ausbildung.core.models import Organisation, TrainingContract
from ausbildung.core.services import add_months, start_of_day
from ausbildung.records import selectors as records

from . import quality, signals
from .models import (
    Assessment,
    AssessmentRun,
    ChamberConsent,
    CheckIn,
    Dissolution,
    Intervention,
    QualityCheck,
    SchoolNote,
    TalkRequest,
)

RECENT = datetime.timedelta(weeks=13)
SITE_WINDOW_MONTHS = 24

# --- the published dissolution rate of the contract's Zuständigkeitsbereich -------------------------------

FIGURES_FILE = Path(settings.BASE_DIR) / "data" / "statistics" / "figures.csv"
# chamber kind -> the `Vertragsloesungsquote__<Bereich>` suffix of data/statistics/figures.csv
AREA_OF_CHAMBER_KIND = {
    Organisation.ChamberKind.IHK: ("Industrie_und_Handel", "Industrie und Handel"),
    Organisation.ChamberKind.HWK: ("Handwerk", "Handwerk"),
    Organisation.ChamberKind.LWK: ("Landwirtschaft", "Landwirtschaft"),
    Organisation.ChamberKind.FREE_PROFESSIONS: ("Freie_Berufe", "Freie Berufe"),
    Organisation.ChamberKind.PUBLIC_SERVICE: ("Oeffentlicher_Dienst", "Öffentlicher Dienst"),
}


@dataclass(frozen=True)
class AreaRate:
    percent: float
    year: int
    label: str  # e.g. "Handwerk 2023: 36,5 %"
    source_url: str


@cache
def area_rates() -> dict[str, AreaRate]:
    """Per chamber kind: the latest shipped Vertragslösungsquote of its Zuständigkeitsbereich for Germany
    (data/statistics/figures.csv, each row with its source; kinds without a shipped rate are left out)."""
    latest: dict[str, AreaRate] = {}
    with FIGURES_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for kind, (suffix, name) in AREA_OF_CHAMBER_KIND.items():
        for row in rows:
            if row["indicator"] != f"Vertragsloesungsquote__{suffix}" or row["area_code"] != "DE":
                continue
            year, value = int(row["year"]), float(row["value"])
            if kind not in latest or year > latest[kind].year:
                shown = f"{value:.1f}".replace(".", ",")
                latest[kind] = AreaRate(value, year, f"{name} {year}: {shown} %", row["source_url"])
    return latest


# --- facts and scores -----------------------------------------------------------------------------------------


def _counts(queryset, field: str = "contract_id") -> dict[int, int]:
    return dict(queryset.order_by().values_list(field).annotate(n=Count("pk")).values_list(field, "n"))


def site_dissolutions(site_ids=None, *, today: datetime.date) -> dict[int, int]:
    """Per training site (all sites when None): contracts dissolved in the 24 months up to `today` (BBiG § 22)."""
    dissolved = TrainingContract.objects.filter(
        status=TrainingContract.Status.DISSOLVED,
        dissolved_on__gte=add_months(today, -SITE_WINDOW_MONTHS),
        dissolved_on__lte=today,
    )
    if site_ids is not None:
        dissolved = dissolved.filter(site_id__in=set(site_ids))
    return _counts(dissolved, "site_id")


@dataclass(frozen=True)
class ContractRow:
    """What the scoring needs of a contract besides its facts (a TrainingContract has all of it)."""

    pk: int
    start_date: datetime.date
    probation_end: datetime.date
    site_id: int
    chamber_id: int
    chamber_kind: str


def _row(contract) -> ContractRow:
    if isinstance(contract, ContractRow):
        return contract
    return ContractRow(
        contract.pk,
        contract.start_date,
        contract.probation_end,
        contract.site_id,
        contract.chamber_id,
        contract.chamber.chamber_kind,
    )


def facts_of(
    contracts, *, today: datetime.date, private: bool = False, every: bool = False
) -> dict[int, signals.ContractFacts]:
    """The facts of each contract (TrainingContract loaded with its chamber, or ContractRow) as they stood at the
    end of `today`; `private` adds the apprentice's own check-in answers (only for the apprentice's own view).
    `every`: the contracts are all those in training on `today` (the nightly scoring), so the queries read the
    recent rows of every contract instead of a list of ids."""
    rows = [_row(contract) for contract in contracts]
    if not rows:
        return {}
    ids = None if every else [row.pk for row in rows]

    def of(queryset):
        return queryset if ids is None else queryset.filter(contract_id__in=ids)

    tomorrow = start_of_day(today + datetime.timedelta(days=1))
    book = records.retention_record_facts(rows, today=today, every=every)
    notes = of(SchoolNote.objects).filter(created_at__lt=tomorrow).exclude(withdrawn_at__lt=tomorrow)
    absence = dict(
        notes.filter(kind=SchoolNote.Kind.ABSENCE, period_end__gte=today - RECENT, period_end__lte=today)
        .order_by()
        .values_list("contract_id")
        .annotate(n=Sum("days"))
        .values_list("contract_id", "n")
    )
    concern = set(notes.filter(kind=SchoolNote.Kind.CONCERN).values_list("contract_id", flat=True))
    talks = set(
        of(TalkRequest.objects)
        .filter(created_at__lt=tomorrow)
        .exclude(closed_at__lt=tomorrow)
        .values_list("contract_id", flat=True)
    )
    sites = site_dissolutions(None if every else (row.site_id for row in rows), today=today)
    latest_checkins: dict[int, CheckIn] = {}
    if private:
        for checkin in of(CheckIn.objects).filter(answered_at__lt=tomorrow).order_by("answered_at", "pk"):
            latest_checkins[checkin.contract_id] = checkin
    rates = area_rates()
    empty = records.RetentionRecordFacts()
    result = {}
    for row in rows:
        facts = book.get(row.pk, empty)
        latest = latest_checkins.get(row.pk)
        rate = rates.get(row.chamber_kind)
        result[row.pk] = signals.ContractFacts(
            today=today,
            start=row.start_date,
            probation_end=row.probation_end,
            missing_weeks=facts.missing_weeks,
            late_weeks=facts.late_weeks,
            returned_repeatedly=facts.returned_repeatedly,
            reviews_overdue=facts.reviews_overdue,
            findings=facts.findings,
            sick_days=facts.sick_days,
            school_absence_days=absence.get(row.pk) or 0,
            school_concern=row.pk in concern,
            site_dissolutions=sites.get(row.site_id, 0),
            talk_wanted=row.pk in talks,
            checkin_mood_low=latest is not None and latest.mood <= 2,
            checkin_conflicts=latest is not None and latest.conflicts == CheckIn.Conflicts.SERIOUS,
            checkin_instruction_low=latest is not None and latest.instruction <= 2,
            checkin_overtime=latest is not None and latest.overtime,
            checkin_quitting=latest is not None and latest.quitting != CheckIn.Quitting.NEVER,
            area_rate=rate.percent if rate else None,
            area_rate_label=rate.label if rate else "",
        )
    return result


def in_training_on(day: datetime.date):
    """Contracts in training at the end of `day`: begun, not ended, not dissolved by then (a contract dissolved
    later counts, as it was in training then), and not a draft. Values for the nightly scoring."""
    return (
        TrainingContract.objects.exclude(status=TrainingContract.Status.DRAFT)
        .filter(start_date__lte=day, end_date__gte=day)
        .exclude(dissolved_on__lte=day)
        .order_by()
        .values_list("pk", "start_date", "probation_end", "site_id", "chamber_id", "chamber__chamber_kind")
    )


@dataclass(frozen=True)
class Scored:
    contract: TrainingContract
    score: signals.Score


def scored(contracts, *, today: datetime.date | None = None, private: bool = False) -> list[Scored]:
    """The contracts with their scores (shared signals only unless `private`), most points first."""
    today = today or timezone.localdate()
    contracts = list(
        contracts.select_related("apprentice", "occupation", "site", "chamber", "company").order_by("pk")
        if hasattr(contracts, "select_related")
        else contracts
    )
    facts = facts_of(contracts, today=today, private=private)
    rows = []
    for contract in contracts:
        result = signals.score(facts[contract.pk])
        rows.append(Scored(contract, result if private else result.shared()))
    rows.sort(key=lambda row: (-row.score.points, row.contract.apprentice.last_name, row.contract.pk))
    return rows


# --- the apprentice ---------------------------------------------------------------------------------------------


def own_contract(user) -> TrainingContract | None:
    """The apprentice's current active contract (the latest start)."""
    return (
        TrainingContract.objects.filter(apprentice=user, status=TrainingContract.Status.ACTIVE)
        .select_related("chamber", "occupation", "company", "site")
        .order_by("-start_date", "-pk")
        .first()
    )


def checkin_window(contract: TrainingContract, occasion: str) -> tuple[datetime.date, datetime.date]:
    """The days in which a check-in of `occasion` is asked: the first weeks (day 14 to 42), the last three weeks
    of the probation period (BBiG § 20), and three weeks on either side of month 6 and month 12."""
    start = contract.start_date
    three_weeks = datetime.timedelta(weeks=3)
    if occasion == CheckIn.Occasion.FIRST_WEEKS:
        return start + datetime.timedelta(days=14), start + datetime.timedelta(days=42)
    if occasion == CheckIn.Occasion.PROBATION:
        return contract.probation_end - three_weeks, contract.probation_end
    months = 6 if occasion == CheckIn.Occasion.MONTH_6 else 12
    middle = add_months(start, months)
    return middle - three_weeks, middle + three_weeks


def due_checkin(contract: TrainingContract, *, today: datetime.date) -> str | None:
    """The occasion whose window is open today and which is not answered yet (None: nothing asked now)."""
    answered = set(CheckIn.objects.filter(contract=contract).values_list("occasion", flat=True))
    for occasion in CheckIn.Occasion.values:
        first, last = checkin_window(contract, occasion)
        if first <= today <= last and occasion not in answered:
            return occasion
    return None


def open_talks(contract: TrainingContract) -> list[TalkRequest]:
    return list(TalkRequest.objects.filter(contract=contract, closed_at__isnull=True).order_by("created_at"))


def consent_of(contract: TrainingContract) -> ChamberConsent | None:
    """The contract's current consent to the chamber's advisers (not withdrawn), if any."""
    return ChamberConsent.objects.filter(contract=contract, withdrawn_at__isnull=True).order_by("-pk").first()


def consent_counts(
    consent: ChamberConsent | None, contract: TrainingContract, *, today: datetime.date
) -> bool:
    """Whether the consent lets the chamber see the contract: given, not withdrawn, and for a minor confirmed
    by a guardian."""
    if consent is None or consent.withdrawn_at is not None:
        return False
    minor = contract.apprentice.is_minor_on(today)
    return consent.guardian_confirmed_at is not None or minor is False


def pending_guardian_consents(guardian) -> list[ChamberConsent]:
    """Consents of the guardian's current minor wards that wait for a guardian's confirmation."""
    from ausbildung.core.permissions import current_wards_of

    return list(
        ChamberConsent.objects.filter(
            contract__apprentice__in=current_wards_of(guardian),
            withdrawn_at__isnull=True,
            guardian_confirmed_at__isnull=True,
        ).select_related("contract__apprentice", "contract__occupation")
    )


# --- company and chamber ---------------------------------------------------------------------------------------


def interventions(contract: TrainingContract) -> list[Intervention]:
    return list(Intervention.objects.filter(contract=contract).select_related("author"))


def follow_ups_due(contract_ids, *, today: datetime.date) -> dict[int, int]:
    """Per contract: interventions whose follow-up day has come and that nobody looked at again yet."""
    return _counts(
        Intervention.objects.filter(
            contract_id__in=contract_ids, follow_up_on__lte=today, followed_up_at__isnull=True
        )
    )


@dataclass(frozen=True)
class LevelRow:
    """Contracts of one occupation in the chamber's district by level; counts below MINIMUM are hidden."""

    occupation: str
    total: int | None
    watch: int | None
    talk: int | None


MINIMUM = 3  # the smallest count shown (as in monitoring): fewer could point to a person


def _shown(n: int) -> int | None:
    return n if n == 0 or n >= MINIMUM else None


def chamber_levels(contracts, *, run: AssessmentRun | None) -> list[LevelRow] | None:
    """The district's contracts (a queryset) by occupation and level as the latest nightly scoring found them,
    with small counts hidden; None before the first run. Counted in SQL, so a district of 100,000 contracts
    costs one grouped query."""
    if run is None:
        return None
    counts = (
        Assessment.objects.filter(day=run.day, contract__in=contracts)
        .order_by()
        .values_list("contract__occupation__name", "level")
        .annotate(n=Count("pk"))
    )
    by_occupation: dict[str, Counter[str]] = {}
    for name, level, n in counts:
        totals = by_occupation.setdefault(name, Counter())
        totals["total"] += n
        totals[level] += n
    return [
        LevelRow(name, _shown(c["total"]), _shown(c[signals.LEVEL_WATCH]), _shown(c[signals.LEVEL_TALK]))
        for name, c in sorted(by_occupation.items())
    ]


# --- the score's quality (retention.quality) --------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreQuality:
    check: QualityCheck | None  # the latest check (None before the first nightly run)
    verdict: str  # quality.verdict
    generated: bool  # the demo's synthetic history is loaded (the page says what that means)


def score_quality() -> ScoreQuality:
    """The latest quality check of the nightly run and what it says."""
    check = QualityCheck.objects.order_by("-computed_at", "-pk").first()
    auc = None
    if (
        check is not None
        and check.auc is not None
        and check.auc_low is not None
        and check.auc_high is not None
    ):
        auc = quality.Auc(check.auc, check.auc_low, check.auc_high, check.dissolved, check.not_dissolved)
    from ausbildung.core.demo import SYNTHETIC_PREFIX
    from ausbildung.core.models import User

    generated = User.objects.filter(username__startswith=SYNTHETIC_PREFIX).exists()
    return ScoreQuality(check, quality.verdict(auc), generated)


def school_notes(contract_ids) -> list[SchoolNote]:
    return list(
        SchoolNote.objects.filter(contract_id__in=contract_ids).select_related(
            "author", "contract__apprentice"
        )
    )


# --- after a dissolution (BBiG § 22) --------------------------------------------------------------------------

REENTRY_MONTHS = (3, 6, 12)
YES, NO, OPEN = "yes", "no", "open"


@dataclass(frozen=True)
class FollowUp:
    """Whether the young person began another training contract on the platform within 3, 6 and 12 months of
    the dissolution (the official statistics cannot see this): `windows[m]` is YES, NO (the window has passed
    without one) or OPEN (not passed yet, none so far)."""

    dissolution: Dissolution
    next_start: datetime.date | None
    windows: dict[int, str]

    @property
    def nothing_followed(self) -> bool:
        return self.next_start is None


def follow_ups(dissolutions, *, today: datetime.date) -> list[FollowUp]:
    """The follow-up of each dissolution (one query for the later contracts)."""
    dissolutions = list(dissolutions)
    people = {d.contract.apprentice_id for d in dissolutions}
    later: dict[int, list[tuple[datetime.date, int]]] = {}
    for apprentice_id, start, pk in (
        TrainingContract.objects.filter(apprentice_id__in=people)
        .exclude(status=TrainingContract.Status.DRAFT)
        .values_list("apprentice_id", "start_date", "pk")
    ):
        later.setdefault(apprentice_id, []).append((start, pk))
    result = []
    for dissolution in dissolutions:
        contract = dissolution.contract
        starts = sorted(
            start
            for start, pk in later.get(contract.apprentice_id, [])
            if pk != contract.pk and start > contract.start_date
        )
        next_start = starts[0] if starts else None
        windows = {}
        for months in REENTRY_MONTHS:
            deadline = add_months(dissolution.ended_on, months)
            if next_start is not None and next_start <= deadline:
                windows[months] = YES
            else:
                windows[months] = NO if deadline <= today else OPEN
        result.append(FollowUp(dissolution, next_start, windows))
    return result


@dataclass(frozen=True)
class DissolutionFigures:
    """The dissolutions of a district in the last 24 months, as counts (below MINIMUM hidden)."""

    total: int | None
    in_probation: int | None
    later: int | None
    reentry: dict[int, tuple[int | None, int | None]]  # months -> (began again, windows passed)
    reasons: list[tuple[str, int | None]]


def dissolution_figures(dissolutions, *, today: datetime.date) -> DissolutionFigures:
    from .models import DISSOLUTION_REASONS

    rows = follow_ups(dissolutions, today=today)
    in_probation = sum(1 for row in rows if row.dissolution.in_probation)
    reentry = {}
    for months in REENTRY_MONTHS:
        passed = [row for row in rows if row.windows[months] != OPEN]
        began = sum(1 for row in passed if row.windows[months] == YES)
        reentry[months] = (_shown(began), _shown(len(passed)))
    reasons: Counter[str] = Counter(reason for row in rows for reason in row.dissolution.reasons)
    return DissolutionFigures(
        total=_shown(len(rows)),
        in_probation=_shown(in_probation),
        later=_shown(len(rows) - in_probation),
        reentry=reentry,
        reasons=[
            (str(DISSOLUTION_REASONS[key]), _shown(n))
            for key, n in reasons.most_common()
            if key in DISSOLUTION_REASONS
        ],
    )
