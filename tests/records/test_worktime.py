"""The working-time rules of the training record (records.worktime), one test per paragraph and case.

The week used: Monday 2 March 2026 to Sunday 8 March 2026 (no public holiday)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from ausbildung.records import worktime
from ausbildung.records.worktime import WeekFacts, WorkDay, check_week

MONDAY = datetime.date(2026, 3, 2)
D = Decimal


def day(offset: int, place: str = "company", hours: str | None = "8", lessons: int | None = None) -> WorkDay:
    return WorkDay(
        MONDAY + datetime.timedelta(days=offset), place, None if hours is None else D(hours), lessons
    )


def week(*hours: str, place: str = "company") -> list[WorkDay]:
    """Monday to Friday with these hours."""
    return [day(i, place, h) for i, h in enumerate(hours)]


def minor(**kwargs) -> WeekFacts:
    return WeekFacts(minor_on=lambda d: True, **kwargs)


def adult(**kwargs) -> WeekFacts:
    return WeekFacts(minor_on=lambda d: False, **kwargs)


def rules(result) -> list[str]:
    return [f.rule for f in result.findings]


def only(result, rule: str):
    found = [f for f in result.findings if f.rule == rule]
    assert len(found) == 1, result.findings
    return found[0]


# --- JArbSchG § 8: daily and weekly time of minors ----------------------------------------------------------


def test_jarbschg_8_abs_1_day_over_8_hours():
    finding = only(check_week(week("9.5", "8", "8", "8", "8"), minor()), "jarbschg-8-day")
    assert (finding.paragraph, finding.day, finding.hours, finding.limit) == (
        "JArbSchG § 8 Abs. 1",
        MONDAY,
        D("9.5"),
        D(8),
    )
    assert finding.certain  # above the 9 hours a collective agreement may allow (§ 21a)
    with translation.override("de"):
        german = only(check_week(week("9.5", "8", "8", "8", "8"), minor()), "jarbschg-8-day").message
    assert german == "9,5 Stunden an diesem Tag; für Jugendliche höchstens 8 (JArbSchG § 8 Abs. 1)."


def test_jarbschg_8_abs_1_week_over_40_hours():
    forty = check_week(week("8", "8", "8", "8", "8"), minor())
    assert forty.findings == [] and forty.credited_total == D(40)
    result = check_week([*week("8", "8", "8", "8", "8"), day(5, hours="5")], minor())
    finding = only(result, "jarbschg-8-1-week")
    assert (finding.hours, finding.limit, finding.day) == (D(45), D(40), None)
    assert finding.certain  # 45 > 44 (JArbSchG § 21a Abs. 1 Nr. 1)
    with translation.override("de"):
        german = check_week([*week("8", "8", "8", "8", "8"), day(5, hours="5")], minor())
    assert (
        "45 Stunden in dieser Woche; für Jugendliche höchstens 40 (JArbSchG § 8 Abs. 1)."
        in only(german, "jarbschg-8-1-week").message
    )


def test_jarbschg_8_abs_2a_not_more_than_eight_and_a_half():
    # 8.5 hours are lawful when another working day is shorter than 8 (the week stays at 40) …
    assert check_week(week("8.5", "8.5", "8.5", "8.5", "6"), minor()).findings == []
    # … but a free day (0 hours) is no shortened working day.
    free_friday = [*week("8.5", "8.5", "8.5", "8.5"), day(4, "free", None)]
    assert [f.paragraph for f in check_week(free_friday, minor()).findings] == ["JArbSchG § 8 Abs. 1"] * 4
    finding = only(check_week(week("8.75", "8", "8", "8", "6"), minor()), "jarbschg-8-day")
    assert (finding.paragraph, finding.limit) == ("JArbSchG § 8 Abs. 2a", D("8.5"))
    assert not finding.certain  # up to 9 hours by collective agreement (§ 21a Abs. 1 Nr. 1)
    assert "21a" in finding.message


def test_jarbschg_8_abs_2a_week_total_stays_at_40():
    result = check_week(week("8.5", "8.5", "8.5", "8.5", "7.5"), minor())
    assert rules(result) == ["jarbschg-8-1-week"]  # the days are lawful, the week of 41.5 hours is not
    assert not only(result, "jarbschg-8-1-week").certain  # ≤ 44: § 21a may apply


def test_jarbschg_4_abs_4_satz_2_public_holiday_counts_towards_the_week():
    days = [day(0, "holiday", None), *[day(i, hours="8.5") for i in range(1, 5)], day(5, hours="4")]
    facts = minor(holidays={MONDAY: "Testfeiertag"}, agreed_daily_hours=D(8))
    result = check_week(days, facts)
    assert result.credited_total == D(46)  # 8 credited for the holiday + 34 + 4
    finding = only(result, "jarbschg-8-1-week")
    assert "JArbSchG § 4 Abs. 4 Satz 2" in finding.message
    # Without the credit the week had 38 hours: no week finding.
    assert "jarbschg-8-1-week" not in rules(check_week(days, adult(holidays={MONDAY: "Testfeiertag"})))


def test_jarbschg_4_abs_4_satz_2_unknown_agreed_time_is_a_notice():
    days = [day(0, "holiday", None), *week("8", "8", "8", "8")[1:]]
    result = check_week(days, minor(holidays={MONDAY: "Testfeiertag"}))
    notice = only(result, "credit-holiday")
    assert notice.notice and notice.paragraph == "JArbSchG § 4 Abs. 4 Satz 2"
    assert result.credited_total == D(24)  # nothing invented


def test_jarbschg_4_abs_4_satz_1_week_is_monday_to_sunday():
    # Days of a daily record in the same calendar week are one week: Sunday's hours count to the total.
    days = [*week("8", "8", "8", "8", "8"), day(6, hours="1")]
    finding = only(check_week(days, minor()), "jarbschg-8-1-week")
    assert (finding.hours, finding.certain) == (D(41), False)  # ≤ 44: JArbSchG § 21a Abs. 1 Nr. 1


# --- JArbSchG §§ 15–18: five days, Saturday, Sunday, public holidays ----------------------------------------


def test_jarbschg_15_five_day_week():
    days = [*week("7", "7", "7", "7", "6"), day(5, hours="4")]
    finding = only(check_week(days, minor()), "jarbschg-15")
    assert finding.paragraph == "JArbSchG § 15" and finding.hours == D(6)
    assert not finding.certain  # five and a half days by collective agreement (§ 21a Abs. 1 Nr. 1)
    seven = [*days, day(6, hours="1")]
    assert only(check_week(seven, minor()), "jarbschg-15").certain


def test_jarbschg_15_school_days_count_as_working_days():
    days = [day(0, "school", "6"), *week("8", "8", "8", "8")[1:], day(4, hours="2"), day(5, hours="2")]
    assert "jarbschg-15" in rules(check_week(days, minor()))


def test_jarbschg_16_saturday_work_is_an_uncertain_finding():
    finding = only(check_week([day(5, hours="4")], minor()), "jarbschg-16")
    assert (finding.paragraph, finding.day, finding.certain) == (
        "JArbSchG § 16 Abs. 1",
        MONDAY + datetime.timedelta(5),
        False,
    )
    assert "§ 16 Abs. 2" in finding.message
    # Not a finding: external training (§ 16 Abs. 2 Nr. 8), vocational school, an adult on a Saturday.
    assert "jarbschg-16" not in rules(check_week([day(5, "external", "6"), day(5, "school", "4")], minor()))
    assert rules(check_week([day(5, hours="4")], adult())) == []


def test_jarbschg_17_sunday_work_is_an_uncertain_finding():
    finding = only(check_week([day(6, hours="3")], minor()), "jarbschg-17")
    assert (finding.paragraph, finding.certain) == ("JArbSchG § 17 Abs. 1", False)
    assert "§ 17 Abs. 2" in finding.message


def test_jarbschg_18_public_holiday_work():
    uncertain = only(check_week([day(0, hours="4")], minor(holidays={MONDAY: "Ostermontag"})), "jarbschg-18")
    assert not uncertain.certain and "Ostermontag" in uncertain.message
    may_day = datetime.date(2026, 5, 1)
    days = [WorkDay(may_day, "company", D(4))]
    assert only(check_week(days, minor(holidays={may_day: "Tag der Arbeit"})), "jarbschg-18").certain


def test_bbig_15_abs_2_nr_2_long_school_day_counts_with_the_average_day():
    days = [day(0, "school", "6", lessons=6), *week("8", "8", "8", "8", "8")[1:]]
    result = check_week(days, adult(agreed_daily_hours=D(8)))
    assert result.credited_total == D(40)
    assert result.credited[MONDAY] == D(8)


def test_bbig_15_abs_2_nr_2_only_once_a_week():
    days = [day(0, "school", "6", lessons=6), day(1, "school", "6", lessons=6)]
    days += [day(i, hours="8") for i in range(2, 5)]
    result = check_week(days, adult(agreed_daily_hours=D(8)))
    assert result.credited_total == D(8 + 6 + 24)  # the second long day with its lesson time
    five = check_week([day(0, "school", "5", lessons=5)], adult(agreed_daily_hours=D(8)))
    assert five.credited_total == D(5)  # five lessons: the lesson time (BBiG § 15 Abs. 2 Nr. 1)


def test_jarbschg_9_abs_2_nr_1_minor_long_school_day_and_the_week():
    # 8 credited for the school day + 4 × 8.5 (the school day is not shorter than 8) = 42 > 40.
    days = [day(0, "school", "6", lessons=6), *[day(i, hours="8.5") for i in range(1, 5)]]
    result = check_week(days, minor(agreed_daily_hours=D(8)))
    assert result.credited_total == D(42)
    assert {f.rule for f in result.findings} == {"jarbschg-8-day", "jarbschg-8-1-week"}


def test_bbig_15_abs_2_nr_2_unknown_agreed_time_uses_the_recorded_hours():
    result = check_week([day(0, "school", "6", lessons=7)], adult())
    assert result.credited_total == D(6)
    notice = only(result, "credit-school-day")
    assert notice.notice and notice.paragraph == "BBiG § 15 Abs. 2 Nr. 2"


def test_bbig_15_abs_2_nr_3_block_week_counts_with_the_average_week():
    days = [day(i, "school", "5.5") for i in range(5)]
    result = check_week(days, adult(block_week=True, agreed_daily_hours=D("7.8")))
    assert result.credited_total == D(39)
    assert result.findings == []


def test_jarbschg_9_abs_1_nr_3_block_week_company_hours_over_two():
    days = [*[day(i, "school", "6") for i in range(5)], day(5, hours="3")]
    result = check_week(days, adult(block_week=True, agreed_daily_hours=D(8)))
    finding = only(result, "block-week-company")
    assert (finding.paragraph, finding.hours, finding.limit) == ("BBiG § 15 Abs. 1 Satz 3", D(3), D(2))
    minor_result = check_week(days, minor(block_week=True, agreed_daily_hours=D(8)))
    assert only(minor_result, "block-week-company").paragraph == "JArbSchG § 9 Abs. 1 Satz 2 Nr. 3"


def test_bbig_15_abs_2_nr_3_block_week_unknown_agreed_time_is_a_notice():
    days = [day(i, "school", "6") for i in range(5)]
    result = check_week(days, adult(block_week=True))
    assert result.credited_total == D(30)
    assert only(result, "credit-block-week").notice


# --- exams: BBiG § 15 Abs. 1 Nr. 4 and 5, JArbSchG § 10 -----------------------------------------------------


def test_bbig_15_abs_2_nr_4_exam_counts_with_the_time_of_participation():
    days = [day(0, "exam", "5"), *[day(i, hours="8") for i in range(1, 5)]]
    result = check_week(days, minor(agreed_daily_hours=D(8)))
    assert result.credited_total == D(37)
    assert result.findings == []


def test_bbig_15_abs_1_nr_5_work_on_the_day_before_the_written_exam():
    wednesday = MONDAY + datetime.timedelta(2)
    days = week("8", "8", "8", "8", "8")
    finding = only(check_week(days, adult(written_exam=wednesday)), "exam-eve")
    assert (finding.day, finding.paragraph) == (
        MONDAY + datetime.timedelta(1),
        "BBiG § 15 Abs. 1 Satz 2 Nr. 5",
    )
    assert only(check_week(days, minor(written_exam=wednesday)), "exam-eve").paragraph == (
        "JArbSchG § 10 Abs. 1 Nr. 2"
    )


def test_bbig_15_abs_1_nr_5_exam_on_monday_frees_friday():
    next_monday = MONDAY + datetime.timedelta(7)
    finding = only(check_week(week("8", "8", "8", "8", "8"), adult(written_exam=next_monday)), "exam-eve")
    assert finding.day == MONDAY + datetime.timedelta(4)


def test_bbig_15_abs_2_nr_5_free_day_before_the_exam_is_credited():
    days = [*week("8", "8", "8", "8"), day(4, "free", None)]
    result = check_week(days, adult(written_exam=MONDAY + datetime.timedelta(7), agreed_daily_hours=D(8)))
    assert result.findings == []
    assert result.credited_total == D(40)


# --- adults: ArbZG ------------------------------------------------------------------------------------------


def test_arbzg_3_over_ten_hours():
    assert check_week(week("10", "10", "10", "10", "10"), adult()).findings == []  # 8–10 h: six-month average
    with translation.override("de"):
        german = only(check_week(week("10.5"), adult()), "arbzg-3").message
    assert german == "10,5 Stunden an diesem Tag; höchstens 10 (ArbZG § 3)."
    finding = only(check_week(week("10.5"), adult()), "arbzg-3")
    assert (finding.paragraph, finding.hours, finding.limit, finding.certain) == (
        "ArbZG § 3",
        D("10.5"),
        D(10),
        True,
    )


def test_arbzg_9_sunday_and_public_holiday_work():
    finding = only(check_week([day(6, hours="5")], adult()), "arbzg-9")
    assert not finding.certain and "§ 10" in finding.message
    assert "arbzg-9" in rules(check_week([day(0, hours="5")], adult(holidays={MONDAY: "Ostermontag"})))


# --- unknown age, impossible input --------------------------------------------------------------------------


def test_jarbschg_2_abs_2_unknown_birth_date_is_never_adult():
    result = check_week(week("8.75", "8", "8", "8", "8"), WeekFacts(minor_on=lambda d: None))
    assert result.age_unknown
    notice = only(result, "age-unknown")
    assert notice.notice and notice.paragraph == "JArbSchG § 2 Abs. 2"
    # The adults' limit still holds (ArbZG § 3 is wider than any limit for minors).
    assert "arbzg-3" in rules(check_week(week("11"), WeekFacts(minor_on=lambda d: None)))


def test_impossible_input_negative_or_over_24_hours():
    assert worktime.impossible_input(day(0, hours="-1"))
    assert worktime.impossible_input(day(0, hours="24.5"))
    assert worktime.impossible_input(day(0, hours="24")) is None
    assert worktime.impossible_input(day(0, hours=None)) is None


def test_daily_from_weekly():
    assert worktime.daily_from_weekly(D(39)) == D("7.8")
    assert worktime.daily_from_weekly(None) is None


# --- the record book asks for what the rules need: lessons, block week, the contract's terms ----------------

PAGE_MONDAY = datetime.date(2025, 9, 1)  # a week of the demo apprentice "azubi" (contract from 1 Aug 2025)


def _page_data(**overrides) -> dict:
    data = {
        "action": "save",
        "version": "0",
        "company_work": "Kundenauftrag.",
        "instruction": "",
        "school": "IP",
    }
    for offset in range(7):
        key = (PAGE_MONDAY + datetime.timedelta(days=offset)).isoformat()
        data[f"place-{key}"] = "company" if offset < 5 else "free"
        data[f"hours-{key}"] = "7" if offset < 5 else ""
    data.update(overrides)
    return data


def _page_url(contract) -> str:
    from django.urls import reverse

    return reverse("records:period", kwargs={"contract_id": contract.pk, "start": PAGE_MONDAY.isoformat()})


def test_bbig_15_abs_2_week_page_keeps_lessons_and_block_week(client_for, contract):
    from ausbildung.records.models import RecordDay, RecordPeriod

    tuesday, wednesday = "2025-09-02", "2025-09-03"
    data = _page_data(
        **{
            f"place-{wednesday}": "school",
            f"hours-{wednesday}": "6",
            f"lessons-{wednesday}": "6",
            f"lessons-{tuesday}": "4",  # a company day: not kept
            "block_week": "on",
        }
    )
    client = client_for("apprentice")
    assert client.post(_page_url(contract), data).status_code == 302
    period = RecordPeriod.objects.get(contract=contract, start=PAGE_MONDAY)
    assert period.block_week is True
    lessons = dict(RecordDay.objects.filter(period=period).values_list("date", "lessons"))
    assert lessons[datetime.date(2025, 9, 3)] == 6 and lessons[datetime.date(2025, 9, 2)] is None
    page = client.get(_page_url(contract)).content.decode()
    assert (
        f'name="lessons-{wednesday}" value="6"' in page
        and 'id="id_block_week" name="block_week" checked' in page
    )


def test_bbig_15_abs_2_next_week_repeats_the_school_day_lessons(demo, contract):
    """The prefill of a week not yet written repeats last week's school day with its hours and lessons."""
    from ausbildung.records import rules, selectors, services

    days = [
        services.DayInput(
            PAGE_MONDAY + datetime.timedelta(days=i),
            "school" if i == 2 else ("company" if i < 5 else "free"),
            "6" if i < 5 else "",
            lessons=6 if i == 2 else None,
        )
        for i in range(7)
    ]
    data = services.PeriodInput(
        company_work="Kundenauftrag.", instruction="", school="IP", days=days, item_ids=[]
    )
    services.record_period_save(actor=demo["azubi"], contract=contract, start=PAGE_MONDAY, data=data)
    next_monday = PAGE_MONDAY + datetime.timedelta(days=7)
    previous = selectors.previous_period(contract, next_monday, with_days=True)
    _period, prefilled = rules.new_period(contract, next_monday, previous=previous)
    assert [(d.place, d.lessons) for d in prefilled[1:3]] == [("company", None), ("school", 6)]


def test_bbig_15_abs_2_week_page_refuses_impossible_lessons(client_for, contract):
    from ausbildung.records.models import RecordPeriod

    wednesday = "2025-09-03"
    monday, tuesday = "2025-09-01", "2025-09-02"
    data = _page_data(
        **{
            f"place-{wednesday}": "school",
            f"lessons-{wednesday}": "40",
            f"hours-{monday}": "25",  # impossible too: marked in the same answer, not after the next submit
            f"place-{tuesday}": "school",
            f"lessons-{tuesday}": "2,5",
        }
    )
    with translation.override("de"):
        response = client_for("apprentice").post(_page_url(contract), data, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert not RecordPeriod.objects.filter(contract=contract, start=PAGE_MONDAY).exists()
    errors = response.context["errors"]
    assert {f"day-{monday}", f"day-{tuesday}", f"day-{wednesday}"} <= set(errors)


def test_bbig_15_abs_2_api_keeps_lessons_and_block_week(demo, contract):
    import json

    from django.test import Client
    from django.urls import reverse

    url = reverse("api:records_period_detail", kwargs={"contract_id": contract.pk, "start": "2025-09-01"})
    days = [
        {
            "date": (PAGE_MONDAY + datetime.timedelta(days=i)).isoformat(),
            "place": "school" if i == 2 else ("company" if i < 5 else "free"),
            "hours": "6" if i < 5 else None,
            "lessons": 7 if i == 2 else None,
        }
        for i in range(7)
    ]
    body = {"company_work": "Kundenauftrag.", "school": "IP", "days": days, "block_week": True, "version": 0}
    client = Client()
    client.force_login(demo["azubi"])
    response = client.put(url, data=json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    saved = response.json()
    assert saved["block_week"] is True
    assert [d["lessons"] for d in saved["days"]] == [None, None, 7, None, None, None, None]
    assert client.get(url).json()["days"][2]["lessons"] == 7
    body = {**body, "version": saved["version"], "days": [{**days[2], "lessons": 33}]}
    bad = client.put(url, data=json.dumps(body), content_type="application/json")
    assert bad.status_code == 422 and bad["Content-Type"] == "application/problem+json"


def test_bbig_11_contract_terms_kept_by_the_company(demo, client_for, contract):
    from django.urls import reverse

    url = reverse("core:contract_terms", kwargs={"pk": contract.pk})
    trainer = client_for("trainer")
    detail = trainer.get(reverse("core:contract_detail", kwargs={"pk": contract.pk})).content.decode()
    assert 'name="weekly_hours"' in detail
    response = trainer.post(url, {"weekly_hours": "38,5", "written_exam_date": "2028-04-25"})
    assert response.status_code == 302
    contract.refresh_from_db()
    assert (contract.weekly_hours, contract.written_exam_date) == (D("38.5"), datetime.date(2028, 4, 25))
    # Impossible figures are refused with a German message; nothing changes.
    with translation.override("de"):
        bad = trainer.post(url, {"weekly_hours": "60", "written_exam_date": ""}, HTTP_ACCEPT_LANGUAGE="de")
    assert bad.status_code == 200 and "ArbZG § 3" in bad.content.decode()
    contract.refresh_from_db()
    assert contract.weekly_hours == D("38.5")
    # Three digits before the comma: the same rule, not a message about digits.
    with translation.override("de"):
        hundred = trainer.post(
            url, {"weekly_hours": "100", "written_exam_date": ""}, HTTP_ACCEPT_LANGUAGE="de"
        )
    assert hundred.status_code == 200 and "ArbZG § 3" in hundred.content.decode()
    assert "Ziffern" not in hundred.content.decode()
    # The apprentice reads the contract but does not edit its terms.
    apprentice = client_for("apprentice")
    assert apprentice.post(url, {"weekly_hours": "20"}).status_code == 403
    assert (
        'name="weekly_hours"'
        not in apprentice.get(reverse("core:contract_detail", kwargs={"pk": contract.pk})).content.decode()
    )


def test_demo_contracts_have_agreed_weekly_hours(demo, contract):
    assert contract.weekly_hours == D(39)


@pytest.fixture
def contract(demo):
    from ausbildung.core.models import TrainingContract

    return TrainingContract.objects.get(apprentice=demo["azubi"])


def test_arbzg_18_abs_2_minors_are_held_to_the_jarbschg_not_the_arbzg():
    # ArbZG § 18 Abs. 2: for persons under 18 the JArbSchG applies instead of the ArbZG.
    found = rules(check_week([day(6, hours="11")], minor()))
    assert not any(rule.startswith("arbzg") for rule in found)
    assert any(rule.startswith("jarbschg-8") for rule in found) and "jarbschg-17" in found
    assert {"arbzg-3", "arbzg-9"} <= set(rules(check_week([day(6, hours="11")], adult())))
