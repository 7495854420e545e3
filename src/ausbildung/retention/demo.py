"""Demo data of dropout prevention (`ausbildung demo`): the vocational school's concern and absences for the
carpenter apprentice (Lukas Meyer, HWK), and a talk the systemhaus held with Jonas Becker with a follow-up.
Idempotent. The record books of the demo add their own signals (missing weeks)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from ausbildung.core.models import Organisation, TrainingContract, User

from .models import Intervention, SchoolNote


def load(organisations: dict[str, Organisation], users: dict[str, User]) -> None:
    jonas, lukas = users.get("azubi"), users.get("azubi2")
    teacher, trainer = users.get("berufsschule"), users.get("ausbilder")
    if not (jonas and lukas and teacher and trainer):
        return
    today = timezone.localdate()
    carpenter = TrainingContract.objects.filter(
        apprentice=lukas, status=TrainingContract.Status.ACTIVE
    ).first()
    if (
        carpenter is not None
        and carpenter.vocational_school_id
        and not SchoolNote.objects.filter(contract=carpenter).exists()
    ):
        SchoolNote.objects.create(
            contract=carpenter,
            school_id=carpenter.vocational_school_id,
            author=teacher,
            kind=SchoolNote.Kind.ABSENCE,
            days=6,
            period_end=today - datetime.timedelta(days=3),
        )
        SchoolNote.objects.create(
            contract=carpenter,
            school_id=carpenter.vocational_school_id,
            author=teacher,
            kind=SchoolNote.Kind.CONCERN,
            period_end=today - datetime.timedelta(days=3),
        )
    it = TrainingContract.objects.filter(apprentice=jonas, status=TrainingContract.Status.ACTIVE).first()
    if it is not None and not Intervention.objects.filter(contract=it).exists():
        Intervention.objects.create(
            contract=it,
            kind=Intervention.Kind.TALK,
            held_on=max(it.start_date, today - datetime.timedelta(days=10)),
            author=trainer,
            result="Wochenberichte besprochen; Jonas schreibt sie künftig freitags in der letzten Stunde.",
            follow_up_on=today + datetime.timedelta(days=18),
        )
