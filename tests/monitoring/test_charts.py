"""The monitoring charts (#19): SVG that parses, one mark per value, gaps and "–" for missing values, colour
classes that follow the breaks, escaped text, German numbers, and the include template with its table."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import unescape

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from ausbildung.core import geo
from ausbildung.monitoring import charts

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def german():
    with translation.override("de"):
        yield


def parse(chart: charts.Chart) -> ET.Element:
    return ET.fromstring(str(chart.svg))  # noqa: S314 (our own output, no entities)


def find(root: ET.Element, tag: str, css_class: str) -> list[ET.Element]:
    return [e for e in root.iter(SVG + tag) if css_class in (e.get("class") or "").split()]


def texts(root: ET.Element, css_class: str) -> list[str]:
    return [e.text or "" for e in find(root, "text", css_class)]


YEARS = ["2019", "2020", "2021", "2022", "2023", "2024"]


def two_series() -> charts.Chart:
    return charts.line_chart(
        key="neue-vertraege",
        title="Neue Ausbildungsverträge",
        x_labels=YEARS,
        series=[
            charts.Series("Saarland", [6950, 6130, None, 6093, 6012, 5870], note="amtlich, BIBB 30.9."),
            charts.Series("Plattform", [None, None, 12, 40, 55, 61], kind="platform", note="Plattform, live"),
        ],
        x_title="Berichtsjahr",
    )


# --- numbers -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (0, 0, "0"),
        (1234567, 0, "1.234.567"),
        (93.46, 1, "93,5"),
        (12345.678, 2, "12.345,68"),
        (-0.04, 1, "0,0"),
        (-1500, 0, "-1.500"),
        (None, 1, "–"),
    ],
)
def test_numbers_are_german(value, decimals, text):
    assert charts.format_number(value, decimals) == text


def test_nice_ticks_start_at_zero_and_cover_the_maximum():
    assert charts.nice_ticks(0, 6950) == [0, 2000, 4000, 6000, 8000]
    assert charts.nice_ticks(0, 97.3) == [0, 20, 40, 60, 80, 100]
    assert charts.nice_ticks(0, 1.1) == [0, 0.25, 0.5, 0.75, 1.0, 1.25]
    assert charts.nice_ticks(0, 0) == [0, 0.2, 0.4, 0.6, 0.8, 1.0]


def test_line_chart_ticks_are_formatted_in_german():
    root = parse(
        charts.line_chart(
            key="a", title="t", x_labels=["2023", "2024"], series=[charts.Series("x", [512000, 48])]
        )
    )
    assert texts(root, "chart-tick") == ["0", "200.000", "400.000", "600.000"]
    root = parse(charts.line_chart(key="a", title="t", x_labels=["2024"], series=[charts.Series("x", [1.1])]))
    assert texts(root, "chart-tick") == ["0,00", "0,25", "0,50", "0,75", "1,00", "1,25"]


# --- line chart ----------------------------------------------------------------------------------------


def test_line_chart_draws_one_point_per_value_and_a_gap_for_none():
    root = parse(two_series())
    official, platform = find(root, "g", "chart-series")
    assert "chart-series--official" in official.get("class")
    assert len(find(official, "circle", "chart-point")) == 5  # 6 years, one None
    assert len(find(platform, "rect", "chart-point")) == 4
    # The gap in 2021 splits the official line in two; no point sits on the zero line.
    paths = find(official, "path", "chart-line")
    assert [p.get("d").count("L") + 1 for p in paths] == [2, 3]
    zero_y = next(e for e in find(root, "text", "chart-tick") if e.text == "0").get("y")
    assert all(float(c.get("cy")) != float(zero_y) - 5 for c in find(official, "circle", "chart-point"))
    # platform figures dashed, official ones not
    assert all(p.get("stroke-dasharray") == "6 4" for p in find(platform, "path", "chart-line"))
    assert all(p.get("stroke-dasharray") is None for p in paths)


def test_line_chart_legend_says_which_is_official_and_which_is_platform():
    root = parse(two_series())
    legend = [e.text for e in root.iter(SVG + "text") if e.text and "(" in e.text]
    assert legend == ["Saarland (amtlich, BIBB 30.9.)", "Plattform (Plattform, live)"]


def test_line_chart_thins_many_x_labels_but_keeps_the_last():
    months = [f"{m:02d}/{y}" for y in (2023, 2024) for m in range(1, 13)]
    root = parse(
        charts.line_chart(key="a", title="t", x_labels=months, series=[charts.Series("x", [1.0] * 24)])
    )
    labels = texts(root, "chart-x-label")
    assert 2 <= len(labels) < 24
    assert labels[-1] == "12/2024"


def test_line_chart_refuses_series_of_the_wrong_length():
    with pytest.raises(ValueError, match="has 1 values for 2 labels"):
        charts.line_chart(key="a", title="t", x_labels=["1", "2"], series=[charts.Series("x", [1])])


# --- bar chart -----------------------------------------------------------------------------------------


def test_bar_chart_has_one_bar_per_value_and_a_dash_for_none():
    chart = charts.bar_chart(
        key="anr",
        title="ANR",
        bars=[
            charts.Bar("Saarbrücken", 96.4, highlight=True),
            charts.Bar("Merzig-Wadern", None),
            charts.Bar("Saarland", 95.1),
            charts.Bar("Deutschland", 97.3),
        ],
        value_label="ANR",
        decimals=1,
    )
    root = parse(chart)
    bars = find(root, "rect", "chart-bar")
    assert len(bars) == 3
    assert texts(root, "chart-value") == ["96,4", "95,1", "97,3"]
    assert texts(root, "chart-missing") == ["–"]
    assert all(float(bar.get("width")) > 0 for bar in bars)
    # the longest bar is the largest value
    assert max(bars, key=lambda b: float(b.get("width"))) is bars[2]
    assert [row.cells[0].text for row in chart.rows] == ["96,4", "–", "95,1", "97,3"]
    assert root.get("role") == "img"


def test_linked_bars_are_links_and_the_svg_a_group():
    chart = charts.bar_chart(key="b", title="t", bars=[charts.Bar("A", 1, href="/a/")], value_label="v")
    root = parse(chart)
    assert [a.get("href") for a in root.iter(SVG + "a")] == ["/a/"]
    assert root.get("role") == "group"


@pytest.mark.parametrize("href", ["javascript:alert(1)", "https://example.org/", "//example.org/"])
def test_links_must_be_local(href):
    with pytest.raises(ValueError, match="local paths"):
        charts.bar_chart(key="b", title="t", bars=[charts.Bar("A", 1, href=href)], value_label="v")


# --- maps ----------------------------------------------------------------------------------------------


def test_the_tile_grid_has_sixteen_distinct_places():
    assert sorted(charts.LAND_TILES) == [f"{n:02d}" for n in range(1, 17)]
    assert len({(column, row) for _iso, column, row in charts.LAND_TILES.values()}) == 16
    # Schleswig-Holstein at the top, Bavaria in the bottom row right of Baden-Württemberg
    rows = {iso: row for iso, _column, row in charts.LAND_TILES.values()}
    assert rows["SH"] == 0 and rows["BY"] == max(rows.values())
    assert charts.LAND_TILES["09"][1] > charts.LAND_TILES["08"][1]


def land_areas(values: dict[str, float | None]) -> list[charts.Area]:
    return [
        charts.Area(code, f"Land {code}", value, f"/monitoring/land/{code}/")
        for code, value in values.items()
    ]


def test_tile_colours_follow_fixed_breaks():
    values = {"01": 80.0, "02": 89.9, "03": 90.0, "09": 99.9, "10": 100.0, "11": 120.0, "12": None}
    chart = charts.land_tile_map(
        key="laender",
        title="ANR",
        areas=land_areas(values),
        value_label="ANR",
        decimals=1,
        breaks=(90, 95, 100, 105),
    )
    root = parse(chart)
    tiles = find(root, "rect", "chart-area")
    assert len(tiles) == 7
    classes = {tile.get("data-code"): tile.get("data-class") for tile in tiles}
    assert classes == {"01": "0", "02": "0", "03": "1", "09": "2", "10": "3", "11": "4", "12": "none"}
    fills = {tile.get("data-code"): tile.get("fill") for tile in tiles}
    assert fills["01"] == charts.PALETTE[0] and fills["11"] == charts.PALETTE[4]
    assert fills["12"] == "url(#laender-hatch)"
    assert chart.note == "feste Klassengrenzen"
    assert [row.cells[1].text for row in chart.rows][:3] == [
        "unter 90,0",
        "unter 90,0",
        "90,0 bis unter 95,0",
    ]
    assert chart.rows[-1].cells == (charts.TableCell("ANR", "–"), charts.TableCell("Klasse", "–"))
    # each tile is a link whose title names the Land and its value
    links = list(root.iter(SVG + "a"))
    assert [a.get("href") for a in links][:2] == ["/monitoring/land/01/", "/monitoring/land/02/"]
    assert [a.find(SVG + "title").text for a in links][2:4] == ["Land 03: 90,0", "Land 09: 99,9"]
    assert "ab 105,0" in [e.text for e in root.iter(SVG + "text")]


def test_quantile_breaks_split_the_values_evenly():
    values = {f"{n:02d}": float(n) for n in range(1, 16)} | {"16": None}
    chart = charts.land_tile_map(key="q", title="t", areas=land_areas(values), value_label="v")
    root = parse(chart)
    counts = [0] * 5
    for tile in find(root, "rect", "chart-area"):
        if tile.get("data-class") != "none":
            counts[int(tile.get("data-class"))] += 1
    assert counts == [3, 3, 3, 3, 3]
    assert chart.note.startswith("Quantilklassen")


def test_few_distinct_values_give_fewer_classes():
    assert charts.quantile_breaks([5, 5, 5, 5, 9]) == (9.0,)
    assert charts.quantile_breaks([7]) == ()
    assert [c.label for c in charts.map_classes(())] == ["alle Werte"]
    assert [c.colour for c in charts.map_classes((5.0,))] == [charts.PALETTE[0], charts.PALETTE[4]]
    assert charts.class_of(4.94, (5.0,), decimals=1) == 0  # shown as 4,9
    assert charts.class_of(4.96, (5.0,), decimals=1) == 1  # shown as 5,0: in the class "ab 5,0"


def test_unknown_land_codes_are_refused():
    with pytest.raises(ValueError, match="Land codes"):
        charts.land_tile_map(key="x", title="t", areas=[charts.Area("17", "x", 1)], value_label="v")


SAARLAND = [f"1004{n}" for n in range(1, 7)]


def test_kreis_centroids_of_the_saarland_lie_in_the_saarland():
    centroids = geo.kreis_centroids()
    # The Saarland spans about 49.11–49.64° N and 6.36–7.41° E.
    for code in SAARLAND:
        point = centroids[code]
        assert point.land == "Saarland"
        assert 49.11 < point.lat < 49.64 and 6.36 < point.lon < 7.41, code
    # Saarbrücken (10041) lies south of St. Wendel (10046) and east of Saarlouis (10044).
    assert centroids["10041"].lat < centroids["10046"].lat
    assert centroids["10041"].lon > centroids["10044"].lon
    assert len(centroids) > 390  # every Kreis of Germany has postcodes


def test_kreis_map_places_one_dot_per_known_kreis():
    areas = [charts.Area(code, f"Kreis {code}", float(i), f"/k/{code}/") for i, code in enumerate(SAARLAND)]
    areas.append(charts.Area("99999", "Nirgendwo", 3.0))
    chart = charts.kreis_map(key="kreise", title="t", areas=areas, value_label="v")
    root = parse(chart)
    dots = find(root, "circle", "chart-area")
    assert [d.get("data-code") for d in dots] == SAARLAND
    xs = {d.get("data-code"): float(d.get("cx")) for d in dots}
    ys = {d.get("data-code"): float(d.get("cy")) for d in dots}
    assert xs["10044"] < xs["10041"] and ys["10046"] < ys["10041"]  # west is left, north is up
    assert all(0 <= x <= charts.WIDTH for x in xs.values())
    assert len(chart.rows) == 7  # the Kreis without coordinates is in the table
    assert "1" in chart.note


# --- safety and the template ---------------------------------------------------------------------------


def test_text_is_escaped_everywhere():
    evil = '<script>alert("x")</script>'
    chart = charts.bar_chart(key="e", title=evil, bars=[charts.Bar(evil, 1)], value_label=evil)
    assert "<script>" not in chart.svg
    root = parse(chart)
    assert root.find(SVG + "title").text == evil
    assert evil in [e.text for e in root.iter(SVG + "text")]
    html = render_to_string("monitoring/_chart.html", {"chart": chart})
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    with pytest.raises(ValueError, match="slug"):
        charts.bar_chart(key='x" onload="y', title="t", bars=[], value_label="v")


def test_the_include_renders_figure_caption_and_a_table_of_the_same_numbers():
    chart = charts.line_chart(
        key="neue-vertraege",
        title="Neue Ausbildungsverträge",
        x_labels=YEARS,
        series=[charts.Series("Saarland", [6950, 6130, None, 6093, 6012, 5870], note="amtlich, BIBB 30.9.")],
        definition="Am 30.9. bestehende neue Verträge.",
        source="BIBB-Erhebung zum 30.9.",
        x_title="Berichtsjahr",
    )
    html = render_to_string("monitoring/_chart.html", {"chart": chart})
    figure = re.search(r"<figure.*?</figure>", html, re.S).group(0)
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in figure
    assert (
        'role="img" aria-labelledby="neue-vertraege-title" aria-describedby="neue-vertraege-desc"' in figure
    )
    caption = unescape(
        re.sub(r"<[^>]+>", " ", re.search(r"<figcaption.*?</figcaption>", figure, re.S).group(0))
    )
    assert "Am 30.9. bestehende neue Verträge." in caption and "Quelle: BIBB-Erhebung zum 30.9." in caption
    table = re.search(r'<table[^>]*data-testid="chart-table-neue-vertraege".*?</table>', html, re.S).group(0)
    rows = [
        [
            " ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split())
            for c in re.findall(r"<t[hd].*?</t[hd]>", r, re.S)
        ]
        for r in re.findall(r"<tr.*?</tr>", table.split("<tbody", 1)[1], re.S)
    ]
    assert rows == [
        ["2019", "6.950"],
        ["2020", "6.130"],
        ["2021", "–"],
        ["2022", "6.093"],
        ["2023", "6.012"],
        ["2024", "5.870"],
    ]
    assert 'data-label="Saarland (amtlich, BIBB 30.9.)"' in table
    assert 'class="kern-table kern-table--striped table-stack"' in table


def test_the_map_table_links_like_the_map():
    chart = charts.land_tile_map(
        key="l", title="t", areas=land_areas({"10": 95.0, "11": None}), value_label="ANR", decimals=1
    )
    html = render_to_string("monitoring/_chart.html", {"chart": chart})
    table = html.split("<table", 1)[1]
    assert table.count('href="/monitoring/land/10/"') == 1 and table.count("<tr") == 3


def test_no_chart_needs_inline_styles_or_scripts():
    """The Content-Security-Policy (settings.CONTENT_SECURITY_POLICY) refuses inline styles and scripts."""
    made = [
        two_series(),
        charts.bar_chart(key="b", title="t", bars=[charts.Bar("A", 1, href="/a/")], value_label="v"),
        charts.land_tile_map(key="l", title="t", areas=land_areas({"01": 1.0, "02": None}), value_label="v"),
        charts.kreis_map(
            key="k", title="t", areas=[charts.Area(c, c, 1.0) for c in SAARLAND], value_label="v"
        ),
    ]
    for chart in made:
        html = render_to_string("monitoring/_chart.html", {"chart": chart})
        assert not re.search(r"<style|style=|<script|\son[a-z]+=", html), chart.key
        assert all(e.get("style") is None for e in parse(chart).iter())


def test_the_head_include_links_the_chart_styles_from_our_own_static_files():
    from django.contrib.staticfiles import finders

    html = render_to_string("monitoring/_chart_assets.html")
    assert re.search(r'<link rel="stylesheet" href="/static/monitoring/charts\.css', html)
    assert finders.find("monitoring/charts.css")
