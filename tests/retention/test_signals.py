"""The signals and their weighting (retention.signals): each signal on its own, its cap, the levels, and that the
apprentice's private answers never reach the shared score."""

from __future__ import annotations

import datetime

import pytest

from ausbildung.retention import signals
from ausbildung.retention.signals import Audience, ContractFacts, score

TODAY = datetime.date(2026, 3, 16)
START = datetime.date(2025, 8, 1)


def facts(**values) -> ContractFacts:
    base = {"today": TODAY, "start": START, "probation_end": datetime.date(2025, 11, 30)}
    return ContractFacts(**{**base, **values})


def by_key(result: signals.Score) -> dict[str, signals.Signal]:
    return {signal.key: signal for signal in result.signals}


def test_nothing_known_is_no_signal():
    result = score(facts())
    assert result.signals == () and result.points == 0 and result.level == signals.LEVEL_NONE


@pytest.mark.parametrize(
    ("weeks", "points", "text"),
    [
        (1, 1, "1 Woche ohne Ausbildungsnachweis"),
        (3, 3, "3 Wochen ohne Ausbildungsnachweis"),
        (9, 4, "9 Wochen"),
    ],
)
def test_missing_weeks_count_one_point_each_up_to_the_cap(weeks, points, text):
    signal = by_key(score(facts(missing_weeks=weeks)))["missing_weeks"]
    assert signal.points == points and text in signal.text
    assert "BBiG § 13" in signal.source


def test_record_and_company_signals_with_their_caps():
    result = by_key(
        score(facts(late_weeks=5, returned_repeatedly=3, reviews_overdue=4, findings=7, site_dissolutions=2))
    )
    assert result["late_weeks"].points == signals.LATE_CAP == 2
    assert result["returned_repeatedly"].points == signals.RETURNED_CAP == 2
    assert result["reviews_overdue"].points == 2 and "BBiG § 14 Abs. 2" in result["reviews_overdue"].source
    assert result["reviews_overdue"].side is signals.Side.COMPANY
    assert result["findings"].points == signals.FINDING_CAP == 3 and "JArbSchG" in result["findings"].source
    assert (
        result["site_dissolutions"].points == 2 and "2 weitere Verträge" in result["site_dissolutions"].text
    )


def test_one_dissolution_at_the_site_is_no_signal():
    assert "site_dissolutions" not in by_key(score(facts(site_dissolutions=1)))


@pytest.mark.parametrize(("days", "shown"), [(9, False), (10, True)])
def test_sick_days_from_ten_in_thirteen_weeks(days, shown):
    assert ("sick_days" in by_key(score(facts(sick_days=days)))) is shown


@pytest.mark.parametrize(("days", "shown"), [(4, False), (5, True)])
def test_school_absence_from_five_days(days, shown):
    found = by_key(score(facts(school_absence_days=days)))
    assert ("school_absence" in found) is shown
    if shown:
        assert (
            found["school_absence"].side is signals.Side.SCHOOL
            and "5 Fehltage" in found["school_absence"].text
        )


def test_school_concern_weighs_three():
    assert by_key(score(facts(school_concern=True)))["school_concern"].points == 3


def test_probation_ending_soon_names_the_days_and_bbig_20():
    """BBiG § 20 (probation) with § 22 Abs. 1 (notice without a period in it)."""
    found = by_key(score(facts(today=datetime.date(2025, 11, 18))))
    assert found["probation_soon"].text == "Probezeit endet in 12 Tagen"
    assert "BBiG § 20" in found["probation_soon"].source and "§ 22 Abs. 1" in found["probation_soon"].source
    assert (
        by_key(score(facts(today=datetime.date(2025, 11, 30))))["probation_soon"].text
        == "Probezeit endet heute"
    )
    early = by_key(score(facts(today=datetime.date(2025, 9, 1))))
    assert "in_probation" in early and "probation_soon" not in early
    after = by_key(score(facts(today=datetime.date(2025, 12, 1))))
    assert "in_probation" not in after and "probation_soon" not in after


def test_a_high_published_rate_of_the_area_adds_one_point_with_its_source():
    label = "Handwerk 2023: 36,5 %"
    found = by_key(score(facts(area_rate=36.5, area_rate_label=label)))["area_rate"]
    assert found.points == 1 and found.source == label and label in found.text
    assert "area_rate" not in by_key(
        score(facts(area_rate=26.8, area_rate_label="Industrie und Handel 2023"))
    )


def test_the_check_in_answers_stay_with_the_apprentice_only_the_wish_for_a_talk_is_shared():
    private = score(
        facts(
            checkin_mood_low=True,
            checkin_conflicts=True,
            checkin_instruction_low=True,
            checkin_overtime=True,
            checkin_quitting=True,
            talk_wanted=True,
        )
    )
    keys = {s.key for s in private.signals}
    assert {
        "checkin_mood",
        "checkin_conflicts",
        "checkin_instruction",
        "checkin_overtime",
        "checkin_quitting",
    } < keys
    assert all(
        s.audience is Audience.APPRENTICE_ONLY for s in private.signals if s.key.startswith("checkin_")
    )
    shared = private.shared()
    assert [s.key for s in shared.signals] == ["talk_wanted"]
    assert shared.points == signals.TALK_WANTED == 4
    assert private.points == 4 + 5 * signals.CHECKIN_POINTS


def test_every_point_is_traceable_to_a_signal_and_the_levels_follow_the_points():
    result = score(facts(missing_weeks=2, findings=1))
    assert result.points == sum(s.points for s in result.signals) == 3
    assert result.level == signals.LEVEL_WATCH
    assert score(facts(missing_weeks=4, findings=2)).level == signals.LEVEL_TALK
    assert signals.level_of(2) == signals.LEVEL_NONE


def test_wording_is_supportive_never_a_verdict():
    everything = score(
        facts(
            missing_weeks=4,
            late_weeks=2,
            returned_repeatedly=2,
            reviews_overdue=2,
            findings=3,
            sick_days=12,
            school_absence_days=8,
            school_concern=True,
            site_dissolutions=3,
            talk_wanted=True,
            today=datetime.date(2025, 11, 20),
            area_rate=36.5,
            area_rate_label="Handwerk 2023: 36,5 %",
        )
    )
    text = " ".join(s.text for s in everything.signals).lower()
    for verdict in ("abbrecher", "risiko", "gefährdet", "schuld", "versagt"):
        assert verdict not in text
