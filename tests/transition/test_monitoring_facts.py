"""transition.selectors.monitoring_destination_facts / monitoring_alternative_facts: grouped counts for the
monitoring (issue #19) on known leavers of two Bremen schools and one school without a Kreis (the demo lies in
the Saarland), with the reporting-year boundary of the leaving date and the `kreise` filter."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from ausbildung.core.models import Occupation, Organisation, Region, TrainingContract, TrainingSite, User
from ausbildung.offers.models import Application, Offer, SeekerProfile
from ausbildung.transition.models import Destination
from ausbildung.transition.selectors import monitoring_alternative_facts, monitoring_destination_facts

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
BREMEN, BREMERHAVEN = "04011", "04012"


def key(fact):
    return (fact[0], fact[1], fact[2] or datetime.date.min, fact[3], fact[5])


def mine(facts):
    return sorted((f for f in facts if f[3] in {BREMEN, BREMERHAVEN, ""}), key=key)


@pytest.fixture
def schools(demo):
    land, _ = Region.objects.get_or_create(code="04", defaults={"name": "Bremen", "level": "land"})
    result = {"": Organisation.objects.create(kind="school", name="Schule ohne Kreis")}
    for code, name in ((BREMEN, "Bremen"), (BREMERHAVEN, "Bremerhaven")):
        region, _ = Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": "kreis", "parent": land}
        )
        result[code] = Organisation.objects.create(kind="school", name=f"Schule {name}", region=region)
    return result


def leaver(
    name: str,
    school: Organisation,
    left: datetime.date,
    actual: str = "",
    planned: str = "",
    contract: TrainingContract | None = None,
) -> Destination:
    pupil = User.objects.create_user(username=name, password="x")
    return Destination.objects.create(
        pupil=pupil,
        school=school,
        school_year=f"{left.year - 1}/{str(left.year)[2:]}",
        leaving_date=left,
        actual_kind=actual,
        planned_kind=planned,
        contract=contract,
    )


def test_destination_facts(schools, demo):
    draft = TrainingContract.objects.order_by("pk").first()
    assert draft is not None
    TrainingContract.objects.filter(pk=draft.pk).update(status=TrainingContract.Status.DRAFT)
    sep30, oct1 = datetime.date(2024, 9, 30), datetime.date(2024, 10, 1)
    leaver("a", schools[BREMEN], sep30, actual="training")
    leaver("b", schools[BREMEN], sep30, actual="eq")
    leaver("c", schools[BREMEN], sep30, planned="training")  # a plan only: unknown, not secured
    leaver("d", schools[BREMEN], oct1, actual="training", contract=draft)  # draft contract: not secured
    leaver("e", schools[BREMERHAVEN], datetime.date(2025, 7, 10), actual="unknown")
    leaver("f", schools[""], datetime.date(2025, 7, 10), actual="work")
    sep, oct_, jul = datetime.date(2024, 9, 1), datetime.date(2024, 10, 1), datetime.date(2025, 7, 1)
    expected = []
    cells = {
        (2024, BREMEN): {
            "leavers": 3,
            "leavers_secured": 2,
            "leavers_training": 1,
            "leavers_eq": 1,
            "leavers_unknown": 1,
        },
        (2025, BREMEN): {"leavers": 1, "leavers_training": 1},
        (2025, BREMERHAVEN): {"leavers": 1, "leavers_unknown": 1},
        (2025, ""): {"leavers": 1, "leavers_secured": 1, "leavers_work": 1},
    }
    months = {(2024, BREMEN): sep, (2025, BREMEN): oct_, (2025, BREMERHAVEN): jul, (2025, ""): jul}
    for (year, kreis), counts in cells.items():
        for measure, n in counts.items():
            expected.append((measure, year, None, kreis, None, "", n))
            expected.append((measure, year, months[year, kreis], kreis, None, "", n))
    assert mine(monitoring_destination_facts()) == sorted(expected, key=key)
    assert monitoring_destination_facts(kreise=[BREMERHAVEN]) == sorted(
        (f for f in expected if f[3] == BREMERHAVEN), key=key
    )
    assert monitoring_destination_facts(kreise=[""]) == sorted((f for f in expected if f[3] == ""), key=key)


def test_alternative_facts(schools, demo):
    site = TrainingSite.objects.create(
        company=Organisation.objects.create(kind="company", name="Test GmbH"),
        name="Bremen",
        region=Region.objects.get(code=BREMEN),
    )
    offer = Offer.objects.create(
        company=site.company,
        site=site,
        occupation=Occupation.objects.order_by("pk").first(),
        status="published",
        start_date=datetime.date(2025, 8, 1),
        places=1,
    )
    sent = datetime.datetime(2024, 10, 1, 9, tzinfo=BERLIN)
    in_eq = leaver("g", schools[BREMEN], datetime.date(2024, 7, 1), actual="eq")
    in_training = leaver("h", schools[BREMEN], datetime.date(2024, 7, 1), actual="training")
    in_eq_placed = leaver("i", schools[BREMEN], datetime.date(2024, 7, 1), actual="eq")
    for destination, state in ((in_eq, "sent"), (in_training, "sent"), (in_eq_placed, "accepted")):
        SeekerProfile.objects.create(user=destination.pupil, postcode="28195")
        Application.objects.create(offer=offer, applicant=destination.pupil, state=state, sent_at=sent)
    expected = [
        ("applicants_alternative", 2025, None, BREMEN, None, "", 1),
        ("applicants_alternative", 2025, datetime.date(2024, 10, 1), BREMEN, None, "", 1),
    ]
    assert monitoring_alternative_facts(kreise=[BREMEN]) == expected
    assert monitoring_alternative_facts(kreise=[BREMERHAVEN]) == []
