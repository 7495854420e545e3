"""The monitoring cube (issue #19): the contract facts on hand-made contracts with known counts (the BIBB count
of new contracts, the layer model, re-entry), the roll-up, and the stored cells equal to the live computation."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.utils import timezone

from ausbildung.core import market_facts
from ausbildung.core.models import Occupation, Organisation, Region, TrainingContract, TrainingSite, User
from ausbildung.monitoring import cube, indicators
from ausbildung.monitoring.models import MarketCell

D = datetime.date
TODAY = D(2025, 3, 1)
_numbers = itertools.count(1)


@pytest.fixture
def world(db):
    land = Region.objects.create(code="98", name="Testland", level=Region.Level.LAND)
    kreis_a = Region.objects.create(code="98001", name="Kreis A", level=Region.Level.KREIS, parent=land)
    kreis_b = Region.objects.create(code="98002", name="Kreis B", level=Region.Level.KREIS, parent=land)
    ihk = Organisation.objects.create(kind=Organisation.Kind.CHAMBER, name="IHK Test", chamber_kind="ihk")
    hwk = Organisation.objects.create(kind=Organisation.Kind.CHAMBER, name="HWK Test", chamber_kind="hwk")
    company = Organisation.objects.create(kind=Organisation.Kind.COMPANY, name="Test GmbH")
    sites = {
        "a": TrainingSite.objects.create(company=company, name="A", region=kreis_a),
        "b": TrainingSite.objects.create(company=company, name="B", region=kreis_b),
        "": TrainingSite.objects.create(company=company, name="ohne Kreis"),
    }
    occupations = {
        "x": Occupation.objects.create(slug="test-x", name="Testberuf X"),
        "y": Occupation.objects.create(slug="test-y", name="Testberuf Y"),
    }
    return {
        "sites": sites,
        "chambers": {"ihk": ihk, "hwk": hwk},
        "occupations": occupations,
        "company": company,
    }


def contract(
    world,
    *,
    concluded: datetime.date,
    start: datetime.date,
    dissolved: datetime.date | None = None,
    probation_months: int = 4,
    site: str = "a",
    occupation: str = "x",
    chamber: str = "ihk",
    apprentice: User | None = None,
) -> TrainingContract:
    apprentice = apprentice or User.objects.create_user(f"azubi-{next(_numbers)}")
    made = TrainingContract.objects.create(
        apprentice=apprentice,
        company=world["company"],
        site=world["sites"][site],
        occupation=world["occupations"][occupation],
        chamber=world["chambers"][chamber],
        start_date=start,
        end_date=start.replace(year=start.year + 3),
        probation_end=indicators.add_months(start, probation_months) - datetime.timedelta(days=1),
        status=TrainingContract.Status.DISSOLVED if dissolved else TrainingContract.Status.ACTIVE,
        dissolved_on=dissolved,
    )
    created = timezone.make_aware(datetime.datetime.combine(concluded, datetime.time(12)))
    TrainingContract.objects.filter(pk=made.pk).update(created_at=created)
    return made


def facts_by_measure(facts) -> dict[tuple, int]:
    out: dict[tuple, int] = {}
    for measure, year, _month, kreis, _occupation_id, _responsibility, count in facts:
        out[(measure, year, kreis)] = out.get((measure, year, kreis), 0) + count
    return out


def test_new_contracts_follow_the_bibb_count_at_the_reporting_year_edges(world):
    # reporting year 2024 = 1.10.2023 .. 30.9.2024 (BIBB, http://bibb.de/de/16620.php)
    contract(world, concluded=D(2023, 10, 1), start=D(2024, 8, 1))  # first day: 2024
    contract(world, concluded=D(2024, 9, 30), start=D(2024, 9, 1))  # last day: 2024
    contract(world, concluded=D(2024, 10, 1), start=D(2025, 8, 1))  # next reporting year
    contract(
        world, concluded=D(2024, 3, 1), start=D(2024, 8, 1), dissolved=D(2024, 9, 29)
    )  # gone before 30.9.
    contract(
        world, concluded=D(2024, 3, 1), start=D(2024, 8, 1), dissolved=D(2024, 9, 30)
    )  # existed on 30.9.
    contract(world, concluded=D(2024, 3, 1), start=D(2024, 8, 1), site="b", occupation="y", chamber="hwk")
    facts = market_facts.new_contract_facts(None, [2024, 2025])
    counted = facts_by_measure(facts)
    assert counted[("contracts_new", 2024, "98001")] == 3
    assert counted[("contracts_new", 2024, "98002")] == 1
    assert counted[("contracts_new", 2025, "98001")] == 1
    # the same as the pure definition on the same contracts
    pure = indicators.bibb_new_contracts(
        [
            indicators.ContractFacts(
                concluded_on=timezone.localdate(c.created_at),
                starts_on=c.start_date,
                dissolved_on=c.dissolved_on,
            )
            for c in TrainingContract.objects.filter(site__region__code__startswith="98")
        ],
        2024,
    )
    assert pure == 4
    # the hwk contract carries its chamber kind and occupation
    hwk = [f for f in facts if f[3] == "98002"]
    assert hwk == [("contracts_new", 2024, None, "98002", world["occupations"]["y"].pk, "hwk", 1)]


def test_a_draft_is_no_contract(world):
    made = contract(world, concluded=D(2024, 3, 1), start=D(2024, 8, 1))
    TrainingContract.objects.filter(pk=made.pk).update(status=TrainingContract.Status.DRAFT)
    assert market_facts.monitoring_contract_facts(["98001", "98002"], today=TODAY) == []


def test_layer_model_from_the_cube_equals_the_pure_definition(world):
    """Start years 2021–2024 with known new contracts, dissolutions in 2024 in each layer, some within the
    probation period (BBiG § 20): the rate from the cube's cells equals `indicators` on the same contracts."""
    # start year: (begun, dissolved in 2024, of them within the probation period)
    plan = {2021: (10, 1, 0), 2022: (8, 2, 0), 2023: (12, 3, 0), 2024: (5, 2, 2)}
    for start_year, (begun, dissolved, in_probation) in plan.items():
        for index in range(begun):
            when = None
            if index < in_probation:
                when = D(2024, 9, 15)  # begun 1.8.2024, probation of 4 months: until 30.11.2024
            elif index < dissolved:
                when = D(2024, 6, 30)
            contract(world, concluded=D(start_year, 3, 1), start=D(start_year, 8, 1), dissolved=when)
    today = D(2025, 1, 31)
    scope = cube.Scope(cube.LAND, "98")
    wanted = ["contracts_begun"] + [f"dissolutions_layer_{k}" for k in range(4)]
    wanted += [f"dissolutions_probation_layer_{k}" for k in range(4)]
    cube.register_provider(
        "contracts", [], lambda kreise: market_facts.monitoring_contract_facts(kreise, today=today)
    )
    counts = cube.totals(scope, wanted, source=cube.LIVE)
    dissolutions = {2024 - k: counts.get((f"dissolutions_layer_{k}", 2024), 0) for k in range(4)}
    probation = {2024 - k: counts.get((f"dissolutions_probation_layer_{k}", 2024), 0) for k in range(4)}
    begun = {year: counts.get(("contracts_begun", year), 0) for year in plan}
    assert begun == {2021: 10, 2022: 8, 2023: 12, 2024: 5}
    assert dissolutions == {2021: 1, 2022: 2, 2023: 3, 2024: 2}
    assert probation == {2021: 0, 2022: 0, 2023: 0, 2024: 2}  # only the 2024 starts were still in probation
    # 1/10 + 2/8 + 3/12 + 2/5 = 10 + 25 + 25 + 40 = 100 %
    assert indicators.dissolution_rate(dissolutions, begun, 2024) == pytest.approx(100.0)
    facts = [
        indicators.ContractFacts(
            concluded_on=timezone.localdate(c.created_at),
            starts_on=c.start_date,
            dissolved_on=c.dissolved_on,
            probation_end=c.probation_end,
        )
        for c in TrainingContract.objects.filter(site__region__code__startswith="98")
    ]
    pure = indicators.dissolution_rates_from_contracts(facts, 2024)
    assert indicators.dissolution_rate(dissolutions, begun, 2024) == pytest.approx(pure.total)
    assert indicators.dissolution_rate(probation, begun, 2024) == pytest.approx(pure.in_probation)


@pytest.fixture(autouse=True)
def _restore_providers():
    saved = dict(cube._PROVIDERS)
    yield
    cube._PROVIDERS.clear()
    cube._PROVIDERS.update(saved)


def test_reentry_counts_only_windows_that_have_passed(world):
    first = User.objects.create_user("wechsler")
    contract(world, concluded=D(2023, 3, 1), start=D(2023, 8, 1), dissolved=D(2024, 1, 31), apprentice=first)
    contract(world, concluded=D(2024, 3, 1), start=D(2024, 4, 1), apprentice=first)  # after 2 months
    second = User.objects.create_user("spaeter")
    contract(world, concluded=D(2023, 3, 1), start=D(2023, 8, 1), dissolved=D(2024, 1, 31), apprentice=second)
    contract(world, concluded=D(2024, 8, 1), start=D(2024, 9, 1), apprentice=second)  # after 7 months
    contract(world, concluded=D(2023, 3, 1), start=D(2023, 8, 1), dissolved=D(2024, 1, 31))  # never again
    contract(world, concluded=D(2023, 3, 1), start=D(2023, 8, 1), dissolved=D(2024, 11, 15))  # too recent
    facts = facts_by_measure(market_facts.reentry_facts(None, today=D(2025, 2, 1)))
    assert facts[("reentry_base_3", 2024, "98001")] == 3  # 15.11.2024 + 3 months = 15.2.2025: not passed yet
    assert facts[("reentry_3", 2024, "98001")] == 1
    assert facts[("reentry_base_12", 2024, "98001")] == 3
    assert facts[("reentry_6", 2024, "98001")] == 1
    assert facts[("reentry_12", 2024, "98001")] == 2


def test_a_site_without_kreis_counts_for_germany_only(world):
    contract(world, concluded=D(2024, 3, 1), start=D(2024, 8, 1), site="")
    contract(world, concluded=D(2024, 3, 1), start=D(2024, 8, 1), site="a")
    cells = cube.rollup(market_facts.new_contract_facts(None, [2024]))
    lands = sum(n for key, n in cells.items() if key[3] == cube.LAND and key[5] == 0 and not key[6])
    # the demo's contracts all have a Kreis: Germany holds one more than its Länder together
    assert cells[("contracts_new", 2024, None, cube.DE, "DE", 0, "")] == lands + 1
    assert cells[("contracts_new", 2024, None, cube.LAND, "98", 0, "")] == 1
    assert cells[("contracts_new", 2024, None, cube.KREIS, "98001", 0, "")] == 1
    assert not [key for key in cells if key[4] == ""]


def test_stored_cells_equal_the_live_computation(world):
    for index in range(6):
        contract(
            world,
            concluded=D(2023, 11 if index % 2 else 5, 1),
            start=D(2024, 8, 1),
            dissolved=D(2024, 10, 1) if index == 0 else None,
            site="ab"[index % 2],
            occupation="xy"[index // 3],
            chamber=["ihk", "hwk"][index % 2],
        )
    done = cube.refresh()
    assert done.cells == MarketCell.objects.count() > 0
    assert cube.last_refresh() == done
    measures = cube.measures()
    for scope in [
        cube.Scope(cube.DE, "DE"),
        cube.Scope(cube.LAND, "98"),
        cube.Scope(cube.KREIS, "98002"),
        cube.Scope(cube.LAND, "98", occupation_id=world["occupations"]["y"].pk),
        cube.Scope(cube.LAND, "98", responsibility="hwk"),
    ]:
        assert cube.totals(scope, measures, source=cube.CUBE) == cube.totals(
            scope, measures, source=cube.LIVE
        )
        if scope.occupation_id is None and not scope.responsibility:
            assert cube.series(scope, measures, source=cube.CUBE) == cube.series(
                scope, measures, source=cube.LIVE
            )
    for scope, by in [
        (cube.Scope(cube.DE, "DE"), cube.LAND),
        (cube.Scope(cube.LAND, "98"), cube.KREIS),
        (cube.Scope(cube.KREIS, "98001"), "occupation"),
        (cube.Scope(cube.LAND, "98"), cube.RESPONSIBILITY),
    ]:
        stored = cube.children(scope, by, measures, source=cube.CUBE)
        assert stored == cube.children(scope, by, measures, source=cube.LIVE)
        assert stored
    # even contracts: Kreis A, concluded in May 2023 (reporting year 2023; the one dissolved on 1.10.2024
    # existed on 30.9.2023); odd ones: Kreis B, November 2023 (reporting year 2024)
    kreise = cube.children(
        cube.Scope(cube.LAND, "98"), cube.KREIS, ["contracts_new"], [2023, 2024], source=cube.CUBE
    )
    assert kreise == {("98001", "contracts_new", 2023): 3, ("98002", "contracts_new", 2024): 3}
    # a second refresh replaces, never adds
    cube.refresh()
    assert MarketCell.objects.count() == done.cells


def test_the_demo_cube_equals_live(demo):
    cube.refresh()
    measures = cube.measures()
    for scope in [cube.Scope(cube.DE, "DE"), cube.Scope(cube.LAND, "10")]:
        assert cube.totals(scope, measures, source=cube.CUBE) == cube.totals(
            scope, measures, source=cube.LIVE
        )


def test_a_scope_names_an_occupation_or_a_chamber_kind_not_both():
    with pytest.raises(ValueError):
        cube.Scope(cube.LAND, "98", occupation_id=1, responsibility="ihk")
    with pytest.raises(ValueError):
        cube.Scope("bezirk", "1")


def test_the_setting_chooses_the_source_for_the_benchmark(world, settings):
    contract(world, concluded=D(2024, 3, 1), start=D(2024, 8, 1))
    cube.refresh()
    contract(world, concluded=D(2024, 3, 1), start=D(2024, 8, 1))  # after the refresh: the cube lags
    scope = cube.Scope(cube.KREIS, "98001")
    assert cube.totals(scope, ["contracts_new"], [2024]) == {("contracts_new", 2024): 1}
    settings.MONITORING_SOURCE = cube.LIVE
    assert cube.totals(scope, ["contracts_new"], [2024]) == {("contracts_new", 2024): 2}
