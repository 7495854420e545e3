"""Issue #17: internships as findable as offers – text, occupation field, place with radius, dates; the place
resolved as the offer search does it (ambiguous → choices, unknown → an error and no list)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ausbildung.core import geo
from ausbildung.core.models import Occupation, Organisation, TrainingSite
from ausbildung.orientation.models import InternshipSlot, OccupationInterestProfile

from .helpers import demo_internship

URL = reverse("orientation:internships")


def _site(company: Organisation, name: str, postcode: str) -> TrainingSite:
    place = geo.lookup(postcode)
    assert place is not None
    return TrainingSite.objects.create(
        company=company,
        name=name,
        postcode=postcode,
        city=place.name,
        latitude=place.lat,
        longitude=place.lon,
    )


def _slot(
    site: TrainingSite, title: str, *, start: int, days: int = 4, occupation=None, field=""
) -> InternshipSlot:
    today = timezone.localdate()
    return InternshipSlot.objects.create(
        company=site.company,
        site=site,
        title=title,
        occupation=occupation,
        field=field,
        start_date=today + datetime.timedelta(days=start),
        end_date=today + datetime.timedelta(days=start + days),
        status=InternshipSlot.Status.PUBLISHED,
    )


def _profile(occupation: Occupation, code: str) -> None:
    OccupationInterestProfile.objects.update_or_create(
        occupation=occupation, defaults={"code": code, "method": "test"}
    )


@pytest.fixture
def slots(demo):
    """The demo internship (Saarbrücken, Fachinformatiker) and three more: St. Wendel (Tischler), Hamburg
    (Büro), Neunkirchen/Saar (Berufsfelderkundung, no occupation)."""
    systemhaus = Organisation.objects.get(training_sites__name="Hauptsitz Saarbrücken")
    tischlerei = Organisation.objects.get(training_sites__name="Werkstatt St. Wendel")
    tischler = Occupation.objects.get(name__startswith="Tischler")
    buero = Occupation.objects.get(name__startswith="Kaufmann für Büromanagement")
    informatiker = demo_internship().occupation
    _profile(tischler, "RCE")
    _profile(buero, "CES")
    _profile(informatiker, "IRC")
    return {
        "saarbruecken": demo_internship(),
        "wendel": _slot(
            TrainingSite.objects.get(name="Werkstatt St. Wendel"),
            "Schnupperwoche Werkstatt",
            start=50,
            occupation=tischler,
        ),
        "hamburg": _slot(
            _site(systemhaus, "Büro Hamburg", "20095"), "Praktikum im Büro", start=60, occupation=buero
        ),
        "neunkirchen": _slot(
            _site(tischlerei, "Lager Neunkirchen", "66538"),
            "Berufsfelderkundung Holz",
            start=70,
            field="Holz",
        ),
    }


def _listed(response) -> list[InternshipSlot]:
    assert response.status_code == 200
    return list(response.context["slots"])


def test_a_place_and_radius_list_the_internships_around_it_nearest_first(slots, client_for):
    listed = _listed(client_for("pupil").get(URL, {"ort": "66606 St. Wendel"}))
    assert listed[0] == slots["wendel"] and listed[-1] == slots["hamburg"]
    assert set(listed) == set(slots.values())

    listed = _listed(client_for("pupil").get(URL, {"ort": "66606 St. Wendel", "umkreis": "25"}))
    assert slots["wendel"] in listed and slots["neunkirchen"] in listed
    assert slots["hamburg"] not in listed and slots["saarbruecken"] not in listed  # Saarbrücken: ~33 km

    listed = _listed(client_for("pupil").get(URL, {"ort": "Hamburg", "umkreis": "10"}))
    assert listed == [slots["hamburg"]]


def test_the_page_shows_the_distance(slots, client_for):
    response = client_for("pupil").get(URL, {"ort": "66606 St. Wendel", "umkreis": "50"})
    assert "km entfernt" in response.content.decode()


def test_dates_list_the_internships_whose_period_overlaps(slots, client_for):
    today = timezone.localdate()
    wendel = slots["wendel"]  # days 50–54
    # Starts before, ends inside the period: overlaps.
    listed = _listed(
        client_for(None).get(
            URL,
            {
                "ab": (today + datetime.timedelta(days=45)).isoformat(),
                "bis": (today + datetime.timedelta(days=51)).isoformat(),
            },
        )
    )
    assert wendel in listed and slots["hamburg"] not in listed and slots["neunkirchen"] not in listed
    # Chosen dates inside the internship's period: overlaps too.
    listed = _listed(client_for(None).get(URL, {"ab": (today + datetime.timedelta(days=53)).isoformat()}))
    assert wendel in listed and slots["hamburg"] in listed and slots["saarbruecken"] not in listed
    # After it ends: not listed.
    listed = _listed(client_for(None).get(URL, {"ab": (today + datetime.timedelta(days=55)).isoformat()}))
    assert wendel not in listed


def test_an_end_before_the_start_is_an_error_and_lists_nothing(slots, client_for):
    today = timezone.localdate()
    response = client_for(None).get(
        URL, {"ab": (today + datetime.timedelta(days=9)).isoformat(), "bis": today.isoformat()}
    )
    assert response.context["form"].errors["bis"]
    assert _listed(response) == []


def test_the_occupational_field_filters_by_the_occupations_interest_code(slots, client_for):
    listed = _listed(client_for(None).get(URL, {"feld": "R"}))
    assert listed == [slots["wendel"]]
    listed = _listed(client_for(None).get(URL, {"feld": "C"}))
    assert listed == [slots["hamburg"]]
    page = client_for(None).get(URL).content.decode()
    assert "Praktisch-technisch" in page and 'name="beruf"' not in page  # no 317-item occupation list


def test_the_text_finds_occupation_names_fields_and_titles(slots, client_for):
    assert _listed(client_for(None).get(URL, {"q": "Tischlerin"})) == [slots["wendel"]]
    assert _listed(client_for(None).get(URL, {"q": "holz"})) == [slots["neunkirchen"]]
    assert _listed(client_for(None).get(URL, {"q": "büromanagement"})) == [slots["hamburg"]]


def test_an_ambiguous_place_offers_choices_nearest_to_the_pupil_first_and_lists_nothing(slots, client_for):
    response = client_for("pupil").get(URL, {"ort": "Neunkirchen", "q": "Holz"})
    assert _listed(response) == []
    assert response.context["form"].errors["ort"] == [
        "„Neunkirchen“ gibt es mehrmals. Bitte wähle unten einen Ort aus."
    ]
    links = response.context["place_links"]
    assert links[0]["choice"].place.postcode == "66538"  # the pupil lives in Saarlouis (66740)
    assert "q=Holz" in links[0]["url"] and "ort=66538+Neunkirchen%2FSaar" in links[0]["url"]
    page = response.content.decode()
    assert 'data-testid="place-choices"' in page and "Neunkirchen/Saar (66538" in page

    refined = client_for("pupil").get(links[0]["url"])
    assert _listed(refined) == [slots["neunkirchen"]]


def test_an_unknown_place_is_an_error_at_the_field_and_lists_no_internship(slots, client_for):
    response = client_for(None).get(URL, {"ort": "Atlantis"})
    assert _listed(response) == []
    assert response.context["form"].errors["ort"][0].startswith("Den Ort „Atlantis“ kennen wir nicht.")
    page = response.content.decode()
    assert 'data-testid="place-unknown"' in page and 'data-testid="internship-list"' not in page


def test_live_search_answers_with_the_results_only(slots, client_for):
    response = client_for(None).get(URL, {"q": "Tischler"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "<form" not in page and 'id="ort-problem" hx-swap-oob="true"' in page
    assert f'data-testid="internship-{slots["wendel"].pk}"' in page


def test_an_occupation_link_filters_and_can_be_removed(slots, client_for):
    response = client_for(None).get(URL, {"beruf": slots["wendel"].occupation_id})
    assert _listed(response) == [slots["wendel"]]
    assert 'data-testid="occupation-filter"' in response.content.decode()


def test_the_search_reads_a_bounded_number_of_queries(slots, client_for):
    client = client_for("pupil")
    params = {"q": "a", "ort": "66606 St. Wendel", "umkreis": "100"}
    client.get(URL, params)  # warm caches (session, geo tables)
    with CaptureQueriesContext(connection) as few:
        _listed(client.get(URL, params))
    site = TrainingSite.objects.get(name="Werkstatt St. Wendel")
    for number in range(10):
        _slot(site, f"Mehr {number}", start=80 + number, field="Allgemein")
    with CaptureQueriesContext(connection) as many:
        assert len(_listed(client.get(URL, params))) >= 10
    # Session and user, the pupil's postcode and interests, the internships with their company, site and
    # occupation in one query; more internships add none.
    assert len(many.captured_queries) == len(few.captured_queries) <= 8
