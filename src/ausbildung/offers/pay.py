"""Statutory minimum training pay (Mindestvergütung, BBiG § 17 Abs. 2).

The amounts are set per calendar year in which the training starts and then apply for the whole training
(§ 17 Abs. 2 Satz 6); years 2 to 4 add 18, 35 and 40 % (Satz 1 Nr. 2-4). The yearly figures, each with its
source, are in ``data/minimum_training_pay.json``. A company bound by a collective agreement may pay less
(§ 17 Abs. 3), so the check is skipped when the offer says so. Part-time training (§ 7a) may pay less in
proportion to the reduced training time (§ 17 Abs. 5): `part_time_floor`.

From 2024 on the first-year amount is adjusted every year (fortgeschrieben, § 17 Abs. 2 Satz 2-4) and the
Federal Ministry of Education (BMBF) publishes it in the Bundesgesetzblatt by 1 November of the year before
(Satz 5). For a start year the data file does not hold, the amount is *unknown*: the adjustment follows the
mean of the training pay actually agreed (Satz 3), so neither the previous year's amount nor any other figure
may stand in for it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from functools import cache
from pathlib import Path

from django.conf import settings

DATA_FILE = Path(settings.BASE_DIR) / "data" / "minimum_training_pay.json"

# The rule that sets an amount the data file does not hold yet (BBiG § 17 Abs. 2 Satz 2-5).
UNKNOWN_RULE = (
    "BBiG § 17 Abs. 2 Satz 2-5: the amount is adjusted every 1 January; the Federal Ministry of Education "
    "and Research publishes it in the Bundesgesetzblatt by 1 November of the year before."
)


@dataclass(frozen=True)
class MinimumPay:
    start_year: int  # the calendar year the training starts
    amounts: tuple[Decimal, ...]  # training years 1..4; empty when not known (see `is_known`)
    source: str  # where the amounts come from, or the rule that will set them

    @property
    def is_known(self) -> bool:
        """False for a start year the shipped data does not hold (not published yet, or not added yet)."""
        return bool(self.amounts)


@cache
def _table() -> dict[int, tuple[tuple[Decimal, ...], str]]:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return {
        int(year): (tuple(Decimal(str(amount)) for amount in entry["amounts"]), entry["source"])
        for year, entry in data["years"].items()
    }


def minimum_pay(start_year: int) -> MinimumPay | None:
    """The minimum pay for training that starts in `start_year`; None before 2020 (no statutory minimum).

    A year after the last one in the data file is returned with no amounts (`is_known` False) and the rule
    that sets them as `source` (§ 17 Abs. 2 Satz 2-5), never with an earlier year's amounts.
    """
    table = _table()
    if start_year < min(table):
        return None
    if start_year not in table:
        return MinimumPay(start_year=start_year, amounts=(), source=UNKNOWN_RULE)
    amounts, source = table[start_year]
    return MinimumPay(start_year=start_year, amounts=amounts, source=source)


def part_time_floor(floor: Decimal, reduction_percent: Decimal | None) -> Decimal:
    """The lowest pay a part-time training (BBiG § 7a) may agree, given the full-time floor.

    § 17 Abs. 5: the pay may fall below the amounts of Abs. 2 to 4, but "Die Angemessenheit der Vergütung ist
    jedoch ausgeschlossen, wenn die prozentuale Kürzung der Vergütung höher ist als die prozentuale Kürzung der
    täglichen oder der wöchentlichen Arbeitszeit": the pay may be cut by at most the percentage by which the
    training time is cut. Rounded up to the cent, so that an amount in cents passes exactly when it is at
    least the exact proportion.
    """
    if not reduction_percent:
        return floor
    factor = (Decimal(100) - reduction_percent) / Decimal(100)
    return (floor * factor).quantize(Decimal("0.01"), rounding=ROUND_CEILING)
