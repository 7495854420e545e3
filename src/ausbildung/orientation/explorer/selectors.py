"""The occupation explorer (Berufe entdecken): filters over the catalogue and the figures of an occupation.

Figures come from `data/occupation_figures.json`, each with source and year; a figure not in the file is
returned as None and shown as unknown, never estimated. Follow-up qualifications are derived from the
ordinances on higher vocational qualifications (`orientation.follow_up`), not from that file.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ausbildung.core.models import FrameworkPosition, Occupation, ProfilePosition
from ausbildung.core.schools import CERTIFICATE_LEVEL, Certificate
from ausbildung.core.selectors import occupation_search
from ausbildung.offers import pay
from ausbildung.offers.search import SearchParams, offer_search, public_offers, seeker_for
from ausbildung.offers.selectors import saved_occupations_of, seeker_profile_of

from .. import follow_up
from ..derive import load_lexicon
from ..internships.selectors import InternshipQuery, internship_search
from ..models import InternshipSlot, OccupationInterestProfile
from ..riasec import DIMENSIONS

if TYPE_CHECKING:
    from ausbildung.offers.models import Offer

FIGURES_FILE = Path(settings.BASE_DIR) / "data" / "occupation_figures.json"
FIGURE_KEYS = ("school_certificate", "training_pay", "new_contracts", "dropout_rate")
COMPARE_LINES = 4
NEAR_KM = 50
NEAR_LIMIT = 5

# "Bereich": the law the regulation recognises the occupation under (read from the regulation itself). We
# have no honest source for economic sectors per occupation, so the explorer offers this instead.
AREAS = {
    "hwo": ("hwo", "bbig+hwo"),  # crafts (Handwerk)
    "bbig": ("bbig", "bbig+hwo"),  # industry, trade, services, liberal professions, public service …
}


@cache
def figures_data() -> dict[str, Any]:
    return json.loads(FIGURES_FILE.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Figure:
    value: Any
    year: int | None
    source: str


def figures_for(occupation: Occupation) -> dict[str, Figure | None]:
    """Per figure key, the sourced figure or None (unknown)."""
    entry = figures_data().get("occupations", {}).get(occupation.slug, {})
    result: dict[str, Figure | None] = {}
    for key in FIGURE_KEYS:
        raw = entry.get(key)
        result[key] = (
            Figure(value=raw["value"], year=raw.get("year"), source=raw["source"])
            if raw and raw.get("source")
            else None
        )
    return result


def catalogue_names(*shown: Occupation) -> tuple[follow_up.CatalogueName, ...]:
    """The names of the current occupations (plus those shown, should one be an older version), by slug."""
    rows = (
        Occupation.objects.filter(Q(is_active=True) | Q(pk__in=[o.pk for o in shown]))
        .order_by("slug")
        .values_list("slug", "name", "name_male", "name_female", "duration_months")
    )
    return tuple(follow_up.CatalogueName(*row) for row in rows)


def follow_ups_for(
    occupation: Occupation, catalogue: tuple[follow_up.CatalogueName, ...] | None = None
) -> list[tuple[follow_up.Ordinance, list[follow_up.Link]]]:
    """The follow-up qualifications of the occupation, one entry per ordinance with every reason it is linked.

    Derived from the ordinance texts over the whole catalogue (so that of two overlapping names only the
    longer one counts); an empty list means none found, not that there are none."""
    links = follow_up.catalogue_links(catalogue or catalogue_names(occupation))
    return follow_up.group_by_ordinance(links.get(occupation.slug, ()))


def class_follow_ups_for(
    occupation: Occupation, catalogue: tuple[follow_up.CatalogueName, ...] | None = None
) -> list[follow_up.Link]:
    """The follow-up qualifications whose admission section names a class this occupation belongs to
    ("einen anerkannten kaufmännischen Ausbildungsberuf"), newest first, one per ordinance; those that name the
    occupation itself are in `follow_ups_for`, not here."""
    links = follow_up.catalogue_class_links(catalogue or catalogue_names(occupation))
    return list(links.get(occupation.slug, ()))


def pay_context() -> list[dict[str, Any]]:
    """Pay figures that hold for all occupations (collective average), with source and year."""
    return list(figures_data().get("all_occupations", {}).get("training_pay_collective_average", []))


def minimum_pay_now() -> pay.MinimumPay | None:
    return pay.minimum_pay(timezone.localdate().year)


def explorer_search(
    *, query: str = "", letters: str = "", area: str = "", certificate: str = ""
) -> QuerySet[Occupation]:
    """Current occupations matching the text, whose interest code holds every chosen letter, in the area,
    and (with a certificate) with an open place on this platform for that certificate."""
    occupations = occupation_search(query).select_related("interest_profile")
    for letter in letters:
        occupations = occupations.filter(interest_profile__code__contains=letter)
    if area in AREAS:
        occupations = occupations.filter(recognised_under__in=AREAS[area])
    if certificate in CERTIFICATE_LEVEL:
        occupations = occupations.filter(pk__in=occupations_open_to(certificate))
    return occupations


def occupations_open_to(certificate: str) -> QuerySet[Offer, Any]:
    """Occupation ids with a public offer that has free places and welcomes this school certificate.

    The filter by certificate reads the platform's own offers (what companies here ask for), not national
    statistics: BBiG sets no school certificate as a condition of any training, and we have no sourced
    per-occupation figures on the certificates apprentices bring (see data/occupation_figures.json).
    An offer with no expected certificate welcomes every certificate; one that expects a certificate
    welcomes that one and every higher one (the same rule as the offer search).
    """
    level = CERTIFICATE_LEVEL[certificate]
    fitting = [value for value, lvl in CERTIFICATE_LEVEL.items() if lvl <= level]
    return (
        public_offers()
        .filter(places_taken__lt=F("places"))
        .filter(Q(certificate="") | Q(certificate__in=fitting))
        .values("occupation_id")
    )


def certificate_choices() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in Certificate.choices]


def clean_letters(values: list[str]) -> str:
    return "".join(d for d in DIMENSIONS if d in {v.upper() for v in values})


def profile_of(occupation: Occupation) -> OccupationInterestProfile | None:
    return OccupationInterestProfile.objects.filter(occupation=occupation).first()


# A paragraph reference inside a position of the Ausbildungsberufsbild ("nach § 5 Absatz 2", "(§ 4 Abs. 3)",
# "gemäß §§ 8 und 9"): dropped for pupils, the rest of the law's wording is kept as printed.
_PARAGRAPH_RE = re.compile(
    r"\s*\((?:[^()]*?)§[^()]*\)"  # a bracket holding a reference
    r"|\s*(?:nach|gemäß|im Sinne von|im Sinne des|laut)?\s*§§?\s*[\d\w]+(?:\s*(?:Abs\.|Absatz|Satz|Nr\.|Nummer|"
    r"Buchstabe|und|bis|,)\s*[\d\w]+)*(?:\s+(?:des|der)\s+[A-ZÄÖÜ][\w-]*)?",
    re.IGNORECASE,
)


def readable(text: str) -> str:
    """A position of the Ausbildungsberufsbild as a pupil reads it: without paragraph references, without
    the list's trailing comma or "und"/"sowie", whitespace collapsed; the law's words otherwise unchanged."""
    text = _PARAGRAPH_RE.sub("", text)
    text = " ".join(text.split())
    text = re.sub(r"\s+([,.;])", r"\1", text)
    text = re.sub(r"(?:[,;]\s*(?:und|sowie|oder)?|\s+(?:und|sowie))\s*$", "", text).strip(" ,;.")
    return text


@dataclass(frozen=True)
class LearnLine:
    """One position of the Ausbildungsberufsbild; a heading position ("Büroprozesse:") holds its sub-positions."""

    text: str
    children: tuple[str, ...] = ()


@dataclass(frozen=True)
class LearnGroup:
    """A group of positions of the Ausbildungsberufsbild as the occupation page shows it."""

    # "core": what shapes the occupation ("berufsprofilgebend"); "specialisation": of one Fachrichtung or
    # Schwerpunkt; "more": a further list of the regulation (often Wahlqualifikationen); "shared": the
    # positions nearly every regulation names, taught throughout ("integrativ zu vermitteln")
    kind: str
    title: str  # the specialisation's name for kind "specialisation", else ""
    lines: tuple[LearnLine, ...]

    @property
    def texts(self) -> list[str]:
        return [text for line in self.lines for text in (line.text, *line.children)]


def _top_number(number: str) -> int | None:
    head = number.split(".")[0].strip()
    return int(head) if head.isdigit() else None


def _nest(rows: list[tuple[str, str]]) -> tuple[LearnLine, ...]:
    """(number, text) rows to lines: "2" followed by "2.1", "2.2" becomes one line with two sub-positions."""
    lines: list[LearnLine] = []
    parent = ""
    for number, text in rows:
        if lines and parent and number.startswith(parent + "."):
            last = lines[-1]
            if text not in last.children:
                lines[-1] = LearnLine(last.text, (*last.children, text))
            continue
        parent = number
        if text not in [line.text for line in lines]:
            lines.append(LearnLine(text.rstrip(":").strip()))
    return tuple(lines)


def _berufsbild_rows(occupation: Occupation) -> tuple[list[tuple[str, str, str]], bool]:
    """(specialisation, number, text) of the Ausbildungsberufsbild in the regulation's order, and whether they
    come from the framework plan.

    Where the importer found no Berufsbild list (a regulation for several occupations that names the
    positions only in each occupation's framework plan, e.g. IndMetAusbV), the compulsory positions of the
    occupation's Ausbildungsrahmenplan stand in: the same Berufsbildpositionen, by BBiG § 5 Abs. 1 Nr. 4 the
    plan is organised by them. Wahl- and Zusatzqualifikationen of the plan are left out there."""
    rows = list(
        ProfilePosition.objects.filter(occupation=occupation)
        .order_by("position", "pk")
        .values_list("group", "number", "text")
    )
    if rows:
        return rows, False
    positions = (
        FrameworkPosition.objects.filter(plan__occupation=occupation, kind=FrameworkPosition.Kind.COMPULSORY)
        .select_related("specialisation")
        .order_by("position", "pk")
    )
    return [
        (p.specialisation.name if p.specialisation else "", p.number, p.title)
        for p in positions
        if p.number.split(".")[0].isdigit()
    ], True


def what_you_learn(occupation: Occupation) -> list[LearnGroup]:
    """The Ausbildungsberufsbild (BBiG § 5 Abs. 1 Nr. 3) in readable German, grouped as the regulation lists it.

    The importer keeps the positions in the regulation's order, with the specialisation they belong to
    (`ProfilePosition.group`) but not the sentence that opens each list. Regulations since 2020 have
    three kinds of lists (e.g. FIAusbV § 4 Abs. 2 to 4): the "berufsprofilgebende" positions, those of each
    Fachrichtung, and the "integrativ zu vermittelnde" positions, which open with "Berufsbildung sowie
    Arbeits- und Tarifrecht". So: a list of positions without specialisation begins where the numbering
    starts again at 1. The first such list is what shapes the occupation ("core"); a later list that holds
    one of the standard positions (the same list the interest profile leaves out, `riasec_lexicon.json`
    skip_positions) is the "shared" group; any other later list is shown as "more" (often the
    Wahlqualifikationen). The standard positions in the first list (regulations before 2020 have one list
    opening with them, e.g. TischlAusbV 2006 § 4) are taken out into the shared group."""
    lexicon = load_lexicon()
    lists: list[list[tuple[str, str]]] = []
    by_group: dict[str, list[tuple[str, str]]] = {}
    previous_top: int | None = None
    rows, from_plan = _berufsbild_rows(occupation)
    for group, number, raw in rows:
        text = readable(raw)
        if not text:
            continue
        if group:
            by_group.setdefault(group, []).append((number, text))
            continue
        top = _top_number(number) if "." not in number else None
        if not lists or (top == 1 and previous_top is not None):
            lists.append([])
        if top is not None:
            previous_top = top
        lists[-1].append((number, text))
    core: list[tuple[str, str]] = lists[0] if lists else []
    more: list[list[tuple[str, str]]] = []
    shared: list[tuple[str, str]] = []
    for later in lists[1:]:
        if any(lexicon.skips(text) for _number, text in later):
            shared.extend(later)
        else:
            more.append(later)
    if from_plan:
        more = []  # a plan's later sections can belong to another occupation of the same regulation
    # the standard positions in the first list (regulations before 2020 open their one list with them)
    shared = [(n, t) for n, t in core if lexicon.skips(t)] + shared
    core = [(n, t) for n, t in core if not lexicon.skips(t)]
    groups = [LearnGroup("core", "", _nest(core))] if core else []
    groups += [LearnGroup("specialisation", title, _nest(rows)) for title, rows in by_group.items()]
    groups += [LearnGroup("more", "", _nest(later)) for later in more]
    if shared:
        groups.append(LearnGroup("shared", "", _nest(shared)))
    return groups


def core_lines(occupation: Occupation) -> list[str]:
    """The positions that shape the occupation (the first group of `what_you_learn`), for the comparison."""
    groups = what_you_learn(occupation)
    return [line.text for line in groups[0].lines] if groups and groups[0].kind == "core" else []


@dataclass(frozen=True)
class SpecialisationLine:
    kind: str  # the kind's display name (Fachrichtung, Schwerpunkt …)
    name: str = ""
    positions: int = 0  # positions of the Ausbildungsberufsbild the regulation names for it (0: none named)
    names: tuple[str, ...] = ()  # several of one kind on one line (e.g. the Einsatzgebiete)


# The kinds of specialisation in the plural, for one line that names several of a kind.
KIND_PLURAL = {
    "fachrichtung": gettext_lazy("Fachrichtungen"),
    "schwerpunkt": gettext_lazy("Schwerpunkte"),
    "einsatzgebiet": gettext_lazy("Einsatzgebiete"),
    "other": gettext_lazy("Other specialisations"),
}


def specialisations_of(occupation: Occupation, groups: list[LearnGroup]) -> list[SpecialisationLine]:
    """One line per specialisation with positions of its own (kind, name, how many); the specialisations of a
    kind for which the regulation names no positions of their own (often the Einsatzgebiete, e.g. FIAusbV),
    by kind on one line each: a name is all the regulation says of them."""
    counts = {g.title: len(g.texts) for g in groups if g.kind == "specialisation"}
    lines: list[SpecialisationLine] = []
    plain: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    for item in occupation.specialisations.order_by("position", "pk"):
        labels[item.get_kind_display()] = str(KIND_PLURAL.get(item.kind, item.get_kind_display()))
        if counts.get(item.name):
            lines.append(
                SpecialisationLine(kind=item.get_kind_display(), name=item.name, positions=counts[item.name])
            )
        else:
            plain.setdefault(item.get_kind_display(), []).append(item.name)
    for kind, names in plain.items():
        lines.append(
            SpecialisationLine(kind=labels[kind], names=tuple(names))
            if len(names) > 1
            else SpecialisationLine(kind=kind, name=names[0])
        )
    return lines


def known_figures(figures: dict[str, Figure | None]) -> list[tuple[str, Figure]]:
    """The figures with a source, in FIGURE_KEYS order; unknown ones are left out, never shown as a row."""
    return [(key, figure) for key in FIGURE_KEYS if (figure := figures.get(key)) is not None]


def known_figure_keys(*figure_sets: dict[str, Figure | None]) -> list[str]:
    """The figure keys at least one of the compared occupations has a sourced figure for (the rest would read
    "unbekannt" in every column and are left out)."""
    return [key for key in FIGURE_KEYS if any(figures.get(key) is not None for figures in figure_sets)]


def chart_data(profile: OccupationInterestProfile | None, label: str, names: dict) -> dict[str, Any]:
    scores = profile.scores if profile else dict.fromkeys(DIMENSIONS, 0.0)
    return {
        "labels": [f"{d} – {names[d]}" for d in DIMENSIONS],
        "label": label,
        "values": [round(scores[d] * 100) for d in DIMENSIONS],
    }


@dataclass
class Nearby:
    offers: list[Offer] = field(default_factory=list)
    internships: list[InternshipSlot] = field(default_factory=list)
    postcode: str = ""


def nearby(occupation: Occupation, user) -> Nearby:
    """Published offers and internships for the occupation, within NEAR_KM of the pupil's postcode when they
    saved one (the same place resolution as the offer and internship searches)."""
    profile = seeker_profile_of(user)
    postcode = profile.postcode if profile else ""
    params = SearchParams(
        occupation_id=occupation.pk, place=postcode, radius_km=NEAR_KM if postcode else None, sort="fit"
    )
    result = offer_search(params, seeker=seeker_for(user))
    # the internship search with the same place resolution and radius (nearest first); without a postcode,
    # the soonest internships of the occupation anywhere
    query = InternshipQuery(
        occupation_id=occupation.pk, place=postcode, radius_km=NEAR_KM if postcode else None
    )
    internships = internship_search(query, user=user)
    if not internships.searched:  # a postcode the place data does not know: not "none near you"
        internships = internship_search(InternshipQuery(occupation_id=occupation.pk), user=user)
    return Nearby(
        offers=list(result.offers[:NEAR_LIMIT]), internships=internships.slots[:NEAR_LIMIT], postcode=postcode
    )


def saved_ids(user) -> set[int]:
    return set(saved_occupations_of(user).values_list("pk", flat=True))


def today() -> datetime.date:
    return timezone.localdate()
