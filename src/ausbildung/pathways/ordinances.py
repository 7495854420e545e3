"""What a further-training ordinance says, field by field, for the pathway pages (issue #21): the qualification's
name, its stage and Lernumfang, the admission requirements with their paragraph and the years of practice, the
exam parts, the date and the Fundstelle. Read from the shipped texts in `data/gesetze/fortbildung/` (Stand March
2022; which files, and which fields they state, is described in docs/domain.md, "Higher vocational training").

What the texts state and what they do not:
- Every file has its Ausfertigungsdatum and Fundstelle in the header (the year in the jurabk is not the date).
- The name is stated in the body of every ordinance that creates a qualification ("… führt zum anerkannten
  Fortbildungsabschluss „X“ oder „Y“"), except the craft Meisterprüfungen, whose name is in the title only
  ("… Meisterprüfung im Tischler-Handwerk").
- A stage (Fortbildungsstufe, BBiG §§ 53b–53d, HwO §§ 42b–42d) and a Lernumfang in hours are stated only by the
  ordinances issued under the 2020 stages ("auf der zweiten beruflichen Fortbildungsstufe", "mindestens 1 200
  Stunden"); for the others None, never guessed.
- Admission is a paragraph whose heading names "Zulassung"; the craft Meisterprüfungen have none (admission is
  HwO § 49 or § 51a Abs. 5, not in these files), and the page says so. Its items are read from the Markdown's own
  structure (Absatz "(1)", items "1." and "a)"), so a clause stays with the item it belongs to; the years of
  practice are read from the words ("mindestens zweijährige Berufspraxis", "ein weiteres Jahr Berufspraxis").
  "nicht länger als fünf Jahre zurückliegt" is a time limit, and a training's own duration ("dreijährigen
  Ausbildungsberuf") is not practice.
- Exam parts: the parts an ordinance enumerates ("umfasst folgende (selbständige) Prüfungsteile: 1. … 2. …",
  "Die Prüfung gliedert sich in folgende Prüfungsteile"); for the craft Meisterprüfungen Teil I to IV, where
  Teile III and IV follow the Allgemeine Meisterprüfungsverordnung (AMVO, `amstprv.md`), as § … of each says.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ausbildung.core.regulations.parser import (
    Document,
    Norm,
    document_issued_on,
    document_title,
    split_document,
)

FORTBILDUNG_DIR = Path(__file__).resolve().parents[1] / "data" / "gesetze" / "fortbildung"
AMVO_FILE = "amstprv.md"

CRAFT, QUALIFICATION, PROCEDURE = "craft", "qualification", "procedure"
STAGES = {"ersten": 1, "zweiten": 2, "dritten": 3}
NUMBER_WORDS = {"ein": 1, "eine": 1, "einem": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6}

_SPACE = re.compile(r"[\s\u00a0]+")
_ESCAPE = re.compile(r"\\([.\-*_()\[\]])")
_LINE_HYPHEN = re.compile(r"(\w)- (?!und\b|oder\b|bzw\.|sowie\b)(\w)")
_FUNDSTELLE = re.compile(r"BGBl I: (?P<year>\d{4}), (?P<page>\d+)")
_NAME = re.compile(
    r"\bführ(?:t|en)\b[^.]*?\bzu(?:m|r)?\s+(?:dem\s+)?anerkannten\s+(?:Fortbildungs)?[Aa]bschlu(?:ss|ß)\s+"
    r"(?P<name>„[^“]+“(?:\s+oder\s+„[^“]+“)?|\"[^\"]+\"(?:\s+oder\s+\"[^\"]+\")?|[^.;]+?)(?=[.;,]|\s+mit Angabe\b)"
)
_STAGE = re.compile(
    r"\bauf\s+der\s+(?P<ordinal>ersten|zweiten|dritten)\s+(?:beruflichen\s+)?Fortbildungsstufe\b"
)
_HOURS = re.compile(
    r"Lernumfangs?\s+von\s+(?:insgesamt\s+)?mindestens\s+(?P<hours>\d{1,2}[ .]?\d{3}|\d+)\s+Stunden"
)
_CRAFT_TITLE = re.compile(r"\bMeisterprüfung\b.*\bim\s+(?P<trade>\S.*?(?:-Handwerk|-Gewerbe|gewerbe))$")
_PRACTICE_YEARS = re.compile(
    r"\b(?P<n>ein|zwei|drei|vier|fünf|sechs)jährigen?\s+(?:\w+\s+)?Berufs(?:praxis|erfahrung|tätigkeit)"
)
_PRACTICE_MONTHS = re.compile(r"\bsechsmonatigen?\s+Berufspraxis")
_PRACTICE_NOUN = re.compile(
    r"\b(?P<n>ein|eine|zwei|drei|vier|fünf)\s+(?:weiteres\s+|weitere\s+)?Jahre?\s+(?:\w+\s+)?Berufspraxis"
)
_ABSATZ = re.compile(r"^\((?P<n>\d+[a-z]?)\)\s*(?P<rest>.*)$")
_ITEM = re.compile(r"^(?P<indent>\s*)(?P<mark>\d+\.|[a-z]\))\s+(?P<rest>.*)$")
_PARTS_INTRO = re.compile(
    r"(?:umfasst|gliedert sich in|besteht aus)\s+(?:die\s+|folgende\s+|den\s+)*(?:selbst?ständigen?\s+)?Prüfungsteilen?\s*:"
)
_PARTS_SENTENCE = re.compile(
    r"[Pp]rüfung (?:umfa(?:ss|ß)t|besteht aus) (?P<list>(?:einen|einem|den) [^.]*?Teil[^.]*?)(?:\.|$)"
)
_PARTS_SPLIT = re.compile(r",\s+|\s+sowie\s+|\s+und\s+(?=einen\b|einem\b|den\b)")
_PREFIX = re.compile(
    r"Der Abschlussbezeichnung wird die weitere Abschlussbezeichnung\s+„(?P<m>[^“]+)“\s+oder\s+„(?P<f>[^“]+)“"
    r"\s+vorangestellt"
)
_CRAFT_PART = re.compile(r"\((?P<part>Teil (?:I|II|III|IV))\)")
_AMVO_REF = re.compile(
    r"Teilen III und IV der Meisterprüfung bestimmt sich nach der Allgemeinen Meisterprüfungsverordnung"
)


def clean(text: str) -> str:
    """Whitespace collapsed (no-break spaces too), Markdown escapes removed, a word broken at a line end joined
    with its hyphen kept (in these texts a line-end hyphen is always part of the word: "kaufmännisch-verwaltenden",
    "Tischler-Handwerk"); suspended compounds ("Arbeits- und Tarifrecht") stay as they are."""
    text = _ESCAPE.sub(r"\1", text.replace("**", ""))
    text = _SPACE.sub(" ", text).strip()
    return _LINE_HYPHEN.sub(r"\1-\2", text)


@dataclass(frozen=True)
class Item:
    """One numbered or lettered item of an Absatz, with its sub-items and the years of practice it names."""

    mark: str  # "1." or "a)"
    text: str
    practice_years: float | None  # years of Berufspraxis this item asks for (None: none named)
    items: tuple[Item, ...] = ()


@dataclass(frozen=True)
class Absatz:
    number: str  # "1"
    text: str  # the Absatz as one string
    items: tuple[Item, ...]

    @property
    def paragraph(self) -> str:
        return f"Abs. {self.number}"


@dataclass(frozen=True)
class Admission:
    number: str  # the § number
    heading: str
    absaetze: tuple[Absatz, ...]

    @property
    def citation(self) -> str:
        return f"§ {self.number}"


@dataclass(frozen=True)
class ExamPart:
    name: str
    paragraph: str  # "§ 1" of the ordinance, or "AMVO" for Teile III and IV of a craft


@dataclass(frozen=True)
class Details:
    source_file: str
    title: str
    jurabk: str
    kind: str  # CRAFT, QUALIFICATION or PROCEDURE
    issued_on: dt.date | None
    fundstelle: str  # "BGBl I: 2008, 826"
    name_male: str | None
    name_female: str | None
    trade: str | None  # "Tischler-Handwerk" for a craft Meisterprüfung
    stage: int | None  # 1, 2, 3 (Fortbildungsstufe) where the text states it
    hours: int | None  # the Lernumfang where the text states it
    admission: Admission | None
    exam_parts: tuple[ExamPart, ...] = field(default_factory=tuple)

    @property
    def name(self) -> str:
        if self.name_male and self.name_female and self.name_male != self.name_female:
            return f"{self.name_male} / {self.name_female}"
        return (
            self.name_male
            or self.name_female
            or (f"Meisterprüfung im {self.trade}" if self.trade else self.title)
        )


def _years(text: str) -> float | None:
    """The years of practice a clause names; a time limit ("nicht länger als fünf Jahre zurückliegt") is none."""
    if (match := _PRACTICE_YEARS.search(text)) is not None:
        return float(NUMBER_WORDS[match.group("n")])
    if _PRACTICE_MONTHS.search(text):
        return 0.5
    if (match := _PRACTICE_NOUN.search(text)) is not None:
        return float(NUMBER_WORDS[match.group("n")])
    return None


def _items(lines: list[str]) -> tuple[Item, ...]:
    """Items of an Absatz from its raw lines: "1.  …" at the left, "    a)  …" indented below it."""
    top: list[tuple[str, list[str], list[tuple[str, list[str]]]]] = []
    for line in lines:
        match = _ITEM.match(line)
        if match and match.group("mark")[0].isdigit():
            top.append((match.group("mark"), [match.group("rest")], []))
        elif match and top:
            top[-1][2].append((match.group("mark"), [match.group("rest")]))
        elif top and line.strip():
            (top[-1][2][-1][1] if top[-1][2] else top[-1][1]).append(line)
    result = []
    for mark, text_lines, subs in top:
        sub_items = tuple(
            Item(sub_mark, clean(" ".join(sub_lines)), _years(clean(" ".join(sub_lines))))
            for sub_mark, sub_lines in subs
        )
        text = clean(" ".join(text_lines))
        result.append(Item(mark, text, _years(text), sub_items))
    return tuple(result)


def _absaetze(norm: Norm) -> tuple[Absatz, ...]:
    groups: list[tuple[str, list[str]]] = []
    for line in norm.lines:
        match = _ABSATZ.match(line.strip()) if not line.startswith(" ") else None
        if match:
            groups.append((match.group("n"), [match.group("rest")]))
        elif groups:
            groups[-1][1].append(line)
        elif line.strip():
            groups.append(("1", [line]))
    return tuple(Absatz(number, clean(" ".join(lines)), _items(lines)) for number, lines in groups)


def _admission(doc: Document) -> Admission | None:
    for norm in doc.norms:
        if "Zulassung" in norm.title:
            return Admission(norm.number, clean(norm.title), _absaetze(norm))
    return None


def _names(doc: Document) -> tuple[str | None, str | None]:
    for norm in doc.norms[:3]:
        match = _NAME.search(clean(" ".join(norm.lines)))
        if match is None:
            continue
        raw = match.group("name").strip()
        quoted = re.findall(r"[„\"]([^“\"]+)[“\"]", raw)
        prefix = _PREFIX.search(clean(" ".join(norm.lines)))
        if prefix and len(quoted) <= 1:
            base = quoted[0] if quoted else raw
            return f"{prefix.group('m')} – {base}", f"{prefix.group('f')} – {base}"
        if len(quoted) >= 2:
            return quoted[0], quoted[1]
        if len(quoted) == 1:
            return quoted[0], quoted[0]
        if " oder " in raw:
            male, female = raw.split(" oder ", 1)
            return male.strip(), female.strip()
        if "/" in raw and "(" not in raw:
            male, female = raw.split("/", 1)
            return male.strip(), female.strip()
        return raw, raw
    return None, None


def _part_name(text: str) -> str:
    name = re.sub(r"^(?:einen|einem|den)\s+", "", text.strip(" ,.;")).removesuffix(" und")
    return re.sub(r'[„“"]', "", name).strip()


def _exam_parts(doc: Document, kind: str) -> tuple[ExamPart, ...]:
    """The exam parts the ordinance enumerates (an Absatz introducing "Prüfungsteile:" with its items, or a
    sentence "Die Prüfung umfaßt einen … Teil, … sowie den Teil …"); for a craft Teil I to IV."""
    parts: list[ExamPart] = []
    for norm in doc.norms:
        text = clean(" ".join(norm.lines))
        if kind == CRAFT:
            if not parts and {"Teil I", "Teil II"} <= set(_CRAFT_PART.findall(text)):
                parts = [ExamPart(part, f"§ {norm.number}") for part in ("Teil I", "Teil II")]
            if _AMVO_REF.search(text):
                parts = parts or [
                    ExamPart("Teil I", f"§ {norm.number}"),
                    ExamPart("Teil II", f"§ {norm.number}"),
                ]
                amvo = f"§ {norm.number}: Allgemeine Meisterprüfungsverordnung"
                return (*parts, ExamPart("Teil III", amvo), ExamPart("Teil IV", amvo))
            continue
        for absatz in _absaetze(norm):
            if _PARTS_INTRO.search(absatz.text) and absatz.items:
                return tuple(
                    ExamPart(_part_name(item.text), f"§ {norm.number} Abs. {absatz.number}")
                    for item in absatz.items
                )
            sentence = _PARTS_SENTENCE.search(absatz.text)
            if sentence and not parts:
                names = [_part_name(part) for part in _PARTS_SPLIT.split(sentence.group("list"))]
                parts = [ExamPart(name, f"§ {norm.number} Abs. {absatz.number}") for name in names if name]
    return tuple(parts)


def parse(text: str, source_file: str = "") -> Details:
    doc = split_document(text)
    title = document_title(doc)
    header = "\n".join(doc.header)
    fundstelle = _FUNDSTELLE.search(header)
    trade_match = _CRAFT_TITLE.search(title)
    admission = _admission(doc)
    name_male, name_female = _names(doc)
    if trade_match and name_male is None:
        kind = CRAFT
    elif name_male is not None:
        kind = QUALIFICATION
    else:
        kind = PROCEDURE
    body = clean(" ".join(line for norm in doc.norms for line in norm.lines))
    stage = _STAGE.search(body)
    hours = _HOURS.search(body)
    return Details(
        source_file=source_file,
        title=title,
        jurabk=doc.meta.get("jurabk", ""),
        kind=kind,
        issued_on=document_issued_on(doc),
        fundstelle=fundstelle.group(0) if fundstelle else "",
        name_male=name_male,
        name_female=name_female,
        trade=trade_match.group("trade") if trade_match and kind == CRAFT else None,
        stage=STAGES[stage.group("ordinal")] if stage else None,
        hours=int(re.sub(r"\D", "", hours.group("hours"))) if hours else None,
        admission=admission,
        exam_parts=_exam_parts(doc, kind),
    )


@cache
def details(source_file: str) -> Details:
    """The details of one shipped ordinance by its file name ("tischlmstrv_2008.md")."""
    path = FORTBILDUNG_DIR / Path(source_file).name
    return parse(path.read_text(encoding="utf-8"), path.name)
