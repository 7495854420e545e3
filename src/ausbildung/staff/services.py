"""Writes of the training staff. Each checks what the caller may do (the view has checked the page and the scope),
validates, writes and records it in the audit log. Evidence is never edited: it is withdrawn with a date and
recorded anew; the chamber's confirmation is added with its time."""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ausbildung.core.models import Occupation, Organisation, Role, TrainingSite, User
from ausbildung.core.permissions import organisations_for
from ausbildung.core.services import audit_record
from ausbildung.core.uploads import document_type

from . import aevo, selectors
from .models import Course, CourseRecord, Qualification, SelfCheckAnswer, SiteStaffing, TrainerRole

EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
EARLIEST_CERTIFICATE = datetime.date(1950, 1, 1)
MAX_SKILLED_STAFF = 100_000


def _administers(actor: User, company: Organisation) -> None:
    if not organisations_for(actor, Role.COMPANY_ADMIN).filter(pk=company.pk).exists():
        raise PermissionDenied


def _may_be_recorded(trainer: User, company: Organisation) -> bool:
    """Evidence is recorded for the company's trainers and administrators (who may train themselves)."""
    return (
        selectors.is_trainer_at(trainer, company)
        or organisations_for(trainer, Role.COMPANY_ADMIN).filter(pk=company.pk).exists()
    )


def qualification_add(
    *,
    actor: User,
    company: Organisation,
    trainer: User,
    kind: str,
    passed_on: datetime.date,
    issued_by: str,
    vocational: str,
    craft: Occupation | None = None,
    document: UploadedFile | None = None,
) -> Qualification:
    _administers(actor, company)
    errors: dict[str, str] = {}
    if not _may_be_recorded(trainer, company):
        errors["trainer"] = _("This person is not a trainer of your company.")
    if kind not in Qualification.Kind.values:
        errors["kind"] = _("Choose the kind of evidence.")
    today = timezone.localdate()
    if passed_on > today:
        errors["passed_on"] = _("The certificate cannot be dated in the future.")
    elif passed_on < EARLIEST_CERTIFICATE:
        errors["passed_on"] = _("Please check the date of the certificate.")
    if kind == Qualification.Kind.BEFORE_2009 and passed_on >= datetime.date(2009, 8, 1):
        errors["passed_on"] = _(
            "AusbEignV § 7 covers those who trained before 1 August 2009: give the day they began training."
        )
    if craft is not None and kind != Qualification.Kind.FORTBILDUNG:
        errors["craft"] = _("A craft is given only for a Meisterprüfung (AusbEignV § 6 Abs. 2).")
    if not issued_by.strip():
        errors["issued_by"] = _("This field is required.")
    if not vocational.strip():
        errors["vocational"] = _("This field is required.")
    content_type = ""
    if document is not None:
        try:
            content_type = document_type(document, max_bytes=EVIDENCE_MAX_BYTES)
        except ValidationError as error:
            errors["document"] = " ".join(error.messages)
    if errors:
        raise ValidationError(errors)
    qualification = Qualification(
        trainer=trainer,
        company=company,
        kind=kind,
        passed_on=passed_on,
        issued_by=issued_by.strip()[:200],
        vocational=vocational.strip()[:200],
        craft=craft,
        recorded_by=actor,
    )
    with transaction.atomic():
        if document is not None:
            digest = hashlib.sha256()
            for chunk in document.chunks():
                digest.update(chunk)
            document.seek(0)
            qualification.document_name = (document.name or "nachweis").replace("\x00", "")[-200:]
            qualification.document_type = content_type
            qualification.document_sha256 = digest.hexdigest()
            qualification.document.save(qualification.document_name, document, save=False)
        qualification.save()
        audit_record(
            actor=actor,
            action="staff.qualification_add",
            target=qualification,
            summary=f"{kind} {passed_on:%Y-%m-%d}",
            changes={"trainer": trainer.pk, "sha256": qualification.document_sha256},
        )
    return qualification


def qualification_withdraw(*, actor: User, qualification: Qualification) -> Qualification:
    """A wrong entry is withdrawn (it stays, with the time), never edited."""
    _administers(actor, qualification.company)
    if qualification.withdrawn_at is None:
        qualification.withdrawn_at = timezone.now()
        qualification.save(update_fields=["withdrawn_at"])
        audit_record(actor=actor, action="staff.qualification_withdraw", target=qualification)
    return qualification


def qualification_confirm(*, actor: User, qualification: Qualification) -> Qualification:
    """The chamber confirms the evidence it has seen (its register names the trainers, BBiG § 34 Abs. 2 Nr. 11).
    The view has checked that the evidence is of a trainer of the officer's chamber."""
    if qualification.trainer_id == actor.pk:
        raise PermissionDenied  # nobody confirms their own evidence
    if qualification.withdrawn_at is not None:
        raise ValidationError(_("This evidence was withdrawn."))
    if qualification.confirmed_at is None:
        qualification.confirmed_at = timezone.now()
        qualification.confirmed_by = actor
        qualification.save(update_fields=["confirmed_at", "confirmed_by"])
        audit_record(actor=actor, action="staff.qualification_confirm", target=qualification)
    return qualification


def role_set(*, actor: User, company: Organisation, trainer: User, full_time: bool) -> TrainerRole:
    _administers(actor, company)
    if not selectors.is_trainer_at(trainer, company):
        raise ValidationError(_("This person is not a trainer of your company."))
    role, _created = TrainerRole.objects.update_or_create(
        trainer=trainer, company=company, defaults={"full_time": full_time}
    )
    audit_record(
        actor=actor, action="staff.role", target=role, changes={"trainer": trainer.pk, "full_time": full_time}
    )
    return role


def staffing_add(
    *, actor: User, site: TrainingSite, skilled_staff: int, as_of: datetime.date
) -> SiteStaffing:
    _administers(actor, site.company)
    errors: dict[str, str] = {}
    if skilled_staff < 0 or skilled_staff > MAX_SKILLED_STAFF:
        errors["skilled_staff"] = _("Enter a number between 0 and %(max)s.") % {"max": MAX_SKILLED_STAFF}
    if as_of > timezone.localdate():
        errors["as_of"] = _("The day cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    row = SiteStaffing.objects.create(site=site, skilled_staff=skilled_staff, as_of=as_of, recorded_by=actor)
    audit_record(actor=actor, action="staff.site_staffing", target=row, summary=f"{skilled_staff} ({as_of})")
    return row


# --- continuing education of training staff ----------------------------------------------------------------

MAX_COURSE_HOURS = Decimal("500")


def _hours_error(hours: Decimal) -> str | None:
    if hours <= 0 or hours > MAX_COURSE_HOURS:
        return _("Enter the hours: more than 0 and at most %(max)s.") % {"max": MAX_COURSE_HOURS}
    return None


def course_add(
    *,
    actor: User,
    chamber: Organisation,
    title: str,
    description: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    hours: Decimal,
    place: str,
    online: bool,
    link: str,
) -> Course:
    """A chamber offers a course for training staff. The view has checked that the actor is its officer."""
    if not organisations_for(actor, Role.CHAMBER_OFFICER).filter(pk=chamber.pk).exists():
        raise PermissionDenied
    errors: dict[str, str] = {}
    if starts_on < timezone.localdate():
        errors["starts_on"] = _("A course is offered for the future: the first day cannot be in the past.")
    if ends_on < starts_on:
        errors["ends_on"] = _("The last day cannot be before the first day.")
    if (problem := _hours_error(hours)) is not None:
        errors["hours"] = problem
    if not online and not place.strip():
        errors["place"] = _("Give the place, or mark the course as online.")
    if not title.strip():
        errors["title"] = _("This field is required.")
    if errors:
        raise ValidationError(errors)
    course = Course.objects.create(
        chamber=chamber,
        title=title.strip(),
        description=description.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        hours=hours,
        place=place.strip(),
        online=online,
        link=link.strip(),
        created_by=actor,
    )
    audit_record(actor=actor, action="staff.course_add", target=course, summary=course.title[:200])
    return course


def course_cancel(*, actor: User, course: Course) -> Course:
    if not organisations_for(actor, Role.CHAMBER_OFFICER).filter(pk=course.chamber_id).exists():
        raise PermissionDenied
    if course.cancelled_at is None:
        course.cancelled_at = timezone.now()
        course.save(update_fields=["cancelled_at"])
        audit_record(actor=actor, action="staff.course_cancel", target=course)
    return course


def may_log_for(actor: User, trainer: User) -> bool:
    """The trainer logs their own courses; a company's administrators log those of the company's trainers."""
    if actor.pk == trainer.pk:
        return True
    companies = organisations_for(actor, Role.COMPANY_ADMIN)
    return any(selectors.is_trainer_at(trainer, company) for company in companies)


def record_add(
    *,
    actor: User,
    trainer: User,
    title: str,
    provider: str,
    attended_on: datetime.date,
    hours: Decimal,
    course: Course | None = None,
) -> CourseRecord:
    if not may_log_for(actor, trainer):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if course is not None:
        title = title.strip() or course.title
        provider = provider.strip() or course.chamber.name
    if attended_on > timezone.localdate():
        errors["attended_on"] = _("A course is logged once it was attended: the day cannot be in the future.")
    if (problem := _hours_error(hours)) is not None:
        errors["hours"] = problem
    if not title.strip():
        errors["title"] = _("This field is required.")
    if not provider.strip():
        errors["provider"] = _("This field is required.")
    if errors:
        raise ValidationError(errors)
    record = CourseRecord.objects.create(
        trainer=trainer,
        course=course,
        title=title.strip()[:200],
        provider=provider.strip()[:200],
        attended_on=attended_on,
        hours=hours,
        recorded_by=actor,
    )
    audit_record(actor=actor, action="staff.course_record", target=record, summary=f"{hours} h")
    return record


def record_withdraw(*, actor: User, record: CourseRecord) -> CourseRecord:
    if not may_log_for(actor, record.trainer):
        raise PermissionDenied
    if record.withdrawn_at is None:
        record.withdrawn_at = timezone.now()
        record.save(update_fields=["withdrawn_at"])
        audit_record(actor=actor, action="staff.course_record_withdraw", target=record)
    return record


# --- the AEVO self-check -------------------------------------------------------------------------------------


def self_check_answer(
    *, person: User, question_id: str, chosen: int
) -> tuple[aevo.Question, SelfCheckAnswer]:
    """Save one practice answer (the person's own; not audited: it is practice, not a record)."""
    question = aevo.load().question(question_id)
    if question is None:
        raise ValidationError({"question": _("This question does not exist.")})
    if not 0 <= chosen < len(question.options):
        raise ValidationError({"chosen": _("Choose one of the answers.")})
    answer = SelfCheckAnswer.objects.create(
        person=person, question=question.id, chosen=chosen, correct=chosen == question.answer
    )
    return question, answer
