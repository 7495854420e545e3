"""Writes for internships (Praktika / Berufsfelderkundung): slots, applications, feedback.

Keyword-only, atomic, audited. Domain errors are `ValidationError`s keyed by form field (English source
strings; the German catalogue translates them).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ausbildung.core.models import Occupation, Organisation, TrainingSite, User
from ausbildung.core.services import audit_record

from ..access import COMPANY_SIDE, PUPIL_SIDE
from ..models import InternshipApplication, InternshipFeedback, InternshipSlot

Slot = InternshipSlot
State = InternshipApplication.State


@dataclass
class SlotInput:
    site: TrainingSite
    title: str
    start_date: datetime.date
    end_date: datetime.date
    places: int
    occupation: Occupation | None = None
    field: str = ""
    description: str = ""


def slot_validate(*, company: Organisation, data: SlotInput, today: datetime.date) -> None:
    errors: dict[str, str] = {}
    if data.site.company_id != company.pk:
        errors["site"] = _("Choose a site of your company.")
    if not data.title.strip():
        errors["title"] = _("Enter a title.")
    if data.start_date < today:
        errors["start_date"] = _("The internship cannot start in the past.")
    if data.end_date < data.start_date:
        errors["end_date"] = _("The internship cannot end before it starts.")
    if data.places < 1:
        errors["places"] = _("Offer at least one place.")
    if data.occupation is None and not data.field.strip():
        errors["occupation"] = _("Choose an occupation or name the occupational field.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def slot_create(
    *,
    actor: User | None,
    company: Organisation,
    data: SlotInput,
    publish: bool = False,
    today: datetime.date | None = None,
) -> InternshipSlot:
    slot_validate(company=company, data=data, today=today or timezone.localdate())
    slot = InternshipSlot.objects.create(
        company=company,
        site=data.site,
        occupation=data.occupation,
        field=data.field.strip(),
        title=data.title.strip(),
        description=data.description.strip(),
        start_date=data.start_date,
        end_date=data.end_date,
        places=data.places,
        status=Slot.Status.PUBLISHED if publish else Slot.Status.DRAFT,
    )
    audit_record(actor=actor, action="internship.create", target=slot, summary=slot.title)
    return slot


@transaction.atomic
def slot_set_status(*, actor: User, slot: InternshipSlot, status: str) -> InternshipSlot:
    if status not in Slot.Status.values:
        raise ValidationError(_("Unknown status."))
    if status == Slot.Status.PUBLISHED and slot.end_date < timezone.localdate():
        raise ValidationError(_("This internship is over; it cannot be published again."))
    old = slot.status
    slot.status = status
    slot.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="internship.status",
        target=slot,
        summary=status,
        changes={"status": [old, status]},
    )
    return slot


@transaction.atomic
def application_create(*, actor: User, slot: InternshipSlot, message: str) -> InternshipApplication:
    slot = InternshipSlot.objects.select_for_update().get(pk=slot.pk)
    if slot.status != Slot.Status.PUBLISHED or slot.start_date < timezone.localdate():
        raise ValidationError(_("This internship takes no more applications."))
    if InternshipApplication.objects.filter(slot=slot, pupil=actor).exists():
        raise ValidationError(_("You have already applied for this internship."))
    application = InternshipApplication.objects.create(slot=slot, pupil=actor, message=message.strip())
    audit_record(
        actor=actor, action="internship_application.create", target=application, summary=str(slot.pk)
    )
    return application


# (side, target state) → states it may come from
TRANSITIONS: dict[tuple[str, str], tuple[str, ...]] = {
    (PUPIL_SIDE, State.WITHDRAWN): (State.SENT, State.ACCEPTED),
    (COMPANY_SIDE, State.ACCEPTED): (State.SENT,),
    (COMPANY_SIDE, State.DECLINED): (State.SENT, State.ACCEPTED),
    (COMPANY_SIDE, State.COMPLETED): (State.ACCEPTED,),
}


def allowed_steps(application: InternshipApplication, side: str) -> list[str]:
    return [
        target
        for (who, target), sources in TRANSITIONS.items()
        if who == side and application.state in sources
    ]


@transaction.atomic
def application_transition(
    *, actor: User, application: InternshipApplication, side: str, target: str
) -> InternshipApplication:
    application = (
        InternshipApplication.objects.select_for_update().select_related("slot").get(pk=application.pk)
    )
    if target not in allowed_steps(application, side):
        raise ValidationError(_("This step is not possible now."))
    slot = application.slot
    if target == State.ACCEPTED:
        taken = slot.applications.filter(state__in=[State.ACCEPTED, State.COMPLETED]).count()
        if taken >= slot.places:
            raise ValidationError(_("All places of this internship are taken."))
    if target == State.COMPLETED and slot.start_date > timezone.localdate():
        raise ValidationError(_("An internship can be marked as completed once it has started."))
    old = application.state
    application.state = target
    application.save(update_fields=["state", "updated_at"])
    audit_record(
        actor=actor,
        action=f"internship_application.{target}",
        target=application,
        summary=side,
        changes={"state": [old, target]},
    )
    return application


@transaction.atomic
def feedback_add(
    *, actor: User, application: InternshipApplication, side: str, rating: int, text: str
) -> InternshipFeedback:
    if application.state != State.COMPLETED:
        raise ValidationError(_("Feedback is possible once the internship is completed."))
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Choose a rating from 1 to 5.")})
    if InternshipFeedback.objects.filter(application=application, side=side).exists():
        raise ValidationError(_("You have already given feedback on this internship."))
    feedback = InternshipFeedback.objects.create(
        application=application, side=side, rating=rating, text=text.strip()
    )
    audit_record(actor=actor, action="internship_feedback.create", target=feedback, summary=side)
    return feedback
