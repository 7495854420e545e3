"""Rank occupations by how well their interest profile fits a pupil's: one pure, documented function.

Both profiles are six non-negative numbers (R, I, A, S, E, C). The fit is the cosine similarity of the two
vectors (0 = nothing in common, 1 = the same direction), so a pupil's overall level of agreement does not
matter, only which interests stand out. Ties are broken by the occupation's name, then id, so the order is
stable. The reasons name the dimensions that contribute most to the fit (both profiles high there).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..riasec import DIMENSIONS


@dataclass(frozen=True)
class Candidate:
    occupation_id: int
    name: str
    profile: Mapping[str, float]


@dataclass(frozen=True)
class Ranked:
    occupation_id: int
    name: str
    score: float  # 0..1
    top_dimensions: tuple[str, ...]  # dimensions that contribute most, strongest first


def similarity(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    dot = sum(a.get(d, 0.0) * b.get(d, 0.0) for d in DIMENSIONS)
    norm_a = math.sqrt(sum(a.get(d, 0.0) ** 2 for d in DIMENSIONS))
    norm_b = math.sqrt(sum(b.get(d, 0.0) ** 2 for d in DIMENSIONS))
    if norm_a == 0 or norm_b == 0:
        return 0.0
    return max(0.0, min(1.0, dot / (norm_a * norm_b)))


def contributions(a: Mapping[str, float], b: Mapping[str, float], limit: int = 2) -> tuple[str, ...]:
    parts = [(a.get(d, 0.0) * b.get(d, 0.0), d) for d in DIMENSIONS]
    parts = [p for p in parts if p[0] > 0]
    parts.sort(key=lambda p: (-p[0], DIMENSIONS.index(p[1])))
    return tuple(d for _value, d in parts[:limit])


def rank_occupations(pupil: Mapping[str, float], candidates: Iterable[Candidate]) -> list[Ranked]:
    ranked = [
        Ranked(
            occupation_id=c.occupation_id,
            name=c.name,
            score=similarity(pupil, c.profile),
            top_dimensions=contributions(pupil, c.profile),
        )
        for c in candidates
    ]
    ranked.sort(key=lambda r: (-r.score, r.name, r.occupation_id))
    return ranked
