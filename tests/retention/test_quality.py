"""retention.quality: the AUC of the score and its interval, against values worked out by hand from the
Mann–Whitney definition and Hanley & McNeil (1982), eq. (1)–(3)."""

from __future__ import annotations

import math

import pytest

from ausbildung.retention import quality


def test_a_perfect_order_is_one_with_no_spread():
    result = quality.auc_of({6: 10}, {2: 10})
    assert result is not None
    assert result.value == 1.0
    assert (result.low, result.high) == (1.0, 1.0)  # Q1 = Q2 = 1 = A²: the variance is 0


def test_ties_count_half_and_the_interval_by_hand():
    # dissolved: 10 with 4 points, 10 with 2; not dissolved: 10 with 2, 10 with 0
    # pairs won: 4>2: 100, 4>0: 100, 2=2: 100 × ½, 2>0: 100 → 350 of 400 = 0.875
    result = quality.auc_of({4: 10, 2: 10}, {2: 10, 0: 10})
    assert result is not None
    assert result.value == pytest.approx(0.875)
    # by hand: Q1 = 0.875/1.125 = 0.777778, Q2 = 2·0.765625/1.875 = 0.816667,
    # SE² = (0.109375 + 19·0.012153 + 19·0.051042)/400 = 0.00327517, SE = 0.0572291
    assert quality.standard_error(0.875, 20, 20) == pytest.approx(0.0572291, abs=1e-6)
    assert result.low == pytest.approx(0.875 - 1.959964 * 0.0572291, abs=1e-6)
    assert result.high == pytest.approx(0.875 + 1.959964 * 0.0572291, abs=1e-6)
    assert (result.positives, result.negatives) == (20, 20)


def test_a_reversed_order_is_below_one_half():
    result = quality.auc_of({0: 12}, {3: 12})
    assert result is not None and result.value == 0.0
    assert quality.verdict(result) == quality.NONE


def test_pooled_scores_take_the_interval_from_the_distinct_contracts():
    """The same 20 + 20 contracts scored on two days: the AUC is the same, the interval is that of 20 + 20
    contracts, not of 40 + 40 observations."""
    once = quality.auc_of({4: 10, 2: 10}, {2: 10, 0: 10})
    pooled = quality.auc_of({4: 20, 2: 20}, {2: 20, 0: 20}, n_positive=20, n_negative=20)
    naive = quality.auc_of({4: 20, 2: 20}, {2: 20, 0: 20})
    assert once is not None and pooled is not None and naive is not None
    assert pooled.value == once.value == naive.value
    assert (pooled.low, pooled.high) == (once.low, once.high)
    assert naive.high - naive.low < pooled.high - pooled.low


@pytest.mark.parametrize(
    ("positives", "negatives", "n_positive"),
    [({5: 9}, {1: 50}, None), ({5: 30}, {1: 9}, None), ({5: 30}, {1: 50}, 9)],
)
def test_too_few_on_either_side_give_no_figure(positives, negatives, n_positive):
    assert quality.auc_of(positives, negatives, n_positive=n_positive) is None
    assert quality.verdict(None) == quality.TOO_LITTLE


def test_the_verdicts():
    assert quality.verdict(quality.Auc(0.75, 0.62, 0.88, 40, 400)) == quality.CLEAR
    assert quality.verdict(quality.Auc(0.62, 0.55, 0.69, 40, 400)) == quality.WEAK
    assert quality.verdict(quality.Auc(0.75, 0.48, 1.0, 10, 10)) == quality.NONE  # wide: may be chance
    assert quality.verdict(quality.Auc(0.51, 0.45, 0.57, 40, 400)) == quality.NONE


def test_the_interval_stays_within_zero_and_one():
    low, high = quality.interval(0.98, 10, 10)
    assert 0.0 <= low < 0.98 < high <= 1.0
    assert not math.isnan(quality.standard_error(0.5, 10, 10))
