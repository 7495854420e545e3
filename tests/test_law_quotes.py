"""Quotes of the law in the code match the shipped text word for word.

Each row names the file that quotes, the shipped law, the paragraph and the quote. The quote must stand in
that file (so the row follows the code) and, with line breaks evened out, in that paragraph of the law.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "ausbildung"
LAWS = SRC / "data" / "gesetze" / "gesetze"

QUOTES = [
    (
        "core/services.py",
        "bbig_2005.md",
        "§ 20",
        "Sie muss mindestens einen Monat und darf höchstens vier Monate betragen.",
    ),
    (
        "core/services.py",
        "bbig_2005.md",
        "§ 7a",
        "Die Kürzung der täglichen oder der wöchentlichen Ausbildungszeit darf nicht mehr als 50 Prozent betragen.",
    ),
    (
        "core/services.py",
        "bbig_2005.md",
        "§ 7a",
        "Die Dauer der Teilzeitberufsausbildung verlängert sich entsprechend, höchstens jedoch bis zum "
        "Eineinhalbfachen der Dauer, die in der Ausbildungsordnung für die betreffende Berufsausbildung in "
        "Vollzeit festgelegt ist. Die Dauer der Teilzeitberufsausbildung ist auf ganze Monate abzurunden.",
    ),
    (
        "core/services.py",
        "bbig_2005.md",
        "§ 7",
        "Ein Anrechnungszeitraum muss in ganzen Monaten durch sechs teilbar sein.",
    ),
    ("core/services.py", "bbig_2005.md", "§ 21", "höchstens um ein Jahr"),
    (
        "offers/pay.py",
        "bbig_2005.md",
        "§ 17",
        "Die Angemessenheit der Vergütung ist jedoch ausgeschlossen, wenn die prozentuale Kürzung der Vergütung "
        "höher ist als die prozentuale Kürzung der täglichen oder der wöchentlichen Arbeitszeit",
    ),
    (
        "offers/services.py",
        "bbig_2005.md",
        "§ 17",
        "mindestens jährlich",
    ),
    (
        "records/selectors.py",
        "bbig_2005.md",
        "§ 43",
        "vom Ausbilder und Auszubildenden unterzeichneten Ausbildungsnachweis",
    ),
    (
        "core/models/contracts.py",
        "bbig_2005.md",
        "§ 11",
        "Dauer der regelmäßigen täglichen Ausbildungszeit",
    ),
    ("core/chambers.py", "bbig_2005.md", "§ 71", "abweichend von den Absätzen 2 bis 6"),
    ("core/chambers.py", "hwo.md", "§ 25", "für Gewerbe der Anlage A und der Anlage B"),
]


def even(text: str) -> str:
    """Line breaks, comment and docstring indentation and markdown hashes evened out to single spaces."""
    text = re.sub(r"^\s*#\s?", " ", text, flags=re.M)
    return re.sub(r"\s+", " ", text).strip()


def paragraph(law: str, number: str) -> str:
    """The text of one paragraph (`§ 7a`) of a shipped law: from its heading to the next heading."""
    text = (LAWS / law).read_text(encoding="utf-8")
    heading = re.compile(rf"^#+ {re.escape(number)}(?: |$)", re.M)
    match = heading.search(text)
    assert match, f"{number} not found in {law}"
    rest = text[match.end() :]
    following = re.search(r"^#", rest, re.M)
    return even(rest[: following.start() if following else len(rest)])


@pytest.mark.parametrize(("code", "law", "number", "quote"), QUOTES)
def test_quote_of_the_law_is_word_for_word(code, law, number, quote):
    assert quote in paragraph(law, number), f"{code}: not in {law} {number}: {quote!r}"
    assert even(quote) in even((SRC / code).read_text(encoding="utf-8")), f"{code} no longer quotes {quote!r}"


def test_bbig_43_abs_1_nr_2_says_unterzeichneten_not_abgezeichnet():
    text = paragraph("bbig_2005.md", "§ 43")
    assert "unterzeichneten Ausbildungsnachweis" in text and "abgezeichnet" not in text
    for path in SRC.rglob("*.py"):
        if "migrations" not in path.parts:
            assert '"abgezeichnet"' not in path.read_text(encoding="utf-8"), path
