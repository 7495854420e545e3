"""Builders for clearing-round tests: the demo IHK's round, extra pupils and offers, and an independent
stability check (written here from the definition, not taken from the engine)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from ausbildung.core import services as core_services
from ausbildung.core.models import Occupation, Organisation, Role, TrainingSite, User
from ausbildung.offers.models import Certificate, Offer
from ausbildung.transition.clearing import services
from ausbildung.transition.clearing.models import (
    ClearingRound,
    CompanyRanking,
    Participant,
    Result,
    RoundOffer,
)

DEMO_ROUND = "Nachvermittlung Herbst (Test)"


def ihk() -> Organisation:
    return Organisation.objects.get(kind=Organisation.Kind.CHAMBER, chamber_kind="ihk")


def agency() -> Organisation:
    return Organisation.objects.get(kind=Organisation.Kind.GUIDANCE_AGENCY, name="Berufsberatung Saar (Demo)")


def systemhaus() -> Organisation:
    return Organisation.objects.get(name="Saar Systemhaus GmbH (Demo)")


def demo_offer(slug: str = "fiausbv") -> Offer:
    return Offer.objects.get(occupation__slug=slug, company=systemhaus())


def new_round(
    *,
    organiser: Organisation | None = None,
    opens: int = 0,
    closes: int = 7,
    publishes: int = 14,
    seed: int | None = 20261,
    name: str = DEMO_ROUND,
    open_it: bool = True,
) -> ClearingRound:
    """A round of the demo IHK (dates in days from today), opened unless told otherwise."""
    today = timezone.localdate()
    clearing_round = services.round_create(
        actor=None,
        organiser=organiser or ihk(),
        data=services.RoundInput(
            name=name,
            opens_on=today + datetime.timedelta(days=opens),
            ranking_closes_on=today + datetime.timedelta(days=closes),
            result_published_on=today + datetime.timedelta(days=publishes),
        ),
        seed=seed,
    )
    if open_it:
        services.round_open(actor=None, clearing_round=clearing_round)
    return clearing_round


def demo_round(demo) -> ClearingRound:
    """The open IHK round with the Fachinformatiker offer; the demo pupil joined and ranked it (idempotent)."""
    clearing_round = ClearingRound.objects.filter(name=DEMO_ROUND).first() or new_round()
    round_offer = RoundOffer.objects.filter(round=clearing_round, offer=demo_offer()).first()
    if round_offer is None:
        round_offer = services.round_offer_add(actor=None, clearing_round=clearing_round, offer=demo_offer())
    participant = Participant.objects.filter(round=clearing_round, pupil=demo["schueler"]).first()
    if participant is None:
        participant = services.participant_join(
            actor=demo["schueler"],
            clearing_round=clearing_round,
            certificate=Certificate.MSA,
            message="Ich programmiere gern.",
        )
        services.choices_save(actor=demo["schueler"], participant=participant, ranks={round_offer.pk: 1})
    return clearing_round


def demo_round_kwargs(demo) -> dict:
    return {"round_id": demo_round(demo).pk}


def demo_round_offer_kwargs(demo) -> dict:
    clearing_round = demo_round(demo)
    return {"round_id": clearing_round.pk, "round_offer_id": clearing_round.offers.get().pk}


def pupil(username: str, *, school: Organisation | None = None) -> User:
    """A pupil of the demo school (or another school)."""
    user, _created = User.objects.get_or_create(
        username=username, defaults={"first_name": username.title(), "last_name": "Test"}
    )
    school = school or Organisation.objects.get(kind=Organisation.Kind.SCHOOL, name__contains="Saarlouis")
    core_services.membership_create(actor=None, user=user, organisation=school, role=Role.PUPIL)
    return user


def offer(*, places: int, title: str, company: Organisation | None = None, slug: str = "fiausbv") -> Offer:
    """A published offer of the demo Systemhaus (IHK competent) written straight to the table."""
    company = company or systemhaus()
    site = TrainingSite.objects.filter(company=company).first()
    assert site is not None
    return Offer.objects.create(
        company=company,
        site=site,
        occupation=Occupation.objects.get(slug=slug),
        chamber=ihk(),
        title=title,
        status=Offer.Status.PUBLISHED,
        start_date=timezone.localdate() + datetime.timedelta(days=200),
        places=places,
        postcode=site.postcode,
        city=site.city,
        latitude=site.latitude,
        longitude=site.longitude,
    )


def blocking_pairs(clearing_round: ClearingRound) -> list[tuple[int, int]]:
    """(participant id, round offer id) pairs that block the stored result, by the weak-stability definition:
    the applicant ranks the offer above their result (or has none), the company ranked the applicant, and the
    offer has a free place or holds someone it ranked strictly worse."""
    ranks = {
        (r.round_offer_id, r.participant_id): r.rank
        for r in CompanyRanking.objects.filter(round_offer__round=clearing_round)
    }
    results = {r.participant_id: r.round_offer_id for r in Result.objects.filter(round=clearing_round)}
    holders: dict[int, list[int]] = {}
    for participant_id, round_offer_id in results.items():
        if round_offer_id is not None:
            holders.setdefault(round_offer_id, []).append(participant_id)
    capacity = dict(clearing_round.offers.values_list("pk", "capacity"))
    found = []
    for participant in clearing_round.participants.all():
        listed = list(participant.choices.order_by("rank").values_list("round_offer_id", flat=True))
        mine = results.get(participant.pk)
        better = listed[: listed.index(mine)] if mine is not None else listed
        for round_offer_id in better:
            rank = ranks.get((round_offer_id, participant.pk))
            if rank is None:
                continue
            held = holders.get(round_offer_id, [])
            if len(held) < capacity[round_offer_id] or any(
                ranks[(round_offer_id, other)] > rank for other in held
            ):
                found.append((participant.pk, round_offer_id))
    return found
