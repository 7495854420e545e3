"""Writes of dropout prevention. Each checks what the caller may do (the view has checked the page and the
contract's scope), validates, writes and records it in the audit log. Nothing is changed after the fact: a
talk request is closed, a consent or a school note withdrawn, an intervention followed up, each with its time.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ausbildung.core.models import TrainingContract, User
from ausbildung.core.permissions import represents
from ausbildung.core.services import audit_record, contract_dissolve

from . import selectors
from .models import (
    DISSOLUTION_REASONS,
    ChamberConsent,
    CheckIn,
    Dissolution,
    Intervention,
    SchoolNote,
    TalkRequest,
)

# An intervention's follow-up is at most a year ahead, and a step is noted at most 31 days after it happened
# (platform rules: a log is kept close to the events it records).
FOLLOW_UP_MAX_DAYS = 366
LATE_NOTE_DAYS = 31


def _own(actor: User, contract: TrainingContract) -> None:
    if contract.apprentice_id != actor.pk or contract.status != TrainingContract.Status.ACTIVE:
        raise PermissionDenied


def checkin_answer(*, actor: User, contract: TrainingContract, occasion: str, answers: dict) -> CheckIn:
    """The apprentice answers the check-in that is open today (once per occasion)."""
    _own(actor, contract)
    today = timezone.localdate()
    if selectors.due_checkin(contract, today=today) != occasion:
        raise ValidationError(_("This check-in is not open at the moment."), code="not_open")
    try:
        with transaction.atomic():
            checkin = CheckIn.objects.create(contract=contract, occasion=occasion, **answers)
    except IntegrityError as error:
        raise ValidationError(_("This check-in is already answered."), code="answered") from error
    # The answers are private: the audit log records that a check-in was answered, not what.
    audit_record(actor=actor, action="retention.checkin", target=checkin, summary=occasion)
    return checkin


def talk_request(*, actor: User, contract: TrainingContract, addressee: str) -> TalkRequest:
    """The apprentice asks for a talk; an open request with the same addressee is not repeated."""
    _own(actor, contract)
    if addressee not in TalkRequest.Addressee.values:
        raise ValidationError(_("Choose whom you want to talk to."), code="addressee")
    with transaction.atomic():
        existing = (
            TalkRequest.objects.select_for_update()
            .filter(contract=contract, addressee=addressee, closed_at__isnull=True)
            .first()
        )
        if existing is not None:
            return existing
        request = TalkRequest.objects.create(contract=contract, addressee=addressee)
    audit_record(actor=actor, action="retention.talk_request", target=request, summary=addressee)
    return request


def talk_close(*, actor: User, request: TalkRequest) -> TalkRequest:
    """The talk took place (or the person asked for it no longer wants it): the request is closed."""
    if request.closed_at is None:
        request.closed_at = timezone.now()
        request.closed_by = actor
        request.save(update_fields=["closed_at", "closed_by"])
        audit_record(actor=actor, action="retention.talk_close", target=request)
    return request


def consent_grant(*, actor: User, contract: TrainingContract) -> ChamberConsent:
    _own(actor, contract)
    current = selectors.consent_of(contract)
    if current is not None:
        return current
    consent = ChamberConsent.objects.create(contract=contract)
    audit_record(actor=actor, action="retention.consent_grant", target=consent)
    return consent


def consent_withdraw(*, actor: User, contract: TrainingContract) -> ChamberConsent | None:
    """Withdrawn by the apprentice (DSGVO Art. 7 Abs. 3): from now on the chamber sees the contract only in
    figures, unless a request for a talk with the chamber is open."""
    _own(actor, contract)
    consent = selectors.consent_of(contract)
    if consent is not None:
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at"])
        audit_record(actor=actor, action="retention.consent_withdraw", target=consent)
    return consent


def consent_confirm(*, actor: User, consent: ChamberConsent) -> ChamberConsent:
    """A guardian of the minor apprentice confirms the consent (BGB § 1629: the legal representative)."""
    if not represents(actor, consent.contract.apprentice_id):
        raise PermissionDenied
    if consent.withdrawn_at is not None:
        raise ValidationError(_("The consent was withdrawn."), code="withdrawn")
    if consent.guardian_confirmed_at is None:
        consent.guardian_confirmed_at = timezone.now()
        consent.guardian_confirmed_by = actor
        consent.save(update_fields=["guardian_confirmed_at", "guardian_confirmed_by"])
        audit_record(actor=actor, action="retention.consent_confirm", target=consent)
    return consent


def school_note_add(
    *, actor: User, contract: TrainingContract, kind: str, days: int | None, period_end: datetime.date
) -> SchoolNote:
    """A vocational-school teacher reports days absent or a concern for a student of the school."""
    if contract.vocational_school_id is None:
        raise PermissionDenied
    today = timezone.localdate()
    errors = {}
    if period_end > today:
        errors["period_end"] = _("The note cannot cover days that have not come yet.")
    if period_end < contract.start_date:
        errors["period_end"] = _("The note must cover days of the training.")
    if kind == SchoolNote.Kind.ABSENCE and not days:
        errors["days"] = _("Enter the number of days absent.")
    if errors:
        raise ValidationError(errors)
    note = SchoolNote.objects.create(
        contract=contract,
        school_id=contract.vocational_school_id,
        author=actor,
        kind=kind,
        days=days if kind == SchoolNote.Kind.ABSENCE else None,
        period_end=period_end,
    )
    audit_record(actor=actor, action="retention.school_note", target=note, summary=kind)
    return note


def school_note_withdraw(*, actor: User, note: SchoolNote) -> SchoolNote:
    if note.withdrawn_at is None:
        note.withdrawn_at = timezone.now()
        note.save(update_fields=["withdrawn_at"])
        audit_record(actor=actor, action="retention.school_note_withdraw", target=note)
    return note


def intervention_add(
    *,
    actor: User,
    contract: TrainingContract,
    kind: str,
    held_on: datetime.date,
    result: str = "",
    follow_up_on: datetime.date | None = None,
) -> Intervention:
    today = timezone.localdate()
    errors = {}
    if held_on > today:
        errors["held_on"] = _("A step is noted once it has happened.")
    elif held_on < today - datetime.timedelta(days=LATE_NOTE_DAYS):
        errors["held_on"] = _("A step is noted within %(days)d days.") % {"days": LATE_NOTE_DAYS}
    if held_on < contract.start_date:
        errors["held_on"] = _("The step must lie within the training.")
    if follow_up_on is not None and not (
        held_on < follow_up_on <= today + datetime.timedelta(days=FOLLOW_UP_MAX_DAYS)
    ):
        errors["follow_up_on"] = _("Choose a day after the step and at most a year ahead.")
    if errors:
        raise ValidationError(errors)
    intervention = Intervention.objects.create(
        contract=contract,
        kind=kind,
        held_on=held_on,
        author=actor,
        result=result.strip(),
        follow_up_on=follow_up_on,
    )
    audit_record(actor=actor, action="retention.intervention", target=intervention, summary=kind)
    return intervention


def follow_up_done(*, actor: User, intervention: Intervention) -> Intervention:
    if intervention.follow_up_on is not None and intervention.followed_up_at is None:
        intervention.followed_up_at = timezone.now()
        intervention.save(update_fields=["followed_up_at"])
        audit_record(actor=actor, action="retention.follow_up", target=intervention)
    return intervention


def dissolution_record(
    *,
    actor: User,
    contract: TrainingContract,
    ended_by: str,
    ended_on: datetime.date,
    reasons: list[str],
    guidance_consent: bool = False,
) -> Dissolution:
    """The contract ended early (BBiG § 22): it is dissolved (core.services.contract_dissolve) and the facts are
    kept: who ended it, when (in the probation period, BBiG § 20, or later) and why, from the catalogue.
    `guidance_consent`: the young person agrees that the career guidance contacts them if no new contract has
    begun three months later (DSGVO Art. 6 Abs. 1 lit. a)."""
    errors: dict[str, str] = {}
    if ended_by not in Dissolution.EndedBy.values:
        errors["ended_by"] = _("Choose who ended the contract.")
    unknown = [reason for reason in reasons if reason not in DISSOLUTION_REASONS]
    if not reasons or unknown:
        errors["reasons"] = _("Choose at least one reason from the list.")
    if ended_on > timezone.localdate():
        errors["ended_on"] = _("A dissolution is recorded once it has taken effect.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        try:
            contract_dissolve(actor=actor, contract=contract, on=ended_on, reason=", ".join(reasons))
        except ValidationError as error:
            if hasattr(error, "error_dict") and "dissolved_on" in error.error_dict:
                raise ValidationError({"ended_on": error.error_dict["dissolved_on"]}) from error
            raise
        dissolution = Dissolution.objects.create(
            contract=contract,
            ended_by=ended_by,
            ended_on=ended_on,
            in_probation=Dissolution.falls_in_probation(contract, ended_on),
            reasons=sorted(set(reasons)),
            recorded_by=actor,
            guidance_consent=guidance_consent,
        )
        audit_record(actor=actor, action="retention.dissolution", target=dissolution, summary=ended_by)
    return dissolution
