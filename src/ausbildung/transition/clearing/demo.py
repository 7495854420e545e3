"""Demo data for clearing rounds (fictional, marked "Demo"): the demo IHK runs an open round whose ranking
closes in two weeks, with the Systemhaus's published offers that have free places. Nobody has joined yet, so
the demo pupil can take part and rank. Idempotent: nothing is added when the round exists."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from ausbildung.core.models import Organisation, User
from ausbildung.offers.models import Offer

from . import services
from .models import ApplicantChoice, ClearingRound, Participant, Result, RoundOffer

DEMO_ROUND_NAME = "Nachvermittlung Herbst (Demo)"


def load(organisations: dict[str, Organisation], users: dict[str, User]) -> None:
    chamber, company = organisations.get("ihk"), organisations.get("systemhaus")
    officer = users.get("kammer")
    if chamber is None or company is None or ClearingRound.objects.filter(name=DEMO_ROUND_NAME).exists():
        return
    today = timezone.localdate()
    clearing_round = services.round_create(
        actor=officer,
        organiser=chamber,
        data=services.RoundInput(
            name=DEMO_ROUND_NAME,
            opens_on=today,
            ranking_closes_on=today + datetime.timedelta(days=14),
            result_published_on=today + datetime.timedelta(days=21),
        ),
        seed=20261125,
        today=today,
    )
    services.round_open(actor=officer, clearing_round=clearing_round, today=today)
    offers = Offer.objects.filter(site__company=company, status=Offer.Status.PUBLISHED).order_by("pk")
    for offer in offers:
        if offer.free_places and not services.offer_eligibility_errors(
            clearing_round=clearing_round, offer=offer
        ):
            services.round_offer_add(actor=officer, clearing_round=clearing_round, offer=offer, today=today)


# --- the demo region's past, for the monitoring (monitoring.demo) ---------------------------------------------


def bulk_history(
    *,
    organisers: list[Organisation],
    offers: list[Offer],
    applicants: list[User],
    year: int,
    rng: random.Random,
) -> None:
    """One published clearing round per organiser (a chamber) in September of reporting year `year` (bulk,
    deterministic with `rng`): the places of `offers` (of that year, the organiser's) still free join it, the
    `applicants` left without a place join and rank up to three offers, and most of them are placed on one of
    their choices (the round's result; the round's applications are not written). The names end with
    "(Statistik-Demo)"."""
    opens = datetime.date(year, 9, 1)
    for organiser in organisers:
        own = [o for o in offers if o.chamber_id == organiser.pk and o.places > o.places_taken]
        if not own or not applicants:
            continue
        clearing_round = ClearingRound.objects.create(
            organiser=organiser,
            name=f"Nachvermittlung {year} (Statistik-Demo)",
            opens_on=opens,
            ranking_closes_on=opens + datetime.timedelta(days=14),
            result_published_on=opens + datetime.timedelta(days=21),
            status=ClearingRound.Status.PUBLISHED,
            seed=year,
            opened_at=timezone.make_aware(datetime.datetime.combine(opens, datetime.time(9))),
            published_at=timezone.make_aware(
                datetime.datetime.combine(opens + datetime.timedelta(days=21), datetime.time(9))
            ),
        )
        round_offers = RoundOffer.objects.bulk_create(
            [RoundOffer(round=clearing_round, offer=o, capacity=o.places - o.places_taken) for o in own]
        )
        free = {ro.pk: ro.capacity for ro in round_offers}
        participants = Participant.objects.bulk_create(
            [Participant(round=clearing_round, pupil=user) for user in applicants]
        )
        choices, results = [], []
        for participant in participants:
            ranked = rng.sample(round_offers, k=min(3, len(round_offers)))
            choices += [
                ApplicantChoice(participant=participant, round_offer=ro, rank=rank)
                for rank, ro in enumerate(ranked, start=1)
            ]
            placed = None
            if rng.random() < 0.7:
                placed = next(
                    ((rank, ro) for rank, ro in enumerate(ranked, start=1) if free[ro.pk] > 0), None
                )
            if placed is not None:
                free[placed[1].pk] -= 1
            results.append(
                Result(
                    round=clearing_round,
                    participant=participant,
                    round_offer=placed[1] if placed else None,
                    choice=placed[0] if placed else None,
                )
            )
        ApplicantChoice.objects.bulk_create(choices)
        Result.objects.bulk_create(results)
