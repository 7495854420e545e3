"""The table model of the monitoring pages (monitoring.report): CSV holds the shown texts, XLSX the raw numbers,
JSON the raw values; text that a spreadsheet would run as a formula stays text; sheet names are valid."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest
from django.template.loader import render_to_string

from ausbildung.monitoring.report import (
    Column,
    Source,
    Table,
    count_cell,
    ratio_cell,
    sheet_names,
    text_cell,
    to_csv_bytes,
    to_json,
    to_xlsx_bytes,
    year_cell,
)


def sample(key: str = "sample", title: str = "Stichprobe") -> Table:
    return Table(
        key=key,
        title=title,
        caption="Eine Beispieltabelle",
        columns=[
            Column("figure", "Kennzahl", "text"),
            Column("year", "Jahr", "year"),
            Column("count", "Anzahl", "count"),
            Column("ratio", "ANR", "ratio"),
        ],
        rows=[
            [text_cell("neue Verträge"), year_cell(2024), count_cell(486711, "a"), ratio_cell(107.44, "d")],
            [text_cell("=cmd|' /C calc'!A0"), year_cell(2023), count_cell(None), ratio_cell(None)],
            [text_cell("@SUM(1)"), year_cell(2022), count_cell(0), ratio_cell(99.96)],
        ],
        notes=["a: amtlich", '=HYPERLINK("https://example.org")'],
        sources=[Source("https://www.bibb.de/datenreport", "BIBB-Datenreport", 2024)],
        as_of="2026-12-07",
    )


def test_cells_show_german_numbers():
    assert count_cell(486711).shown == "486.711"
    assert count_cell(486711, "a").text == "486.711 a"
    assert ratio_cell(107.44).shown == "107,4" and ratio_cell(107.44).raw == 107.4
    assert ratio_cell(1234.56).shown == "1.234,6"
    assert count_cell(None).shown == "–" and count_cell(None).raw is None
    assert year_cell(2024).shown == "2024"


def test_csv_holds_the_shown_texts_and_neutralises_formulas():
    rows = list(csv.reader(io.StringIO(to_csv_bytes(sample()).decode("utf-8")), delimiter=";"))
    assert rows[0] == ["\ufeffKennzahl", "Jahr", "Anzahl", "ANR"]
    assert rows[1] == ["neue Verträge", "2024", "486.711 a", "107,4 d"]
    assert rows[2] == ["'=cmd|' /C calc'!A0", "2023", "–", "–"]
    assert rows[3] == ["'@SUM(1)", "2022", "0", "100,0"]
    assert rows[4] == []
    assert rows[5:] == [
        ["a: amtlich"],
        ['\'=HYPERLINK("https://example.org")'],
        ["Quellen:"],
        ["BIBB-Datenreport (2024): https://www.bibb.de/datenreport"],
        ["Stand: 2026-12-07"],
    ]


def test_xlsx_holds_the_raw_values_cell_by_cell():
    table = sample()
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes([table]))).active
    assert sheet.title == "Stichprobe"
    assert sheet["A1"].value == "Stichprobe" and sheet["A1"].font.bold
    assert [c.value for c in sheet[2]] == ["Kennzahl", "Jahr", "Anzahl", "ANR"]
    assert all(c.font.bold for c in sheet[2])
    for row_index, row in enumerate(table.rows, start=3):
        for column_index, cell in enumerate(row, start=1):
            got = sheet.cell(row=row_index, column=column_index).value
            expected = "–" if cell.raw is None else cell.raw
            assert got == expected, (row_index, column_index)
    assert sheet["C3"].number_format == '#,##0" a"'
    assert sheet["D3"].number_format == '0.0" d"'
    assert sheet["D5"].number_format == "0.0" and sheet["C5"].number_format == "#,##0"
    assert sheet["B3"].number_format == "0"
    assert sheet.freeze_panes == "B3"
    assert sheet.column_dimensions["A"].width > 8
    below = [sheet.cell(row=r, column=1).value for r in range(7, 12)]
    assert below == [
        "a: amtlich",
        '=HYPERLINK("https://example.org")',
        "Quellen:",
        "BIBB-Datenreport (2024): https://www.bibb.de/datenreport",
        "Stand: 2026-12-07",
    ]


def test_xlsx_text_starting_like_a_formula_stays_text():
    content = to_xlsx_bytes([sample()])
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml  # no formula anywhere
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet["A4"].value == "=cmd|' /C calc'!A0" and sheet["A4"].data_type == "s"
    assert sheet["A4"].quotePrefix


def test_sheet_names_are_valid_and_unique():
    long = "Nordrhein-Westfalen: Ausbildungsmarkt [vorläufig]?"
    names = sheet_names(["Bremen", "bremen", "Bremen", long, long, "", "a/b\\c*d"])
    assert names[:3] == ["Bremen", "bremen (2)", "Bremen (3)"]
    assert names[3] == "Nordrhein-Westfalen- Ausbildung"
    assert names[4] == "Nordrhein-Westfalen- Ausbil (2)"
    assert all(len(name) <= 31 for name in names)
    assert names[5] == "Tabelle" and names[6] == "a-b-c-d"
    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes([sample(title=t) for t in [long, long]])))
    assert workbook.sheetnames == names[3:5]


def test_json_has_raw_values_and_null_for_suppressed():
    data = to_json(sample())
    assert [c["kind"] for c in data["columns"]] == ["text", "year", "count", "ratio"]
    assert data["rows"][0] == {"figure": "neue Verträge", "year": 2024, "count": 486711, "ratio": 107.4}
    assert data["rows"][1]["count"] is None and data["rows"][1]["ratio"] is None
    assert data["shown"][1]["count"] == "–"
    assert data["markers"][0] == {"count": "a", "ratio": "d"} and data["markers"][1] == {}
    assert data["sources"] == [
        {"url": "https://www.bibb.de/datenreport", "title": "BIBB-Datenreport", "year": 2024}
    ]
    assert data["as_of"] == "2026-12-07"


@pytest.mark.parametrize("with_links", [True, False])
def test_the_include_renders_an_accessible_stacking_table(with_links):
    links = {"csv_url": "/x/sample.csv", "xlsx_url": "/x/sample.xlsx"} if with_links else {}
    html = render_to_string("monitoring/_table.html", {"table": sample(), **links})
    assert "<caption" in html and "Eine Beispieltabelle" in html
    assert html.count('scope="col"') == 4 and html.count('scope="row"') == 3
    assert "table-stack" in html and 'data-label="Anzahl"' in html
    assert "486.711 <sup>a</sup>" in html
    assert 'href="https://www.bibb.de/datenreport"' in html and "(2024)" in html
    assert "Stand: 07.12.2026" in html
    assert ('href="/x/sample.csv"' in html) is with_links and ('href="/x/sample.xlsx"' in html) is with_links


def test_the_rows_escape_every_text_and_link():
    table = Table(
        key="t",
        title="T",
        caption="T",
        columns=[Column("name", 'Name "<b>"'), Column("n", "Anzahl", "count")],
        rows=[[text_cell("<script>alert(1)</script>"), count_cell(1234, marker="<i>")]],
        links=['/x/?a=1&b="2"'],
    )
    body = str(table.body_html)
    assert "<script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert 'href="/x/?a=1&amp;b=&quot;2&quot;"' in body
    assert 'data-label="Name &quot;&lt;b&gt;&quot;"' in body
    assert "<td" in body and ">1.234 <sup>&lt;i&gt;</sup></td>" in body
