"""State changes of the core app. Every function is keyword-only, atomic and writes its own audit row."""

from __future__ import annotations

import calendar
import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from .models import (
    ROLE_ORGANISATION_KINDS,
    AuditLog,
    ContractTrainer,
    Membership,
    Occupation,
    Organisation,
    Role,
    Specialisation,
    TrainingContract,
    TrainingSite,
    User,
)
from .permissions import can_edit_contract_terms

# BBiG § 20 Satz 2: "Die Probezeit muss mindestens einen Monat und darf höchstens vier Monate betragen."
PROBATION_MIN_MONTHS = 1
PROBATION_MAX_MONTHS = 4


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


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
) -> None:
    """Check the contract facts of BBiG § 11; raises ValidationError with German field messages."""
    errors: dict[str, str] = {}
    if company.kind != Organisation.Kind.COMPANY:
        errors["company"] = _("The training company must be a company.")
    if site.company_id != company.pk:
        errors["site"] = _("The training site must belong to the training company.")
    if specialisation is not None and specialisation.occupation_id != occupation.pk:
        errors["specialisation"] = _("This specialisation belongs to another occupation.")
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
    weekly_hours: Decimal | None = None,
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
        weekly_hours=weekly_hours,
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
