"""The personal data of the training staff (core.privacy registry).

- A trainer's evidence of aptitude (kind, date, issuer, vocational qualification, a copy of the certificate):
  recorded by the company, which must show that its trainers are suitable (BBiG § 28, § 30; AusbEignV), and
  seen by the chamber, whose register names each contract's trainers and the kind of their aptitude (BBiG
  § 34 Abs. 2 Nr. 11). Kept while valid; a withdrawn entry until the end of the third year after its
  withdrawal (proof of who was stated as trainer when, BGB § 195, § 199 Abs. 1); erased on request.
- Whether a trainer trains full-time: one flag per trainer and company, for the load check; erased on request.
- The skilled staff of a site: counts, no person; the administrator who recorded them is named.
- The continuing-education log (courses a trainer attended, with hours): the trainer's and the company's; erased
  on request, a withdrawn entry with the evidence's period. A chamber's courses name the officer who published
  them.
- The AEVO self-check's answers: the person's own practice, seen by nobody else; erased on request and two years
  after the answer (platform default: a preparation takes months, not years).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from ausbildung.core.privacy import PersonalData, register_personal_data
from ausbildung.core.privacy.rows import end_of_year_plus, links, links_count, rows, start_of_day, stored_file
from ausbildung.core.services import add_months

from .models import Course, CourseRecord, Qualification, SelfCheckAnswer, SiteStaffing, TrainerRole

PROOF_YEARS = 3  # BGB § 195 with § 199 Abs. 1
STAFF_LINKS = [
    (Qualification, "recorded_by"),
    (Qualification, "confirmed_by"),
    (SiteStaffing, "recorded_by"),
    (Course, "created_by"),
    (CourseRecord, "recorded_by"),
]


def _evidence(person: Any):
    return Qualification.objects.filter(trainer=person).order_by("pk")


def _export(person: Any) -> dict[str, Any]:
    data = {
        "evidence": rows(_evidence(person), exclude=("document",)),
        "trainer_roles": rows(TrainerRole.objects.filter(trainer=person).order_by("pk")),
        "courses_attended": rows(CourseRecord.objects.filter(trainer=person).order_by("pk")),
        "acted_for_others": links(person, STAFF_LINKS),
    }
    return {key: value for key, value in data.items() if value}


def _files(person: Any):
    for qualification in _evidence(person):
        found = stored_file(
            qualification.document, f"nachweis-{qualification.pk}-{qualification.document_name}"
        )
        if found is not None:
            yield found


def _count(person: Any) -> int:
    return (
        _evidence(person).count()
        + TrainerRole.objects.filter(trainer=person).count()
        + CourseRecord.objects.filter(trainer=person).count()
        + links_count(person, STAFF_LINKS)
    )


def _erase(person: Any, today: datetime.date) -> int:
    erased = 0
    for qualification in _evidence(person):
        if qualification.document:
            qualification.document.delete(save=False)
        erased += 1
    _evidence(person).delete()
    erased += TrainerRole.objects.filter(trainer=person).delete()[0]
    erased += CourseRecord.objects.filter(trainer=person).delete()[0]
    return erased


def _erase_expired(today: datetime.date, dry_run: bool) -> int:
    cutoff = start_of_day(datetime.date(today.year - PROOF_YEARS, 1, 1))
    expired = Qualification.objects.filter(withdrawn_at__lt=cutoff)
    if dry_run:
        return expired.count() + CourseRecord.objects.filter(withdrawn_at__lt=cutoff).count()
    for qualification in expired.exclude(document=""):
        qualification.document.delete(save=False)
    erased = expired.delete()[0]
    erased += CourseRecord.objects.filter(withdrawn_at__lt=cutoff).delete()[0]
    return erased


def kept_until(qualification: Qualification) -> datetime.date | None:
    if qualification.withdrawn_at is None:
        return None
    return end_of_year_plus(timezone.localdate(qualification.withdrawn_at), PROOF_YEARS)


def register() -> None:
    register_personal_data(
        PersonalData(
            key="staff",
            models=(
                "staff.Qualification",
                "staff.TrainerRole",
                "staff.SiteStaffing",
                "staff.Course",
                "staff.CourseRecord",
            ),
            label="Training staff: a trainer's evidence of aptitude with a copy of the certificate, whether they "
            "train full-time; the skilled staff of a site (counts) with who recorded them",
            label_de="Ausbildungspersonal: Nachweise der Ausbildereignung, hauptberufliche Ausbildung",
            purpose="Show that each contract has a suitable trainer (BBiG § 28, § 30; AusbEignV) and that the "
            "load of trainers and sites stays within the chambers' guidance (BBiG § 27 Abs. 1 Nr. 2)",
            legal_basis="DSGVO Art. 6 Abs. 1 lit. c with BBiG § 28, § 30 (the company's duty to train with "
            "suitable staff) and § 34 Abs. 2 Nr. 11 (the chamber's register names the trainers); lit. e with "
            "BBiG § 32 (the chamber's supervision)",
            seen_by="the company's administrators, the trainer; the chamber of a contract the trainer is main "
            "trainer of",
            retention=f"while valid; a withdrawn entry until the end of the {PROOF_YEARS}rd year after its "
            "withdrawal",
            retention_source="BGB § 195, § 199 Abs. 1 (proof of who was stated as trainer when)",
            link="row.trainer; recorded_by and confirmed_by name the staff",
            export_how="JSON of the rows and the stored copies of the certificates",
            erase_how="deleted on request, with the stored copies",
            count=_count,
            export=_export,
            files=_files,
            erase=_erase,
            erase_expired=_erase_expired,
            order=62,
        )
    )


SELF_CHECK_YEARS = 2


def _answers(person: Any):
    return SelfCheckAnswer.objects.filter(person=person).order_by("pk")


def _erase_expired_answers(today: datetime.date, dry_run: bool) -> int:
    old = SelfCheckAnswer.objects.filter(
        answered_at__lt=start_of_day(add_months(today, -12 * SELF_CHECK_YEARS))
    )
    return old.count() if dry_run else old.delete()[0]


def register_self_check() -> None:
    register_personal_data(
        PersonalData(
            key="staff_self_check",
            models=("staff.SelfCheckAnswer",),
            label="AEVO self-check: the person's practice answers (question, option, right or not)",
            label_de="Selbsttest zur Ausbildereignung: eigene Übungsantworten",
            purpose="Show the person their progress per field of action; nothing else",
            legal_basis="DSGVO Art. 6 Abs. 1 lit. a (voluntary practice)",
            seen_by="the person only",
            retention=f"{SELF_CHECK_YEARS} years after the answer",
            retention_source="platform default (a preparation takes months, not years)",
            link="row.person",
            export_how="JSON of the rows",
            erase_how="deleted on request",
            count=lambda person: _answers(person).count(),
            export=lambda person: {"answers": rows(_answers(person))} if _answers(person).exists() else {},
            erase=lambda person, today: _answers(person).delete()[0],
            erase_expired=_erase_expired_answers,
            order=63,
        )
    )
