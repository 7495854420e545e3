"""How well does the score rank? The area under the ROC curve (AUC) of the score of a past day against the
dissolutions that followed, with a 95 % confidence interval. Pure: numbers in, numbers out (import-linter
checks it imports nothing of the platform).

AUC is the probability that a contract dissolved later had a higher score on the day than one that was not
dissolved (ties count half): 0.5 is a coin toss, 1.0 a perfect ranking. Computed from the counts per score
(the Mann–Whitney statistic), so a million contracts cost as much as the few dozen distinct scores.

The interval follows Hanley & McNeil (1982), "The meaning and use of the area under a receiver operating
characteristic (ROC) curve", Radiology 143(1): 29–36, equations (1)–(3): it assumes independent contracts,
which a school class of one company or one trainer's apprentices are not quite, so it is rather too narrow.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

MINIMUM_EACH = 10  # below this many dissolved or not dissolved contracts no AUC is reported
Z_95 = 1.959964


@dataclass(frozen=True)
class Auc:
    value: float
    low: float
    high: float
    positives: int  # contracts dissolved within the horizon
    negatives: int  # contracts not dissolved within it


def auc_of(
    positives: Mapping[int, int],
    negatives: Mapping[int, int],
    *,
    n_positive: int | None = None,
    n_negative: int | None = None,
) -> Auc | None:
    """AUC with its 95 % interval from counts per score: `positives[points]` scores were followed by a
    dissolution within the horizon, `negatives[points]` were not. None when either side has fewer than
    MINIMUM_EACH contracts.

    Scores of several days may be pooled (the same contract scored each month): the AUC is then taken over all
    pairs, but the interval uses `n_positive` and `n_negative`, the numbers of distinct contracts, since a
    contract scored twelve times is not twelve independent observations (without them: the sums)."""
    n1 = sum(positives.values()) if n_positive is None else n_positive
    n2 = sum(negatives.values()) if n_negative is None else n_negative
    if n1 < MINIMUM_EACH or n2 < MINIMUM_EACH:
        return None
    # pairs (dissolved, not dissolved) where the dissolved one scored higher, plus half the ties
    below = 0  # negatives with a lower score than the current one
    wins = 0.0
    for points in sorted(set(positives) | set(negatives)):
        p, n = positives.get(points, 0), negatives.get(points, 0)
        wins += p * (below + n / 2)
        below += n
    value = wins / (sum(positives.values()) * sum(negatives.values()))
    low, high = interval(value, n1, n2)
    return Auc(value, low, high, n1, n2)


def standard_error(value: float, n1: int, n2: int) -> float:
    """Hanley & McNeil (1982), eq. (1)–(3): SE² = (A(1−A) + (n1−1)(Q1−A²) + (n2−1)(Q2−A²)) / (n1·n2) with
    Q1 = A/(2−A) and Q2 = 2A²/(1+A); n1 the dissolved, n2 the others."""
    q1 = value / (2 - value)
    q2 = 2 * value * value / (1 + value)
    variance = (value * (1 - value) + (n1 - 1) * (q1 - value**2) + (n2 - 1) * (q2 - value**2)) / (n1 * n2)
    return math.sqrt(max(variance, 0.0))


def interval(value: float, n1: int, n2: int) -> tuple[float, float]:
    error = standard_error(value, n1, n2)
    return max(0.0, value - Z_95 * error), min(1.0, value + Z_95 * error)


TOO_LITTLE, CLEAR, WEAK, NONE = "too_little", "clear", "weak", "none"
CLEAR_FROM = 0.7  # an AUC of 0.7 or more is usually called acceptable discrimination (Hosmer & Lemeshow)


def verdict(result: Auc | None) -> str:
    """What the figure says, as a key the page words (retention/quality.html): too little history; clearly
    better than chance (interval above 0.5, value ≥ 0.7); weakly better (interval above 0.5); not better."""
    if result is None:
        return TOO_LITTLE
    if result.low > 0.5:
        return CLEAR if result.value >= CLEAR_FROM else WEAK
    return NONE
