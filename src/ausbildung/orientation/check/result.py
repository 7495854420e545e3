"""The result of a completed check: the profile in words and the catalogue's occupations ranked by fit."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from ..models import OccupationInterestProfile
from ..riasec import DIMENSIONS, NAMES
from .ranking import Candidate, rank_occupations

TOP = 15
EVIDENCE_WORDS = 4


@dataclass(frozen=True)
class Match:
    name: str
    slug: str
    score: float  # 0..1
    percent: int
    dimensions: tuple[str, ...]  # names of the dimensions that carry the fit, strongest first
    evidence: tuple[str, ...]  # words (or word stems) of the training regulation behind those dimensions
    occupation_url: str
    orientation_url: str  # the occupation seen from the orientation app, "" while that page does not exist


def _evidence_words(evidence: object, dimensions: tuple[str, ...]) -> tuple[str, ...]:
    if not isinstance(evidence, Mapping):
        return ()
    words: list[str] = []
    for dimension in dimensions:
        value = evidence.get(dimension)
        found = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        for word in found:
            # orientation.derive stores [stem, count] pairs (stems, "*" = inside a compound): shown as "stem…"
            if isinstance(word, list | tuple) and word and isinstance(word[0], str):
                text = f"{word[0].lstrip('*')}…"
            else:
                text = word if isinstance(word, str) else ""
            if text and text not in words:
                words.append(text)
    return tuple(words[:EVIDENCE_WORDS])


def _orientation_url(slug: str) -> str:
    try:
        return reverse("orientation:occupation", kwargs={"slug": slug})
    except NoReverseMatch:
        return ""


def ranked_matches(scores: Mapping[str, float], limit: int = TOP) -> list[Match]:
    profiles = {
        p.occupation_id: p
        for p in OccupationInterestProfile.objects.filter(occupation__is_active=True).select_related(
            "occupation"
        )
    }
    candidates = [Candidate(p.occupation_id, p.occupation.name, p.scores) for p in profiles.values()]
    matches = []
    for ranked in rank_occupations(scores, candidates)[:limit]:
        profile = profiles[ranked.occupation_id]
        slug = profile.occupation.slug
        matches.append(
            Match(
                name=ranked.name,
                slug=slug,
                score=ranked.score,
                percent=round(ranked.score * 100),
                dimensions=tuple(str(NAMES[d]) for d in ranked.top_dimensions),
                evidence=_evidence_words(profile.evidence, ranked.top_dimensions),
                occupation_url=reverse("core:occupation_detail", kwargs={"slug": slug}),
                orientation_url=_orientation_url(slug),
            )
        )
    return matches


def profile_rows(scores: Mapping[str, float]) -> list[dict]:
    return [
        {
            "letter": d,
            "name": str(NAMES[d]),
            "score": float(scores.get(d, 0.0)),
            "percent": round(float(scores.get(d, 0.0)) * 100),
        }
        for d in DIMENSIONS
    ]


def code_in_words(code: str) -> list[str]:
    return [str(NAMES[letter]) for letter in code if letter in NAMES]


def flat_profile(scores: Mapping[str, float]) -> bool:
    """True when no interest stands out (all six within 0.1), so the code says little."""
    values = [float(scores.get(d, 0.0)) for d in DIMENSIONS]
    return max(values) - min(values) < 0.1


def chart_data(scores: Mapping[str, float]) -> dict:
    return {
        "labels": [str(NAMES[d]) for d in DIMENSIONS],
        "values": [round(float(scores.get(d, 0.0)) * 100) for d in DIMENSIONS],
        "label": _("Your interest (0–100)"),
    }
