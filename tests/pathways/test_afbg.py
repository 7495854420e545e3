"""pathways.afbg: the Aufstiegs-BAföG estimate on worked examples computed by hand from the shipped AFBG
(§ 12 Abs. 1: fees up to 15 000 €, half the master piece's material up to 2 000 €, 50 % of it a grant; § 13b
Abs. 1: 50 % of the fee loan waived on passing), and the amounts read from the law's wording."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from ausbildung.pathways import afbg


def test_the_amounts_come_from_the_shipped_text():
    rules = afbg.rules()
    assert (rules.fee_cap, rules.material_cap) == (Decimal(15000), Decimal(2000))
    assert (rules.material_share, rules.grant_share, rules.waiver_share) == (Decimal("0.5"),) * 3
    # § 10 Abs. 2 Satz 3 and Abs. 3
    assert (rules.participant_increase, rules.spouse_increase, rules.child_increase) == (60, 235, 235)
    assert rules.childcare == 150
    assert (rules.full_time_months, rules.part_time_months) == (24, 48)  # § 11 Abs. 1
    assert rules.stand == "Art. 3 Abs. 2 G v. 22.11.2020 I 2466"


def test_a_newer_text_changes_the_amounts():
    text = re.sub(
        r"Gesamtbetrag von\s+15\s000 Euro",
        "Gesamtbetrag von 20 000 Euro",
        afbg.LAW_FILE.read_text(encoding="utf-8"),
    )
    assert afbg.parse(text).fee_cap == Decimal(20000)
    with pytest.raises(ValueError, match="§ 13b"):
        afbg.parse(text.replace("### § 13b Erlass und Stundung", "### § 13z Anderes"))


@pytest.mark.parametrize(
    ("fees", "material", "expected"),
    [
        # Meister: fees 10 000, material 3 000 → material supported 1 500 (half); 11 500 supported, grant 5 750,
        # loan 5 750; on passing half of the fee loan (5 000) waived: 2 500; own costs 13 000 − 5 750 − 2 500
        (
            10000,
            3000,
            {"grant": 5750, "loan": 5750, "waived_on_passing": 2500, "loan_after_passing": 3250, "own": 4750},
        ),
        # fees above the cap: 15 000 supported, grant 7 500, waiver 3 750, own 18 000 − 7 500 − 3 750
        (
            18000,
            0,
            {"grant": 7500, "loan": 7500, "waived_on_passing": 3750, "loan_after_passing": 3750, "own": 6750},
        ),
        # material above the cap: half of 5 000 is 2 500, capped at 2 000; 4 000 + 2 000 supported, grant 3 000,
        # the material's loan is not waived: 2 000 × 50 % × 50 % = 1 000; own 9 000 − 3 000 − 1 000
        (
            4000,
            5000,
            {"grant": 3000, "loan": 3000, "waived_on_passing": 1000, "loan_after_passing": 2000, "own": 5000},
        ),
        (0, 0, {"grant": 0, "loan": 0, "waived_on_passing": 0, "loan_after_passing": 0, "own": 0}),
    ],
)
def test_worked_examples(fees, material, expected):
    result = afbg.estimate(Decimal(fees), Decimal(material))
    assert result.grant == expected["grant"]
    assert result.loan == expected["loan"]
    assert result.waived_on_passing == expected["waived_on_passing"]
    assert result.loan_after_passing == expected["loan_after_passing"]
    assert result.own_costs_after_passing == expected["own"]


def test_negative_costs_are_refused():
    with pytest.raises(ValueError):
        afbg.estimate(Decimal(-1))
