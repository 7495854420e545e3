"""The monitoring indicators (monitoring.indicators) on hand-made data, each result worked out by hand.

The national example is the BIBB balance of reporting year 2024 as shipped in
../shared/data/statistics/figures.csv (rows cited at NATIONAL_2024)."""

from __future__ import annotations

import datetime
import random
from fractions import Fraction

import pytest

from ausbildung.monitoring import indicators
from ausbildung.monitoring.indicators import (
    MINIMUM_COUNT,
    ContractFacts,
    DissolutionFollowUp,
    IndicatorRegistry,
    MarketBalance,
    Share,
    bibb_new_contracts,
    company_supply,
    demand_extended,
    demand_traditional,
    dissolution_rate,
    dissolution_rates_from_contracts,
    dissolved_in_probation,
    layer_rates,
    mismatch_index,
    percent,
    reentry_share,
    reentry_shares,
    register_indicator,
    reporting_year,
    reporting_year_window,
    still_searching,
    still_searching_share,
    supply,
    supply_demand_ratio_extended,
    supply_demand_ratio_traditional,
    suppress_balance,
    suppress_count,
    suppress_line,
    suppress_table,
    suppressed_percent,
    unfilled_share,
)

D = datetime.date

# ------------------------------------------------------------------------------------------------------------
# Reporting year and the BIBB count
# ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (D(2023, 9, 30), 2023),  # last day of Berichtsjahr 2023
        (D(2023, 10, 1), 2024),  # first day of Berichtsjahr 2024
        (D(2023, 12, 31), 2024),
        (D(2024, 1, 1), 2024),
        (D(2024, 9, 30), 2024),
        (D(2024, 10, 1), 2025),
    ],
)
def test_reporting_year_runs_from_1_october_to_30_september(day, year):
    assert reporting_year(day) == year


def test_reporting_year_window():
    assert reporting_year_window(2024) == (D(2023, 10, 1), D(2024, 9, 30))


def test_bibb_count_takes_contracts_concluded_in_the_window_and_not_dissolved_by_30_september():
    contracts = [
        ContractFacts(concluded_on=D(2023, 10, 1), starts_on=D(2024, 8, 1)),  # first day: counts
        ContractFacts(concluded_on=D(2024, 9, 30), starts_on=D(2024, 10, 1)),  # last day, not begun: counts
        ContractFacts(concluded_on=D(2023, 9, 30), starts_on=D(2023, 10, 1)),  # reporting year 2023: no
        ContractFacts(
            concluded_on=D(2024, 2, 1), starts_on=D(2024, 8, 1), dissolved_on=D(2024, 9, 29)
        ),  # dissolved before 30 September: no
        ContractFacts(
            concluded_on=D(2024, 2, 1), starts_on=D(2024, 8, 1), dissolved_on=D(2024, 9, 30)
        ),  # dissolved on 30 September, so it still existed that day: counts
        ContractFacts(
            concluded_on=D(2024, 2, 1), starts_on=D(2024, 8, 1), dissolved_on=D(2024, 10, 1)
        ),  # dissolved after 30 September: counts
        ContractFacts(concluded_on=D(2024, 10, 1), starts_on=D(2025, 8, 1)),  # reporting year 2025: no
    ]
    # 1 + 1 + 0 + 0 + 1 + 1 + 0 = 4
    assert bibb_new_contracts(contracts, 2024) == 4
    assert bibb_new_contracts(contracts, 2025) == 1
    assert bibb_new_contracts([], 2024) == 0


# ------------------------------------------------------------------------------------------------------------
# Supply, demand, ANR and the problem shares: the national balance 2024
# ------------------------------------------------------------------------------------------------------------

# Rows of figures.csv, Deutschland, 2024:
#   neue_Ausbildungsvertraege_BIBB_3009 486,700 (überaus, BIBB-Datenreport 2025, rounded to hundreds)
#   neue_Ausbildungsvertraege_BIBB_3009_ausserbetrieblich 13,300 (Bundestag hib 606/2025)
#   unbesetzte_Ausbildungsstellen_3009 69,400 (BMBF Pressemitteilung 70/2024)
#   unversorgte_Bewerber_3009 31,200 (BMBF Pressemitteilung 70/2024)
#   Bewerber_mit_Alternative_und_Vermittlungswunsch_3009 39,200 (überaus, BIBB-Datenreport 2025)
NATIONAL_2024 = MarketBalance(
    new_contracts=486_700,
    unfilled_places=69_400,
    unplaced_applicants=31_200,
    applicants_with_alternative=39_200,
    non_company_contracts=13_300,
)


def test_national_2024_supply_and_demand_equal_the_published_totals():
    # Ausbildungsplatzangebot 2024: 486,700 + 69,400 = 556,100 (row: BMBF PM 70/2024)
    assert supply(NATIONAL_2024) == 556_100
    # Ausbildungsplatzangebot_betrieblich 2024: 556,100 − 13,300 = 542,800 (row: Bundestag hib 606/2025)
    assert company_supply(NATIONAL_2024) == 542_800
    # Ausbildungsplatznachfrage_traditionell 2024: 486,700 + 31,200 = 517,900 (row: überaus, Datenreport 2025)
    assert demand_traditional(NATIONAL_2024) == 517_900
    # Ausbildungsplatznachfrage_erweitert 2024: 517,900 + 39,200 = 557,100 (row: BMBF PM 70/2024)
    assert demand_extended(NATIONAL_2024) == 557_100
    # noch_suchende_Bewerber_insgesamt_3009 2024: 31,200 + 39,200 = 70,400 (row: überaus, Datenreport 2025)
    assert still_searching(NATIONAL_2024) == 70_400


def test_national_2024_both_supply_demand_ratios():
    # ANR traditional: 556,100 / 517,900 × 100 = 107.376 → 107.4 (derived row of figures.csv: 107.4)
    assert supply_demand_ratio_traditional(NATIONAL_2024) == pytest.approx(107.376, abs=0.001)
    assert round(supply_demand_ratio_traditional(NATIONAL_2024) or 0, 1) == 107.4
    # eANR: 556,100 / 557,100 × 100 = 99.820 → 99.8 (derived row of figures.csv: 99.8)
    assert supply_demand_ratio_extended(NATIONAL_2024) == pytest.approx(99.820, abs=0.001)
    assert round(supply_demand_ratio_extended(NATIONAL_2024) or 0, 1) == 99.8


def test_national_2024_problem_shares_equal_the_published_ones_and_their_product():
    # Besetzungsprobleme: 69,400 / 542,800 × 100 = 12.786 → 12.8
    #   (row Anteil_unbesetzte_Stellen_am_betrieblichen_Angebot 2024: 12.8, skills-magazin)
    assert round(unfilled_share(NATIONAL_2024) or 0, 1) == 12.8
    # Versorgungsprobleme: 70,400 / 557,100 × 100 = 12.637 → 12.6
    #   (row Anteil_noch_suchende_an_erweiterter_Nachfrage 2024: 12.6, skills-magazin)
    assert round(still_searching_share(NATIONAL_2024) or 0, 1) == 12.6
    # Passungsprobleme: 12.7856 × 12.6369 = 161.57 (percent × percent, no further scaling)
    assert mismatch_index(NATIONAL_2024) == pytest.approx(161.57, abs=0.01)


def test_the_share_of_unfilled_places_is_taken_of_the_company_supply_not_the_whole_supply():
    # 10 contracts (4 außerbetrieblich) + 2 unfilled: supply 12, company supply 8; 2 / 8 = 25 %, not 2 / 12.
    balance = MarketBalance(
        new_contracts=10,
        unfilled_places=2,
        unplaced_applicants=0,
        applicants_with_alternative=0,
        non_company_contracts=4,
    )
    assert unfilled_share(balance) == 25.0


def test_small_hand_made_balance():
    # 80 contracts + 20 unfilled = supply 100; demand: 80 + 5 = 85 traditional, 85 + 15 = 100 extended.
    balance = MarketBalance(
        new_contracts=80, unfilled_places=20, unplaced_applicants=5, applicants_with_alternative=15
    )
    assert supply_demand_ratio_traditional(balance) == pytest.approx(100 * 100 / 85)  # 117.6
    assert supply_demand_ratio_extended(balance) == 100.0
    assert unfilled_share(balance) == 20.0  # 20 / 100 (no außerbetriebliche contracts)
    assert still_searching_share(balance) == 20.0  # (5 + 15) / 100
    assert mismatch_index(balance) == 400.0  # 20 × 20


def test_zero_demand_and_zero_supply_give_none_not_a_crash():
    empty = MarketBalance(
        new_contracts=0, unfilled_places=0, unplaced_applicants=0, applicants_with_alternative=0
    )
    assert supply(empty) == 0
    assert demand_extended(empty) == 0
    assert supply_demand_ratio_traditional(empty) is None
    assert supply_demand_ratio_extended(empty) is None
    assert unfilled_share(empty) is None
    assert still_searching_share(empty) is None
    assert mismatch_index(empty) is None
    # Places but nobody asking: the ratios are undefined, the filling share is 100 %.
    places_only = MarketBalance(
        new_contracts=0, unfilled_places=5, unplaced_applicants=0, applicants_with_alternative=0
    )
    assert supply_demand_ratio_extended(places_only) is None
    assert unfilled_share(places_only) == 100.0
    assert mismatch_index(places_only) is None


def test_a_suppressed_count_suppresses_everything_computed_from_it():
    balance = MarketBalance(
        new_contracts=50, unfilled_places=None, unplaced_applicants=4, applicants_with_alternative=6
    )
    assert supply(balance) is None
    assert supply_demand_ratio_extended(balance) is None
    assert unfilled_share(balance) is None
    assert mismatch_index(balance) is None
    assert demand_extended(balance) == 60  # not built from the suppressed count
    assert still_searching_share(balance) == pytest.approx(10 / 60 * 100)


# ------------------------------------------------------------------------------------------------------------
# Dissolutions: layer model and probation (BBiG § 20)
# ------------------------------------------------------------------------------------------------------------


def test_layer_model_worked_example():
    # Calendar year 2024. New contracts by start year and the dissolutions of 2024 by start year:
    #   2024: 50 / 500 = 10 %;  2023: 40 / 400 = 10 %;  2022: 15 / 300 = 5 %;  2021: 4 / 200 = 2 %
    #   2020: 3 dissolutions fall in no layer (only Y … Y−3 are layers).
    #   Vertragslösungsquote = 10 + 10 + 5 + 2 = 27 %.
    new = {2024: 500, 2023: 400, 2022: 300, 2021: 200, 2020: 100}
    dissolved = {2024: 50, 2023: 40, 2022: 15, 2021: 4, 2020: 3}
    assert layer_rates(dissolved, new, 2024) == {2024: 10.0, 2023: 10.0, 2022: 5.0, 2021: 2.0}
    assert dissolution_rate(dissolved, new, 2024) == pytest.approx(27.0)
    # A start year with no dissolutions is a layer of 0 %: 10 + 10 + 5 + 0 = 25 %.
    assert dissolution_rate({2024: 50, 2023: 40, 2022: 15}, new, 2024) == pytest.approx(25.0)


def test_layer_model_without_a_denominator_is_none():
    assert dissolution_rate({2024: 5}, {2024: 50, 2023: 40, 2022: 30}, 2024) is None  # 2021 unknown
    assert dissolution_rate({2024: 5}, {2024: 50, 2023: 40, 2022: 30, 2021: 0}, 2024) is None
    assert dissolution_rate({2024: None}, {2024: 50, 2023: 40, 2022: 30, 2021: 20}, 2024) is None


def plain(start: D, n: int) -> list[ContractFacts]:
    """``n`` contracts begun on ``start`` and never dissolved."""
    return [
        ContractFacts(concluded_on=start - datetime.timedelta(days=90), starts_on=start) for _ in range(n)
    ]


def dissolved(start: D, on: D, probation_end: D | None) -> ContractFacts:
    return ContractFacts(
        concluded_on=start - datetime.timedelta(days=90),
        starts_on=start,
        dissolved_on=on,
        probation_end=probation_end,
    )


def test_bbig_20_dissolution_in_probation_is_on_or_before_its_last_day():
    # Start 1 August 2024, probation 4 months (BBiG § 20: 1 to 4): last day of probation 30 November 2024.
    start, last = D(2024, 8, 1), D(2024, 11, 30)
    assert dissolved_in_probation(dissolved(start, D(2024, 11, 30), last)) is True
    assert dissolved_in_probation(dissolved(start, D(2024, 12, 1), last)) is False
    assert dissolved_in_probation(plain(start, 1)[0]) is False
    assert dissolved_in_probation(dissolved(start, D(2024, 9, 1), None)) is None


def test_bbig_20_layer_model_from_contracts_split_by_probation():
    year = 2024
    contracts = [
        # Begun 2024: 10 contracts (7 plain, 2 dissolved in 2024, 1 dissolved in 2025).
        *plain(D(2024, 8, 1), 7),
        dissolved(D(2024, 8, 1), D(2024, 11, 30), D(2024, 11, 30)),  # in probation (last day)
        dissolved(D(2024, 8, 1), D(2024, 12, 1), D(2024, 11, 30)),  # after probation
        dissolved(D(2024, 8, 1), D(2025, 1, 10), D(2024, 11, 30)),  # 2025: not a dissolution of 2024
        # Dissolved before it began: neither begun nor dissolved.
        dissolved(D(2024, 9, 1), D(2024, 8, 15), D(2024, 9, 30)),
        # Begun 2023: 5 contracts, one dissolved after probation in 2024.
        *plain(D(2023, 9, 1), 4),
        dissolved(D(2023, 9, 1), D(2024, 3, 1), D(2023, 9, 30)),
        # Begun 2022: 4 contracts, one dissolved in 2023 (not this year).
        *plain(D(2022, 8, 1), 3),
        dissolved(D(2022, 8, 1), D(2023, 5, 1), D(2022, 11, 30)),
        # Begun 2021: 4 contracts, one dissolved after probation in 2024.
        *plain(D(2021, 8, 1), 3),
        dissolved(D(2021, 8, 1), D(2024, 6, 30), D(2021, 11, 30)),
        # Begun 2020: dissolved 2024, falls in no layer.
        dissolved(D(2020, 8, 1), D(2024, 2, 1), D(2020, 11, 30)),
    ]
    # Layers of 2024:  begun 2024: 2 / 10 = 20 % (in probation 1 / 10 = 10 %, after 1 / 10 = 10 %)
    #                  begun 2023: 1 / 5 = 20 % (after)
    #                  begun 2022: 0 / 4 = 0 %
    #                  begun 2021: 1 / 4 = 25 % (after)
    # total 20 + 20 + 0 + 25 = 65 %; in probation 10 %; after probation 10 + 20 + 25 = 55 %.
    rates = dissolution_rates_from_contracts(contracts, year)
    assert rates.total == pytest.approx(65.0)
    assert rates.in_probation == pytest.approx(10.0)
    assert rates.after_probation == pytest.approx(55.0)


def test_a_dissolution_with_unknown_probation_counts_in_the_total_only():
    contracts = [
        *plain(D(2024, 8, 1), 3),
        dissolved(D(2024, 8, 1), D(2024, 9, 1), None),
        *plain(D(2023, 8, 1), 1),
        *plain(D(2022, 8, 1), 1),
        *plain(D(2021, 8, 1), 1),
    ]
    rates = dissolution_rates_from_contracts(contracts, 2024)
    assert rates.total == pytest.approx(25.0)  # 1 / 4
    assert rates.in_probation == 0.0
    assert rates.after_probation == 0.0


def test_layer_model_from_contracts_with_a_start_year_missing_is_none():
    rates = dissolution_rates_from_contracts(plain(D(2024, 8, 1), 3), 2024)
    assert rates == indicators.DissolutionRates(total=None, in_probation=None, after_probation=None)


# ------------------------------------------------------------------------------------------------------------
# Re-entry after a dissolution
# ------------------------------------------------------------------------------------------------------------


def test_reentry_within_3_6_12_months():
    as_of = D(2025, 12, 31)
    followups = [
        DissolutionFollowUp(D(2024, 1, 15), D(2024, 3, 1)),  # F1: within 3, 6, 12
        DissolutionFollowUp(D(2024, 1, 15), D(2024, 6, 1)),  # F2: within 6, 12
        DissolutionFollowUp(D(2024, 2, 1), D(2024, 12, 1)),  # F3: within 12
        DissolutionFollowUp(D(2024, 3, 1), None),  # F4: never
        DissolutionFollowUp(D(2024, 1, 10), D(2024, 1, 1)),  # F5: next contract already running: within all
        DissolutionFollowUp(
            D(2025, 8, 1), D(2025, 9, 1)
        ),  # F6: only the 3-month window (to 1 Nov 2025) passed
        DissolutionFollowUp(D(2025, 11, 15), None),  # F7: no window passed yet
    ]
    shares = reentry_shares(followups, as_of=as_of)
    # 3 months: counted F1–F6 = 6, re-entered F1, F5, F6 = 3 → 50 %
    assert shares[3] == Share(part=3, whole=6)
    assert shares[3].percent == 50.0
    # 6 months: counted F1–F5 = 5, re-entered F1, F2, F5 = 3 → 60 %
    assert shares[6] == Share(part=3, whole=5)
    assert shares[6].percent == 60.0
    # 12 months: counted F1–F5 = 5, re-entered F1, F2, F3, F5 = 4 → 80 %
    assert shares[12] == Share(part=4, whole=5)
    assert shares[12].percent == 80.0


def test_reentry_on_the_last_day_of_the_window_counts():
    followup = DissolutionFollowUp(D(2024, 1, 31), D(2024, 4, 30))  # 31 Jan + 3 months = 30 April
    assert reentry_share([followup], months=3, as_of=D(2025, 1, 1)) == Share(part=1, whole=1)
    late = DissolutionFollowUp(D(2024, 1, 31), D(2024, 5, 1))
    assert reentry_share([late], months=3, as_of=D(2025, 1, 1)) == Share(part=0, whole=1)


def test_reentry_without_dissolutions_is_none():
    assert reentry_share([], months=3, as_of=D(2025, 1, 1)).percent is None


# ------------------------------------------------------------------------------------------------------------
# Small-cell suppression
# ------------------------------------------------------------------------------------------------------------


def test_minimum_count_is_3_counts_of_1_and_2_are_suppressed():
    assert MINIMUM_COUNT == 3
    assert [suppress_count(n) for n in (0, 1, 2, 3, 10)] == [0, None, None, 3, 10]
    assert suppress_count(None) is None


def test_a_rate_from_a_suppressed_count_is_suppressed():
    assert suppressed_percent(2, 100) is None  # part suppressed
    assert suppressed_percent(2, 2) is None  # whole suppressed
    assert suppressed_percent(5, 100) == 5.0
    assert suppressed_percent(0, 10) == 0.0
    assert suppressed_percent(3, 0) is None
    assert percent(2, 100) == 2.0  # the unsuppressed helper for internal figures


def test_a_balance_with_a_small_count_suppresses_the_figures_built_on_it():
    # A Kreis with 40 contracts, 2 unfilled places (small), 6 unplaced, 0 with an alternative.
    balance = suppress_balance(
        MarketBalance(
            new_contracts=40, unfilled_places=2, unplaced_applicants=6, applicants_with_alternative=0
        )
    )
    assert balance.unfilled_places is None
    assert supply(balance) is None  # 40 + "–"
    assert supply_demand_ratio_traditional(balance) is None
    assert unfilled_share(balance) is None
    assert mismatch_index(balance) is None
    assert demand_traditional(balance) == 46  # 40 + 6, both publishable
    assert still_searching_share(balance) == pytest.approx(6 / 46 * 100)  # 13.0 %


def test_suppress_line_hides_a_complement_so_the_total_gives_nothing_away():
    # Total 15: a single hidden 1 would be 15 − 10 − 4; the smallest other non-zero cell (4) is hidden too.
    assert suppress_line({"a": 1, "b": 10, "c": 4, "d": 0}) == {"a", "c"}
    # Two hidden 1s: their sum 2 (total − shown) says both are small (1 + 1 or 2 + 0); the 9 is hidden too.
    assert suppress_line({"a": 1, "b": 1, "c": 9, "d": 20}) == {"a", "b", "c"}
    # Nothing small: nothing hidden.
    assert suppress_line({"a": 3, "b": 0, "c": 7}) == set()


def recoverable(
    cells: dict[tuple[int, int], int], hidden: set[tuple[int, int]]
) -> dict[tuple[int, int], Fraction]:
    """The attack: the hidden cells a reader can compute exactly from the shown cells and the exact row,
    column and grand totals (Gaussian elimination over the rationals: a cell is determined when its unit
    vector lies in the row space of the equations)."""
    unknowns = sorted(hidden)
    index = {cell: i for i, cell in enumerate(unknowns)}
    rows = {r for r, _ in cells}
    columns = {c for _, c in cells}
    equations: list[list[Fraction]] = []
    for line in [("r", r) for r in rows] + [("c", c) for c in columns]:
        members = [cell for cell in cells if (cell[0] if line[0] == "r" else cell[1]) == line[1]]
        total = sum(cells[cell] for cell in members)  # published
        shown = sum(cells[cell] for cell in members if cell not in hidden)
        coefficients = [Fraction(0)] * (len(unknowns) + 1)
        for cell in members:
            if cell in hidden:
                coefficients[index[cell]] = Fraction(1)
        coefficients[-1] = Fraction(total - shown)
        equations.append(coefficients)
    # Reduced row echelon form.
    pivot_rows: list[list[Fraction]] = []
    pivots: list[int] = []
    matrix = [row[:] for row in equations]
    col = 0
    for col in range(len(unknowns)):
        pivot = next((row for row in matrix if row[col] != 0), None)
        if pivot is None:
            continue
        matrix.remove(pivot)
        pivot = [value / pivot[col] for value in pivot]
        for row in [*matrix, *pivot_rows]:
            factor = row[col]
            if factor:
                row[:] = [a - factor * b for a, b in zip(row, pivot, strict=True)]
        pivot_rows.append(pivot)
        pivots.append(col)
    found = {}
    for row, col in zip(pivot_rows, pivots, strict=True):
        if all(value == 0 for i, value in enumerate(row[:-1]) if i != col):
            found[unknowns[col]] = row[-1]
    return found


TABLE = {  # rows: Kreise, columns: occupations; the 1 at (0, 1) is small
    (r, c): v for r, row in enumerate([[10, 1, 20], [30, 40, 50], [7, 8, 9]]) for c, v in enumerate(row)
}


def test_the_attack_recovers_a_cell_hidden_without_complements():
    # Only the small cell hidden: row 0's total 31 − 10 − 20 = 1. The attack works, so it can fail below.
    assert recoverable(TABLE, {(0, 1)}) == {(0, 1): 1}


def test_suppress_table_hides_complements_the_attack_cannot_undo():
    hidden = suppress_table(TABLE)
    # The small 1 and, as complements, the smallest cells closing a rectangle: 10 (row 0), 8 and 7 (row 2).
    assert hidden == {(0, 0), (0, 1), (2, 0), (2, 1)}
    assert recoverable(TABLE, hidden) == {}


def test_a_bridge_between_two_hidden_blocks_is_closed():
    # Two blocks of small cells (rows 0–1 × columns 0–1 and rows 2–3 × columns 2–3) and a small cell at
    # (0, 2) that joins them: every line holds at least two hidden cells, yet the joining cell is determined
    # (rows 0 and 1 minus columns 0 and 1). suppress_table must hide more.
    values = [
        [2, 1, 2, 40],
        [1, 2, 50, 60],
        [70, 80, 1, 2],
        [90, 95, 2, 1],
    ]
    cells = {(r, c): v for r, row in enumerate(values) for c, v in enumerate(row)}
    primary = {cell for cell, value in cells.items() if 0 < value < MINIMUM_COUNT}
    assert (0, 2) in recoverable(cells, primary)
    hidden = suppress_table(cells)
    assert primary <= hidden
    assert recoverable(cells, hidden) == {}


@pytest.mark.parametrize("seed", range(40))
def test_suppress_table_on_random_tables_leaves_nothing_to_recover(seed):
    rng = random.Random(seed)
    n_rows, n_columns = rng.randint(2, 5), rng.randint(2, 5)
    cells = {
        (r, c): rng.choice([0, 1, 1, 2, 3, 5, 8, 20, 60]) for r in range(n_rows) for c in range(n_columns)
    }
    hidden = suppress_table(cells)
    assert {cell for cell, value in cells.items() if 0 < value < MINIMUM_COUNT} <= hidden
    assert recoverable(cells, hidden) == {}
    # No row or column with a small cell gives it away by its own total: its hidden cells are at least two
    # and sum to 3 or more, unless the line has no non-zero cell left to hide.
    for line in [0, 1]:
        for key in {cell[line] for cell in hidden}:
            values = [cells[cell] for cell in hidden if cell[line] == key]
            nothing_left = all(cell in hidden or cells[cell] == 0 for cell in cells if cell[line] == key)
            if any(0 < value < MINIMUM_COUNT for value in values) and not nothing_left:
                assert len(values) >= 2, (line, key, values)
                assert sum(values) >= MINIMUM_COUNT, (line, key, values)


def test_a_table_without_small_cells_hides_nothing_and_a_single_row_is_refused():
    assert suppress_table({(0, 0): 5, (0, 1): 6, (1, 0): 0, (1, 1): 9}) == set()
    with pytest.raises(ValueError, match="suppress_line"):
        suppress_table({(0, 0): 1, (0, 1): 6})


# ------------------------------------------------------------------------------------------------------------
# Registry
# ------------------------------------------------------------------------------------------------------------


def test_the_market_indicators_are_registered_with_a_definition():
    keys = [indicator.key for indicator in indicators.registered_indicators()]
    assert keys[:8] == [
        "supply",
        "demand_traditional",
        "demand_extended",
        "anr_traditional",
        "anr_extended",
        "unfilled_share",
        "still_searching_share",
        "mismatch_index",
    ]
    assert "dissolution_rate" in keys
    anr = indicators.get_indicator("anr_extended")
    assert anr.unit == "per 100 demanders"
    assert "bibb.de" in str(anr.definition)
    assert anr.compute(NATIONAL_2024) == pytest.approx(99.82, abs=0.01)


def test_a_later_app_registers_its_indicator_without_changing_this_module():
    registry = IndicatorRegistry()

    def event_reach(participants: int, pupils: int) -> float | None:
        return percent(participants, pupils)

    indicator = register_indicator(
        "summer_events_reach",
        "Reach of the summer events",
        "percent",
        "Participants per 100 pupils.",
        event_reach,
        registry=registry,
    )
    assert registry.get("summer_events_reach") is indicator
    assert "summer_events_reach" in registry
    assert "summer_events_reach" not in indicators.REGISTRY  # the test's registry, not the platform's
    assert indicator.compute(30, 120) == 25.0
    with pytest.raises(ValueError, match="registered already"):
        register_indicator("summer_events_reach", "again", "percent", "", event_reach, registry=registry)
