"""Properties of the engine on small random instances (hypothesis) and brute force on tiny ones."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ausbildung.matching.engine import UNRANKED, Instance, make_instance, solve, verify


@st.composite
def instances(draw: st.DrawFn, max_applicants: int = 8, max_offers: int = 5, groups: bool = True) -> Instance:
    n_app = draw(st.integers(1, max_applicants))
    n_off = draw(st.integers(1, max_offers))
    capacity = draw(st.lists(st.integers(0, 3), min_size=n_off, max_size=n_off))
    n_groups = draw(st.integers(0, 2)) if groups else 0
    group = (
        draw(st.lists(st.integers(-1, n_groups - 1), min_size=n_off, max_size=n_off)) if n_groups else None
    )
    group_capacity = (
        draw(st.lists(st.integers(0, 4), min_size=n_groups, max_size=n_groups)) if n_groups else None
    )
    ptr = [0]
    offers: list[int] = []
    ranks: list[int] = []
    for _ in range(n_app):
        listed = draw(st.permutations(range(n_off)))[: draw(st.integers(0, n_off))]
        offers.extend(listed)
        ranks.extend(draw(st.sampled_from([1, 1, 2, 3, UNRANKED])) for _ in listed)
        ptr.append(len(offers))
    return make_instance(
        capacity=capacity,
        app_ptr=ptr,
        app_offer=offers,
        offer_rank=ranks,
        group=group,
        group_capacity=group_capacity,
    )


FAST = settings(max_examples=150, deadline=None)
NEVER = np.iinfo(np.int64).max


def preference_position(solution_pairs: np.ndarray) -> np.ndarray:
    """Smaller = better for the applicant (pairs are stored in preference order); unmatched = worst."""
    return np.where(solution_pairs >= 0, solution_pairs, NEVER)


@FAST
@given(instances(), st.integers(0, 2**16), st.booleans())
def test_applicant_proposing_is_stable_and_feasible(instance: Instance, seed: int, multiple: bool) -> None:
    solution = solve(instance, seed=seed, multiple_tie_breaking=multiple)
    assert verify(instance, solution.assignment).ok
    assert verify(instance, solution.assignment, rank=solution.lottery.key).ok
    filled = np.bincount(solution.assignment[solution.assignment >= 0], minlength=instance.n_offers)
    assert (filled <= instance.capacity).all()


@FAST
@given(instances(), st.integers(0, 2**16), st.booleans())
def test_kernel_equals_numpy_reference(instance: Instance, seed: int, multiple: bool) -> None:
    compiled = solve(instance, seed=seed, multiple_tie_breaking=multiple, kernel="numba")
    reference = solve(instance, seed=seed, multiple_tie_breaking=multiple, kernel="numpy")
    assert np.array_equal(compiled.pairs, reference.pairs)


@FAST
@given(instances(), st.integers(0, 2**16))
def test_applicants_weakly_prefer_applicant_proposing(instance: Instance, seed: int) -> None:
    applicant = solve(instance, seed=seed, mode="applicant")
    offer = solve(instance, seed=seed, mode="offer")
    assert verify(instance, offer.assignment).ok
    assert verify(instance, offer.assignment, rank=offer.lottery.key).ok
    assert (preference_position(applicant.pairs) <= preference_position(offer.pairs)).all()


@FAST
@given(instances(), st.integers(0, 100))
def test_deterministic_for_seed(instance: Instance, seed: int) -> None:
    assert np.array_equal(solve(instance, seed=seed).pairs, solve(instance, seed=seed).pairs)


@settings(max_examples=120, deadline=None)
@given(instances(max_applicants=4, max_offers=3), st.integers(0, 2**16))
def test_agrees_with_brute_force(instance: Instance, seed: int) -> None:
    """Enumerate every assignment; the verifier's stable ones (for the lottery's strict ranks) must contain
    both DA results, and the applicant-proposing one must be the best for every applicant among them."""
    solution = solve(instance, seed=seed)
    key = solution.lottery.key
    options = [
        [-1, *[int(instance.app_offer[p]) for p in range(instance.app_ptr[a], instance.app_ptr[a + 1])]]
        for a in range(instance.n_applicants)
    ]
    stable = []
    for choice in itertools.product(*options):
        assignment = np.array(choice, dtype=np.int64)
        if verify(instance, assignment, rank=key).ok:
            stable.append(assignment)
    assert stable  # a stable matching always exists
    as_tuples = {tuple(s.tolist()) for s in stable}
    assert tuple(solution.assignment.tolist()) in as_tuples
    assert tuple(solve(instance, seed=seed, mode="offer").assignment.tolist()) in as_tuples

    def position(a: int, offer: int) -> int:
        if offer < 0:
            return NEVER
        listed = instance.app_offer[instance.app_ptr[a] : instance.app_ptr[a + 1]].tolist()
        return listed.index(offer)

    for a in range(instance.n_applicants):
        best = min(position(a, int(s[a])) for s in stable)
        assert position(a, int(solution.assignment[a])) == best


def test_verifier_reports_blocking_pairs_capacity_and_acceptability() -> None:
    # two applicants both want offer 0 (one place), the offer prefers applicant 1
    instance = make_instance(
        capacity=[1, 1], app_ptr=[0, 2, 4], app_offer=[0, 1, 0, 1], offer_rank=[2, 1, 1, -1]
    )
    good = verify(instance, np.array([1, 0]))
    assert good.ok, good.problems
    blocked = verify(instance, np.array([1, -1]))
    # offer 0 is empty: both applicants would rather have it
    assert blocked.blocking_pairs == 2 and blocked.first_blocking == [(0, 0), (1, 0)]
    over = verify(instance, np.array([0, 0]))
    assert any("over capacity" in p for p in over.problems)
    unacceptable = verify(instance, np.array([-1, 1]))
    assert any("did not rank" in p for p in unacceptable.problems)


def test_group_cap_shared_between_offers() -> None:
    # offers 0 and 1 share one place; both applicants rank 1 at their offer; lottery decides who gets it
    instance = make_instance(
        capacity=[1, 1],
        app_ptr=[0, 1, 2],
        app_offer=[0, 1],
        offer_rank=[1, 2],
        group=[0, 0],
        group_capacity=[1],
    )
    solution = solve(instance)
    assert solution.assignment.tolist() == [0, -1]  # rank 1 at offer 0 beats rank 2 at offer 1
    assert verify(instance, solution.assignment).ok
    assert not verify(instance, np.array([-1, 1])).ok
