"""Demo data for clearing rounds (fictional, marked "Demo"): the demo IHK runs an open round whose ranking
closes in two weeks, with the Systemhaus's published offers that have free places. Nobody has joined yet, so
the demo pupil can take part and rank. Idempotent: nothing is added when the round exists."""

from __future__ import annotations

import datetime

from django.utils import timezone

from ausbildung.core.models import Organisation, User
from ausbildung.offers.models import Offer

from . import services
from .models import ClearingRound

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
