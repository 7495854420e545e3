"""Official figures (issue #19): the shipped file, and the importer of the tables the offices publish.

The older sample tables in tests/monitoring/data/ carry values of rows of src/ausbildung/data/statistics/figures.csv
(data/SOURCES.md names each); the newer ones carry made-up numbers (data/README.md). All are written in the
offices' layouts, not copied from their files.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction

from ausbildung.core.models import AuditLog
from ausbildung.monitoring import shipped, tables
from ausbildung.monitoring.models import OfficialFigure

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent / "data"
BIBB_XLSX = DATA / "bibb_laender_neue_vertraege.xlsx"
BA_CSV = DATA / "ba_laender_2024.csv"
DESTATIS_CSV = DATA / "destatis_loesungsquote_2023.csv"
BIBB_URL = "https://bibb.de/de/167216.php"
BA_URL = "https://statistik.arbeitsagentur.de/"

Kind = OfficialFigure.Kind
YearKind = OfficialFigure.YearKind


@pytest.fixture(autouse=True)
def without_figures() -> None:
    """The session's demo loaded the shipped figures; each test starts without them (rolled back after)."""
    OfficialFigure.objects.all().delete()


def run(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("monitoring", *args, stdout=out)
    return out.getvalue()


def figure(**lookup: object) -> OfficialFigure:
    return OfficialFigure.objects.get(**lookup)


# --- the shipped figures


def test_load_shipped_reads_every_row_with_source_year_and_kind():
    output = run("load-shipped")
    with shipped.FIGURES_FILE.open(encoding="utf-8") as handle:
        lines = list(csv.DictReader(handle))
    assert OfficialFigure.objects.count() == len(lines) == 209
    assert "209 figures (209 new, 0 corrected, 0 unchanged)" in output
    assert not OfficialFigure.objects.filter(source_url="").exists()
    assert not OfficialFigure.objects.filter(value__isnull=True).exists()
    # BIBB 30.9. count, reporting year; figures.csv: "Ausbildungsplatzangebot,Deutschland,DE,2023,562600,…bibb.de"
    supply = figure(
        indicator="Ausbildungsplatzangebot",
        area_code="DE",
        year=2023,
        source_url="https://bibb.de/ausbildungsmarkt2023",
    )
    assert (supply.value, supply.kind, supply.year_kind) == (
        Decimal("562600"),
        Kind.OFFICIAL,
        YearKind.REPORTING_YEAR,
    )
    # the Destatis count is a calendar-year series of its own
    assert set(
        OfficialFigure.objects.filter(
            indicator="neue_Ausbildungsvertraege_Berufsbildungsstatistik_3112"
        ).values_list("year_kind", flat=True)
    ) == {YearKind.CALENDAR_YEAR}


def test_derived_rows_stay_derived_with_their_formula():
    run("load-shipped")
    derived = OfficialFigure.objects.filter(kind=Kind.DERIVED)
    assert derived.count() == 12
    assert not derived.filter(derived_formula="").exists()
    assert set(derived.values_list("indicator", flat=True)) >= {"Angebots_Nachfrage_Relation_traditionell"}
    anr = derived.get(indicator="Angebots_Nachfrage_Relation_erweitert", year=2024)
    assert anr.value == Decimal("99.8") and "556100 / 557100" in anr.derived_formula
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficialFigure.objects.filter(pk=anr.pk).update(derived_formula="")


def test_responsibility_area_comes_from_the_indicator_suffix():
    run("load-shipped")
    crafts = OfficialFigure.objects.filter(indicator="Vertragsloesungsquote", responsibility_area="Handwerk")
    assert crafts.count() == 2
    assert not OfficialFigure.objects.filter(indicator__contains="__").exists()


def test_load_shipped_is_idempotent_and_audited_once():
    audits = AuditLog.objects.filter(action="monitoring.official_figures_import")
    before = audits.count()
    run("load-shipped")
    output = run("load-shipped")
    assert "0 new, 0 corrected, 209 unchanged" in output
    assert OfficialFigure.objects.count() == 209
    assert audits.count() == before + 1


def test_the_demo_loads_the_shipped_figures():
    shipped.demo_load({}, {})
    assert OfficialFigure.objects.count() == 209


# --- the importer: what it reads


def test_bibb_laender_xlsx_with_rounding_footnote():
    output = run("import", str(BIBB_XLSX), "--source-url", BIBB_URL)
    assert "8 figures (8 new, 0 corrected, 0 unchanged)" in output
    assert "1 indicator(s): neue_Ausbildungsvertraege_BIBB_3009; 4 area(s); years 2023-2024" in output
    assert "rounded to multiples of 3" in output and "ignored columns: 'Veränderung in %'" in output
    nrw = figure(area_code="05", year=2024)
    assert (nrw.value, nrw.area_level, nrw.area_name) == (Decimal("106827"), "land", "Nordrhein-Westfalen")
    assert nrw.rounded_to == 3 and nrw.year_kind == YearKind.REPORTING_YEAR and nrw.kind == Kind.OFFICIAL
    assert nrw.source_title.startswith("Neu abgeschlossene Ausbildungsverträge")  # the table's title row
    # the national total is not rounded by BIBB
    germany = figure(area_code="DE", year=2024)
    assert germany.value == Decimal("486711") and germany.rounded_to is None
    # "." : no number published; kept as the office's sign
    bremen = figure(area_code="04", year=2024)
    assert bremen.value is None and bremen.sign == "."


def test_ba_csv_latin1_with_codes_thousands_dots_and_signs():
    output = run("import", str(BA_CSV), "--source-url", BA_URL, "--year", "2024")
    assert "20 figures (20 new" in output and "5 area(s); years 2024" in output
    thueringen = figure(area_code="16", indicator="BA_gemeldete_Bewerber")
    assert thueringen.area_name == "Thüringen" and thueringen.value == Decimal("7600")
    assert figure(area_code="12", indicator="unversorgte_Bewerber_3009").value == Decimal("1375")
    assert figure(area_code="02", indicator="BA_gemeldete_Berufsausbildungsstellen").value == Decimal("10589")
    blocked = figure(area_code="13", indicator="unversorgte_Bewerber_3009")
    assert blocked.value is None and blocked.sign == "x"
    assert not OfficialFigure.objects.exclude(rounded_to=None).exists()  # no rounding footnote, no option


def test_utf8_bom_csv_with_decimal_comma_and_calendar_year():
    run(
        "import",
        str(DESTATIS_CSV),
        "--source-url",
        "https://www.destatis.de/",
        "--year-kind",
        "calendar_year",
    )
    quota = figure(area_code="08", indicator="Vertragsloesungsquote")
    assert (quota.value, quota.unit, quota.year, quota.year_kind) == (
        Decimal("26.3"),
        "percent",
        2023,
        YearKind.CALENDAR_YEAR,
    )
    assert figure(area_code="DE").value == Decimal("29.7")


def test_secondary_option_marks_the_figures_secondary():
    run(
        "import",
        str(DESTATIS_CSV),
        "--source-url",
        "https://biaj.de/",
        "--year-kind",
        "calendar_year",
        "--secondary",
    )
    assert set(OfficialFigure.objects.values_list("kind", flat=True)) == {Kind.SECONDARY}


def test_reimport_is_idempotent_and_a_corrected_table_corrects(tmp_path):
    run("import", str(BA_CSV), "--source-url", BA_URL, "--year", "2024")
    again = run("import", str(BA_CSV), "--source-url", BA_URL, "--year", "2024")
    assert "0 new, 0 corrected, 20 unchanged" in again
    assert OfficialFigure.objects.count() == 20
    revised = tmp_path / "ba_laender_2024.csv"
    revised.write_bytes(BA_CSV.read_bytes().replace(b"02 Hamburg;7.038", b"02 Hamburg;7.041"))
    output = run("import", str(revised), "--source-url", BA_URL, "--year", "2024")
    assert "0 new, 1 corrected, 19 unchanged" in output
    assert figure(area_code="02", indicator="BA_gemeldete_Bewerber").value == Decimal("7041")
    # the same table from another source is another figure (kept for traceability)
    run("import", str(BA_CSV), "--source-url", "https://example.org/elsewhere", "--year", "2024")
    assert OfficialFigure.objects.count() == 40


# --- the importer: what it refuses


@pytest.mark.parametrize(
    ("name", "args", "message"),
    [
        ("not_a_workbook.xlsx", [], "not_a_workbook.xlsx is not a readable Excel workbook (.xlsx)"),
        ("no_header.csv", [], "no_header.csv: no known table header"),
        (
            "not_a_number.csv",
            [],
            "not_a_number.csv, row 3, column 'Unbesetzte Ausbildungsstellen 2024': 'viele' is not a number",
        ),
        ("ba_laender_2024.csv", [], "no year in the header 'Gemeldete Bewerber'; give --year"),
        ("missing.csv", [], "cannot read"),
    ],
)
def test_refusals_are_one_line_and_write_nothing(name, args, message):
    with pytest.raises(CommandError) as refused:
        run("import", str(DATA / name), "--source-url", BA_URL, *args)
    assert message in str(refused.value) and "\n" not in str(refused.value)
    assert not OfficialFigure.objects.exists()


def test_a_table_with_an_unknown_area_is_refused(tmp_path):
    table = tmp_path / "areas.csv"
    table.write_text(
        "Land;Unbesetzte Ausbildungsstellen 2024\nHamburg;1.240\nAtlantis;12\n", encoding="utf-8"
    )
    with pytest.raises(CommandError, match=r"areas.csv, row 3: unknown area 'Atlantis'"):
        run("import", str(table), "--source-url", BA_URL)
    assert not OfficialFigure.objects.exists()


@pytest.mark.parametrize(
    ("cell", "value", "sign"),
    [
        ("1.234", Decimal(1234), ""),
        ("12,5", Decimal("12.5"), ""),
        ("1.234.567", Decimal(1234567), ""),
        ("-", Decimal(0), "-"),  # "nothing": exactly zero in the offices' Zeichenerklärung
        ("–", Decimal(0), "–"),
        (".", None, "."),
        ("x", None, "x"),
        ("/", None, "/"),
        ("…", None, "…"),
        ("*", None, "*"),
        (123, Decimal(123), ""),
        (12.5, Decimal("12.5"), ""),
    ],
)
def test_cells_as_the_offices_print_them(cell, value, sign):
    assert tables._value(cell, Path("t.csv"), 2, "h") == (value, sign)


@pytest.mark.parametrize("cell", ["12.5", "1,234.5", "viele", "", None, "3 %"])
def test_cells_that_are_not_numbers_are_refused(cell):
    with pytest.raises(tables.TableError, match="not a number or a sign of the office"):
        tables._value(cell, Path("t.csv"), 2, "h")


def test_the_command_line_refusal_is_one_line(tmp_path):
    """`ausbildung monitoring import` ends like every command: `ausbildung: error: …`, non-zero exit."""
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "SECRET_KEY": "test-secret-key-x",
        "PATH": "",
    }
    result = subprocess.run(
        [sys.executable, "-m", "ausbildung.cli", "monitoring", "import", str(DATA / "no_header.csv"), "--source-url", BA_URL],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ausbildung: error: no_header.csv: no known table header")


@pytest.mark.parametrize(
    "footnote",
    [
        "1) Die Werte der Länder sind auf ein Vielfaches von 3 gerundet.",
        "Aus Datenschutzgründen auf Vielfache von drei gerundet",
    ],
)
def test_a_rounding_footnote_marks_the_laender_counts(tmp_path, footnote):
    table = tmp_path / "rounded.csv"
    table.write_text(
        f"Land;Neu abgeschlossene Ausbildungsverträge 2023\nBremen;5.535\nDeutschland;489.183\n\n{footnote}\n",
        encoding="utf-8",
    )
    read = tables.read_table(table, tables.TableOptions(source_url=BIBB_URL))
    assert read.rounded_to == 3
    assert [(row.area_code, row.value, row.rounded_to) for row in read.rows] == [
        ("04", Decimal(5535), 3),
        ("DE", Decimal(489183), None),
    ]


# --- the importer: the offices' layouts (sample tables with made-up numbers, data/README.md)

BIBB_3009_CSV = DATA / "bibb_erhebung_3009_laender.csv"
BA_MARKT_CSV = DATA / "ba_ausbildungsmarkt_laender.csv"
GENESIS_CSV = DATA / "destatis_genesis_neue_vertraege.csv"
KREISE_CSV = DATA / "kreise_zustaendigkeit_2024.csv"
WORKBOOK = DATA / "bibb_berufe_zustaendigkeit.xlsx"
DESTATIS_URL = "https://www-genesis.destatis.de/"


def values(**lookup: object) -> list[tuple[object, ...]]:
    return list(
        OfficialFigure.objects.filter(**lookup)
        .order_by("area_code", "year", "indicator")
        .values_list("area_code", "year", "value", "sign", "rounded_to")
    )


def test_bibb_laender_table_with_two_header_rows_rounding_note_and_signs():
    output = run("import", str(BIBB_3009_CSV), "--source-url", BIBB_URL)
    assert (
        "bibb_erhebung_3009_laender.csv: read 5 rows, 20 figures; years 2023-2024; areas de, land; "
        "indicators neue_Ausbildungsvertraege_BIBB_3009, unbesetzte_Ausbildungsstellen_3009"
    ) in output
    assert "20 figures (20 new, 0 corrected, 0 unchanged)" in output
    assert "ignored columns: 'Veränderung 2024 gegenüber 2023 in %'" in output
    new = values(indicator="neue_Ausbildungsvertraege_BIBB_3009")
    assert new == [
        ("01", 2023, Decimal(12345), "", 3),
        ("01", 2024, Decimal(12201), "", 3),
        ("02", 2023, Decimal(9876), "", 3),
        ("02", 2024, Decimal(9903), "", 3),  # "9.903¹": the footnote mark is not part of the number
        ("04", 2023, Decimal(4404), "", 3),  # "Bremen 1)" is Bremen
        ("04", 2024, Decimal(4311), "", 3),
        ("10", 2023, Decimal(5034), "", 3),  # "5 034": thousands space
        ("10", 2024, Decimal(4998), "", 3),
        ("DE", 2023, Decimal(470000), "", None),  # the national total is not marked (nor checked)
        ("DE", 2024, Decimal(471001), "", None),
    ]
    unfilled = values(indicator="unbesetzte_Ausbildungsstellen_3009", value__isnull=True)
    assert [(code, year, sign) for code, year, _value, sign, _r in unfilled] == [
        ("02", 2024, "."),
        ("04", 2024, "/"),
        ("10", 2023, "x"),
        ("DE", 2023, "…"),
        ("DE", 2024, "…"),
    ]
    saarland = figure(indicator="unbesetzte_Ausbildungsstellen_3009", area_code="10", year=2024)
    assert (saarland.value, saarland.area_level, saarland.area_name) == (Decimal(282), "land", "Saarland")
    assert saarland.year_kind == YearKind.REPORTING_YEAR
    assert saarland.source_title.startswith("Tabelle 1: Neu abgeschlossene Ausbildungsverträge")


def test_a_rounded_table_with_a_count_that_is_not_a_multiple_of_3_is_refused(tmp_path):
    table = tmp_path / "bibb.csv"
    table.write_bytes(BIBB_3009_CSV.read_bytes().replace(b"12.345", b"12.346"))
    with pytest.raises(CommandError) as refused:
        run("import", str(table), "--source-url", BIBB_URL)
    assert str(refused.value) == (
        "bibb.csv, row 6, column '2023 Neu abgeschlossene Ausbildungsverträge': 12.346 is not a multiple of 3, "
        "though the table says its counts are rounded to multiples of 3"
    )
    assert not OfficialFigure.objects.exists()


def test_ba_market_table_with_key_column_reporting_year_and_footnote_marks():
    output = run("import", str(BA_MARKT_CSV), "--source-url", BA_URL)
    assert "read 4 rows, 12 figures; years 2025; areas de, land" in output
    assert "5 footnote line(s) read" in output
    assert figure(indicator="BA_gemeldete_Bewerber", area_code="06").value == Decimal(24876)  # "24.876¹"
    assert figure(indicator="BA_gemeldete_Berufsausbildungsstellen", area_code="01").value == Decimal(11250)
    assert figure(indicator="BA_gemeldete_Berufsausbildungsstellen", area_code="09").value == Decimal(69480)
    germany = figure(indicator="unversorgte_Bewerber_3009", area_code="DE")
    assert (germany.value, germany.year, germany.area_level) == (Decimal(12345), 2025, "de")  # "12.345 2)"
    hessen = figure(indicator="unversorgte_Bewerber_3009", area_code="06")
    assert (hessen.value, hessen.sign, hessen.area_name) == (None, "*", "Hessen")
    assert not OfficialFigure.objects.exclude(rounded_to=None).exists()
    assert not OfficialFigure.objects.exclude(year=2025).exists()


def test_genesis_csv_latin1_with_title_lines_stand_line_and_signs():
    output = run("import", str(GENESIS_CSV), "--source-url", DESTATIS_URL, "--year-kind", "calendar_year")
    assert "read 5 rows, 10 figures; years 2022-2023" in output
    indicator = "neue_Ausbildungsvertraege_Berufsbildungsstatistik_3112"
    assert values(indicator=indicator, area_code__in=["08", "11", "14", "16"]) == [
        ("08", 2022, Decimal(69990), "", None),
        ("08", 2023, Decimal(70512), "", None),
        ("11", 2022, Decimal(15003), "", None),
        ("11", 2023, Decimal(0), "-", None),  # "-": nothing, exactly zero
        ("14", 2022, None, ".", None),
        ("14", 2023, Decimal(18210), "", None),
        ("16", 2022, Decimal(9876), "", None),
        ("16", 2023, Decimal(9401), "", None),
    ]
    assert figure(area_code="16", year=2023).area_name == "Thüringen"  # Latin-1 read
    assert set(OfficialFigure.objects.values_list("year_kind", flat=True)) == {YearKind.CALENDAR_YEAR}


def test_kreis_table_with_zustaendigkeitsbereich_columns():
    output = run("import", str(KREISE_CSV), "--source-url", DESTATIS_URL, "--year-kind", "calendar_year")
    assert "read 3 rows, 9 figures; years 2024; areas kreis, land; by Zuständigkeitsbereich" in output
    munich = OfficialFigure.objects.filter(area_code="09162")
    assert {(f.responsibility_area, f.value) for f in munich} == {
        ("Industrie und Handel", Decimal(6012)),
        ("Handwerk", Decimal(1830)),
        ("", Decimal(8100)),  # "Insgesamt 1)": the total over every Zuständigkeitsbereich
    }
    assert {(f.area_level, f.area_name) for f in munich} == {("kreis", "München, Landeshauptstadt")}
    bayern = figure(area_code="09", responsibility_area="Handwerk")
    assert (bayern.area_level, bayern.area_name, bayern.value) == ("land", "Bayern", Decimal(15000))


def test_workbook_every_sheet_that_is_a_table_and_the_sheet_skipped():
    output = run("import", str(WORKBOOK), "--source-url", BIBB_URL)
    lines = output.splitlines()
    assert lines[0] == (
        "bibb_berufe_zustaendigkeit.xlsx, sheet 'Berufe': read 4 rows, 8 figures; years 2023-2024; areas land; "
        "by occupation; indicators neue_Ausbildungsvertraege_BIBB_3009"
    )
    assert lines[1] == (
        "bibb_berufe_zustaendigkeit.xlsx, sheet 'Zuständigkeitsbereiche': read 5 rows, 10 figures; "
        "years 2023-2024; areas de; by Zuständigkeitsbereich; indicators Vertragsloesungsquote"
    )
    assert lines[2].startswith(
        "bibb_berufe_zustaendigkeit.xlsx, sheet 'Erläuterungen': skipped, no known table header"
    )
    assert "18 figures (18 new, 0 corrected, 0 unchanged)" in output
    # by occupation, in the Land the title names; rounded to 3 as the sheet's note says
    mechatronics = OfficialFigure.objects.filter(occupation_code="26112").order_by("year")
    assert [(f.year, f.value, f.rounded_to) for f in mechatronics] == [
        (2023, Decimal(1023), 3),
        (2024, Decimal(1026), 3),
    ]
    assert {(f.area_level, f.area_code, f.occupation_name) for f in mechatronics} == {
        ("land", "03", "Mechatroniker/-in")
    }
    office = figure(occupation_code="71402", year=2024)  # code as a number cell, value "2 514²"
    assert (office.value, office.occupation_name) == (Decimal(2514), "Kaufmann/-frau für Büromanagement")
    assert figure(occupation_code="82232", year=2023).sign == "."
    total = figure(indicator="neue_Ausbildungsvertraege_BIBB_3009", occupation_code="", year=2024)
    assert (total.area_code, total.value, total.rounded_to) == ("03", Decimal(10002), 3)
    # by Zuständigkeitsbereich: the indicator from the title, percent with decimal comma, not rounded
    crafts = OfficialFigure.objects.filter(indicator="Vertragsloesungsquote", responsibility_area="Handwerk")
    assert [(f.year, f.value, f.sign, f.unit, f.rounded_to) for f in crafts.order_by("year")] == [
        (2023, Decimal("33.0"), "", "percent", None),
        (2024, None, "/", "percent", None),
    ]
    assert figure(indicator="Vertragsloesungsquote", responsibility_area="", year=2024).value == Decimal(
        "29.9"
    )
    assert figure(responsibility_area="Öffentlicher Dienst", year=2024).area_code == "DE"


def test_workbook_named_sheet_only():
    output = run("import", str(WORKBOOK), "--source-url", BIBB_URL, "--sheet", "Zuständigkeitsbereiche")
    assert "sheet 'Berufe'" not in output and "skipped" not in output
    assert OfficialFigure.objects.count() == 10
    assert set(OfficialFigure.objects.values_list("indicator", flat=True)) == {"Vertragsloesungsquote"}


def test_reimport_of_the_samples_is_idempotent():
    for path, extra in [
        (BIBB_3009_CSV, []),
        (WORKBOOK, []),
        (GENESIS_CSV, ["--year-kind", "calendar_year"]),
        (KREISE_CSV, ["--year-kind", "calendar_year"]),
    ]:
        first = run("import", str(path), "--source-url", DESTATIS_URL, *extra)
        count = OfficialFigure.objects.count()
        again = run("import", str(path), "--source-url", DESTATIS_URL, *extra)
        created = int(first.split(" new,")[0].rsplit("(", 1)[1])
        assert f"(0 new, 0 corrected, {created} unchanged)" in again
        assert OfficialFigure.objects.count() == count


def _workbook(path: Path, *sheets: tuple[str, list[list[object]]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


GOOD_SHEET = ("Länder", [["Land", "Unbesetzte Ausbildungsstellen 2024"], ["Hamburg", 1240]])


@pytest.mark.parametrize(
    ("name", "content", "args", "message"),
    [
        (
            "header.csv",
            "Land;Neu abgeschlossene Ausbildungsverträge 2024;Durchschnittsalter 2024\nHamburg;1.200;19,8\n",
            [],
            "header.csv: unknown header 'Durchschnittsalter 2024' (not an indicator this importer knows)",
        ),
        (
            "units.csv",
            "Land;Neu abgeschlossene Ausbildungsverträge 2024 in %\nHamburg;1,2\n",
            [],
            "units.csv: mixed units, the column 'Neu abgeschlossene Ausbildungsverträge 2024 in %' is in percent "
            "but names a count",
        ),
        (
            "thousands.csv",
            "Angaben in 1.000\nLand;Unbesetzte Ausbildungsstellen 2024\nHamburg;1,2\n",
            [],
            "thousands.csv: the table gives its values in thousands; only counts as printed are read",
        ),
        (
            "percent_cell.csv",
            "Land;Unbesetzte Ausbildungsstellen 2024\nHamburg;3 %\n",
            [],
            "percent_cell.csv, row 2, column 'Unbesetzte Ausbildungsstellen 2024': '3 %' is not a number or a "
            "sign of the office",
        ),
        (
            "no_year.csv",
            "Land;Unbesetzte Ausbildungsstellen\nHamburg;1.240\n",
            [],
            "no_year.csv: no year in the header 'Unbesetzte Ausbildungsstellen'; give --year",
        ),
        ("figures.pdf", "%PDF-1.4", [], "figures.pdf: unknown format '.pdf'; give a .csv (semicolons) or .xlsx"),
        ("figures.xls", "x", [], "figures.xls: unknown format '.xls'"),
        ("empty.csv", "  \n", [], "empty.csv is empty"),
        (
            "kreise.csv",
            "Kreis;Unbesetzte Ausbildungsstellen 2024\n99001 Nirgendwo;12\n",
            [],
            "kreise.csv, row 2: unknown area '99001 Nirgendwo'",
        ),
        (
            "berufe.csv",
            "Beruf;Unbesetzte Ausbildungsstellen 2024\nMechatroniker/-in;12\n",
            [],
            "berufe.csv, row 2: unknown occupation (no code) 'Mechatroniker/-in'",
        ),
        (
            "bereiche.csv",
            "Zuständigkeitsbereich;Vertragslösungsquote 2024\nBergbau;12,0\n",
            [],
            "bereiche.csv, row 2: unknown Zuständigkeitsbereich 'Bergbau'",
        ),
        ("sheet.csv", "Land;Unbesetzte Ausbildungsstellen 2024\nHamburg;1\n", ["--sheet", "Länder"],
         "sheet.csv is a CSV file; --sheet applies to XLSX workbooks only"),
    ],
)  # fmt: skip
def test_refusals_of_the_offices_layouts_are_one_line_and_save_nothing(
    tmp_path, name, content, args, message
):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        run("import", str(path), "--source-url", BA_URL, *args)
    assert str(refused.value).startswith(message) and "\n" not in str(refused.value)
    assert not OfficialFigure.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        # DOS code page 850 ("ü" is 0x81): neither UTF-8 nor Windows-1252, control characters in Latin-1
        (
            "Land;Unbesetzte Ausbildungsstellen 2024\nTh\x81ringen;1.400\n".encode("latin-1"),
            "table.csv: the encoding is not UTF-8, Windows-1252 or Latin-1; save it in one of them",
        ),
        (
            "Land;Unbesetzte Ausbildungsstellen 2024\nHamburg;1\n".encode("utf-16"),
            "table.csv is UTF-16; save it as UTF-8, Windows-1252 or Latin-1",
        ),
        (
            b"\xef\xbb\xbfLand;Unbesetzte 2024\nTh\xfcringen;1\n",
            "table.csv starts as UTF-8 but is not valid UTF-8",
        ),
        (b"PK\x03\x04rest", "table.csv is a workbook, not CSV text; name it .xlsx"),
    ],
)
def test_encodings_that_are_not_read_are_refused(tmp_path, content, message):
    path = tmp_path / "table.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError) as refused:
        run("import", str(path), "--source-url", BA_URL)
    assert str(refused.value) == message
    assert not OfficialFigure.objects.exists()


def test_a_workbook_with_one_bad_sheet_saves_nothing(tmp_path):
    book = _workbook(
        tmp_path / "book.xlsx",
        GOOD_SHEET,
        ("Kreise", [["Kreis", "Unbesetzte Ausbildungsstellen 2024"], ["09162 München", "viele"]]),
    )
    with pytest.raises(CommandError) as refused:
        run("import", str(book), "--source-url", BA_URL)
    assert str(refused.value).startswith(
        "book.xlsx, sheet 'Kreise', row 2, column 'Unbesetzte Ausbildungsstellen 2024': 'viele' is not a number"
    )
    assert not OfficialFigure.objects.exists()


def test_a_workbook_without_a_table_or_without_the_named_sheet_is_refused(tmp_path):
    notes = _workbook(tmp_path / "notes.xlsx", ("Hinweise", [["Nur Text"]]), ("Leer", []))
    with pytest.raises(CommandError) as refused:
        run("import", str(notes), "--source-url", BA_URL)
    assert str(refused.value).startswith(
        "notes.xlsx: no sheet holds a table this importer reads ('Hinweise': no known table header"
    )
    assert "'Leer': empty)" in str(refused.value)
    book = _workbook(tmp_path / "book.xlsx", GOOD_SHEET)
    with pytest.raises(CommandError, match=r"^book.xlsx: no sheet named 'Kreise' \(sheets: 'Länder'\)$"):
        run("import", str(book), "--source-url", BA_URL, "--sheet", "Kreise")
    assert not OfficialFigure.objects.exists()
    run("import", str(book), "--source-url", BA_URL, "--sheet", "Länder")
    assert figure(area_code="02").value == Decimal(1240)


def test_the_command_line_refuses_an_encoding_in_one_line(tmp_path):
    table = tmp_path / "dos.csv"
    table.write_bytes("Land;Unbesetzte Ausbildungsstellen 2024\nTh\x81ringen;1.400\n".encode("latin-1"))
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "SECRET_KEY": "test-secret-key-x",
        "PATH": "",
    }
    result = subprocess.run(
        [sys.executable, "-m", "ausbildung.cli", "monitoring", "import", str(table), "--source-url", BA_URL],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "ausbildung: error: dos.csv: the encoding is not UTF-8, Windows-1252 or Latin-1; save it in one of them"
    ]


@pytest.mark.parametrize(
    ("title", "total", "area"),
    [
        ("Ausbildungsstellen in Bayern nach Kreisen (Testdaten)", "Insgesamt", ("land", "09")),
        ("Ausbildungsstellen nach Kreisen (Testdaten)", "Bayern insgesamt", ("land", "09")),
        ("Ausbildungsstellen nach Kreisen (Testdaten)", "Insgesamt", ("de", "DE")),
    ],
)
def test_the_total_row_of_a_kreis_table_is_the_land_its_title_names(tmp_path, title, total, area):
    table = tmp_path / "kreise.csv"
    table.write_text(
        f"{title}\n\nKreis;Unbesetzte Ausbildungsstellen 2024\n09162 München;120\n{total};930\n",
        encoding="utf-8",
    )
    read = tables.read_table(table, tables.TableOptions(source_url=BA_URL))
    assert [(row.area_level, row.area_code, row.value) for row in read.rows] == [
        ("kreis", "09162", Decimal(120)),
        (*area, Decimal(930)),
    ]
