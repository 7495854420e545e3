"""The speed-dating planner (issue #22): talks by rounds of wishes, a timetable with no clash and exactly as many
slots as the largest load (König), checked on a hand-made round and on random ones; compared with first come,
first served."""

from __future__ import annotations

from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from ausbildung.campaigns import speeddating


def assert_valid(result, wishes, tables, slots):
    # every talk was wished for, at most once, and within the capacities
    load = defaultdict(int)
    for applicant, companies in result.talks.items():
        assert len(companies) == len(set(companies)) <= slots
        assert set(companies) <= set(wishes[applicant])
        for company in companies:
            load[company] += 1
    for company, count in load.items():
        assert count <= tables[company] * slots
    # the timetable: no applicant and no table twice in one slot
    by_applicant, by_table = defaultdict(set), defaultdict(set)
    for (applicant, company), slot in result.slots.items():
        table = result.tables[(applicant, company)]
        assert slot not in by_applicant[applicant] and slot not in by_table[(company, table)]
        by_applicant[applicant].add(slot)
        by_table[(company, table)].add(slot)
    degrees = [len(s) for s in by_applicant.values()] + [len(s) for s in by_table.values()]
    assert result.slot_count == max(degrees, default=0) <= slots  # König: no more slots than the largest load


def test_a_hand_made_round():
    wishes = {1: [10, 20], 2: [10, 20], 3: [10]}
    tables = {10: 1, 20: 1}
    result = speeddating.plan(wishes, tables, slots=2, seed=1)
    assert_valid(result, wishes, tables, 2)
    # company 10 holds 2 talks: two of the three first wishes are met, then the second wishes of 1 and 2
    assert result.met_by_rank[1] == 2
    assert result.wishes_met == 4 and result.wishes_total == 5


def test_rounds_are_fairer_than_first_come_first_served():
    """Three applicants want the same two companies, each with two talks: first come, first served leaves the
    third with nothing; rounds give everybody at least one talk, and as many first wishes as there are talks."""
    wishes = {1: [10, 20], 2: [10, 20], 3: [10, 20]}
    tables = {10: 1, 20: 1}
    fcfs = speeddating.plan(wishes, tables, slots=2, method="fcfs")
    rounds = speeddating.plan(wishes, tables, slots=2, seed=3)
    assert sorted(fcfs.per_applicant()) == [0, 2, 2]
    assert min(rounds.per_applicant()) == 1 and rounds.wishes_met == fcfs.wishes_met == 4
    assert rounds.met_by_rank[1] == 2


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=1, max_value=40),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=6),
    st.integers(min_value=0, max_value=10_000),
)
def test_random_rounds_are_valid_and_waste_no_capacity(applicants, companies, slots, seed):
    import random

    rng = random.Random(seed)
    tables = {c: rng.randint(1, 3) for c in range(companies)}
    wishes = {a: rng.sample(range(companies), k=min(companies, rng.randint(1, 5))) for a in range(applicants)}
    result = speeddating.plan(wishes, tables, slots=slots, seed=seed)
    assert_valid(result, wishes, tables, slots)
    # a wish is unmet only when its company is full or the applicant's slots are all taken
    load = defaultdict(int)
    for companies_ in result.talks.values():
        for company in companies_:
            load[company] += 1
    for applicant, chosen in wishes.items():
        for company in chosen:
            if company not in result.talks[applicant]:
                assert load[company] == tables[company] * slots or len(result.talks[applicant]) == slots
