"""`search.offer_search(…, cap=n)`: the web page ranks among the n nearest or soonest candidates."""

from __future__ import annotations

import datetime

from ausbildung.core import geo
from ausbildung.offers import fit, search
from ausbildung.offers.models import Offer


def ids(result: search.SearchResult) -> list[int]:
    return [offer.pk for offer in result.offers]


def test_cap_above_the_matches_changes_nothing(demo):
    for sort in search.SORTS:
        params = search.SearchParams(place="66111", sort=sort)
        assert ids(search.offer_search(params, cap=1001)) == ids(search.offer_search(params))


def test_cap_keeps_the_nearest_and_ranks_them(demo):
    origin = geo.lookup("66606")  # St. Wendel: the carpenter's offer is nearest
    assert origin is not None
    everything = list(Offer.objects.filter(status=Offer.Status.PUBLISHED))
    nearest = sorted(
        everything,
        key=lambda o: (fit.distance_km(origin.lat, origin.lon, o.latitude, o.longitude), o.start_date, o.pk),
    )
    params = search.SearchParams(place="66606", sort="distance")
    assert ids(search.offer_search(params, cap=2)) == [offer.pk for offer in nearest[:2]]
    ranked = search.offer_search(search.SearchParams(place="66606"), cap=2)
    assert sorted(ids(ranked)) == sorted(offer.pk for offer in nearest[:2])
    scores = [search.offer_fit(offer, ranked.seeker).score for offer in ranked.offers]
    assert scores == sorted(scores, reverse=True)
    # The capped queryset still counts and pages like the uncapped one (CappedPaginator).
    assert search.CappedPaginator(ranked.offers, 20).count == 2


def test_cap_breaks_ties_in_distance_like_the_uncapped_search(demo):
    # The Systemhaus's two offers share their place: the nearest one is the sooner (then lower id).
    for sort in ("distance", "fit"):
        params = search.SearchParams(place="66111", sort=sort)
        assert ids(search.offer_search(params, cap=1))[0] in ids(search.offer_search(params))[:2]
    params = search.SearchParams(place="66111", sort="distance")
    assert ids(search.offer_search(params, cap=1)) == ids(search.offer_search(params))[:1]


def test_cap_without_a_place_keeps_the_soonest_or_the_newest(demo):
    offers = list(Offer.objects.filter(status=Offer.Status.PUBLISHED).order_by("id"))
    first = offers[0]
    Offer.objects.filter(pk=first.pk).update(start_date=datetime.date(2000, 1, 1))
    assert ids(search.offer_search(search.SearchParams(sort="start"), cap=1)) == [first.pk]
    assert ids(search.offer_search(search.SearchParams(sort="fit"), cap=1)) == [offers[-1].pk]
