"""The occupation ranking by interest profile: properties of the one ranking function."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ausbildung.orientation.check.ranking import Candidate, rank_occupations, similarity
from ausbildung.orientation.riasec import DIMENSIONS, code_of

profiles = st.fixed_dictionaries({d: st.floats(0, 1) for d in DIMENSIONS})


def pure(dimension: str) -> dict[str, float]:
    return {d: (1.0 if d == dimension else 0.0) for d in DIMENSIONS}


@given(st.sampled_from(DIMENSIONS), st.lists(profiles, min_size=1, max_size=8))
def test_a_pure_profile_ranks_occupations_of_its_dimension_first(dimension, others):
    """A pure R profile ranks R occupations first (the issue's property), for every dimension."""
    candidates = [Candidate(1000, "zz pure", pure(dimension))]
    # Every other occupation has some interest outside the dimension, so it is not purely of it.
    other = next(d for d in DIMENSIONS if d != dimension)
    candidates += [Candidate(i, f"o{i}", {**p, other: max(p[other], 0.01)}) for i, p in enumerate(others)]
    ranked = rank_occupations(pure(dimension), candidates)
    assert ranked[0].occupation_id == 1000
    assert ranked[0].score == 1.0 and ranked[0].top_dimensions == (dimension,)


@given(profiles, st.lists(profiles, max_size=10))
def test_ties_are_stable_and_scores_bounded(pupil, others):
    candidates = [Candidate(i, f"o{i % 3}", p) for i, p in enumerate(others)]
    first = rank_occupations(pupil, candidates)
    second = rank_occupations(pupil, list(reversed(candidates)))
    assert first == second  # the input order never matters
    assert all(0.0 <= r.score <= 1.0 for r in first)
    assert [r.score for r in first] == sorted((r.score for r in first), reverse=True)


@given(profiles, profiles)
def test_similarity_is_symmetric_and_scale_free(a, b):
    assert similarity(a, b) == similarity(b, a)
    doubled = {d: 2 * v for d, v in a.items()}
    assert abs(similarity(doubled, b) - similarity(a, b)) < 1e-9


def test_code_of_takes_the_highest_letters_with_fixed_tie_order():
    assert code_of({"S": 0.9, "A": 0.7, "E": 0.7, "R": 0.1}) == "SAE"
    assert code_of({}) == "RIA"
