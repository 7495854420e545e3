"""The matching instance as flat arrays (CSR by applicant) and the seeded tie-breaking lottery.

Indices, not ids: applicants are 0..n_applicants-1, offers 0..n_offers-1, groups 0..n_groups-1. Every
*pair* p is one entry of an applicant's preference list; pairs are stored applicant by applicant in
preference order, so for one applicant a smaller pair index means a more wanted offer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, TypeVar

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
Int32Array = npt.NDArray[np.int32]
Ints = npt.NDArray[np.signedinteger[Any]]  # int32 or int64
BoolArray = npt.NDArray[np.bool_]
T = TypeVar("T", bound=np.generic)

UNACCEPTABLE_KEY = np.iinfo(np.int64).max

# Which implementation runs: the numba kernels, the numpy/plain-Python references, or ("auto") the references
# below COMPILED_FROM_PAIRS pairs and the kernels from there on. Both give equal results (tests/matching); the
# references need no compilation, which costs seconds in a process whose kernels are not yet compiled and
# cached, while a small market (a clearing round of a district: hundreds of pairs) takes them milliseconds.
Kernel = Literal["auto", "numba", "numpy"]
COMPILED_FROM_PAIRS = 20_000


def compiled(instance: Instance, kernel: Kernel) -> bool:
    """Whether `kernel` means the numba kernels for this instance."""
    return kernel == "numba" or (kernel == "auto" and instance.n_pairs >= COMPILED_FROM_PAIRS)


UNRANKED = -1  # offer_rank of a pair the offer did not rank: the applicant is unacceptable to it


@dataclass(frozen=True)
class Instance:
    """A many-to-one matching market.

    capacity[o]        places of offer o (>= 0)
    group[o]           group (company) of offer o, or -1 when the offer has no group cap
    group_capacity[g]  places shared by all offers of group g
    app_ptr            applicant a's pairs are app_ptr[a]:app_ptr[a+1]
    app_offer[p]       the offer of pair p
    offer_rank[p]      the offer's (weak) rank of the applicant of pair p, 1 = best; UNRANKED if unacceptable
    """

    capacity: IntArray
    group: IntArray
    group_capacity: IntArray
    app_ptr: IntArray
    app_offer: IntArray
    offer_rank: IntArray

    @property
    def n_applicants(self) -> int:
        return len(self.app_ptr) - 1

    @property
    def n_offers(self) -> int:
        return len(self.capacity)

    @property
    def n_pairs(self) -> int:
        return len(self.app_offer)

    @property
    def pair_applicant(self) -> IntArray:
        """The applicant of every pair."""
        return np.repeat(np.arange(self.n_applicants, dtype=np.int64), np.diff(self.app_ptr))

    @property
    def acceptable(self) -> BoolArray:
        """Pairs acceptable to both sides (the applicant listed the offer and the offer ranked the applicant)."""
        return self.offer_rank != UNRANKED


def readonly(array: npt.NDArray[T]) -> npt.NDArray[T]:
    """A read-only view (no copy). The compiled helpers take their array arguments this way, so each has one
    cached version whether an array came from Arrow (read-only) or from numpy (writable)."""
    view = array.view()
    view.flags.writeable = False
    return view


def make_instance(
    *,
    capacity: npt.ArrayLike,
    app_ptr: npt.ArrayLike,
    app_offer: npt.ArrayLike,
    offer_rank: npt.ArrayLike,
    group: npt.ArrayLike | None = None,
    group_capacity: npt.ArrayLike | None = None,
) -> Instance:
    """Build an Instance from array-likes (the Python entry point; the CLI builds it from files)."""
    cap = np.ascontiguousarray(capacity, dtype=np.int64)
    grp = np.full(len(cap), -1, dtype=np.int64) if group is None else np.ascontiguousarray(group, np.int64)
    gcap = (
        np.zeros(0, dtype=np.int64)
        if group_capacity is None
        else np.ascontiguousarray(group_capacity, dtype=np.int64)
    )
    ptr = np.ascontiguousarray(app_ptr, dtype=np.int64)
    off = np.ascontiguousarray(app_offer, dtype=np.int64)
    rank = np.ascontiguousarray(offer_rank, dtype=np.int64)
    if len(grp) != len(cap) or len(off) != len(rank) or ptr[-1] != len(off) or ptr[0] != 0:
        raise ValueError("inconsistent array lengths")
    if (cap < 0).any() or (gcap < 0).any():
        raise ValueError("negative capacity")
    if len(grp) and grp.max(initial=-1) >= len(gcap):
        raise ValueError("group index without group capacity")
    return Instance(cap, grp, gcap, ptr, off, rank)


@dataclass(frozen=True)
class Lottery:
    """The recorded tie-breaking: offers compare applicants by key[p] (smaller = better).

    The key refines every offer's weak ranking (rank first, then the lottery) and is a strict total order on
    all pairs, so it also orders pairs of different offers within one group. Single tie-breaking: one lottery
    number per applicant, shared by all offers; multiple: one per pair.
    """

    seed: int
    multiple: bool
    numbers: IntArray  # per applicant (single) or per pair (multiple); 0 = luckiest
    key: IntArray  # per pair; UNACCEPTABLE_KEY for pairs the offer did not rank


def draw_lottery(
    instance: Instance, *, seed: int = 0, multiple: bool = False, kernel: Kernel = "auto"
) -> Lottery:
    """The lottery of `seed`; `kernel` as for `engine.solve` (the keys of a small instance are computed by
    the same function run as plain Python, without compiling it)."""
    rng = np.random.default_rng(seed)
    n_app, n_off, n_pairs = instance.n_applicants, instance.n_offers, instance.n_pairs
    max_rank = int(instance.offer_rank.max(initial=0)) + 1
    if multiple:
        numbers = rng.permutation(n_pairs).astype(np.int64)
        # the dense fallback only with astronomically large rank numbers
        rank = np.maximum(instance.offer_rank, 0)
        fits = max_rank * max(n_pairs, 1) < 2**62
        key = rank * n_pairs + numbers if fits else _dense_key(rank, numbers)
        key[instance.offer_rank == UNRANKED] = UNACCEPTABLE_KEY
        return Lottery(seed, True, numbers, key)
    numbers = rng.permutation(n_app).astype(np.int64)
    if max_rank * max(n_app, 1) * max(n_off, 1) < 2**62:
        from .join import single_tie_break_keys

        key = np.empty(n_pairs, dtype=np.int64)
        keys = single_tie_break_keys if compiled(instance, kernel) else single_tie_break_keys.py_func
        keys(
            readonly(instance.app_ptr),
            readonly(instance.app_offer),
            readonly(instance.offer_rank),
            readonly(numbers),
            n_off,
            UNACCEPTABLE_KEY,
            key,
        )
    else:  # only with astronomically large rank numbers
        rank = np.maximum(instance.offer_rank, 0)
        key = _dense_key(rank, numbers[instance.pair_applicant], instance.app_offer)
        key[instance.offer_rank == UNRANKED] = UNACCEPTABLE_KEY
    return Lottery(seed, False, numbers, key)


def _dense_key(*columns: IntArray) -> IntArray:
    order = np.lexsort(columns[::-1])
    key = np.empty(len(order), dtype=np.int64)
    key[order] = np.arange(len(order), dtype=np.int64)
    return key
