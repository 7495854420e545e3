"""State changes of the transition app: leaving cohorts, destinations, consent, cases. Every change is audited."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ausbildung.core.models import Organisation, TrainingContract, User
from ausbildung.core.services import audit_record

from .models import Case, CaseContact, CaseStep, Consent, Destination, DestinationKind, Referral

LIVE_CONTRACT = (TrainingContract.Status.ACTIVE, TrainingContract.Status.COMPLETED)


# --- destinations ------------------------------------------------------------------------------------------


def _current_contract(pupil: User) -> TrainingContract | None:
    """The pupil's newest contract that is signed or a draft (a dissolved one is no next step)."""
    return (
        TrainingContract.objects.filter(apprentice=pupil)
        .exclude(status=TrainingContract.Status.DISSOLVED)
        .order_by("-start_date", "-pk")
        .first()
    )


def _apply_contract(destination: Destination, contract: TrainingContract) -> list[str]:
    """Bring a destination in line with a contract of its pupil; returns the names of changed fields."""
    changed: list[str] = []

    def put(field: str, value) -> None:
        if getattr(destination, field) != value:
            setattr(destination, field, value)
            changed.append(field)

    if contract.status == TrainingContract.Status.DISSOLVED:
        # BBiG § 22: the training ended early; the young person needs a next step again
        if destination.contract_id == contract.pk and destination.actual_kind == DestinationKind.TRAINING:
            put("actual_kind", "")
            put("actual_since", None)
        return changed
    put("contract", contract)
    put("planned_kind", DestinationKind.TRAINING)
    if contract.status != TrainingContract.Status.DRAFT:  # signed (active) or completed
        put("actual_kind", DestinationKind.TRAINING)
        put("actual_since", contract.start_date)
    return changed


def destination_follow_contract(contract: TrainingContract) -> Destination | None:
    """Called on every contract save: the apprentice's latest destination follows the contract."""
    destination = (
        Destination.objects.filter(pupil_id=contract.apprentice_id).order_by("-leaving_date", "-pk").first()
    )
    if destination is None:
        return None
    changed = _apply_contract(destination, contract)
    if changed:
        destination.save(update_fields=[*changed, "updated_at"])
        audit_record(
            actor=None,
            action="destination.follow_contract",
            target=destination,
            summary=f"contract {contract.pk} {contract.status}",
            changes={field: str(getattr(destination, field) or "") for field in changed},
        )
    return destination


@transaction.atomic
def cohort_add(
    *,
    actor: User,
    school: Organisation,
    school_year: str,
    leaving_date: datetime.date,
    class_label: str,
    pupils: Iterable[User],
) -> list[Destination]:
    """Add the pupils of a leaving class to the school's leaving cohort (one destination each).

    Pupils already in the cohort keep their destination; each new one is linked to a contract it already has.
    """
    created: list[Destination] = []
    for pupil in pupils:
        destination, was_created = Destination.objects.get_or_create(
            pupil=pupil,
            school_year=school_year,
            defaults={
                "school": school,
                "leaving_date": leaving_date,
                "class_label": class_label,
                "updated_by": actor,
            },
        )
        if not was_created:
            continue
        contract = _current_contract(pupil)
        if contract is not None:
            changed = _apply_contract(destination, contract)
            if changed:
                destination.save(update_fields=changed)
        created.append(destination)
    if created:
        audit_record(
            actor=actor,
            action="destination.cohort_add",
            target=school,
            summary=f"{len(created)} leavers {school_year} {class_label}",
        )
    return created


def destination_validate(
    destination: Destination, *, actual_kind: str, actual_since: datetime.date | None, today: datetime.date
) -> None:
    errors: dict[str, str] = {}
    if actual_since is not None and actual_since > today + datetime.timedelta(days=366):
        errors["actual_since"] = _("This date is more than a year ahead. Please check it.")
    if actual_kind and actual_kind != DestinationKind.UNKNOWN and actual_since is None:
        errors["actual_since"] = _("Enter since when (or from when) the destination holds.")
    if (
        actual_kind == DestinationKind.TRAINING
        and destination.contract is not None
        and destination.contract.status == TrainingContract.Status.DRAFT
    ):
        errors["actual_kind"] = _(
            "The training contract on the platform is not signed yet. Record training as the plan; it becomes "
            "the actual destination when the contract is signed."
        )
    if errors:
        raise ValidationError(errors)


RECORDED_FIELDS = ("certificate", "planned_kind", "planned_note", "actual_kind", "actual_since")


def _recorded(destination: Destination) -> dict[str, str]:
    """What the school records of a destination, as text for the audit log."""
    return {field: str(getattr(destination, field) or "") for field in RECORDED_FIELDS}


def destination_record(
    *,
    actor: User,
    destination: Destination,
    certificate: str,
    planned_kind: str,
    planned_note: str,
    actual_kind: str,
    actual_since: datetime.date | None,
) -> Destination:
    """The school records the plan and the actual destination of one leaver."""
    destination_validate(
        destination, actual_kind=actual_kind, actual_since=actual_since, today=timezone.localdate()
    )
    before = _recorded(destination)
    destination.certificate = certificate
    destination.planned_kind = planned_kind
    destination.planned_note = planned_note
    destination.actual_kind = actual_kind
    destination.actual_since = actual_since if actual_kind else None
    destination.updated_by = actor
    if actual_kind == DestinationKind.TRAINING or planned_kind == DestinationKind.TRAINING:
        contract = _current_contract(destination.pupil)
        if contract is not None:
            destination.contract = contract
    destination.save()
    after = _recorded(destination)
    audit_record(
        actor=actor,
        action="destination.record",
        target=destination,
        changes={key: [before[key], after[key]] for key in after if before[key] != after[key]},
    )
    return destination


# --- consent -----------------------------------------------------------------------------------------------


def consent_record(
    *,
    actor: User,
    person: User,
    agency: Organisation,
    person_consented_on: datetime.date,
    guardian_name: str = "",
    guardian_consented_on: datetime.date | None = None,
) -> Consent:
    """Record a consent given on paper or in person (the signed form stays with the recording body)."""
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if person_consented_on > today:
        errors["person_consented_on"] = _("A consent cannot be dated in the future.")
    if guardian_consented_on is not None and guardian_consented_on > today:
        errors["guardian_consented_on"] = _("A consent cannot be dated in the future.")
    minor = person.is_minor_on(today)
    if (minor is None or minor) and (guardian_consented_on is None or not guardian_name.strip()):
        errors["guardian_consented_on"] = _(
            "This young person is a minor (or the date of birth is unknown): the legal representative must "
            "consent too (name and date)."
        )
    if errors:
        raise ValidationError(errors)
    consent = Consent.objects.create(
        person=person,
        agency=agency,
        person_consented_on=person_consented_on,
        guardian_name=guardian_name.strip(),
        guardian_consented_on=guardian_consented_on,
        recorded_by=actor,
    )
    audit_record(actor=actor, action="consent.record", target=consent, summary=str(agency))
    return consent


def consent_withdraw(*, actor: User, consent: Consent, on: datetime.date | None = None) -> Consent:
    """DSGVO Art. 7 Abs. 3: withdrawal ends the consent for the future; what was shared before stays lawful."""
    if consent.withdrawn_on is None:
        consent.withdrawn_on = on or timezone.localdate()
        consent.save(update_fields=["withdrawn_on"])
        audit_record(actor=actor, action="consent.withdraw", target=consent)
    return consent


def has_valid_consent(person: User, agency: Organisation, day: datetime.date | None = None) -> bool:
    day = day or timezone.localdate()
    return any(
        consent.is_valid_on(day)
        for consent in Consent.objects.filter(person=person, agency=agency).select_related("person")
    )


# --- cases -------------------------------------------------------------------------------------------------


@transaction.atomic
def case_open(*, actor: User, person: User, agency: Organisation) -> Case:
    """Open the case of a person at an agency, or return the open one (one open case per person and agency,
    a unique constraint: a second request at the same moment gets the case the first one opened)."""
    if not has_valid_consent(person, agency):
        raise ValidationError(
            _(
                "Without a valid consent of the young person (and for minors of the legal representative) no case can be opened."
            )
        )
    existing = Case.objects.filter(person=person, agency=agency, status=Case.Status.OPEN).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            case = Case.objects.create(person=person, agency=agency, counsellor=actor)
    except IntegrityError:
        return Case.objects.get(person=person, agency=agency, status=Case.Status.OPEN)
    audit_record(actor=actor, action="case.open", target=case)
    return case


def _require_open(case: Case) -> None:
    if case.status != Case.Status.OPEN:
        raise ValidationError(_("This case is closed."))


def case_contact_add(*, actor: User, case: Case, day: datetime.date, channel: str, note: str) -> CaseContact:
    _require_open(case)
    if day > timezone.localdate():
        raise ValidationError({"day": _("A contact cannot lie in the future.")})
    contact = CaseContact.objects.create(case=case, day=day, channel=channel, note=note.strip(), author=actor)
    audit_record(actor=actor, action="case.contact", target=case)
    return contact


def case_step_add(*, actor: User, case: Case, text: str, due_on: datetime.date) -> CaseStep:
    _require_open(case)
    if due_on < case.opened_at.date():
        raise ValidationError({"due_on": _("The due date lies before the case was opened.")})
    step = CaseStep.objects.create(case=case, text=text.strip(), due_on=due_on, created_by=actor)
    audit_record(actor=actor, action="case.step", target=case, summary=text[:100])
    return step


def case_step_done(*, actor: User, step: CaseStep, done: bool = True) -> CaseStep:
    _require_open(step.case)
    step.done_on = timezone.localdate() if done else None
    step.save(update_fields=["done_on"])
    audit_record(actor=actor, action="case.step_done" if done else "case.step_reopen", target=step.case)
    return step


def case_referral_add(*, actor: User, case: Case, kind: str, offer=None, note: str = "") -> Referral:
    _require_open(case)
    if kind == Referral.Kind.OFFER and offer is None:
        raise ValidationError({"offer": _("Choose the training offer you refer to.")})
    referral = Referral.objects.create(
        case=case,
        kind=kind,
        offer=offer if kind == Referral.Kind.OFFER else None,
        note=note.strip(),
        created_by=actor,
    )
    audit_record(actor=actor, action="case.referral", target=case, summary=kind)
    return referral


def case_close(*, actor: User, case: Case, closing_kind: str, closing_note: str = "") -> Case:
    _require_open(case)
    if not closing_kind:
        raise ValidationError({"closing_kind": _("Record where the young person goes.")})
    case.status = Case.Status.CLOSED
    case.closed_at = timezone.now()
    case.closing_kind = closing_kind
    case.closing_note = closing_note.strip()
    case.save(update_fields=["status", "closed_at", "closing_kind", "closing_note"])
    audit_record(actor=actor, action="case.close", target=case, summary=closing_kind)
    _destination_from_case(actor, case)
    return case


def _destination_from_case(actor: User, case: Case) -> None:
    """A case closed with a destination fills the school's open destination record (the case exists only
    with the young person's consent to share between school and agency). A recorded actual destination and
    a training destination (it follows the contract) are left alone."""
    if case.closing_kind in ("", DestinationKind.UNKNOWN, DestinationKind.TRAINING):
        return
    destination = Destination.objects.filter(pupil=case.person).order_by("-leaving_date", "-pk").first()
    if destination is None or destination.is_secured:
        return
    destination.actual_kind = case.closing_kind
    destination.actual_since = timezone.localdate()
    destination.updated_by = actor
    destination.save(update_fields=["actual_kind", "actual_since", "updated_by", "updated_at"])
    audit_record(actor=actor, action="destination.from_case", target=destination, summary=case.closing_kind)


def overdue_steps(today: datetime.date | None = None):
    """Open steps of open cases whose due date has passed, not reminded today."""
    today = today or timezone.localdate()
    return (
        CaseStep.objects.filter(case__status=Case.Status.OPEN, done_on__isnull=True, due_on__lt=today)
        .exclude(reminded_on=today)
        .select_related("case", "case__counsellor", "case__person")
        .order_by("case__counsellor_id", "due_on")
    )
