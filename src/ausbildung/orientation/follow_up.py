"""Follow-up qualifications of a training occupation, derived from the texts of the ordinances.

Source: the 126 ordinances on higher vocational qualifications in `data/gesetze/fortbildung/`
(Fortbildungsordnungen under BBiG § 53 / HwO § 42, Meisterprüfungsverordnungen under HwO § 45 / § 51a and
BBiG § 53 or the BBiG of 1969), Stand March 2022. Method (documented for users in docs/domain.md,
"Follow-up qualifications"):

1. Per ordinance: title, jurabk and Ausfertigungsdatum from its header; the admission sections (every
   paragraph whose heading starts with "§" and contains "Zulassung", up to the next heading); for a
   Meisterprüfung of a craft ("… Meisterprüfung im Dachdecker-Handwerk", "… im Kosmetiker-Gewerbe") the
   craft name and the law the Eingangsformel cites (HwO § 45: zulassungspflichtig, admission by § 49;
   HwO § 51a: zulassungsfrei or handwerksähnlich, admission by § 51a Abs. 5).
2. An occupation is linked when the masculine or the feminine form of its name occurs literally in an admission
   section, as a whole word (not inside a longer word or a hyphenated compound). Where the forms of two
   occupations overlap ("Elektroniker" inside "Elektroniker für Betriebstechnik"), only the longer one counts.
3. A craft Meisterprüfung is linked to the occupation whose masculine name starts with the craft name
   ("Tischler-Handwerk" → "Tischler"). A suspended hyphen of the title is also read without the hyphen
   ("Maler- und Lackierer-Handwerk" = "Maler-Handwerk und Lackierer-Handwerk" → "Maler und Lackierer").
   3a. Where the names differ, the occupation's own training regulation (`data/gesetze/ausbildung/`, the
   file the importer made the occupation from) may name its craft in the recognition paragraph (§ 1):
   "… zur Ausbildung für das Gewerbe Nummer 20, Kraftfahrzeugtechniker, der Anlage A der Handwerksordnung".
   That craft name is compared with the craft of the title, both with suspended hyphens read without the
   hyphen, word by word; a word may differ only by the plural ending "-e" or "-en" (the texts write
   "Friseure", "Galvaniseure", "Graveure", "Fotografen", "Steinmetzen" beside the singular of the
   Meisterprüfungsverordnung). A paragraph that gives only the number of the craft links nothing (the
   numbering of Anlage A changed in 2004, and no title carries a number); so does a regulation for several
   occupations that names several crafts (which craft is whose is not said).
4. Admission rules that name a class of occupations instead of one ("in einem anerkannten kaufmännischen
   Ausbildungsberuf", "… gewerblich-technischen …", "… der den Chemieberufen zugeordnet werden kann") are
   resolved by the documented class rule of `data/occupation_classes.json` (`class_links`) and kept apart from
   the links by name: the class is read from the clause, the members from the occupation's official name or its
   training regulation, and a duration the clause sets ("dreijährigen", "Berufsausbildungsdauer von mindestens
   drei Jahren") is checked against the occupation's. A class narrowed by a sector ("… Ausbildungsberuf im
   Einzelhandel", "… der Sportwirtschaft") is not resolved.
5. A stage (Fortbildungsstufe) is stated only where the title names it: Geprüfter Berufsspezialist,
   Bachelor Professional, Master Professional (BBiG §§ 53b–53d, HwO §§ 42b–42d). No DQR level is derived.

Pure functions over text and names; `load_ordinances` caches the parsed files per process and
`catalogue_links` caches the result per catalogue. Nothing is typed per occupation.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from ausbildung.core.regulations.parser import (
    document_issued_on,
    document_title,
    recognition_norm,
    split_document,
)

FORTBILDUNG_DIR = Path(__file__).resolve().parent.parent / "data" / "gesetze" / "fortbildung"

ADMISSION = "admission"  # named in an admission section of the ordinance
CRAFT = "craft"  # Meisterprüfung in the craft the occupation is trained for
REGULATION_CRAFT = "regulation_craft"  # Meisterprüfung in the craft the training regulation assigns it to

AUSBILDUNG_DIR = FORTBILDUNG_DIR.parent / "ausbildung"
CLASSES_FILE = FORTBILDUNG_DIR.parent.parent / "occupation_classes.json"
CLASS = "class"  # the admission section names a class of occupations this occupation belongs to

# Stages named in a title, with the norms that define them.
STAGES = (
    ("Master Professional", "BBiG § 53d, HwO § 42d"),
    ("Bachelor Professional", "BBiG § 53c, HwO § 42c"),
    ("Berufsspezialist", "BBiG § 53b, HwO § 42b"),
)

_ADMISSION_HEADING = re.compile(r"Zulassung")
_CRAFT_TITLE = re.compile(r"\bMeisterprüfung\b.*\bim (?P<craft>\S.*?)-(?:Handwerk|Gewerbe)$")
_SUSPENDED_HYPHEN = re.compile(r"(?<=\w)- (?=und |oder )")
_PLURAL_ENDINGS = ("e", "en")
# The craft in the recognition paragraph of a training regulation, in the three orders the texts use:
# "Gewerbe nach Anlage A Nummer 4 „Dachdecker“ der Handwerksordnung" (also ", Elektrotechniker," and unquoted),
# "Gewerbe Nummer 20, Kraftfahrzeugtechniker, der Anlage A" (also "Nr. 38", "28 „Boots- und Schiffbauer“",
# "Anlage B Abschnitt 1", "Anlage B 1") and "Gewerbe „Orgel- und Harmoniumbauer“ nach Anlage B Abschnitt 1
# Nummer 44". The name group is optional: some paragraphs give the number only.
_NUMBER = r"(?:(?:Nummer|Nr\.) )?(?P<number{i}>\d+)"
_ANNEX = r"Anlage (?P<annex{i}>[AB])(?:,? Abschnitt (?P<part{i}>\d)| (?P<partb{i}>\d))?"
_NAME = r"(?:,? „(?P<quoted{i}>[^“]+)“|, (?P<comma{i}>[^,„“]+?),?|(?<!,) (?P<plain{i}>[^,„“]+?))"
_REGULATION_CRAFT = re.compile(
    r"\bGewerbe (?:"
    + r"(?:nach |der )?"
    + _ANNEX.format(i=1)
    + " "
    + _NUMBER.format(i=1)
    + _NAME.format(i=1)
    + r"? der Handwerksordnung"
    + "|"
    + _NUMBER.format(i=2)
    + _NAME.format(i=2)
    + "? der "
    + _ANNEX.format(i=2)
    + "|"
    + r"„(?P<quoted3>[^“]+)“ nach "
    + _ANNEX.format(i=3)
    + " "
    + _NUMBER.format(i=3)
    + ")"
)
_BASIS_45 = re.compile(r"§ 45\b")
_BASIS_51A = re.compile(r"§ 51a\b")
_QUALIFICATION = (
    re.compile(r"\bFortbildungsabschluss(?:es)? (?P<name>.+)$"),
    re.compile(r"\bMeisterprüfung\b(?:(?! im | für den Beruf ).)*(?P<name> (?:im|für den Beruf) .+)$"),
)


@dataclass(frozen=True)
class Admission:
    """One admission section: "§ 2 Zulassungsvoraussetzungen" and its text, whitespace collapsed."""

    number: str
    heading: str
    text: str

    @property
    def section(self) -> str:
        return f"§ {self.number} {self.heading}".strip()


@dataclass(frozen=True)
class Ordinance:
    source_file: str
    title: str
    jurabk: str
    issued_on: dt.date | None
    admissions: tuple[Admission, ...]
    craft: str  # "Tischler" for "… Meisterprüfung im Tischler-Handwerk"; "" otherwise
    craft_basis: str  # "45" | "51a" | "" (the HwO norm the Eingangsformel cites)

    @property
    def qualification(self) -> str:
        """The qualification in the words of the title ("Geprüfter Polier und Geprüfte Polierin",
        "Meisterprüfung im Tischler-Handwerk"); the whole title when neither pattern fits."""
        for pattern in _QUALIFICATION:
            match = pattern.search(self.title)
            if match:
                name = match.group("name").strip()
                return name if pattern is _QUALIFICATION[0] else f"Meisterprüfung {name}"
        return self.title

    @property
    def stage(self) -> tuple[str, str] | None:
        """(stage, norms) when the title names a Fortbildungsstufe, else None."""
        return next(((name, norms) for name, norms in STAGES if name in self.title), None)


@dataclass(frozen=True)
class CatalogueName:
    """What the derivation needs of a catalogue occupation."""

    slug: str
    name: str
    name_male: str = ""
    name_female: str = ""
    duration_months: int | None = None  # for a class clause that sets a duration ("dreijährigen")

    @property
    def forms(self) -> tuple[str, ...]:
        """The masculine and feminine forms; from the "male/female" name when the fields are empty."""
        forms = [f for f in (self.name_male, self.name_female) if f]
        if not forms:
            forms = [part.strip() for part in self.name.split("/") if part.strip()]
        return tuple(dict.fromkeys(forms))


@dataclass(frozen=True)
class CraftEntry:
    """A craft a training regulation names in its recognition paragraph: "Anlage A Nr. 20", Kraftfahrzeugtechniker."""

    annex: str  # "A" | "B"
    part: str  # "1" | "2" for Anlage B (Abschnitt), "" when not given
    number: str
    name: str  # as printed ("Kraftfahrzeugtechniker", "Friseure")

    @property
    def entry(self) -> str:
        """ "Anlage A Nr. 20", "Anlage B Abschnitt 1 Nr. 38"."""
        part = f" Abschnitt {self.part}" if self.part else ""
        return f"Anlage {self.annex}{part} Nr. {self.number}"


@dataclass(frozen=True)
class TrainingRegulation:
    """What rule 3 needs of a training regulation: its file, jurabk and the crafts its § 1 names."""

    source_file: str
    slug: str  # the file slug without a version year, as the importer makes the occupation slug
    jurabk: str
    crafts: tuple[CraftEntry, ...]


@dataclass(frozen=True)
class Link:
    """A follow-up qualification of one occupation and why it is one."""

    ordinance: Ordinance
    reason: str  # ADMISSION | CRAFT | REGULATION_CRAFT
    # the name as it stands in the text (admission), the craft name of the title (craft) or the craft name
    # as the training regulation prints it (regulation craft)
    matched: str
    section: str = ""  # the admission section ("§ 2 Zulassungsvoraussetzungen"); "" for CRAFT
    # REGULATION_CRAFT: the entry of the HwO annex ("Anlage A Nr. 20") and the training regulation's jurabk
    entry: str = ""
    regulation: str = ""
    # CLASS: the class (`OccupationClass.label`); `matched` is then the clause in the words of the ordinance
    occupation_class: str = ""


# --------------------------------------------------------------------------------------------------------------
# Reading an ordinance
# --------------------------------------------------------------------------------------------------------------


def parse_ordinance(text: str, source_file: str = "") -> Ordinance:
    doc = split_document(text)
    admissions = tuple(
        Admission(norm.number, " ".join(norm.title.split()), " ".join(norm.text.split()))
        for norm in doc.norms
        if _ADMISSION_HEADING.search(norm.title)
    )
    title = " ".join(document_title(doc).split())
    craft_match = _CRAFT_TITLE.search(title)
    preamble = " ".join(" ".join(doc.preamble).split())
    basis = "45" if _BASIS_45.search(preamble) else "51a" if _BASIS_51A.search(preamble) else ""
    return Ordinance(
        source_file=source_file,
        title=title,
        jurabk=" ".join(doc.meta.get("jurabk", "").split()),
        issued_on=document_issued_on(doc),
        admissions=admissions,
        craft=craft_match.group("craft").strip() if craft_match else "",
        craft_basis=basis if craft_match else "",
    )


@cache
def load_ordinances(directory: Path = FORTBILDUNG_DIR) -> tuple[Ordinance, ...]:
    """Every ordinance of the folder, parsed once per process, in file name order."""
    return tuple(
        parse_ordinance(path.read_text(encoding="utf-8"), path.name)
        for path in sorted(directory.glob("*.md"))
    )


def regulation_crafts(text: str) -> tuple[CraftEntry, ...]:
    """The crafts (with name) the recognition paragraph of a training regulation assigns the occupation to."""
    norm = recognition_norm(split_document(text))
    if norm is None or norm.number != "1":  # the reason shown cites § 1
        return ()
    paragraph = " ".join(norm.text.split())
    entries = []
    for match in _REGULATION_CRAFT.finditer(paragraph):
        groups = {key[:-1]: value for key, value in match.groupdict().items() if value}
        name = groups.get("quoted") or groups.get("comma") or groups.get("plain") or ""
        if name:
            part = groups.get("part") or groups.get("partb") or ""
            entries.append(CraftEntry(groups["annex"], part, groups["number"], name.strip()))
    return tuple(entries)


def parse_training_regulation(text: str, source_file: str) -> TrainingRegulation:
    doc = split_document(text)
    slug = re.sub(r"_\d{4}$", "", doc.meta.get("slug") or Path(source_file).stem)  # as importer.base_slug
    return TrainingRegulation(
        source_file, slug, " ".join(doc.meta.get("jurabk", "").split()), regulation_crafts(text)
    )


@cache
def load_training_regulations(directory: Path = AUSBILDUNG_DIR) -> tuple[TrainingRegulation, ...]:
    """The training regulations that name a craft in § 1, parsed once per process, in file name order."""
    regulations = (
        parse_training_regulation(path.read_text(encoding="utf-8"), path.name)
        for path in sorted(directory.glob("*.md"))
    )
    return tuple(regulation for regulation in regulations if regulation.crafts)


# --------------------------------------------------------------------------------------------------------------
# Linking occupations
# --------------------------------------------------------------------------------------------------------------


def _form_pattern(form: str) -> re.Pattern[str]:
    # a whole word: not part of a longer word, not part of a hyphenated compound ("Tischler-Handwerk")
    return re.compile(r"(?<![\w-])" + re.escape(form) + r"(?![\w-])")


def admission_links(ordinance: Ordinance, catalogue: Iterable[CatalogueName]) -> list[tuple[str, Link]]:
    """(slug, link) for every occupation whose name form stands in an admission section of the ordinance."""
    names = list(catalogue)
    links: list[tuple[str, Link]] = []
    for admission in ordinance.admissions:
        hits: list[tuple[int, int, str, str]] = []  # start, end, slug, form
        for name in names:
            for form in name.forms:
                if form in admission.text:
                    hits.extend(
                        (m.start(), m.end(), name.slug, form)
                        for m in _form_pattern(form).finditer(admission.text)
                    )
        accepted: list[tuple[int, int, str, str]] = []
        for hit in sorted(hits, key=lambda h: (h[0] - h[1], h[0])):  # longest first
            inside_other = any(a[0] <= hit[0] and hit[1] <= a[1] and a[2] != hit[2] for a in accepted)
            if not inside_other:
                accepted.append(hit)
        seen: set[str] = set()
        for _start, _end, slug, form in sorted(accepted):
            if slug not in seen:
                seen.add(slug)
                links.append((slug, Link(ordinance, ADMISSION, form, admission.section)))
    return links


def craft_names(craft: str) -> tuple[str, ...]:
    """The craft name as the title writes it and, with a suspended hyphen, without it."""
    return tuple(dict.fromkeys((craft, _SUSPENDED_HYPHEN.sub(" ", craft))))


def craft_links(ordinance: Ordinance, catalogue: Iterable[CatalogueName]) -> list[tuple[str, Link]]:
    """(slug, link) for the occupations whose masculine name starts with the craft of a craft Meisterprüfung."""
    if not ordinance.craft:
        return []
    links = []
    for name in catalogue:
        male = name.forms[0] if name.forms else ""
        for craft in craft_names(ordinance.craft):
            if male == craft or male.startswith((craft + " ", craft + "/", craft + " (")):
                links.append((name.slug, Link(ordinance, CRAFT, craft)))
                break
    return links


def _words(craft: str) -> list[str]:
    return _SUSPENDED_HYPHEN.sub(" ", craft).split()


def same_craft(printed: str, craft: str) -> bool:
    """Whether a craft name printed in a training regulation names the craft of a Meisterprüfung title.

    Suspended hyphens are read without the hyphen on both sides; then word by word, a word may differ only
    by the plural ending "-e" or "-en" ("Friseure" = "Friseur", "Steinmetzen und Steinbildhauer" =
    "Steinmetz- und Steinbildhauer")."""
    left, right = _words(printed), _words(craft)
    return len(left) == len(right) and all(
        a == b or any(a == b + end or b == a + end for end in _PLURAL_ENDINGS)
        for a, b in zip(left, right, strict=True)
    )


def _regulation_of(slug: str, regulations: dict[str, TrainingRegulation]) -> TrainingRegulation | None:
    # the importer's slug: the file slug, or "<file slug>-<name>" for one of several occupations of a file
    # (and "-2" … should the slug be taken); file slugs contain no hyphen
    return regulations.get(slug.split("-", 1)[0])


def regulation_craft_links(
    ordinance: Ordinance, catalogue: Iterable[CatalogueName], regulations: Iterable[TrainingRegulation]
) -> list[tuple[str, Link]]:
    """(slug, link) for the occupations whose training regulation assigns them to the craft of a craft
    Meisterprüfung (rule 3)."""
    if not ordinance.craft:
        return []
    by_slug = {regulation.slug: regulation for regulation in regulations}
    links = []
    for name in catalogue:
        regulation = _regulation_of(name.slug, by_slug)
        if regulation is None or ("-" in name.slug and len(regulation.crafts) > 1):
            # one of several occupations of a regulation that names several crafts: which craft is whose
            # the paragraph does not say
            continue
        for entry in regulation.crafts:
            if same_craft(entry.name, ordinance.craft):
                links.append(
                    (
                        name.slug,
                        Link(
                            ordinance,
                            REGULATION_CRAFT,
                            entry.name,
                            entry=entry.entry,
                            regulation=regulation.jurabk or regulation.source_file,
                        ),
                    )
                )
                break
    return links


def derive(
    ordinances: Iterable[Ordinance],
    catalogue: Iterable[CatalogueName],
    regulations: Iterable[TrainingRegulation] = (),
) -> dict[str, tuple[Link, ...]]:
    """Per occupation slug, its follow-up qualifications (links), newest ordinance first.

    An ordinance linked for both reasons gives two links (both reasons are shown). Rule 3 (the training
    regulation's craft) adds a link only where rule 2 (same craft name) has not linked the pair already."""
    names = tuple(catalogue)
    trainings = tuple(regulations)
    result: dict[str, list[Link]] = {}
    for ordinance in ordinances:
        crafts = craft_links(ordinance, names)
        by_name = {slug for slug, _link in crafts}
        recovered = [
            (slug, link)
            for slug, link in regulation_craft_links(ordinance, names, trainings)
            if slug not in by_name
        ]
        for slug, link in [*crafts, *recovered, *admission_links(ordinance, names)]:
            result.setdefault(slug, []).append(link)
    return {
        slug: tuple(
            sorted(links, key=lambda link: (-_ordinal(link.ordinance.issued_on), link.ordinance.title))
        )
        for slug, links in result.items()
    }


def _ordinal(day: dt.date | None) -> int:
    return day.toordinal() if day else 0


# --------------------------------------------------------------------------------------------------------------
# Classes of occupations (rule 4)
# --------------------------------------------------------------------------------------------------------------

# Words that may stand around the class adjective(s) of a clause without changing the class.
_CLAUSE_WORD = (
    r"(?:anderen|sonstigen|anerkannten|dreijährigen|zweijährigen"
    r"|nach dem Berufsbildungsgesetz oder der Handwerksordnung geregelten)"
)
_CLASS_CLAUSE = re.compile(
    rf"in einem (?:{_CLAUSE_WORD}\s+)*(?P<adjectives>[\w-]+en(?:(?:,\s+|\s+oder\s+)[\w-]+en)*)\s+"
    rf"(?:{_CLAUSE_WORD}\s+)*Ausbildungsberuf\b"
    r"(?P<duration>\s+mit einer Berufsausbildungsdauer von (?:mindestens )?\w+ Jahren)?"
    r"(?P<narrowed>\s+(?:im|in der|für|der|des|aus)\b)?"
)
_ADJECTIVE_SPLIT = re.compile(r",\s+|\s+oder\s+")
_DURATIONS = (
    (re.compile(r"mindestens drei Jahren"), 36, True),
    (re.compile(r"dreijährig|von drei Jahren"), 36, False),
    (re.compile(r"mindestens zwei Jahren"), 24, True),
    (re.compile(r"zweijährig|von zwei Jahren"), 24, False),
)


@dataclass(frozen=True)
class OccupationClass:
    """A class of occupations an admission section can name, and the documented rule for its members."""

    key: str
    label: str  # the German word of the texts ("kaufmännisch")
    adjectives: tuple[str, ...]  # read inside a clause "in einem … <adjective> … Ausbildungsberuf"
    phrases: tuple[re.Pattern[str], ...]  # read as they stand
    names: tuple[re.Pattern[str], ...]  # searched in the masculine and feminine name forms
    regulations: tuple[str, ...]  # file slugs of training regulations whose occupations all belong
    why: str

    def has(self, name: CatalogueName) -> bool:
        return any(p.search(form) for p in self.names for form in name.forms) or any(
            name.slug.split("-", 1)[0] == regulation for regulation in self.regulations
        )


@cache
def load_classes(path: Path = CLASSES_FILE) -> tuple[OccupationClass, ...]:
    """The classes of `data/occupation_classes.json` (the rule is data, documented in docs/domain.md)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(
        OccupationClass(
            key=entry["key"],
            label=entry["label"],
            adjectives=tuple(entry.get("adjectives", ())),
            phrases=tuple(re.compile(p) for p in entry.get("phrases", ())),
            names=tuple(re.compile(p) for p in entry.get("names", ())),
            regulations=tuple(entry.get("regulations", ())),
            why=entry["why"],
        )
        for entry in data["classes"]
    )


@dataclass(frozen=True)
class ClassClause:
    """A clause of an admission section that names a class: its wording and the duration it sets."""

    occupation_class: OccupationClass
    section: str
    wording: str
    months: int | None = None  # the duration the clause requires, None when it sets none
    at_least: bool = False  # "mindestens drei Jahren": the duration or longer

    def admits(self, name: CatalogueName) -> bool:
        if not self.occupation_class.has(name):
            return False
        if self.months is None:
            return True
        if name.duration_months is None:
            return False  # the clause sets a duration the catalogue does not know: not linked
        return name.duration_months >= self.months if self.at_least else name.duration_months == self.months


def _duration(wording: str) -> tuple[int | None, bool]:
    for pattern, months, at_least in _DURATIONS:
        if pattern.search(wording):
            return months, at_least
    return None, False


def class_clauses(
    ordinance: Ordinance, classes: Iterable[OccupationClass] | None = None
) -> list[ClassClause]:
    """The clauses of the ordinance's admission sections that name a class of occupations."""
    known = tuple(load_classes() if classes is None else classes)
    clauses: list[ClassClause] = []
    for admission in ordinance.admissions:
        for match in _CLASS_CLAUSE.finditer(admission.text):
            if match.group("narrowed"):
                continue  # "… Ausbildungsberuf im Einzelhandel": a sector the catalogue does not record
            adjectives = set(_ADJECTIVE_SPLIT.split(match.group("adjectives")))
            wording = match.group(0).strip()
            months, at_least = _duration(wording)
            clauses.extend(
                ClassClause(occupation_class, admission.section, wording, months, at_least)
                for occupation_class in known
                if adjectives & set(occupation_class.adjectives)
            )
        for occupation_class in known:
            for phrase in occupation_class.phrases:
                for match in phrase.finditer(admission.text):
                    months, at_least = _duration(match.group(0))
                    clauses.append(
                        ClassClause(occupation_class, admission.section, match.group(0), months, at_least)
                    )
    return clauses


def class_links(
    ordinance: Ordinance,
    catalogue: Iterable[CatalogueName],
    classes: Iterable[OccupationClass] | None = None,
) -> list[tuple[str, Link]]:
    """(slug, link) for every occupation of a class an admission section of the ordinance names; one link per
    occupation and ordinance (the first clause that admits it)."""
    clauses = class_clauses(ordinance, classes)
    links: list[tuple[str, Link]] = []
    for name in catalogue:
        clause = next((c for c in clauses if c.admits(name)), None)
        if clause is not None:
            link = Link(
                ordinance,
                CLASS,
                clause.wording,
                clause.section,
                occupation_class=clause.occupation_class.label,
            )
            links.append((name.slug, link))
    return links


def derive_classes(
    ordinances: Iterable[Ordinance],
    catalogue: Iterable[CatalogueName],
    named: dict[str, tuple[Link, ...]],
    classes: Iterable[OccupationClass] | None = None,
) -> dict[str, tuple[Link, ...]]:
    """Per occupation slug, the follow-ups by class, newest ordinance first; an ordinance that already names
    the occupation (`named`, from `derive`) is not repeated here."""
    names = tuple(catalogue)
    known = tuple(load_classes() if classes is None else classes)
    result: dict[str, list[Link]] = {}
    for ordinance in ordinances:
        for slug, link in class_links(ordinance, names, known):
            if any(other.ordinance.source_file == ordinance.source_file for other in named.get(slug, ())):
                continue
            result.setdefault(slug, []).append(link)
    return {
        slug: tuple(
            sorted(links, key=lambda link: (-_ordinal(link.ordinance.issued_on), link.ordinance.title))
        )
        for slug, links in result.items()
    }


@lru_cache(maxsize=8)
def catalogue_class_links(catalogue: tuple[CatalogueName, ...]) -> dict[str, tuple[Link, ...]]:
    """`derive_classes` over the shipped ordinances, cached per catalogue."""
    return derive_classes(load_ordinances(), catalogue, catalogue_links(catalogue))


@lru_cache(maxsize=8)
def catalogue_links(catalogue: tuple[CatalogueName, ...]) -> dict[str, tuple[Link, ...]]:
    """`derive` over the shipped ordinances, cached per catalogue (the names of the current occupations)."""
    return derive(load_ordinances(), catalogue, load_training_regulations())


def group_by_ordinance(links: Iterable[Link]) -> list[tuple[Ordinance, list[Link]]]:
    """The links of one occupation grouped per ordinance (one entry per qualification, with all reasons)."""
    grouped: dict[str, tuple[Ordinance, list[Link]]] = {}
    for link in links:
        grouped.setdefault(link.ordinance.source_file, (link.ordinance, []))[1].append(link)
    return list(grouped.values())


def summary(catalogue: tuple[CatalogueName, ...]) -> dict[str, int]:
    """Counts of the derivation over a catalogue (docs/domain.md reports them for the full catalogue)."""
    links = catalogue_links(catalogue)
    by_class = catalogue_class_links(catalogue)
    every = [link for occupation_links in links.values() for link in occupation_links]
    return {
        "occupations_with_named_follow_up": len(links),
        "occupations_with_class_follow_up": len(by_class),
        "occupations_with_any_follow_up": len(set(links) | set(by_class)),
        "links_class": sum(len(class_links_) for class_links_ in by_class.values()),
        "ordinances": len(load_ordinances()),
        "ordinances_linked": len({link.ordinance.source_file for link in every}),
        "occupations": len(catalogue),
        "occupations_with_follow_up": len(links),
        "links": len(every),
        "links_admission": sum(link.reason == ADMISSION for link in every),
        "links_craft": sum(link.reason == CRAFT for link in every),
        "links_regulation_craft": sum(link.reason == REGULATION_CRAFT for link in every),
    }
