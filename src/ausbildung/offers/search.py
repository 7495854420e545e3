"""The public offer search: filters, text match, distance and fit ranking of the published offers.

`offer_search(params, seeker=…, cap=…)` is the one entry point, used by the search page (with a cap: ranks
among the nearest, soonest or best-fitting RESULT_CAP + 1 candidates), the API (without a cap: every match)
and the orientation explorer (open places for an occupation). `public_offers()` is the set of offers anyone may
see in a search (published, deadline not passed); `seeker_for(user)` is the fit input of a person (their saved
interests, postcode and certificate); `offer_fit` is the score of one offer as the page shows it, and
`fit_expression` the same score in SQL, so the search can sort by it (a test keeps both equal).
`CappedPaginator` pages over a capped result.

The search runs the same conditions on SQLite and PostgreSQL; on PostgreSQL it uses the indexes of migrations
0006–0009 (full-text, trigram, GiST on the position, the narrow `OfferSearch` copy). Why each trick is there,
and what it costs, is said where it is done; the measured figures are in docs/performance.md ("offers-search").
"""

from __future__ import annotations

import datetime
import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast, overload

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import ASin, Cos, Greatest, Least, Power, Radians, Sin, Sqrt
from django.utils import timezone
from django.utils.functional import cached_property

from ausbildung.core import geo
from ausbildung.core.search import query_words

from . import fit
from .models import CERTIFICATE_LEVEL, Offer, OfferSearch, SeekerProfile

__all__ = [
    "MAX_RADIUS_KM",
    "RESULT_CAP",
    "SORTS",
    "CappedPaginator",
    "RankedOffers",
    "SearchParams",
    "SearchResult",
    "certificates_asked",
    "distance_expression",
    "fit_expression",
    "offer_counts_near",
    "offer_fit",
    "offer_search",
    "public_offers",
    "resolve_place",
    "seeker_for",
]

SORTS = ("fit", "distance", "start")
# A search shows at most this many offers (50 pages): counting or ranking more costs time and helps nobody;
# the page says when there are more and asks to narrow the search.
RESULT_CAP = 1000
MAX_RADIUS_KM = 200
# The offer's position as a planar point, longitude scaled by cos 51° (Germany's middle latitude): the
# expression of the GiST index of migration 0008, which must stay the same text for PostgreSQL to use it.
LON_SCALE = 0.63
OFFER_TABLE = "offers_offer"
# The narrow copy of the published offers (`OfferSearch`, migration 0009, PostgreSQL only): the page's search.
SEARCH_TABLE = "offers_offer_search"


def position_sql(table: str) -> str:
    """The scaled position of the GiST indexes of migrations 0008 and 0009 on `table`."""
    return f"point({table}.longitude * 0.63, {table}.latitude)"


POSITION_SQL = position_sql(OFFER_TABLE)


@dataclass
class SearchParams:
    query: str = ""
    occupation_id: int | None = None
    place: str = ""  # postcode or place name
    radius_km: int | None = None
    start_from: datetime.date | None = None
    start_until: datetime.date | None = None
    certificate: str = ""  # the seeker's certificate: offers expecting at most this
    free_only: bool = False
    sort: str = "fit"


@dataclass
class SearchResult:
    offers: QuerySet[Offer] | RankedOffers
    origin: geo.Place | None
    place_unknown: bool
    seeker: fit.Seeker
    # What the place query meant (core.geo.resolve); when it names no place or several, `offers` is empty:
    # the search never runs without the place it was asked for.
    place: geo.Resolution | None = None

    @property
    def place_ambiguous(self) -> bool:
        return self.place is not None and self.place.ambiguous


def resolve_place(query: str, seeker: fit.Seeker | None = None) -> geo.Resolution:
    """The place query as core.geo resolves it: choices nearest to the seeker's own postcode first, else
    those of the platform's Land (settings.DEMO_LAND_CODE) first, then by Land."""
    near = None
    if seeker is not None and seeker.latitude is not None and seeker.longitude is not None:
        near = (seeker.latitude, seeker.longitude)
    return geo.resolve(query, near=near, home_land=settings.DEMO_LAND_CODE)


def public_offers() -> QuerySet[Offer]:
    """Published offers whose deadline has not passed."""
    today = timezone.localdate()
    return Offer.objects.filter(status=Offer.Status.PUBLISHED).filter(
        Q(deadline__isnull=True) | Q(deadline__gte=today)
    )


def public_offers_named(query: str, *, limit: int) -> list[Offer]:
    """Published offers (`public_offers`) whose text holds every word of `query` – the occupation, the
    company, the place or the title, as in the public search (`offer_search`'s text filter) – soonest start
    first, at most `limit`. For choosing one offer by name (a counsellor's referral), not for ranking."""
    words = query_words(query)
    if not words:
        return []
    offers = _text_filter(public_offers().defer("description", "requirements", "search_text"), words)
    return list(offers.select_related("occupation", "company").order_by("start_date", "id")[:limit])


def offer_counts_near(lat: float, lon: float, radius_km: int) -> dict[int, int]:
    """Published offers (`public_offers`) within `radius_km` of (lat, lon), counted per occupation id, in one
    query (the bounding box first, as the radius search does it). For the check result's suggestions."""
    radius = min(radius_km, MAX_RADIUS_KM)
    offers = public_offers().annotate(distance=distance_expression(lat, lon)).filter(distance__lte=radius)
    offers = _box_filter(offers, geo.bounding_box(lat, lon, radius))
    rows = offers.order_by().values("occupation_id").annotate(n=Count("id")).values_list("occupation_id", "n")
    return dict(rows)


def certificates_asked(occupation_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per occupation: how many published offers (`public_offers`) ask for each school-leaving certificate
    (occupation id → certificate → count), in one query. Offers that name no certificate are left out."""
    rows = (
        public_offers()
        .filter(occupation_id__in=occupation_ids)
        .exclude(certificate="")
        .order_by()
        .values("occupation_id", "certificate")
        .annotate(n=Count("id"))
        .values_list("occupation_id", "certificate", "n")
    )
    asked: dict[int, dict[str, int]] = {}
    for occupation_id, certificate, n in rows:
        asked.setdefault(occupation_id, {})[certificate] = n
    return asked


def distance_expression(lat: float, lon: float) -> ExpressionWrapper:
    """Haversine distance in km from (lat, lon) to the offer, in SQL (same formula as `core.geo.distance_km`)."""
    phi = Radians(F("latitude"))
    d_phi = Radians(F("latitude") - Value(lat))
    d_lambda = Radians(F("longitude") - Value(lon))
    a = Power(Sin(d_phi / 2), 2) + Value(math.cos(math.radians(lat))) * Cos(phi) * Power(Sin(d_lambda / 2), 2)
    return ExpressionWrapper(
        Value(2 * geo.EARTH_RADIUS_KM) * ASin(Sqrt(Least(Value(1.0), a))), output_field=FloatField()
    )


def fit_expression(seeker: fit.Seeker, distance: ExpressionWrapper | None) -> ExpressionWrapper:
    """`fit.fit`'s score (before rounding) as SQL, so that the search sorts by it; a test keeps both equal."""
    if seeker.interests:
        interest: Case | Value = Case(
            *[
                When(
                    occupation_id=occupation_id,
                    then=Value(fit.INTEREST_POINTS * max(0.0, min(1.0, strength))),
                )
                for occupation_id, strength in seeker.interests.items()
            ],
            default=Value(0.0),
            output_field=FloatField(),
        )
    else:
        interest = Value(fit.INTEREST_POINTS / 2)
    if distance is not None:
        near = Value(fit.FAR_KM) - distance
        share = Greatest(Value(0.0), Least(Value(1.0), near / Value(fit.FAR_KM - fit.NEAR_KM)))
        dist_points: Case | Value = Case(
            When(latitude__isnull=True, then=Value(fit.DISTANCE_POINTS / 2)),
            default=Value(float(fit.DISTANCE_POINTS)) * share,
            output_field=FloatField(),
        )
    else:
        dist_points = Value(fit.DISTANCE_POINTS / 2)
    whens = [When(certificate="", then=Value(float(fit.CERTIFICATE_POINTS)))]
    for expected in CERTIFICATE_LEVEL:
        whens.append(
            When(
                certificate=expected, then=Value(float(fit.certificate_points(expected, seeker.certificate)))
            )
        )
    certificate_points = Case(*whens, default=Value(0.0), output_field=FloatField())
    places = Case(
        When(places_taken__lt=F("places"), then=Value(float(fit.PLACES_POINTS))),
        default=Value(0.0),
        output_field=FloatField(),
    )
    return ExpressionWrapper(interest + dist_points + certificate_points + places, output_field=FloatField())


def seeker_for(user) -> fit.Seeker:
    """The fit input for a person: saved occupations as interests, postcode centroid, certificate."""
    if not getattr(user, "is_authenticated", False):
        return fit.Seeker()
    profile = SeekerProfile.objects.filter(user=user).first()
    if profile is None:
        return fit.Seeker()
    place = geo.lookup(profile.postcode) if profile.postcode else None
    return fit.Seeker(
        interests=dict.fromkeys(profile.interests.values_list("id", flat=True), 1.0),
        certificate=profile.certificate,
        latitude=place.lat if place else None,
        longitude=place.lon if place else None,
    )


def _like_pattern(word: str) -> str:
    """`%word%` with LIKE's wildcards in the word taken literally (normalise keeps `_`), as SQLite's
    `contains` does."""
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


_OFFER_WORD_SQL = (
    "(offers_offer.search_vector @@ to_tsquery('german'::regconfig, %s) OR offers_offer.search_text LIKE %s)"
)
_SEARCH_TABLE_WORD_SQL = (
    "(offers_offer_search.lexemes @@ to_tsquery('german'::regconfig, %s)"
    " OR offers_offer_search.words LIKE %s)"
)
_SEARCH_TABLE_LONG_TEXT_SQL = (
    "offers_offer_text_matches(offers_offer_search.offer_id, to_tsquery('german'::regconfig, %s), %s)"
)


def _text_filter(offers: QuerySet[Any], words: list[str], table: str = OFFER_TABLE) -> QuerySet[Any]:
    """Every word must match, as a part of a word or (PostgreSQL) as a German word form.

    Both databases match substrings of the same normalised text (umlauts spelled out), so "Informatik" finds
    "Fachinformatiker": German compounds are the rule in occupation names. PostgreSQL serves that from a
    trigram index (migration 0007) and adds `german` full-text search with prefix matching on the stored
    `search_vector` (migration 0006), which finds inflected forms the substring misses.

    On the narrow `SEARCH_TABLE` the same two checks read its distinct `words` and position-free `lexemes`
    (migration 0009), which match exactly where the offer's text does (a query word holds no space, and a
    prefix match needs no positions); where these are NULL (a text too long for the index) the offer's own
    text is checked.
    """
    if connection.vendor == "postgresql" and table == SEARCH_TABLE:
        # One condition: (all words in words/lexemes) OR (no words here AND all words in the offer's text).
        # Split per word, the OR with the long-text arm kept PostgreSQL from intersecting the words' index
        # scans (BitmapAnd): it read the rows of the first word's matches instead (bench: 200 → 110 ms).
        values = [value for word in words for value in (f"{word}:*", _like_pattern(word))]
        in_words = " AND ".join([_SEARCH_TABLE_WORD_SQL] * len(words))
        in_offer = " AND ".join([_SEARCH_TABLE_LONG_TEXT_SQL] * len(words))
        sql = f"(({in_words}) OR (offers_offer_search.words IS NULL AND {in_offer}))"
        return offers.filter(RawSQL(sql, values * 2, output_field=BooleanField()))  # noqa: S611 - values are parameters
    if connection.vendor == "postgresql":
        for word in words:  # normalised: letters, digits and `_`, safe in a tsquery
            values = [f"{word}:*", _like_pattern(word)]
            offers = offers.filter(RawSQL(_OFFER_WORD_SQL, values, output_field=BooleanField()))  # noqa: S611 - values are parameters
        return offers
    for word in words:
        offers = offers.filter(search_text__contains=word)
    return offers


def _narrow(cap: int | None, words: list[str]) -> bool:
    """Whether the search finds its candidates in the narrow `OfferSearch` rows: the capped search with words
    on PostgreSQL. Without words, the GiST index of `offers_offer` (migration 0008), which holds no text, is
    narrower and serves alone."""
    return cap is not None and bool(words) and connection.vendor == "postgresql"


def offer_search(
    params: SearchParams, *, seeker: fit.Seeker | None = None, cap: int | None = None
) -> SearchResult:
    """The public search. With `cap` (the web page: RESULT_CAP + 1), the result is ranked among at most
    `cap` candidates, the nearest, soonest or newest (`_candidates`); without it (the API), among all matches.

    On PostgreSQL the capped search finds its candidates in the narrow `OfferSearch` rows (the published
    offers, migration 0009) and reads only the page's rows from `offers_offer`; the uncapped search and SQLite
    read `offers_offer`. Both apply the same conditions to columns of the same names.
    """
    seeker = seeker or fit.Seeker()
    resolution = resolve_place(params.place, seeker) if params.place.strip() else None
    if resolution is not None and resolution.place is None:
        # An unknown or ambiguous place: no offers, never all of them as if filtered by it.
        return SearchResult(
            offers=Offer.objects.none(),
            origin=None,
            place_unknown=resolution.unknown,
            seeker=seeker,
            place=resolution,
        )
    offers: QuerySet[Any]
    words = query_words(params.query)
    if _narrow(cap, words):
        table = SEARCH_TABLE
        today = timezone.localdate()
        offers = OfferSearch.objects.filter(Q(deadline__isnull=True) | Q(deadline__gte=today))
    else:
        table = OFFER_TABLE
        # The wide text columns are left out and the related rows fetched for the page only (prefetch, not a
        # join): a broad search sorts tens of thousands of candidates, and PostgreSQL would otherwise join and
        # sort them as rows of ~1.9 kB (bench/offers_search.py: the sort spilled to disk).
        offers = (
            public_offers()
            .defer("description", "requirements", "search_text")
            .prefetch_related("occupation", "company", "specialisation")
        )
    if params.occupation_id:
        offers = offers.filter(occupation_id=params.occupation_id)
    if params.start_from:
        offers = offers.filter(start_date__gte=params.start_from)
    if params.start_until:
        offers = offers.filter(start_date__lte=params.start_until)
    if params.certificate:
        level = CERTIFICATE_LEVEL[params.certificate]
        fitting = [value for value, lvl in CERTIFICATE_LEVEL.items() if lvl <= level]
        offers = offers.filter(Q(certificate="") | Q(certificate__in=fitting))
    if params.free_only:
        offers = offers.filter(places_taken__lt=F("places"))
    unworded = offers
    if words:
        offers = _text_filter(offers, words, table)

    origin = resolution.place if resolution is not None else None
    if origin is None and seeker.latitude is not None and seeker.longitude is not None:
        lat, lon = seeker.latitude, seeker.longitude
    elif origin is not None:
        lat, lon = origin.lat, origin.lon
        seeker = fit.Seeker(
            interests=seeker.interests, certificate=seeker.certificate, latitude=lat, longitude=lon
        )
    else:
        lat = lon = None  # type: ignore[assignment]

    distance = None
    if lat is not None and lon is not None:
        distance = distance_expression(lat, lon)
        offers = offers.annotate(distance=distance)
        if params.radius_km:
            radius = min(params.radius_km, MAX_RADIUS_KM)
            offers = _box_filter(
                offers.filter(distance__lte=radius), geo.bounding_box(lat, lon, radius), table
            )
    offers = offers.annotate(fit_score=fit_expression(seeker, distance))
    by_distance = params.sort == "distance" and distance is not None
    if cap is not None:
        with _without_jit():
            ranked = _ranked_candidates(
                offers,
                params,
                lat,
                lon,
                cap,
                by_distance=by_distance,
                words=words,
                table=table,
                unworded=unworded,
            )
        # The page's rows without the sort keys: the page shows `offer_fit`, and resolving the expressions
        # again costs Django ~10 ms.
        rows = Offer.objects.defer("description", "requirements", "search_text").prefetch_related(
            "occupation", "company", "specialisation"
        )
        return SearchResult(
            offers=RankedOffers(ranked, rows),
            origin=origin,
            place_unknown=False,
            seeker=seeker,
            place=resolution,
        )
    if by_distance:
        offers = offers.order_by(F("distance").asc(nulls_last=True), "start_date", "id")
    elif params.sort == "start":
        offers = offers.order_by("start_date", "id")
    else:
        offers = offers.order_by("-fit_score", "start_date", "id")
    # Without a cap, always `offers_offer`.
    return SearchResult(
        offers=cast(QuerySet[Offer], offers),
        origin=origin,
        place_unknown=False,
        seeker=seeker,
        place=resolution,
    )


@contextmanager
def _without_jit() -> Iterator[None]:
    """Runs the candidate queries without PostgreSQL's JIT compilation.

    PostgreSQL compiles a query whose estimated cost passes `jit_above_cost` (100,000). The text conditions
    on the narrow table are estimated that high although they run in a few milliseconds, and compiling costs
    several times that (docs/performance.md, "offers-search"). `SET LOCAL` ends with the transaction opened here (or, inside a
    request's transaction, with that one).
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        yield


def _nearest(offers: QuerySet[Any], knn: RawSQL, keys: list[str], cap: int) -> list[tuple]:
    """The `cap` nearest offers, ties in planar distance by start date and id (PostgreSQL: without words on
    `offers_offer`, with words on the narrow `OfferSearch` rows, whose GiST index also holds the words).

    Ordered by the planar distance alone, a nearest-first index-only scan of the covering GiST index
    stops after `cap` rows. With the tie-breakers in the ORDER BY, PostgreSQL reads the whole box and sorts
    it, an order of magnitude slower (docs/performance.md), and it would anyway when it guesses how many offers lie in the box (any
    `<@ box` is 0.1 % of the table to it). The tie-breakers are applied here instead; offers at one place share
    a distance, so the scan is repeated with a larger limit while the last row still ties with the cap-th.
    """
    limit = cap + 64
    while True:
        rows = list(offers.annotate(knn=knn).order_by("knn").values_list(*keys, "knn")[:limit])
        if len(rows) < limit or rows[cap - 1][-1] != rows[-1][-1]:
            break
        limit *= 2
    rows.sort(key=lambda row: (row[-1], row[1], row[0]))
    return [row[:-1] for row in rows[:cap]]


def _rare(unworded: QuerySet[Any], words: list[str], cap: int) -> bool:
    """Whether reading all matches of the words through the text indexes is cheaper than walking the narrow
    search table newest first until `cap` match (PostgreSQL). `unworded` is the search without its words.

    The walk reads cap × rows / matches rows (neighbouring pages, cheap each), the index way every match
    (scattered pages, a few times dearer each). Both cost the same at 0.7 × sqrt(cap × rows) matches (the
    break-even measured with bench/offers_search.py; figures in docs/performance.md). The planner misjudges
    this (it costs the text check like any operator), so the rule asks it for the number of matches only (one
    cheap EXPLAIN each): once for the `german` lexeme conditions alone and once for the substring conditions
    alone, taking the larger. For their OR it adds both estimates, although they mostly find the same offers,
    which doubles the estimate and sends a moderately rare word on a slow walk instead of an index scan.
    """
    lexemes, substrings = unworded, unworded
    for word in words:
        lexemes = lexemes.filter(
            RawSQL(
                "offers_offer_search.lexemes @@ to_tsquery('german'::regconfig, %s)",
                [f"{word}:*"],
                output_field=BooleanField(),
            )
        )
        substrings = substrings.filter(
            RawSQL("offers_offer_search.words LIKE %s", [_like_pattern(word)], output_field=BooleanField())
        )
    matches = max(_estimated_rows(lexemes), _estimated_rows(substrings))
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [SEARCH_TABLE])
        rows = max(1.0, float(cursor.fetchone()[0]))
    return matches < 0.7 * math.sqrt(cap * rows)


def _estimated_rows(offers: QuerySet[Any]) -> float:
    plan = json.loads(offers.order_by().values("pk").explain(format="json"))
    return float(plan[0]["Plan"]["Plan Rows"])


class RankedOffers:
    """The result of a capped search: the candidates' ids in their final order, rows fetched per page.

    The ranking happened in one query (`_ranked_candidates`); a page then reads its 20 rows by primary key,
    and the count is the number of ids, so neither reads the other candidates again. Paginators slice and
    count it like a queryset.
    """

    def __init__(self, ids: list[int], rows: QuerySet[Offer]) -> None:
        self.ids = ids
        self.rows = rows

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[Offer]:
        return iter(self[:])

    @overload
    def __getitem__(self, index: int) -> Offer: ...

    @overload
    def __getitem__(self, index: slice) -> list[Offer]: ...

    def __getitem__(self, index: int | slice) -> Offer | list[Offer]:
        if isinstance(index, int):
            return self[index : index + 1 or None][0]
        wanted = self.ids[index]
        found = {offer.pk: offer for offer in self.rows.filter(pk__in=wanted)}
        return [found[pk] for pk in wanted if pk in found]


def _box_filter(
    offers: QuerySet[Any], box: tuple[float, float, float, float], table: str = OFFER_TABLE
) -> QuerySet[Any]:
    """Offers inside (min_lat, max_lat, min_lon, max_lon): the prefilter of the radius search.

    PostgreSQL asks the GiST index on the scaled position (migration 0008) with `<@ box`; other databases
    compare the coordinates.
    """
    min_lat, max_lat, min_lon, max_lon = box
    if connection.vendor == "postgresql":
        return offers.filter(
            RawSQL(  # noqa: S611 - a constant expression, the values are parameters
                f"{position_sql(table)} <@ box(point(%s, %s), point(%s, %s))",
                [min_lon * LON_SCALE, min_lat, max_lon * LON_SCALE, max_lat],
                output_field=BooleanField(),
            )
        )
    return offers.filter(
        latitude__gte=min_lat, latitude__lte=max_lat, longitude__gte=min_lon, longitude__lte=max_lon
    )


def _ranked_candidates(
    offers: QuerySet[Any],
    params: SearchParams,
    lat: float | None,
    lon: float | None,
    cap: int,
    *,
    by_distance: bool,
    words: list[str],
    table: str = OFFER_TABLE,
    unworded: QuerySet[Any] | None = None,
) -> list[int]:
    """The offers among at most `cap` candidates of the search: the nearest when there is an origin, else
    for sort=start the soonest to start (start date, id), else the newest (highest id). Runs one query for
    their ids and sort keys (the same SQL expressions the uncapped search orders by) and returns the ids in the
    order asked for: by fit, by distance or by start date, each then by start date and id.

    Without the bound, sorting by fit (or by distance) ranks every match, and PostgreSQL reads each of them
    from the table: a broad word or a wide radius has tens of thousands (bench/offers_search.py). With it, the
    candidates come from an index that stops after `cap` rows: the GiST position index in distance order
    (KNN `<->` on the scaled position of migrations 0008 and 0009; planar, so at the edge of the `cap` nearest
    the choice may differ from the exact distance by a few per cent, the order shown is the exact one), or the
    primary key (newest), the text indexes (a rare word) or a (start date, id) btree. Sorting by start date is
    exact. When a search
    matches at most `cap` offers, nothing changes; when it matches more, the page says so and shows these
    candidates, ranked as asked.
    """
    if lat is not None and lon is not None and params.sort != "start":
        if connection.vendor == "postgresql":
            order: list = [
                RawSQL(  # noqa: S611 - a constant expression, the values are parameters
                    f"{position_sql(table)} <-> point(%s, %s)", [lon * LON_SCALE, lat]
                ).asc(),
                "start_date",
                "pk",
            ]
        else:
            order = [F("distance").asc(nulls_last=True), "start_date", "pk"]
    elif params.sort == "start":
        order = ["start_date", "pk"]
    elif table == SEARCH_TABLE and unworded is not None and _rare(unworded, words, cap):
        # The newest, found through the text indexes: a rare word's matches are read and sorted.
        order = [(F("pk") + 0).desc()]
    else:
        # The newest: the primary key follows the insertion order, which is the table's physical order, so
        # the walk reads neighbouring pages and stops after `cap` matches (by start date it jumped across the
        # table and read the whole of a popular start date, 1 August: 1 s for a rare word).
        order = ["-pk"]
    keys = ["pk", "start_date", "fit_score"] + (["distance"] if lat is not None and lon is not None else [])
    if connection.vendor == "postgresql" and lat is not None and lon is not None and params.sort != "start":
        # Without words on `offers_offer`, with words on the narrow rows, whose GiST index holds them: a
        # nearest-first scan stops after `cap` matches.
        candidates = _nearest(offers, order[0].expression, keys, cap)
    else:
        candidates = list(offers.order_by(*order).values_list(*keys)[:cap])
    if by_distance:
        # Nulls last, as `F("distance").asc(nulls_last=True)`.
        candidates.sort(key=lambda row: (row[3] is None, row[3] or 0.0, row[1], row[0]))
    elif params.sort == "start":
        candidates.sort(key=lambda row: (row[1], row[0]))
    else:
        candidates.sort(key=lambda row: (-row[2], row[1], row[0]))
    return [row[0] for row in candidates]


def offer_fit(offer: Offer, seeker: fit.Seeker) -> fit.Fit:
    return fit.fit(
        seeker,
        fit.OfferFacts(
            occupation_id=offer.occupation_id,
            certificate=offer.certificate,
            latitude=offer.latitude,
            longitude=offer.longitude,
            free_places=offer.free_places,
            deadline=offer.deadline,
        ),
        today=timezone.localdate(),
    )


class CappedPaginator(Paginator):
    """Pages over at most RESULT_CAP results; `more` says whether the search found more than that.

    The count is `SELECT COUNT(*) FROM (… LIMIT cap + 1)`, so a broad search stops counting at the cap; for
    the `RankedOffers` of a capped search (at most cap + 1 candidates) it is the number of their ids.
    """

    cap = RESULT_CAP

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, RankedOffers):
            found = len(self.object_list)
        else:
            found = self.object_list[: self.cap + 1].count()  # type: ignore[attr-defined]  # a QuerySet
        self.more = found > self.cap
        return min(found, self.cap)

    more = False
