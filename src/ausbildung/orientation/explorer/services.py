"""Writes of the occupation explorer: a pupil saves an occupation (offers.SeekerProfile.interests)."""

from __future__ import annotations

from django.db import transaction

from ausbildung.core.models import Occupation, User
from ausbildung.core.services import audit_record
from ausbildung.offers.models import SeekerProfile


@transaction.atomic
def occupation_save(*, user: User, occupation: Occupation) -> bool:
    """Add the occupation to the person's saved occupations; False when it was saved already."""
    profile, _created = SeekerProfile.objects.get_or_create(user=user)
    if profile.interests.filter(pk=occupation.pk).exists():
        return False
    profile.interests.add(occupation)
    audit_record(
        actor=user,
        action="seeker_profile.save_occupation",
        target=profile,
        summary=f"saved {occupation.name}",
        changes={"occupation": occupation.slug},
    )
    return True
