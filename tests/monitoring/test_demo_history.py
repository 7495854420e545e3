"""The demo region's history (monitoring.demo): enough data at Land level that every monitoring cell of the last
complete reporting year reaches the publication minimum (indicators.MINIMUM_COUNT), counted on the raw models."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from ausbildung.core.demo import ORGANISATIONS
from ausbildung.core.models import Organisation, TrainingContract, User
from ausbildung.monitoring import demo as history
from ausbildung.monitoring import indicators
from ausbildung.offers.models import Application, Offer
from ausbildung.records.integrity import verify_contract
from ausbildung.records.models import RecordPeriod, WorkingTimeFinding
from ausbildung.transition.clearing.models import Result
from ausbildung.transition.models import Destination, DestinationKind

MIN = indicators.MINIMUM_COUNT
SAARLAND = [f"1004{n}" for n in range(1, 7)]


def organisations() -> dict[str, Organisation]:
    names = {key: name for key, _kind, name, *_rest in ORGANISATIONS}
    found = {o.name: o for o in Organisation.objects.filter(name__in=names.values())}
    return {key: found[name] for key, name in names.items() if name in found}


def load(demo) -> None:
    history.load_history(organisations(), demo)


def contracts():
    return TrainingContract.objects.filter(
        company__region__code__in=SAARLAND, chamber_registration_number__startswith="STAT-"
    )


def facts(rows=None) -> list[indicators.ContractFacts]:
    return [
        indicators.ContractFacts(
            concluded_on=timezone.localdate(c.created_at),
            starts_on=c.start_date,
            dissolved_on=c.dissolved_on,
            probation_end=c.probation_end,
        )
        for c in (rows if rows is not None else contracts())
    ]


def last_complete_year() -> int:
    return indicators.reporting_year(timezone.localdate()) - 1


@pytest.mark.django_db
def test_every_land_cell_of_the_last_complete_year_reaches_the_minimum(demo):
    load(demo)
    year = last_complete_year()
    first, last = indicators.reporting_year_window(year)
    rows = list(contracts())
    assert indicators.bibb_new_contracts(facts(rows), year) >= MIN
    for kind in (Organisation.ChamberKind.IHK, Organisation.ChamberKind.HWK):
        chamber_rows = [c for c in rows if c.chamber.chamber_kind == kind]
        assert indicators.bibb_new_contracts(facts(chamber_rows), year) >= MIN, kind
    # Dissolutions in the year, in and after the probation period (BBiG § 20), of the layer model's start years.
    dissolved = [c for c in rows if c.dissolved_on and first <= c.dissolved_on <= last]
    in_probation = [c for c in dissolved if c.dissolved_on <= c.probation_end]
    after = [c for c in dissolved if c.dissolved_on > c.probation_end]
    assert len(in_probation) >= MIN and len(after) >= MIN
    rates = indicators.dissolution_rates_from_contracts(facts(rows), last.year - 1)
    assert rates.total is not None and rates.in_probation and rates.after_probation
    # Re-entry: a dissolved apprentice's next contract within 3, 6 and 12 months.
    followups = []
    by_person: dict[int, list[TrainingContract]] = {}
    for c in sorted(rows, key=lambda c: c.start_date):
        by_person.setdefault(c.apprentice_id, []).append(c)
    for own in by_person.values():
        for index, c in enumerate(own):
            if c.dissolved_on:
                later = own[index + 1 :]
                followups.append(
                    indicators.DissolutionFollowUp(c.dissolved_on, later[0].start_date if later else None)
                )
    shares = indicators.reentry_shares(followups, as_of=timezone.localdate())
    for months, share in shares.items():
        assert share.part >= MIN and share.whole - share.part >= MIN, months
    # Offers of the year: published, with places filled and places left unfilled.
    offers = Offer.objects.filter(company__region__code__in=SAARLAND, start_date__range=(first, last))
    assert offers.count() >= MIN
    assert sum(o.places_taken for o in offers) >= MIN
    assert sum(o.places - o.places_taken for o in offers) >= MIN
    # Applicants of the year by state: placed, unplaced, with an alternative; searching in the current year.
    applications = Application.objects.filter(offer__in=offers)
    placed = set(applications.filter(state=Application.State.ACCEPTED).values_list("applicant", flat=True))
    applicants = set(applications.values_list("applicant", flat=True))
    school_year = f"{year - 1}/{year % 100:02d}"
    alternative = set(
        Destination.objects.filter(
            pupil__in=applicants - placed,
            school_year=school_year,
            actual_kind__in=[
                DestinationKind.FURTHER_SCHOOL,
                DestinationKind.EQ,
                DestinationKind.TRANSITION_MEASURE,
                DestinationKind.VOLUNTARY_SERVICE,
                DestinationKind.WORK,
            ],
        ).values_list("pupil", flat=True)
    )
    unplaced = applicants - placed - alternative
    assert len(placed) >= MIN and len(alternative) >= MIN and len(unplaced) >= MIN
    still_searching = Application.objects.filter(
        offer__status=Offer.Status.PUBLISHED,
        offer__company__region__code__in=SAARLAND,
        state__in=[Application.State.SENT, Application.State.INVITED, Application.State.OFFERED],
    )
    assert still_searching.values("applicant").distinct().count() >= MIN
    # Clearing rounds of the year: placed and not placed applicants.
    results = Result.objects.filter(
        round__opens_on__range=(first, last), round__name__endswith="(Statistik-Demo)"
    )
    assert results.filter(round_offer__isnull=False).count() >= MIN
    assert results.filter(round_offer__isnull=True).count() >= MIN
    # School leavers of the year by their main destinations.
    leavers = Destination.objects.filter(school__region__code__in=SAARLAND, school_year=school_year)
    for kind in (
        DestinationKind.TRAINING,
        DestinationKind.FURTHER_SCHOOL,
        DestinationKind.TRANSITION_MEASURE,
        DestinationKind.EQ,
        DestinationKind.UNKNOWN,
    ):
        assert leavers.filter(actual_kind=kind).count() >= MIN, kind


@pytest.mark.django_db
def test_record_weeks_and_working_time_findings(demo):
    load(demo)
    periods = RecordPeriod.objects.filter(contract__in=contracts())
    assert periods.filter(state=RecordPeriod.State.SIGNED).count() >= MIN
    assert periods.filter(state=RecordPeriod.State.SUBMITTED).count() >= MIN
    late = [
        p
        for p in periods.exclude(submitted_at=None)
        if timezone.localdate(p.submitted_at) - p.end > datetime.timedelta(days=7)
    ]
    assert len(late) >= MIN
    findings = WorkingTimeFinding.objects.filter(contract__in=contracts())
    assert findings.values("period").distinct().count() >= MIN
    assert (
        findings.filter(paragraph__startswith="ArbZG § 3").exists()
        or findings.filter(paragraph__startswith="JArbSchG § 8").exists()
    )
    # The signed weeks form intact signature chains.
    for contract in contracts().filter(record_periods__state=RecordPeriod.State.SIGNED).distinct()[:5]:
        assert verify_contract(contract) == []


@pytest.mark.django_db
def test_the_synthetic_people_cannot_sign_in_and_are_marked(demo):
    load(demo)
    people = User.objects.filter(username__startswith="statistik-")
    assert people.count() > 500
    assert not people.filter(is_active=True).exists()
    assert not people.exclude(email="").exists()
    assert not any(user.has_usable_password() for user in people)
    assert (
        not Organisation.objects.filter(name__endswith="(Statistik-Demo)")
        .exclude(name__contains="Statistik-Demo")
        .exists()
    )


def snapshot() -> list:
    return [
        sorted(
            contracts().values_list(
                "apprentice__username",
                "company__name",
                "occupation__slug",
                "start_date",
                "probation_end",
                "dissolved_on",
                "status",
                "created_at",
            )
        ),
        sorted(
            Offer.objects.filter(company__name__endswith="(Statistik-Demo)").values_list(
                "company__name", "occupation__slug", "start_date", "places", "places_taken", "status"
            )
        ),
        sorted(
            Application.objects.filter(applicant__username__startswith="statistik-").values_list(
                "applicant__username", "offer__company__name", "offer__start_date", "state", "sent_at"
            )
        ),
        sorted(
            Destination.objects.filter(pupil__username__startswith="statistik-").values_list(
                "pupil__username", "school_year", "planned_kind", "actual_kind"
            )
        ),
        sorted(
            RecordPeriod.objects.filter(contract__in=contracts()).values_list(
                "contract__chamber_registration_number", "start", "state"
            )
        ),
    ]


@pytest.mark.django_db
def test_deterministic_and_idempotent(demo):
    with transaction.atomic():
        load(demo)
        first = snapshot()
        transaction.set_rollback(True)
    load(demo)
    assert snapshot() == first
    load(demo)  # a second run adds nothing
    assert snapshot() == first
    assert contracts().count() == len(first[0])
