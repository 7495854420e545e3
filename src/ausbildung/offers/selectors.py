"""Reads of the offers app fetched through the access scopes: an offer page, a company's offers, a person's
applications and their documents. The public search is `offers.search`."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from ausbildung.core.permissions import application_side, offer_companies_for

from .models import Application, ApplicationDocument, Offer


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


def get_application_for(user, application_id: int) -> tuple[Application, str]:
    """The application and the side the person acts on (applicant or company); 404 outside the scope."""
    application = (
        Application.objects.select_related(
            "offer", "offer__company", "offer__occupation", "applicant", "contract"
        )
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise Http404
    side = application_side(user, application)
    if side is None:
        raise Http404
    return application, side


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
