"""The occupation explorer: filters, the occupation page (sourced figures only), comparison, saving."""

from __future__ import annotations

import pytest
from django.db import models
from django.urls import reverse

from ausbildung.core.models import AuditLog, Occupation
from ausbildung.offers.models import SeekerProfile
from ausbildung.orientation.derive import derive_interest_profiles
from ausbildung.orientation.explorer import selectors

pytestmark = pytest.mark.django_db

URL = reverse("orientation:explorer")


@pytest.fixture
def profiles(demo):
    derive_interest_profiles()
    return {o.name.split("/")[0]: o for o in Occupation.objects.select_related("interest_profile")}


def slug_of(profiles, name: str) -> str:
    return profiles[name].slug


def test_list_shows_every_occupation_with_its_code(client, profiles):
    response = client.get(URL)
    assert response.status_code == 200
    for occupation in profiles.values():
        assert occupation.name in response.content.decode()
        assert occupation.interest_profile.code in response.content.decode()


def test_filter_by_interest_letter(client, profiles):
    tischler = profiles["Tischler"]
    first = tischler.interest_profile.code[0]
    response = client.get(URL, {"interesse": first})
    names = [o.name for o in response.context["page"].object_list]
    assert tischler.name in names
    assert all(first in o.interest_profile.code for o in response.context["page"].object_list)
    letters_missing = next(d for d in "RIASEC" if d not in tischler.interest_profile.code)
    response = client.get(URL, {"interesse": letters_missing})
    assert tischler.name not in [o.name for o in response.context["page"].object_list]


def test_filter_by_area_and_text(client, profiles):
    crafts = [o.name for o in client.get(URL, {"bereich": "hwo"}).context["page"].object_list]
    assert profiles["Tischler"].name in crafts
    assert profiles["Fachinformatiker"].name not in crafts
    found = [o.name for o in client.get(URL, {"q": "Schreiner"}).context["page"].object_list]
    assert found == [profiles["Tischler"].name]
    # an unknown area or letter is ignored, not an error
    assert client.get(URL, {"bereich": "x", "interesse": "Z"}).status_code == 200


def test_occupation_page_shows_what_one_learns_and_profile_without_unknown_figures(client, profiles):
    occupation = profiles["Tischler"]
    response = client.get(reverse("orientation:occupation", args=[occupation.slug]))
    content = response.content.decode()
    assert response.status_code == 200
    assert occupation.interest_profile.code in content
    assert "Holz" in content  # a line of the Ausbildungsberufsbild
    # no sourced figures for this occupation: no figure is shown, none is invented, none reads "unknown"
    assert 'data-testid="unknown"' not in content
    assert 'data-testid="interest-table"' in content  # the chart's accessible table


def test_sourced_figure_is_shown_with_its_source(client, profiles, monkeypatch):
    occupation = profiles["Tischler"]
    data = {
        "occupations": {
            occupation.slug: {"new_contracts": {"value": 1234, "year": 2099, "source": "Test source"}}
        }
    }
    monkeypatch.setattr(selectors, "figures_data", lambda: data)
    content = client.get(reverse("orientation:occupation", args=[occupation.slug])).content.decode()
    assert "1.234 (2099)" in content and "Test source" in content
    assert 'data-testid="unknown"' not in content  # the other figures have no source: no rows


def test_figures_file_entries_all_name_a_source():
    data = selectors.figures_data()
    for entry in data["occupations"].values():
        for key, figure in entry.items():
            assert key in selectors.FIGURE_KEYS
            assert figure["source"] and figure.get("year")
    for figure in data["all_occupations"]["training_pay_collective_average"]:
        assert figure["source"] and figure["year"]


def test_compare_two_or_three(client, profiles):
    slugs = [slug_of(profiles, "Tischler"), slug_of(profiles, "Fachinformatiker")]
    response = client.get(reverse("orientation:compare"), {"beruf": slugs})
    assert response.status_code == 200
    content = response.content.decode()
    assert profiles["Tischler"].name in content and profiles["Fachinformatiker"].name in content
    assert len(response.context["columns"]) == 2
    three = [*slugs, slug_of(profiles, "Kaufmann für Büromanagement")]
    assert len(client.get(reverse("orientation:compare"), {"beruf": three}).context["columns"]) == 3


def test_compare_needs_two_or_three(client, profiles):
    one = client.get(reverse("orientation:compare"), {"beruf": [slug_of(profiles, "Tischler")]})
    assert one.status_code == 302 and "vergleich=zu-wenig" in one["Location"]
    four = client.get(reverse("orientation:compare"), {"beruf": ["a", "b", "c", "d"]})
    assert four.status_code == 302
    assert client.get(reverse("orientation:compare"), {"beruf": ["x", "y"]}).status_code == 404


def test_save_requires_a_pupil(client_for, profiles, demo):
    occupation = profiles["Tischler"]
    url = reverse("orientation:save_occupation", args=[occupation.slug])
    assert client_for(None).post(url).status_code == 302  # to the login page
    assert client_for("trainer").post(url).status_code == 403
    pupil = client_for("pupil")
    assert pupil.get(url).status_code == 405
    response = pupil.post(url)
    assert response.status_code == 302
    profile = SeekerProfile.objects.get(user=demo["schueler"])
    assert occupation in profile.interests.all()
    assert AuditLog.objects.filter(
        action="seeker_profile.save_occupation", target_id=str(profile.pk)
    ).exists()
    pupil.post(url)  # twice: still saved once
    assert profile.interests.filter(pk=occupation.pk).count() == 1
    page = pupil.get(reverse("orientation:occupation", args=[occupation.slug])).content.decode()
    assert 'data-testid="save-occupation" disabled' in page


def test_filter_by_certificate_reads_open_offers_of_the_platform(client, profiles):
    from ausbildung.offers.models import Offer
    from ausbildung.offers.search import public_offers

    tischler, informatiker = profiles["Tischler"], profiles["Fachinformatiker"]
    public = public_offers()
    assert public.filter(occupation=tischler).exists() and public.filter(occupation=informatiker).exists()
    Offer.objects.filter(occupation=tischler).update(certificate="msa", places_taken=0)
    Offer.objects.filter(occupation=informatiker).update(certificate="", places_taken=0)

    def names(certificate: str) -> list[str]:
        response = client.get(URL, {"abschluss": certificate})
        assert response.status_code == 200
        return [o.name for o in response.context["page"].object_list]

    with_esa = names("esa")
    assert informatiker.name in with_esa  # no expected certificate: every certificate is welcome
    assert tischler.name not in with_esa  # every Tischler offer expects at least the MSA
    assert {tischler.name, informatiker.name} <= set(names("msa"))
    assert tischler.name in names("ahr")  # a higher certificate than expected fits too
    # occupations without any open offer are not listed under a certificate filter
    other = next(o for o in profiles.values() if o not in (tischler, informatiker))
    assert other.name in names("ahr")
    Offer.objects.filter(occupation=other).update(status=Offer.Status.CLOSED)
    assert other.name not in names("ahr")
    # full offers are not open places
    Offer.objects.filter(occupation=tischler).update(places_taken=models.F("places"))
    assert tischler.name not in names("ahr")
    # an unknown value is ignored, not an error
    assert tischler.name in names("doktor")


def test_bbig_17_abs_2_minimum_pay_of_an_unknown_year_is_shown_as_unknown(client, profiles, monkeypatch):
    """A year the data does not hold: the rule that sets the amount, not the previous year's amount."""
    from ausbildung.offers import pay

    monkeypatch.setattr(selectors, "minimum_pay_now", lambda: pay.minimum_pay(2031))
    occupation = profiles["Tischler"]
    page = client.get(reverse("orientation:occupation", args=[occupation.slug]), HTTP_ACCEPT_LANGUAGE="de")
    content = page.content.decode()
    assert "2031" in content and "BBiG § 17 Abs. 2" in content
    assert "724" not in content and "1.014" not in content
    slugs = [occupation.slug, profiles["Fachinformatiker"].slug]
    compare = client.get(reverse("orientation:compare"), {"beruf": slugs}).content.decode()
    assert "2031" in compare and "BBiG § 17 Abs. 2" in compare and "724" not in compare
    monkeypatch.setattr(selectors, "minimum_pay_now", lambda: pay.minimum_pay(2026))
    content = client.get(reverse("orientation:occupation", args=[occupation.slug])).content.decode()
    assert "724" in content
