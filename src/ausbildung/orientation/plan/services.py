"""Writes for the pupil's own plan (Mein Berufswahlfahrplan): next steps. Keyword-only, atomic, audited."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ausbildung.core.models import User
from ausbildung.core.services import audit_record

from ..models import PlanStep


@transaction.atomic
def step_add(*, actor: User, text: str, due_date: datetime.date | None = None) -> PlanStep:
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write down your next step.")})
    step = PlanStep.objects.create(pupil=actor, text=text, due_date=due_date)
    audit_record(actor=actor, action="plan_step.create", target=step)
    return step


@transaction.atomic
def step_toggle(*, actor: User, step: PlanStep) -> PlanStep:
    step.done = not step.done
    step.save(update_fields=["done"])
    audit_record(actor=actor, action="plan_step.done" if step.done else "plan_step.open", target=step)
    return step


@transaction.atomic
def step_delete(*, actor: User, step: PlanStep) -> None:
    audit_record(actor=actor, action="plan_step.delete", target=step)
    step.delete()
