"""docs/domain.md lists every legal rule the platform applies: its paragraph, where in the code, which test.

A row whose code or test does not exist fails here, so the table cannot drift from the code; and a paragraph
that a rules module (a module holding nothing but legal rules, RULE_MODULES) cites without a row fails too.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = ROOT / "docs" / "domain.md"


def rule_rows() -> list[tuple[str, str, str, str]]:
    """Rows of the four-column tables (| rule | paragraph | code | test |) under "## Rules used in the code"."""
    text = DOMAIN.read_text(encoding="utf-8")
    section = text.split("## Rules used in the code", 1)[1].split("\n## ", 1)[0]
    rows = []
    header = False
    for line in section.splitlines():
        if line.startswith("| rule | paragraph | code | test |"):
            header = True
            continue
        if not line.startswith("|"):
            header = False
            continue
        if header and not line.startswith("|---"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            assert len(cells) == 4, line
            rows.append(tuple(cells))
    return rows


def names(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


def resolve(dotted: str) -> object:
    """`app.module.name[.attr]` below `ausbildung`, e.g. `records.worktime.check_week`; also a template
    (`core/contract_detail.html`) or a name defined in a test file (`tests/test_law_quotes.py::QUOTES`)."""
    if dotted.endswith(".html"):
        from django.template.loader import get_template

        return get_template(dotted)
    if "::" in dotted:
        path, _, name = dotted.partition("::")
        assert name in defined_in(ROOT / path), dotted
        return name
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module("ausbildung." + ".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ModuleNotFoundError(dotted)


def defined_in(file: Path) -> set[str]:
    """Functions, classes and assigned names of a Python file."""
    found = set()
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            found.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            found.update(target.id for target in targets if isinstance(target, ast.Name))
    return found


def test_tables_have_rows():
    assert len(rule_rows()) >= 10


@pytest.mark.parametrize("row", rule_rows(), ids=lambda row: row[1][:40])
def test_each_rule_row_names_real_code_and_a_real_test(row):
    rule, paragraph, code, tests = row
    # "—": a row that is no legal rule (e.g. impossible input); it still names its code and its test.
    assert rule and (paragraph == "—" or re.search(r"§|Art\.", paragraph)), row
    assert names(code), f"no code named: {row}"
    for dotted in names(code):
        resolve(dotted)
    assert names(tests), f"no test named: {row}"
    for test in names(tests):
        path, _, name = test.partition("::")
        file = ROOT / path
        assert file.is_file(), test
        assert name.split("::")[0].split("[")[0] in defined_in(file), test


# Modules that hold mostly legal rules: each paragraph they cite must have a row (or be listed in NOT_APPLIED).
RULE_MODULES = [
    "src/ausbildung/records/worktime.py",
    "src/ausbildung/offers/pay.py",
    "src/ausbildung/core/chambers.py",
]
LAWS = ("JArbSchG", "BBiG", "ArbZG", "HwO")
CITATION = re.compile(r"(?:JArbSchG|BBiG|ArbZG|HwO) § \d+[a-z]?(?: Abs\. \d+[a-z]?)?")
# Paragraphs the rules modules cite to say what they do NOT check (docs/domain.md, "Not checked" under the
# working-time table): they need start and end times, or cannot be known from the record.
NOT_APPLIED = {
    "JArbSchG § 11": "rest breaks",
    "JArbSchG § 12": "shift time",
    "JArbSchG § 13": "daily rest",
    "JArbSchG § 14": "night rest",
    "JArbSchG § 21": "emergencies",
    "JArbSchG § 8 Abs. 2": "averaging over weeks",
    "ArbZG § 4": "rest breaks",
    "ArbZG § 5": "daily rest",
    "ArbZG § 7": "deviations by collective agreement",
    "ArbZG § 14": "emergencies",
}
TOKEN = re.compile(
    r"(?P<law>JArbSchG|BBiG|ArbZG|HwO|BGB)"
    r"|§§?\s*(?P<first>\d+)(?P<letter>[a-z]?)(?:\s*[–-]\s*(?P<last>\d+))?"
    r"|Abs\.\s*(?P<abs>\d+[a-z]?(?:\s*(?:,|and|–|-)\s*\d+[a-z]?\b)*)"
)


def tabled_paragraphs(cells: list[str]) -> set[tuple[str, str, str]]:
    """(law, §, Abs. or "") of paragraph cells such as "ArbZG § 9 Abs. 1, § 10" or "BBiG §§ 71–75"."""
    found: set[tuple[str, str, str]] = set()
    for cell in cells:
        law, numbers, whole = "", [], False
        for match in TOKEN.finditer(cell):
            if match["law"]:
                law = match["law"]
            elif match["first"]:
                if whole:
                    found.update((law_of, number, "") for law_of, number in numbers)
                first = int(match["first"])
                last = int(match["last"] or first)
                numbers = [(law, f"{n}{match['letter']}") for n in range(first, last + 1)]
                whole = True
            elif numbers:
                whole = False
                for part in re.split(r"\s*(?:,|and)\s*", match["abs"]):
                    bounds = re.split(r"\s*[–-]\s*", part)
                    if len(bounds) == 2 and all(bound.isdigit() for bound in bounds):
                        paragraphs = [str(a) for a in range(int(bounds[0]), int(bounds[1]) + 1)]
                    else:
                        paragraphs = [bounds[0]]
                    found.update((law_of, number, a) for law_of, number in numbers for a in paragraphs)
        if whole:
            found.update((law_of, number, "") for law_of, number in numbers)
    return found


def is_tabled(citation: str, tabled: set[tuple[str, str, str]]) -> bool:
    law, rest = citation.split(" § ")
    number, _, paragraph = rest.partition(" Abs. ")
    if paragraph:
        return (law, number, paragraph) in tabled or (law, number, "") in tabled
    return any((row_law, row_number) == (law, number) for row_law, row_number, _ in tabled)


def paragraphs_in(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.update(CITATION.findall(node.value))
    return found


def test_paragraph_cells_are_read_with_their_law_and_lists():
    tabled = tabled_paragraphs(["ArbZG § 9 Abs. 1, § 10", "BBiG §§ 71–75", "JArbSchG § 18 Abs. 1 and 2"])
    assert is_tabled("ArbZG § 10", tabled)
    assert is_tabled("BBiG § 73", tabled) and is_tabled("BBiG § 71 Abs. 7", tabled)
    assert is_tabled("JArbSchG § 18 Abs. 2", tabled)
    assert not is_tabled("ArbZG § 9 Abs. 2", tabled)
    assert not is_tabled("JArbSchG § 10", tabled)


@pytest.mark.parametrize("module", RULE_MODULES)
def test_rules_modules_cite_only_tabled_paragraphs(module):
    tabled = tabled_paragraphs([row[1] for row in rule_rows()])
    cited = paragraphs_in(ROOT / module)
    assert cited
    assert sorted(p for p in cited if not is_tabled(p, tabled) and p not in NOT_APPLIED) == []


def test_not_applied_paragraphs_have_no_row():
    tabled = tabled_paragraphs([row[1] for row in rule_rows()])
    assert sorted(p for p in NOT_APPLIED if is_tabled(p, tabled)) == []
