"""Writes of the orientation app. Every service is keyword-only, atomic and writes its audit row itself.

Interest check: answers are saved screen by screen (`interest_check_answer`), so a pupil can stop and resume;
`interest_check_complete` scores the check once every item is answered. The audit rows record that a check
was started, answered and completed, never the answers themselves (the pupil's answers stay private).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ausbildung.core.models import User
from ausbildung.core.services import audit_record

from ..models import InterestCheck
from . import items


def open_check_of(pupil: User) -> InterestCheck | None:
    """The pupil's unfinished check of the current item set, if any (the newest)."""
    return (
        InterestCheck.objects.filter(pupil=pupil, item_set=items.ITEM_SET, completed_at__isnull=True)
        .order_by("-started_at", "-id")
        .first()
    )


@transaction.atomic
def interest_check_start(*, pupil: User) -> InterestCheck:
    """Start a check, or return the open one: a pupil has at most one unfinished check at a time."""
    User.objects.select_for_update().filter(pk=pupil.pk).first()  # serialise two clicks on "start"
    existing = open_check_of(pupil)
    if existing is not None:
        return existing
    check = InterestCheck.objects.create(pupil=pupil, item_set=items.ITEM_SET, answers={})
    audit_record(actor=pupil, action="orientation.interest_check.start", target=check, summary=items.ITEM_SET)
    return check


@transaction.atomic
def interest_check_answer(*, check: InterestCheck, actor: User, answers: Mapping[str, int]) -> InterestCheck:
    """Store answers (item key → 0..4) of one screen; other stored answers stay as they are."""
    check = InterestCheck.objects.select_for_update().get(pk=check.pk)
    if check.pupil_id != actor.pk:
        raise ValidationError(_("This is not your interest check."))
    if check.completed_at is not None:
        raise ValidationError(_("This interest check is already completed."))
    unknown = sorted(key for key in answers if key not in items.ITEM_KEYS)
    invalid = sorted(key for key, value in answers.items() if not items.valid_answer(value))
    if unknown or invalid:
        raise ValidationError(_("Unknown item or answer: %(keys)s") % {"keys": ", ".join(unknown + invalid)})
    if not answers:
        return check
    check.answers = {**check.answers, **{key: int(value) for key, value in answers.items()}}
    check.save(update_fields=["answers"])
    audit_record(
        actor=actor,
        action="orientation.interest_check.answer",
        target=check,
        summary=f"{len(check.answers)}/{len(items.ITEMS)}",
    )
    return check


@transaction.atomic
def interest_check_complete(*, check: InterestCheck, actor: User) -> InterestCheck:
    """Score a check whose every item is answered; scores and code are stored with it."""
    check = InterestCheck.objects.select_for_update().get(pk=check.pk)
    if check.pupil_id != actor.pk:
        raise ValidationError(_("This is not your interest check."))
    if check.completed_at is not None:
        return check
    open_keys = items.missing(check.answers)
    if open_keys:
        raise ValidationError(
            _("Please answer all questions first (%(count)d still open).") % {"count": len(open_keys)}
        )
    check.scores = items.score(check.answers)
    check.code = items.profile_code(check.scores)
    check.completed_at = timezone.now()
    check.save(update_fields=["scores", "code", "completed_at"])
    audit_record(actor=actor, action="orientation.interest_check.complete", target=check, summary=check.code)
    return check
