"""Reads of the offers app fetched through the access scopes: an offer page, a company's offers, a person's
applications and their documents. The public search is `offers.search`."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable
from typing import Any

from django.db import connection
from django.db.models import CharField, Count, F, IntegerField, Max, Min, Q, QuerySet, Sum, Value
from django.db.models.expressions import Case, When
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear, TruncMonth
from django.http import Http404
from django.utils import timezone

from ausbildung.core import geo
from ausbildung.core.models import Occupation

from .access import application_side, offer_companies_for
from .models import Application, ApplicationDocument, Offer, SeekerProfile


def seeker_profile_of(user) -> SeekerProfile | None:
    """The person's seeker profile (saved occupations, postcode, certificate), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return SeekerProfile.objects.filter(user=user).first()


def saved_occupations_of(user) -> QuerySet[Occupation]:
    """The occupations the person saved (in the explorer or the offer search)."""
    profile = seeker_profile_of(user)
    return profile.interests.all() if profile else Occupation.objects.none()


def saved_occupation_counts(users: QuerySet[Any]) -> dict[int, int]:
    """Number of saved occupations per person (user id → count) for the people in `users`, in one query."""
    return dict(
        SeekerProfile.objects.filter(user__in=users.values("pk"))
        .annotate(n=Count("interests", filter=Q(interests__isnull=False)))
        .values_list("user_id", "n")
    )


def get_public_offer(offer_id: int) -> Offer:
    offer = (
        Offer.objects.select_related("occupation", "company", "site", "specialisation", "chamber")
        .filter(pk=offer_id, status__in=[Offer.Status.PUBLISHED, Offer.Status.PAUSED, Offer.Status.CLOSED])
        .first()
    )
    if offer is None:
        raise Http404
    return offer


def offers_of_companies(user) -> QuerySet[Offer]:
    return (
        Offer.objects.filter(company__in=offer_companies_for(user))
        .select_related("occupation", "company", "site")
        .annotate(
            open_applications=Count(
                "applications",
                filter=Q(
                    applications__state__in=[
                        Application.State.SENT,
                        Application.State.INVITED,
                        Application.State.OFFERED,
                    ]
                ),
            )
        )
        .order_by("status", "start_date", "id")
    )


def get_company_offer_for(user, offer_id: int) -> Offer:
    offer = (
        Offer.objects.filter(company__in=offer_companies_for(user), pk=offer_id)
        .select_related("occupation", "company", "site", "specialisation")
        .first()
    )
    if offer is None:
        raise Http404
    return offer


def applications_of(user) -> QuerySet[Application]:
    return Application.objects.filter(applicant=user).select_related(
        "offer", "offer__company", "offer__occupation"
    )


def get_application_for(user, application_id: int, *, side: str | None = None) -> tuple[Application, str]:
    """The application and the side the person acts on (applicant or company); 404 outside the scope, and
    404 when `side` is given and the person acts on the other one (an applicant's upload, a company's note)."""
    application = (
        Application.objects.select_related(
            "offer", "offer__company", "offer__occupation", "applicant", "contract"
        )
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise Http404
    acts_on = application_side(user, application)
    if acts_on is None or (side is not None and acts_on != side):
        raise Http404
    return application, acts_on


def get_document_for(user, document_id: int) -> ApplicationDocument:
    document = (
        ApplicationDocument.objects.select_related("application", "application__offer")
        .filter(pk=document_id)
        .first()
    )
    if document is None or application_side(user, document.application) is None:
        raise Http404
    # The company sees documents only once the application was sent to it.
    if (
        application_side(user, document.application) == "company"
        and document.application.state == Application.State.DRAFT
    ):
        raise Http404
    return document


def offer_counts_in_regions(regions: QuerySet[Any]) -> dict[str, int]:
    """Counts for the monitoring page (numbers only, no persons): the training offers entered on this platform
    (not the BA's imported ones) at training sites in the regions that are published now, how many of them
    have all places taken or places still open, and the applications sent for them (drafts not counted)."""
    published = Offer.objects.filter(
        status=Offer.Status.PUBLISHED, source=Offer.Source.PLATFORM, site__region__in=regions
    )
    offers = published.aggregate(
        total=Count("pk"),
        filled=Count("pk", filter=Q(places_taken__gte=F("places"))),
    )
    applications = Application.objects.filter(offer__in=published).exclude(state=Application.State.DRAFT)
    return {
        "published": offers["total"],
        "filled": offers["filled"],
        "open": offers["total"] - offers["filled"],
        "applications": applications.count(),
    }


# --- facts for the monitoring (issue #19): grouped counts, no persons ----------------------------------------
#
# The monitoring app sits above every area and may not be imported by them, so each area hands it plain
# tuples: (measure, year, month, kreis_code, occupation_id, responsibility, count). `year` is the reporting
# year (Berichtsjahr, 1 October Y−1 – 30 September Y); `month` the first day of the month for a monthly fact,
# None for a whole-year fact; `kreis_code` the 5-digit ARS of the Kreis, "" when the row has none (counted,
# never dropped); `responsibility` the competent chamber's kind (Organisation.ChamberKind), "" when none.
# Definitions: docs/domain.md, "Monitoring: platform measures". Everything is counted in the database.

Fact = tuple[str, int, datetime.date | None, str, int | None, str, int]


def reporting_year_of(field: str) -> Case:
    """The reporting year of a date or (local) time column, in SQL: the year, plus one from October on."""
    return Case(
        When(**{f"{field}__month__gte": 10}, then=ExtractYear(field) + 1),
        default=ExtractYear(field),
        output_field=IntegerField(),
    )


def kreis_code_of(*regions: str) -> Case:
    """The ARS of the first of the given region relations (e.g. "site__region") that is a Kreis, else ""."""
    return Case(
        *(When(**{f"{region}__level": "kreis"}, then=F(f"{region}__code")) for region in regions),
        default=Value(""),
        output_field=CharField(),
    )


def month_start(value: datetime.date | datetime.datetime | None) -> datetime.date | None:
    """The first day of the month of a truncated month (a date, or an aware time read in local time)."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.replace(day=1)


def kreise_of_postcodes(postcodes: Iterable[str]) -> dict[str, str]:
    """Postcode → ARS of its Kreis (the offline postcode table, `core.geo`); unknown postcodes are left out."""
    result = {}
    for postcode in set(postcodes):
        place = geo.lookup(postcode) if postcode and len(postcode) == 5 and postcode.isdigit() else None
        if place is not None and place.kreis_ars:
            result[postcode] = place.kreis_ars
    return result


def _offer_facts_rows(offers: QuerySet[Offer], *, month: bool) -> list[dict[str, Any]]:
    # monthly series are kept per area only (the monitoring cube keeps no month × occupation)
    keys = ["year", "kreis", "month"] if month else ["year", "kreis", "occupation_id", "responsibility"]
    return list(
        offers.values(*keys)
        .annotate(
            offers=Count("pk"),
            places_offered=Sum("places"),
            places_filled=Sum("places_taken"),
        )
        .order_by(*keys)
    )


def monitoring_offer_facts(kreise: Collection[str] | None = None) -> list[Fact]:
    """Offers and places entered on this platform, grouped (see the block comment above and docs/domain.md).

    `offers_published`, `places_offered`, `places_filled`: offers with source "platform" first published in the
    reporting year (month): their number, their places, their places taken (by the reporting year and month of
    `published_at`). `places_unfilled`: places not taken of platform offers that are published or paused now
    and whose training starts in the reporting year (whole-year facts, by the reporting year of `start_date`).
    Kreis: the training site's Kreis, else the company's. `kreise`: only those Kreise (None: all)."""
    offers = (
        Offer.objects.filter(source=Offer.Source.PLATFORM)
        .order_by()
        .annotate(
            kreis=kreis_code_of("site__region", "company__region"),
            responsibility=Coalesce(F("chamber__chamber_kind"), Value(""), output_field=CharField()),
        )
    )
    if kreise is not None:
        offers = offers.filter(kreis__in=list(kreise))
    published = offers.filter(published_at__isnull=False).annotate(
        year=reporting_year_of("published_at"), month=TruncMonth("published_at")
    )
    facts: list[Fact] = []
    for monthly in (False, True):
        for row in _offer_facts_rows(published, month=monthly):
            when = month_start(row["month"]) if monthly else None
            where = (
                (row["kreis"], None, "")
                if monthly
                else (row["kreis"], row["occupation_id"], row["responsibility"])
            )
            facts.append(("offers_published", row["year"], when, *where, row["offers"]))
            facts.append(("places_offered", row["year"], when, *where, row["places_offered"] or 0))
            facts.append(("places_filled", row["year"], when, *where, row["places_filled"] or 0))
    unfilled = (
        offers.filter(status__in=[Offer.Status.PUBLISHED, Offer.Status.PAUSED], places_taken__lt=F("places"))
        .annotate(year=reporting_year_of("start_date"))
        .values("year", "kreis", "occupation_id", "responsibility")
        .annotate(n=Sum(F("places") - F("places_taken")))
        .order_by("year", "kreis", "occupation_id", "responsibility")
    )
    for row in unfilled:
        facts.append(
            (
                "places_unfilled",
                row["year"],
                None,
                row["kreis"],
                row["occupation_id"],
                row["responsibility"],
                row["n"],
            )
        )
    return facts


APPLICANT_MEASURES = (
    "applicants",
    "applicants_placed",
    "applicants_searching",
    "applicants_unplaced",
)
OPEN_STATES = (Application.State.SENT, Application.State.INVITED, Application.State.OFFERED)


def monitoring_applicant_facts(
    kreise: Collection[str] | None = None, *, applicants: QuerySet[Any] | None = None
) -> list[Fact]:
    """Applicants (persons, counted, never listed) who sent at least one application in a reporting year
    (month), and where they stand now with the applications of that year (see docs/domain.md):
    `applicants` all of them; `applicants_placed` one of them accepted (or turned into a contract draft);
    `applicants_searching` none accepted, at least one still open (sent, invited, place offered);
    `applicants_unplaced` none accepted, none open (all declined or withdrawn).

    A person is counted once per year (month), not per occupation: occupation None, responsibility "".
    Kreis: the Kreis of the postcode of their seeker profile (`core.geo`), else the Kreis of the offers they
    applied to in that year (month; the lowest ARS if several), else "". `applicants`: only these persons (a queryset
    of users or user ids, e.g. the transition area's applicants with an alternative).

    Counted in the database: an inner query groups the applications per person and year (month), an outer
    one groups those per postcode; only the postcodes (a few thousand at most) are mapped to Kreise here."""
    sent = (
        Application.objects.filter(sent_at__isnull=False)
        .exclude(state=Application.State.DRAFT)
        .order_by()
        .annotate(
            year=reporting_year_of("sent_at"),
            offer_kreis=kreis_code_of("offer__site__region", "offer__company__region"),
            postcode=Coalesce(F("applicant__seeker__postcode"), Value(""), output_field=CharField()),
        )
    )
    if applicants is not None:
        sent = sent.filter(applicant__in=applicants)
    if kreise is not None:
        wanted = set(kreise)
        postcodes = SeekerProfile.objects.exclude(postcode="").values_list("postcode", flat=True).distinct()
        mapped = kreise_of_postcodes(postcodes)
        # Whole persons, never part of their applications: those living in the Kreise, and those without a
        # known postcode who applied to an offer there (their Kreis is settled after counting, below).
        applied_here = (
            Application.objects.annotate(
                offer_kreis=kreis_code_of("offer__site__region", "offer__company__region")
            )
            .filter(offer_kreis__in=list(wanted))
            .values("applicant_id")
        )
        sent = sent.filter(
            Q(postcode__in=[code for code, kreis in mapped.items() if kreis in wanted])
            | (~Q(postcode__in=list(mapped)) & Q(applicant_id__in=applied_here))
        )
    facts: list[Fact] = []
    for monthly in (False, True):
        keys = ["applicant_id", "year"] + (["sent_month", "sent_month_year"] if monthly else [])
        dated = sent.annotate(sent_month=ExtractMonth("sent_at"), sent_month_year=ExtractYear("sent_at"))
        inner = (
            dated.values(*keys)
            .annotate(
                home=Max("postcode"),
                offer_home=Min("offer_kreis"),
                placed=Max(
                    Case(
                        When(Q(state=Application.State.ACCEPTED) | Q(contract__isnull=False), then=1),
                        default=0,
                    )
                ),
                searching=Max(Case(When(state__in=OPEN_STATES, then=1), default=0)),
            )
            .order_by()
        )
        facts += _applicant_counts(inner, keys, monthly=monthly, kreise=kreise)
    return facts


def _applicant_counts(inner: QuerySet[Any], keys: list[str], *, monthly: bool, kreise) -> list[Fact]:
    q = connection.ops.quote_name
    sql, params = inner.query.sql_with_params()
    groups = ["home", "offer_home", "year"] + (["sent_month_year", "sent_month"] if monthly else [])
    columns = ", ".join(q(name) for name in groups)
    # Only quoted column names and the ORM's own SQL are put together here; the values stay parameters.
    placed, searching = q("placed"), q("searching")
    counts = (
        f"COUNT(*), SUM({placed}), SUM(CASE WHEN {placed} = 0 AND {searching} = 1 THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN {placed} = 0 AND {searching} = 0 THEN 1 ELSE 0 END)"
    )
    outer = f"SELECT {columns}, {counts} FROM ({sql}) per_person GROUP BY {columns}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(outer, params)
        rows = cursor.fetchall()
    by_postcode = kreise_of_postcodes(row[0] for row in rows)
    totals: dict[tuple[str, int, datetime.date | None, str], int] = {}
    for row in rows:
        home, offer_home, year = row[0], row[1], int(row[2])
        when = datetime.date(int(row[3]), int(row[4]), 1) if monthly else None
        kreis = by_postcode.get(home) or offer_home or ""
        if kreise is not None and kreis not in kreise:
            continue  # a person whose postcode lies elsewhere, kept by the offer's Kreis in the SQL filter
        counts = row[-4:]
        for measure, count in zip(APPLICANT_MEASURES, counts, strict=True):
            key = (measure, year, when, kreis)
            totals[key] = totals.get(key, 0) + int(count or 0)
    return [
        (measure, year, when, kreis, None, "", count)
        for (measure, year, when, kreis), count in sorted(totals.items(), key=_fact_order)
        if count
    ]


def _fact_order(item) -> tuple:
    (measure, year, when, kreis), _count = item
    return (measure, year, when or datetime.date.min, kreis)
