"""A small market runs without compiled code (issue #16: "Ergebnis berechnen" of a clearing round with one
applicant took 6.5 s, numba compiling the kernels in that process), with the same results as the kernels."""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ausbildung.matching import engine
from ausbildung.matching.engine import COMPILED_FROM_PAIRS, join, kernel, make_instance, report, solve, verify

from .test_engine import FAST, instances

# The engine's name `verify` is the function; the module holds the compiled checks.
verify_module = importlib.import_module("ausbildung.matching.engine.verify")

COMPILED = [
    (kernel, "solve_applicant_proposing"),
    (verify_module, "_blocking"),
    (verify_module, "_matched_pairs"),
    (join, "single_tie_break_keys"),
]


class NotCompiled:
    """Stands in for a numba dispatcher: calling it fails the test; its plain-Python function stays."""

    def __init__(self, dispatcher) -> None:
        self.py_func = getattr(dispatcher, "py_func", None)  # the kernel module's entry is a plain wrapper
        self.name = dispatcher.__name__

    def __call__(self, *args, **kwargs):
        raise AssertionError(f"the compiled {self.name} ran for a small instance")


@pytest.fixture
def no_compiled_code(monkeypatch):
    for module, name in COMPILED:
        monkeypatch.setattr(module, name, NotCompiled(getattr(module, name)))


def one_applicant():
    return make_instance(capacity=[1, 2], app_ptr=[0, 2], app_offer=[1, 0], offer_rank=[1, 1])


def test_a_small_instance_is_solved_and_verified_without_compiled_code(no_compiled_code):
    instance = one_applicant()
    solution = solve(instance, seed=20261125)
    assert solution.assignment.tolist() == [1]
    assert verify(instance, solution.assignment).ok
    assert verify(instance, solution.assignment, rank=solution.lottery.key).ok
    higher, _codes = report.explanations(instance, solution.pairs, solution.lottery)
    assert higher.tolist() == []


def test_from_the_threshold_on_the_kernels_run(no_compiled_code):
    n = COMPILED_FROM_PAIRS
    instance = make_instance(capacity=[n], app_ptr=list(range(n + 1)), app_offer=[0] * n, offer_rank=[1] * n)
    with pytest.raises(AssertionError, match="compiled"):
        solve(instance)


@FAST
@given(instances(), st.integers(0, 2**16), st.booleans())
def test_plain_and_compiled_paths_agree(instance, seed, multiple):
    compiled = solve(instance, seed=seed, multiple_tie_breaking=multiple, kernel="numba")
    plain = solve(instance, seed=seed, multiple_tie_breaking=multiple, kernel="auto")
    assert np.array_equal(compiled.lottery.key, plain.lottery.key)
    assert np.array_equal(compiled.pairs, plain.pairs)


@FAST
@given(instances(), st.data())
def test_plain_and_compiled_verifier_agree_on_any_assignment(instance, data):
    offers = st.integers(-1, instance.n_offers - 1)
    assignment = np.array(
        data.draw(st.lists(offers, min_size=instance.n_applicants, max_size=instance.n_applicants)),
        dtype=np.int64,
    )
    compiled = verify(instance, assignment, kernel="numba")
    plain = verify(instance, assignment, kernel="numpy")
    assert (compiled.problems, compiled.blocking_pairs, compiled.first_blocking) == (
        plain.problems,
        plain.blocking_pairs,
        plain.first_blocking,
    )


def test_engine_exports_the_choice():
    assert engine.compiled(one_applicant(), "auto") is False
    assert engine.compiled(one_applicant(), "numba") is True
