"""The platform's indicators on hand-made cube facts: a test provider stands in for the areas, so every figure
is known in advance (market balance, layer model, trend, suppression, breakdowns, monthly series)."""

from __future__ import annotations

import datetime
import itertools

import pytest

from ausbildung.core.models import Region
from ausbildung.monitoring import cube, indicators, platform, providers
from ausbildung.transition import selectors as transition

D = datetime.date
GERMANY = cube.Scope(cube.DE, "DE")


@pytest.fixture(autouse=True)
def _restore_providers():
    saved = dict(cube._PROVIDERS)
    cube._PROVIDERS.clear()
    yield
    cube._PROVIDERS.clear()
    cube._PROVIDERS.update(saved)


def provide(*facts: tuple) -> None:
    """Replace every provider by one returning these facts (of the Kreise asked for)."""
    made = [
        (measure, year, month, kreis, occupation, responsibility, count)
        for measure, year, month, kreis, occupation, responsibility, count in facts
    ]
    cube.register_provider(
        "test",
        sorted({fact[0] for fact in made}),
        lambda kreise: [fact for fact in made if kreise is None or fact[3] in kreise],
    )


def year_fact(measure: str, year: int, count: int, kreis: str = "98001", occupation: int | None = None):
    return (measure, year, None, kreis, occupation, "", count)


def by_key(figures: list[platform.Figure]) -> dict[str, platform.Figure]:
    return {figure.key: figure for figure in figures}


def test_market_balance_worked_example():
    provide(
        year_fact("contracts_new", 2025, 90),
        year_fact("places_unfilled", 2025, 10),
        year_fact("applicants_unplaced", 2025, 5),
        year_fact("applicants_alternative", 2025, 5),
    )
    keys = [
        "supply",
        "demand_traditional",
        "demand_extended",
        "anr_traditional",
        "anr_extended",
        "unfilled_share",
        "still_searching_share",
        "mismatch_index",
    ]
    figures = by_key(platform.figures(GERMANY, 2025, keys, source=cube.LIVE))
    assert figures["supply"].value == 100
    assert figures["demand_traditional"].value == 95
    assert figures["demand_extended"].value == 100
    assert figures["anr_traditional"].value == pytest.approx(105.263, abs=1e-3)
    assert figures["anr_traditional"].shown == "105,3"
    assert figures["anr_extended"].shown == "100,0"
    assert figures["unfilled_share"].value == pytest.approx(10.0)  # 10 of 100 places
    assert figures["still_searching_share"].value == pytest.approx(10.0)  # 10 of 100 demanders
    assert figures["mismatch_index"].value == pytest.approx(100.0)
    assert figures["supply"].shown == "100"
    assert figures["supply"].unit == "count" and figures["anr_extended"].unit == "per100"
    assert figures["supply"].year_kind == "reporting"
    assert figures["supply"].previous == 0  # nothing in 2024: the counts are 0 …
    assert figures["anr_traditional"].previous is None  # … and a ratio of 0 / 0 is not computable
    assert figures["anr_traditional"].label == "Angebots-Nachfrage-Relation (ANR, Plattform)"
    assert figures["anr_traditional"].definition.endswith("Plattformzahl, nicht der Ausbildungsmarkt.")
    assert "https://bibb.de/de/167216.php" in figures["anr_traditional"].definition


def test_layers_of_one_or_two_dissolutions_enter_the_rate_unseen():
    # 2024: begun 2021…2024 = 10, 8, 12, 5; dissolved 1, 2, 3, 2 → 10 + 25 + 25 + 40 = 100 %
    begun = {2021: 10, 2022: 8, 2023: 12, 2024: 5}
    dissolved = {0: 2, 1: 3, 2: 2, 3: 1}  # layer k: start year 2024 − k
    probation = {0: 0, 1: 3, 2: 0, 3: 0}
    provide(
        *(year_fact("contracts_begun", year, n) for year, n in begun.items()),
        *(year_fact(f"dissolutions_layer_{k}", 2024, n) for k, n in dissolved.items()),
        *(year_fact(f"dissolutions_probation_layer_{k}", 2024, n) for k, n in probation.items()),
    )
    figures = by_key(
        platform.figures(
            GERMANY,
            2025,  # reporting year 2025 ended on 30.9.2025: calendar year 2024 is the last complete one
            ["dissolution_rate", "dissolution_rate_probation", "dissolution_rate_later", "dissolutions"],
            source=cube.LIVE,
        )
    )
    # 2/5 + 3/12 + 2/8 + 1/10 = 40 + 25 + 25 + 10 = 100 %: the layers are never shown, their sum (8) is
    assert figures["dissolution_rate"].value == pytest.approx(100.0)
    assert figures["dissolutions"].value == 8
    # 3 in probation, 5 later: both parts large enough to show
    assert figures["dissolution_rate_probation"].value == pytest.approx(25.0)
    assert figures["dissolution_rate_later"].value == pytest.approx(75.0)
    assert figures["dissolution_rate"].year_kind == "calendar"
    assert figures["dissolution_rate"].year == 2024


def test_layer_rate_and_its_probation_split():
    begun = {2021: 10, 2022: 8, 2023: 12, 2024: 5}
    dissolved = {0: 4, 1: 3, 2: 4, 3: 5}
    probation = {0: 4, 1: 0, 2: 0, 3: 0}
    provide(
        *(year_fact("contracts_begun", year, n) for year, n in begun.items()),
        *(year_fact(f"dissolutions_layer_{k}", 2024, n) for k, n in dissolved.items()),
        *(year_fact(f"dissolutions_probation_layer_{k}", 2024, n) for k, n in probation.items()),
    )
    figures = by_key(
        platform.figures(
            GERMANY,
            2025,  # reporting year 2025 ended on 30.9.2025: calendar year 2024 is the last complete one
            ["dissolution_rate", "dissolution_rate_probation", "dissolution_rate_later"],
            source=cube.LIVE,
        )
    )
    # 4/5 + 3/12 + 4/8 + 5/10 = 80 + 25 + 50 + 50 = 205 %
    assert figures["dissolution_rate"].value == pytest.approx(205.0)
    assert figures["dissolution_rate_probation"].value == pytest.approx(80.0)
    assert figures["dissolution_rate_later"].value == pytest.approx(125.0)


def test_a_start_year_without_contracts_adds_nothing():
    provide(
        year_fact("contracts_begun", 2024, 10),
        year_fact("dissolutions_layer_0", 2024, 3),
        year_fact("dissolutions_probation_layer_0", 2024, 3),
    )
    assert platform.yearly(GERMANY, "dissolution_rate", [2024, 2023], source=cube.LIVE) == {
        2024: pytest.approx(30.0),
        2023: None,  # nothing begun in 2020–2023: no rate
    }


@pytest.mark.parametrize(
    ("before", "now", "trend"),
    [
        (100, 120, "up"),
        (120, 100, "down"),
        (100, 100, "flat"),
        (1000, 1004, "flat"),
        (1000, 1005, "up"),
        (2, 50, None),
    ],
)
def test_trend(before, now, trend):
    provide(year_fact("applicants", 2024, before), year_fact("applicants", 2025, now))
    (figure,) = platform.figures(GERMANY, 2025, ["applicants"], source=cube.LIVE)
    assert figure.value == now
    assert figure.trend == trend


def test_small_counts_and_rates_from_them_are_suppressed():
    provide(
        year_fact("leavers", 2025, 2),
        year_fact("leavers_secured", 2025, 2),
        year_fact("record_weeks_due", 2025, 40),
        year_fact("record_weeks_submitted", 2025, 1),
        year_fact("clearing_participants", 2025, 8),
        year_fact("clearing_placed", 2025, 6),
        year_fact("worktime_findings", 2025, 4),
    )
    figures = by_key(platform.figures(GERMANY, 2025, source=cube.LIVE))
    assert figures["leavers"].value is None and figures["leavers"].shown == "–"
    assert figures["leavers_secured_share"].value is None
    assert figures["record_completeness"].value is None  # 1 submitted week
    assert figures["clearing_placement_rate"].value == pytest.approx(75.0)
    assert figures["worktime_findings_per_100_weeks"].shown == "10,0"
    assert figures["offers_published"].value == 0  # 0 names nobody


def test_every_destination_kind_has_its_share():
    kinds = [m for m in transition.MONITORING_DESTINATION_MEASURES if m not in ("leavers", "leavers_secured")]
    keys = {d.key for d in platform.definitions()}
    assert {f"{kind}_share" for kind in kinds} <= keys


def test_definitions_are_registered_once_with_german_text():
    definitions = platform.definitions()
    assert len({d.key for d in definitions}) == len(definitions)
    assert set(platform.KEY_FIGURES) <= {d.key for d in definitions}
    assert all(d.key in platform.PLATFORM_REGISTRY for d in definitions)
    anr = next(d for d in definitions if d.key == "anr_traditional")
    assert "https://bibb.de/de/5472.php" in anr.definition
    assert "nicht der Ausbildungsmarkt" in anr.definition
    with pytest.raises(ValueError):
        platform.register(platform.get("supply"))


@pytest.fixture
def land(db):
    land = Region.objects.create(code="98", name="Testland", level=Region.Level.LAND)
    for number in range(1, 5):
        Region.objects.create(
            code=f"9800{number}", name=f"Kreis {number}", level=Region.Level.KREIS, parent=land
        )
    return cube.Scope(cube.LAND, "98")


def test_breakdown_hides_a_kreis_that_the_land_total_would_give_away(land):
    counts = {"98001": 40, "98002": 1, "98003": 12, "98004": 0}
    provide(*(year_fact("applicants", 2025, n, kreis) for kreis, n in counts.items()))
    (total,) = platform.figures(land, 2025, ["applicants"], source=cube.LIVE)
    shown = platform.breakdown(land, "kreis", "applicants", 2025, source=cube.LIVE)
    assert total.value == 53
    assert shown["98002"] is None
    assert shown["98004"] == 0
    # the attack: the Land's total minus the Kreise shown
    hidden = [kreis for kreis, value in shown.items() if value is None]
    assert len(hidden) >= 2
    rest = total.value - sum(value for value in shown.values() if value is not None)
    assert rest != counts["98002"]  # 13 = 1 + 12: the small Kreis cannot be told apart
    assert shown["98001"] == 40


def test_breakdown_rates_from_suppressed_counts_are_none(land):
    facts = []
    for kreis, (placed, participants) in {"98001": (6, 10), "98002": (2, 9), "98003": (5, 5)}.items():
        facts += [
            year_fact("clearing_placed", 2025, placed, kreis),
            year_fact("clearing_participants", 2025, participants, kreis),
        ]
    provide(*facts)
    rates = platform.breakdown(land, "kreis", "clearing_placement_rate", 2025, source=cube.LIVE)
    assert rates["98002"] is None  # 2 placed
    assert rates["98003"] is None  # the complement: 5 placed hidden beside the 2
    assert rates["98001"] == pytest.approx(60.0)
    assert rates["98004"] is None  # 0 of 0


def test_breakdown_by_occupation_and_by_land(land):
    provide(
        year_fact("contracts_new", 2025, 7, "98001", occupation=11),
        year_fact("contracts_new", 2025, 5, "98002", occupation=12),
    )
    assert platform.breakdown(land, "occupation", "contracts_new", 2025, source=cube.LIVE) == {
        "11": 7,
        "12": 5,
    }
    by_land = platform.breakdown(GERMANY, "land", "contracts_new", 2025, source=cube.LIVE)
    assert by_land["98"] == 12
    # every Land the database knows is shown, with 0 where nothing happened (the test database may or may not
    # hold the 16 Länder already: the count comes from the database, not from this test)
    lands = set(Region.objects.filter(level=Region.Level.LAND).values_list("code", flat=True))
    assert set(by_land) == lands and set(by_land.values()) <= {0, 12}


def test_monthly_series_fills_gaps_with_zero_and_hides_small_months():
    provide(
        ("applicants", 2025, D(2025, 1, 1), "98001", None, "", 5),
        ("applicants", 2025, D(2025, 3, 1), "98001", None, "", 2),
        ("applicants", 2025, D(2025, 4, 1), "98001", None, "", 9),
    )
    series = platform.monthly(GERMANY, "applicants", months=5, today=D(2025, 4, 17), source=cube.LIVE)
    assert series == [
        (D(2024, 12, 1), 0),
        (D(2025, 1, 1), 5),
        (D(2025, 2, 1), 0),
        (D(2025, 3, 1), None),
        (D(2025, 4, 1), 9),
    ]
    with pytest.raises(ValueError):
        platform.monthly(GERMANY, "anr_traditional", source=cube.LIVE)


def test_contracts_entered_per_year_from_the_months():
    provide(
        ("contracts_concluded", 2025, D(2024, 10, 1), "98001", None, "", 4),
        ("contracts_concluded", 2025, D(2025, 9, 1), "98001", None, "", 3),
        ("contracts_concluded", 2026, D(2025, 10, 1), "98001", None, "", 8),
    )
    assert platform.yearly(GERMANY, "contracts_concluded", [2025, 2026], source=cube.LIVE) == {
        2025: 7,
        2026: 8,
    }
    by_occupation = cube.Scope(cube.DE, "DE", occupation_id=11)
    assert platform.yearly(by_occupation, "contracts_concluded", [2025], source=cube.LIVE) == {2025: None}


@pytest.mark.parametrize(
    ("today", "year"), [(D(2025, 9, 30), 2024), (D(2025, 10, 1), 2025), (D(2026, 1, 5), 2025)]
)
def test_latest_complete_year(today, year):
    assert platform.latest_complete_year(today) == year


def test_unknown_key_is_refused():
    with pytest.raises(ValueError):
        platform.figures(GERMANY, 2025, ["no_such_key"], source=cube.LIVE)


def test_registered_through_the_indicator_registry():
    assert isinstance(platform.PLATFORM_REGISTRY.get("anr_extended"), indicators.Indicator)
    assert list(itertools.islice((d.key for d in platform.definitions()), 1)) == ["contracts_new"]


def test_the_stored_cube_gives_the_same_figures_as_the_live_count(land):
    provide(
        year_fact("contracts_new", 2025, 40, "98001", occupation=11),
        year_fact("contracts_new", 2025, 2, "98002", occupation=11),
        year_fact("contracts_new", 2025, 9, "98003", occupation=12),
        year_fact("places_unfilled", 2025, 10, "98001"),
        year_fact("applicants_unplaced", 2025, 5, "98003"),
        year_fact("applicants_alternative", 2025, 5, "98003"),
        ("applicants", 2025, D(2025, 2, 1), "98001", None, "", 7),
    )
    cube.refresh()
    for scope in (
        GERMANY,
        land,
        cube.Scope(cube.KREIS, "98001"),
        cube.Scope(cube.LAND, "98", occupation_id=11),
    ):
        assert platform.figures(scope, 2025, source=cube.CUBE) == platform.figures(
            scope, 2025, source=cube.LIVE
        )
    for by in ("kreis", "occupation"):
        stored = platform.breakdown(land, by, "contracts_new", 2025, source=cube.CUBE)
        assert stored == platform.breakdown(land, by, "contracts_new", 2025, source=cube.LIVE)
    assert platform.breakdown(land, "kreis", "contracts_new", 2025, source=cube.CUBE) == {
        "98001": 40,
        "98002": None,
        "98003": None,
        "98004": 0,
    }
    assert platform.monthly(land, "applicants", months=2, today=D(2025, 2, 3), source=cube.CUBE) == [
        (D(2025, 1, 1), 0),
        (D(2025, 2, 1), 7),
    ]


def test_the_probation_split_is_hidden_when_one_part_is_small():
    # later = all − in probation would give away the 1 dissolution in probation
    provide(
        *(year_fact("contracts_begun", year, 10) for year in (2021, 2022, 2023, 2024)),
        *(year_fact(f"dissolutions_layer_{k}", 2024, 5) for k in range(4)),
        year_fact("dissolutions_probation_layer_0", 2024, 1),
    )
    rates = by_key(
        platform.figures(
            GERMANY,
            2025,  # reporting year 2025 ended on 30.9.2025: calendar year 2024 is the last complete one
            ["dissolution_rate", "dissolution_rate_probation", "dissolution_rate_later"],
            source=cube.LIVE,
        )
    )
    assert rates["dissolution_rate"].value == pytest.approx(200.0)
    assert rates["dissolution_rate_probation"].value is None
    assert rates["dissolution_rate_later"].value is None


def test_a_rate_of_one_or_two_dissolutions_in_all_is_hidden():
    provide(
        *(year_fact("contracts_begun", year, 10) for year in (2021, 2022, 2023, 2024)),
        year_fact("dissolutions_layer_0", 2024, 2),
    )
    (rate,) = platform.figures(GERMANY, 2025, ["dissolution_rate"], source=cube.LIVE)
    assert rate.value is None


def test_every_count_read_is_a_measure_of_the_areas_providers():
    providers.register()
    offered = set(cube.measures())
    for item in platform.PLATFORM_REGISTRY.all():
        indicator = platform.get(item.key)
        assert {measure for measure, _year in indicator.inputs(2025)} <= offered, item.key
        assert indicator.monthly is None or indicator.monthly in offered, item.key
    assert set(platform.monthly_keys()) >= {"contracts_concluded", "applicants", "dissolutions"}


def test_breakdown_by_chamber_kind_hides_the_complement(land):
    """17 contracts of IHK firms and 2 of HWK firms in a Land: the HWK's 2 is small, and the IHK's 17 would
    give it away as the Land's total (shown in the key figures) minus 17, so both are hidden."""
    provide(
        ("contracts_new", 2025, None, "98001", None, "ihk", 17),
        ("contracts_new", 2025, None, "98002", None, "hwk", 2),
        ("offers_published", 2025, None, "98001", None, "ihk", 30),
        ("offers_published", 2025, None, "98001", None, "hwk", 9),
        ("offers_published", 2025, None, "98002", None, "", 4),  # offers without a chamber entered
    )
    (total,) = platform.figures(land, 2025, ["contracts_new"], source=cube.LIVE)
    assert total.value == 19
    contracts = platform.breakdown(land, cube.RESPONSIBILITY, "contracts_new", 2025, source=cube.LIVE)
    assert contracts["hwk"] is None and contracts["ihk"] is None
    offers = platform.breakdown(land, cube.RESPONSIBILITY, "offers_published", 2025, source=cube.LIVE)
    assert (offers["ihk"], offers["hwk"], offers[""]) == (30, 9, 4)
    assert offers["lwk"] == 0
