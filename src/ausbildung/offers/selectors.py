"""Reads of the offers app fetched through the access scopes: an offer page, a company's offers, a person's
applications and their documents. The public search is `offers.search`."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

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
