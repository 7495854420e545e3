"""The matching engine: many-to-one deferred acceptance on numpy arrays. No Django here.

Model. Applicants rank offers (strict, incomplete lists); offers rank applicants (weak: equal ranks are ties;
incomplete: an unranked applicant is unacceptable). Offer o has capacity[o] places; offers may belong to a group
g (one company) whose offers together take at most group_capacity[g] applicants.

Choice of a group. Offers compare applicants by their rank; within a group, contracts (applicant, offer) of
different offers are compared by the offers' rank numbers (1 = best in any offer of the company). Ties are
broken by a seeded lottery (engine.instance.draw_lottery), giving a strict key per pair. From a set of
contracts, a group keeps, in key order, every contract whose offer and group still have a free place
(for an offer without a group only the offer's capacity counts).

Stability (what the verifier checks). An assignment is feasible when every applicant is matched at most once,
to an offer both sides ranked, and no offer or group holds more than its capacity. A pair (a, o) blocks it when
a ranks o above its match (or is unmatched), o ranked a, and, counting only matched applicants ranked at least
as well as a (rank <= rank of a):
    fewer than capacity[o] at o, and (if o has a group g) fewer than group_capacity[g] in g.
That is, o would take a, dropping applicants it ranks strictly worse, without breaking its own or its group's
capacity. Without groups this is the usual (weak) stability of college admissions with ties. The engine's
result is stable in this sense for the weak ranks and also for the lottery keys (strict ranks).

Mechanisms. Applicant-proposing DA (default; applicant-optimal among stable matchings of the tie-broken
instance, strategy-proof for applicants) by the numba kernel or the numpy reference; offer-proposing DA
(numpy, simultaneous rounds) for comparison. The group choice rule is substitutable, so DA stays stable.

Improvement (optional, `improve=True`, CLI `--improve`). Tie-breaking makes DA stable for the weak ranks but
possibly wasteful: applicants may be able to trade seats without creating a blocking pair. Stable improvement
cycles (Erdil & Ergin 2008; engine.improve) execute such trades until none is left, in a fixed order (so the run
stays deterministic for its inputs and seed). The result is still stable for the weak ranks (not for the
lottery keys), every applicant gets the same or a better offer, and without group caps no stable matching is
better for some applicant and worse for none. It applies after either mode.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from typing import Literal

# Importing numba (below, through improve and verify) creates some hundred thousand objects; the cyclic
# garbage collector running in between finds nothing to free and costs ~0.04 s of the CLI's start-up. It is
# paused for these imports only.
_collecting = gc.isenabled()
gc.disable()
try:
    import numpy as np

    from . import reference
    from .improve import Improvement, improve
    from .instance import (
        COMPILED_FROM_PAIRS,
        UNRANKED,
        Instance,
        IntArray,
        Kernel,
        Lottery,
        compiled,
        draw_lottery,
        make_instance,
    )
    from .verify import Verification, verify
finally:
    if _collecting:
        gc.enable()

__all__ = [
    "COMPILED_FROM_PAIRS",
    "UNRANKED",
    "Improvement",
    "Instance",
    "Kernel",
    "Lottery",
    "Mode",
    "Solution",
    "Verification",
    "draw_lottery",
    "improve",
    "make_instance",
    "solve",
    "verify",
]

Mode = Literal["applicant", "offer"]


@dataclass(frozen=True)
class Solution:
    pairs: IntArray  # matched pair per applicant, -1 unmatched
    assignment: IntArray  # matched offer per applicant, -1 unmatched
    lottery: Lottery
    mode: Mode
    improvement: Improvement | None = None  # set when solved with improve=True (holds the DA result too)


def solve(
    instance: Instance,
    *,
    seed: int = 0,
    mode: Mode = "applicant",
    multiple_tie_breaking: bool = False,
    improve: bool = False,
    kernel: Kernel = "auto",
    lottery: Lottery | None = None,
) -> Solution:
    """Deferred acceptance, then (improve=True) stable improvement cycles; deterministic for the instance and
    seed. kernel="numpy" runs the reference implementations (numpy DA, plain-Python improvement), "numba" the
    compiled kernels, "auto" (default) the references for a small instance (`instance.compiled`)."""
    if lottery is None:
        lottery = draw_lottery(instance, seed=seed, multiple=multiple_tie_breaking, kernel=kernel)
    use_numba = compiled(instance, kernel)
    if mode == "offer":
        pairs = reference.solve_offer_proposing(instance, lottery.key)
    elif use_numba:
        from . import kernel as numba_kernel

        pairs = numba_kernel.solve_applicant_proposing(instance, lottery.key)
    else:
        pairs = reference.solve_applicant_proposing(instance, lottery.key)
    improvement = None
    if improve:
        from .improve import improve as run_improvement

        pairs, improvement = run_improvement(instance, pairs, kernel="numba" if use_numba else "python")
    assignment = np.full(instance.n_applicants, -1, dtype=np.int64)
    matched = pairs >= 0
    assignment[matched] = instance.app_offer[pairs[matched]]
    return Solution(pairs, assignment, lottery, mode, improvement)
