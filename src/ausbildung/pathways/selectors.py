"""The pathway of an occupation (Wie geht es weiter?): the training itself, the trainer aptitude (AEVO) as a step
of its own, and the follow-up qualifications the shipped ordinances link to the occupation (orientation's
follow-up links), each with what its ordinance states field by field (`ordinances`).

The stages and their minimum Lernumfang come from the shipped BBiG (§§ 53a–53d, read from the text); the DQR
level of a stage is not in the law: the BBiG's stages are oriented at the level indicators 5 to 7 of the DQR, as
the chambers explain it (IHK Braunschweig, "Bachelor und Master Professional", retrieved 2026-12-08), so the page
names the DQR level of a stage with that source, and none where the ordinance states no stage. A craft
Meisterprüfung carries the Abschlussbezeichnung "Bachelor Professional" on its certificate (MPVerfV, Anlage 2),
so it is shown on the second stage with that source."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ausbildung.core.models import Occupation
from ausbildung.orientation.explorer import selectors as explorer

from . import ordinances

BBIG_FILE = Path(__file__).resolve().parents[1] / "data" / "gesetze" / "gesetze" / "bbig_2005.md"
DQR_SOURCE = "IHK Braunschweig, „Bachelor und Master Professional“ (abgerufen am 08.12.2026)"
CRAFT_STAGE_SOURCE = (
    "MPVerfV, Anlage 2: das Meisterprüfungszeugnis nennt die Abschlussbezeichnung Bachelor Professional"
)
STAGE_NAMES = {1: "Geprüfte/r Berufsspezialist/in", 2: "Bachelor Professional", 3: "Master Professional"}
STAGE_NORMS = {1: "BBiG § 53b, HwO § 42b", 2: "BBiG § 53c, HwO § 42c", 3: "BBiG § 53d, HwO § 42d"}
DQR = {1: 5, 2: 6, 3: 7}


@cache
def stage_hours() -> dict[int, int]:
    """The minimum Lernumfang of each stage as the shipped BBiG states it (§ 53b: 400, § 53c: 1 200, § 53d: 1 600)."""
    text = BBIG_FILE.read_text(encoding="utf-8")
    result = {}
    for stage, number in ((1, "53b"), (2, "53c"), (3, "53d")):
        section = re.search(rf"^#+ § {number} .*?$(.*?)(?=^#+ § )", text, flags=re.MULTILINE | re.DOTALL)
        if section is None:
            raise ValueError(f"BBiG § {number} not found in {BBIG_FILE.name}")
        hours = re.search(
            r"Lernumfang.*?mindestens\s+(\d[\d\s\u00a0]*)\s+Stunden", section.group(1), flags=re.DOTALL
        )
        if hours is None:
            raise ValueError(f"BBiG § {number}: no Lernumfang found")
        result[stage] = int(re.sub(r"\D", "", hours.group(1)))
    return result


@dataclass(frozen=True)
class Step:
    details: ordinances.Details
    stage: int | None
    stage_source: str  # the ordinance's own wording, or the MPVerfV for a craft Meister
    reasons: tuple[str, ...]  # why it follows this occupation (the admission section, the craft)

    @property
    def dqr(self) -> int | None:
        return DQR.get(self.stage) if self.stage else None

    @property
    def hours(self) -> int | None:
        """The Lernumfang the ordinance states, else the stage's minimum in the BBiG."""
        if self.details.hours:
            return self.details.hours
        return stage_hours().get(self.stage) if self.stage else None

    @property
    def hours_from_ordinance(self) -> bool:
        return bool(self.details.hours)

    @property
    def practice_years(self) -> list[float]:
        """The years of practice the admission names, item by item (the least of them first)."""
        found = []
        if self.details.admission:
            for absatz in self.details.admission.absaetze:
                for item in absatz.items:
                    values = [item.practice_years] + [sub.practice_years for sub in item.items]
                    found += [value for value in values if value is not None]
        return sorted(set(found))


@dataclass
class Pathway:
    occupation: Occupation
    steps: list[Step] = field(default_factory=list)

    def by_stage(self) -> list[tuple[int | None, list[Step]]]:
        """Steps grouped from the highest stage down; those without a stated stage last."""
        groups: dict[int | None, list[Step]] = {}
        for step in self.steps:
            groups.setdefault(step.stage, []).append(step)
        order = sorted((s for s in groups if s is not None), reverse=True)
        return [(stage, groups[stage]) for stage in order] + (
            [(None, groups[None])] if None in groups else []
        )


def pathway_for(occupation: Occupation) -> Pathway:
    """The follow-up qualifications the shipped ordinances link to the occupation, with their details."""
    result = Pathway(occupation)
    for ordinance, links in explorer.follow_ups_for(occupation):
        details = ordinances.details(ordinance.source_file)
        if details.kind == ordinances.PROCEDURE:
            continue
        if details.stage:
            stage, source = details.stage, "Verordnung"
        elif details.kind == ordinances.CRAFT:
            stage, source = 2, CRAFT_STAGE_SOURCE
        else:
            stage, source = None, ""
        reasons = tuple(dict.fromkeys(link.section or link.reason for link in links))
        result.steps.append(Step(details, stage, source, reasons))
    result.steps.sort(key=lambda step: (-(step.stage or 0), step.details.name))
    return result
