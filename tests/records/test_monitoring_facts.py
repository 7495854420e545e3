"""records.selectors.monitoring_record_facts: the record book's completeness and working-time findings for the
monitoring (issue #19) on known contracts in Bremen (the demo lies in the Saarland): weeks dated by their
Monday (the week of 30 September 2024 belongs to reporting year 2024), the current week not yet due, a
dissolved contract without a Kreis under "", drafts not counted, and the `kreise` filter."""

from __future__ import annotations

import datetime

import pytest

from ausbildung.core.models import Occupation, Organisation, Region, TrainingContract, TrainingSite, User
from ausbildung.records.models import RecordPeriod, WorkingTimeFinding
from ausbildung.records.selectors import monitoring_record_facts

BREMEN = "04011"
TODAY = datetime.date(2024, 10, 16)  # a Wednesday: the week of 14 October is not due yet


def key(fact):
    return (fact[0], fact[1], fact[2] or datetime.date.min, fact[3], fact[5])


@pytest.fixture
def contracts(demo):
    land, _ = Region.objects.get_or_create(code="04", defaults={"name": "Bremen", "level": "land"})
    kreis, _ = Region.objects.get_or_create(
        code=BREMEN, defaults={"name": "Bremen", "level": "kreis", "parent": land}
    )
    ihk = Organisation.objects.create(kind="chamber", chamber_kind="ihk", name="Test-IHK")
    hwk = Organisation.objects.create(kind="chamber", chamber_kind="hwk", name="Test-HWK")
    company = Organisation.objects.create(kind="company", name="Test GmbH", region=kreis)
    nowhere = Organisation.objects.create(kind="company", name="Ohne Kreis GmbH")
    occupation = Occupation.objects.order_by("pk").first()

    def contract(name, company, chamber, start, status="active", dissolved=None):
        site = TrainingSite.objects.create(company=company, name=name, region=company.region)
        return TrainingContract.objects.create(
            apprentice=User.objects.create_user(username=f"mon-{name}", password="x"),
            company=company,
            site=site,
            occupation=occupation,
            chamber=chamber,
            start_date=start,
            end_date=datetime.date(2027, 8, 31),
            probation_end=start + datetime.timedelta(days=90),
            status=status,
            dissolved_on=dissolved,
        )

    return {
        "bremen": contract("azubi1", company, ihk, datetime.date(2024, 9, 23)),
        "gone": contract(
            "azubi2",
            nowhere,
            hwk,
            datetime.date(2024, 9, 2),
            status="dissolved",
            dissolved=datetime.date(2024, 9, 10),
        ),
        "draft": contract("azubi3", company, ihk, datetime.date(2024, 9, 2), status="draft"),
        "daily": contract("azubi4", company, ihk, datetime.date(2024, 10, 7)),
        "occupation": occupation.pk,
    }


def period(contract, monday: datetime.date, state: str) -> RecordPeriod:
    return RecordPeriod.objects.create(
        contract=contract, start=monday, end=monday + datetime.timedelta(days=6), form="weekly", state=state
    )


def test_record_facts(contracts, django_assert_max_num_queries):
    bremen = contracts["bremen"]
    period(bremen, datetime.date(2024, 9, 23), "signed")
    handed_in = period(bremen, datetime.date(2024, 9, 30), "submitted")
    period(bremen, datetime.date(2024, 10, 7), "draft")
    period(bremen, datetime.date(2024, 10, 14), "submitted")  # not ended by TODAY: not counted
    period(contracts["draft"], datetime.date(2024, 9, 2), "signed")  # a draft contract: not counted
    # A daily book: its week of 7 October is handed in (one day is) and signed; the day of 15 October has
    # ended but its week has not: not counted.
    for day, state in (("2024-10-07", "signed"), ("2024-10-08", "submitted"), ("2024-10-15", "submitted")):
        RecordPeriod.objects.create(
            contract=contracts["daily"], start=day, end=day, form="daily", state=state
        )
    WorkingTimeFinding.objects.create(
        contract=bremen,
        period=handed_in,
        week_start=datetime.date(2024, 9, 30),
        rule="weekly_hours",
        paragraph="JArbSchG § 8",
        message="Mehr als 40 Stunden",
    )
    # record facts name the chamber district (Kreis, chamber kind), not the occupation
    occ, sep, oct_ = None, datetime.date(2024, 9, 1), datetime.date(2024, 10, 1)
    expected = []
    for month in (None, sep):
        expected += [
            ("record_contracts", 2024, month, BREMEN, occ, "ihk", 1),
            ("record_weeks_due", 2024, month, BREMEN, occ, "ihk", 2),  # weeks of 23 and 30 September
            ("record_weeks_submitted", 2024, month, BREMEN, occ, "ihk", 2),
            ("record_weeks_signed", 2024, month, BREMEN, occ, "ihk", 1),
            ("worktime_findings", 2024, month, BREMEN, occ, "ihk", 1),
            # The dissolved contract without a Kreis: its two weeks (the second cut at 10 September) under "".
            ("record_contracts", 2024, month, "", occ, "hwk", 1),
            ("record_weeks_due", 2024, month, "", occ, "hwk", 2),
            ("record_weeks_late", 2024, month, "", occ, "hwk", 2),
        ]
    for month in (None, oct_):
        expected += [
            # Both books' weeks of 7 October; the weeks of 14 October are not due.
            ("record_contracts", 2025, month, BREMEN, occ, "ihk", 2),
            ("record_weeks_due", 2025, month, BREMEN, occ, "ihk", 2),
            ("record_weeks_submitted", 2025, month, BREMEN, occ, "ihk", 1),
            ("record_weeks_signed", 2025, month, BREMEN, occ, "ihk", 1),
            ("record_weeks_late", 2025, month, BREMEN, occ, "ihk", 1),  # the weekly book's draft
        ]
    with django_assert_max_num_queries(5):  # contract groups, then periods and findings by year and by month
        facts = [f for f in monitoring_record_facts(today=TODAY) if f[3] in {BREMEN, ""}]
    assert sorted(facts, key=key) == sorted(expected, key=key)
    assert monitoring_record_facts(kreise=[BREMEN], today=TODAY) == sorted(
        (f for f in expected if f[3] == BREMEN), key=key
    )
    assert monitoring_record_facts(kreise=[""], today=TODAY) == sorted(
        (f for f in expected if f[3] == ""), key=key
    )
