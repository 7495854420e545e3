"""staff.rules: every flag and warning against the rule it cites (BBiG §§ 27, 28, 30; AusbEignV §§ 1, 4, 6, 7;
HwO § 22b; the chambers' guidance on a trainer's load and a site's ratio)."""

from __future__ import annotations

import pytest

from ausbildung.core import site_ratio
from ausbildung.staff import rules
from ausbildung.staff.rules import ContractFacts, Evidence, Trainer

IT = 7  # an occupation id
CARPENTER = 11


def facts(*trainers: Trainer, free: bool = False, craft: bool = False, occupation: int = IT) -> ContractFacts:
    return ContractFacts(free_profession=free, craft=craft, occupation_id=occupation, main_trainers=trainers)


def keys(findings) -> list[str]:
    return [f.key for f in findings]


def test_a_contract_without_a_main_trainer_is_flagged_bbig_28_abs_2():
    found = rules.contract_findings(facts())
    assert keys(found) == ["no_trainer"]
    assert found[0].level == rules.FLAG and "BBiG § 28 Abs. 2" in found[0].paragraph


def test_a_trainer_without_evidence_is_flagged_bbig_28_30_ausbeignv():
    found = rules.contract_findings(facts(Trainer("Miriam Klein")))
    assert keys(found) == ["no_aptitude"]
    assert "Miriam Klein" in found[0].text
    assert "AusbEignV §§ 4–7" in found[0].paragraph and "§ 30" in found[0].paragraph


@pytest.mark.parametrize("evidence", list(Evidence))
def test_every_kind_of_evidence_of_the_ausbeignv_counts(evidence):
    assert rules.contract_findings(facts(Trainer("A", evidence={evidence}))) == []
    assert rules.PARAGRAPH[evidence].startswith("AusbEignV §")


def test_one_qualified_main_trainer_of_two_is_enough():
    assert rules.contract_findings(facts(Trainer("A"), Trainer("B", evidence={Evidence.AEVO}))) == []


def test_the_free_professions_need_no_ausbeignv_evidence_par_1_satz_2():
    assert rules.contract_findings(facts(Trainer("Dr. A"), free=True)) == []
    # but a trainer must still be appointed (BBiG § 28 Abs. 2)
    assert keys(rules.contract_findings(facts(free=True))) == ["no_trainer"]


def test_a_meister_of_another_craft_is_a_note_for_the_chamber_hwo_22b():
    other = Trainer("Meister", evidence={Evidence.FORTBILDUNG}, meister_crafts={IT})
    found = rules.contract_findings(facts(other, craft=True, occupation=CARPENTER))
    assert keys(found) == ["other_craft"]
    assert found[0].level == rules.NOTE and found[0].paragraph == "HwO § 22b Abs. 2 Nr. 1"
    same = Trainer("Meister", evidence={Evidence.FORTBILDUNG}, meister_crafts={CARPENTER})
    assert rules.contract_findings(facts(same, craft=True, occupation=CARPENTER)) == []
    # outside the crafts the craft of a Meisterprüfung does not matter (AusbEignV § 6 Abs. 2)
    assert rules.contract_findings(facts(other, craft=False, occupation=CARPENTER)) == []


@pytest.mark.parametrize(
    ("full_time", "apprentices", "warned"),
    [(False, 3, False), (False, 4, True), (True, 16, False), (True, 17, True), (False, 0, False)],
)
def test_the_trainer_load_of_the_chambers_guidance(full_time, apprentices, warned):
    """Besides other duties on average at most 3 apprentices personally; full-time at most 16 in a group."""
    found = rules.trainer_findings(full_time=full_time, apprentices=apprentices)
    assert bool(found) is warned
    if warned:
        assert found[0].level == rules.WARNING and "Empfehlung des Bundesausschusses" in found[0].paragraph
        assert str(apprentices) in found[0].text


@pytest.mark.parametrize(
    ("apprentices", "skilled", "warned"),
    # 1–2 skilled: 1; 3–5: 2; 6–8: 3; each further 3: one more (data/training_site_ratio.json)
    [
        (1, 2, False),
        (2, 2, True),
        (2, 3, False),
        (3, 5, True),
        (3, 6, False),
        (4, 9, False),
        (5, 11, True),
        (1, 0, True),
    ],
)
def test_the_site_ratio_bbig_27_abs_1_nr_2(apprentices, skilled, warned):
    rule = site_ratio.rule()
    found = rules.site_findings(
        apprentices=apprentices,
        skilled_staff=skilled,
        max_apprentices=rule.max_apprentices,
        source=rule.source,
    )
    assert bool(found) is warned
    if warned:
        assert found[0].key == "site_ratio" and "BBiG § 27 Abs. 1 Nr. 2" in found[0].paragraph


def test_a_site_without_staff_on_record_is_a_note():
    found = rules.site_findings(apprentices=1, skilled_staff=None, max_apprentices=lambda n: n, source="x")
    assert keys(found) == ["staff_unknown"] and found[0].level == rules.NOTE


def test_the_warning_comes_before_the_new_contract_exceeds_the_guidance():
    rule = site_ratio.rule()
    # 2 skilled staff allow 1: with none yet one more is fine, with one already one more exceeds
    assert (
        rules.site_after_one_more(apprentices=0, skilled_staff=2, max_apprentices=rule.max_apprentices)
        is None
    )
    assert (
        rules.site_after_one_more(apprentices=1, skilled_staff=2, max_apprentices=rule.max_apprentices) == 1
    )
    assert (
        rules.site_after_one_more(apprentices=5, skilled_staff=None, max_apprentices=rule.max_apprentices)
        is None
    )
