"""Issue #17: suggestions weigh in places near the pupil – published training offers and open internships of
each suggested occupation within 25 km of the postcode in the pupil's profile – without ever changing the
band (the fit); and the certificate the platform's own offers of an occupation ask for most often."""

from __future__ import annotations

import datetime
import math
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ausbildung.core import geo
from ausbildung.core.models import Occupation, TrainingSite
from ausbildung.offers.models import Offer, SeekerProfile
from ausbildung.orientation.check import nearby, result
from ausbildung.orientation.check.ranking import band, profile_correlation
from ausbildung.orientation.models import InternshipSlot

from .check_helpers import completed_check, profile_for

PUPIL = {"R": 1.0, "I": 0.3, "A": 0.1, "S": 0.1, "E": 0.1, "C": 0.2}
# Three occupations of different families: two "passt sehr gut" (Alpha better than Beta), one "passt gut".
PROFILES = {
    "alpha": ("Alpha Werker", {"R": 0.9, "I": 0.3, "A": 0.05, "S": 0.05, "E": 0.1, "C": 0.2}),
    "beta": ("Beta Bauer", {"R": 0.6, "I": 0.1, "A": 0.1, "S": 0.1, "E": 0.2, "C": 0.3}),
    "gamma": ("Gamma Pfleger", {"R": 0.5, "I": 0.2, "A": 0.1, "S": 0.4, "E": 0.1, "C": 0.1}),
}


def _moved(place: geo.Place, km: float) -> tuple[float, float]:
    """A point `km` north of the place."""
    return place.lat + km / (math.pi * geo.EARTH_RADIUS_KM / 180), place.lon


@pytest.fixture
def home(demo) -> geo.Place:
    """The demo pupil's postcode (her seeker profile: 66740)."""
    postcode = SeekerProfile.objects.get(user=demo["schueler"]).postcode
    place = geo.lookup(postcode)
    assert place is not None
    return place


@pytest.fixture
def occupations(demo) -> dict[str, Occupation]:
    Occupation.objects.update(is_active=False)  # only these compete
    found = {}
    for key, (name, scores) in PROFILES.items():
        occupation = Occupation.objects.create(slug=f"test-{key}", name=name)
        profile_for(occupation, scores)
        found[key] = occupation
    return found


@pytest.fixture
def site(demo) -> TrainingSite:
    return TrainingSite.objects.get(name="Werkstatt St. Wendel")


def offer(site, occupation, home, km: float, *, certificate: str = "", title: str = "") -> Offer:
    lat, lon = _moved(home, km)
    assert abs(geo.distance_km(home.lat, home.lon, lat, lon) - km) < 0.1
    return Offer.objects.create(
        company=site.company,
        site=site,
        occupation=occupation,
        title=title or f"{occupation.name} {km} km",
        status=Offer.Status.PUBLISHED,
        start_date=timezone.localdate() + datetime.timedelta(days=200),
        certificate=certificate,
        places=1,
        latitude=lat,
        longitude=lon,
    )


def internship(site, occupation, home, km: float, title: str) -> InternshipSlot:
    lat, lon = _moved(home, km)
    near_site = TrainingSite.objects.create(
        company=site.company, name=f"Standort {km} km", latitude=lat, longitude=lon
    )
    today = timezone.localdate()
    return InternshipSlot.objects.create(
        company=site.company,
        site=near_site,
        title=title,
        occupation=occupation,
        start_date=today + datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=34),
        status=InternshipSlot.Status.PUBLISHED,
    )


def test_the_profiles_fall_into_the_bands_the_tests_assume():
    r = {key: profile_correlation(PUPIL, scores) for key, (_name, scores) in PROFILES.items()}
    assert band(r["alpha"]) == band(r["beta"]) == "very_good" and r["alpha"] > r["beta"]
    assert band(r["gamma"]) == "good"


def test_counts_offers_and_internships_within_the_radius_only(demo, client_for, occupations, site, home):
    alpha, beta = occupations["alpha"], occupations["beta"]
    offer(site, alpha, home, 10)
    offer(site, alpha, home, 24)
    offer(site, alpha, home, 40)  # outside 25 km
    offer(site, beta, home, 40)
    internship(site, alpha, home, 10, "Schnuppern nah")
    internship(site, beta, home, 40, "Schnuppern fern")
    near = nearby.nearby_for(demo["schueler"])
    assert near.known and near.radius_km == 25
    assert near.offers.get(alpha.pk) == 2 and near.offers.get(beta.pk, 0) == 0
    assert near.internships.get(alpha.pk) == 1 and near.internships.get(beta.pk, 0) == 0

    check = completed_check(demo["schueler"], {"R": 4, "I": 1, "C": 1})
    response = client_for("pupil").get(reverse("orientation:check_result", kwargs={"check_id": check.pk}))
    by_slug = {m.slug: m for m in response.context["matches"]}
    assert (by_slug["test-alpha"].offers_near, by_slug["test-alpha"].internships_near) == (2, 1)
    assert (by_slug["test-beta"].offers_near, by_slug["test-beta"].internships_near) == (0, 0)
    html = response.content.decode()
    line = html.split('data-testid="near-line-test-alpha"')[1].split("</span>")[0]
    assert "2 Ausbildungsplätze</a> und" in line and "1 Praktikum</a> im Umkreis von 25 km" in line
    assert 'data-testid="postcode-hint"' not in html


def test_places_nearby_order_within_a_band_and_never_change_the_band(demo, occupations, site, home):
    pupil = demo["schueler"]
    without = result.ranked_matches(PUPIL, near=nearby.nearby_for(pupil))
    assert [m.slug for m in without] == ["test-alpha", "test-beta", "test-gamma"]
    # Beta ("sehr gut", weaker than Alpha) and Gamma ("gut") have places near the pupil, Alpha none.
    offer(site, occupations["beta"], home, 5)
    for km in (1, 2, 3, 4, 5):
        offer(site, occupations["gamma"], home, km)
    internship(site, occupations["gamma"], home, 3, "Pflege schnuppern")
    weighed = result.ranked_matches(PUPIL, near=nearby.nearby_for(pupil))
    assert [m.slug for m in weighed] == ["test-beta", "test-alpha", "test-gamma"]
    assert {m.slug: m.band for m in weighed} == {m.slug: m.band for m in without}
    assert {m.slug: m.score for m in weighed} == {m.slug: m.score for m in without}


def test_without_a_postcode_no_weighting_and_a_hint_to_enter_one(demo, client_for, occupations, site, home):
    SeekerProfile.objects.filter(user=demo["schueler"]).update(postcode="")
    offer(site, occupations["beta"], home, 5)
    near = nearby.nearby_for(demo["schueler"])
    assert not near.known and near.offers == {}
    matches = result.ranked_matches(PUPIL, near=near)
    assert [m.slug for m in matches] == ["test-alpha", "test-beta", "test-gamma"]
    assert all(m.offers_near is None and m.near_line == "" for m in matches)

    check = completed_check(demo["schueler"], {"R": 4, "I": 1, "C": 1})
    html = client_for("pupil").get(reverse("orientation:check_result", kwargs={"check_id": check.pk}))
    page = html.content.decode()
    hint = page.split('data-testid="postcode-hint"')[1].split("</p>")[0]
    assert f'href="{reverse("offers:profile")}"' in hint and "Postleitzahl" in hint
    assert "near-line-" not in page


def test_queries_stay_bounded_however_many_suggestions(demo, occupations, site, home):
    pupil = demo["schueler"]
    for occupation in occupations.values():
        offer(site, occupation, home, 5, certificate="msa")
        internship(site, occupation, home, 5, f"Praktikum {occupation.name}")

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            matches = result.ranked_matches(PUPIL, near=nearby.nearby_for(pupil))
        return len(captured), len(matches)

    few, shown = queries()
    assert shown == 3
    for i in range(8):
        extra = Occupation.objects.create(slug=f"test-more-{i}", name=f"Mehr{i} Werker")
        profile_for(extra, PROFILES["alpha"][1])
        offer(site, extra, home, 5, certificate="msa")
        internship(site, extra, home, 5, f"Praktikum {i}")
    many, shown = queries()
    assert shown == 11
    assert many == few
    with CaptureQueriesContext(connection) as captured:
        nearby.nearby_for(pupil)
    assert len(captured) == 3  # the profile, the offers near it, the internships near it


def test_links_are_prefilled_with_occupation_place_and_radius(demo, client_for, occupations, site, home):
    alpha = occupations["alpha"]
    offer(site, alpha, home, 10, title="Nahes Angebot Alpha")
    offer(site, alpha, home, 40, title="Fernes Angebot Alpha")
    internship(site, alpha, home, 10, "Nahes Praktikum Alpha")
    internship(site, alpha, home, 40, "Fernes Praktikum Alpha")
    match = next(m for m in result.ranked_matches(PUPIL, near=nearby.nearby_for(demo["schueler"])))
    assert match.slug == "test-alpha"
    client = client_for("pupil")
    for url, path, near_title, far_title in (
        (match.offers_url, reverse("offers:search"), "Nahes Angebot Alpha", "Fernes Angebot Alpha"),
        (
            match.internships_url,
            reverse("orientation:internships"),
            "Nahes Praktikum Alpha",
            "Fernes Praktikum Alpha",
        ),
    ):
        parts = urlsplit(url)
        assert parts.path == path
        assert parse_qs(parts.query) == {"beruf": [str(alpha.pk)], "ort": ["66740"], "umkreis": ["25"]}
        page = client.get(url).content.decode()
        assert near_title in page and far_title not in page


def test_certificate_from_the_platforms_own_offers_with_their_number(demo, occupations, site, home):
    alpha, beta, gamma = occupations["alpha"], occupations["beta"], occupations["gamma"]
    for certificate in ("msa", "msa", "msa", "esa", ""):
        offer(site, alpha, home, 300, certificate=certificate)  # far away: the certificate counts anyway
    offer(site, beta, home, 300, certificate="ahr")
    offer(site, beta, home, 300, certificate="ahr")  # two offers: too few to say "meist"
    for certificate in ("ahr", "ahr", "esa", "esa"):  # a tie: nothing is "meist verlangt"
        offer(site, gamma, home, 300, certificate=certificate)
    matches = {m.slug: m for m in result.ranked_matches(PUPIL, near=nearby.nearby_for(demo["schueler"]))}
    assert matches["test-alpha"].certificate_line == (
        "In Angeboten auf dieser Plattform meist verlangt: Mittlerer Schulabschluss (Realschulabschluss) "
        "(3 von 4 Angeboten, die einen Abschluss nennen)"
    )
    assert matches["test-beta"].certificate_line == "" and matches["test-gamma"].certificate_line == ""
    # never a reason to leave an occupation out: all three are still suggested
    assert set(matches) == {"test-alpha", "test-beta", "test-gamma"}
