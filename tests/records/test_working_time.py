"""Working-time findings of the record book (issue #15): hours above a legal limit are recorded as written and
flagged (JArbSchG § 8, ArbZG § 3), stored per period, recomputed per calendar week, confirmed when signed."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ausbildung.core.models import AuditLog
from ausbildung.records import integrity, selectors, services
from ausbildung.records.models import RecordEvent, RecordPeriod, RecordSignature, WorkingTimeFinding

from .conftest import week_input

# A week without public holidays in the Saarland; the demo apprentice (born 20 May 2009) is 16 then.
MONDAY = datetime.date(2025, 9, 8)


def save_week(demo, contract, *, hours: str, monday: datetime.date = MONDAY) -> RecordPeriod:
    data = week_input(monday, hours=hours, school_day=None)
    return services.record_period_save(actor=demo["azubi"], contract=contract, start=monday, data=data)


def week_findings(period: RecordPeriod) -> list[WorkingTimeFinding]:
    return [f for f in period.working_time_findings.all() if f.day is None]


def test_jarbschg_8_abs_1_week_over_40_hours_is_saved_with_a_finding(demo, contract):
    """JArbSchG § 8 Abs. 1: a minor's 45-hour week is no longer refused; it is saved and flagged."""
    period = save_week(demo, contract, hours="9")
    assert [d.hours for d in period.days.all()][:5] == [Decimal("9.00")] * 5  # kept as written
    (week,) = week_findings(period)
    assert week.paragraph.startswith("JArbSchG § 8")
    assert (week.hours, week.limit, week.week_start) == (Decimal(45), Decimal(40), MONDAY)
    assert "45 " in week.message and "40" in week.message and "JArbSchG § 8" in week.message
    assert "45,00" not in week.message  # the hours as written, not as stored
    assert week.contract == contract
    # … and the period can still be submitted.
    services.record_period_submit(actor=demo["azubi"], period=period)


def test_jarbschg_8_abs_1_findings_are_audited_and_removed_after_a_correction(demo, contract):
    period = save_week(demo, contract, hours="9")
    assert period.working_time_findings.exists()
    entry = AuditLog.objects.filter(action="record.working_time", target_id=str(period.pk)).latest("pk")
    assert entry.changes["before"] == [] and any(f["limit"] == "40" for f in entry.changes["after"])
    # The apprentice corrects the week to 8 hours a day: the findings disappear, the audit log keeps them.
    data = week_input(MONDAY, hours="8", school_day=None)
    services.record_period_save(
        actor=demo["azubi"], contract=contract, start=MONDAY, data=data, version=period.version
    )
    assert not WorkingTimeFinding.objects.filter(period=period).exists()
    entry = AuditLog.objects.filter(action="record.working_time", target_id=str(period.pk)).latest("pk")
    assert entry.changes["after"] == [] and any(f["hours"] == "45" for f in entry.changes["before"])
    # Saving the same week again changes nothing and writes no further entry.
    count = AuditLog.objects.filter(action="record.working_time").count()
    data = week_input(MONDAY, hours="8", school_day=None)
    services.record_period_save(
        actor=demo["azubi"], contract=contract, start=MONDAY, data=data, version=period.version + 1
    )
    assert AuditLog.objects.filter(action="record.working_time").count() == count


def test_jarbschg_8_abs_1_week_of_a_daily_record_book_counts_every_day_of_the_calendar_week(demo, contract):
    """JArbSchG § 8 Abs. 1 with § 4 Abs. 4 (the week runs Monday to Sunday): in a daily record book each day is
    its own period, and six 8-hour days of a minor (48 hours) used to pass one by one."""
    contract.record_form = "daily"
    contract.save(update_fields=["record_form"])
    periods = []
    for offset in range(6):
        day = MONDAY + datetime.timedelta(days=offset)
        data = services.PeriodInput(
            company_work="Server aufgesetzt.",
            instruction="",
            school="",
            days=[services.DayInput(day, "company", "8")],
            item_ids=[],
        )
        periods.append(
            services.record_period_save(actor=demo["azubi"], contract=contract, start=day, data=data)
        )
        if offset < 5:
            assert not WorkingTimeFinding.objects.filter(contract=contract, day=None).exists()
    week = WorkingTimeFinding.objects.get(contract=contract, day=None, limit=Decimal(40))
    assert week.paragraph.startswith("JArbSchG § 8") and week.hours == Decimal(48)
    assert week.period == periods[-1]  # the period of the week's last recorded day
    assert week.week_start == MONDAY
    # Correcting Monday (an earlier period of the same week) recomputes the week: 40 hours, no finding.
    data = services.PeriodInput(
        company_work="Server aufgesetzt.",
        instruction="",
        school="",
        days=[services.DayInput(MONDAY, "free", "")],
        item_ids=[],
    )
    services.record_period_save(
        actor=demo["azubi"], contract=contract, start=MONDAY, data=data, version=periods[0].version
    )
    assert not WorkingTimeFinding.objects.filter(contract=contract, day=None, limit=Decimal(40)).exists()


@pytest.mark.parametrize("hours", ["25", "-1", "24,5"])
def test_impossible_hours_are_still_refused(demo, contract, hours):
    """Not a legal limit but impossible input: a day has 24 hours (records.worktime.impossible_input)."""
    data = week_input(MONDAY, school_day=None)
    data.days[0].hours = hours
    with pytest.raises(ValidationError) as excinfo:
        services.record_period_save(actor=demo["azubi"], contract=contract, start=MONDAY, data=data)
    assert "24" in excinfo.value.message_dict[f"day-{MONDAY.isoformat()}"][0]
    assert not RecordPeriod.objects.filter(contract=contract, start=MONDAY).exists()
    assert not WorkingTimeFinding.objects.exists()


def test_jarbschg_8_unknown_date_of_birth_is_said_never_assumed_adult(demo, contract):
    """Without a date of birth the platform cannot know whether JArbSchG § 8 applies: it says so."""
    apprentice = contract.apprentice
    apprentice.date_of_birth = None
    apprentice.save(update_fields=["date_of_birth"])
    contract.refresh_from_db()
    period = save_week(demo, contract, hours="9")
    assert not any(f.paragraph.startswith("JArbSchG") for f in period.working_time_findings.all())
    assert selectors.working_time_of_period(period, contract).age_unknown is True


def test_jarbschg_8_sign_requires_the_confirmation_and_records_it(demo, contract):
    period = save_week(demo, contract, hours="9")
    services.record_period_submit(actor=demo["azubi"], period=period)
    with pytest.raises(ValidationError) as excinfo:
        services.record_period_sign(actor=demo["ausbilder"], period=period)
    assert "confirm_findings" in excinfo.value.message_dict
    period.refresh_from_db()
    assert period.state == RecordPeriod.State.SUBMITTED
    # Bulk signing without the confirmation leaves it too.
    assert services.record_periods_sign(actor=demo["ausbilder"], periods=[period]) == []

    services.record_period_sign(actor=demo["ausbilder"], period=period, confirm_findings=True)
    period.refresh_from_db()
    assert period.state == RecordPeriod.State.SIGNED
    signature = RecordSignature.objects.get(period=period)
    assert any(
        f["paragraph"].startswith("JArbSchG § 8") and f["hours"] == "45" and f["limit"] == "40"
        for f in signature.confirmed_findings
    )
    event = period.events.get(action=RecordEvent.Action.SIGNED)
    assert "JArbSchG § 8" in event.comment
    audit = AuditLog.objects.filter(action="record.sign", target_id=str(period.pk)).get()
    assert audit.changes["confirmed_findings"] == signature.confirmed_findings
    # The signature chain is unchanged in kind: it verifies as before.
    assert integrity.verify_contract(contract) == []


def test_sign_without_findings_needs_no_confirmation(demo, contract):
    period = save_week(demo, contract, hours="8")
    services.record_period_submit(actor=demo["azubi"], period=period)
    services.record_period_sign(actor=demo["ausbilder"], period=period)
    assert RecordSignature.objects.get(period=period).confirmed_findings == []


def test_findings_are_readable_through_the_selectors(demo, contract):
    save_week(demo, contract, hours="9")
    save_week(demo, contract, hours="8", monday=MONDAY + datetime.timedelta(days=7))
    assert selectors.working_time_findings(contracts=[contract.pk]).count() >= 1
    assert (
        selectors.working_time_findings(contracts=[contract.pk], since=MONDAY + datetime.timedelta(7)).count()
        == 0
    )
    counts = selectors.working_time_finding_counts([contract.pk])
    assert counts[contract.pk] == selectors.working_time_findings(contracts=[contract.pk]).count()


def test_jarbschg_8_abs_1_findings_of_weeks_saved_before_the_upgrade_are_computed_by_the_command(
    demo, contract
):
    """`ausbildung records working-time`: weeks saved before findings existed (or before a rule changed) get
    their findings; weeks that no longer break a rule lose them."""
    import io

    from django.core.management import call_command

    period = save_week(demo, contract, hours="9")
    WorkingTimeFinding.objects.all().delete()  # as before the migration
    out = io.StringIO()
    call_command("records", "working-time", stdout=out)
    assert "1 recorded week(s) checked" in out.getvalue()
    assert week_findings(period)[0].hours == Decimal(45)


def test_bbig_15_abs_2_findings_follow_a_change_of_the_agreed_weekly_hours(demo, contract):
    """BBiG § 15 Abs. 2 Nr. 1: a school day of more than five lessons counts as the average working day, which
    the agreed weekly hours set. When the company corrects them, the findings of unsigned weeks follow (a trainer
    must not confirm a finding that no longer holds)."""
    from ausbildung.core.services import contract_terms_update

    data = week_input(MONDAY, hours="9", school_day=2)
    data.days[2] = services.DayInput(MONDAY + datetime.timedelta(days=2), "school", "6", lessons=6)
    contract_terms_update(
        actor=demo["ausbilder"], contract=contract, weekly_hours=Decimal(39), written_exam_date=None
    )
    period = services.record_period_save(actor=demo["azubi"], contract=contract, start=MONDAY, data=data)
    (week,) = week_findings(period)
    assert week.hours == Decimal("43.8")  # 4 × 9 h + 39 / 5 h credited for the school day
    contract.refresh_from_db()
    contract_terms_update(
        actor=demo["ausbilder"], contract=contract, weekly_hours=Decimal(20), written_exam_date=None
    )
    assert week_findings(period) == []  # 36 h + 4 h credited: 40 h, lawful
