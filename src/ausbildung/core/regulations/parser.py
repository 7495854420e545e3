"""Parser for German federal training regulations (Ausbildungsordnungen) given as Markdown.

Standard library only (no Django), so it can run anywhere: ``python -m ausbildung.core.regulations.parser DIR``
parses a directory and prints how many regulations could be read completely.

The input is one Markdown file per regulation as produced by the bundestag/gesetze conversion of the
gesetze-im-internet.de XML: a YAML front matter (``Title``, ``jurabk``, ``slug``; a few files carry the title
above the front matter instead), a ``#`` heading, a definition list with ``Ausfertigungsdatum``, ``Fundstelle``
and, where applicable, ``Geändert durch`` and ``Stand:`` lines, the paragraphs (``§ 1`` …) as headings and the
annexes (``Anlage …``) at the end. Tables are rendered as nested bullet lists: a row starts with ``*    *`` at
column 0, each further cell with ``    *``. Row and column spans are lost in that rendering; a spanned cell
simply does not appear in the rows it covers.

How a regulation is read
------------------------

* Kind: from the title. ``Erprobung`` → trial, ``Verordnung zur Änderung``/``Änderungsverordnung`` → amending,
  ``Berufsausbildung`` (or an annex called ``Ausbildungsrahmenplan``) → training regulation, else other.
* Occupation: the recognition paragraph (``§ 1 Staatliche Anerkennung``) names it in the nominative
  (``Der Ausbildungsberuf Chemikant/Chemikantin wird …``). Newer regulations use the genitive there
  (``des Fachinformatikers und der Fachinformatikerin``); then the gender forms come from the title
  (``zum Fachinformatiker und zur Fachinformatikerin``), turned from the dative into the nominative by a small
  fixed set of declension rules (weak nouns ``Technologen`` → ``Technologe``, ``Chemikanten`` → ``Chemikant``;
  nominalised adjectives ``Fachangestellten`` → ``Fachangestellter``; adjectives ``Medizinischen`` →
  ``Medizinischer``). Where both forms are printed the rules give the printed nominative in every file.
  Regulations for several occupations (e.g. Verkäufer and Kaufmann im Einzelhandel) leave ``name`` empty and
  list every occupation, with its own duration, in ``occupations``.
* Duration: the sentences ``Die (Berufs-)Ausbildung dauert …`` of the first paragraph that has them, with
  number words (``drei``, ``dreieinhalb``, ``drei Jahre und sechs Monate``) or digits (``36 Monate``); several
  durations are assigned to the occupations they name (by name or by ``§ 1 Nr. 2 bis 5``).
* Recognising law (``recognised_under``): ``bbig``, ``hwo`` or ``bbig+hwo`` for the citations of BBiG § 4 (§ 25
  in the BBiG of 1969) and HwO § 25 in the recognition paragraph (``wird nach § 25 der Handwerksordnung …
  staatlich anerkannt``), else in the Eingangsformel (``Auf Grund des § 25 Abs. 1 … der Handwerksordnung``);
  a paragraph belongs to the next law named after it. ``""`` (reported) when neither names one.
* Specialisations: the list after ``… in der Fachrichtung``/``im Schwerpunkt`` or ``… einem der folgenden
  Einsatzgebiete …:``, or a short enumeration such as ``zwischen den Fachrichtungen Malerei und Plastik``, in
  the paragraphs before the examination rules.
* Ausbildungsberufsbild: the numbered lists in the paragraph called ``Ausbildungsberufsbild`` (or ``Struktur``),
  with the Fachrichtung/Schwerpunkt they belong to.
* Ausbildungsrahmenplan: every annex called ``Ausbildungsrahmenplan`` or ``sachliche Gliederung`` (or untitled
  with such a table). Section headings (``Abschnitt A: …``, ``I. …``, ``2.1 Schwerpunkt …``) open sections;
  a Fachrichtung or Schwerpunkt named in the heading becomes the section's specialisation. Each table has a
  header row (``Lfd. Nr. | Teil des Ausbildungsberufsbildes | … | Zeitliche Richtwerte …``), optionally a row of
  period labels (``1. bis 18. Monat``; ``1 | 2 | 3`` for Ausbildungsjahre) and a row numbering the columns.
  A data row either starts a position (lfd. Nr., Berufsbildposition with its ``(§ …)`` reference, items,
  Richtwerte) or continues the previous one (items and Richtwerte only: the number and title cells are spanned);
  Richtwerte of continuation rows are added up per period. A row without any Richtwert cell lies under a spanned
  cell: ``während der gesamten Ausbildung`` is inherited, a spanned number is not (it covers several positions
  together) and is reported. Older plans print the item letter in a column of its own; such cells are joined.
* Section headings over several lines are joined, also where the conversion indented the heading after a table
  row (``   ## Abschnitt C: … Kenntnisse und`` / ``Fähigkeiten in der Fachrichtung Energieeffizienz- und`` /
  ``Gestaltungstechnik``, MalerLackAusbV 2021), and a heading completed after a row gets its specialisation
  then. A section whose heading names no specialisation takes the one its annex heading names after
  ``Fachrichtung``/``Schwerpunkt``/``Einsatzgebiet`` (SVFAngAusbV 1997: one annex per Fachrichtung, its
  ``Abschnitt II: … in der Fachrichtung`` names none); a name inside the occupation's own name does not count.
  `sections_without_specialisation` counts what stays without one (the catalogue-wide check).
* Kind of a section (``PlanSection.kind``): ``elective`` where its heading says ``Wahlqualifikation`` or
  ``Auswahlliste`` (not ``…übergreifend``, not ``Pflichtqualifikation``), ``additional`` for a
  ``Zusatzqualifikation`` (in the heading, the table header or the annex heading: annexes of
  Zusatzqualifikationen set as plan tables are read, BBiG § 5 Abs. 2 Nr. 5), else ``compulsory``. The number of
  Wahlqualifikationen to choose (``elective_count``) is read from ``<eine … acht> vom Ausbildenden|im
  Ausbildungsvertrag festzulegende [Wort] Wahlqualifikation…`` when the paragraphs before the exam rules say
  it exactly once (ChemikAusbV 2009 § 3 Nr. 2: four); regulations with one count per list are not read.

What is not read (reported in ``problems``, never guessed)
---------------------------------------------------------

* Richtwerte in a separate ``zeitliche Gliederung`` (prose per training year, ``Zeitrahmen`` tables): such plans
  have positions and items but no weeks.
* Rows with more Richtwert cells than period labels: many plans of the 1990s and 2000s have four value columns
  under the labels ``1 | 2 | 3``, and which column is which cannot be told from the text.
* Richtwerte that are not whole numbers (``4 bis 6``, ``0,5``, ``X`` marks per half-year, ``während des ersten
  Ausbildungsjahres``) are kept as printed in ``time_raw`` only; a column without a stated unit fills neither
  ``weeks`` nor ``months``; Richtwerte of alternatives (``Alternative A … oder Alternative B``) are not summed.
* Rows that fit no column pattern (tables garbled in the source conversion) are counted and skipped; a plan set
  as a character graphic (one file) is not read at all.
* Durations per stage of a Stufenausbildung are not assigned to the single occupations.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import sys
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

TRAINING_REGULATION = "training_regulation"
AMENDING = "amending"
TRIAL = "trial"
OTHER = "other"

WEEKS = "weeks"
MONTHS = "months"
HOURS = "hours"
MARKS = "marks"

# What a section of the framework plan is for the apprentice (PlanSection.kind).
COMPULSORY = "compulsory"  # Pflichtqualifikation: part of every apprentice's plan (of their specialisation)
ELECTIVE = "elective"  # Wahlqualifikation: one of a list, chosen in the contract
ADDITIONAL = "additional"  # Zusatzqualifikation (BBiG § 49): optional, beyond the plan

# The law under which an occupation is recognised (ParsedRegulation.recognised_under).
BBIG = "bbig"  # Berufsbildungsgesetz: § 4 (since 2005), § 25 in the BBiG of 1969
HWO = "hwo"  # Handwerksordnung § 25
BBIG_AND_HWO = "bbig+hwo"


# --------------------------------------------------------------------------------------------------------------
# Result types
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Specialisation:
    kind: str  # "Fachrichtung" | "Schwerpunkt" | "Einsatzgebiet"
    name: str


@dataclass(frozen=True)
class Occupation:
    name: str  # as printed, e.g. "Chemikant/Chemikantin"
    name_male: str
    name_female: str
    duration_months: int | None = None


@dataclass(frozen=True)
class ProfilePosition:
    number: str  # label as printed without the trailing dot, e.g. "1", "1.2", "a"
    text: str
    group: str = ""  # specialisation the position belongs to, if any
    parent: str = ""  # number of the enclosing position for nested lists
    context: str = ""  # the sentence introducing the list, e.g. "(2) Die Berufsbildpositionen der … sind:"


@dataclass(frozen=True)
class PlanItem:
    letter: str  # "a", "b", …; "" for an unlettered text
    text: str


@dataclass
class PlanPosition:
    number: str
    title: str
    paragraph_ref: str = ""
    items: list[PlanItem] = field(default_factory=list)
    weeks: list[int | None] = field(default_factory=list)  # aligned to FrameworkPlan.periods
    months: list[int | None] = field(default_factory=list)  # same, for plans giving Richtwerte in months
    time_raw: list[str] = field(default_factory=list)  # Richtwert cells as printed, aligned to the periods
    throughout: bool = False  # "während der gesamten Ausbildung (zu vermitteln)"
    intro: str = ""  # text before the first lettered item, e.g. "Zur Vermeidung … beitragen, insbesondere"
    is_group: bool = False  # heading of numbered sub-positions (1 → 1.1, 1.2), has no items of its own


@dataclass
class PlanSection:
    label: str  # e.g. "Abschnitt A", "I."; "" when the annex has no sections
    title: str
    specialisation: str = ""
    positions: list[PlanPosition] = field(default_factory=list)
    annex: str = ""  # heading of the annex, e.g. "Anlage 1 Ausbildungsrahmenplan für …"
    periods: list[str] = field(default_factory=list)  # period labels of this section's table
    optional: bool = False  # a Zusatzqualifikation, not part of the compulsory plan
    occupation: str = ""  # for regulations with several occupations: the one the annex is for
    elective: bool = False  # Wahlqualifikationen (Auswahlliste): each position one unit to choose

    @property
    def kind(self) -> str:
        """COMPULSORY, ELECTIVE (Wahlqualifikation) or ADDITIONAL (Zusatzqualifikation)."""
        return ADDITIONAL if self.optional else ELECTIVE if self.elective else COMPULSORY


@dataclass
class FrameworkPlan:
    periods: list[str] = field(default_factory=list)  # labels as printed, e.g. ["1. bis 18. Monat", …]
    sections: list[PlanSection] = field(default_factory=list)
    time_unit: str = ""  # "weeks" | "months" | "hours" | "marks" | "" (not stated)
    time_header: str = ""  # header of the Richtwert column as printed

    @property
    def positions(self) -> list[PlanPosition]:
        return [p for s in self.sections for p in s.positions]


@dataclass
class ParsedRegulation:
    kind: str
    slug: str
    jurabk: str
    title: str
    name: str
    name_male: str
    name_female: str
    issued_on: dt.date | None
    fundstelle: str
    stand: str
    amended_by: str = ""  # "Geändert durch" / "Zuletzt geändert durch" / "Neugefasst durch" as printed
    duration_months: int | None = None
    occupations: list[Occupation] = field(default_factory=list)
    specialisations: list[Specialisation] = field(default_factory=list)
    profile_positions: list[ProfilePosition] = field(default_factory=list)
    plan: FrameworkPlan | None = None
    problems: list[str] = field(default_factory=list)
    source_name: str = ""
    recognised_under: str = ""  # BBIG | HWO | BBIG_AND_HWO | "" (the text does not say)
    # How many Wahlqualifikationen are chosen, where the structure paragraph names exactly one such number
    # ("vier vom Ausbildenden festzulegende Wahlqualifikationen"); None where it names none or several lists.
    elective_count: int | None = None


# --------------------------------------------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------------------------------------------

_ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~<>\"'])")
_FOOTNOTE_REF_RE = re.compile(r"\[\^[^\]]*\]")
_SPACE_RE = re.compile(r"\s+")


_BROKEN_WORD_RE = re.compile(
    r"(?<=[a-zäöüß])- (?!(?:und|oder|sowie|bzw|beziehungsweise|als|wie|bis|noch|sondern|aber|sowohl|zu|zum|zur)\b)"
    r"(?=[a-zäöüß])"
)
_BROKEN_COMPOUND_RE = re.compile(r"(?<=[A-Za-zäöüß])- (?=[A-ZÄÖÜ][a-zäöüß])")


def _clean(text: str) -> str:
    """Remove Markdown escapes, emphasis and footnote references; collapse whitespace.

    Words hyphenated at a line break of the printed original (``Gesundheits- schutz``, ``IT- Sicherheit``) are
    joined again; suspended compounds (``Arbeits- und Tarifrecht``) stay as they are.
    """
    if "[^" in text:
        text = _FOOTNOTE_REF_RE.sub("", text)
    text = text.replace("**", "")
    if "\\" in text:
        text = _ESCAPE_RE.sub(r"\1", text)
    text = _SPACE_RE.sub(" ", text).strip()
    if "- " in text:
        text = _BROKEN_COMPOUND_RE.sub("-", _BROKEN_WORD_RE.sub("", text))
    return text


def _join(lines: list[str]) -> str:
    return _clean(" ".join(lines))


# --------------------------------------------------------------------------------------------------------------
# Document structure: front matter, header, paragraphs (§), annexes
#
# Public: other readers of the same Markdown files (the follow-up qualifications of `orientation.follow_up`
# read the Fortbildungsordnungen) use `split_document`, `Document`, `Norm`, `Annex`, `document_title`,
# `document_issued_on` and `recognition_norm`, and nothing else of this module's internals.
# --------------------------------------------------------------------------------------------------------------

_HEADING_RE = re.compile(r"^(#{1,6})\s*(.*?)\s*$")
_NORM_RE = re.compile(r"^§\s*(\d+[a-z]?)\b\s*(.*)$")
_ANNEX_RE = re.compile(r"^Anlage\b")


@dataclass
class Norm:
    """One paragraph (``§ 1 Staatliche Anerkennung``): its number ("1", "5a"), its title and its lines."""

    number: str
    title: str
    lines: list[str]

    @cached_property
    def text(self) -> str:
        return _join(self.lines)


@dataclass
class Annex:
    """One annex (``Anlage 1 …``): its heading and its lines, tables still as nested bullet lists."""

    heading: str
    lines: list[str]


@dataclass
class Document:
    """A regulation split into its parts; the text of each part is kept as printed (see `split_document`)."""

    meta: dict[str, str]  # the front matter (``Title``, ``jurabk``, ``slug``)
    pre_title: str  # a title printed above the front matter (a few files)
    heading: str  # the ``#`` heading
    header: list[str]  # the lines between the heading and the first paragraph (definition list, Stand)
    norms: list[Norm]
    annexes: list[Annex]
    preamble: list[str] = field(default_factory=list)  # the Eingangsformel ("Auf Grund des § 4 …")


def _split_front_matter(text: str) -> tuple[str, dict[str, str], list[str]]:
    lines = text.splitlines()
    try:
        start = lines.index("---")
        end = lines.index("---", start + 1)
    except ValueError:
        return "", {}, lines
    pre_title = _join(lines[:start])
    return pre_title, _read_yaml(lines[start + 1 : end]), lines[end + 1 :]


def _read_yaml(lines: list[str]) -> dict[str, str]:
    """Read the flat ``key: value`` front matter, including folded continuation lines."""
    meta: dict[str, str] = {}
    key = ""
    for line in lines:
        match = re.match(r"^([A-Za-z_]+):\s*(.*)$", line)
        if match:
            key = match.group(1)
            meta[key] = match.group(2)
        elif key and line.startswith(" "):
            meta[key] += " " + line.strip()
    return {k: _unquote(v.strip()) for k, v in meta.items()}


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def split_document(text: str) -> Document:
    """Split a regulation's Markdown into front matter, header, Eingangsformel, paragraphs and annexes."""
    pre_title, meta, lines = _split_front_matter(text)
    heading, header, norms, annexes, preamble = "", [], [], [], []
    norm: Norm | None = None
    annex: Annex | None = None
    stage = "start"
    in_preamble = False
    for line in lines:
        match = _HEADING_RE.match(line)
        if match and stage == "start" and len(match.group(1)) == 1:
            heading, stage = _clean(match.group(2)), "header"
            continue
        if match and annex is None:
            title = _clean(match.group(2))
            if _ANNEX_RE.match(title):
                annex = Annex(title, [])
                annexes.append(annex)
                continue
            stage = "body"
            in_preamble = title == "Eingangsformel"
            norm_match = _NORM_RE.match(title)
            norm = Norm(norm_match.group(1), norm_match.group(2), []) if norm_match else None
            if norm:
                norms.append(norm)
            continue
        if match and _ANNEX_RE.match(_clean(match.group(2))):
            annex = Annex(_clean(match.group(2)), [])
            annexes.append(annex)
            continue
        if annex is not None:
            annex.lines.append(line)
        elif norm is not None:
            norm.lines.append(line)
        elif in_preamble:
            preamble.append(line)
        elif stage in ("start", "header"):
            header.append(line)
    return Document(meta, pre_title, heading, header, norms, annexes, preamble)


# --------------------------------------------------------------------------------------------------------------
# Header: title, dates, Fundstelle, Stand
# --------------------------------------------------------------------------------------------------------------


def document_title(doc: Document) -> str:
    """The regulation's title: from the front matter, else above it, else the heading without its abbreviation."""
    title = _clean(doc.meta.get("Title", ""))
    if not title:
        title = doc.pre_title
    if not title:
        title = re.sub(r"\s*\([^()]*\)\s*$", "", doc.heading)
    return title


def _definitions(header: list[str]) -> dict[str, str]:
    """Read the definition list (``Term`` / ``:   value``) of the header."""
    result: dict[str, str] = {}
    for index, line in enumerate(header[1:], start=1):
        if line.startswith(":"):
            term = header[index - 1].strip()
            if term:
                result[term] = _clean(line[1:])
    return result


def _stand(header: list[str]) -> str:
    return "\n".join(_clean(line[len("Stand:") :]) for line in header if line.startswith("Stand:"))


def document_issued_on(doc: Document) -> dt.date | None:
    """The Ausfertigungsdatum of the header, or None where it is missing or not an ISO date."""
    try:
        return dt.date.fromisoformat(_definitions(doc.header).get("Ausfertigungsdatum", "").strip())
    except ValueError:
        return None


# --------------------------------------------------------------------------------------------------------------
# Kind
# --------------------------------------------------------------------------------------------------------------

_TRIAL_RE = re.compile(r"\bErprobung", re.IGNORECASE)
_AMENDING_RE = re.compile(
    r"(Verordnung\s+zur\s+Änderung|Änderungsverordnung|Verordnung\s+zur\s+Aufhebung|^Zweite\s+Verordnung\s+zur)",
    re.IGNORECASE,
)
_TRAINING_TITLE_RE = re.compile(r"\bBerufsausbildung(en)?\b")


def classify(text: str) -> str:
    """Return the kind of a regulation given its Markdown text (or just its title).

    ``"trial"`` for Erprobungsverordnungen, ``"amending"`` for ordinances changing or repealing others,
    ``"training_regulation"`` for Ausbildungsordnungen and ``"other"`` for everything else.
    """
    doc = split_document(text)
    title = document_title(doc) or _first_line(text)
    annex_headings = " ".join(a.heading for a in doc.annexes)
    return _kind(title, annex_headings)


def _first_line(text: str) -> str:
    return next((_clean(line.lstrip("#")) for line in text.splitlines() if line.strip()), "")


def _kind(title: str, annex_headings: str) -> str:
    if _TRIAL_RE.search(title):
        return TRIAL
    if _AMENDING_RE.search(title):
        return AMENDING
    if _TRAINING_TITLE_RE.search(title) or "Ausbildungsrahmenplan" in annex_headings:
        return TRAINING_REGULATION
    return OTHER


# --------------------------------------------------------------------------------------------------------------
# Markdown lists inside paragraphs
# --------------------------------------------------------------------------------------------------------------

_MARKER_RE = re.compile(r"^(\s*)(\d+(?:\.\d+)*\.|\d+(?:\.\d+)+|[a-z]{1,2}\)|[A-Z]\.|[IVX]+\.)\s+(.*)$")


@dataclass
class _Block:
    kind: str  # "para" | "item"
    indent: int
    marker: str
    lines: list[str]

    @cached_property
    def text(self) -> str:
        return _join(self.lines)

    @property
    def style(self) -> str:
        if self.marker.endswith(")"):
            return "letter"
        if re.match(r"^[A-Z]\.$", self.marker):
            return "capital"
        if re.match(r"^[IVX]+\.$", self.marker):
            return "roman"
        return "number"

    @property
    def label(self) -> str:
        return self.marker.rstrip(".)")


def _blocks(lines: list[str]) -> list[_Block]:
    """Split paragraph text into paragraphs and list items (with their indentation)."""
    blocks: list[_Block] = []
    current: _Block | None = None
    for raw in lines:
        line = re.sub(r"^(\s*)\*(?:\s+|$)", r"\1", raw)  # a bullet wrapped around a numbered list
        if not line.strip():
            if current is not None and current.kind == "para":
                current = None
            continue
        indent = len(line) - len(line.lstrip())
        match = _MARKER_RE.match(line)
        if match and (current is None or current.kind == "item" or indent == 0 or _ends_open(current)):
            current = _Block("item", indent, match.group(2), [match.group(3)])
            blocks.append(current)
        elif current is not None and (current.kind == "para" or indent > current.indent):
            current.lines.append(line.strip())
        else:
            current = _Block("para", indent, "", [line.strip()])
            blocks.append(current)
    return blocks


def _ends_open(block: _Block) -> bool:
    text = _join(block.lines)  # not block.text: the block is still growing
    return text.endswith((":", ",")) or not text.endswith(".")


# --------------------------------------------------------------------------------------------------------------
# Occupation names
# --------------------------------------------------------------------------------------------------------------

_ADJECTIVE_RE = re.compile(r"^(?P<stem>[A-ZÄÖÜ][\wäöüß-]*(?:isch|lich))en$")
_WEAK_NOUN_RE = re.compile(r"^(?P<stem>[\wäöüß-]*(?:ant|ent|ist|graf))en$")
_LOGE_RE = re.compile(r"^(?P<stem>[\wäöüß-]*log)en$")
_ANGESTELLT_RE = re.compile(r"^(?P<stem>[\wäöüß-]*[Aa]ngestellt)en$")


def _nominative(phrase: str, male: bool) -> str:
    """Turn a dative occupation phrase from a title (``zum X``/``zur Y``) into the nominative."""
    words = phrase.split(" ")
    result: list[str] = []
    head_done = False
    for index, word in enumerate(words):
        if head_done or word.endswith("-") or word in ("und", "oder"):
            result.append(word)  # "Rechtsanwalts- und Notarfachangestellten": the head noun comes last
            continue
        adjective = _ADJECTIVE_RE.match(word)
        if adjective and index + 1 < len(words) and words[index + 1][:1].isupper():
            result.append(adjective.group("stem") + ("er" if male else "e"))
            continue
        result.append(_nominative_noun(word, male))
        head_done = True
    return " ".join(result)


def _nominative_noun(word: str, male: bool) -> str:
    angestellt = _ANGESTELLT_RE.match(word)
    if angestellt:
        return angestellt.group("stem") + ("er" if male else "e")
    if not male:
        return word
    weak = _WEAK_NOUN_RE.match(word)
    if weak:
        return weak.group("stem")
    loge = _LOGE_RE.match(word)
    if loge:
        return loge.group("stem") + "e"
    return word


_TITLE_OCCUPATION_RE = re.compile(r"\bBerufsausbildung(?:en)?\s+(?=zu[mr]\b)(.*)$")
_ARTICLE_SPLIT_RE = re.compile(r"\b(zum/zur|zum|zur)\s+")
_TRAILING_JOIN_RE = re.compile(r"(?:\s*(?:,|/|\bund|\bsowie|\boder))+\s*$")


def _title_occupations(title: str) -> list[Occupation]:
    """Occupations named in the title, as (male, female) pairs in the nominative."""
    match = _TITLE_OCCUPATION_RE.search(title)
    if not match:
        return []
    parts = _ARTICLE_SPLIT_RE.split(match.group(1))
    phrases = [
        (parts[i], _TRAILING_JOIN_RE.sub("", parts[i + 1]).strip()) for i in range(1, len(parts) - 1, 2)
    ]
    occupations: list[Occupation] = []
    index = 0
    while index < len(phrases):
        article, phrase = phrases[index]
        if article == "zum" and index + 1 < len(phrases) and phrases[index + 1][0] == "zur":
            male = _nominative(phrase, male=True)
            female = _nominative(phrases[index + 1][1], male=False)
            male, female = _share_qualifier(male, female)
            occupations.append(Occupation(f"{male}/{female}", male, female))
            index += 2
            continue
        if article == "zum/zur":
            male, female = _nominative(phrase, male=True), _nominative(phrase, male=False)
            occupations.append(Occupation(f"{male}/{female}", male, female))
        elif article == "zum":
            male = _nominative(phrase, male=True)
            occupations.append(Occupation(male, male, ""))
        else:
            occupations.append(Occupation(phrase, phrase, phrase))
        index += 1
    return occupations


_RECOGNITION_TITLE_RE = re.compile(r"Anerkennung|Anwendungsbereich|Berufsbezeichnung", re.IGNORECASE)
_SINGLE_NAME_RE = re.compile(
    r"^(?:(?!Ausbildungsberuf\b).)*?\b(?:Der|dem)\s+Ausbildungsberuf\s+(?!des\b|der\b|in\b)(?P<name>.+?)\s+"
    r"(?:wird|werden|ist|nach\s+der|nach\s+dem|sowie\s+der|und\s+der\s+darauf)\b"
)
_FOLLOWUP_NAME_RE = re.compile(r"darauf\s+aufbauende\s+Ausbildungsberuf\s+(?P<name>.+?)\s+(?:wird|werden)\b")
_QUOTED_NAMES_RE = re.compile(r"Ausbildungsberuf[^„]*„([^“]+)“\s+oder\s+„([^“]+)“")


def recognition_norm(doc: Document) -> Norm | None:
    """The paragraph that recognises the occupation (``Staatliche Anerkennung``) among the first four, else § 1."""
    for norm in doc.norms[:4]:
        if _RECOGNITION_TITLE_RE.search(norm.title):
            return norm
    return doc.norms[0] if doc.norms else None


def _printed_names(norm: Norm | None) -> list[str]:
    """Occupation names in the nominative as printed in the recognition paragraph."""
    if norm is None:
        return []
    text = norm.text
    quoted = _QUOTED_NAMES_RE.search(text)
    if quoted:
        return [f"{quoted.group(1)}/{quoted.group(2)}"]
    if re.search(r"\bAusbildungsberufe\b", text):
        listed = _listed_names(norm)
        if listed:
            return listed
    first = _SINGLE_NAME_RE.search(text)
    names = [first.group("name")] if first else []
    names += [m.group("name") for m in _FOLLOWUP_NAME_RE.finditer(text)]
    return [_name(re.sub(r"^zu[mr]\s+", "", n)) for n in names]


def _name(text: str) -> str:
    """Clean a printed name: ``Industrie-\\nIsoliererin`` and ``X /Y`` come from line breaks in the source."""
    return re.sub(r"-\s+(?=[A-ZÄÖÜ])", "-", _clean(text).replace(" /", "/").replace("/ ", "/"))


def _listed_names(norm: Norm) -> list[str]:
    names = []
    for block in _blocks(norm.lines):
        text = block.text
        if block.kind != "item" or text.endswith(":") or "§" in text or "weggefallen" in text:
            continue
        text = re.sub(r"^.*\baufbauende\s+Ausbildungsberuf\s+", "", text)
        names.append(_name(_TRAILING_JOIN_RE.sub("", text.rstrip(".;,"))))
    return [n for n in names if n]


def _split_printed(name: str, hint: Occupation | None) -> tuple[str, str]:
    """Split ``X/Y`` or ``X und Y`` (checked against the title's female form) into male and female."""
    if hint and hint.name_female and hint.name_male == hint.name_female == name:
        return name, name
    if hint and hint.name_female:
        for separator in ("/", " und "):
            suffix = separator + hint.name_female
            if name.endswith(suffix) and len(name) > len(suffix):
                return name[: -len(suffix)].strip(), hint.name_female
    if name.count("/") == 1:
        male, female = (part.strip() for part in name.split("/"))
        return male, female
    for match in re.finditer(r" und ", name):
        male, female = name[: match.start()], name[match.end() :]
        first_male, first_female = male.split(" ")[0], female.split(" ")[0]
        if first_female in (first_male + "in", first_male.replace("mann", "frau")):
            return male, female
    return name, ""


def _occupations(doc: Document, title: str) -> list[Occupation]:
    from_title = _title_occupations(title)
    printed = _printed_names(recognition_norm(doc))
    if len(from_title) == 1 and len(printed) == 1:
        return [_occupation(printed[0], from_title[0])]
    if from_title:
        return from_title
    return [_occupation(name, None) for name in printed]


def _occupation(printed: str, hint: Occupation | None) -> Occupation:
    male, female = _split_printed(printed, hint)
    if not female and hint is None and not re.search(r"(?:er|mann)\b", male):
        female = male  # gender-neutral designation such as "Fachkraft für Lagerlogistik"
    if not female and hint is not None:
        female = hint.name_female
    male, female = _share_qualifier(male, female)
    if "/" in printed or male == female or not female:
        return Occupation(printed, male, female)
    return Occupation(f"{male}/{female}", male, female)


def _share_qualifier(male: str, female: str) -> tuple[str, str]:
    """``Verfahrensmechaniker/Verfahrensmechanikerin in der Steine- und Erdenindustrie`` share the qualifier."""
    if male and " " not in male and female.startswith(male + "in "):
        return f"{male} {female[len(male) + 3 :]}", female
    return male, female


# --------------------------------------------------------------------------------------------------------------
# Recognising law: BBiG § 4 and/or HwO § 25
# --------------------------------------------------------------------------------------------------------------

# A citation ends at the name of a law or ordinance; the paragraphs cited since the previous name belong to it
# ("§ 4 Absatz 1 in Verbindung mit Absatz 4 und mit § 5 des Berufsbildungsgesetzes").
_LAW_NAME_RE = re.compile(r"\b(?:BBiG|HwO|[\wäöüÄÖÜß-]*(?:[Gg]esetz|[Oo]rdnung)[\wäöüß]*)")
_CITED_PARAGRAPH_RE = re.compile(r"§+\s*(\d+)")
# "Berufsausbildungsgesetz" is a misprint for the BBiG in the Eingangsformel of the BrillVerfMAusbV 2002.
# Paragraphs that recognise an occupation: BBiG § 4 (§ 25 in the BBiG of 1969, cited by older regulations)
# and HwO § 25. Other paragraphs cited with them (BBiG § 5, HwO § 26) say nothing about the law on their own.
_RECOGNITION_PARAGRAPHS = {BBIG: {"4", "25"}, HWO: {"25"}}


def _cited_laws(text: str) -> set[str]:
    """``bbig``/``hwo`` for every recognising paragraph of the BBiG or HwO cited in ``text``."""
    laws: set[str] = set()
    start = 0
    for match in _LAW_NAME_RE.finditer(text):
        name = match.group(0)
        law = (
            BBIG
            if name == "BBiG" or name.startswith(("Berufsbildungsgesetz", "Berufsausbildungsgesetz"))
            else HWO
            if name == "HwO" or name.startswith("Handwerksordnung")
            else ""
        )
        cited = {m.group(1) for m in _CITED_PARAGRAPH_RE.finditer(text, start, match.start())}
        if law and cited & _RECOGNITION_PARAGRAPHS[law]:
            laws.add(law)
        start = match.end()
    return laws


def _recognised_under(doc: Document) -> str:
    """The law the occupation is recognised under: from the recognition paragraph, else the Eingangsformel.

    ``wird nach § 25 der Handwerksordnung … staatlich anerkannt`` → ``hwo``; ``Auf Grund des § 4 Absatz 1 des
    Berufsbildungsgesetzes … und … des § 25 Absatz 1 Satz 1 der Handwerksordnung`` → ``bbig+hwo``. Most older
    regulations only say ``Der Ausbildungsberuf … wird staatlich anerkannt``; then the Eingangsformel (the
    legal basis the ministry cites) decides. "" when neither names BBiG § 4/§ 25 (1969) or HwO § 25.
    """
    norm = recognition_norm(doc)
    sources = []
    if norm is not None and (_RECOGNITION_TITLE_RE.search(norm.title) or "anerkannt" in norm.text):
        sources.append(norm.text)
    sources.append(_join(doc.preamble))
    for text in sources:
        laws = _cited_laws(text)
        if laws:
            return BBIG_AND_HWO if len(laws) == 2 else laws.pop()
    return ""


# --------------------------------------------------------------------------------------------------------------
# Duration
# --------------------------------------------------------------------------------------------------------------

_NUMBER_WORDS = {
    "ein": 1.0, "eineinhalb": 1.5, "anderthalb": 1.5, "zwei": 2.0, "zweieinhalb": 2.5, "drei": 3.0,
    "dreieinhalb": 3.5, "vier": 4.0, "sechs": 6.0, "zwölf": 12.0, "achtzehn": 18.0,
}  # fmt: skip
_NUMBER = r"(?:\d+(?:,5)?|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"
_DURATION_RE = re.compile(
    rf"(?P<n>{_NUMBER})\s+(?P<unit>Jahre?|Monate?)(?:\s+und\s+(?P<m>{_NUMBER})\s+Monate?)?(?![\w-])"
)
_DURATION_SENTENCE_RE = re.compile(r"\b(?:Berufs|Stufen)?[Aa]usbildung(?:en)?\b.*?\bdauer[nt]\b(?P<rest>.*)$")
_SENTENCE_END_RE = re.compile(r"(?<!\bNr)(?<!\bAbs)(?<!\bBGBl)(?<!\bS)(?<!\bvgl)\.\s+(?=[A-ZÄÖÜ(])")


def _number(word: str) -> float:
    return _NUMBER_WORDS.get(word, 0.0) or float(word.replace(",", "."))


def _months(match: re.Match[str]) -> int:
    value = _number(match.group("n"))
    months = value * 12 if match.group("unit").startswith("Jahr") else value
    if match.group("m"):
        months += _number(match.group("m"))
    return round(months)


def _duration_sentences(doc: Document) -> list[str]:
    """All sentences on the training duration in the first paragraph that has one."""
    for norm in doc.norms[:6]:
        sentences = [s for s in _SENTENCE_END_RE.split(norm.text) if _is_duration_sentence(s)]
        # "Die Ausbildung in den Fachrichtungen dauert jeweils 12 Monate" describes a part, not an occupation.
        sentences = [s for s in sentences if not re.search(r"Fachrichtung|Schwerpunkt", s.split("dauer")[0])]
        if sentences:
            return sentences
    return []


def _is_duration_sentence(sentence: str) -> bool:
    match = _DURATION_SENTENCE_RE.search(sentence)
    return bool(match and _DURATION_RE.search(match.group("rest")))


def _durations(sentence: str) -> list[int]:
    rest = sentence.split("dauer", 1)[1] if "dauer" in sentence else sentence
    return [_months(m) for m in _DURATION_RE.finditer(rest)]


def _read_durations(
    sentences: list[str], occupations: list[Occupation]
) -> tuple[int | None, list[Occupation], list[str]]:
    """Duration of the regulation and of each occupation, with problems."""
    if not sentences:
        return None, occupations, ["Ausbildungsdauer nicht gefunden"]
    values = [v for s in sentences for v in _durations(s)]
    if "insgesamt" in sentences[0] and len(set(values)) > 1:
        # Stufenausbildung: "dauert insgesamt 36 Monate … in der ersten Stufe … 24 Monate".
        return values[0], occupations, ["Stufenausbildung: Dauer je Stufe nicht den Berufen zugeordnet"]
    if len(set(values)) == 1:
        return values[0], [_with_duration(o, values[0]) for o in occupations], []
    assigned = _durations_per_occupation(sentences, occupations)
    if assigned is None:
        return (
            None,
            occupations,
            [f"mehrere Ausbildungsdauern, nicht zuzuordnen: {' '.join(sentences)[:160]}"],
        )
    return None, assigned, []


def _with_duration(occupation: Occupation, months: int) -> Occupation:
    return Occupation(occupation.name, occupation.name_male, occupation.name_female, months)


def _durations_per_occupation(sentences: list[str], occupations: list[Occupation]) -> list[Occupation] | None:
    """Assign ``dauert im Ausbildungsberuf X zwei Jahre und im Ausbildungsberuf Y drei Jahre`` and the like."""
    result = list(occupations)
    for sentence in sentences:
        for piece in re.split(r"\b(?:im|in\s+den)\s+Ausbildungsberuf(?:en)?\s+", sentence)[1:]:
            duration = _DURATION_RE.search(piece)
            indexes = _referenced_occupations(piece[: duration.start()], occupations) if duration else []
            if not duration or not indexes:
                return None
            for index in indexes:
                result[index] = _with_duration(result[index], _months(duration))
    if not result or any(o.duration_months is None for o in result):
        return None
    return result


def _referenced_occupations(target: str, occupations: list[Occupation]) -> list[int]:
    numbers = re.search(r"§\s*1\s+Nr\.\s*(\d+)(?:\s+bis\s+(\d+))?", target)
    if numbers:
        first = int(numbers.group(1))
        last = int(numbers.group(2) or first)
        return [i - 1 for i in range(first, last + 1) if 0 < i <= len(occupations)]
    target = _clean(target.replace(" /", "/"))
    found: dict[int, str] = {}
    for index, occupation in enumerate(occupations):
        forms = [f for f in (occupation.name, occupation.name_male, occupation.name_female) if len(f) > 3]
        hits = [f for f in forms if f in target]
        if hits:
            found[index] = max(hits, key=len)
    return [
        i for i, form in found.items() if not any(form in other and form != other for other in found.values())
    ]


# --------------------------------------------------------------------------------------------------------------
# Specialisations (Fachrichtungen, Schwerpunkte, Einsatzgebiete)
# --------------------------------------------------------------------------------------------------------------

_SPEC_PREFIX_RE = re.compile(r"^(?:in|im)\s+(?:der|dem|den)?\s*(?:Fachrichtung|Schwerpunkt|Einsatzgebiet)\s+")
_INLINE_STOP_RE = re.compile(
    r"\s+(?:gewählt|ausgebildet|durchgeführt|nach\s+der|nach\s+den|so\s+vermittelt|zu\s+vermitteln|sind|ist"
    r"|vermittelt|werden)\b.*$"
)
_INLINE_LEAD_RE = re.compile(
    r"(?:zwischen\s+den|einer\s+der|einem\s+der|einen\s+der|der\s+beiden|den\s+beiden|in\s+den|"
    r"Berücksichtigung\s+der)\s+(?:beiden\s+)?(?:folgenden\s+)?"
    r"(?P<kw>Fachrichtungen|Schwerpunkte|Schwerpunkten|Einsatzgebiete|Einsatzgebieten)\s+(?P<rest>[^.;:]+)"
)
_NAMED_SPEC_RE = re.compile(
    r"\b(?:in\s+der|im)\s+(?P<kw>Fachrichtung|Schwerpunkt)\s+(?P<name>[^,;:()]+?)\s+sind:"
)


def _spec_kind(keyword: str) -> str:
    for kind in ("Fachrichtung", "Schwerpunkt", "Einsatzgebiet"):
        if keyword.startswith(kind):
            return kind
    return keyword


def _structure_norms(doc: Document) -> list[Norm]:
    norms = []
    for norm in doc.norms:
        if re.search(r"prüfung", norm.title, re.IGNORECASE):
            break
        norms.append(norm)
    return norms


def _specialisations(doc: Document) -> list[Specialisation]:
    found: list[Specialisation] = []
    for norm in _structure_norms(doc):
        blocks = _blocks(norm.lines)
        for index, block in enumerate(blocks):
            found += _listed_specialisations(blocks, index)
            found += _inline_specialisations(block.text)
    unique: dict[tuple[str, str], Specialisation] = {}
    for spec in found:
        if spec.name and len(spec.name) < 90:
            unique.setdefault((spec.kind, spec.name.casefold()), spec)
    return list(unique.values())


def _listed_specialisations(blocks: list[_Block], index: int) -> list[Specialisation]:
    """Names listed after ``… in der Fachrichtung`` or ``… in einem der folgenden Einsatzgebiete …:``."""
    clause = re.split(r"[;]\s+|\.\s+(?=[A-ZÄÖÜ])", blocks[index].text)[-1]
    keyword = re.search(r"\b(Fachrichtung(?:en)?|Schwerpunkt(?:e|en)?):?$", clause)
    prefixed_only = False
    if not keyword:
        keyword = re.search(r"\bfolgenden\s+(Fachrichtungen|Schwerpunkte|Einsatzgebiete)\b[^:]*:$", clause)
    if not keyword:
        keyword = re.search(r"\b(Fachrichtungen|Schwerpunkte)\b[^:]*:$", clause)
        prefixed_only = True
    if not keyword:
        return []
    items = _following_items(blocks, index)
    if prefixed_only:
        items = [item for item in items if _SPEC_PREFIX_RE.match(item.text)]
    kind = _spec_kind(keyword.group(1))
    return [Specialisation(kind, _spec_name(item.text)) for item in items]


def _following_items(blocks: list[_Block], index: int) -> list[_Block]:
    base = blocks[index]
    items: list[_Block] = []
    for block in blocks[index + 1 :]:
        if block.kind != "item":
            break
        if base.kind == "item" and block.indent <= base.indent:
            break
        if items and (
            block.indent < items[0].indent
            or (block.indent == items[0].indent and block.style != items[0].style)
        ):
            break
        if not items or block.indent == items[0].indent:
            items.append(block)
    return items


def _spec_name(text: str) -> str:
    text = _SPEC_PREFIX_RE.sub("", text)
    text = re.sub(r"\s*[:].*$", "", text)
    return _TRAILING_JOIN_RE.sub("", text.rstrip(".;,")).strip().strip('"„“')


def _inline_specialisations(text: str) -> list[Specialisation]:
    found = []
    for match in _INLINE_LEAD_RE.finditer(text):
        if "folgenden" in match.group(0):
            continue  # introduces a list, read by _listed_specialisations
        rest = _INLINE_STOP_RE.sub("", match.group("rest")).strip()
        if not re.match(r"^[A-ZÄÖÜ\"„]", rest):
            continue
        names = _split_inline_names(rest)
        found += [Specialisation(_spec_kind(match.group("kw")), n) for n in names]
    for match in _NAMED_SPEC_RE.finditer(text):
        found.append(Specialisation(match.group("kw"), match.group("name").strip()))
    return found


def _split_inline_names(text: str) -> list[str]:
    quoted = re.findall(r"[\"„]([^\"“]+)[\"“]", text)
    if quoted:
        return [q.strip() for q in quoted]
    parts = re.split(r"(?<!-),\s+|\s+oder\s+|\s+sowie\s+", text)
    if " oder " not in text and " sowie " not in text and "," not in text:
        parts = re.split(r"(?<!-)\s+und\s+", text)
    elif " oder " not in text and " sowie " not in text:
        parts = parts[:-1] + re.split(r"(?<!-)\s+und\s+", parts[-1])
    return [p.strip() for p in parts if p.strip() and len(p.split()) <= 8]


# --------------------------------------------------------------------------------------------------------------
# Ausbildungsberufsbild
# --------------------------------------------------------------------------------------------------------------


def _profile_norms(doc: Document) -> list[Norm]:
    norms = _structure_norms(doc)
    chosen = [n for n in norms if re.search(r"berufsbild", n.title, re.IGNORECASE)]
    return chosen or [n for n in norms if re.search(r"Struktur|Gegenstand", n.title)]


def _profile_positions(doc: Document, specs: list[Specialisation]) -> list[ProfilePosition]:
    positions: list[ProfilePosition] = []
    for norm in _profile_norms(doc):
        blocks = _blocks(norm.lines)
        for index, block in enumerate(blocks):
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if block.kind != "para" or following is None or following.kind != "item":
                continue
            if _introduces_profile(block.text):
                positions += _profile_list(blocks, index, _spec_in(block.text, specs))
    return positions


_PROFILE_INTRO_RE = re.compile(
    r"Berufsbildposition|Ausbildungsberufsbild|folgenden\s+Fertigkeiten|Gegenstand\s+der\s+(?:Berufs)?[Aa]usbildung"
    r"|^Abschnitt\s+[A-Z0-9IVX]+\b"
)
_NOT_PROFILE_RE = re.compile(r"Einsatzgebiet|in gleicher Weise|zwischen den Fachrichtungen")


def _introduces_profile(text: str) -> bool:
    """The sentence before a list of Berufsbildpositionen (not the list of parts or of Einsatzgebiete)."""
    if _NOT_PROFILE_RE.search(text) or ("gliedert sich" in text and "Ausbildungsberufsbild" not in text):
        return False
    return text.endswith(":") or bool(_PROFILE_INTRO_RE.search(text))


def _profile_list(blocks: list[_Block], index: int, group: str) -> list[ProfilePosition]:
    context = blocks[index].text
    result: list[ProfilePosition] = []
    stack: list[_Block] = []
    for block in blocks[index + 1 :]:
        if block.kind != "item":
            break
        while stack and stack[-1].indent >= block.indent:
            stack.pop()
        parent = stack[-1] if stack else None
        text = _TRAILING_JOIN_RE.sub("", block.text.rstrip(".;,")).strip()
        if parent is None and _SPEC_PREFIX_RE.match(text):
            group = _spec_name(text)
        else:
            result.append(ProfilePosition(block.label, text, group, parent.label if parent else "", context))
        stack.append(block)
    return result


def _only_spec_in(text: str, specs: list[Specialisation]) -> str:
    """The one specialisation an annex heading names ("Ausbildungsrahmenplan … für die Fachrichtung
    allgemeine Krankenversicherung"); "" when it names none or several. Only the words after "Fachrichtung",
    "Schwerpunkt" or "Einsatzgebiet" count: a name can be part of the occupation's own name
    ("Klavier- und Cembalobauer", Fachrichtung Cembalobau)."""
    keyword = re.search(r"\b(?:Fachrichtung|Schwerpunkt|Einsatzgebiet)\s+", text)
    if keyword is None:
        return ""
    folded = text[keyword.end() :].casefold()
    hits = [s.name for s in specs if s.name.casefold() in folded]
    hits = [h for h in hits if not any(h != o and h.casefold() in o.casefold() for o in hits)]
    return hits[0] if len(set(hits)) == 1 else ""


_ELECTIVE_RE = re.compile(r"Wahlqualifikation|Auswahlliste", re.IGNORECASE)
_NOT_ELECTIVE_RE = re.compile(r"übergreifend|Pflichtqualifikation", re.IGNORECASE)


def _is_elective(title: str) -> bool:
    """A section heading of Wahlqualifikationen ("Abschnitt II: Wahlqualifikationen nach § 3 Nummer 2",
    "Auswahlliste I"), not one "übergreifend" to them or of the Pflichtqualifikationen."""
    return bool(_ELECTIVE_RE.search(title)) and not _NOT_ELECTIVE_RE.search(title)


def _spec_in(text: str, specs: list[Specialisation]) -> str:
    folded = text.casefold()
    hits = [s.name for s in specs if s.name.casefold() in folded]
    return max(hits, key=len) if hits else ""


# --------------------------------------------------------------------------------------------------------------
# Annex tables (nested bullet lists)
# --------------------------------------------------------------------------------------------------------------


@dataclass
class _Cell:
    lines: list[str]

    @cached_property
    def text(self) -> str:
        return _join(self.lines)


@dataclass
class _Chunk:
    kind: str  # "row" | "text"
    cells: list[_Cell] = field(default_factory=list)
    text: str = ""


_ROW_START_RE = re.compile(r"^\*(?:\s|$)")
_CELL_START_RE = re.compile(r"^ {4}\*(?:\s+(.*))?$")
_INDENTED_HEADING_RE = re.compile(r"^ {1,3}(?:#{1,6}\s+)?(?:\*\*)?(?:Abschnitt|Teil|[IVX]+\.|[A-H]\.)")


def _chunks(lines: list[str]) -> list[_Chunk]:
    """Split annex lines into table rows (with cells) and text paragraphs or headings."""
    chunks: list[_Chunk] = []
    row: _Chunk | None = None
    text: list[str] = []

    def flush_text() -> None:
        if text:
            chunks.append(_Chunk("text", text=_join([t.lstrip("#") for t in text])))
            text.clear()

    for line in lines:
        if row is not None and _INDENTED_HEADING_RE.match(line):
            row = None  # "   ## Abschnitt C: …" after a row is a heading, not more of the row's last cell
        if _ROW_START_RE.match(line):
            flush_text()
            row = _Chunk("row", [_Cell(_first_cell_line(line))])
            chunks.append(row)
        elif row is not None and (not line.strip() or line.startswith(" ")):
            if _CELL_START_RE.match(line):
                row.cells.append(_Cell(_first_cell_line(line)))
            elif line.strip():
                row.cells[-1].lines.append(line)
        elif line.strip():
            row = None
            text.append(line)
        else:
            flush_text()
    flush_text()
    return chunks


def _first_cell_line(line: str) -> list[str]:
    """The text after the bullets, kept at its column so that indentation still tells nesting."""
    bullets = re.match(r"^[*\s]*", line)
    width = bullets.end() if bullets else 0
    return [" " * width + line[width:]] if line[width:].strip() else []


_ITEM_LINE_RE = re.compile(r"^\s*\*?\s*([a-z]{1,2})\)\s+(.*)$")
_LETTER_ONLY_RE = re.compile(r"^([a-z]{1,2})\)$")
_NUMBER_CELL_RE = re.compile(r"^(?P<n>(?:[IVX]+\.)?\d+(?:\.\d+)*)\.?(?:\s*[a-z])?(?:\s*\(.*\))?$")
_THROUGHOUT_RE = re.compile(r"gesamten\s+Ausbildung", re.IGNORECASE)
_TIME_VALUE_RE = re.compile(
    r"^(?:\d+(?:[,.]\d+)?(?:\s*(?:bis|-|–)\s*\d+(?:[,.]\d+)?)?|[xX]|[-–])(?:\s*(?:Wochen|Monate))?$"
)
_REF_RE = re.compile(r"\(\s*((?:zu\s+)?§[^()]*)\)\s*$")


def _is_items(cell: _Cell) -> bool:
    return any(_ITEM_LINE_RE.match(line) for line in cell.lines)


def _is_number(cell: _Cell) -> bool:
    return bool(_NUMBER_CELL_RE.match(cell.text))


def _is_time(cell: _Cell) -> bool:
    text = cell.text
    return not text or bool(_TIME_VALUE_RE.match(text)) or bool(_THROUGHOUT_RE.search(text))


def _merge_letter_cells(cells: list[_Cell]) -> list[_Cell]:
    """Join ``a) | text`` cell pairs (older plans print the letter in a column of its own)."""
    merged: list[_Cell] = []
    index = 0
    while index < len(cells):
        cell = cells[index]
        letter = _LETTER_ONLY_RE.match(cell.text)
        if letter and index + 1 < len(cells):
            merged.append(_Cell([f"{letter.group(1)}) {cells[index + 1].text}"]))
            index += 2
            continue
        merged.append(cell)
        index += 1
    return merged


def _items(cell: _Cell) -> tuple[str, list[PlanItem]]:
    """Split an items cell into its intro text and the lettered items."""
    intro: list[str] = []
    items: list[tuple[str, list[str]]] = []
    base: int | None = None  # indentation of the items; deeper ones are sub-items of the item above
    for line in cell.lines:
        match = _ITEM_LINE_RE.match(line)
        indent = len(line) - len(line.lstrip())
        if match and base is not None and indent > base + 1 and items:
            items[-1][1].append(f"{match.group(1)}) {match.group(2)}")
        elif match:
            base = indent if base is None else base
            items.append((match.group(1), [match.group(2)]))
        elif items:
            items[-1][1].append(line.strip())
        elif line.strip().strip("*"):
            intro.append(line.strip().lstrip("* "))
    return _join(intro), [PlanItem(letter, _join(text)) for letter, text in items]


# --------------------------------------------------------------------------------------------------------------
# Ausbildungsrahmenplan
# --------------------------------------------------------------------------------------------------------------

_HEADER_CELL_RE = re.compile(r"^(?:Lfd\b|Lfd\.|Nr\.|Berufs-?\s*bild-?\s*position)", re.IGNORECASE)
_TIME_HEADER_RE = re.compile(r"Richtwert|Zeitrahmen|zu vermitteln im|Wochen|Monat", re.IGNORECASE)
_SECTION_RE = re.compile(
    r"^(?P<label>(?:Abschnitt|Teil)\s+[A-Z0-9IVX]+\b|[IVX]+\.(?=\s|[A-ZÄÖÜ])|[A-H]\.(?=\s)"
    r"|\d+(?:\.\d+)*\.?(?=\s+[A-ZÄÖÜ]))\s*[:.\-–]?\s*(?P<title>.*)$"
)
_SPEC_SECTION_RE = re.compile(r"^(?:Fachrichtung|Schwerpunkt|Einsatzgebiet)\b")
_TIME_PART_RE = re.compile(r"zeitliche\s+Gliederung", re.IGNORECASE)
_FACTUAL_PART_RE = re.compile(r"sachliche\s+Gliederung", re.IGNORECASE)


@dataclass
class _Table:
    periods: list[str]
    unit: str
    header: str
    span: str = ""  # "throughout" | "number" | "": what a Richtwert cell spanning further rows said


@dataclass
class _AnnexLog:
    """Problems of one annex, collected per kind and reported once."""

    unplaced_rows: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)
    non_integer: list[str] = field(default_factory=list)
    shared: list[str] = field(default_factory=list)
    unitless: str = ""  # header of a Richtwert column that names no unit

    def report(self, annex: str) -> list[str]:
        name = _short(annex)
        problems = []
        if self.unplaced_rows:
            problems.append(
                f"{name}: {len(self.unplaced_rows)} Tabellenzeile(n) nicht zuzuordnen, "
                f"z. B. „{self.unplaced_rows[0][:80]}“"
            )
        if self.mismatched:
            problems.append(
                f"{name}: Richtwerte von {len(self.mismatched)} Zeile(n) passen nicht zu den Zeiträumen, "
                f"nicht gelesen, z. B. {self.mismatched[0][:80]}"
            )
        if self.non_integer:
            problems.append(f"{name}: Richtwerte keine ganzen Zahlen: {', '.join(self.non_integer[:6])}")
        if self.unitless:
            problems.append(
                f"{name}: Einheit der Richtwerte nicht angegeben („{self.unitless}“), nur time_raw"
            )
        if self.shared:
            problems.append(
                f"{name}: Richtwert gemeinsam mit der vorigen Position angegeben (Nr. {', '.join(self.shared[:8])}), "
                "nur bei der ersten eingetragen"
            )
        return problems


@dataclass
class _PlanReader:
    specs: list[Specialisation]
    problems: list[str]
    sections: list[PlanSection] = field(default_factory=list)
    annex: str = ""
    table: _Table | None = None
    pending_header: list[list[_Cell]] | None = None
    position: PlanPosition | None = None
    position_periods: dict[int, list[str]] = field(default_factory=dict)
    log: _AnnexLog = field(default_factory=_AnnexLog)
    tables: list[_Table] = field(default_factory=list)
    time_part: bool = False
    after_row: str = ""
    title_open: bool = False
    unread: set[int] = field(default_factory=set)  # positions with Richtwert cells that could not be read
    alternatives: list[PlanPosition] = field(default_factory=list)  # positions taught in one of alternatives

    # -- annex level -----------------------------------------------------------------------------------------

    def read_annex(self, annex: Annex) -> None:
        self.annex, self.table, self.position, self.pending_header = annex.heading, None, None, None
        self.time_part = bool(_TIME_PART_RE.search(annex.heading))
        self.log = _AnnexLog()
        for chunk in _chunks(annex.lines):
            if chunk.kind == "text":
                self.read_text(chunk.text)
            else:
                self.read_row(chunk.cells)
        self.problems.extend(self.log.report(annex.heading))

    def read_text(self, text: str) -> None:
        text = text.lstrip("#* ")
        if self.title_open and text[:1].islower() and len(text) < 120:
            section = self.sections[-1]
            section.title = f"{section.title} {text}"  # rest of a heading split by a row
            section.specialisation = section.specialisation or _spec_in(section.title, self.specs)
            section.elective = _is_elective(section.title)
            self.title_open = False
            return
        if len(text) < 90 and _TIME_PART_RE.search(text):
            self.time_part = True
            return
        if len(text) < 90 and _FACTUAL_PART_RE.search(text):
            self.time_part = False
            return
        if self.time_part:
            return
        if re.match(r"^Alternative\s+[A-Z0-9IVX]+\b", text) and self.position is not None:
            self.position.items.append(PlanItem("", text))  # alternatives within the items of a position
            self.alternatives.append(self.position)
            return
        heading = _SECTION_RE.match(text)
        numbered = heading is not None and heading.group("label")[0].isdigit()
        if heading and len(text) < (100 if numbered else 300) and not re.search(r"\bMonat", text):
            self.start_section(heading.group("label").strip(), heading.group("title").strip())
        elif _SPEC_SECTION_RE.match(text) and len(text) < 120:
            self.start_section("", text)

    def start_section(self, label: str, title: str) -> None:
        self.position = None
        optional = "Zusatzqualifikation" in title or "Zusatzqualifikation" in self.annex
        specialisation = _spec_in(title, self.specs) or _only_spec_in(self.annex, self.specs)
        section = PlanSection(
            label, title, specialisation, annex=self.annex, optional=optional, elective=_is_elective(title)
        )
        self.sections.append(section)

    def current_section(self) -> PlanSection:
        if not self.sections or self.sections[-1].annex != self.annex:
            self.sections.append(
                PlanSection(
                    "",
                    "",
                    _only_spec_in(self.annex, self.specs),
                    annex=self.annex,
                    optional="Zusatzqualifikation" in self.annex,
                )
            )
        return self.sections[-1]

    # -- rows ------------------------------------------------------------------------------------------------

    def read_row(self, cells: list[_Cell]) -> None:
        if self.time_part:
            return
        cells = _merge_letter_cells(cells)
        heading = _trailing_heading(cells)
        if _is_header_row(cells):
            self.pending_header = [cells]
        elif self.pending_header is not None and not _is_data_row(cells):
            self.pending_header.append(cells)
        elif len(cells) == 1 and not _is_items(cells[0]):
            self.read_text(cells[0].text)
        else:
            self.finish_header()
            self.read_data_row(cells)
        self.title_open = False
        for text in (heading, self.after_row):
            if text:
                self.read_text(text)
                self.title_open = bool(self.sections) and self.sections[-1].title in text
        self.after_row = ""

    def finish_header(self) -> None:
        if self.pending_header is None:
            return
        header_text = " ".join(c.text for c in self.pending_header[0])
        self.table = _table_from_header(self.pending_header)
        self.tables.append(self.table)
        if self.table.periods and not self.table.unit:
            self.log.unitless = self.table.header
        self.pending_header = None
        if "Zusatzqualifikation" in header_text:
            self.current_section().optional = True

    def read_data_row(self, cells: list[_Cell]) -> None:
        filled = [c.text for c in cells if c.text]
        if not filled or self.read_section_row(cells, filled):
            return
        if self.table is None:
            if _is_data_row(cells):
                self.log.unplaced_rows.append(" | ".join(c.text for c in cells))
            return
        cells = _split_number_and_title(cells)
        if self.in_item_list(cells):
            self.extend_last_item(f"{cells[0].text} {cells[1].text}")
        elif _starts_position(cells):
            self.start_position(cells)
        elif not self.read_continuation(cells, filled):
            self.log.unplaced_rows.append(" | ".join(c.text for c in cells))
            if any(_REF_RE.search(c.text) for c in cells):
                self.position = None  # an unreadable new position: do not give its rows to the previous one

    def read_section_row(self, cells: list[_Cell], filled: list[str]) -> bool:
        """``A. | Fachrichtung Drechseln`` or ``Abschnitt II: … | -``: a section heading rendered as a row."""
        text = " ".join(t for t in filled if t not in ("-", "–"))
        if len(filled) > 2 or _is_number(cells[0]) or any(_is_items(c) for c in cells):
            return False
        if not _SECTION_RE.match(text.lstrip("#* ")) or _TIME_VALUE_RE.match(filled[-1]):
            return False
        self.read_text(text)
        return True

    def read_continuation(self, cells: list[_Cell], filled: list[str]) -> bool:
        """Rows without lfd. Nr. and Berufsbildposition: more items and Richtwerte of the current position."""
        if self.position is None:
            return False
        items_at = next((i for i, c in enumerate(cells) if _is_items(c)), None)
        if items_at is not None and all(not c.text for c in cells[:items_at]):
            self.add_items(cells[items_at])
            self.add_time(cells[items_at + 1 :])
            return True
        if all(_is_time(c) for c in cells):
            self.add_time(cells)
            return True
        if items_at == 1 and not _is_number(cells[0]) and not _REF_RE.search(cells[0].text):
            # "Alternative A: … | a) … b) …": a sub-heading inside the position, then its items
            self.position.items.append(PlanItem("", cells[0].text))
            if re.search(r"\bAlternative\b", cells[0].text):
                self.alternatives.append(self.position)
            self.add_items(cells[1])
            self.add_time(cells[2:])
            return True
        if self.position.items and re.match(r"^(?:[-–]|[a-zäöüß]|oder$|und$)", " ".join(filled)):
            self.extend_last_item(" ".join(filled))  # "- Feuchte", "oder": the item goes on in the next row
            return True
        if (
            cells[0].text
            and not _is_number(cells[0])
            and len(cells) > 1
            and all(_is_time(c) for c in cells[1:])
        ):
            self.add_items(cells[0])  # a sub-heading of the items with its own Richtwert ("Bourlets:" | 18)
            self.add_time(cells[1:])
            return True
        return False

    def in_item_list(self, cells: list[_Cell]) -> bool:
        """``bb) Analysen durchführen, insbesondere zur Bestimmung von:`` followed by rows ``1. | …``."""
        if self.position is None or not self.position.items or len(cells) < 2:
            return False
        last = self.position.items[-1].text
        listing = last.endswith(":") or bool(re.search(r":.*\s\d+\.\s[^:]*$", last))
        return listing and _is_number(cells[0]) and all(not c.text for c in cells[2:])

    def extend_last_item(self, text: str) -> None:
        if self.position is None or not self.position.items:
            return
        last = self.position.items[-1]
        self.position.items[-1] = PlanItem(last.letter, f"{last.text} {text}")

    def start_position(self, cells: list[_Cell]) -> None:
        if self.table is None:
            return
        number = _NUMBER_CELL_RE.match(cells[0].text)
        title, ref = _title_and_ref(cells[1].text)
        number_text = number.group("n") if number else cells[0].text
        periods = len(self.table.periods)
        self.position = PlanPosition(
            number_text,
            title,
            ref,
            weeks=[None] * periods,
            months=[None] * periods,
            time_raw=[""] * periods,
        )
        section = self.current_section()
        section.positions.append(self.position)
        section.periods = section.periods or list(self.table.periods)
        self.position_periods[id(self.position)] = self.table.periods
        if len(cells) > 2:
            self.add_items(cells[2])
        self.add_time(cells[3:], first_row=True)

    def add_items(self, cell: _Cell) -> None:
        if self.position is None:
            return
        intro, items = _items(cell)
        if not items and intro:
            items, intro = [PlanItem("", intro)], ""
        if intro and not self.position.items:
            self.position.intro = intro
        self.position.items.extend(items)

    # -- Richtwerte ------------------------------------------------------------------------------------------

    def add_time(self, cells: list[_Cell], first_row: bool = False) -> None:
        if self.position is None or self.table is None:
            return
        texts = [c.text for c in cells]
        periods = len(self.table.periods)
        if texts and not _is_time_text(texts[-1]):
            self.after_row, texts[-1] = texts[-1], ""  # a heading or footnote put into an empty last cell
        if any(_THROUGHOUT_RE.search(t) for t in texts):
            self.position.throughout = True
            self.table.span = "throughout"
            return
        if not texts:
            if first_row:
                self.inherit_span()
            return
        if all(not t for t in texts):
            self.table.span = "" if first_row else self.table.span
            return
        while len(texts) > periods and not texts[-1]:
            texts.pop()
        if len(texts) != periods:
            self.unread.add(id(self.position))
            self.log.mismatched.append(
                f"Nr. {self.position.number}: „{' | '.join(texts)}“ für {periods} Zeiträume"
            )
            return
        self.table.span = "number" if first_row else self.table.span
        for index, text in enumerate(texts):
            self.add_value(index, text)

    def inherit_span(self) -> None:
        """No Richtwert cell at all: a cell of an earlier row spans this position too."""
        if self.position is None or self.table is None:
            return
        if self.table.span == "throughout":
            self.position.throughout = True
        elif self.table.span == "number" and self.table.periods:
            self.log.shared.append(self.position.number)

    def add_value(self, index: int, text: str) -> None:
        if self.position is None or self.table is None or not text or text in ("-", "–"):
            return
        raw = self.position.time_raw
        raw[index] = f"{raw[index]} + {text}" if raw[index] else text
        target = {WEEKS: self.position.weeks, MONTHS: self.position.months}.get(self.table.unit)
        if target is None:
            return
        number = _TIME_NUMBER_RE.match(text)
        if number is None:
            self.unread.add(id(self.position))
            self.log.non_integer.append(f"„{text[:30]}“")
            return
        target[index] = (target[index] or 0) + int(number.group(1))

    # -- result ----------------------------------------------------------------------------------------------

    def drop_alternative_sums(self) -> None:
        """Richtwerte of alternatives (A oder B oder C) are not added up; they stay readable in time_raw."""
        for position in self.alternatives:
            if any(w is not None for w in position.weeks + position.months):
                position.weeks = [None] * len(position.weeks)
                position.months = [None] * len(position.months)
                self.problems.append(
                    f"Nr. {position.number} {position.title}: Richtwerte je Alternative, nicht summiert"
                )

    def plan(self) -> FrameworkPlan | None:
        sections = [s for s in self.sections if s.positions]
        if not sections:
            return None
        periods: list[str] = []
        for position in (p for s in sections for p in s.positions):
            known = {_period_key(label) for label in periods}
            periods += [
                label
                for label in self.position_periods.get(id(position), [])
                if _period_key(label) not in known
            ]
        for section in sections:
            for position in section.positions:
                _realign(position, self.position_periods.get(id(position), []), periods)
            _mark_groups(section.positions)
            _extend_throughout([p for p in section.positions if id(p) not in self.unread])
        self.drop_alternative_sums()
        units = {t.unit for t in self.tables if t.periods}
        headers = [t.header for t in self.tables if t.header]
        return FrameworkPlan(
            periods, sections, units.pop() if len(units) == 1 else "", headers[0] if headers else ""
        )


_TIME_NUMBER_RE = re.compile(r"^\*?\s*(\d+)\s*(?:\*\)?|\)\*?)?(?:\s+[A-ZÄÖÜ].*)?$")


def _is_time_text(text: str) -> bool:
    return (
        not text
        or bool(_TIME_VALUE_RE.match(text) or _TIME_NUMBER_RE.match(text) or _THROUGHOUT_RE.search(text))
        or text.startswith("während")
    )


def _trailing_heading(cells: list[_Cell]) -> str:
    """A section heading that the conversion put into the last cell of the row before it."""
    last = cells[-1].text.lstrip("#* ") if cells else ""
    if len(cells) > 3 and _SECTION_RE.match(last) and not _is_items(cells[-1]) and not _is_time_text(last):
        text = cells[-1].text
        cells[-1] = _Cell([])  # the cell itself was an empty Richtwert cell
        return text
    return ""


def _extend_throughout(positions: list[PlanPosition]) -> None:
    """Positions without Richtwert next to one taught "während der gesamten Ausbildung" share that cell."""

    def empty(position: PlanPosition) -> bool:
        return not position.throughout and not any(position.time_raw)

    changed = True
    while changed:
        changed = False
        for index, position in enumerate(positions):
            neighbours = positions[max(0, index - 1) : index] + positions[index + 1 : index + 2]
            if empty(position) and not position.is_group and any(n.throughout for n in neighbours):
                position.throughout = changed = True


def _short(heading: str) -> str:
    match = re.match(r"^(Anlage\s*[0-9IVX]*[a-z]?)", heading)
    return match.group(1).strip() if match else heading[:30]


def _title_and_ref(text: str) -> tuple[str, str]:
    """Split ``Berufsbildung (§ 3 Nr. 1)`` into title and reference; drop footnote marks such as ``1)``."""
    match = _REF_RE.search(text)
    title, ref = (text[: match.start()], _clean(match.group(1))) if match else (text, "")
    return re.sub(r"(?:\s+\d\))+$", "", title.strip()).rstrip(","), ref


def _is_header_row(cells: list[_Cell]) -> bool:
    texts = [c.text for c in cells[:3]]
    if texts and _HEADER_CELL_RE.match(texts[0]) and not _is_number(cells[0]):
        return True
    return any(re.search(r"Teil des Ausbildungs|zu vermittelnde Fertigkeiten", t, re.I) for t in texts)


def _is_data_row(cells: list[_Cell]) -> bool:
    if any(_is_items(c) for c in cells):
        return True
    return bool(cells) and _is_number(cells[0]) and len(cells) >= 2 and _is_title(cells[1])


def _split_number_and_title(cells: list[_Cell]) -> list[_Cell]:
    """``11 * Versand von Gütern (§ 4 Nr. 11)`` in one cell: number and Berufsbildposition, split."""
    match = re.match(r"^((?:[IVX]+\.)?\d+(?:\.\d+)*)\.?\s+\*?\s*([A-ZÄÖÜ].*\(§[^()]*\))$", cells[0].text)
    if match and len(cells) > 1 and _is_items(cells[1]):
        return [_Cell([match.group(1)]), _Cell([match.group(2)]), *cells[1:]]
    return cells


def _starts_position(cells: list[_Cell]) -> bool:
    """``Nr. | Berufsbildposition (§ …) | …``; also without number or title where the source prints none."""
    if len(cells) < 2:
        return False
    if _is_number(cells[0]):
        return _is_title(cells[1]) or (len(cells) > 2 and not cells[1].text and bool(cells[2].text))
    return (
        not cells[0].text and bool(_REF_RE.search(cells[1].text)) and len(cells) > 2 and bool(cells[2].text)
    )


def _is_title(cell: _Cell) -> bool:
    return not _is_number(cell) and bool(re.search(r"[A-Za-zÄÖÜäöüß]{4,}", cell.text))


def _is_column_numbering(cells: list[_Cell]) -> bool:
    texts = [c.text.strip("()") for c in cells]
    return texts == [str(i) for i in range(1, len(texts) + 1)] and len(texts) >= 3


def _table_from_header(rows: list[list[_Cell]]) -> _Table:
    header = rows[0]
    time_cells = [c.text for c in header[2:] if _TIME_HEADER_RE.search(c.text)]
    time_header = " ".join(time_cells)
    unit = _unit(time_header)
    if not time_cells:
        return _Table([], "", "")
    candidates = rows[1:]
    if candidates and _is_column_numbering(candidates[-1]):
        candidates = candidates[:-1]
    labels = [c.text for c in candidates[0] if re.search(r"\d", c.text)] if candidates else []
    if not labels:
        labels = [_period_from_header(time_header)]
    return _Table(labels, unit, time_header)


def _unit(header: str) -> str:
    if re.search(r"\bWochen\b", header):
        return WEEKS
    if re.search(r"\bMonaten\b", header):
        return MONTHS
    if re.search(r"\bStunden\b", header):
        return HOURS
    if re.search(r"zu vermitteln im", header, re.IGNORECASE):
        return MARKS
    return ""


def _period_from_header(header: str) -> str:
    """``Zeitliche Richtwerte in Wochen im 3. Ausbildungsjahr`` → ``3. Ausbildungsjahr``."""
    match = re.search(r"\bim\s+(.+)$", header)
    return match.group(1) if match else header


def _period_key(label: str) -> str:
    """``19.bis 36. Monat`` and ``19. bis 36. Monat`` are the same period."""
    return re.sub(r"\s+", "", label)


def _realign(position: PlanPosition, own: list[str], periods: list[str]) -> None:
    """Put the Richtwerte of a position, read per its own table's periods, under the plan's periods."""
    if own == periods:
        return
    index = {_period_key(label): i for i, label in enumerate(own)}
    for name in ("weeks", "months", "time_raw"):
        values = getattr(position, name)
        empty = "" if name == "time_raw" else None
        keys = [_period_key(p) for p in periods]
        setattr(position, name, [values[index[k]] if k in index else empty for k in keys])


def _mark_groups(positions: list[PlanPosition]) -> None:
    for position, following in itertools.pairwise(positions):
        if not position.items and following.number.startswith(position.number + "."):
            position.is_group = True


_PLAN_ANNEX_RE = re.compile(r"Ausbildungsrahmenplan|sachliche\s+Gliederung", re.IGNORECASE)
_UNTITLED_ANNEX_RE = re.compile(
    r"^Anlage\s*[0-9IVX]*[a-z]?\s*(?:\(zu[^)]*\))?\s*(?:(?:für\s+die\s+Berufsausbildung\s+)?zu[mr]\b.*)?$"
)


def _is_plan_annex(annex: Annex) -> bool:
    """Annexes called Ausbildungsrahmenplan, and untitled ones whose body is a Ausbildungsrahmenplan table."""
    if re.search(r"Zusatzqualifikation", annex.heading):
        return _is_additional_annex(annex)
    if _PLAN_ANNEX_RE.search(annex.heading):
        return True
    if not _UNTITLED_ANNEX_RE.match(annex.heading):
        return False
    body = " ".join(line.strip() for line in annex.lines[:40])
    return bool(_PLAN_ANNEX_RE.search(body) or "Teil des Ausbildungsberufsbild" in body)


def _is_additional_annex(annex: Annex) -> bool:
    """An annex of Zusatzqualifikationen (BBiG § 5 Abs. 2 Nr. 5) set as a plan table ("Anlage 2
    Ausbildungsrahmenplan für die Zusatzqualifikationen"); its sections are read as additional."""
    body = " ".join(line.strip() for line in annex.lines[:60])
    return bool(re.search(r"Teil des Ausbildungs|Lfd\.?\s*Nr", body))


def _occupation_in(heading: str, occupations: list[Occupation]) -> str:
    """The occupation an annex heading names (``… zum Verkäufer und zur Verkäuferin``), if exactly one fits."""
    hits = [o for o in occupations if any(f and f in heading for f in (o.name_female, o.name_male))]
    if not hits:  # "zur Technischen Produktdesignerin": compare the female noun only
        hits = [o for o in occupations if _female_noun(o) and re.search(rf"\b{_female_noun(o)}\b", heading)]
    return hits[0].name if len(hits) == 1 else ""


def _female_noun(occupation: Occupation) -> str:
    noun = occupation.name_female.split()[-1] if occupation.name_female else ""
    return re.escape(noun) if noun.endswith("in") else ""


def _is_text_graphic(annex: Annex) -> bool:
    return sum(1 for line in annex.lines if re.match(r"^-{20,}", line)) >= 5


def _plan(
    doc: Document, specs: list[Specialisation], occupations: list[Occupation], problems: list[str]
) -> FrameworkPlan | None:
    reader = _PlanReader(specs, problems)
    for annex in doc.annexes:
        if _is_plan_annex(annex):
            reader.read_annex(annex)
    plan = reader.plan()
    if plan and len(occupations) > 1:
        for section in plan.sections:
            section.occupation = _occupation_in(section.annex, occupations)
    if plan is None and any(_is_text_graphic(a) for a in doc.annexes if _is_plan_annex(a)):
        problems.append("Ausbildungsrahmenplan ist als Textgrafik (Zeichen-Tabelle) gesetzt, nicht gelesen")
    time_parts = [a for a in doc.annexes if _TIME_PART_RE.search(a.heading)]
    if plan and time_parts and not any(any(p.time_raw) for p in plan.positions):
        problems.append(
            "Richtwerte stehen in einer gesonderten zeitlichen Gliederung ("
            + ", ".join(_short(a.heading) for a in time_parts)
            + "), nicht gelesen"
        )
    return plan


# --------------------------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------------------------


def parse_regulation(text: str, *, source_name: str = "") -> ParsedRegulation:
    """Parse one regulation; fields that cannot be read stay empty and are named in ``problems``."""
    doc = split_document(text)
    title = document_title(doc)
    definitions = _definitions(doc.header)
    kind = _kind(title, " ".join(a.heading for a in doc.annexes))
    problems: list[str] = []
    result = ParsedRegulation(
        kind=kind,
        slug=doc.meta.get("slug", "") or Path(source_name).stem,
        jurabk=doc.meta.get("jurabk", ""),
        title=title,
        name="",
        name_male="",
        name_female="",
        issued_on=document_issued_on(doc),
        fundstelle=definitions.get("Fundstelle", ""),
        stand=_stand(doc.header),
        amended_by=_amendments(definitions),
        problems=problems,
        source_name=source_name,
    )
    if result.issued_on is None:
        problems.append("Ausfertigungsdatum nicht lesbar")
    if kind != TRAINING_REGULATION:
        return result
    _read_training_content(doc, result)
    return result


def _amendments(definitions: dict[str, str]) -> str:
    keys = ("Geändert durch", "Zuletzt geändert durch", "Neugefasst durch")
    return "; ".join(f"{k}: {definitions[k]}" for k in keys if k in definitions)


def _read_training_content(doc: Document, result: ParsedRegulation) -> None:
    problems = result.problems
    occupations = _occupations(doc, result.title)
    duration, occupations, duration_problems = _read_durations(_duration_sentences(doc), occupations)
    result.occupations = occupations
    result.duration_months = duration
    problems += duration_problems
    if len(occupations) == 1:
        occupation = occupations[0]
        result.name, result.name_male, result.name_female = (
            occupation.name, occupation.name_male, occupation.name_female
        )  # fmt: skip
        if not occupation.name_female:
            problems.append("weibliche Berufsbezeichnung nicht angegeben")
    elif not occupations:
        problems.append("Berufsbezeichnung nicht gefunden")
    result.specialisations = _specialisations(doc)
    result.profile_positions = _profile_positions(doc, result.specialisations)
    if not result.profile_positions:
        problems.append("Ausbildungsberufsbild (Liste der Berufsbildpositionen) nicht gefunden")
    result.plan = _plan(doc, result.specialisations, occupations, problems)
    result.elective_count = _elective_count(doc)
    _check_plan(result)
    result.recognised_under = _recognised_under(doc)
    if not result.recognised_under:
        problems.append("Rechtsgrundlage der Anerkennung (BBiG § 4 / HwO § 25) nicht gefunden")


_ELECTIVE_NUMBERS = {
    "eine": 1,
    "zwei": 2,
    "drei": 3,
    "vier": 4,
    "fünf": 5,
    "sechs": 6,
    "sieben": 7,
    "acht": 8,
}
_ELECTIVE_COUNT_RE = re.compile(
    r"\b(eine|zwei|drei|vier|fünf|sechs|sieben|acht)\s+(?:vom\s+Ausbildenden|im\s+Ausbildungsvertrag)\s+"
    r"festzulegende\s+(?:\w+\s+)?Wahlqualifikation"
)


def _elective_count(doc: Document) -> int | None:
    """How many Wahlqualifikationen the structure paragraph makes the company choose ("vier vom Ausbildenden
    festzulegende Wahlqualifikationen", ChemikAusbV § 3 Nr. 2); None where it names none or several counts
    (several lists, each with its own count: not read)."""
    counts = [
        _ELECTIVE_NUMBERS[m.group(1)]
        for norm in _structure_norms(doc)
        for m in _ELECTIVE_COUNT_RE.finditer(norm.text)
    ]
    return counts[0] if len(counts) == 1 else None


def sections_without_specialisation(parsed: ParsedRegulation) -> tuple[int, int]:
    """(sections without a specialisation, all sections) of the framework plan of a regulation that names
    specialisations; (0, 0) for one that names none. The catalogue-wide check of the annex headings: a section
    without one is shown to every apprentice of the occupation, whatever their Fachrichtung/Schwerpunkt.
    Zusatzqualifikationen are left out (optional for everyone, listed apart)."""
    if not parsed.specialisations or parsed.plan is None:
        return 0, 0
    sections = [s for s in parsed.plan.sections if not s.optional]
    return sum(1 for s in sections if not s.specialisation), len(sections)


def _check_plan(result: ParsedRegulation) -> None:
    if result.plan is None:
        result.problems.append("Ausbildungsrahmenplan: keine Positionen gelesen")
        return
    empty = [p.number for p in result.plan.positions if not p.items and not p.is_group]
    if empty:
        result.problems.append(f"Positionen ohne Fertigkeiten/Kenntnisse: {', '.join(empty[:8])}")


def is_complete(p: ParsedRegulation) -> bool:
    """A training regulation with name, duration, at least one plan position and items for every position.

    Regulations for several occupations count as named when every occupation is named, and as having a
    duration when every occupation has one.
    """
    if p.kind != TRAINING_REGULATION or p.plan is None:
        return False
    named = bool(p.name) or (bool(p.occupations) and all(o.name for o in p.occupations))
    timed = p.duration_months is not None or (
        bool(p.occupations) and all(o.duration_months is not None for o in p.occupations)
    )
    positions = [pos for pos in p.plan.positions if not pos.is_group]
    return named and timed and bool(positions) and all(pos.items for pos in positions)


# --------------------------------------------------------------------------------------------------------------
# Command line: python -m ausbildung.core.regulations.parser DIR
# --------------------------------------------------------------------------------------------------------------


def parse_directory(directory: Path) -> list[ParsedRegulation]:
    return [
        parse_regulation(path.read_text(encoding="utf-8"), source_name=path.name)
        for path in sorted(directory.glob("*.md"))
    ]


def _report(results: list[ParsedRegulation], seconds: float) -> str:
    training = [r for r in results if r.kind == TRAINING_REGULATION]
    complete = [r for r in training if is_complete(r)]
    share = 100.0 * len(complete) / len(training) if training else 0.0
    lines = [
        f"files: {len(results)}",
        f"training regulations: {len(training)}",
        f"complete: {len(complete)} ({share:.1f} %)",
        f"time: {seconds:.2f} s",
    ]
    checked = [sections_without_specialisation(r) for r in training if r.specialisations and r.plan]
    lines.append(
        f"sections without specialisation: {sum(c[0] for c in checked)} of {sum(c[1] for c in checked)} "
        f"in {len(checked)} regulations with specialisations"
    )
    for kind in (AMENDING, TRIAL, OTHER):
        names = [r.source_name for r in results if r.kind == kind]
        lines.append(f"{kind}: {len(names)} {' '.join(names)}")
    lines.append("incomplete:")
    for result in training:
        if not is_complete(result):
            lines.append(f"  {result.source_name}: {result.problems[0] if result.problems else '?'}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m ausbildung.core.regulations.parser DIR", file=sys.stderr)
        return 2
    started = time.perf_counter()
    results = parse_directory(Path(args[0]))
    print(_report(results, time.perf_counter() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
