"""Stable improvement cycles (--improve): stability kept, nobody worse off, deterministic, and on tiny instances
without group caps no stable matching Pareto-dominates the result (Erdil & Ergin 2008, Theorem 1)."""

from __future__ import annotations

import itertools
from typing import Literal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ausbildung.matching.engine import UNRANKED, Instance, Mode, improve, make_instance, solve, verify

from .test_engine import FAST, NEVER, instances, preference_position

MODES: tuple[Mode, ...] = ("applicant", "offer")
modes = st.sampled_from(MODES)


def tied_instance(rng: np.random.Generator, n_app: int, n_off: int, groups: bool = False) -> Instance:
    """Crowded and mostly tied (where tie-breaking wastes most): every applicant lists at least two offers,
    offers rank most applicants 1."""
    ptr, offers, ranks = [0], [], []
    for _ in range(n_app):
        listed = rng.permutation(n_off)[: rng.integers(2, n_off + 1)].tolist()
        offers += listed
        ranks += rng.choice([1, 1, 1, 2, UNRANKED], len(listed)).tolist()
        ptr.append(len(offers))
    n_groups = 2 if groups else 0
    return make_instance(
        capacity=rng.integers(1, 3, n_off),
        app_ptr=ptr,
        app_offer=offers,
        offer_rank=ranks,
        group=rng.integers(-1, n_groups, n_off) if groups else None,
        group_capacity=rng.integers(1, 4, n_groups) if groups else None,
    )


@st.composite
def tied_instances(draw: st.DrawFn, groups: bool = True) -> Instance:
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return tied_instance(rng, draw(st.integers(2, 8)), draw(st.integers(2, 4)), groups=groups)


KERNELS: tuple[Literal["numba", "python"], ...] = ("numba", "python")


def assignment_of(instance: Instance, pairs: np.ndarray) -> np.ndarray:
    return np.where(pairs >= 0, instance.app_offer[np.maximum(pairs, 0)], -1)


@FAST
@given(st.one_of(instances(), tied_instances()), st.integers(0, 2**16), st.booleans(), modes)
def test_improved_matching_is_stable_feasible_and_weakly_better(
    instance: Instance, seed: int, multiple: bool, mode: Mode
) -> None:
    solution = solve(instance, seed=seed, multiple_tie_breaking=multiple, mode=mode, improve=True)
    improvement = solution.improvement
    assert improvement is not None
    checked = verify(instance, solution.assignment)  # weak ranks: capacities, group caps, blocking pairs
    assert checked.ok, checked.problems
    filled = np.bincount(solution.assignment[solution.assignment >= 0], minlength=instance.n_offers)
    assert (filled <= instance.capacity).all()
    groups = instance.group[solution.assignment[solution.assignment >= 0]]
    assert (
        np.bincount(groups[groups >= 0], minlength=len(instance.group_capacity)) <= instance.group_capacity
    ).all()
    # the starting point is the plain DA result, and nobody is worse off than there
    plain = solve(instance, seed=seed, multiple_tie_breaking=multiple, mode=mode)
    assert np.array_equal(improvement.before, plain.pairs)
    assert (preference_position(solution.pairs) <= preference_position(plain.pairs)).all()
    # cycles keep every offer's count: the same applicants are matched, the same seats filled
    assert np.array_equal(solution.pairs >= 0, plain.pairs >= 0)
    assert np.array_equal(
        np.bincount(solution.assignment[solution.assignment >= 0], minlength=instance.n_offers),
        np.bincount(plain.assignment[plain.assignment >= 0], minlength=instance.n_offers),
    )
    assert improvement.improved == int((solution.pairs != plain.pairs).sum())
    assert (improvement.cycles == 0) == (improvement.improved == 0)
    assert improvement.rounds >= 1


@FAST
@given(st.one_of(instances(), tied_instances()), st.integers(0, 2**16), st.booleans(), modes)
def test_numba_equals_python_reference_and_is_deterministic(
    instance: Instance, seed: int, multiple: bool, mode: Mode
) -> None:
    plain = solve(instance, seed=seed, multiple_tie_breaking=multiple, mode=mode)
    fast, fast_info = improve(instance, plain.pairs)
    again, _ = improve(instance, plain.pairs)
    slow, slow_info = improve(instance, plain.pairs, kernel="python")
    assert np.array_equal(fast, again)
    assert np.array_equal(fast, slow)
    assert (fast_info.cycles, fast_info.rounds) == (slow_info.cycles, slow_info.rounds)
    first = solve(instance, seed=seed, multiple_tie_breaking=multiple, mode=mode, improve=True)
    second = solve(instance, seed=seed, multiple_tie_breaking=multiple, mode=mode, improve=True)
    assert np.array_equal(first.pairs, second.pairs)


def weakly_stable_matchings(instance: Instance) -> list[np.ndarray]:
    options = [
        [-1, *[int(instance.app_offer[p]) for p in range(instance.app_ptr[a], instance.app_ptr[a + 1])]]
        for a in range(instance.n_applicants)
    ]
    found = []
    for choice in itertools.product(*options):
        assignment = np.array(choice, dtype=np.int64)
        if verify(instance, assignment).ok:
            found.append(assignment)
    return found


def positions(instance: Instance, assignment: np.ndarray) -> np.ndarray:
    """Preference position of each applicant's offer (smaller = better; unmatched = NEVER)."""
    out = np.full(instance.n_applicants, NEVER, dtype=np.int64)
    for a, o in enumerate(assignment.tolist()):
        if o >= 0:
            listed = instance.app_offer[instance.app_ptr[a] : instance.app_ptr[a + 1]].tolist()
            out[a] = listed.index(o)
    return out


@settings(max_examples=150, deadline=None)
@given(instances(max_applicants=5, max_offers=3, groups=False), st.integers(0, 2**16), st.booleans(), modes)
def test_no_stable_matching_dominates_the_improved_one(
    instance: Instance, seed: int, multiple: bool, mode: Mode
) -> None:
    """Brute force over every assignment: among the weakly stable ones, none is at least as good for every
    applicant and better for one (the result is constrained efficient), and the result is among them."""
    solution = solve(instance, seed=seed, multiple_tie_breaking=multiple, mode=mode, improve=True)
    ours = positions(instance, solution.assignment)
    stable = weakly_stable_matchings(instance)
    assert any(np.array_equal(s, solution.assignment) for s in stable)
    for other in stable:
        theirs = positions(instance, other)
        assert not ((theirs <= ours).all() and (theirs < ours).any()), (other, solution.assignment)


def test_constrained_efficiency_where_cycles_exist() -> None:
    """The same brute force on seeded crowded, tied instances where DA with tie-breaking wasted (cycles were
    executed); the test asserts there are many (so it cannot pass vacuously)."""
    rng = np.random.default_rng(5)
    with_cycles = 0
    for n in range(300):
        instance = tied_instance(rng, 6, 3)
        solutions = [
            solve(instance, seed=n, multiple_tie_breaking=multiple, mode=mode, improve=True)
            for multiple, mode in itertools.product((False, True), MODES)
        ]
        improved = [s for s in solutions if s.improvement is not None and s.improvement.cycles]
        if not improved:
            continue
        with_cycles += len(improved)
        stable = weakly_stable_matchings(instance)
        stable_positions = [positions(instance, s) for s in stable]
        for solution in improved:
            ours = positions(instance, solution.assignment)
            assert any(np.array_equal(s, solution.assignment) for s in stable)
            assert not any((t <= ours).all() and (t < ours).any() for t in stable_positions)
    assert with_cycles >= 40


def test_numba_equals_python_over_several_rounds_with_groups() -> None:
    rng = np.random.default_rng(11)
    several_rounds = 0
    for n in range(150):
        instance = tied_instance(rng, 40, 12, groups=bool(n % 2))
        plain = solve(instance, seed=n, multiple_tie_breaking=bool(n % 3))
        fast, fast_info = improve(instance, plain.pairs)
        slow, slow_info = improve(instance, plain.pairs, kernel="python")
        assert np.array_equal(fast, slow)
        assert (fast_info.cycles, fast_info.rounds) == (slow_info.cycles, slow_info.rounds)
        assert verify(instance, assignment_of(instance, fast)).ok
        several_rounds += fast_info.rounds > 2
    assert several_rounds >= 5


def test_hand_example_a_cycle_is_found_and_executed() -> None:
    """Applicants 0 and 1 each hold the other's first choice after DA and trade.

    applicant 0: offer 1 > offer 0          offer 0 ranks 0 first, 1 and 2 tied second
    applicant 1: offer 0 > offer 1          offer 1 ranks 1 first, 0 second
    applicant 2: offer 0
    When the lottery puts 2 before 1, DA runs: 1 loses offer 0 to 2 in the tie, takes offer 1 from 0, and 0
    takes offer 0 from 2. Both 0 and 1 end with their second choice; 0 -> offer 1 -> 1 -> offer 0 -> 0 is a
    stable improvement cycle (2 still loses the tie at offer 0, now to 1: no blocking pair).
    """
    instance = make_instance(
        capacity=[1, 1], app_ptr=[0, 2, 4, 5], app_offer=[1, 0, 0, 1, 0], offer_rank=[2, 1, 2, 1, 2]
    )
    lucky_two = [s for s in range(50) if solve(instance, seed=s).assignment.tolist() == [0, 1, -1]]
    assert lucky_two, "some seed puts applicant 2 before applicant 1"
    for seed in lucky_two:
        solution = solve(instance, seed=seed, improve=True)
        assert solution.assignment.tolist() == [1, 0, -1]
        assert solution.improvement is not None
        assert (solution.improvement.cycles, solution.improvement.improved) == (1, 2)
        assert solution.improvement.rounds == 2  # the second round finds no cycle
        assert verify(instance, solution.assignment).ok
        # the traded result is not stable for the lottery's strict ranks: 2 beat 1 at offer 0 in the lottery
        assert not verify(instance, solution.assignment, rank=solution.lottery.key).ok
    other = next(s for s in range(50) if s not in lucky_two)
    unchanged = solve(instance, seed=other, improve=True)
    assert unchanged.improvement is not None and unchanged.improvement.cycles == 0
    assert unchanged.assignment.tolist() == solve(instance, seed=other).assignment.tolist()


def test_capacity_above_one_offer_points_to_all_holders() -> None:
    """Offer 0 (two places) holds applicants 0 and 1; only applicant 1 can trade with applicant 2."""
    # applicant 0: offer 0          applicant 1: offer 1 > offer 0          applicant 2: offer 0 > offer 1
    instance = make_instance(
        capacity=[2, 1],
        app_ptr=[0, 1, 3, 5],
        app_offer=[0, 1, 0, 0, 1],
        offer_rank=[1, 1, 1, 1, 1],  # everyone tied everywhere
    )
    start = np.array([0, 2, 4])  # 0 and 1 at offer 0, 2 at offer 1: stable, as all are tied
    assert verify(instance, assignment_of(instance, start)).ok
    for kernel in KERNELS:
        after, info = improve(instance, start, kernel=kernel)
        assert assignment_of(instance, after).tolist() == [0, 1, 0]
        assert (info.cycles, info.improved) == (1, 2)


def test_group_cap_cycle_that_would_break_stability_is_not_executed() -> None:
    """Offers X and Y share one place (group g); Z has one place. Applicant l holds Y, y holds Z, a is
    unmatched and wants only X, which is empty but blocked by its group: l at Y is ranked 1, as well as a.
    Plain Erdil-Ergin would trade l -> Z and y -> Y; then g holds y, ranked 2, and (a, X) blocks. The group
    threshold T_g (best rank of a desirer kept out by the group only: 1) keeps y out of D_Y."""
    x, y_offer, z = 0, 1, 2
    instance = make_instance(
        capacity=[1, 1, 1],
        group=[0, 0, -1],
        group_capacity=[1],
        # applicant l: Z > Y; applicant y: Y > Z; applicant a: X
        app_ptr=[0, 2, 4, 5],
        app_offer=[z, y_offer, y_offer, z, x],
        offer_rank=[1, 1, 2, 1, 1],
    )
    start = np.array([1, 3, -1])  # l at Y, y at Z, a unmatched
    assert verify(instance, assignment_of(instance, start)).ok
    traded = np.array([z, y_offer, -1])
    assert not verify(instance, traded).ok  # the plain cycle's result
    for kernel in KERNELS:
        after, info = improve(instance, start, kernel=kernel)
        assert np.array_equal(after, start) and info.cycles == 0
    # without the group (and X closed, so a has no claim) the same trade is a stable improvement cycle
    ungrouped = make_instance(
        capacity=[0, 1, 1],
        app_ptr=[0, 2, 4, 5],
        app_offer=[z, y_offer, y_offer, z, x],
        offer_rank=[1, 1, 2, 1, 1],
    )
    after, info = improve(ungrouped, start)
    assert assignment_of(ungrouped, after).tolist() == [z, y_offer, -1] and info.cycles == 1
    assert verify(ungrouped, assignment_of(ungrouped, start)).ok
    assert verify(ungrouped, assignment_of(ungrouped, after)).ok
