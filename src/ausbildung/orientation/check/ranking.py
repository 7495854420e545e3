"""Rank occupations by how well their interest profile fits a pupil's: pure, documented functions.

Both profiles are six non-negative numbers (R, I, A, S, E, C). The fit is the **profile correlation**: the
Pearson correlation r of the pupil's six scores with the occupation's six scores (documented with worked
examples and sources in docs/domain.md, "Fit of a pupil to an occupation"; e.g. Wille, Tracey, Feys &
De Fruyt 2014, JVB 84, 59–73). Correlation centres both profiles on their
own mean first, so it compares the *shape* (which interests stand out and which fall behind), not the level:
r = 1 is the same shape, 0 unrelated, −1 the opposite. The cosine used before did not centre; two
non-negative vectors always have a cosine ≥ 0 and, for profiles spread over all six areas, close to 1, so
every occupation "fitted" a pupil by 96–98 %.

As a check on the correlation, the Iachan (1984) M index compares the three-letter Holland codes; it breaks
ties between equal correlations and is shown in the documentation beside r. Ties are then broken by the
occupation's name and id, so the order is stable.

`bands` turns r into three honest words instead of a percentage; `diversify` keeps a top list from being
fifteen variants of one occupation family, or of one direction of interest.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..riasec import DIMENSIONS, code_of

# Iachan, R. (1984). A measure of agreement for use with the Holland classification system. Journal of
# Vocational Behavior 24(2), 133–141 (weight table reprinted in Iachan 1990, JVB 36, 176–180): the weight of
# a letter at position i of the person's code and position j of the environment's code.
IACHAN_WEIGHTS = ((22, 10, 4), (10, 5, 2), (4, 2, 1))
IACHAN_MAX = 28  # the same three letters in the same order: 22 + 5 + 1

# Bands of the profile correlation r (docs/domain.md): below PARTLY an occupation is not suggested.
VERY_GOOD = 0.75
GOOD = 0.5
PARTLY = 0.25


@dataclass(frozen=True)
class Candidate:
    occupation_id: int
    name: str
    profile: Mapping[str, float]


@dataclass(frozen=True)
class Ranked:
    occupation_id: int
    name: str
    score: float  # profile correlation r, −1..1
    iachan: int  # Iachan M index of the two three-letter codes, 0..28
    top_dimensions: tuple[str, ...]  # dimensions both profiles rate above their own mean, strongest first


def _values(profile: Mapping[str, float]) -> list[float]:
    return [float(profile.get(d, 0.0) or 0.0) for d in DIMENSIONS]


def profile_correlation(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Pearson r of two six-number profiles; 0 when either is flat (no interest stands out, r undefined)."""
    xs, ys = _values(a), _values(b)
    mx, my = math.fsum(xs) / 6, math.fsum(ys) / 6
    dx = [x - mx for x in xs]
    dy = [y - my for y in ys]
    sxx = math.fsum(d * d for d in dx)
    syy = math.fsum(d * d for d in dy)
    if sxx < 1e-12 or syy < 1e-12:
        return 0.0
    r = math.fsum(p * q for p, q in zip(dx, dy, strict=True)) / math.sqrt(sxx * syy)
    return max(-1.0, min(1.0, r))


def iachan_m(person_code: str, environment_code: str) -> int:
    """Iachan (1984) M index of two three-letter codes: 28 = identical, 0 = no letter in common."""
    total = 0
    for i, letter in enumerate(person_code[:3]):
        j = environment_code[:3].find(letter)
        if j >= 0:
            total += IACHAN_WEIGHTS[i][j]
    return total


def band(score: float) -> str:
    """ "very_good", "good", "partly" or "" (not a suggestion) for a profile correlation."""
    if score >= VERY_GOOD:
        return "very_good"
    if score >= GOOD:
        return "good"
    if score >= PARTLY:
        return "partly"
    return ""


def shared_strengths(a: Mapping[str, float], b: Mapping[str, float], limit: int = 2) -> tuple[str, ...]:
    """Dimensions both profiles rate above their own mean, by the product of the two deviations."""
    xs, ys = _values(a), _values(b)
    mx, my = math.fsum(xs) / 6, math.fsum(ys) / 6
    parts = [
        ((x - mx) * (y - my), d) for x, y, d in zip(xs, ys, DIMENSIONS, strict=True) if x > mx and y > my
    ]
    parts.sort(key=lambda p: (-p[0], DIMENSIONS.index(p[1])))
    return tuple(d for _value, d in parts[:limit])


def rank_occupations(pupil: Mapping[str, float], candidates: Iterable[Candidate]) -> list[Ranked]:
    pupil_code = code_of(dict(pupil))
    ranked = [
        Ranked(
            occupation_id=c.occupation_id,
            name=c.name,
            score=profile_correlation(pupil, c.profile),
            iachan=iachan_m(pupil_code, code_of(dict(c.profile))),
            top_dimensions=shared_strengths(pupil, c.profile),
        )
        for c in candidates
    ]
    ranked.sort(key=lambda r: (-r.score, -r.iachan, r.name, r.occupation_id))
    return ranked


BAND_ORDER = ("very_good", "good", "partly", "")


def prefer_nearby(ranked: Sequence[Ranked], nearby: Collection[int]) -> list[Ranked]:
    """Within each band, the occupations in `nearby` (with places near the pupil) first.

    The band is the fit and stays as it is: an occupation never moves past one of a better band, however
    many places it has. Inside each band, and inside the groups with and without places, the order by fit
    is kept (a stable sort).
    """
    return sorted(ranked, key=lambda r: (BAND_ORDER.index(band(r.score)), r.occupation_id not in nearby))


# --- variety ----------------------------------------------------------------------------------------------------

_FAMILY_CUT = re.compile(r"\s+(?:für|im|in der|in|der|des|-|–)\s+|[/(,]")


def family(name: str) -> str:
    """The occupation family of a name: its head word before "für", "im", a slash … (lower case).

    "Elektroniker für Betriebstechnik" and "Elektroniker für Gebäudesystemintegration" are one family,
    "Kaufmann für Büromanagement" and "Kaufmann im Einzelhandel" another. The gender forms of a name
    ("Kaufmann/Kauffrau") are cut at the slash.
    """
    head = _FAMILY_CUT.split(name.strip(), maxsplit=1)[0].strip()
    words = head.split()
    return (words[0] if words else name).lower()


def _lead(r: Ranked) -> str:
    return r.top_dimensions[0] if r.top_dimensions else ""


def diversify(
    ranked: Sequence[Ranked], limit: int, per_family: int = 2, *, other_directions: bool = True
) -> list[Ranked]:
    """The best `limit` suggestions with at most `per_family` of one occupation family, in ranking order.

    Variety of direction too: a fifth of the list (3 of 15) is kept for occupations led by another shared
    interest than the one that leads most of them, when the pupil's fits hold any ("partly" or better);
    otherwise the list is filled with the best of the leading direction. So a pupil who likes practical work
    most and helping people second sees a few social occupations, not fifteen practical ones.
    """
    per_lead = limit - limit // 5 if other_directions else limit
    chosen: list[Ranked] = []
    held_back: list[Ranked] = []
    seen: Counter[str] = Counter()
    leads: Counter[str] = Counter()
    for r in ranked:
        if len(chosen) >= limit:
            break
        key = family(r.name)
        if seen[key] >= per_family:
            continue
        if leads[_lead(r)] >= per_lead:
            held_back.append(r)
            continue
        seen[key] += 1
        leads[_lead(r)] += 1
        chosen.append(r)
    for r in held_back:  # no other direction filled the reserved places: the best of the leading one
        if len(chosen) >= limit:
            break
        key = family(r.name)
        if seen[key] >= per_family:
            continue
        seen[key] += 1
        chosen.append(r)
    order = {id(r): i for i, r in enumerate(ranked)}
    return sorted(chosen, key=lambda r: order[id(r)])


def unexpected(ranked: Sequence[Ranked], chosen: Sequence[Ranked], limit: int = 2) -> list[Ranked]:
    """Good fits the pupil may not have thought of: at least "good", but led by a different interest.

    An occupation qualifies when its correlation is in the "good" band or better, it is not in the top list,
    its family is not in the top list, and its strongest shared interest is not the one that leads the top
    list (so it opens another direction of what the pupil likes). At most one per family.
    """
    taken = {r.occupation_id for r in chosen}
    families = {family(r.name) for r in chosen}
    leading = Counter(r.top_dimensions[0] for r in chosen if r.top_dimensions)
    lead = leading.most_common(1)[0][0] if leading else ""
    found: list[Ranked] = []
    for r in ranked:
        if len(found) >= limit:
            break
        if r.score < GOOD or r.occupation_id in taken or family(r.name) in families:
            continue
        if not r.top_dimensions or r.top_dimensions[0] == lead:
            continue
        if any(r.top_dimensions[0] == f.top_dimensions[0] for f in found):
            continue
        families.add(family(r.name))
        found.append(r)
    return found
