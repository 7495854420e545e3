"""Writes for school classes: a teacher creates a class and hands out its join code; pupils join with it and
may allow their teacher to count them in the class's occupational fields.

Keyword-only, atomic, audited. Domain errors are `ValidationError`s keyed by form field.
"""

from __future__ import annotations

import re
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ausbildung.core.models import Organisation, Role, User
from ausbildung.core.permissions import roles_of, schools_of_teacher
from ausbildung.core.services import audit_record, membership_create

from ..models import ClassMembership, FieldSharingConsent, SchoolClass

# No 0/O, 1/I/L: a code read aloud in class or copied from the board should not be mistyped.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
SCHOOL_YEAR = re.compile(r"^([0-9]{4})/([0-9]{2})$")  # ASCII digits: \d would take "٢٠٢٥/٢٦" too


def new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        if not SchoolClass.objects.filter(code=code).exists():
            return code


def normalise_code(value: str) -> str:
    """What a pupil types: any case, with spaces or dashes."""
    return re.sub(r"[\s\-]", "", value or "").upper()


def validate_school_year(value: str) -> None:
    match = SCHOOL_YEAR.match(value.strip())
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ValidationError({"school_year": _("Enter the school year like 2026/27.")})


@transaction.atomic
def class_create(
    *,
    actor: User | None,
    school: Organisation,
    name: str,
    school_year: str,
    code: str | None = None,
    teacher: User | None = None,
) -> SchoolClass:
    """A class led by `teacher` (by default the actor, who must teach at the school)."""
    teacher = teacher or actor
    if teacher is None or not schools_of_teacher(teacher).filter(pk=school.pk).exists():
        raise ValidationError({"school": _("You do not teach at this school.")})
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Enter the name of the class.")})
    validate_school_year(school_year)
    school_class = SchoolClass.objects.create(
        school=school, name=name, school_year=school_year.strip(), teacher=teacher, code=code or new_code()
    )
    audit_record(actor=actor, action="school_class.create", target=school_class, summary=str(school_class))
    return school_class


def class_for_code(code: str) -> SchoolClass | None:
    code = normalise_code(code)
    if not code:
        return None
    return SchoolClass.objects.filter(code=code, is_active=True).select_related("school").first()


@transaction.atomic
def class_join(*, actor: User, code: str) -> tuple[SchoolClass, bool]:
    """Join the class with this code; (class, joined now). A wrong or retired code is an error on `code`."""
    school_class = class_for_code(code)
    if school_class is None:
        raise ValidationError(
            {"code": _("No class has this code. Check the code with your teacher and try again.")}
        )
    if Role.PUPIL not in roles_of(actor):
        if roles_of(actor):
            raise ValidationError({"code": _("Only pupils join a class.")})
        # A signed-up person without any role becomes a pupil of the class's school (core.accounts).
        membership_create(actor=actor, user=actor, organisation=school_class.school, role=Role.PUPIL)
    membership, created = ClassMembership.objects.get_or_create(school_class=school_class, pupil=actor)
    if created:
        audit_record(actor=actor, action="school_class.join", target=membership, summary=str(school_class))
    return school_class, created


@transaction.atomic
def field_sharing_set(*, actor: User, allow: bool) -> FieldSharingConsent:
    """The pupil's own switch "my teacher may see which occupational fields interest me" (Einwilligung,
    DSGVO Art. 7 Abs. 3: withdrawing is as easy as giving it). Stored with the time it was given or withdrawn."""
    consent, _created = FieldSharingConsent.objects.select_for_update().get_or_create(pupil=actor)
    if allow == consent.granted:
        return consent
    now = timezone.now()
    if allow:
        consent.granted_at, consent.withdrawn_at = now, None
    else:
        consent.granted_at, consent.withdrawn_at = None, now
    consent.save()
    audit_record(
        actor=actor,
        action="field_sharing.grant" if allow else "field_sharing.withdraw",
        target=consent,
        summary="granted" if allow else "withdrawn",
    )
    return consent
