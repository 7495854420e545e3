"""The fit score: its rules, its reasons, and that the SQL the search sorts by gives the same score."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ausbildung.offers import fit, search
from ausbildung.offers.models import CERTIFICATE_LEVEL, Offer

TODAY = datetime.date(2026, 11, 25)
CERTS = ["", *CERTIFICATE_LEVEL]


def facts(**changes) -> fit.OfferFacts:
    return fit.OfferFacts(**{"occupation_id": 1, "latitude": 49.3135, "longitude": 6.7516, **changes})


def test_reasons_in_words():
    seeker = fit.Seeker(interests={1: 1.0}, certificate="msa", latitude=49.2354, longitude=6.9969)
    result = fit.fit(seeker, facts(certificate="esa"), today=TODAY)
    codes = {reason.code: reason for reason in result.reasons}
    assert codes["interest"].good and codes["certificate"].good
    assert codes["distance"].text.startswith("19 ") or codes["distance"].text.startswith("20 ")
    # Saarbrücken → Saarlouis ≈ 19.5 km: distance share (50 - 19.5) / 45.
    assert result.score == round(40 + 30 * (50 - result.distance_km) / 45 + 20 + 10)


def test_certificate_below_expectation_is_said():
    result = fit.fit(fit.Seeker(certificate="esa"), facts(certificate="ahr"), today=TODAY)
    certificate = next(r for r in result.reasons if r.code == "certificate")
    assert not certificate.good
    assert fit.certificate_points("msa", "esa") == fit.CERTIFICATE_ONE_BELOW_POINTS
    assert fit.certificate_points("ahr", "esa") == 0
    assert fit.certificate_points("esa", "ahr") == fit.CERTIFICATE_POINTS


def test_unknown_facts_are_neutral_not_punished():
    result = fit.fit(fit.Seeker(), fit.OfferFacts(occupation_id=1, certificate="msa"), today=TODAY)
    assert result.score == 20 + 15 + 10 + 10
    assert result.distance_km is None


def test_deadline_and_full_offer_are_said():
    result = fit.fit(
        fit.Seeker(), facts(free_places=0, deadline=TODAY + datetime.timedelta(days=3)), today=TODAY
    )
    codes = {r.code for r in result.reasons}
    assert {"places", "deadline"} <= codes


seekers = st.builds(
    fit.Seeker,
    interests=st.dictionaries(st.integers(1, 4), st.floats(0, 1), max_size=3),
    certificate=st.sampled_from(CERTS),
    latitude=st.one_of(st.none(), st.floats(47.3, 55.0)),
    longitude=st.floats(5.9, 15.0),
)
offers = st.builds(
    fit.OfferFacts,
    occupation_id=st.integers(1, 4),
    certificate=st.sampled_from(CERTS),
    latitude=st.one_of(st.none(), st.floats(47.3, 55.0)),
    longitude=st.floats(5.9, 15.0),
    free_places=st.integers(0, 3),
)


@given(seekers, offers)
def test_score_is_bounded_and_closer_is_never_worse(seeker, offer):
    result = fit.fit(seeker, offer, today=TODAY)
    assert 0 <= result.score <= 100
    if result.distance_km is not None and offer.latitude is not None:
        nearer = fit.OfferFacts(
            **{**offer.__dict__, "latitude": seeker.latitude, "longitude": seeker.longitude}
        )
        assert fit.fit(seeker, nearer, today=TODAY).score >= result.score


SQL_SEEKERS = [
    fit.Seeker(),
    fit.Seeker(certificate="esa"),
    fit.Seeker(certificate="ahr", latitude=49.3135, longitude=6.7516),  # Saarlouis
    fit.Seeker(interests={0: 1.0}, certificate="msa", latitude=49.4664, longitude=7.1683),  # St. Wendel
    fit.Seeker(interests={1: 0.4, 2: 1.0}, latitude=52.52, longitude=13.40),  # Berlin: beyond 50 km
]


@pytest.mark.parametrize("seeker", SQL_SEEKERS)
def test_sql_score_equals_python_score(demo, seeker):
    """The search sorts by `search.fit_expression`; it must give `fit.fit`'s score for every offer."""
    ids = sorted(Offer.objects.values_list("occupation_id", flat=True).distinct())
    interests = {ids[key % len(ids)]: value for key, value in seeker.interests.items()}
    seeker = fit.Seeker(
        interests=interests,
        certificate=seeker.certificate,
        latitude=seeker.latitude,
        longitude=seeker.longitude,
    )
    result = search.offer_search(search.SearchParams(), seeker=seeker)
    rows = list(result.offers)
    assert len(rows) == 3
    for offer in rows:
        python = search.offer_fit(offer, result.seeker)
        assert round(offer.fit_score) == python.score
    scores = [offer.fit_score for offer in rows]
    assert scores == sorted(scores, reverse=True)
