"""An estimate of the Aufstiegs-BAföG (AFBG) for a further-training course: how much of the course and exam fees
and of the material for the master piece is paid as a grant, how much is offered as a loan, and how much of
that loan is waived on passing. Pure: the amounts are read from the shipped law text
(`data/gesetze/gesetze/afbg.md`, "zuletzt geändert durch Art. 3 Abs. 2 G v. 22.11.2020", Stand March 2022), so a
newer text changes them; the page says that later amendments may have changed them and that the office
(Amt für Ausbildungsförderung) decides.

The rules read (AFBG as shipped):
- § 12 Abs. 1 Satz 1 Nr. 1: course and exam fees are supported up to a total of FEE_CAP euros;
- § 12 Abs. 1 Satz 1 Nr. 2: the master piece's material up to half of the necessary costs, at most MATERIAL_CAP;
- § 12 Abs. 1 Satz 2: of that Maßnahmebeitrag GRANT_SHARE percent is a grant (Zuschuss); the rest is offered as
  a KfW loan (§ 12 Abs. 1 Satz 3, § 13);
- § 13b Abs. 1: on passing the exam, WAIVER_SHARE percent of the loan for the fees (Nr. 1, not the material)
  not yet due is waived;
- § 11 Abs. 1: a full-time course is supported for at most FULL_TIME_MONTHS, a part-time one for PART_TIME_MONTHS
  (the ordinances state no course durations, so these are the page's only figure for "how long");
- § 10 Abs. 2, § 12 Abs. 2: in full-time courses a maintenance contribution (Unterhaltsbeitrag), wholly a grant:
  the BAföG need rate (BAföG § 13, not shipped, so not computed here) plus fixed increases for the participant,
  a spouse and each child; § 10 Abs. 3: a childcare supplement per child under 14 for single parents.
Not computed: income and assets offset against the maintenance (§ 17), the waiver on founding a business
(§ 13b Abs. 2), interest and repayment (§ 13).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

LAW_FILE = Path(__file__).resolve().parents[1] / "data" / "gesetze" / "gesetze" / "afbg.md"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Rules:
    fee_cap: Decimal
    material_share: Decimal
    material_cap: Decimal
    grant_share: Decimal
    waiver_share: Decimal
    participant_increase: Decimal
    spouse_increase: Decimal
    child_increase: Decimal
    childcare: Decimal
    full_time_months: int  # § 11 Abs. 1: the longest support of a full-time course
    part_time_months: int  # § 11 Abs. 1: … of a part-time course (§ 2 Abs. 3 Satz 1 Nr. 2)
    stand: str  # the text's own "Zuletzt geändert durch …"


def _euro(raw: str) -> Decimal:
    return Decimal(raw.replace(" ", "").replace("\u00a0", "").replace(".", ""))


def _section(text: str, number: str) -> str:
    match = re.search(rf"^#+ § {number} .*?$(.*?)(?=^#+ § |\Z)", text, flags=re.MULTILINE | re.DOTALL)
    if match is None:
        raise ValueError(f"AFBG § {number} not found in {LAW_FILE.name}")
    return " ".join(match.group(1).split())


def _find(pattern: str, text: str, what: str) -> re.Match[str]:
    match = re.search(pattern, text)
    if match is None:
        raise ValueError(f"AFBG: {what} not found in the shipped text")
    return match


def parse(text: str) -> Rules:
    """The amounts and shares of the rules above, read from the law's wording."""
    s10, s11, s12, s13b = (_section(text, n) for n in ("10", "11", "12", "13b"))
    durations = _find(
        r"Vollzeitform wird bis zur Dauer von (\d+) Kalendermonaten, in Teilzeitform nach § 2 Absatz 3 Satz 1 "
        r"Nummer 2 bis zur Dauer von (\d+) Kalendermonaten",
        s11,
        "§ 11 Abs. 1 durations",
    )
    fees = _find(r"Prüfungsgebühren bis zu einem Gesamtbetrag von ([\d  .]+) Euro", s12, "§ 12 fee cap")
    material = _find(
        r"bis zur (Hälfte|[\d]+ Prozent) der notwendigen .*?höchstens jedoch bis zu einem Gesamtbetrag von "
        r"([\d  .]+) Euro",
        s12,
        "§ 12 material",
    )
    grant = _find(r"in Höhe von (\d+) Prozent als Zuschuss", s12, "§ 12 grant share")
    waiver = _find(
        r"(\d+) Prozent des zu diesem Zeitpunkt noch nicht fällig gewordenen Darlehens", s13b, "§ 13b"
    )
    increases = _find(
        r"erhöht sich für den Teilnehmer oder die Teilnehmerin um (\d+) Euro, für den jeweiligen Ehegatten "
        r"oder Lebenspartner um (\d+) Euro und für jedes Kind.*? um (\d+) Euro",
        s10,
        "§ 10 Abs. 2 increases",
    )
    childcare = _find(r"Kinderbetreuungszuschlag in Höhe von (\d+) Euro", s10, "§ 10 Abs. 3 childcare")
    stand = re.search(r"Zuletzt geändert durch\s*\n:\s*(.+)", text)
    share = Decimal("0.5") if material.group(1) == "Hälfte" else Decimal(material.group(1).split()[0]) / 100
    return Rules(
        fee_cap=_euro(fees.group(1).strip()),
        material_share=share,
        material_cap=_euro(material.group(2).strip()),
        grant_share=Decimal(grant.group(1)) / 100,
        waiver_share=Decimal(waiver.group(1)) / 100,
        participant_increase=Decimal(increases.group(1)),
        spouse_increase=Decimal(increases.group(2)),
        child_increase=Decimal(increases.group(3)),
        childcare=Decimal(childcare.group(1)),
        full_time_months=int(durations.group(1)),
        part_time_months=int(durations.group(2)),
        stand=stand.group(1).strip().rstrip(";") if stand else "",
    )


@cache
def rules() -> Rules:
    return parse(LAW_FILE.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Estimate:
    fees: Decimal  # course and exam fees entered
    material: Decimal  # material costs of the master piece entered
    supported_fees: Decimal  # § 12 Abs. 1 Satz 1 Nr. 1
    supported_material: Decimal  # § 12 Abs. 1 Satz 1 Nr. 2
    grant: Decimal  # § 12 Abs. 1 Satz 2
    loan: Decimal  # the rest of the Maßnahmebeitrag, offered as a KfW loan
    waived_on_passing: Decimal  # § 13b Abs. 1 (fees part only)
    loan_after_passing: Decimal
    own_costs_after_passing: (
        Decimal  # what the person pays in the end: costs − grant − waiver (loan included)
    )


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def estimate(fees: Decimal, material: Decimal = Decimal(0), rules_: Rules | None = None) -> Estimate:
    """Course and exam fees and material costs in euros (not negative) → the estimate, assuming the exam is passed
    before the loan falls due (§ 13b Abs. 1 waives only what is not yet due)."""
    if fees < 0 or material < 0:
        raise ValueError("costs cannot be negative")
    r = rules_ or rules()
    supported_fees = min(fees, r.fee_cap)
    supported_material = min(material * r.material_share, r.material_cap)
    grant = (supported_fees + supported_material) * r.grant_share
    loan = supported_fees + supported_material - grant
    fee_loan = supported_fees * (1 - r.grant_share)
    waived = fee_loan * r.waiver_share
    return Estimate(
        fees=_money(fees),
        material=_money(material),
        supported_fees=_money(supported_fees),
        supported_material=_money(supported_material),
        grant=_money(grant),
        loan=_money(loan),
        waived_on_passing=_money(waived),
        loan_after_passing=_money(loan - waived),
        own_costs_after_passing=_money(fees + material - grant - waived),
    )
