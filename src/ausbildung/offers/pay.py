"""Statutory minimum training pay (Mindestvergütung, BBiG § 17 Abs. 2).

The amounts are set per calendar year in which the training starts and then apply for the whole training
(§ 17 Abs. 2 Satz 6); years 2 to 4 add 18, 35 and 40 % (Satz 1 Nr. 2-4). The yearly figures, each with its
source, are in ``data/minimum_training_pay.json``. A company bound by a collective agreement may pay less
(§ 17 Abs. 3), so the check is skipped when the offer says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings

DATA_FILE = Path(settings.BASE_DIR) / "data" / "minimum_training_pay.json"


@dataclass(frozen=True)
class MinimumPay:
    start_year: int  # the year whose amounts apply
    requested_year: int  # the year the training starts
    amounts: tuple[Decimal, ...]  # training years 1..4
    source: str

    @property
    def is_exact(self) -> bool:
        """False when the start year lies beyond the data file and the latest known year stands in."""
        return self.start_year == self.requested_year


@cache
def _table() -> dict[int, tuple[tuple[Decimal, ...], str]]:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return {
        int(year): (tuple(Decimal(str(amount)) for amount in entry["amounts"]), entry["source"])
        for year, entry in data["years"].items()
    }


def minimum_pay(start_year: int) -> MinimumPay | None:
    """The minimum pay for training that starts in `start_year`; None before 2020 (no statutory minimum).

    A year after the last one in the data file gets the latest known amounts, marked `is_exact=False`: the
    amount only rises with the average training pay (§ 17 Abs. 2 Satz 2-3), so it is a lower bound we can
    state, not a figure we invent.
    """
    table = _table()
    if start_year < min(table):
        return None
    year = start_year if start_year in table else max(y for y in table if y <= start_year)
    amounts, source = table[year]
    return MinimumPay(start_year=year, requested_year=start_year, amounts=amounts, source=source)
