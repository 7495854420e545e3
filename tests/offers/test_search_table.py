"""The narrow search rows (`OfferSearch`, migration 0009): kept by PostgreSQL triggers on every write, and
the capped search over them finds what the search over `offers_offer` finds."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from ausbildung.core.models import Occupation
from ausbildung.offers import search, services
from ausbildung.offers.models import Offer, OfferSearch

from .test_services import company, offer_input

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the search table and its triggers exist on PostgreSQL only"
)


def capped(params: search.SearchParams) -> list[int]:
    return [offer.pk for offer in search.offer_search(params, cap=search.RESULT_CAP + 1).offers]


def uncapped(params: search.SearchParams) -> list[int]:
    return [offer.pk for offer in search.offer_search(params).offers]


def new_offer(demo, **changes) -> Offer:
    return services.offer_create(
        actor=demo["betrieb"], company=company(), data=offer_input(**changes), publish=True
    )


def search_row(offer: Offer) -> OfferSearch | None:
    return OfferSearch.objects.filter(pk=offer.pk).first()


@postgresql_only
def test_a_published_offer_has_its_row_with_its_distinct_words(demo):
    offer = new_offer(demo, description="Lötkolben und Lötkolben, Platinen")
    row = search_row(offer)
    assert row is not None
    assert (row.start_date, row.places, row.places_taken, row.occupation_id, row.certificate) == (
        offer.start_date,
        offer.places,
        offer.places_taken,
        offer.occupation_id,
        offer.certificate,
    )
    assert (row.latitude, row.longitude, row.deadline) == (offer.latitude, offer.longitude, offer.deadline)
    assert row.words is not None
    assert sorted(row.words.split()) == sorted(set(offer.search_text.split()))
    with connection.cursor() as cursor:
        cursor.execute("SELECT lexemes::text FROM offers_offer_search WHERE offer_id = %s", [offer.pk])
        lexemes = cursor.fetchone()[0]
    assert "'loetkolb'" in lexemes and ":" not in lexemes  # stemmed, without positions


@postgresql_only
def test_editing_the_text_updates_the_row(demo):
    offer = new_offer(demo, description="Wir arbeiten mit Zauberstaeben")
    assert offer.pk in capped(search.SearchParams(query="zauberstaebe"))
    services.offer_update(
        actor=demo["betrieb"], offer=offer, data=offer_input(description="Wir arbeiten mit Kristallkugeln")
    )
    assert offer.pk not in capped(search.SearchParams(query="zauberstaebe"))
    assert offer.pk in capped(search.SearchParams(query="kristallkugel"))
    row = search_row(offer)
    assert row is not None and "kristallkugeln" in (row.words or "").split()


@postgresql_only
def test_only_published_offers_have_a_row_and_deleting_removes_it(demo):
    actor = demo["betrieb"]
    offer = new_offer(demo)
    draft = services.offer_create(actor=actor, company=company(), data=offer_input())
    assert search_row(draft) is None
    services.offer_set_status(actor=actor, offer=offer, status=Offer.Status.PAUSED)
    assert search_row(offer) is None
    services.offer_set_status(actor=actor, offer=offer, status=Offer.Status.PUBLISHED)
    assert search_row(offer) is not None
    offer_id = offer.pk
    offer.delete()
    assert not OfferSearch.objects.filter(pk=offer_id).exists()


@postgresql_only
def test_queryset_updates_reach_the_row(demo):
    offer = new_offer(demo, description="Wir bauen Orgelpfeifen")
    words = search.SearchParams(query="orgelpfeifen", free_only=True)
    assert capped(words) == [offer.pk]
    Offer.objects.filter(pk=offer.pk).update(places_taken=offer.places)  # as an accepted application does
    row = search_row(offer)
    assert row is not None and row.places_taken == offer.places
    assert capped(words) == []
    past = timezone.localdate() - datetime.timedelta(days=1)
    Offer.objects.filter(pk=offer.pk).update(places_taken=0, deadline=past)
    assert capped(words) == uncapped(words) == []


@postgresql_only
def test_truncating_the_offers_empties_the_table(demo):
    assert OfferSearch.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE offers_offer CASCADE")  # as Django's flush does; rolled back after the test
    assert not OfferSearch.objects.exists()


@postgresql_only
def test_a_text_too_long_for_the_index_is_checked_in_the_offer(demo):
    # ~6,000 bytes of distinct words: more than the 4,000 the index row may hold.
    long_text = " ".join(f"wort{number}" for number in range(800))
    offer = new_offer(demo, description=f"{long_text} Glockenspiel")
    row = search_row(offer)
    assert row is not None and row.words is None
    for params in (
        search.SearchParams(query="glockenspiel"),
        search.SearchParams(query="wort799 glockenspiel", place="66111", radius_km=50),
        search.SearchParams(query="glockenspie", place="66111", radius_km=50, sort="distance"),
    ):
        assert capped(params) == uncapped(params) == [offer.pk], params
    assert capped(search.SearchParams(query="glockenturm")) == []


@pytest.mark.parametrize(
    "params",
    [
        search.SearchParams(query="informatik"),
        search.SearchParams(query="informatiker saarbruecken"),
        search.SearchParams(query="fachinformatikerin", sort="start"),
        search.SearchParams(query="kaufm", place="66111", radius_km=100),
        search.SearchParams(query="ausbildung", place="66606", radius_km=200, sort="distance"),
        search.SearchParams(query="ausbildung", place="66111", radius_km=30, certificate="msa"),
        search.SearchParams(query="tischl", free_only=True, sort="fit"),
    ],
    ids=repr,
)
def test_the_capped_search_finds_what_the_uncapped_finds(demo, params):
    # On PostgreSQL the capped search reads the narrow rows, the uncapped one `offers_offer`.
    found = uncapped(params)
    assert found, "the demo region has offers for each of these searches"
    assert capped(params) == found


def test_like_wildcards_in_a_word_are_taken_literally(demo):
    offer = new_offer(demo, occupation=Occupation.objects.get(slug="fiausbv"))
    assert offer.pk in capped(search.SearchParams(query="informatik"))
    for params in (search.SearchParams(query="inform_tik"), search.SearchParams(query="_nformatik")):
        assert offer.pk not in capped(params)
        assert offer.pk not in uncapped(params)
