"""Writes of the occupation explorer. Saving an occupation writes the pupil's seeker profile, which belongs to
the offers area (the offer search ranks by it): it goes through `offers.services`."""

from __future__ import annotations

from ausbildung.core.models import Occupation, User
from ausbildung.offers import services as offers_services


def occupation_save(*, user: User, occupation: Occupation) -> bool:
    """Add the occupation to the pupil's saved occupations; False when it was saved already."""
    return offers_services.seeker_occupation_save(user=user, occupation=occupation)
