"""Reads of the training staff: the findings of `rules` for contracts, trainers and sites, each in a fixed
number of queries. Public for other areas: `site_check_before_new_contract` (offers warns before a place is
offered that would exceed the site's ratio) and `contract_findings`."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from ausbildung.core import site_ratio
from ausbildung.core.models import (
    ContractTrainer,
    Membership,
    Organisation,
    Role,
    TrainingContract,
    TrainingSite,
    User,
)
from ausbildung.core.services import add_months

from . import aevo, rules
from .models import Course, CourseRecord, Qualification, SelfCheckAnswer, SiteStaffing, TrainerRole

ACTIVE = TrainingContract.Status.ACTIVE


def _evidence_of(trainer_ids) -> dict[int, list[Qualification]]:
    """The evidence on record and not withdrawn, per trainer (wherever it was recorded: it is the person's)."""
    found: dict[int, list[Qualification]] = defaultdict(list)
    for qualification in Qualification.objects.filter(
        trainer_id__in=set(trainer_ids), withdrawn_at__isnull=True
    ).select_related("craft"):
        found[qualification.trainer_id].append(qualification)
    return found


def _main_links(contract_ids, day: datetime.date) -> dict[int, list[ContractTrainer]]:
    links: dict[int, list[ContractTrainer]] = defaultdict(list)
    for link in (
        ContractTrainer.objects.current(day)
        .filter(contract_id__in=list(contract_ids), kind=ContractTrainer.Kind.MAIN)
        .select_related("trainer")
    ):
        links[link.contract_id].append(link)
    return links


def contract_findings(contracts, *, today: datetime.date | None = None) -> dict[int, list[rules.Finding]]:
    """Per contract (loaded with its chamber): what stands between it and a trainer the law asks for."""
    today = today or timezone.localdate()
    contracts = list(contracts)
    links = _main_links((c.pk for c in contracts), today)
    evidence = _evidence_of(link.trainer_id for group in links.values() for link in group)
    result = {}
    for contract in contracts:
        trainers = tuple(
            rules.Trainer(
                name=link.trainer.get_full_name() or link.trainer.username,
                evidence=frozenset(q.kind for q in evidence.get(link.trainer_id, [])),
                meister_crafts=frozenset(
                    q.craft_id
                    for q in evidence.get(link.trainer_id, [])
                    if q.kind == Qualification.Kind.FORTBILDUNG and q.craft_id
                ),
            )
            for link in links.get(contract.pk, [])
        )
        kind = contract.chamber.chamber_kind
        facts = rules.ContractFacts(
            free_profession=kind == Organisation.ChamberKind.FREE_PROFESSIONS,
            craft=kind == Organisation.ChamberKind.HWK,
            occupation_id=contract.occupation_id,
            main_trainers=trainers,
        )
        result[contract.pk] = rules.contract_findings(facts)
    return result


def lacking_qualified_trainer(
    contracts: QuerySet[TrainingContract], *, today: datetime.date
) -> QuerySet[TrainingContract]:
    """The contracts (of a queryset) with no current main trainer who has evidence on record, in SQL: the
    candidates of the flags `no_trainer` and `no_aptitude` (rules.contract_findings decides and words them;
    a free profession with a trainer is left out, AusbEignV § 1 Satz 2)."""
    current = ContractTrainer.objects.current(today).filter(
        contract=OuterRef("pk"), kind=ContractTrainer.Kind.MAIN
    )
    evidence = Qualification.objects.filter(trainer=OuterRef("trainer"), withdrawn_at__isnull=True)
    qualified = current.filter(Exists(evidence))
    return contracts.filter(~Exists(qualified)).exclude(
        Q(chamber__chamber_kind=Organisation.ChamberKind.FREE_PROFESSIONS) & Exists(current)
    )


def latest_staffing(site_ids) -> dict[int, SiteStaffing]:
    latest: dict[int, SiteStaffing] = {}
    for row in SiteStaffing.objects.filter(site_id__in=set(site_ids)).order_by("site_id", "-as_of", "-pk"):
        latest.setdefault(row.site_id, row)
    return latest


def apprentices_at(site_ids) -> dict[int, int]:
    rows = (
        TrainingContract.objects.filter(site_id__in=set(site_ids), status=ACTIVE)
        .order_by()
        .values_list("site_id")
        .annotate(n=Count("pk"))
    )
    return dict(rows.values_list("site_id", "n"))


@dataclass(frozen=True)
class SiteRow:
    site: TrainingSite
    apprentices: int
    staffing: SiteStaffing | None
    allowed: int | None
    findings: list[rules.Finding]


def site_rows(sites) -> list[SiteRow]:
    sites = list(sites)
    counts = apprentices_at(s.pk for s in sites)
    staffing = latest_staffing(s.pk for s in sites)
    rule = site_ratio.rule()
    rows = []
    for site in sites:
        skilled = staffing[site.pk].skilled_staff if site.pk in staffing else None
        findings = rules.site_findings(
            apprentices=counts.get(site.pk, 0),
            skilled_staff=skilled,
            max_apprentices=rule.max_apprentices,
            source=rule.source,
        )
        allowed = rule.max_apprentices(skilled) if skilled is not None else None
        rows.append(SiteRow(site, counts.get(site.pk, 0), staffing.get(site.pk), allowed, findings))
    return rows


@dataclass(frozen=True)
class SiteCheck:
    """Before a new contract at a site: the apprentices now, the skilled staff on record and the guidance's
    maximum; `exceeded` when one more would be above it (a warning: the chamber decides)."""

    site: TrainingSite
    apprentices: int
    skilled_staff: int | None
    allowed: int | None
    exceeded: bool
    source: str


def site_check_before_new_contract(site: TrainingSite) -> SiteCheck:
    rule = site_ratio.rule()
    apprentices = apprentices_at([site.pk]).get(site.pk, 0)
    staffing = latest_staffing([site.pk]).get(site.pk)
    skilled = staffing.skilled_staff if staffing else None
    over = rules.site_after_one_more(
        apprentices=apprentices, skilled_staff=skilled, max_apprentices=rule.max_apprentices
    )
    allowed = rule.max_apprentices(skilled) if skilled is not None else None
    return SiteCheck(site, apprentices, skilled, allowed, over is not None, rule.source)


@dataclass
class TrainerRow:
    trainer: User
    full_time: bool
    evidence: list[Qualification]
    contracts: list[TrainingContract] = field(default_factory=list)  # as main trainer, current
    other_roles: Counter[str] = field(default_factory=Counter)  # officer, substitute
    findings: list[rules.Finding] = field(default_factory=list)
    hours: Decimal = Decimal(0)  # continuing education in the last 12 months

    @property
    def sites(self) -> list[str]:
        return sorted({contract.site.name for contract in self.contracts})


def trainers_of(company: Organisation) -> QuerySet[User]:
    """The company's current trainers (active trainer memberships)."""
    return (
        User.objects.filter(
            memberships__organisation=company, memberships__role=Role.TRAINER, memberships__is_active=True
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def trainer_rows(company: Organisation, *, today: datetime.date | None = None) -> list[TrainerRow]:
    """The company's trainers (active trainer memberships) with their evidence, their current contracts and
    their load."""
    today = today or timezone.localdate()
    trainers = list(trainers_of(company))
    full_time = set(
        TrainerRole.objects.filter(company=company, full_time=True).values_list("trainer_id", flat=True)
    )
    evidence = _evidence_of(t.pk for t in trainers)
    rows = {t.pk: TrainerRow(t, t.pk in full_time, evidence.get(t.pk, [])) for t in trainers}
    for link in (
        ContractTrainer.objects.current(today)
        .filter(trainer__in=trainers, contract__company=company, contract__status=ACTIVE)
        .select_related("contract__apprentice", "contract__occupation", "contract__site")
    ):
        row = rows[link.trainer_id]
        if link.kind == ContractTrainer.Kind.MAIN:
            row.contracts.append(link.contract)
        else:
            row.other_roles[link.kind] += 1
    hours = hours_in_last_year(rows)
    for row in rows.values():
        row.findings = rules.trainer_findings(full_time=row.full_time, apprentices=len(row.contracts))
        row.hours = hours.get(row.trainer.pk, Decimal(0))
    return list(rows.values())


def company_contracts(company: Organisation) -> QuerySet[TrainingContract]:
    return (
        TrainingContract.objects.filter(company=company, status=ACTIVE)
        .select_related("apprentice", "occupation", "chamber", "site")
        .order_by("apprentice__last_name", "apprentice__first_name", "pk")
    )


def company_sites(company: Organisation) -> QuerySet[TrainingSite]:
    return TrainingSite.objects.filter(company=company, is_active=True).order_by("name", "pk")


def is_trainer_at(user: User, company: Organisation) -> bool:
    return Membership.objects.filter(
        user=user, organisation=company, role=Role.TRAINER, is_active=True
    ).exists()


# --- continuing education ----------------------------------------------------------------------------------

LOG_WINDOW_MONTHS = 12


def upcoming_courses(*, today: datetime.date | None = None) -> QuerySet[Course]:
    """Courses of every chamber that have not ended and are not cancelled, soonest first."""
    today = today or timezone.localdate()
    return Course.objects.filter(ends_on__gte=today, cancelled_at__isnull=True).select_related("chamber")


def hours_in_last_year(trainer_ids, *, today: datetime.date | None = None) -> dict[int, Decimal]:
    """Per trainer: the hours of courses attended in the last 12 months (withdrawn entries left out)."""
    today = today or timezone.localdate()
    since = add_months(today, -LOG_WINDOW_MONTHS)
    rows = (
        CourseRecord.objects.filter(
            trainer_id__in=set(trainer_ids), withdrawn_at__isnull=True, attended_on__gt=since
        )
        .order_by()
        .values_list("trainer_id")
        .annotate(total=Sum("hours"))
    )
    return dict(rows.values_list("trainer_id", "total"))


def log_of(trainer: User) -> QuerySet[CourseRecord]:
    return CourseRecord.objects.filter(trainer=trainer).select_related("course")


def logs_of(trainers) -> dict[int, list[CourseRecord]]:
    """The logs of several trainers in one query, newest first."""
    found: dict[int, list[CourseRecord]] = defaultdict(list)
    for record in CourseRecord.objects.filter(trainer__in=list(trainers)).select_related("course"):
        found[record.trainer_id].append(record)
    return found


def recent_courses(*, today: datetime.date | None = None) -> QuerySet[Course]:
    """Courses that ended in the last 12 months (to log one attended), not cancelled."""
    today = today or timezone.localdate()
    return Course.objects.filter(
        ends_on__lt=today, ends_on__gte=add_months(today, -LOG_WINDOW_MONTHS), cancelled_at__isnull=True
    ).select_related("chamber")


def trains_anywhere(user: User) -> bool:
    return Membership.objects.filter(user=user, role=Role.TRAINER, is_active=True).exists()


# --- the AEVO self-check -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldProgress:
    field: aevo.Field
    total: int
    correct: int  # questions whose latest answer is right
    answered: int

    @property
    def percent(self) -> int:
        return round(100 * self.correct / self.total) if self.total else 0


def latest_answers(person: User) -> dict[str, SelfCheckAnswer]:
    latest: dict[str, SelfCheckAnswer] = {}
    for answer in SelfCheckAnswer.objects.filter(person=person).order_by("answered_at", "pk"):
        latest[answer.question] = answer
    return latest


def self_check_progress(person: User) -> list[FieldProgress]:
    bank = aevo.load()
    latest = latest_answers(person)
    rows = []
    for field_ in bank.fields:
        questions = bank.of_field(field_.number)
        answered = [latest[q.id] for q in questions if q.id in latest]
        rows.append(
            FieldProgress(field_, len(questions), sum(1 for a in answered if a.correct), len(answered))
        )
    return rows


def next_question(person: User, field_number: int) -> aevo.Question | None:
    """The first question of the field not yet answered right (None: all right)."""
    latest = latest_answers(person)
    for question in aevo.load().of_field(field_number):
        answer = latest.get(question.id)
        if answer is None or not answer.correct:
            return question
    return None
