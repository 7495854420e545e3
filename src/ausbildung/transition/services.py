"""State changes of the transition app: leaving cohorts, destinations, consent, cases. Every change is audited."""

from __future__ import annotations

import datetime
import hashlib
import unicodedata
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ausbildung.core.mail import mail_queue
from ausbildung.core.models import AuditLog, Guardianship, Organisation, TrainingContract, User
from ausbildung.core.services import audit_record
from ausbildung.core.uploads import document_type
from ausbildung.offers.services import seeker_certificate_set

from . import access
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


@transaction.atomic
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
    # The certificate lives in the pupil's profile (one source of truth, Destination.certificate reads it).
    seeker_certificate_set(actor=actor, user=destination.pupil, certificate=certificate)
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


# DSGVO Art. 7 Abs. 1: the controller must be able to demonstrate the consent. A consent is established either
# by the young person's (and for a minor the legal representative's) confirmation through their own account
# after a request (`consent_request`, `consent_confirm`), or by uploading the signed form
# (`consent_record_paper`). Who requested, recorded or confirmed it, when and how is kept on the Consent and
# written to the AuditLog.

CONSENT_FORM_MAX_BYTES = 5 * 1024 * 1024
NAME_ATTEMPTS_PER_DAY = 5  # names typed by a counsellor that did not match, per leaver and day


def _open_consents(person: User, agency: Organisation, day: datetime.date) -> list[Consent]:
    consents = Consent.objects.filter(person=person, agency=agency).select_related("person")
    return [c for c in consents if c.is_valid_on(day) or c.is_pending_on(day)]


@transaction.atomic
def consent_request(*, actor: User, person: User, agency: Organisation) -> Consent:
    """Ask a young person for their consent to share with `agency`. The request names nobody to the asker; the
    young person (and for a minor the legal representative) sees it on "Meine Einwilligungen" and confirms
    there (`consent_confirm`). It is a pending request ("angefragt") until every confirmation is in."""
    today = timezone.localdate()
    if _open_consents(person, agency, today):
        raise ValidationError(_("There is already a valid consent or an open request for this agency."))
    consent = Consent.objects.create(
        person=person, agency=agency, method=Consent.Method.REQUEST, recorded_by=actor
    )
    audit_record(actor=actor, action="consent.request", target=consent, summary=str(agency))
    _notify_request(consent, today)
    return consent


def _notify_request(consent: Consent, today: datetime.date) -> None:
    """Tell the young person (and for a minor their legal representatives on the platform) by mail that a
    request waits on "Meine Einwilligungen". The mail links nowhere else and asks nothing to be sent back."""
    person, agency = consent.person, consent.agency.name
    mails: list[tuple[str, str, str]] = []
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Request for your consent")
        if person.email:
            body = _(
                "Hello %(name)s,\n\n%(agency)s asks for your consent to share data with your school, so that "
                "they can help you find a next step after school. Sign in on the platform and open “My "
                "consents” to read what would be shared and to agree or not. Agreeing is voluntary.\n"
            ) % {"name": person.first_name or person.username, "agency": agency}
            mails.append((subject, body, person.email))
        if consent.needs_guardian_on(today):
            guardians = User.objects.filter(
                wards__in=Guardianship.objects.current(today).filter(ward=person)
            ).exclude(email="")
            for guardian in guardians:
                body = _(
                    "Good day %(name)s,\n\n%(agency)s asks %(ward)s for consent to share data with the school, "
                    "so that they can help find a next step after school. As %(ward)s is a minor, your consent as "
                    "legal representative is needed too. Sign in on the platform and open “My consents” to read "
                    "what would be shared and to agree or not. Agreeing is voluntary.\n"
                ) % {
                    "name": guardian.get_full_name() or guardian.username,
                    "agency": agency,
                    "ward": person.get_full_name() or person.username,
                }
                mails.append((subject, body, guardian.email))
    for subject, body, address in mails:
        mail_queue(to=address, subject=subject, body=body)


@transaction.atomic
def consent_confirm(*, actor: User, consent: Consent) -> Consent:
    """The young person, or a legal representative of theirs (core Guardianship), confirms a request through
    their own account. For a minor (or an unknown date of birth) both must confirm (DSGVO Art. 7, Art. 8;
    BGB § 1629); the consent becomes valid when the last required confirmation is in."""
    consent = Consent.objects.select_for_update().select_related("person").get(pk=consent.pk)
    today, now = timezone.localdate(), timezone.now()
    if not consent.is_pending_on(today):
        raise ValidationError(_("This request is no longer open."))
    if actor.pk == consent.person_id:
        if consent.person_consented_on is not None:
            raise ValidationError(_("You have already confirmed this consent."))
        consent.person_consented_on, consent.person_confirmed_at = today, now
        action = "consent.confirm_person"
    elif Guardianship.objects.current(today).filter(guardian=actor, ward_id=consent.person_id).exists():
        if not consent.needs_guardian_on(today):
            raise ValidationError(_("The young person is of age and consents alone."))
        if consent.guardian_consented_on is not None:
            raise ValidationError(_("A legal representative has already confirmed this consent."))
        consent.guardian_consented_on, consent.guardian_confirmed_at = today, now
        consent.guardian_confirmed_by = actor
        consent.guardian_name = (actor.get_full_name() or actor.username)[:120]
        action = "consent.confirm_guardian"
    else:
        raise ValidationError(_("Only the young person or their legal representative can confirm."))
    consent.save()
    audit_record(
        actor=actor,
        action=action,
        target=consent,
        summary="valid" if consent.is_valid_on(today) else "waiting for a further confirmation",
    )
    return consent


def _normalised_name(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split())).casefold()


def name_matches(person: User, typed: str) -> bool:
    """The name typed from the signed form is the leaver's (first and last name, either order; case and
    spaces do not count)."""
    first, last = person.first_name.strip(), person.last_name.strip()
    if not first or not last:
        return False
    typed_name = _normalised_name(typed)
    return typed_name in {
        _normalised_name(f"{first} {last}"),
        _normalised_name(f"{last} {first}"),
        _normalised_name(f"{last}, {first}"),
    }


def _name_mismatches_today(actor: User, person: User) -> int:
    today = timezone.localdate()
    return AuditLog.objects.filter(
        actor=actor,
        action="consent.name_mismatch",
        target_type=person._meta.label_lower,
        target_id=str(person.pk),
        created_at__date=today,
    ).count()


def consent_check_name(*, actor: User, person: User, name_on_form: str) -> None:
    """A counsellor who uploads a signed form proves they hold it by typing the name written on it. The error
    says only "does not match" (never the real name); each miss is audited, and after NAME_ATTEMPTS_PER_DAY
    misses per leaver and day the counsellor must ask the school, so the check is no oracle for guessing names.
    Not atomic on purpose: the audit row of a miss stays."""
    if _name_mismatches_today(actor, person) >= NAME_ATTEMPTS_PER_DAY:
        raise ValidationError(
            {"name_on_form": _("Too many names that did not match today. Ask the school to upload the form.")}
        )
    if not name_matches(person, name_on_form):
        audit_record(actor=actor, action="consent.name_mismatch", target=person, summary="signed form")
        raise ValidationError({"name_on_form": _("The name does not match.")})


def consent_record_paper(
    *,
    actor: User,
    person: User,
    agency: Organisation,
    upload: UploadedFile,
    person_consented_on: datetime.date,
    guardian_name: str = "",
    guardian_consented_on: datetime.date | None = None,
    name_on_form: str = "",
) -> Consent:
    """Record a consent given on paper by uploading the signed form (PDF, JPEG or PNG), the evidence of
    DSGVO Art. 7 Abs. 1. The school knows its pupils; anyone else (a counsellor) must type the name as
    written on the form, and it must match (`consent_check_name`) before anything else about the person
    (such as being a minor) is said."""
    if not access.teaches_leaver(actor, person):
        consent_check_name(actor=actor, person=person, name_on_form=name_on_form)
    return _consent_store_paper(
        actor=actor,
        person=person,
        agency=agency,
        upload=upload,
        person_consented_on=person_consented_on,
        guardian_name=guardian_name,
        guardian_consented_on=guardian_consented_on,
        name_checked=bool(name_on_form),
    )


@transaction.atomic
def _consent_store_paper(
    *,
    actor: User,
    person: User,
    agency: Organisation,
    upload: UploadedFile,
    person_consented_on: datetime.date,
    guardian_name: str,
    guardian_consented_on: datetime.date | None,
    name_checked: bool,
) -> Consent:
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
    try:
        content_type = document_type(upload, max_bytes=CONSENT_FORM_MAX_BYTES)
    except ValidationError as error:
        errors["evidence"] = " ".join(error.messages)
    if errors:
        raise ValidationError(errors)
    open_consents = _open_consents(person, agency, today)
    if any(c.is_valid_on(today) for c in open_consents):
        raise ValidationError(_("There is already a valid consent for this agency."))
    for request in open_consents:  # the signed form answers an open request: it no longer waits
        request.withdrawn_on = today
        request.save(update_fields=["withdrawn_on"])
        audit_record(actor=actor, action="consent.request_superseded", target=request)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    consent = Consent(
        person=person,
        agency=agency,
        method=Consent.Method.PAPER,
        person_consented_on=person_consented_on,
        guardian_name=guardian_name.strip(),
        guardian_consented_on=guardian_consented_on,
        evidence_name=(upload.name or "form").replace("\x00", "")[-200:],
        evidence_type=content_type,
        evidence_sha256=digest.hexdigest(),
        recorded_by=actor,
    )
    consent.evidence.save(consent.evidence_name, upload, save=False)
    consent.save()
    name = consent.evidence.name
    audit_record(
        actor=actor,
        action="consent.record_paper",
        target=consent,
        summary=f"{agency} · sha256 {consent.evidence_sha256}",
        changes={"name_checked": name_checked, "file": name},
    )
    return consent


def consent_withdraw(*, actor: User, consent: Consent, on: datetime.date | None = None) -> Consent:
    """DSGVO Art. 7 Abs. 3: withdrawal ends the consent for the future; what was shared before stays lawful.
    On a pending request it is the refusal (or the asker's cancellation)."""
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
