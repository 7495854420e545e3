"""The rules on training staff (Ausbildungspersonal, issue #21): who may train, how many apprentices a trainer
trains personally, and how many apprentices a training site's skilled staff carries. Facts in, findings out.

Pure: no Django, nothing of ausbildung (checked by import-linter), so every rule can be read next to its
paragraph and tested on its own. Each finding names its paragraph or its source; none is a decision. The
chamber decides (BBiG § 32: it watches over the suitability of site and staff), the platform flags.

- **A responsible trainer with the aptitude on record** (BBiG § 28 Abs. 1, 2; § 30; HwO § 22, § 22b): a
  contract needs a current main trainer (Ausbilder/in), and that person's berufs- und arbeitspädagogische
  Eignung needs evidence: the AEVO exam (AusbEignV § 4), an exam under an earlier AEVO (§ 6 Abs. 1), a
  Meisterprüfung or another Fortbildung exam that includes it (§ 6 Abs. 2), an exemption by the chamber
  (§ 6 Abs. 3, 4), or training since before 1 August 2009 (§ 7). The AusbEignV does not apply to the free
  professions (§ 1 Satz 2). In a craft requiring a licence the Meisterprüfung should be in the same or a
  related craft (HwO § 22b Abs. 2 Nr. 1): a Meister of another craft is a note for the chamber, which decides
  whether the crafts are related.
- **The trainer's personal load**: a trainer with other duties should on average train no more than three
  apprentices personally; a full-time trainer no more than sixteen in one group. These are the figures of
  the Bundesausschuss für Berufsbildung's recommendation on the suitability of training sites (1972) as the
  chambers publish them today (see LOAD_SOURCE); a warning, never a refusal.
- **The site's ratio** (BBiG § 27 Abs. 1 Nr. 2): the number of apprentices in reasonable proportion to the
  skilled staff, with the same recommendation's bands (the caller passes its `max_apprentices`); warned
  before a new contract would exceed it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from enum import StrEnum


class Evidence(StrEnum):
    """The kinds of evidence of the berufs- und arbeitspädagogische Eignung (AusbEignV)."""

    AEVO = "aevo"  # § 4: the exam (certificate § 5)
    EARLIER_AEVO = "earlier_aevo"  # § 6 Abs. 1: an exam under an earlier AEVO
    FORTBILDUNG = "fortbildung"  # § 6 Abs. 2: Meisterprüfung or another Fortbildung exam including it
    EXEMPT_BY_EXAM = "exempt_by_exam"  # § 6 Abs. 3: exempted by the chamber for another exam
    EXEMPT = "exempt"  # § 6 Abs. 4: exempted by the chamber, the aptitude shown otherwise
    BEFORE_2009 = "before_2009"  # § 7: trained before 1 August 2009 and goes on


PARAGRAPH = {
    Evidence.AEVO: "AusbEignV § 4",
    Evidence.EARLIER_AEVO: "AusbEignV § 6 Abs. 1",
    Evidence.FORTBILDUNG: "AusbEignV § 6 Abs. 2",
    Evidence.EXEMPT_BY_EXAM: "AusbEignV § 6 Abs. 3",
    Evidence.EXEMPT: "AusbEignV § 6 Abs. 4",
    Evidence.BEFORE_2009: "AusbEignV § 7",
}

# The trainer's personal load: the chambers' guidance (Bundesausschuss für Berufsbildung, Empfehlung über die
# Eignung der Ausbildungsstätten, 28 March 1972, as e.g. IHK Detmold publishes it, retrieved 2026-12-08:
# https://www.detmold.ihk.de/hauptnavigation/bilden-und-qualifizieren/ausbildung/ausbildungs-a-z/ausbildungsstaette-eignung-4210424).
LOAD_OTHER_DUTIES = 3  # "sollen durchschnittlich nicht mehr als drei Auszubildende selbst ausbilden"
LOAD_FULL_TIME = 16  # "nicht mehr als 16 Auszubildende in einer Gruppe unmittelbar selbst ausbilden"
LOAD_SOURCE = (
    "Empfehlung des Bundesausschusses für Berufsbildung über die Eignung der Ausbildungsstätten (1972), "
    "wie die Kammern sie veröffentlichen (z. B. IHK Detmold)"
)

FLAG = "flag"  # the law's condition is not shown to be met: the company and the chamber see it
WARNING = "warning"  # a guidance figure is exceeded: a reason to look, the chamber decides
NOTE = "note"  # something the chamber may want to check


@dataclass(frozen=True)
class Finding:
    key: str
    level: str  # FLAG, WARNING or NOTE
    text: str  # German: what people read
    paragraph: str  # the paragraph or source it rests on


@dataclass(frozen=True)
class Trainer:
    """A current main trainer of a contract, with the evidence on record."""

    name: str
    evidence: Collection[str] = ()  # Evidence values on record and not withdrawn
    meister_crafts: Collection[int] = ()  # occupations of the Meisterprüfungen on record (HwO § 22b)


@dataclass(frozen=True)
class ContractFacts:
    free_profession: bool  # the chamber is one of the free professions (AusbEignV § 1 Satz 2)
    craft: bool  # a craft requiring a licence (the chamber is an HWK; HwO § 22b Abs. 2)
    occupation_id: int
    main_trainers: tuple[Trainer, ...] = ()


def contract_findings(facts: ContractFacts) -> list[Finding]:
    """What stands between the contract and a trainer the law asks for."""
    if not facts.main_trainers:
        return [
            Finding(
                "no_trainer",
                FLAG,
                "Keine Ausbilderin und kein Ausbilder für diesen Vertrag bestellt",
                "BBiG § 28 Abs. 2 (HwO § 22 Abs. 2)",
            )
        ]
    if facts.free_profession:
        return []  # the AusbEignV does not apply to the free professions (§ 1 Satz 2)
    qualified = [t for t in facts.main_trainers if t.evidence]
    if not qualified:
        names = ", ".join(t.name for t in facts.main_trainers)
        return [
            Finding(
                "no_aptitude",
                FLAG,
                f"Für {names} ist keine Ausbildereignung nachgewiesen",
                "BBiG § 28 Abs. 1, § 30 Abs. 1 und 5 mit AusbEignV §§ 4–7",
            )
        ]
    found: list[Finding] = []
    if facts.craft:
        masters = [t for t in qualified if Evidence.FORTBILDUNG in t.evidence and t.meister_crafts]
        if masters and not any(facts.occupation_id in t.meister_crafts for t in masters):
            found.append(
                Finding(
                    "other_craft",
                    NOTE,
                    "Die Meisterprüfung ist in einem anderen Handwerk abgelegt: ob es verwandt ist, entscheidet "
                    "die Kammer",
                    "HwO § 22b Abs. 2 Nr. 1",
                )
            )
    return found


def trainer_findings(*, full_time: bool, apprentices: int) -> list[Finding]:
    """The personal load of a trainer who is main trainer of `apprentices` current contracts."""
    limit = LOAD_FULL_TIME if full_time else LOAD_OTHER_DUTIES
    if apprentices <= limit:
        return []
    if full_time:
        text = (
            f"{apprentices} Auszubildende: hauptberuflich in der Regel nicht mehr als {limit} in einer Gruppe"
        )
    else:
        text = (
            f"{apprentices} Auszubildende: neben anderen Aufgaben in der Regel nicht mehr als {limit} "
            "selbst ausbilden"
        )
    return [Finding("trainer_load", WARNING, text, LOAD_SOURCE)]


def site_findings(
    *, apprentices: int, skilled_staff: int | None, max_apprentices: Callable[[int], int], source: str
) -> list[Finding]:
    """The site's apprentices against the guidance for its skilled staff (BBiG § 27 Abs. 1 Nr. 2); None
    skilled staff: not recorded yet."""
    paragraph = f"BBiG § 27 Abs. 1 Nr. 2; {source}"
    if skilled_staff is None:
        return [
            Finding(
                "staff_unknown",
                NOTE,
                "Die Zahl der Fachkräfte dieser Ausbildungsstätte ist nicht erfasst",
                paragraph,
            )
        ]
    allowed = max_apprentices(skilled_staff)
    if apprentices <= allowed:
        return []
    return [
        Finding(
            "site_ratio",
            WARNING,
            f"{apprentices} Auszubildende bei {skilled_staff} Fachkräften: der Richtwert sind höchstens {allowed}",
            paragraph,
        )
    ]


def site_after_one_more(
    *, apprentices: int, skilled_staff: int | None, max_apprentices: Callable[[int], int]
) -> int | None:
    """Before a new contract: the guidance's maximum if one more apprentice would exceed it (else None)."""
    if skilled_staff is None:
        return None
    allowed = max_apprentices(skilled_staff)
    return allowed if apprentices + 1 > allowed else None
