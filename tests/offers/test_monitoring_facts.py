"""offers.selectors.monitoring_offer_facts / monitoring_applicant_facts: grouped counts for the monitoring
(issue #19) on small known data in two Bremen Kreise (the demo lies in the Saarland), with a site without a
Kreis, the reporting-year boundary (30 September / 1 October) and the `kreise` filter."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from ausbildung.core.models import Occupation, Organisation, Region, TrainingSite, User
from ausbildung.offers.models import Application, Offer, SeekerProfile
from ausbildung.offers.selectors import monitoring_applicant_facts, monitoring_offer_facts

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
BREMEN, BREMERHAVEN = "04011", "04012"


def at(year: int, month: int, day: int, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=BERLIN)


@pytest.fixture
def world(demo):
    land, _ = Region.objects.get_or_create(code="04", defaults={"name": "Bremen", "level": "land"})
    kreise = {
        code: Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": "kreis", "parent": land}
        )[0]
        for code, name in ((BREMEN, "Bremen"), (BREMERHAVEN, "Bremerhaven"))
    }
    ihk = Organisation.objects.create(kind="chamber", chamber_kind="ihk", name="Test-IHK")
    company = Organisation.objects.create(kind="company", name="Test GmbH", region=kreise[BREMEN])
    nowhere = Organisation.objects.create(kind="company", name="Ohne Kreis GmbH")
    sites = {
        BREMEN: TrainingSite.objects.create(company=company, name="Bremen", region=kreise[BREMEN]),
        BREMERHAVEN: TrainingSite.objects.create(company=company, name="Hafen", region=kreise[BREMERHAVEN]),
        "": TrainingSite.objects.create(company=nowhere, name="Irgendwo"),
    }
    return {"sites": sites, "ihk": ihk, "occupation": Occupation.objects.order_by("pk").first()}


def key(fact):
    return (fact[0], fact[1], fact[2] or datetime.date.min, fact[3], fact[5])


def mine(facts, world):
    """The facts of this test's Kreise and of rows without a Kreis (the demo's offers lie in the Saarland)."""
    return sorted((f for f in facts if f[3] in {BREMEN, BREMERHAVEN, ""}), key=key)


def offer(
    world,
    where: str,
    *,
    published: datetime.datetime | None,
    start: datetime.date,
    places=2,
    taken=0,
    status="published",
    source="platform",
    chamber=True,
) -> Offer:
    site = world["sites"][where]
    return Offer.objects.create(
        company=site.company,
        site=site,
        occupation=world["occupation"],
        chamber=world["ihk"] if chamber else None,
        status=status,
        start_date=start,
        places=places,
        places_taken=taken,
        published_at=published,
        source=source,
    )


def test_offer_facts(world, django_assert_max_num_queries):
    occ = world["occupation"].pk
    # Published 30 September 2024 at 23:00 in Berlin: reporting year 2024; 1 October 2024 at 0:00 in Berlin
    # (still 30 September in UTC): reporting year 2025, month October.
    offer(world, BREMEN, published=at(2024, 9, 30, 23), start=datetime.date(2025, 8, 1), places=3, taken=1)
    offer(world, BREMEN, published=at(2024, 10, 1, 0), start=datetime.date(2025, 9, 30), places=2, taken=2)
    offer(
        world,
        BREMERHAVEN,
        published=at(2024, 10, 15),
        start=datetime.date(2025, 10, 1),
        places=1,
        chamber=False,
    )
    offer(world, "", published=at(2025, 1, 5), start=datetime.date(2025, 8, 1), places=4, status="paused")
    offer(world, BREMEN, published=None, start=datetime.date(2025, 8, 1), status="draft")  # never published
    offer(world, BREMEN, published=at(2024, 11, 1), start=datetime.date(2025, 8, 1), source="ba")  # imported
    offer(
        world,
        BREMEN,
        published=at(2024, 11, 2),
        start=datetime.date(2025, 8, 1),
        places=5,
        taken=1,
        status="closed",
    )

    with django_assert_max_num_queries(3):  # grouped in the database: one query per grouping, not per offer
        facts = mine(monitoring_offer_facts(), world)
    sep, oct_, nov, jan = (
        datetime.date(2024, 9, 1),
        datetime.date(2024, 10, 1),
        datetime.date(2024, 11, 1),
        datetime.date(2025, 1, 1),
    )
    # (year, month, Kreis, chamber kind): (offers, places, places taken)
    cells = {
        (2024, None, BREMEN, "ihk"): (1, 3, 1),
        (2024, sep, BREMEN, "ihk"): (1, 3, 1),
        (2025, None, BREMEN, "ihk"): (2, 7, 3),  # the closed one was published too
        (2025, oct_, BREMEN, "ihk"): (1, 2, 2),
        (2025, nov, BREMEN, "ihk"): (1, 5, 1),
        (2025, None, BREMERHAVEN, ""): (1, 1, 0),  # no competent chamber entered
        (2025, oct_, BREMERHAVEN, ""): (1, 1, 0),
        (2025, None, "", "ihk"): (1, 4, 0),  # a site without a Kreis: under ""
        (2025, jan, "", "ihk"): (1, 4, 0),
    }
    # a monthly fact names its Kreis only (the monitoring keeps monthly series per area, not per occupation)
    expected = [
        (measure, year, month, kreis, None if month else occ, "" if month else chamber, counts[n])
        for (year, month, kreis, chamber), counts in cells.items()
        for n, measure in enumerate(("offers_published", "places_offered", "places_filled"))
    ]
    # Unfilled: published or paused now, places left, by the reporting year of the start of training.
    expected += [
        ("places_unfilled", 2025, None, BREMEN, occ, "ihk", 2),  # 3 − 1; the full one and the closed one not
        ("places_unfilled", 2026, None, BREMERHAVEN, occ, "", 1),  # starts 1 October 2025
        ("places_unfilled", 2025, None, "", occ, "ihk", 4),  # paused, without a Kreis: under ""
    ]
    assert facts == sorted(expected, key=key)

    only_hafen = monitoring_offer_facts(kreise=[BREMERHAVEN])
    assert sorted(only_hafen, key=key) == sorted((f for f in expected if f[3] == BREMERHAVEN), key=key)
    assert monitoring_offer_facts(kreise=[]) == []


def person(name: str, postcode: str | None) -> User:
    user = User.objects.create_user(username=name, password="x")
    if postcode is not None:
        SeekerProfile.objects.create(user=user, postcode=postcode)
    return user


def apply(who: User, to: Offer, state: str, sent: datetime.datetime | None) -> Application:
    return Application.objects.create(offer=to, applicant=who, state=state, sent_at=sent)


def test_applicant_facts(world, django_assert_max_num_queries):
    start = datetime.date(2025, 8, 1)
    in_bremen = offer(world, BREMEN, published=at(2024, 9, 1), start=start)
    in_hafen = offer(world, BREMERHAVEN, published=at(2024, 9, 1), start=start)
    nowhere = offer(world, "", published=at(2024, 9, 1), start=start)

    # Lives in Bremerhaven (postcode), applied in Bremen: placed in reporting year 2024 (30 September).
    anna = person("anna", "27568")
    apply(anna, in_bremen, "accepted", at(2024, 9, 30, 23))
    apply(anna, in_hafen, "withdrawn", at(2024, 9, 2))
    # No profile: the Kreis of the offer; one open application, sent 1 October: reporting year 2025, searching.
    ben = person("ben", None)
    apply(ben, in_bremen, "invited", at(2024, 10, 1, 0))
    # Unknown postcode, applied to offers in both Kreise: the lowest ARS (Bremen); all declined: unplaced.
    cem = person("cem", "99999")
    apply(cem, in_hafen, "declined", at(2024, 10, 3))
    apply(cem, in_bremen, "withdrawn", at(2024, 11, 3))
    # No postcode and an offer without a Kreis: counted under "".
    dana = person("dana", "")
    apply(dana, nowhere, "sent", at(2025, 2, 1))
    # A draft is no application.
    apply(person("emil", "28195"), in_bremen, "draft", None)

    sep, oct_, nov, feb = (
        datetime.date(2024, 9, 1),
        datetime.date(2024, 10, 1),
        datetime.date(2024, 11, 1),
        datetime.date(2025, 2, 1),
    )
    expected = [
        ("applicants", 2024, None, BREMERHAVEN, None, "", 1),
        ("applicants_placed", 2024, None, BREMERHAVEN, None, "", 1),
        ("applicants", 2024, sep, BREMERHAVEN, None, "", 1),
        ("applicants_placed", 2024, sep, BREMERHAVEN, None, "", 1),
        ("applicants", 2025, None, BREMEN, None, "", 2),
        ("applicants_searching", 2025, None, BREMEN, None, "", 1),
        ("applicants_unplaced", 2025, None, BREMEN, None, "", 1),
        # In October cem had applied in Bremerhaven only: the fallback Kreis is that of the month's offers.
        ("applicants", 2025, oct_, BREMEN, None, "", 1),
        ("applicants_searching", 2025, oct_, BREMEN, None, "", 1),
        ("applicants", 2025, oct_, BREMERHAVEN, None, "", 1),
        ("applicants_unplaced", 2025, oct_, BREMERHAVEN, None, "", 1),
        ("applicants", 2025, nov, BREMEN, None, "", 1),
        ("applicants_unplaced", 2025, nov, BREMEN, None, "", 1),
        ("applicants", 2025, None, "", None, "", 1),
        ("applicants_searching", 2025, None, "", None, "", 1),
        ("applicants", 2025, feb, "", None, "", 1),
        ("applicants_searching", 2025, feb, "", None, "", 1),
    ]
    with django_assert_max_num_queries(2):  # per person in the database, per postcode here
        facts = monitoring_applicant_facts()
    assert mine(facts, world) == sorted(expected, key=key)
    assert sorted(monitoring_applicant_facts(kreise=[BREMEN]), key=key) == sorted(
        (f for f in expected if f[3] == BREMEN), key=key
    )
    assert sorted(monitoring_applicant_facts(kreise=[BREMERHAVEN]), key=key) == sorted(
        (f for f in expected if f[3] == BREMERHAVEN), key=key
    )
    assert sorted(monitoring_applicant_facts(kreise=[""]), key=key) == sorted(
        (f for f in expected if f[3] == ""), key=key
    )
    # Restricted to some persons (the transition area's applicants with an alternative use this).
    assert sorted(monitoring_applicant_facts(applicants=User.objects.filter(pk=ben.pk)), key=key) == sorted(
        [
            ("applicants", 2025, None, BREMEN, None, "", 1),
            ("applicants_searching", 2025, None, BREMEN, None, "", 1),
            ("applicants", 2025, oct_, BREMEN, None, "", 1),
            ("applicants_searching", 2025, oct_, BREMEN, None, "", 1),
        ],
        key=key,
    )
