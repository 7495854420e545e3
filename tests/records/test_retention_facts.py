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
    RecordDay.objects.create(period=twice, date=weeks[4], place=RecordDay.Place.SICK)
    RecordDay.objects.create(
        period=twice, date=weeks[4] + datetime.timedelta(days=1), place=RecordDay.Place.SICK
    )
    WorkingTimeFinding.objects.create(
        contract=a, period=twice, week_start=weeks[4], rule="x", paragraph="ArbZG § 3", message="m"
    )
    # b: only its first week, handed in on 12 January and never reviewed
    period(b, weeks[0], "submitted", submitted=at(datetime.date(2026, 1, 12)))

    with django_assert_max_num_queries(8):
        facts = retention_record_facts([a, b], today=TODAY)
    assert facts[a.pk] == RetentionRecordFacts(
        missing_weeks=4, late_weeks=1, returned_repeatedly=1, reviews_overdue=0, findings=1, sick_days=2
    )
    # b: 9 of 10 weeks missing; its one week waits since 12 January, longer than 31 days: overdue
    assert facts[b.pk] == RetentionRecordFacts(missing_weeks=9, reviews_overdue=1)


def test_no_contracts_no_queries(django_assert_num_queries, db):
    with django_assert_num_queries(0):
        assert retention_record_facts([], today=TODAY) == {}
