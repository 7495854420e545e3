"""The parts of the monitoring benchmark (bench/monitoring_data.py, bench/monitoring_pages.py) that need no
PostgreSQL: the Kreise it generates, how pages are resolved and how requests are timed."""

from __future__ import annotations

import json

from bench import monitoring_data, monitoring_pages


def test_kreise_are_every_kreis_of_the_postcodes_with_official_names_where_shipped():
    kreise = monitoring_data._kreise()
    codes = [k["code"] for k in kreise]
    laender = {
        land["code"]
        for land in json.loads((monitoring_data.DATA_DIR / "regions.json").read_text(encoding="utf-8"))[
            "laender"
        ]
    }

    assert len(codes) == len(set(codes))
    assert 390 <= len(codes) <= 410  # Germany has 400 Kreise and kreisfreie Städte (Destatis, 2024)
    assert all(len(code) == 5 and code[:2] in laender for code in codes)
    assert all(k["postcodes"] and k["land"] == k["code"][:2] for k in kreise)
    by_code = {k["code"]: k["name"] for k in kreise}
    assert by_code["10041"] == "Regionalverband Saarbrücken"  # regions.json names the Saarland's Kreise
    assert by_code["14612"] == "Dresden"  # elsewhere the most common place of the Kreis's postcodes


def test_pages_resolve_by_name_or_path_and_unknown_names_are_skipped():
    assert monitoring_pages.resolve("monitoring:index") == "/monitoring/"
    assert monitoring_pages.resolve("/monitoring/") == "/monitoring/"
    assert monitoring_pages.resolve("monitoring:no-such-page") is None


def test_timed_warms_up_then_measures_each_request():
    calls = []
    times = monitoring_pages.timed(lambda: calls.append(1), requests=30, budget=600)

    assert len(calls) == monitoring_pages.WARMUPS + 30
    assert len(times) == 30
    assert all(ms >= 0 for ms in times)


def test_timed_stops_a_page_over_its_budget_after_one_warm_up_and_the_minimum():
    calls = []
    times = monitoring_pages.timed(lambda: calls.append(1), requests=30, budget=0)

    assert len(times) == monitoring_pages.MINIMUM
    assert len(calls) == 1 + monitoring_pages.MINIMUM


def test_percentile_picks_the_nearest_rank():
    values = [float(n) for n in range(1, 101)]

    assert monitoring_pages.percentile(values, 0.5) == 51.0  # round(0.5 * 99) = 50 → the 51st value
    assert monitoring_pages.percentile(values, 0.95) == 95.0
    assert monitoring_pages.percentile([7.0], 0.95) == 7.0
