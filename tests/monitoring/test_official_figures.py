"""Official figures (issue #19): the shipped file, and the importer of the tables the offices publish.

The sample tables in tests/monitoring/data/ carry values of rows of src/ausbildung/data/statistics/figures.csv
(data/SOURCES.md names each); they are written in the offices' formats, not copied from their files.
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
        ("-", None, "-"),
        ("–", None, "–"),
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
