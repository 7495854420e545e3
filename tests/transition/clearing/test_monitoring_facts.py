"""transition.clearing.selectors.monitoring_clearing_facts: clearing rounds' placement for the monitoring
(issue #19) on known rounds in Bremen (the demo lies in the Saarland): only published rounds count, by the
reporting year of the publication day (30 September / 1 October), offers by their Kreis, participants by
their postcode's Kreis, else the round's, else ""; and the `kreise` filter."""

from __future__ import annotations

import datetime

import pytest

from ausbildung.core.models import Occupation, Organisation, Region, TrainingSite, User
from ausbildung.offers.models import Offer, SeekerProfile
from ausbildung.transition.clearing.models import ClearingRound, Participant, Result, RoundOffer
from ausbildung.transition.clearing.selectors import monitoring_clearing_facts

BREMEN, BREMERHAVEN = "04011", "04012"


def key(fact):
    return (fact[0], fact[1], fact[2] or datetime.date.min, fact[3], fact[5])


@pytest.fixture
def bremen(demo):
    land, _ = Region.objects.get_or_create(code="04", defaults={"name": "Bremen", "level": "land"})
    return {
        code: Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": "kreis", "parent": land}
        )[0]
        for code, name in ((BREMEN, "Bremen"), (BREMERHAVEN, "Bremerhaven"))
    }


def a_round(organiser, published_on: datetime.date, status="published", region=None) -> ClearingRound:
    return ClearingRound.objects.create(
        organiser=organiser,
        name=f"Runde {published_on}",
        region=region,
        opens_on=published_on - datetime.timedelta(days=20),
        ranking_closes_on=published_on - datetime.timedelta(days=5),
        result_published_on=published_on,
        status=status,
        seed=1,
    )


def test_clearing_facts(bremen):
    ihk = Organisation.objects.create(kind="chamber", chamber_kind="ihk", name="Test-IHK")
    agency = Organisation.objects.create(kind="guidance_agency", name="Test-Agentur")
    company = Organisation.objects.create(kind="company", name="Test GmbH", region=bremen[BREMEN])
    site = TrainingSite.objects.create(company=company, name="Hafen", region=bremen[BREMERHAVEN])
    occupation = Occupation.objects.order_by("pk").first()
    offer = Offer.objects.create(
        company=company,
        site=site,
        occupation=occupation,
        chamber=ihk,
        status="published",
        start_date=datetime.date(2024, 10, 1),
        places=3,
    )
    sep30 = a_round(ihk, datetime.date(2024, 9, 30))
    oct1 = a_round(agency, datetime.date(2024, 10, 1), region=bremen[BREMEN])
    draft = a_round(ihk, datetime.date(2024, 10, 1), status="computed")
    people = {}
    for name, postcode in (("p1", "27568"), ("p2", None), ("p3", "28195"), ("p4", None)):
        people[name] = User.objects.create_user(username=name, password="x")
        if postcode:
            SeekerProfile.objects.create(user=people[name], postcode=postcode)
    for clearing_round, names, capacity, placed in (
        (sep30, ["p1", "p2"], 2, ["p1"]),
        (oct1, ["p3", "p4"], 1, ["p4"]),
        (draft, ["p1"], 1, ["p1"]),
    ):
        round_offer = RoundOffer.objects.create(round=clearing_round, offer=offer, capacity=capacity)
        for name in names:
            participant = Participant.objects.create(round=clearing_round, pupil=people[name])
            Result.objects.create(
                round=clearing_round,
                participant=participant,
                round_offer=round_offer if name in placed else None,
            )
    occ = occupation.pk
    sep, oct_ = datetime.date(2024, 9, 1), datetime.date(2024, 10, 1)
    expected = []
    for year, month in ((2024, None), (2024, sep)):
        expected += [
            ("clearing_offers", year, month, BREMERHAVEN, occ, "ihk", 1),
            ("clearing_places", year, month, BREMERHAVEN, occ, "ihk", 2),
            ("clearing_placed", year, month, BREMERHAVEN, occ, "ihk", 1),
            ("clearing_participants", year, month, BREMERHAVEN, None, "ihk", 1),  # p1 lives in Bremerhaven
            (
                "clearing_participants",
                year,
                month,
                "",
                None,
                "ihk",
                1,
            ),  # p2: no postcode, round without Kreis
        ]
    for year, month in ((2025, None), (2025, oct_)):
        expected += [
            ("clearing_offers", year, month, BREMERHAVEN, occ, "ihk", 1),
            ("clearing_places", year, month, BREMERHAVEN, occ, "ihk", 1),
            ("clearing_placed", year, month, BREMERHAVEN, occ, "ihk", 1),
            ("clearing_participants", year, month, BREMEN, None, "", 2),  # p3 by postcode, p4 by the round
        ]
    facts = [f for f in monitoring_clearing_facts() if f[3] in {BREMEN, BREMERHAVEN, ""}]
    assert sorted(facts, key=key) == sorted(expected, key=key)
    assert sorted(monitoring_clearing_facts(kreise=[BREMEN]), key=key) == sorted(
        (f for f in expected if f[3] == BREMEN), key=key
    )
    assert sorted(monitoring_clearing_facts(kreise=[""]), key=key) == sorted(
        (f for f in expected if f[3] == ""), key=key
    )
