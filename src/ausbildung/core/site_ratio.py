"""The guidance on how many apprentices fit a training site's skilled staff (BBiG § 27 Abs. 1 Nr. 2), in one
place for "Ausbildungsbetrieb werden" (onboarding) and the checks on training staff (staff).

The law only asks for a "reasonable proportion"; the figures are the Bundesausschuss für Berufsbildung's
recommendation of 1972 as the chambers still publish it (source in ``data/training_site_ratio.json``). The
chamber decides case by case, so the result is a guidance, never a decision.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "training_site_ratio.json"


@dataclass(frozen=True)
class Band:
    skilled_from: int
    skilled_to: int
    apprentices: int


@dataclass(frozen=True)
class RatioRule:
    title: str
    issued_by: str
    date: str
    year: int
    published_in: str
    status_note: str
    bands: tuple[Band, ...]
    beyond_per_skilled: int
    beyond_apprentices: int

    @property
    def source(self) -> str:
        return f"{self.issued_by}, „{self.title}“ vom 28. März {self.year} ({self.published_in})"

    def max_apprentices(self, skilled_staff: int) -> int:
        """Apprentices the guidance allows for ``skilled_staff`` skilled workers (0 for none)."""
        if skilled_staff < 0:
            raise ValueError("the number of skilled staff cannot be negative")
        for band in self.bands:
            if band.skilled_from <= skilled_staff <= band.skilled_to:
                return band.apprentices
        last = self.bands[-1]
        if skilled_staff < self.bands[0].skilled_from:
            return 0
        # "je weitere 3 Fachkräfte": the bands go on in steps of three (9–11, 12–14, …), as 6–8 follows 3–5.
        extra = -(-(skilled_staff - last.skilled_to) // self.beyond_per_skilled)
        return last.apprentices + extra * self.beyond_apprentices

    def table(self) -> list[tuple[str, int]]:
        """The bands as (skilled staff, apprentices) rows for the page, plus the rule beyond them."""
        return [(f"{b.skilled_from}–{b.skilled_to}", b.apprentices) for b in self.bands]


@cache
def rule() -> RatioRule:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    bands = tuple(Band(**band) for band in data["bands"])
    return RatioRule(
        title=data["title"],
        issued_by=data["issued_by"],
        date=data["date"],
        year=data["year"],
        published_in=data["published_in"],
        status_note=data["status_note"],
        bands=bands,
        beyond_per_skilled=data["beyond"]["per_skilled"],
        beyond_apprentices=data["beyond"]["apprentices"],
    )


def max_apprentices(skilled_staff: int) -> int:
    return rule().max_apprentices(skilled_staff)
