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
4. Admission rules that name no specific occupation ("einem anerkannten kaufmännischen Ausbildungsberuf")
   link nothing: such qualifications are open to many occupations and are not listed per occupation.
5. A stage (Fortbildungsstufe) is stated only where the title names it: Geprüfter Berufsspezialist,
   Bachelor Professional, Master Professional (BBiG §§ 53b–53d, HwO §§ 42b–42d). No DQR level is derived.

Pure functions over text and names; `load_ordinances` caches the parsed files per process and
`catalogue_links` caches the result per catalogue. Nothing is typed per occupation.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from ausbildung.core.regulations.parser import _definitions, _issued_on, _split_document, _title

FORTBILDUNG_DIR = Path(__file__).resolve().parent.parent / "data" / "gesetze" / "fortbildung"

ADMISSION = "admission"  # named in an admission section of the ordinance
CRAFT = "craft"  # Meisterprüfung in the craft the occupation is trained for

# Stages named in a title, with the norms that define them.
STAGES = (
    ("Master Professional", "BBiG § 53d, HwO § 42d"),
    ("Bachelor Professional", "BBiG § 53c, HwO § 42c"),
    ("Berufsspezialist", "BBiG § 53b, HwO § 42b"),
)

_ADMISSION_HEADING = re.compile(r"Zulassung")
_CRAFT_TITLE = re.compile(r"\bMeisterprüfung\b.*\bim (?P<craft>\S.*?)-(?:Handwerk|Gewerbe)$")
_SUSPENDED_HYPHEN = re.compile(r"(?<=\w)- (?=und |oder )")
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

    @property
    def forms(self) -> tuple[str, ...]:
        """The masculine and feminine forms; from the "male/female" name when the fields are empty."""
        forms = [f for f in (self.name_male, self.name_female) if f]
        if not forms:
            forms = [part.strip() for part in self.name.split("/") if part.strip()]
        return tuple(dict.fromkeys(forms))


@dataclass(frozen=True)
class Link:
    """A follow-up qualification of one occupation and why it is one."""

    ordinance: Ordinance
    reason: str  # ADMISSION | CRAFT
    matched: str  # the name as it stands in the text (admission) or the craft name of the title (craft)
    section: str = ""  # the admission section ("§ 2 Zulassungsvoraussetzungen"); "" for CRAFT


# --------------------------------------------------------------------------------------------------------------
# Reading an ordinance
# --------------------------------------------------------------------------------------------------------------


def parse_ordinance(text: str, source_file: str = "") -> Ordinance:
    doc = _split_document(text)
    admissions = tuple(
        Admission(norm.number, " ".join(norm.title.split()), " ".join(norm.text.split()))
        for norm in doc.norms
        if _ADMISSION_HEADING.search(norm.title)
    )
    title = " ".join(_title(doc).split())
    craft_match = _CRAFT_TITLE.search(title)
    preamble = " ".join(" ".join(doc.preamble).split())
    basis = "45" if _BASIS_45.search(preamble) else "51a" if _BASIS_51A.search(preamble) else ""
    return Ordinance(
        source_file=source_file,
        title=title,
        jurabk=" ".join(doc.meta.get("jurabk", "").split()),
        issued_on=_issued_on(_definitions(doc.header).get("Ausfertigungsdatum", "")),
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


def derive(
    ordinances: Iterable[Ordinance], catalogue: Iterable[CatalogueName]
) -> dict[str, tuple[Link, ...]]:
    """Per occupation slug, its follow-up qualifications (links), newest ordinance first.

    An ordinance linked for both reasons gives two links (both reasons are shown)."""
    names = tuple(catalogue)
    result: dict[str, list[Link]] = {}
    for ordinance in ordinances:
        for slug, link in [*craft_links(ordinance, names), *admission_links(ordinance, names)]:
            result.setdefault(slug, []).append(link)
    return {
        slug: tuple(
            sorted(links, key=lambda link: (-_ordinal(link.ordinance.issued_on), link.ordinance.title))
        )
        for slug, links in result.items()
    }


def _ordinal(day: dt.date | None) -> int:
    return day.toordinal() if day else 0


@lru_cache(maxsize=8)
def catalogue_links(catalogue: tuple[CatalogueName, ...]) -> dict[str, tuple[Link, ...]]:
    """`derive` over the shipped ordinances, cached per catalogue (the names of the current occupations)."""
    return derive(load_ordinances(), catalogue)


def group_by_ordinance(links: Iterable[Link]) -> list[tuple[Ordinance, list[Link]]]:
    """The links of one occupation grouped per ordinance (one entry per qualification, with all reasons)."""
    grouped: dict[str, tuple[Ordinance, list[Link]]] = {}
    for link in links:
        grouped.setdefault(link.ordinance.source_file, (link.ordinance, []))[1].append(link)
    return list(grouped.values())


def summary(catalogue: tuple[CatalogueName, ...]) -> dict[str, int]:
    """Counts of the derivation over a catalogue (docs/domain.md reports them for the full catalogue)."""
    links = catalogue_links(catalogue)
    every = [link for occupation_links in links.values() for link in occupation_links]
    return {
        "ordinances": len(load_ordinances()),
        "ordinances_linked": len({link.ordinance.source_file for link in every}),
        "occupations": len(catalogue),
        "occupations_with_follow_up": len(links),
        "links": len(every),
        "links_admission": sum(link.reason == ADMISSION for link in every),
        "links_craft": sum(link.reason == CRAFT for link in every),
    }
