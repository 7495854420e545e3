"""State changes of the core app. Every function is keyword-only, atomic and writes its own audit row."""

from __future__ import annotations

import calendar
import datetime
import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import signals
from .models import (
    ROLE_ORGANISATION_KINDS,
    AuditLog,
    ContractTrainer,
    FrameworkPosition,
    Membership,
    Occupation,
    Organisation,
    Role,
    Specialisation,
    TrainingContract,
    TrainingSite,
    User,
)
from .models.contracts import part_time_reduction
from .permissions import can_edit_contract_terms

# BBiG § 20 Satz 2 (of the Probezeit): "Sie muss mindestens einen Monat und darf höchstens vier Monate betragen."
PROBATION_MIN_MONTHS = 1
PROBATION_MAX_MONTHS = 4
# BBiG § 7a Abs. 1 Satz 3: "Die Kürzung der täglichen oder der wöchentlichen Ausbildungszeit darf nicht mehr
# als 50 Prozent betragen."
PART_TIME_MAX_REDUCTION = Decimal(50)
# BBiG § 21 Abs. 3: extended to the next retake exam, "höchstens um ein Jahr".
RETAKE_MAX_MONTHS = 12
# BBiG § 7 Abs. 4: "Ein Anrechnungszeitraum muss in ganzen Monaten durch sechs teilbar sein."
CREDIT_STEP_MONTHS = 6


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def start_of_day(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day`, local time (the German calendar day)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: models.Model,
    summary: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditLog:
    return AuditLog.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk or ""),
        summary=summary[:300],
        changes=changes or {},
    )


# --- memberships ---------------------------------------------------------------------------------------------


def membership_validate(*, organisation: Organisation, role: str) -> None:
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    allowed = ROLE_ORGANISATION_KINDS[role]
    if organisation.kind not in allowed:
        raise ValidationError(
            {
                "organisation": _("The role “%(role)s” cannot act for a %(kind)s.")
                % {"role": Role(role).label, "kind": organisation.get_kind_display()}
            }
        )


@transaction.atomic
def membership_create(*, actor: User | None, user: User, organisation: Organisation, role: str) -> Membership:
    membership_validate(organisation=organisation, role=role)
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role, defaults={"is_active": True}
    )
    if created:
        audit_record(
            actor=actor,
            action="membership.create",
            target=membership,
            summary=f"{user.username}: {role} @ {organisation.name}",
        )
    return membership


@transaction.atomic
def membership_end(*, actor: User | None, membership: Membership, on: datetime.date) -> Membership:
    """End a membership: from the next request on, the person no longer acts in that role for that
    organisation (`core.permissions` reads memberships per request).

    The row stays (inactive) as evidence. A trainer's open assignments at contracts of the company end on the
    same day: they would give no access without the membership anyway, and the record shows who trained when.
    """
    if not membership.is_active:
        raise ValidationError(_("This membership has already ended."))
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    ended = 0
    if membership.role == Role.TRAINER:
        ended = ContractTrainer.objects.filter(
            trainer_id=membership.user_id,
            contract__company_id=membership.organisation_id,
            ended_on__isnull=True,
        ).update(ended_on=on)
    audit_record(
        actor=actor,
        action="membership.end",
        target=membership,
        summary=f"{membership.user.username}: {membership.role} @ {membership.organisation.name}",
        changes={"is_active": [True, False], "on": on.isoformat(), "trainer_assignments_ended": ended},
    )
    return membership


# --- training contracts --------------------------------------------------------------------------------------


def _day(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


def _percent(value: Decimal) -> str:
    text = f"{value.quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def training_end(start_date: datetime.date, months: int) -> datetime.date:
    """The last day of a training of `months` months from `start_date` (start 1 Aug + 36 months: 31 Jul)."""
    return add_months(start_date, months) - datetime.timedelta(days=1)


def part_time_months(regular_months: int, reduction: Decimal) -> int:
    """The duration of part-time training (BBiG § 7a Abs. 2 Satz 1-2).

    "Die Dauer der Teilzeitberufsausbildung verlängert sich entsprechend, höchstens jedoch bis zum
    Eineinhalbfachen der Dauer, die in der Ausbildungsordnung für die betreffende Berufsausbildung in Vollzeit
    festgelegt ist. Die Dauer der Teilzeitberufsausbildung ist auf ganze Monate abzurunden." Extended in
    proportion to the cut training time (36 months at 25 % less time: 48), at most 1.5 times the regulation's
    duration, rounded down to whole months.
    """
    share = (Fraction(100) - Fraction(reduction)) / 100
    extended = min(Fraction(regular_months) / share, Fraction(regular_months) * 3 / 2)
    return math.floor(extended)


def contract_part_time_errors(
    *, weekly_hours: Decimal | None, full_time_weekly_hours: Decimal | None
) -> dict[str, str]:
    """Part-time training (BBiG § 7a Abs. 1): the agreed weekly hours cut the full-time hours by at most 50 %."""
    errors: dict[str, str] = {}
    if full_time_weekly_hours is None:
        return errors
    if full_time_weekly_hours <= 0:
        errors["full_time_weekly_hours"] = _("Please state the full-time training hours per week.")
    elif weekly_hours is None:
        errors["weekly_hours"] = _(
            "Part-time training (BBiG § 7a Abs. 1): please state the agreed training hours per week."
        )
    elif weekly_hours >= full_time_weekly_hours:
        errors["weekly_hours"] = _(
            "Part-time training (BBiG § 7a Abs. 1) cuts the training time: the agreed hours per week must be "
            "fewer than the full-time hours. For full-time training leave the full-time hours empty."
        )
    else:
        reduction = part_time_reduction(weekly_hours, full_time_weekly_hours)
        if reduction is not None and reduction > PART_TIME_MAX_REDUCTION:
            errors["weekly_hours"] = _(
                "The training time may be cut by at most 50 percent (BBiG § 7a Abs. 1 Satz 3): at least "
                "%(hours)s hours a week."
            ) % {"hours": _percent(full_time_weekly_hours / 2)}
    return errors


def contract_duration_errors(
    *,
    occupation: Occupation,
    start_date: datetime.date,
    end_date: datetime.date,
    duration_reason: str = TrainingContract.DurationReason.NONE,
    weekly_hours: Decimal | None = None,
    full_time_weekly_hours: Decimal | None = None,
) -> dict[str, str]:
    """The contract's length against the regulation's duration (BBiG § 5 Abs. 1 Nr. 2, § 11 Abs. 1 Nr. 2).

    The regulation's duration is `Occupation.duration_months` (read from the Ausbildungsordnung); when it is
    not known, the length is not checked. A part-time contract (§ 7a) takes the extended duration of
    `part_time_months` as its regular length. Any other length needs its reason (`duration_reason`):
    shorter by credit (§ 7, in steps of six months, § 7 Abs. 4) or shortening (§ 8 Abs. 1, also with
    part-time, § 7a Abs. 4), longer by an extension (§ 8 Abs. 2), to the next final exam (§ 7a Abs. 3) or to
    the retake exam (§ 21 Abs. 3, at most one year).
    """
    Reason = TrainingContract.DurationReason
    errors: dict[str, str] = {}
    reduction = None
    if not contract_part_time_errors(
        weekly_hours=weekly_hours, full_time_weekly_hours=full_time_weekly_hours
    ):
        reduction = part_time_reduction(weekly_hours, full_time_weekly_hours)
    if full_time_weekly_hours is not None and reduction is None:
        return errors  # the part-time hours are wrong: `contract_part_time_errors` says why
    if duration_reason in {Reason.PART_TIME, Reason.PART_TIME_EXAM} and reduction is None:
        errors["duration_reason"] = _(
            "Part-time training (BBiG § 7a) needs the agreed and the full-time training hours per week."
        )
        return errors
    regular = occupation.duration_months
    if not regular or end_date <= start_date:
        return errors
    months = part_time_months(regular, reduction) if reduction is not None else regular
    regular_end = training_end(start_date, months)
    values = {"months": months, "regular": regular, "end": _day(regular_end)}
    if duration_reason == Reason.NONE:
        if reduction is not None:
            errors["duration_reason"] = _(
                "Part-time training extends the duration (BBiG § 7a Abs. 2): please choose the reason "
                "“Part-time training”."
            )
        elif end_date != regular_end:
            errors["end_date"] = (
                _(
                    "The training regulation sets %(months)d months (BBiG § 5 Abs. 1 Nr. 2): the training ends on "
                    "%(end)s. Another duration needs its reason (credit § 7, shortening § 8 Abs. 1, part-time "
                    "§ 7a, extension § 8 Abs. 2, retake exam § 21 Abs. 3)."
                )
                % values
            )
    elif duration_reason == Reason.PART_TIME:
        if end_date != regular_end:
            errors["end_date"] = _(
                "Part-time training with %(cut)s percent less training time lasts %(months)d months: extended "
                "accordingly, at most to one and a half times the regulation's %(regular)d months, rounded down "
                "to whole months (BBiG § 7a Abs. 2). The training ends on %(end)s."
            ) % (values | {"cut": _percent(reduction or Decimal(0))})
    elif duration_reason in {Reason.CREDIT, Reason.SHORTENING}:
        if end_date >= regular_end:
            errors["end_date"] = (
                _("A credit of prior education (BBiG § 7) shortens the training: it ends before %(end)s.")
                if duration_reason == Reason.CREDIT
                else _("A shortening (BBiG § 8 Abs. 1) ends the training before %(end)s.")
            ) % values
        elif duration_reason == Reason.CREDIT and reduction is None:
            credited = [m for m in range(1, months) if training_end(start_date, months - m) == end_date]
            if not credited or credited[0] % CREDIT_STEP_MONTHS:
                errors["end_date"] = (
                    _(
                        "A credited period must be a multiple of six whole months (BBiG § 7 Abs. 4): of the "
                        "regulation's %(months)d months, 6, 12, 18 … months can be credited."
                    )
                    % values
                )
    elif duration_reason in {Reason.EXTENSION, Reason.PART_TIME_EXAM}:
        if end_date <= regular_end:
            errors["end_date"] = (
                _("An extension (BBiG § 8 Abs. 2) ends the training after %(end)s.")
                if duration_reason == Reason.EXTENSION
                else _(
                    "An extension to the next final exam (BBiG § 7a Abs. 3) ends the training after %(end)s."
                )
            ) % values
    elif duration_reason == Reason.RETAKE:
        latest = training_end(start_date, months + RETAKE_MAX_MONTHS)
        if not regular_end < end_date <= latest:
            errors["end_date"] = _(
                "An extension to the next retake exam (BBiG § 21 Abs. 3) lasts at most one year: the training "
                "ends after %(end)s and on %(latest)s at the latest."
            ) % (values | {"latest": _day(latest)})
    else:
        errors["duration_reason"] = _("Unknown reason.")
    return errors


def contract_validate(
    *,
    company: Organisation,
    site: TrainingSite,
    occupation: Occupation,
    specialisation: Specialisation | None,
    chamber: Organisation,
    vocational_school: Organisation | None,
    start_date: datetime.date,
    end_date: datetime.date,
    probation_end: datetime.date,
    duration_reason: str = TrainingContract.DurationReason.NONE,
    weekly_hours: Decimal | None = None,
    full_time_weekly_hours: Decimal | None = None,
) -> None:
    """Check the contract facts of BBiG § 11; raises ValidationError with German field messages."""
    errors: dict[str, str] = {}
    if company.kind != Organisation.Kind.COMPANY:
        errors["company"] = _("The training company must be a company.")
    if site.company_id != company.pk:
        errors["site"] = _("The training site must belong to the training company.")
    if specialisation is not None and specialisation.occupation_id != occupation.pk:
        errors["specialisation"] = _("This specialisation belongs to another occupation.")
    elif specialisation is not None and specialisation.kind == Specialisation.Kind.EINSATZGEBIET:
        errors["specialisation"] = _(
            "An Einsatzgebiet is a field of deployment, not a Fachrichtung or Schwerpunkt of the contract."
        )
    if chamber.kind != Organisation.Kind.CHAMBER:
        errors["chamber"] = _("The competent body must be a chamber.")
    if vocational_school is not None and vocational_school.kind != Organisation.Kind.VOCATIONAL_SCHOOL:
        errors["vocational_school"] = _("Please choose a vocational school.")
    if end_date <= start_date:
        errors["end_date"] = _("The training must end after it starts.")
    # BBiG § 20: probation of at least one and at most four months from the start of training.
    earliest = add_months(start_date, PROBATION_MIN_MONTHS) - datetime.timedelta(days=1)
    latest = add_months(start_date, PROBATION_MAX_MONTHS) - datetime.timedelta(days=1)
    if not earliest <= probation_end <= latest:
        errors["probation_end"] = _(
            "The probation period must last at least one and at most four months (BBiG § 20): "
            "it ends between %(earliest)s and %(latest)s."
        ) % {"earliest": earliest.strftime("%d.%m.%Y"), "latest": latest.strftime("%d.%m.%Y")}
    errors = (
        contract_part_time_errors(weekly_hours=weekly_hours, full_time_weekly_hours=full_time_weekly_hours)
        | errors
    )
    for name, message in contract_duration_errors(
        occupation=occupation,
        start_date=start_date,
        end_date=end_date,
        duration_reason=duration_reason,
        weekly_hours=weekly_hours,
        full_time_weekly_hours=full_time_weekly_hours,
    ).items():
        errors.setdefault(name, message)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def contract_create(
    *,
    actor: User | None,
    apprentice: User,
    company: Organisation,
    site: TrainingSite,
    occupation: Occupation,
    chamber: Organisation,
    start_date: datetime.date,
    end_date: datetime.date,
    probation_end: datetime.date,
    specialisation: Specialisation | None = None,
    vocational_school: Organisation | None = None,
    trainers: list[tuple[User, str]] | None = None,
    record_form: str = TrainingContract.RecordForm.WEEKLY,
    record_medium: str = TrainingContract.RecordMedium.ELECTRONIC,
    chamber_registration_number: str = "",
    status: str = TrainingContract.Status.DRAFT,
    duration_reason: str = TrainingContract.DurationReason.NONE,
    weekly_hours: Decimal | None = None,
    full_time_weekly_hours: Decimal | None = None,
) -> TrainingContract:
    contract_validate(
        company=company,
        site=site,
        occupation=occupation,
        specialisation=specialisation,
        chamber=chamber,
        vocational_school=vocational_school,
        start_date=start_date,
        end_date=end_date,
        probation_end=probation_end,
        duration_reason=duration_reason,
        weekly_hours=weekly_hours,
        full_time_weekly_hours=full_time_weekly_hours,
    )
    contract = TrainingContract.objects.create(
        apprentice=apprentice,
        company=company,
        site=site,
        occupation=occupation,
        specialisation=specialisation,
        chamber=chamber,
        vocational_school=vocational_school,
        start_date=start_date,
        end_date=end_date,
        probation_end=probation_end,
        record_form=record_form,
        record_medium=record_medium,
        chamber_registration_number=chamber_registration_number,
        status=status,
        duration_reason=duration_reason,
        weekly_hours=weekly_hours,
        full_time_weekly_hours=full_time_weekly_hours,
    )
    for trainer, kind in trainers or []:
        ContractTrainer.objects.create(contract=contract, trainer=trainer, kind=kind)
    audit_record(
        actor=actor,
        action="contract.create",
        target=contract,
        summary=f"{apprentice.username}: {occupation.name} from {start_date.isoformat()}",
        changes={"status": status},
    )
    return contract


def elective_units(occupation: Occupation) -> models.QuerySet[FrameworkPosition]:
    """The Wahlqualifikationen of the occupation's framework plan a contract can choose: its elective positions
    except sub-positions of another one in the same section ("II.3.1" under "II.3")."""
    electives = FrameworkPosition.objects.filter(
        plan__occupation=occupation, kind=FrameworkPosition.Kind.ELECTIVE
    )
    rows = list(electives.values_list("pk", "section_label", "section_title", "number"))
    numbers = {(label, title, number) for _pk, label, title, number in rows}

    def nested(label: str, title: str, number: str) -> bool:
        parts = number.split(".")
        return any((label, title, ".".join(parts[:i])) in numbers for i in range(1, len(parts)))

    units = [pk for pk, label, title, number in rows if not nested(label, title, number)]
    return electives.filter(pk__in=units).select_related("specialisation").order_by("position")


@transaction.atomic
def contract_set_plan(
    *,
    actor: User | None,
    contract: TrainingContract,
    specialisation: Specialisation | None,
    electives: list[FrameworkPosition],
) -> TrainingContract:
    """Record the contract's Fachrichtung/Schwerpunkt and its chosen Wahlqualifikationen (BBiG § 11 Abs. 1 Nr. 1:
    the sachliche Gliederung of the training; the regulation, e.g. ChemikAusbV § 3 Nr. 2, says how many).
    Raises ValidationError with German field messages."""
    errors: dict[str, str] = {}
    occupation = contract.occupation
    if specialisation is not None and specialisation.occupation_id != occupation.pk:
        errors["specialisation"] = _("This specialisation belongs to another occupation.")
    elif specialisation is not None and specialisation.kind == Specialisation.Kind.EINSATZGEBIET:
        errors["specialisation"] = _(
            "An Einsatzgebiet is a field of deployment, not a Fachrichtung or Schwerpunkt of the contract."
        )
    allowed = set(elective_units(occupation).values_list("pk", flat=True))
    if any(p.pk not in allowed for p in electives):
        errors["electives"] = _("Please choose only electives (Wahlqualifikationen) of this occupation.")
    elif any(
        p.specialisation_id and p.specialisation_id != getattr(specialisation, "pk", None) for p in electives
    ):
        errors["electives"] = _(
            "An elective of another specialisation is chosen: the training regulation lists it for that "
            "specialisation only."
        )
    elif occupation.elective_count is not None and len(electives) > occupation.elective_count:
        errors["electives"] = _(
            "The training regulation (%(regulation)s) provides for %(count)d electives (Wahlqualifikationen); "
            "%(chosen)d are chosen."
        ) % {
            "regulation": occupation.jurabk or occupation.name,
            "count": occupation.elective_count,
            "chosen": len(electives),
        }
    if errors:
        raise ValidationError(errors)
    before = {
        "specialisation": contract.specialisation_id,
        "electives": sorted(contract.electives.values_list("pk", flat=True)),
    }
    contract.specialisation = specialisation
    contract.save(update_fields=["specialisation", "updated_at"])
    contract.electives.set(electives)
    audit_record(
        actor=actor,
        action="contract.plan",
        target=contract,
        summary=f"{len(electives)} electives",
        changes={
            "specialisation": [before["specialisation"], getattr(specialisation, "pk", None)],
            "electives": [before["electives"], sorted(p.pk for p in electives)],
        },
    )
    return contract


# ArbZG § 3: at most 8 hours on each of the six working days (Werktage); more cannot be agreed.
WEEKLY_HOURS_MAX = Decimal(48)


@transaction.atomic
def contract_terms_update(
    *,
    actor: User,
    contract: TrainingContract,
    weekly_hours: Decimal | None,
    written_exam_date: datetime.date | None,
) -> TrainingContract:
    """The company's side records the agreed weekly training time (BBiG § 11 Abs. 1 Satz 2 Nr. 4; it credits
    vocational-school and exam days, BBiG § 15 Abs. 2) and the date of the written final exam (the working day
    before it is free, BBiG § 15 Abs. 1 Satz 2 Nr. 5). Either may be left empty (not known)."""
    if not can_edit_contract_terms(actor, contract):
        raise ValidationError(_("Only the training company can change this contract."))
    errors: dict[str, str] = {}
    if weekly_hours is not None and not Decimal(0) < weekly_hours <= WEEKLY_HOURS_MAX:
        errors["weekly_hours"] = _(
            "Please enter the agreed hours per week, more than 0 and at most 48 (ArbZG § 3: 8 hours on six "
            "working days)."
        )
    if written_exam_date is not None and not contract.start_date <= written_exam_date <= contract.end_date:
        errors["written_exam_date"] = _("The date must lie within the contract period.")
    if errors:
        raise ValidationError(errors)
    before = {
        "weekly_hours": None if contract.weekly_hours is None else f"{contract.weekly_hours:.2f}",
        "written_exam_date": contract.written_exam_date.isoformat() if contract.written_exam_date else None,
    }
    contract.weekly_hours = weekly_hours
    contract.written_exam_date = written_exam_date
    contract.save(update_fields=["weekly_hours", "written_exam_date", "updated_at"])
    after = {
        "weekly_hours": None if weekly_hours is None else f"{weekly_hours:.2f}",
        "written_exam_date": written_exam_date.isoformat() if written_exam_date else None,
    }
    audit_record(
        actor=actor,
        action="contract.terms",
        target=contract,
        summary=str(contract),
        changes={key: [before[key], after[key]] for key in after if before[key] != after[key]},
    )
    if before != after:
        signals.contract_terms_changed.send(sender=TrainingContract, contract=contract)
    return contract


@transaction.atomic
def contract_dissolve(
    *, actor: User | None, contract: TrainingContract, on: datetime.date, reason: str = ""
) -> TrainingContract:
    """Record that a contract was dissolved (Kündigung/Aufhebung, BBiG § 22)."""
    if contract.status != TrainingContract.Status.ACTIVE:
        raise ValidationError(_("Only an active contract can be dissolved."))
    if not contract.start_date <= on <= contract.end_date:
        raise ValidationError({"dissolved_on": _("The date must lie within the contract period.")})
    contract.status = TrainingContract.Status.DISSOLVED
    contract.dissolved_on = on
    contract.save(update_fields=["status", "dissolved_on", "updated_at"])
    audit_record(
        actor=actor,
        action="contract.dissolve",
        target=contract,
        summary=reason,
        changes={
            "status": [TrainingContract.Status.ACTIVE, TrainingContract.Status.DISSOLVED],
            "on": on.isoformat(),
        },
    )
    return contract


@transaction.atomic
def contract_trainer_end(*, actor: User | None, link: ContractTrainer, on: datetime.date) -> ContractTrainer:
    """End a trainer's assignment to a contract from `on` (that day included: no more access or signing).

    The assignment is kept, never deleted: earlier signatures and the record book name who trained when.
    """
    if link.ended_on is not None and link.ended_on <= on:
        raise ValidationError({"ended_on": _("This assignment has already ended.")})
    before = link.ended_on
    link.ended_on = on
    link.save(update_fields=["ended_on"])
    audit_record(
        actor=actor,
        action="contract.trainer_end",
        target=link.contract,
        summary=f"{link.trainer.username} ({link.kind})",
        changes={"ended_on": [before.isoformat() if before else None, on.isoformat()]},
    )
    return link
