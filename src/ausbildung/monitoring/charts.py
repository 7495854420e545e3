"""Charts for the monitoring pages (#19), drawn on the server as SVG: no JavaScript, nothing downloaded.

Numbers in, one `Chart` out, which `monitoring/_chart.html` renders as a <figure> (the SVG and a caption with
definition and source) followed by an HTML table of the same numbers. Nothing here reads the database; the
Kreis map only reads the shipped postcode table (through `core.geo.kreis_centroids`).

- `line_chart`: figures over time, several series; official series solid with round points, platform series
  dashed with hollow square points; a missing value (None, shown as "–") leaves a gap, never a zero.
- `bar_chart`: one figure for several areas as horizontal bars; a missing value is the text "–", no bar.
- `land_tile_map`: the 16 Länder as tiles of a fixed grid (`LAND_TILES`), coloured by class.
- `kreis_map`: a dot at each Kreis's representative point, coloured by class.

Maps colour a value by 5 classes of a sequential blue palette (ColorBrewer "Blues", 5 classes, readable with
every common colour-vision deficiency): quantile breaks from the values (each class holds about as many areas)
unless the caller gives fixed breaks. A missing value is grey with hatching.

Safety: the SVG is built as an element tree and serialised, so every name and label is escaped; links must be
local paths ("/…"). The page's Content-Security-Policy forbids inline styles, so the SVG carries presentation
attributes only (fill, stroke); `monitoring/charts.css` adds the size limit and the focus ring.

Accessibility: the SVG has a <title> and <desc> it is labelled by; a chart without links is role="img", a
chart whose areas are links is role="group", so that the links inside stay reachable (children of an "img"
are hidden from assistive technology). The table below holds every number and the same links.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
import statistics
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ausbildung.core import geo

SeriesKind = Literal["official", "platform"]

# Drawing units of the viewBox; the SVG scales to its container (down to a 360 px phone, where 14 units of
# text are about 11 px).
WIDTH = 440
FONT_SIZE = 15
TEXT = "#1c1c1c"
GRID = "#c8c8c8"
AXIS = "#5a5a5a"

# Okabe & Ito's colour-blind-safe colours with at least 3:1 contrast on white, for the series of a line chart.
SERIES_COLOURS = ("#0072b2", "#d55e00", "#009e73", "#000000", "#cc79a7")
BAR_COLOUR = "#0072b2"
BAR_HIGHLIGHT = "#d55e00"
# ColorBrewer "Blues", 5 classes (colorbrewer2.org: colour-blind safe, print friendly), light to dark.
PALETTE = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
NO_DATA_FILL = "#ededed"
NO_DATA_LINE = "#8c8c8c"
CLASSES = 5

# The Länder tile map: Land code → (ISO abbreviation, column, row) in a grid of 5 × 5 tiles, placed roughly
# as the Länder lie (Schleswig-Holstein at the top, Bavaria at the bottom, Berlin inside the east).
LAND_TILES: dict[str, tuple[str, int, int]] = {
    "01": ("SH", 2, 0),
    "04": ("HB", 1, 1),
    "02": ("HH", 2, 1),
    "13": ("MV", 3, 1),
    "05": ("NW", 0, 2),
    "03": ("NI", 1, 2),
    "15": ("ST", 2, 2),
    "12": ("BB", 3, 2),
    "11": ("BE", 4, 2),
    "07": ("RP", 0, 3),
    "06": ("HE", 1, 3),
    "16": ("TH", 2, 3),
    "14": ("SN", 3, 3),
    "10": ("SL", 0, 4),
    "08": ("BW", 1, 4),
    "09": ("BY", 2, 4),
}

_KEY = re.compile(r"[a-z][a-z0-9-]{0,40}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# ---------------------------------------------------------------------------------------------------------
# What the callers hand in, and what the template renders
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """One line: its label, its values (one per x label; None = no value) and where it comes from.

    ``note`` is the legend's "where from and as of when", e.g. "amtlich, BIBB 30.9." or "Plattform, live";
    without it the kind's default ("official figures" / "platform, live") is shown.
    """

    label: str
    values: Sequence[float | None]
    kind: SeriesKind = "official"
    note: str = ""


@dataclass(frozen=True)
class Bar:
    """One area of a bar chart; ``href`` (a local path) makes it a link, ``highlight`` draws it in orange."""

    label: str
    value: float | None
    href: str = ""
    highlight: bool = False


@dataclass(frozen=True)
class Area:
    """One area of a map: Land code "01".."16" or 5-digit Kreis ARS, its name, value and link (local path)."""

    code: str
    name: str
    value: float | None
    href: str = ""


@dataclass(frozen=True)
class TableCell:
    column: str  # the column's header, for the stacked table on phones (data-label)
    text: str


@dataclass(frozen=True)
class TableRow:
    header: str
    cells: tuple[TableCell, ...]
    href: str = ""


@dataclass(frozen=True)
class ChartClass:
    """One colour class of a map: its colour, its bounds as text ("50,0 bis unter 75,0")."""

    index: int
    colour: str
    label: str


@dataclass(frozen=True)
class Chart:
    """What `monitoring/_chart.html` renders: the figure (svg, title, definition, note, source) and the table
    (``columns``: the header row, the first one heading the row headers; ``rows``)."""

    key: str
    kind: Literal["line", "bars", "map"]
    title: str
    svg: SafeString
    definition: str
    source: str
    note: str
    columns: tuple[str, ...]
    rows: tuple[TableRow, ...]


# ---------------------------------------------------------------------------------------------------------
# Numbers: German formatting, ticks, classes
# ---------------------------------------------------------------------------------------------------------


def format_number(value: float | None, decimals: int = 0) -> str:
    """German number text: thousands dot, decimal comma ("12.345", "93,5"); None is "–"."""
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    if text.startswith("-") and not re.search(r"[1-9]", text):
        text = text[1:]  # a value that rounds to zero has no sign
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """About ``count`` + 1 evenly spaced round ticks (steps of 1, 2, 2.5 or 5 × 10ⁿ) covering low..high."""
    if high < low:
        low, high = high, low
    if high == low:
        high = low + 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * (1 - 1e-9))
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    return [round(i * step, 10) for i in range(first, last + 1)]


def tick_decimals(ticks: Sequence[float]) -> int:
    """The fewest decimals that show every tick exactly (0 for 0, 500, 1000; 1 for 2,5)."""
    for decimals in range(5):
        if all(abs(t * 10**decimals - round(t * 10**decimals)) < 1e-6 for t in ticks):
            return decimals
    return 5


def quantile_breaks(values: Sequence[float], classes: int = CLASSES, decimals: int = 0) -> tuple[float, ...]:
    """The inner class bounds that split ``values`` into ``classes`` groups of about equal size.

    Each bound is a value of the data: of the n values (rounded to the decimals the page shows, so a value and
    its class agree on the page) sorted, the one at position ⌈n·i/classes⌉ for i = 1 … classes − 1 starts
    class i. Equal bounds (many equal values, few areas) are merged, which leaves fewer classes.
    """
    ordered = sorted(round(value, decimals) for value in values)
    if len(ordered) < 2:
        return ()
    positions = (math.ceil(len(ordered) * i / classes) for i in range(1, classes))
    return tuple(sorted({ordered[p] for p in positions if p < len(ordered)} - {ordered[0]}))


def class_of(value: float | None, breaks: Sequence[float], decimals: int = 0) -> int | None:
    """The class (0 = lowest) of a value: the number of bounds it reaches (value ≥ bound); None for None."""
    if value is None:
        return None
    return bisect.bisect_right(list(breaks), round(value, decimals))


def map_classes(breaks: Sequence[float], decimals: int = 0) -> tuple[ChartClass, ...]:
    """The colour classes for these inner bounds, with their legend text; fewer bounds, fewer classes (their
    colours spread over the palette)."""
    count = len(breaks) + 1
    labels: list[str]
    if count == 1:
        labels = [_("all values")]
    else:
        shown = [format_number(b, decimals) for b in breaks]
        labels = [_("under %(bound)s") % {"bound": shown[0]}]
        labels += [
            _("%(low)s to under %(high)s") % {"low": low, "high": high}
            for low, high in itertools.pairwise(shown)
        ]
        labels.append(_("%(bound)s or more") % {"bound": shown[-1]})
    colours = [PALETTE[round(i * (len(PALETTE) - 1) / max(1, count - 1))] for i in range(count)]
    if count == 1:
        colours = [PALETTE[2]]
    return tuple(ChartClass(index=i, colour=colours[i], label=labels[i]) for i in range(count))


# ---------------------------------------------------------------------------------------------------------
# Building SVG safely
# ---------------------------------------------------------------------------------------------------------


def _clean(text: str) -> str:
    return _CONTROL.sub("", str(text))


def _num(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _el(parent: ET.Element, tag: str, text: str | None = None, /, **attributes: object) -> ET.Element:
    """A child element; attribute names use "_" for "-" ("stroke_width"), values are escaped on output."""
    element = ET.SubElement(
        parent,
        tag,
        {
            name.rstrip("_").replace("_", "-"): _num(v) if isinstance(v, float) else _clean(str(v))
            for name, v in attributes.items()
            if v is not None
        },
    )
    if text is not None:
        element.text = _clean(text)
    return element


def _check_key(key: str) -> None:
    if not _KEY.fullmatch(key):
        raise ValueError(f"chart key must be a short lower-case slug, not {key!r}")


def _check_href(href: str) -> str:
    if href and (not href.startswith("/") or href.startswith("//") or "\\" in href):
        raise ValueError(f"chart links must be local paths, not {href!r}")
    return href


def _svg(key: str, height: float, title: str, desc: str, *, links: bool) -> ET.Element:
    root = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {WIDTH} {_num(math.ceil(height))}",
            "width": "100%",
            "role": "group" if links else "img",
            "aria-labelledby": f"{key}-title",
            "aria-describedby": f"{key}-desc",
            "font-size": str(FONT_SIZE),
            "fill": TEXT,
            "class": "monitoring-chart__svg",
        },
    )
    _el(root, "title", title, id=f"{key}-title")
    _el(root, "desc", desc, id=f"{key}-desc")
    return root


def _serialise(root: ET.Element) -> SafeString:
    # ElementTree escapes every text and attribute value (&, <, >, ") on output; nothing else goes in.
    return mark_safe(ET.tostring(root, encoding="unicode"))  # noqa: S308


def _wrap(text: str, max_chars: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= max_chars:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _text_width(text: str) -> float:
    return len(text) * FONT_SIZE * 0.55


def _linked(parent: ET.Element, href: str) -> ET.Element:
    return _el(parent, "a", href=href) if href else _el(parent, "g")


# ---------------------------------------------------------------------------------------------------------
# Line chart
# ---------------------------------------------------------------------------------------------------------

PLOT_HEIGHT = 220
LEGEND_LINE = 20


def _legend_text(series: Series) -> str:
    note = series.note or (_("official figures") if series.kind == "official" else _("platform, live"))
    return f"{series.label} ({note})"


def _marker(parent: ET.Element, kind: SeriesKind, x: float, y: float, colour: str, title: str) -> None:
    if kind == "official":
        marker = _el(parent, "circle", cx=x, cy=y, r=4.5, fill=colour, class_="chart-point")
    else:
        marker = _el(
            parent,
            "rect",
            x=x - 4.5,
            y=y - 4.5,
            width=9.0,
            height=9.0,
            fill="#ffffff",
            stroke=colour,
            stroke_width=2,
            class_="chart-point",
        )
    if title:
        _el(marker, "title", title)


def line_chart(
    *,
    key: str,
    title: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    definition: str = "",
    source: str = "",
    decimals: int = 0,
    x_title: str = "",
) -> Chart:
    """Several series over the same points in time (``x_labels``: years or months, oldest first).

    Each series has one value per x label; None leaves a gap in its line and "–" in the table. The y axis
    starts at 0 (or below, for negative values) with round ticks; x labels are thinned when they would crowd.
    """
    _check_key(key)
    for line in series:
        if len(line.values) != len(x_labels):
            raise ValueError(
                f"series {line.label!r} has {len(line.values)} values for {len(x_labels)} labels"
            )
    values = [v for line in series for v in line.values if v is not None]
    ticks = nice_ticks(min([0.0, *values]), max([0.0, *values]))
    shown_decimals = tick_decimals(ticks)
    tick_labels = [format_number(t, shown_decimals) for t in ticks]

    legend_lines = [_wrap(_legend_text(line), 48) for line in series]
    legend_height = sum(len(lines) for lines in legend_lines) * LEGEND_LINE + 8
    left = max(_text_width(label) for label in tick_labels) + 12
    right = 16
    top = legend_height + 12
    plot_width = WIDTH - left - right
    bottom = top + PLOT_HEIGHT
    height = bottom + 32

    names = ", ".join(line.label for line in series)
    desc = _(
        "Line chart: %(series)s. Official figures are solid lines with round points, platform figures dashed "
        "lines with square points; a gap means no value. The table below the chart holds every figure."
    ) % {"series": names}
    root = _svg(key, height, title, desc, links=False)

    legend = _el(root, "g", class_="chart-legend")
    y = 8.0
    for index, (line, lines) in enumerate(zip(series, legend_lines, strict=True)):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        middle = y + LEGEND_LINE / 2
        _el(
            legend,
            "line",
            x1=0.0,
            y1=middle,
            x2=28.0,
            y2=middle,
            stroke=colour,
            stroke_width=2.5,
            stroke_dasharray="6 4" if line.kind == "platform" else None,
        )
        _marker(legend, line.kind, 14.0, middle, colour, "")
        for number, text in enumerate(lines):
            _el(legend, "text", text, x=36.0, y=middle + 5 + number * LEGEND_LINE)
        y += len(lines) * LEGEND_LINE

    low, high = ticks[0], ticks[-1]

    def y_of(value: float) -> float:
        return bottom - (value - low) / (high - low) * PLOT_HEIGHT

    count = len(x_labels)

    def x_of(index: int) -> float:
        return left + plot_width / 2 if count == 1 else left + index * plot_width / (count - 1)

    axes = _el(root, "g", class_="chart-axes")
    for tick, label in zip(ticks, tick_labels, strict=True):
        _el(
            axes,
            "line",
            x1=left,
            y1=y_of(tick),
            x2=WIDTH - right,
            y2=y_of(tick),
            stroke=AXIS if tick == 0 else GRID,
            stroke_width=1,
        )
        _el(axes, "text", label, x=left - 6, y=y_of(tick) + 5, text_anchor="end", class_="chart-tick")
    widest = max((_text_width(label) for label in x_labels), default=0.0) + 10
    step = max(1, math.ceil(count / max(1, int(plot_width // widest) + 1)))
    for index, label in enumerate(x_labels):
        if (count - 1 - index) % step == 0:
            _el(
                axes,
                "text",
                label,
                x=x_of(index),
                y=bottom + 22,
                text_anchor="middle",
                class_="chart-x-label",
            )

    for index, line in enumerate(series):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        group = _el(root, "g", class_=f"chart-series chart-series--{line.kind}")
        segments: list[list[tuple[float, float]]] = [[]]
        for position, value in enumerate(line.values):
            if value is None:
                segments.append([])
            else:
                segments[-1].append((x_of(position), y_of(value)))
        for segment in segments:
            if len(segment) > 1:
                path = " ".join(
                    f"{'M' if i == 0 else 'L'}{_num(x)} {_num(y)}" for i, (x, y) in enumerate(segment)
                )
                _el(
                    group,
                    "path",
                    d=path,
                    fill="none",
                    stroke=colour,
                    stroke_width=2.5,
                    stroke_dasharray="6 4" if line.kind == "platform" else None,
                    class_="chart-line",
                )
        for position, value in enumerate(line.values):
            if value is not None:
                point_title = f"{line.label}, {x_labels[position]}: {format_number(value, decimals)}"
                _marker(group, line.kind, x_of(position), y_of(value), colour, point_title)

    columns = (x_title or _("Period"), *(_legend_text(line) for line in series))
    rows = tuple(
        TableRow(
            header=label,
            cells=tuple(
                TableCell(column=columns[1 + s], text=format_number(line.values[i], decimals))
                for s, line in enumerate(series)
            ),
        )
        for i, label in enumerate(x_labels)
    )
    return Chart(key, "line", title, _serialise(root), definition, source, "", columns, rows)


# ---------------------------------------------------------------------------------------------------------
# Bar chart
# ---------------------------------------------------------------------------------------------------------

BAR_ROW = 46
BAR_HEIGHT = 16


def bar_chart(
    *,
    key: str,
    title: str,
    bars: Sequence[Bar],
    value_label: str,
    definition: str = "",
    source: str = "",
    decimals: int = 0,
    area_label: str = "",
) -> Chart:
    """One figure for several areas as horizontal bars, each labelled above its bar, its value at its end.

    A missing value (None) is the text "–" without a bar. ``value_label`` heads the table's value column.
    """
    _check_key(key)
    for bar in bars:
        _check_href(bar.href)
    values = [bar.value for bar in bars if bar.value is not None]
    ticks = nice_ticks(min([0.0, *values]), max([0.0, *values]), count=4)
    shown_decimals = tick_decimals(ticks)
    left, right = 4.0, 64.0
    plot_width = WIDTH - left - right
    low, high = ticks[0], ticks[-1]

    def x_of(value: float) -> float:
        return left + (value - low) / (high - low) * plot_width

    top = 8.0
    bottom = top + len(bars) * BAR_ROW
    height = bottom + 30
    desc = _(
        "Bar chart comparing %(count)s areas; “–” means no value. The table below the chart holds every "
        "figure."
    ) % {"count": len(bars)}
    root = _svg(key, height, title, desc, links=any(bar.href for bar in bars))
    axes = _el(root, "g", class_="chart-axes")
    for tick in ticks:
        _el(
            axes,
            "line",
            x1=x_of(tick),
            y1=top,
            x2=x_of(tick),
            y2=bottom,
            stroke=AXIS if tick == 0 else GRID,
            stroke_width=1,
        )
        _el(
            axes,
            "text",
            format_number(tick, shown_decimals),
            x=x_of(tick),
            y=bottom + 20,
            text_anchor="middle",
            class_="chart-tick",
        )
    for number, bar in enumerate(bars):
        y = top + number * BAR_ROW
        shown = format_number(bar.value, decimals)
        group = _linked(root, bar.href)
        _el(group, "title", f"{bar.label}: {shown}")
        _el(group, "text", bar.label, x=left, y=y + 15, font_weight="bold" if bar.highlight else None)
        bar_top = y + 22
        if bar.value is None:
            _el(group, "text", "–", x=x_of(0) + 6, y=bar_top + 13, class_="chart-missing")
            continue
        start, end = sorted((x_of(0), x_of(bar.value)))
        _el(
            group,
            "rect",
            x=start,
            y=bar_top,
            width=max(end - start, 0.0),
            height=float(BAR_HEIGHT),
            fill=BAR_HIGHLIGHT if bar.highlight else BAR_COLOUR,
            class_="chart-bar",
        )
        _el(group, "text", shown, x=end + 6, y=bar_top + 13, class_="chart-value")

    columns = (area_label or pgettext("monitoring", "Area"), value_label)
    rows = tuple(
        TableRow(bar.label, (TableCell(value_label, format_number(bar.value, decimals)),), bar.href)
        for bar in bars
    )
    return Chart(key, "bars", title, _serialise(root), definition, source, "", columns, rows)


# ---------------------------------------------------------------------------------------------------------
# Maps
# ---------------------------------------------------------------------------------------------------------


def _breaks_for(areas: Sequence[Area], breaks: Sequence[float] | None, decimals: int) -> tuple[float, ...]:
    if breaks is None:
        return quantile_breaks([a.value for a in areas if a.value is not None], decimals=decimals)
    if len(breaks) > CLASSES - 1 or list(breaks) != sorted(set(breaks)):
        raise ValueError(f"at most {CLASSES - 1} rising class bounds, not {breaks!r}")
    return tuple(breaks)


def _hatch(root: ET.Element, key: str) -> str:
    defs = _el(root, "defs")
    pattern = _el(
        defs,
        "pattern",
        id=f"{key}-hatch",
        width=6.0,
        height=6.0,
        patternUnits="userSpaceOnUse",
        patternTransform="rotate(45)",
    )
    _el(pattern, "rect", width=6.0, height=6.0, fill=NO_DATA_FILL)
    _el(pattern, "line", x1=0.0, y1=0.0, x2=0.0, y2=6.0, stroke=NO_DATA_LINE, stroke_width=2)
    return f"url(#{key}-hatch)"


def _legend(root: ET.Element, top: float, classes: Sequence[ChartClass], hatch: str) -> float:
    legend = _el(root, "g", class_="chart-legend")
    y = top
    for item in [*classes, None]:
        fill, label = (
            (item.colour, item.label) if item else (hatch, _("no value (–): suppressed or not published"))
        )
        _el(legend, "rect", x=10.0, y=y, width=24.0, height=16.0, fill=fill, stroke=AXIS, stroke_width=1)
        _el(legend, "text", label, x=42.0, y=y + 13)
        y += 24
    return y


def _map_desc(count: int, classes: int, method: str) -> str:
    return _(
        "Map of %(count)s areas in %(classes)s colour classes (%(method)s); hatched grey means no value. The "
        "table below the map holds every figure."
    ) % {"count": count, "classes": classes, "method": method}


def _method(breaks: Sequence[float] | None) -> str:
    if breaks is None:
        return _("quantile classes: each class holds about as many areas")
    return _("fixed class bounds")


def _map_table(
    areas: Sequence[Area],
    classes: Sequence[ChartClass],
    found: tuple[float, ...],
    value_label: str,
    area_label: str,
    decimals: int,
) -> tuple[tuple[str, ...], tuple[TableRow, ...]]:
    columns = (area_label, value_label, _("Class"))
    rows = []
    for area in areas:
        index = class_of(area.value, found, decimals)
        rows.append(
            TableRow(
                area.name,
                (
                    TableCell(value_label, format_number(area.value, decimals)),
                    TableCell(columns[2], "–" if index is None else classes[index].label),
                ),
                area.href,
            )
        )
    return columns, tuple(rows)


def _area_shape(
    parent: ET.Element,
    area: Area,
    classes: Sequence[ChartClass],
    found: tuple[float, ...],
    hatch: str,
    decimals: int,
    tag: str,
    **geometry: object,
) -> ET.Element:
    index = class_of(area.value, found, decimals)
    group = _linked(parent, area.href)
    _el(group, "title", f"{area.name}: {format_number(area.value, decimals)}")
    _el(
        group,
        tag,
        fill=hatch if index is None else classes[index].colour,
        stroke=AXIS,
        stroke_width=1,
        class_="chart-area",
        data_code=area.code,
        data_class="none" if index is None else index,
        **geometry,
    )
    return group


def land_tile_map(
    *,
    key: str,
    title: str,
    areas: Sequence[Area],
    value_label: str,
    definition: str = "",
    source: str = "",
    decimals: int = 0,
    breaks: Sequence[float] | None = None,
) -> Chart:
    """The Länder as a grid of tiles (`LAND_TILES`), each coloured by the class of its value, labelled with
    its abbreviation and value, and a link to ``href``. ``areas``: Land codes "01".."16", each at most once;
    ``breaks``: up to 4 rising inner class bounds, or None for quantile classes."""
    _check_key(key)
    codes = [area.code for area in areas]
    if len(set(codes)) != len(codes) or not set(codes) <= set(LAND_TILES):
        raise ValueError(f"Land codes must be distinct codes 01..16, not {codes!r}")
    for area in areas:
        _check_href(area.href)
    found = _breaks_for(areas, breaks, decimals)
    classes = map_classes(found, decimals)
    tile, gap, left = 80.0, 4.0, 12.0
    rows = 1 + max(row for _iso, _col, row in LAND_TILES.values())
    legend_top = rows * (tile + gap) + 12
    height = legend_top + (len(classes) + 1) * 24 + 4
    root = _svg(
        key,
        height,
        title,
        _map_desc(len(areas), len(classes), _method(breaks)),
        links=any(area.href for area in areas),
    )
    hatch = _hatch(root, key)
    tiles = _el(root, "g", class_="chart-tiles")
    for area in areas:
        iso, column, row = LAND_TILES[area.code]
        x, y = left + column * (tile + gap), 4 + row * (tile + gap)
        index = class_of(area.value, found, decimals)
        group = _area_shape(
            tiles, area, classes, found, hatch, decimals, "rect", x=x, y=y, width=tile, height=tile
        )
        ink = "#ffffff" if index is not None and classes[index].colour == PALETTE[-1] else TEXT
        _el(group, "text", iso, x=x + tile / 2, y=y + 32, text_anchor="middle", font_weight="bold", fill=ink)
        _el(
            group,
            "text",
            format_number(area.value, decimals),
            x=x + tile / 2,
            y=y + 56,
            text_anchor="middle",
            fill=ink,
        )
    _legend(root, legend_top, classes, hatch)
    columns, table = _map_table(areas, classes, found, value_label, _("Land"), decimals)
    return Chart(key, "map", title, _serialise(root), definition, source, _method(breaks), columns, table)


MAP_HEIGHT_MAX = 560
NUMBERED_DOTS = 12


def kreis_map(
    *,
    key: str,
    title: str,
    areas: Sequence[Area],
    value_label: str,
    definition: str = "",
    source: str = "",
    decimals: int = 0,
    breaks: Sequence[float] | None = None,
) -> Chart:
    """Kreise (5-digit ARS) as dots at their representative points (`core.geo.kreis_centroids`), coloured by
    class, each a link to ``href``. A Kreis the postcode table does not know is in the table, not on the map
    (the note says how many). ``breaks`` as for `land_tile_map`."""
    _check_key(key)
    for area in areas:
        _check_href(area.href)
    centroids = geo.kreis_centroids()
    placed = [area for area in areas if area.code in centroids]
    found = _breaks_for(areas, breaks, decimals)
    classes = map_classes(found, decimals)

    points = {area.code: centroids[area.code] for area in placed}
    mean_lat = statistics.fmean(p.lat for p in points.values()) if points else 51.0
    squeeze = math.cos(math.radians(mean_lat))  # a degree of longitude is shorter than one of latitude
    xs = {code: p.lon * squeeze for code, p in points.items()}
    ys = {code: -p.lat for code, p in points.items()}
    span_x = (max(xs.values()) - min(xs.values())) if xs else 0.0
    span_y = (max(ys.values()) - min(ys.values())) if ys else 0.0
    inner = WIDTH - 24
    scale = min(inner / span_x if span_x else math.inf, MAP_HEIGHT_MAX / span_y if span_y else math.inf)
    if math.isinf(scale):
        scale = 1.0
    nearest = [
        min((math.dist((xs[a], ys[a]), (xs[b], ys[b])) for b in xs if b != a), default=math.inf) * scale
        for a in xs
    ]
    radius = min(28.0, max(4.0, statistics.median(nearest) / 2)) if len(nearest) > 1 else 20.0
    pad = radius + 4
    scale = min(
        (WIDTH - 2 * pad) / span_x if span_x else math.inf,
        (MAP_HEIGHT_MAX - 2 * pad) / span_y if span_y else math.inf,
    )
    if math.isinf(scale):
        scale = 1.0
    offset_x = (WIDTH - span_x * scale) / 2
    min_x, min_y = min(xs.values(), default=0.0), min(ys.values(), default=0.0)
    numbered = len(placed) <= NUMBERED_DOTS
    map_height = span_y * scale + 2 * pad
    legend_top = map_height + 12
    height = legend_top + (len(classes) + 1) * 24 + 4 + (8 + len(placed) * 22 if numbered else 0)

    method = _method(breaks)
    root = _svg(
        key,
        height,
        title,
        _map_desc(len(areas), len(classes), method),
        links=any(area.href for area in placed),
    )
    hatch = _hatch(root, key)
    dots = _el(root, "g", class_="chart-dots")
    for number, area in enumerate(placed, start=1):
        x, y = offset_x + (xs[area.code] - min_x) * scale, pad + (ys[area.code] - min_y) * scale
        group = _area_shape(dots, area, classes, found, hatch, decimals, "circle", cx=x, cy=y, r=radius)
        if numbered:  # few dots: each numbered, the numbers named below the legend
            index = class_of(area.value, found, decimals)
            ink = "#ffffff" if index is not None and classes[index].colour == PALETTE[-1] else TEXT
            _el(group, "text", str(number), x=x, y=y + 5, text_anchor="middle", font_weight="bold", fill=ink)
    key_top = _legend(root, legend_top, classes, hatch) + 8
    if numbered:
        names = _el(root, "g", class_="chart-key")
        for number, area in enumerate(placed, start=1):
            _el(names, "text", f"{number} {area.name}", x=10.0, y=key_top + 13 + (number - 1) * 22)
    note = method
    missing = len(areas) - len(placed)
    if missing:
        note += "; " + _("%(count)s areas without coordinates are only in the table") % {"count": missing}
    columns, table = _map_table(areas, classes, found, value_label, _("District"), decimals)
    return Chart(key, "map", title, _serialise(root), definition, source, note, columns, table)
