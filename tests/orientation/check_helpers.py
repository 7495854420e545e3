"""Helpers for interest-check tests (also used by the permission matrix)."""

from __future__ import annotations

from ausbildung.core.models import Occupation
from ausbildung.orientation.check import items, services
from ausbildung.orientation.models import InterestCheck, OccupationInterestProfile


def answers_for(levels: dict[str, int], default: int = 0) -> dict[str, int]:
    """An answer for every item: the level of its dimension, else `default`."""
    return {item.key: levels.get(item.dimension, default) for item in items.ITEMS}


def completed_check(pupil, levels: dict[str, int] | None = None) -> InterestCheck:
    check = InterestCheck.objects.create(pupil=pupil, item_set=items.ITEM_SET)
    services.interest_check_answer(check=check, actor=pupil, answers=answers_for(levels or {"R": 4, "I": 2}))
    return services.interest_check_complete(check=check, actor=pupil)


def profile_for(occupation: Occupation, scores: dict[str, float], evidence: dict | None = None):
    from ausbildung.orientation.riasec import code_of

    full = {d: scores.get(d, 0.0) for d in "RIASEC"}
    return OccupationInterestProfile.objects.update_or_create(
        occupation=occupation,
        defaults={
            "realistic": full["R"],
            "investigative": full["I"],
            "artistic": full["A"],
            "social": full["S"],
            "enterprising": full["E"],
            "conventional": full["C"],
            "code": code_of(full),
            "method": "test",
            "evidence": evidence or {},
        },
    )[0]
