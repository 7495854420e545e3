"""records.selectors.retention_record_facts: the record book's counts for dropout prevention (issue #20) on a
hand-made book: weeks without a period, weeks handed in late, periods returned twice, reviews overdue by the
chamber's interval, working-time findings and sick days of the last 13 weeks, in a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from ausbildung.core.models import Organisation, TrainingContract, TrainingSite, User
from ausbildung.records.models import RecordDay, RecordEvent, RecordPeriod, WorkingTimeFinding
from ausbildung.records.selectors import RetentionRecordFacts, retention_record_facts

TODAY = datetime.date(2026, 3, 18)  # a Wednesday; the week of 16 March is the current one, not due
START = datetime.date(2026, 1, 5)  # a Monday: 10 weeks are due (5 January … 9 March)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def book(demo):
    chamber = Organisation.objects.create(kind="chamber", chamber_kind="ihk", name="Test-IHK")
    company = Organisation.objects.create(kind="company", name="Test GmbH")
    site = TrainingSite.objects.create(company=company, name="Werk")
    from ausbildung.core.models import Occupation

    def make(name: str) -> TrainingContract:
        return TrainingContract.objects.create(
            apprentice=User.objects.create_user(username=f"ret-{name}", password="x"),
            company=company,
            site=site,
            occupation=Occupation.objects.order_by("pk").first(),
            chamber=chamber,
            start_date=START,
            end_date=datetime.date(2029, 1, 4),
            probation_end=datetime.date(2026, 4, 4),
            status="active",
        )

    return make("a"), make("b")


def period(contract, monday, state, submitted=None) -> RecordPeriod:
    return RecordPeriod.objects.create(
        contract=contract,
        start=monday,
        end=monday + datetime.timedelta(days=6),
        form="weekly",
        state=state,
        submitted_at=submitted,
    )


def test_the_counts_of_a_hand_made_book(book, django_assert_max_num_queries):
    a, b = book
    monday = START
    weeks = [monday + datetime.timedelta(weeks=n) for n in range(11)]
    # 6 of the 10 due weeks are written: 4 missing; the current week (16 March) is written ahead and not counted
    period(a, weeks[0], "signed", submitted=at(weeks[0] + datetime.timedelta(days=7)))
    period(a, weeks[1], "signed", submitted=at(weeks[1] + datetime.timedelta(days=7)))
    twice = period(a, weeks[4], "returned", submitted=at(weeks[4] + datetime.timedelta(days=7)))
    # handed in 20 days after its end (Sunday 22 February): late
    period(a, weeks[6], "signed", submitted=at(weeks[6] + datetime.timedelta(days=6 + 20)))
    # handed in exactly 14 days after its end: not late
    period(a, weeks[7], "signed", submitted=at(weeks[7] + datetime.timedelta(days=6 + 14)))
    # handed in on 3 March, the chamber's default interval (31 days) not over: not overdue
    period(a, weeks[8], "submitted", submitted=at(datetime.date(2026, 3, 3)))
    period(a, weeks[10], "draft")  # the current week, written ahead
    for _ in range(2):
        RecordEvent.objects.create(period=twice, action=RecordEvent.Action.RETURNED)
    RecordEvent.objects.filter(period=twice).update(created_at=at(weeks[5]))
    RecordDay.objects.create(period=twice, date=weeks[4], place=RecordDay.Place.SICK)
    RecordDay.objects.create(
        period=twice, date=weeks[4] + datetime.timedelta(days=1), place=RecordDay.Place.SICK
    )
    WorkingTimeFinding.objects.create(
        contract=a, period=twice, week_start=weeks[4], rule="x", paragraph="ArbZG § 3", message="m"
    )
    # b: only its first week, handed in on 12 January and never reviewed
    period(b, weeks[0], "submitted", submitted=at(datetime.date(2026, 1, 12)))

    with django_assert_max_num_queries(9):  # fixed: one more for the ids of the recent periods
        facts = retention_record_facts([a, b], today=TODAY)
    assert facts[a.pk] == RetentionRecordFacts(
        missing_weeks=4, late_weeks=1, returned_repeatedly=1, reviews_overdue=0, findings=1, sick_days=2
    )
    # b: 9 of 10 weeks missing; its one week waits since 12 January, longer than 31 days: overdue
    assert facts[b.pk] == RetentionRecordFacts(missing_weeks=9, reviews_overdue=1)


def test_the_facts_of_a_past_day_leave_out_what_came_later(book):
    """The quality check recomputes the facts of past days: hand-ins, returns and signatures after the day do
    not count, and a review that was pending on the day counts as pending even if it was signed since."""
    a, _b = book
    weeks = [START + datetime.timedelta(weeks=n) for n in range(11)]
    # handed in 20 days late on 21 February, returned on 23 February and 2 March, signed on 10 March
    late = period(a, weeks[3], "signed", submitted=at(weeks[3] + datetime.timedelta(days=6 + 20)))
    RecordPeriod.objects.filter(pk=late.pk).update(signed_at=at(datetime.date(2026, 3, 10)))
    for day in (weeks[7], weeks[8]):
        RecordEvent.objects.create(period=late, action=RecordEvent.Action.RETURNED)
        RecordEvent.objects.filter(period=late, created_at__gt=at(day)).update(created_at=at(day))
    on = {
        # before the hand-in: nothing late or returned yet (a sheet counts from its week on: when it was first
        # written is not kept)
        datetime.date(2026, 2, 12): RetentionRecordFacts(missing_weeks=4),
        # on 9 March: handed in late (21 February), returned twice, waiting 16 days (< 31): not overdue
        datetime.date(2026, 3, 9): RetentionRecordFacts(missing_weeks=8, late_weeks=1, returned_repeatedly=1),
    }
    for day, expected in on.items():
        assert retention_record_facts([a], today=day)[a.pk] == expected, day
    # with a review interval of 14 days the hand-in of 21 February was overdue on 9 March, and is not on 18 March
    from ausbildung.records.models import ChamberRules

    ChamberRules.objects.update_or_create(chamber=a.chamber, defaults={"review_interval_days": 14})
    assert retention_record_facts([a], today=datetime.date(2026, 3, 9))[a.pk].reviews_overdue == 1
    assert retention_record_facts([a], today=TODAY)[a.pk].reviews_overdue == 0


def test_every_contract_at_once_and_daily_sheets_by_their_weeks(book):
    """The nightly scoring reads every contract without a list of ids; daily sheets count by distinct weeks."""
    a, b = book
    TrainingContract.objects.filter(pk=b.pk).update(record_form="daily")
    for offset in range(5):  # five daily sheets of the first week: one week written
        day = START + datetime.timedelta(days=offset)
        RecordPeriod.objects.create(contract=b, start=day, end=day, form="daily", state="signed")
    period(a, START, "signed")
    facts = retention_record_facts([a, b], today=TODAY, every=True)
    assert facts[a.pk].missing_weeks == 9
    assert facts[b.pk].missing_weeks == 9
    # rows of contracts not passed are ignored, not added
    assert set(retention_record_facts([a], today=TODAY, every=True)) == {a.pk}


def test_only_the_last_13_weeks_are_read(book):
    """A book behind since long ago shows at most the 13 weeks the signal reads (BBiG § 13 Satz 2 Nr. 7)."""
    a, _b = book
    TrainingContract.objects.filter(pk=a.pk).update(start_date=datetime.date(2025, 8, 1))
    a.refresh_from_db()
    assert retention_record_facts([a], today=TODAY)[a.pk].missing_weeks == 13


def test_no_contracts_no_queries(django_assert_num_queries, db):
    with django_assert_num_queries(0):
        assert retention_record_facts([], today=TODAY) == {}
