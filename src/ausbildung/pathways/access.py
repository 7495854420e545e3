"""Who sees the pathway pages: everybody (like the occupation explorer); an apprentice finds "Wie geht es weiter?"
among their areas."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from ausbildung.core.areas import register_areas
from ausbildung.core.models import Role
from ausbildung.core.permissions import PUBLIC, only, register_rules

RULES = {
    "pathways:occupation": PUBLIC,
    "pathways:mine": only(Role.APPRENTICE),
}

AREAS = [
    (
        "pathways",
        pgettext_lazy("du", "What comes after your training?"),
        pgettext_lazy(
            "du",
            "Meister, Fachwirt, Bachelor and Master Professional: the next steps and the Aufstiegs-BAföG.",
        ),
        "pathways:mine",
        25,
    ),
]


def register() -> None:
    register_rules(RULES)
    register_areas(AREAS)
