"""The occupation ranking by interest profile: the profile correlation, the Iachan M index, bands, variety."""

from __future__ import annotations

import math
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ausbildung.orientation.check.ranking import (
    Candidate,
    band,
    diversify,
    family,
    iachan_m,
    profile_correlation,
    rank_occupations,
    unexpected,
)
from ausbildung.orientation.riasec import DIMENSIONS, code_of

profiles = st.fixed_dictionaries({d: st.floats(0, 1) for d in DIMENSIONS})


def six(*values: float) -> dict[str, float]:
    return dict(zip(DIMENSIONS, values, strict=True))


def pure(dimension: str) -> dict[str, float]:
    return {d: (1.0 if d == dimension else 0.0) for d in DIMENSIONS}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(a[d] * b[d] for d in DIMENSIONS)
    return dot / math.sqrt(sum(a[d] ** 2 for d in DIMENSIONS) * sum(b[d] ** 2 for d in DIMENSIONS))


# The worked examples of docs/domain.md, "Fit of a pupil to an occupation" (computed there by hand).
PUPIL = six(0.8, 0.6, 0.2, 0.2, 0.4, 0.2)
TECHNICAL = six(0.40, 0.20, 0.05, 0.05, 0.10, 0.20)
CARING = six(0.05, 0.10, 0.15, 0.40, 0.10, 0.20)


def test_worked_examples_of_the_documentation():
    assert profile_correlation(PUPIL, TECHNICAL) == pytest.approx(0.8327, abs=5e-5)
    assert profile_correlation(PUPIL, CARING) == pytest.approx(-0.6948, abs=5e-5)
    # the cosine used before called both a fit (94.5 % and 51.8 %); the correlation tells them apart
    assert cosine(PUPIL, TECHNICAL) == pytest.approx(0.9452, abs=5e-5)
    assert cosine(PUPIL, CARING) == pytest.approx(0.5179, abs=5e-5)
    assert (code_of(PUPIL), code_of(TECHNICAL), code_of(CARING)) == ("RIE", "RIC", "SCA")
    assert iachan_m("RIE", "RIC") == 27 and iachan_m("RIE", "SCA") == 0
    assert band(0.8327) == "very_good" and band(-0.6948) == ""


def test_iachan_m_index_weights():
    """Iachan (1984); the examples of Iachan (1990): SEA–ESA = 21, SEA–ESI = 20."""
    assert iachan_m("RIA", "RIA") == 28
    assert iachan_m("SEA", "ESA") == 21 and iachan_m("SEA", "ESI") == 20
    assert iachan_m("RIA", "SEC") == 0
    assert iachan_m("RIA", "ARI") == 4 + 10 + 2  # R 1↔2, I 2↔3, A 3↔1


def test_bands_have_documented_thresholds():
    assert [band(x) for x in (1.0, 0.75, 0.74, 0.5, 0.49, 0.25, 0.24, -1.0)] == [
        "very_good",
        "very_good",
        "good",
        "good",
        "partly",
        "partly",
        "",
        "",
    ]


@given(st.sampled_from(DIMENSIONS), st.lists(profiles, min_size=1, max_size=8))
def test_a_pure_profile_ranks_occupations_of_its_dimension_first(dimension, others):
    candidates = [Candidate(1000, "zz pure", pure(dimension))]
    other = next(d for d in DIMENSIONS if d != dimension)
    candidates += [
        Candidate(i, f"o{i}", {**p, dimension: min(p[dimension], 0.9), other: max(p[other], 0.01)})
        for i, p in enumerate(others)
    ]
    ranked = rank_occupations(pure(dimension), candidates)
    assert ranked[0].occupation_id == 1000
    assert ranked[0].score == pytest.approx(1.0) and ranked[0].top_dimensions == (dimension,)


@given(profiles, st.lists(profiles, max_size=10))
def test_ties_are_stable_and_scores_bounded(pupil, others):
    candidates = [Candidate(i, f"o{i % 3}", p) for i, p in enumerate(others)]
    first = rank_occupations(pupil, candidates)
    second = rank_occupations(pupil, list(reversed(candidates)))
    assert first == second  # the input order never matters
    assert all(-1.0 <= r.score <= 1.0 and 0 <= r.iachan <= 28 for r in first)
    assert [r.score for r in first] == sorted((r.score for r in first), reverse=True)


@given(profiles, profiles, st.floats(0.1, 5), st.floats(0, 1))
def test_correlation_is_symmetric_and_ignores_level_and_scale(a, b, factor, shift):
    assert profile_correlation(a, b) == pytest.approx(profile_correlation(b, a), abs=1e-9)
    moved = {d: factor * v + shift for d, v in a.items()}
    assert profile_correlation(moved, b) == pytest.approx(profile_correlation(a, b), abs=1e-6)


def test_a_flat_profile_fits_nothing():
    assert profile_correlation(six(0.5, 0.5, 0.5, 0.5, 0.5, 0.5), TECHNICAL) == 0.0


def test_families_and_diversity():
    assert family("Elektroniker für Betriebstechnik/Elektronikerin für Betriebstechnik") == "elektroniker"
    assert family("Kaufmann im Einzelhandel/Kauffrau im Einzelhandel") == "kaufmann"
    assert family("Tischler/Tischlerin") == "tischler"
    names = ["Elektroniker für A", "Elektroniker für B", "Elektroniker für C", "Tischler", "Maurer"]
    candidates = [Candidate(i, n, six(0.5 - i * 0.01, 0.2, 0, 0, 0, 0.1)) for i, n in enumerate(names)]
    ranked = rank_occupations(pure("R"), candidates)
    chosen = diversify(ranked, limit=4)
    assert [r.name for r in chosen] == ["Elektroniker für A", "Elektroniker für B", "Tischler", "Maurer"]


def test_unexpected_suggestions_come_from_another_direction():
    pupil = six(0.9, 0.2, 0.1, 0.6, 0.1, 0.1)  # practical first, social second
    candidates = [
        Candidate(1, "Mechaniker für A", six(0.6, 0.2, 0, 0.1, 0, 0.1)),
        Candidate(2, "Mechaniker für B", six(0.6, 0.1, 0, 0.15, 0, 0.15)),
        Candidate(3, "Pfleger", six(0.25, 0.1, 0.05, 0.45, 0.1, 0.05)),
    ]
    ranked = rank_occupations(pupil, candidates)
    top = diversify(ranked, limit=2)
    assert [r.occupation_id for r in top] == [2, 1]
    extra = unexpected(ranked, top)
    assert [r.occupation_id for r in extra] == [3]
    assert extra[0].top_dimensions[0] == "S" and band(extra[0].score) in {"very_good", "good"}


def test_a_fifth_of_the_list_is_kept_for_another_direction():
    """A pupil who likes practical work most and helping people second: of 15 suggestions at most 12 are led
    by the practical interest while social ones fit at least "partly"; without any, the practical fill all."""
    pupil = six(0.9, 0.2, 0.1, 0.6, 0.1, 0.1)
    practical = [Candidate(i, f"Beruf{i}", six(0.8 - i * 0.005, 0.2, 0.05, 0.3, 0.1, 0.1)) for i in range(20)]
    social = [
        Candidate(100 + i, f"Sozial{i}", six(0.3, 0.1, 0.05, 0.7 - i * 0.01, 0.1, 0.05)) for i in range(3)
    ]
    ranked = [r for r in rank_occupations(pupil, practical + social) if band(r.score)]
    assert all(r.top_dimensions[0] == "R" for r in ranked[:15])  # by fit alone: fifteen practical ones
    chosen = diversify(ranked, limit=15)
    leads = Counter(r.top_dimensions[0] for r in chosen)
    assert len(chosen) == 15 and leads["R"] == 12 and leads["S"] == 3
    assert chosen == sorted(chosen, key=ranked.index)  # still in the order of fit
    only_practical = [r for r in ranked if r.top_dimensions[0] == "R"]
    assert len(diversify(only_practical, limit=15)) == 15
