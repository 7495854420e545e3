"""Reads of the training record, scoped through `records.access` (object not in scope → 404)."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import (
    CharField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.db.models.expressions import Case, When
from django.db.models.functions import (
    Cast,
    Coalesce,
    Concat,
    ExtractYear,
    Least,
    TruncDate,
    TruncMonth,
    TruncWeek,
)
from django.http import Http404
from django.utils import timezone

from ausbildung.core import permissions
from ausbildung.core.models import FrameworkItem, FrameworkPosition, Role, TrainingContract, TrainingSite
from ausbildung.core.services import start_of_day

from . import access, rules
from .models import (
    ExaminerShare,
    RecordDay,
    RecordEvent,
    RecordPeriod,
    RecordSignature,
    WorkingTimeFinding,
)

MISSING = "missing"


BOOK_RELATED = (
    "apprentice",
    "company",
    "site__region__parent",
    "occupation",
    "specialisation",
    "chamber",
    "vocational_school",
)


def get_record_contract_for(
    user, contract_id: int, *, related: tuple[str, ...] = BOOK_RELATED
) -> tuple[TrainingContract, str]:
    """The contract and the level of record access (full / school); 404 when the person has none.

    `related` names the relations the caller shows (a ten-table join costs more than the page needs)."""
    # Ordered by the key (one row at most): the model's default ordering would only add compile work.
    contract = TrainingContract.objects.select_related(*related).filter(pk=contract_id).order_by("pk").first()
    if contract is None:
        raise Http404
    level = access.record_access(user, contract)
    if level is None:
        raise Http404
    return contract, level


def get_full_record_contract_for(user, contract_id: int) -> TrainingContract:
    """The contract whose whole record the person reads (coverage, exports); 404 for the school section only
    or no access."""
    contract, level = get_record_contract_for(user, contract_id)
    if level != access.RECORD_FULL:
        raise Http404
    return contract


def get_period_to_review_for(user, contract_id: int, start: datetime.date) -> RecordPeriod:
    """A period the person reviews as a current trainer of its contract (BBiG § 14 Abs. 2); 404 otherwise."""
    contract, _level = get_record_contract_for(user, contract_id)
    if not access.can_review_record(user, contract):
        raise Http404
    period = get_period(contract, start)
    if period is None:
        raise Http404
    period.contract = contract  # already loaded: the services read it
    return period


def get_contract_to_share_for(user, contract_id: int) -> TrainingContract:
    """A contract whose record the person may open to an examiner (its chamber's officers); 404 otherwise."""
    contract, _level = get_record_contract_for(user, contract_id)
    if not access.can_share_record(user, contract):
        raise Http404
    return contract


def get_contract_to_acknowledge_for(user, contract_id: int) -> TrainingContract:
    """A contract whose record the person acknowledges as legal guardian of a minor apprentice (BGB § 2);
    404 otherwise."""
    contract, _level = get_record_contract_for(user, contract_id)
    if not access.can_acknowledge_record(user, contract):
        raise Http404
    return contract


def load_site_region(contract: TrainingContract) -> None:
    """Fetch the contract's training site with its region and Land (public holidays) in one query."""
    contract.site = TrainingSite.objects.select_related("region__parent").get(pk=contract.site_id)


def active_contract_of(user) -> TrainingContract | None:
    return (
        TrainingContract.objects.filter(apprentice=user, status=TrainingContract.Status.ACTIVE)
        .order_by("-start_date")
        .first()
    )


def get_period(contract: TrainingContract, start: datetime.date) -> RecordPeriod | None:
    """The period with its days, items (with their positions) and events (with their actors): four queries.

    The related rows are ordered explicitly, in the order of the models' defaults within one period: those
    defaults start with the period (and so with the contract), which would join both tables into every query
    for nothing and cost ORM work on every page (docs/performance.md, "records-load")."""
    return (
        RecordPeriod.objects.filter(contract=contract, start=start)
        .prefetch_related(
            Prefetch("days", queryset=RecordDay.objects.order_by("date")),
            Prefetch(
                "items",
                queryset=FrameworkItem.objects.select_related("framework_position").order_by(
                    "framework_position__plan_id", "framework_position__position", "position"
                ),
            ),
            Prefetch(
                "events", queryset=RecordEvent.objects.select_related("actor").order_by("created_at", "id")
            ),
        )
        .select_related("signed_by")
        .order_by("pk")  # (contract, start) is unique: one row at most
        .first()
    )


@dataclass
class SignedVersion:
    """A version of a period as it was signed (kept on its signature), for reading beside a later draft."""

    sequence: int
    signed_at: datetime.datetime
    signer: object
    sections: dict[str, str]
    days: list[tuple[datetime.date, str, Decimal | None, str]]
    items: list[FrameworkItem]
    content_hash: str


def previous_period(
    contract: TrainingContract, before: datetime.date, *, with_days: bool = False
) -> RecordPeriod | None:
    """The contract's last period starting before `before`, or None: one query, two `with_days` (the prefill
    of a period not yet written repeats its school days and hours, `rules.new_period`)."""
    periods = RecordPeriod.objects.filter(contract=contract, start__lt=before).order_by("-start")
    if with_days:
        periods = periods.prefetch_related(Prefetch("days", queryset=RecordDay.objects.order_by("date")))
    return periods.first()


def signed_versions(period: RecordPeriod) -> list[SignedVersion]:
    """The signed versions of a period that differ from what it shows now: all of them while it is reopened,
    the earlier ones once it is signed again. Legacy signatures (made before signed versions were kept) have
    none to show. Two queries (the signatures, the tagged items)."""
    links = list(
        RecordSignature.objects.filter(period=period, content__isnull=False)
        .select_related("signer")
        .order_by("-sequence")
    )
    if period.state == RecordPeriod.State.SIGNED and links and links[0].content_hash == period.content_hash:
        links = links[1:]
    contents: list[dict] = [link.content or {} for link in links]
    item_ids = {pk for content in contents for pk in content.get("items", [])}
    items = (
        FrameworkItem.objects.select_related("framework_position").in_bulk(list(item_ids)) if item_ids else {}
    )
    versions = []
    for link, content in zip(links, contents, strict=True):
        versions.append(
            SignedVersion(
                sequence=link.sequence,
                signed_at=link.signed_at,
                signer=link.signer,
                sections={key: content.get(key, "") for key in ("company_work", "instruction", "school")},
                days=[
                    (
                        datetime.date.fromisoformat(date),
                        place,
                        Decimal(hours) if hours is not None else None,
                        note,
                    )
                    for date, place, hours, note in content.get("days", [])
                ],
                items=[items[pk] for pk in content.get("items", []) if pk in items],
                content_hash=link.content_hash,
            )
        )
    return versions


# --- the book and its completeness ---------------------------------------------------------------------------


@dataclass
class BookRow:
    start: datetime.date
    end: datetime.date
    status: str  # a RecordPeriod.State or MISSING
    period: RecordPeriod | None = None
    training_year: int = 1
    ended: bool = True  # its last day has begun (rules.period_has_ended): an empty one is missing, else open


@dataclass
class BookSummary:
    expected: int = 0
    counts: Counter = field(default_factory=Counter)
    last_review: datetime.datetime | None = None
    oldest_waiting: datetime.datetime | None = None
    review_overdue: bool = False
    missing: list[tuple[datetime.date, datetime.date]] = field(default_factory=list)

    @property
    def signed(self) -> int:
        return self.counts[RecordPeriod.State.SIGNED]

    @property
    def complete(self) -> bool:
        """Every period up to the cut-off exists and is signed (BBiG § 43 Abs. 1 Nr. 2: a "vom Ausbilder und
        Auszubildenden unterzeichneten Ausbildungsnachweis")."""
        return self.expected > 0 and self.signed >= self.expected and not self.missing

    @property
    def percent_signed(self) -> int:
        return round(100 * self.signed / self.expected) if self.expected else 0


def book_rows(
    contract: TrainingContract, *, until: datetime.date, periods: list[RecordPeriod] | None = None
) -> list[BookRow]:
    """Every period from the start of training to `until` (today, end or dissolution), with its state.

    `periods` are the contract's saved periods when the caller has loaded them already (several contracts)."""
    if periods is None:
        periods = list(RecordPeriod.objects.filter(contract=contract))
    by_start = {p.start: p for p in periods}
    rows = []
    for start, end in rules.periods_until(
        form=contract.record_form,
        contract_start=contract.start_date,
        contract_end=contract.end_date,
        last=rules.contract_last_day(contract, until),
        land_iso=rules.land_iso(contract),
    ):
        period = by_start.get(start)
        rows.append(
            BookRow(
                start=start,
                end=end,
                status=period.state if period else MISSING,
                period=period,
                training_year=rules.training_year(contract.start_date, start),
                ended=rules.period_has_ended(end, until),
            )
        )
    return rows


def summarise(
    contract: TrainingContract,
    rows: list[BookRow],
    *,
    today: datetime.date,
    last_review: datetime.datetime | None,
) -> BookSummary:
    # A period counts once it has ended (or was already handed in): the current week is not yet "missing".
    due = [
        r
        for r in rows
        if r.end <= today or r.status in {RecordPeriod.State.SUBMITTED, RecordPeriod.State.SIGNED}
    ]
    summary = BookSummary(expected=len(due), last_review=last_review)
    for row in due:
        summary.counts[row.status] += 1
        if row.status != RecordPeriod.State.SIGNED:
            summary.missing.append((row.start, row.end))
    waiting = [r.period.submitted_at for r in rows if r.period and r.status == RecordPeriod.State.SUBMITTED]
    summary.oldest_waiting = min((w for w in waiting if w), default=None)
    interval = datetime.timedelta(days=rules.rules_for(contract).review_interval_days)
    if summary.oldest_waiting is not None and summary.oldest_waiting.date() + interval < today:
        summary.review_overdue = True
    return summary


def book_summary(contract: TrainingContract, *, today: datetime.date) -> BookSummary:
    rows = book_rows(contract, until=today)
    last_review = RecordPeriod.objects.filter(contract=contract).aggregate(m=Max("signed_at"))["m"]
    return summarise(contract, rows, today=today, last_review=last_review)


def readiness(contract: TrainingContract, *, cutoff: datetime.date) -> BookSummary:
    """Exam readiness (zulassungsreif, BBiG § 43 Abs. 1 Nr. 2 / HwO § 36 Abs. 1 Nr. 2) up to a cut-off date."""
    return book_summary(contract, today=cutoff)


@dataclass
class MissingRange:
    """Consecutive periods of the contract's calendar without any entry: first start, last end, how many."""

    start: datetime.date
    end: datetime.date
    periods: int


@dataclass
class Completeness:
    """How complete a book is on a day, as its export states it on the cover.

    Counted over the periods that are due (`summarise`: a period is due once its last day has come, or once
    it was handed in): `signed`, `submitted` (waiting for sign-off), `returned`, `draft` (written, not
    submitted) and `missing` (no entry at all, listed as `missing_ranges`). Periods that lie ahead (not yet
    due) are never missing; those already written as a plan are `ahead`."""

    due: int = 0
    signed: int = 0
    submitted: int = 0
    returned: int = 0
    draft: int = 0
    missing: int = 0
    ahead: int = 0
    missing_ranges: list[MissingRange] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.due > 0 and self.signed == self.due


def is_ahead(period: RecordPeriod, *, today: datetime.date) -> bool:
    """A period whose last day has not come yet (a plan written ahead): not due, and never counted or shown as
    signed in an export (BBiG § 43 Abs. 1 Nr. 2: the record is evidence of what happened)."""
    return not rules.period_has_ended(period.end, today)


def completeness(
    contract: TrainingContract, *, today: datetime.date, periods: list[RecordPeriod] | None = None
) -> Completeness:
    """The completeness of the contract's book on `today` (see `Completeness`); `periods` when the caller has
    the contract's periods loaded already (one query otherwise)."""
    if periods is None:
        periods = list(RecordPeriod.objects.filter(contract=contract).only("pk", "start", "end", "state"))
    rows = book_rows(contract, until=today, periods=periods)
    State = RecordPeriod.State
    result = Completeness()
    counted: dict[str, str] = {
        State.SIGNED: "signed",
        State.SUBMITTED: "submitted",
        State.RETURNED: "returned",
    }
    run: list[BookRow] = []

    def close_run() -> None:
        if run:
            result.missing_ranges.append(MissingRange(start=run[0].start, end=run[-1].end, periods=len(run)))
            run.clear()

    for row in rows:
        if row.end > today and row.period is None:
            continue  # the current period, not yet written: not missing
        if row.period is not None and is_ahead(row.period, today=today):
            continue  # counted with the periods ahead below
        result.due += 1
        if row.period is None:
            result.missing += 1
            run.append(row)
            continue
        close_run()
        attribute = counted.get(row.period.state, "draft")
        setattr(result, attribute, getattr(result, attribute) + 1)
    close_run()
    result.ahead = sum(1 for p in periods if is_ahead(p, today=today))
    return result


# --- trainer and company -------------------------------------------------------------------------------------


def review_queue(user) -> QuerySet[RecordPeriod]:
    """Submitted periods of every contract the person currently trains, most urgent first: the oldest period
    first (by its start; among periods of the same week, the one submitted first)."""
    return (
        RecordPeriod.objects.filter(
            permissions.current_trainer_links_q(user, "contract"),
            state=RecordPeriod.State.SUBMITTED,
            contract__status=TrainingContract.Status.ACTIVE,
        )
        .select_related("contract__apprentice", "contract__occupation")
        .order_by("start", "submitted_at", "pk")
    )


def review_intervals(chamber_ids) -> dict[int, int]:
    """Per chamber id: the days within which a submitted period is to be reviewed, from the chamber's rules
    (`ChamberRules.review_interval_days`), else the default of `rules.DEFAULT_RULES` (31 days: the BIBB
    Hauptausschuss recommendation of a review at least monthly; BBiG § 14 Abs. 2 only says "regelmäßig")."""
    from .models import ChamberRules

    ids = set(chamber_ids)
    intervals = dict.fromkeys(ids, rules.DEFAULT_RULES.review_interval_days)
    intervals.update(
        ChamberRules.objects.filter(chamber_id__in=ids).values_list("chamber_id", "review_interval_days")
    )
    return intervals


def review_overdue(
    submitted_at: datetime.datetime | None, interval_days: int, *, today: datetime.date
) -> bool:
    """A submitted period is overdue for review once more than its chamber's review interval has passed since
    it was submitted (the same rule as `summarise` for the book's warning). A platform rule derived from the
    chamber profile, not a legal deadline."""
    if submitted_at is None:
        return False
    return timezone.localdate(submitted_at) + datetime.timedelta(days=interval_days) < today


@dataclass
class QueueCount:
    """How many periods wait for the person's review, and how many of them are overdue."""

    waiting: int = 0
    overdue: int = 0


def review_queue_counts(user, *, today: datetime.date) -> QueueCount:
    """The size of the person's review queue and its overdue part (two queries), e.g. for the home page."""
    rows = list(review_queue(user).select_related(None).values_list("submitted_at", "contract__chamber_id"))
    intervals = review_intervals(chamber for _at, chamber in rows) if rows else {}
    overdue = sum(1 for at, chamber in rows if review_overdue(at, intervals[chamber], today=today))
    return QueueCount(waiting=len(rows), overdue=overdue)


def review_queue_count(user) -> int:
    """How many submitted periods wait for the person's review (one query; 0 for anyone who trains nobody)."""
    return review_queue(user).select_related(None).order_by().count()


def next_in_queue(user, *, after: RecordPeriod | None = None) -> RecordPeriod | None:
    """The most urgent period of the person's review queue other than `after` (the one just handled)."""
    periods = review_queue(user)
    if after is not None:
        periods = periods.exclude(pk=after.pk)
    return periods.first()


def overview_contracts(user) -> QuerySet[TrainingContract]:
    """Contracts a trainer currently trains or a company administrator's company holds.

    The person's trained contracts and companies are read first (two small queries), so that the contracts are
    found through the indexes on id and company (an OR of two subqueries made PostgreSQL read every contract:
    17 ms for 13,000, about 1.7 s for 1.3 million; bench/retention_nightly.py)."""
    trained = list(permissions.current_trainer_links(user).values_list("contract_id", flat=True))
    companies = list(permissions.organisations_for(user, Role.COMPANY_ADMIN).values_list("pk", flat=True))
    return (
        TrainingContract.objects.filter(
            Q(pk__in=trained) | Q(company_id__in=companies), status=TrainingContract.Status.ACTIVE
        )
        .select_related("apprentice", "occupation", "site__region__parent", "chamber")
        .order_by("apprentice__last_name", "apprentice__first_name")
    )


def summaries(contracts: list[TrainingContract], *, today: datetime.date) -> dict[int, BookSummary]:
    """Book summaries for many contracts with a fixed number of queries (no N+1)."""
    by_contract: dict[int, list[RecordPeriod]] = defaultdict(list)
    periods = RecordPeriod.objects.filter(contract__in=contracts).only(
        "pk", "contract_id", "start", "end", "state", "submitted_at", "signed_at"
    )
    for period in periods:
        by_contract[period.contract_id].append(period)
    result = {}
    for contract in contracts:
        saved = by_contract[contract.pk]
        rows = book_rows(contract, until=today, periods=saved)
        last_review = max((p.signed_at for p in saved if p.signed_at), default=None)
        result[contract.pk] = summarise(contract, rows, today=today, last_review=last_review)
    return result


def chamber_contracts(user) -> QuerySet[TrainingContract]:
    chambers = permissions.organisations_for(user, Role.CHAMBER_OFFICER)
    return (
        TrainingContract.objects.filter(chamber__in=chambers)
        .exclude(status=TrainingContract.Status.DRAFT)
        .select_related("apprentice", "occupation", "company", "site__region__parent", "chamber")
        .order_by("end_date", "apprentice__last_name")
    )


def chamber_examiner_shares(user) -> QuerySet[ExaminerShare]:
    """The examiner links of the contracts registered with the user's chambers, newest first."""
    chambers = permissions.organisations_for(user, Role.CHAMBER_OFFICER)
    return (
        ExaminerShare.objects.filter(contract__chamber__in=chambers)
        .select_related("contract__apprentice", "contract__occupation", "created_by")
        .order_by("-created_at")
    )


def get_examiner_share_for(user, share_id: int) -> ExaminerShare:
    """An examiner link of one of the user's chambers; 404 for any other."""
    share = chamber_examiner_shares(user).filter(pk=share_id).first()
    if share is None:
        raise Http404
    return share


# --- framework-plan coverage ---------------------------------------------------------------------------------


@dataclass
class CoverageRow:
    position: FrameworkPosition
    recorded_weeks: Decimal
    guideline_weeks: int | None  # sum of the Richtwerte in weeks, None where the plan gives none
    throughout: bool

    @property
    def touched(self) -> bool:
        return self.recorded_weeks > 0


def own_plan_positions(
    contract: TrainingContract, *, additional: bool = False
) -> QuerySet[FrameworkPosition]:
    """The apprentice's own framework plan (BBiG § 5 Abs. 1 Nr. 4 with the regulation's structure): the
    compulsory positions without specialisation or of the contract's Fachrichtung/Schwerpunkt, and the
    Wahlqualifikationen chosen in the contract (`TrainingContract.electives`, with their sub-positions);
    with `additional`, only the Zusatzqualifikationen (§ 5 Abs. 2 Nr. 5: optional, examined apart, § 49).
    Group headings are left out."""
    Kind = FrameworkPosition.Kind
    own = FrameworkPosition.objects.filter(plan__occupation_id=contract.occupation_id, is_group=False).filter(
        Q(specialisation__isnull=True) | Q(specialisation_id=contract.specialisation_id)
    )
    if additional:
        return own.filter(kind=Kind.ADDITIONAL).order_by("position")
    # One query with the rest (no read of the electives first): a chosen unit, or a sub-position ("II.3.1") of
    # one in the same section.
    chosen = TrainingContract.electives.through.objects.filter(trainingcontract_id=contract.pk)
    parent = (
        chosen.filter(
            frameworkposition__plan_id=OuterRef("plan_id"),
            frameworkposition__section_label=OuterRef("section_label"),
            frameworkposition__section_title=OuterRef("section_title"),
        )
        .annotate(outer_number=ExpressionWrapper(OuterRef("number"), output_field=CharField()))  # type: ignore[misc]
        .filter(outer_number__startswith=Concat(F("frameworkposition__number"), Value(".")))
    )
    elective = Q(kind=Kind.ELECTIVE) & (Q(pk__in=chosen.values("frameworkposition_id")) | Exists(parent))
    return own.filter(Q(kind=Kind.COMPULSORY) | elective).order_by("position")


def taggable_positions(contract: TrainingContract) -> QuerySet[FrameworkPosition]:
    """What the apprentice can tag on a period: their own plan and the Zusatzqualifikationen."""
    own = own_plan_positions(contract).values("pk")
    extra = own_plan_positions(contract, additional=True).values("pk")
    return FrameworkPosition.objects.filter(Q(pk__in=own) | Q(pk__in=extra)).order_by("position")


def coverage(contract: TrainingContract, *, additional: bool = False) -> list[CoverageRow]:
    """Weeks recorded per position of the apprentice's own framework plan (`own_plan_positions`) beside its
    zeitliche Richtwert; with `additional`, the same for the Zusatzqualifikationen (listed apart, optional:
    never counted as missing).

    The time of a period (its company and external-training days, 5 days = 1 week) is split evenly over the
    items tagged on it; each item counts for its position. Guidance, not a grade.
    """
    positions = list(own_plan_positions(contract, additional=additional))
    recorded: dict[int, Decimal] = defaultdict(Decimal)
    periods = (
        RecordPeriod.objects.filter(
            contract=contract, state__in=[RecordPeriod.State.SUBMITTED, RecordPeriod.State.SIGNED]
        )
        .annotate(
            work_days=Count(
                "days",
                filter=Q(days__place__in=[RecordDay.Place.COMPANY, RecordDay.Place.EXTERNAL]),
                distinct=True,
            )
        )
        .prefetch_related("items")
    )
    for period in periods:
        items = list(period.items.all())
        if not items or not period.work_days:
            continue
        share = Decimal(period.work_days) / Decimal(5) / Decimal(len(items))
        for item in items:
            recorded[item.framework_position_id] += share
    rows = []
    for position in positions:
        weeks = [w for w in position.weeks if w is not None]
        rows.append(
            CoverageRow(
                position=position,
                recorded_weeks=recorded[position.pk].quantize(Decimal("0.1")),
                guideline_weeks=sum(weeks) if weeks else None,
                throughout=position.throughout,
            )
        )
    return rows


def guardian_acknowledgement_due(contract: TrainingContract, *, today: datetime.date) -> bool:
    """For a minor apprentice, the chamber's profile may ask legal guardians to acknowledge the record at
    intervals (HA recommendation: "in angemessenen Zeitabständen")."""
    from .models import GuardianAcknowledgement

    profile = rules.rules_for(contract)
    if not profile.guardian_signoff or not contract.apprentice.is_minor_on(today):
        return False
    if not contract.apprentice.guardians.exists():
        return False
    last = GuardianAcknowledgement.objects.filter(contract=contract).order_by("-up_to").first()
    started = max(contract.start_date, today - datetime.timedelta(days=profile.guardian_interval_days))
    return (
        last is None and today - contract.start_date > datetime.timedelta(days=profile.guardian_interval_days)
    ) or (last is not None and last.up_to < started)


# --- working-time findings (records.worktime; stored by records.services.working_time_recompute) ---------------


def working_time_findings(
    *, contracts=None, since: datetime.date | None = None
) -> QuerySet[WorkingTimeFinding]:
    """Stored working-time findings, oldest week first: of the given contracts (a queryset or ids; all when
    None) and of the weeks from `since` on. Facts for other apps (e.g. dropout prevention); no scope check:
    the caller passes the contracts the person may see."""
    findings = WorkingTimeFinding.objects.select_related("period").order_by("week_start", "day", "rule", "pk")
    if contracts is not None:
        findings = findings.filter(contract__in=contracts)
    if since is not None:
        findings = findings.filter(week_start__gte=rules.week_start(since))
    return findings


def working_time_finding_counts(contracts, *, since: datetime.date | None = None) -> dict[int, int]:
    """Per contract id: how many working-time findings are stored (contracts without any are left out)."""
    findings = working_time_findings(contracts=contracts, since=since).order_by()
    return dict(findings.values_list("contract_id").annotate(n=Count("pk")).values_list("contract_id", "n"))


def period_finding_counts(period_ids) -> dict[int, int]:
    """Per period id: how many working-time findings it has (for the review queue)."""
    rows = WorkingTimeFinding.objects.filter(period_id__in=period_ids).order_by().values_list("period_id")
    return dict(rows.annotate(n=Count("pk")).values_list("period_id", "n"))


@dataclass
class WorkingTimeNotice:
    """What the week page shows about working time: the period's findings, and whether the rules for minors
    could not be checked because the apprentice's date of birth is unknown (never assumed to be adult)."""

    findings: list[WorkingTimeFinding]
    age_unknown: bool


def working_time_of_period(period: RecordPeriod | None, contract: TrainingContract) -> WorkingTimeNotice:
    if period is None:
        return WorkingTimeNotice(findings=[], age_unknown=False)
    findings = list(period.working_time_findings.order_by("day", "rule"))
    return WorkingTimeNotice(
        findings=findings, age_unknown=contract.apprentice.is_minor_on(period.start) is None
    )


def get_findings_contract_for(user, contract_id: int) -> TrainingContract:
    """The contract whose working-time findings the person reads: whoever reads the whole record (the
    apprentice, current trainers, the company's administrators, the chamber of the contract, guardians of a
    minor, platform administrators); 404 otherwise, former trainers and company administrators included."""
    return get_full_record_contract_for(user, contract_id)


# --- facts for the monitoring (issue #19): grouped counts, no persons ----------------------------------------
#
# The monitoring app sits above every area, so each area hands it plain tuples: (measure, year, month,
# kreis_code, occupation_id, responsibility, count), the same shape as `offers.selectors` (which this area may
# not import): `year` the reporting year (1 October Y−1 – 30 September Y), `month` the first day of the month
# (None for a whole year), `kreis_code` the ARS of the training site's Kreis (else the company's, else ""),
# `responsibility` the kind of the contract's competent chamber. Definitions: docs/domain.md, "Monitoring:
# platform measures". A record week is a calendar week (Monday to Sunday) of a contract's training time; every
# fact is dated by the Monday of its week.

Fact = tuple[str, int, datetime.date | None, str, int | None, str, int]
FactCell = tuple[int, datetime.date | None, str, int | None, str]


def _reporting_year(day: datetime.date) -> int:
    return day.year + 1 if day.month >= 10 else day.year


def _reporting_year_sql(field: str) -> Case:
    return Case(
        When(**{f"{field}__month__gte": 10}, then=ExtractYear(field) + 1),
        default=ExtractYear(field),
        output_field=IntegerField(),
    )


def _kreis_sql(*regions: str) -> Case:
    return Case(
        *(When(**{f"{region}__level": "kreis"}, then=F(f"{region}__code")) for region in regions),
        default=Value(""),
        output_field=CharField(),
    )


def _monitored_contracts(kreise: Collection[str] | None) -> QuerySet[TrainingContract]:
    contracts = (
        TrainingContract.objects.exclude(status=TrainingContract.Status.DRAFT)
        .order_by()
        .annotate(
            kreis=_kreis_sql("site__region", "company__region"),
            responsibility=Coalesce(F("chamber__chamber_kind"), Value(""), output_field=CharField()),
        )
    )
    if kreise is not None:
        contracts = contracts.filter(kreis__in=list(kreise))
    return contracts


def monitoring_record_facts(
    kreise: Collection[str] | None = None, *, today: datetime.date | None = None
) -> list[Fact]:
    """The training record of the contracts on the platform (not drafts), per reporting year and month of the
    record week's Monday:
    `record_contracts` contracts with at least one due record week in the year (month);
    `record_weeks_due` calendar weeks from the week of the start of training whose last day (Sunday, or the
    end of training or the day of dissolution) has come by `today` (as `summarise` counts a period due);
    `record_weeks_submitted` of them handed in (a period submitted or signed; a daily book's week as soon as
    one of its days is), `record_weeks_signed` signed, `record_weeks_late` due and not handed in (missing,
    draft or returned) on `today`; `worktime_findings` the stored working-time findings of the weeks
    (`working_time_findings`, JArbSchG / ArbZG).

    The facts name the Kreis and the chamber kind (the chamber district), not the occupation
    (`occupation_id` is None): the issue asks for the record book per chamber district, and a cube per
    occupation × month would be large for little use.

    Cost: the periods and findings are counted in the database (grouped by Kreis, chamber kind and week). Due
    weeks need each contract's calendar: the contracts are grouped in the database by Kreis, chamber kind and
    their first and last day, and each group adds its count where its first due week begins and takes it off
    after its last (a sweep), so the work is one step per group plus one per week and district, however long
    the contracts run (1.5 million contracts: a few seconds)."""
    today = today or timezone.localdate()
    contracts = _monitored_contracts(kreise)
    last_day = Least(F("end_date"), Coalesce(F("dissolved_on"), F("end_date")))
    groups = (
        contracts.annotate(last_day=last_day)
        .values("kreis", "responsibility", "start_date", "last_day")
        .annotate(n=Count("pk"))
    )
    week = datetime.timedelta(days=7)
    weekly: dict[tuple[str, str], dict[datetime.date, int]] = defaultdict(lambda: defaultdict(int))
    by_month: dict[tuple[str, str], dict[datetime.date, int]] = defaultdict(lambda: defaultdict(int))
    yearly: dict[tuple[str, str], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for group in groups.iterator(chunk_size=10000):
        first = rules.week_start(group["start_date"])
        ending = min(group["last_day"], today)
        last = rules.week_start(ending)
        if min(last + datetime.timedelta(days=6), group["last_day"]) > today:
            last -= week  # the current week is not due yet
        if last < first:
            continue
        where, n = (group["kreis"], group["responsibility"]), group["n"]
        weekly[where][first] += n
        weekly[where][last + week] -= n
        by_month[where][first.replace(day=1)] += n
        by_month[where][(last.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)] -= n
        yearly[where][_reporting_year(first)] += n
        yearly[where][_reporting_year(last) + 1] -= n
    due: dict[FactCell, int] = defaultdict(int)
    running: dict[FactCell, int] = defaultdict(int)
    for (kreis, responsibility), deltas in weekly.items():
        active, monday, end = 0, min(deltas), max(deltas)
        while monday < end:
            active += deltas.get(monday, 0)
            if active:
                year = _reporting_year(monday)
                due[(year, monday.replace(day=1), kreis, None, responsibility)] += active
                due[(year, None, kreis, None, responsibility)] += active
            monday += week
    for (kreis, responsibility), deltas in by_month.items():
        active, month, end = 0, min(deltas), max(deltas)
        while month < end:
            active += deltas.get(month, 0)
            if active:
                running[(_reporting_year(month), month, kreis, None, responsibility)] += active
            month = (month + datetime.timedelta(days=32)).replace(day=1)
    for (kreis, responsibility), year_deltas in yearly.items():
        active = 0
        for year in range(min(year_deltas), max(year_deltas)):
            active += year_deltas.get(year, 0)
            if active:
                running[(year, None, kreis, None, responsibility)] += active

    # Only the periods of due weeks (a daily book's days of the current week are not counted yet): a week is
    # due when its Sunday has come, or the contract's last day.
    contract_last_day = Least(
        F("contract__end_date"), Coalesce(F("contract__dissolved_on"), F("contract__end_date"))
    )
    periods = (
        RecordPeriod.objects.filter(contract__in=contracts.values("pk"), end__lte=today)
        .order_by()
        .annotate(week=TruncWeek("start"), contract_last_day=contract_last_day)
        .filter(Q(week__lte=today - datetime.timedelta(days=6)) | Q(contract_last_day__lte=today))
        .annotate(
            kreis=_kreis_sql("contract__site__region", "contract__company__region"),
            responsibility=Coalesce(
                F("contract__chamber__chamber_kind"), Value(""), output_field=CharField()
            ),
        )
        .annotate(year=_reporting_year_sql("week"), month=TruncMonth("week"))
    )
    contract_week = Concat(Cast("contract_id", CharField()), Value("/"), Cast("week", CharField()))
    handed_in = [RecordPeriod.State.SUBMITTED, RecordPeriod.State.SIGNED]
    findings = (
        working_time_findings(contracts=contracts.values("pk"))
        .order_by()
        .annotate(
            kreis=_kreis_sql("contract__site__region", "contract__company__region"),
            responsibility=Coalesce(
                F("contract__chamber__chamber_kind"), Value(""), output_field=CharField()
            ),
            year=_reporting_year_sql("week_start"),
            month=TruncMonth("week_start"),
        )
    )
    submitted: dict[FactCell, int] = {}
    signed: dict[FactCell, int] = {}
    found: dict[FactCell, int] = {}
    for monthly in (False, True):
        keys = ["year", "kreis", "responsibility"] + (["month"] if monthly else [])
        for row in periods.values(*keys).annotate(
            submitted=Count(contract_week, distinct=True, filter=Q(state__in=handed_in)),
            signed=Count(contract_week, distinct=True, filter=Q(state=RecordPeriod.State.SIGNED)),
        ):
            cell = _cell(row, monthly)
            submitted[cell], signed[cell] = row["submitted"], row["signed"]
        for row in findings.values(*keys).annotate(n=Count("pk")):
            found[_cell(row, monthly)] = row["n"]

    facts: list[Fact] = []
    for measure, cells in (
        ("record_contracts", running),
        ("record_weeks_due", due),
        ("record_weeks_submitted", submitted),
        ("record_weeks_signed", signed),
        ("worktime_findings", found),
    ):
        facts += [(measure, *cell, n) for cell, n in cells.items() if n]
    facts += [
        ("record_weeks_late", *cell, n - submitted.get(cell, 0))
        for cell, n in due.items()
        if n > submitted.get(cell, 0)
    ]
    return sorted(facts, key=lambda fact: (fact[0], fact[1], fact[2] or datetime.date.min, fact[3], fact[5]))


def _cell(row: dict, monthly: bool) -> FactCell:
    month = row["month"] if monthly else None
    if isinstance(month, datetime.datetime):
        month = month.date()
    return (row["year"], month, row["kreis"], None, row["responsibility"])


# --- facts for dropout prevention (retention) ------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionRecordFacts:
    """What the record book says about one contract on a day, for the signals of dropout prevention
    (retention.signals): counts only, no content of the book."""

    missing_weeks: int = 0  # weeks of the last 13 (since the start, before the current one) without a period
    late_weeks: int = 0  # periods of the last 13 weeks handed in more than 14 days after their end
    returned_repeatedly: int = 0  # periods of the last 26 weeks returned by the trainer twice or more
    reviews_overdue: int = 0  # handed-in periods waiting longer than the chamber's review interval
    findings: int = 0  # working-time findings of the last 13 weeks
    sick_days: int = 0  # days recorded as sick in the last 13 weeks


RECENT_WEEKS = 13
LATE_AFTER_DAYS = 14
RETURNS_WEEKS = 26


def retention_record_facts(
    contracts, *, today: datetime.date, every: bool = False
) -> dict[int, RetentionRecordFacts]:
    """Per contract (objects with `pk`, `start_date` and `chamber_id`): the record book's facts for dropout
    prevention as they stood at the end of `today`, in a fixed number of grouped queries whatever the number of
    contracts. No scope check: the caller passes the contracts the person may see.

    Only the last 13 weeks (26 for returns) are read, through indexes on the dates, so the nightly scoring of
    every contract (`every=True`: the queries are not restricted to the ids; rows of contracts not passed are
    ignored) costs what a national platform's recent weeks cost, not its whole history. What happened after
    `today` is not counted (hand-ins, returns, signatures), so the facts of a past day can be recomputed for the
    score's quality check (retention.quality), with two approximations: a sheet counts as written from its week
    on (when it was first written is not kept), and a review pending on that day is a sheet handed in before it
    and still waiting or signed after it (a return in between is not seen)."""
    contracts = list(contracts)
    if not contracts:
        return {}
    ids = None if every else [contract.pk for contract in contracts]
    this_week = rules.week_start(today)
    recent = this_week - datetime.timedelta(weeks=RECENT_WEEKS)
    tomorrow = start_of_day(today + datetime.timedelta(days=1))

    def of(queryset, path: str = "contract_id"):
        return queryset if ids is None else queryset.filter(**{f"{path}__in": ids})

    periods = of(RecordPeriod.objects.order_by())
    window = periods.filter(start__gte=recent - datetime.timedelta(days=6), start__lt=this_week)
    # weeks with a period: a weekly sheet is a week; daily sheets are counted by their distinct weeks
    written = Counter(
        dict(
            window.filter(start__gte=recent, form=TrainingContract.RecordForm.WEEKLY)
            .values_list("contract_id")
            .annotate(n=Count("pk"))
            .values_list("contract_id", "n")
        )
    )
    written.update(
        dict(
            window.filter(start__gte=recent)
            .exclude(form=TrainingContract.RecordForm.WEEKLY)
            .values_list("contract_id")
            .annotate(n=Count(TruncWeek("start"), distinct=True))
            .values_list("contract_id", "n")
        )
    )
    late = _counts_of(
        window.filter(end__gte=recent, submitted_at__lt=tomorrow)
        .annotate(handed_in=TruncDate("submitted_at"), due=_plus_days("end", LATE_AFTER_DAYS))
        .filter(handed_in__gt=F("due"))
    )
    returns_since = this_week - datetime.timedelta(weeks=RETURNS_WEEKS)
    # Days and events are found through their periods: for a list of contracts through the ids of the periods of
    # the last 26 weeks (read first, and no join back: PostgreSQL misjudges a join from a long list of contract
    # ids and may read every recent sick day of the country instead; 75 ms → 3 ms for 200 contracts,
    # bench/retention_nightly.py); for every contract through the partial indexes on recent sick days and returns.
    returned = RecordEvent.objects.order_by().filter(
        action=RecordEvent.Action.RETURNED,
        created_at__gte=start_of_day(returns_since),
        created_at__lt=tomorrow,
    )
    sick_days = RecordDay.objects.order_by().filter(
        place=RecordDay.Place.SICK, date__gte=recent, date__lt=today
    )
    if ids is None:
        repeated: Counter[int] = Counter(
            returned.filter(period__start__gte=returns_since)
            .values("period_id", "period__contract_id")
            .annotate(n=Count("pk"))
            .filter(n__gte=2)
            .values_list("period__contract_id", flat=True)
        )
        sick = _counts_of(sick_days, "period__contract_id")
    else:
        contract_of = dict(periods.filter(start__gte=returns_since).values_list("pk", "contract_id"))
        recent_ids = list(contract_of)
        repeated = Counter(
            contract_of[period_id]
            for period_id in _period_in(returned, recent_ids)
            .values("period_id")
            .annotate(n=Count("pk"))
            .filter(n__gte=2)
            .values_list("period_id", flat=True)
        )
        sick = dict(
            Counter(
                contract_of[period_id]
                for period_id in sick_days.filter(period_id__in=recent_ids).values_list(
                    "period_id", flat=True
                )
            )
        )
    chambers = {contract.pk: contract.chamber_id for contract in contracts}
    by_interval: dict[int, set[int]] = defaultdict(set)
    for chamber_id, days in review_intervals(set(chambers.values())).items():
        by_interval[days].add(chamber_id)
    overdue: Counter[int] = Counter()
    for days, chamber_ids in by_interval.items():
        # overdue once the interval has passed since the day of hand-in (review_overdue)
        overdue.update(
            _counts_of(
                periods.filter(
                    Q(state=RecordPeriod.State.SUBMITTED)
                    | Q(state=RecordPeriod.State.SIGNED, signed_at__gte=tomorrow),
                    contract__chamber_id__in=chamber_ids,
                    submitted_at__lt=start_of_day(today - datetime.timedelta(days=days)),
                )
            )
        )
    findings = _counts_of(
        of(WorkingTimeFinding.objects.order_by()).filter(week_start__gte=recent, week_start__lt=this_week)
    )
    facts = {}
    for contract in contracts:
        first_week = max(rules.week_start(contract.start_date), recent)
        due = max(0, (this_week - first_week).days // 7)
        pk = contract.pk
        facts[pk] = RetentionRecordFacts(
            missing_weeks=max(0, due - written.get(pk, 0)),
            late_weeks=late.get(pk, 0),
            returned_repeatedly=repeated.get(pk, 0),
            reviews_overdue=overdue.get(pk, 0),
            findings=findings.get(pk, 0),
            sick_days=sick.get(pk, 0),
        )
    return facts


def _period_in(queryset, period_ids: list[int]):
    """Rows of the given periods. On PostgreSQL the ids go as one array parameter (`= ANY(%s)`): a few thousand
    ids as single parameters cost more to send and plan than the lookup itself (7 ms → 1 ms for 2,600)."""
    if connection.vendor != "postgresql":
        return queryset.filter(period_id__in=period_ids)
    column = f'"{queryset.model._meta.db_table}"."period_id"'
    return queryset.extra(where=[f"{column} = ANY(%s)"], params=[period_ids])  # noqa: S610 - constant column


def _counts_of(queryset, field: str = "contract_id") -> dict[int, int]:
    return dict(queryset.order_by().values_list(field).annotate(n=Count("pk")).values_list(field, "n"))


def _plus_days(field: str, days: int):
    """`field` (a date) plus `days`, as a date, in SQL on PostgreSQL and SQLite alike."""
    return ExpressionWrapper(F(field) + datetime.timedelta(days=days), output_field=DateField())
