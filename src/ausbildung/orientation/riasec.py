"""The RIASEC model of vocational interests (Holland): six dimensions, their letters and names."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

DIMENSIONS = ("R", "I", "A", "S", "E", "C")

NAMES = {
    "R": _("Realistic (practical, technical)"),
    "I": _("Investigative (researching)"),
    "A": _("Artistic (creative)"),
    "S": _("Social (helping, teaching)"),
    "E": _("Enterprising (leading, selling)"),
    "C": _("Conventional (organising, administrative)"),
}


def code_of(scores: dict[str, float], length: int = 3) -> str:
    """The Holland code: the letters of the highest scores, ties in the fixed order R-I-A-S-E-C."""
    order = sorted(DIMENSIONS, key=lambda d: (-scores.get(d, 0.0), DIMENSIONS.index(d)))
    return "".join(order[:length])
