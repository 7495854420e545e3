"""Clearing-round services: the timeline, both sides' ranks, the computation (stable, verified, deterministic)
and the publication (offered applications, never twice)."""

from __future__ import annotations

import datetime
import random
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from ausbildung.core.models import AuditLog, Organisation, Region
from ausbildung.offers.models import Application, ApplicationEvent, Certificate, Offer
from ausbildung.transition.clearing import services
from ausbildung.transition.clearing.access import clearing_rounds_for_applicant, clearing_rounds_for_company
from ausbildung.transition.clearing.models import (
    ApplicantChoice,
    ClearingRound,
    CompanyRanking,
    Participant,
    Result,
    RoundOffer,
)

from .helpers import blocking_pairs, demo_offer, ihk, new_round, offer, pupil

Status = ClearingRound.Status
TODAY = timezone.localdate


def days(n: int) -> datetime.date:
    return TODAY() + datetime.timedelta(days=n)


def join(clearing_round, user, certificate=Certificate.MSA) -> Participant:
    return services.participant_join(
        actor=user, clearing_round=clearing_round, certificate=certificate, message=""
    )


def rank(participant, *round_offers) -> None:
    services.choices_save(
        actor=participant.pupil,
        participant=participant,
        ranks={ro.pk: number for number, ro in enumerate(round_offers, start=1)},
    )


def company_ranks(round_offer, ranks: dict[Participant, int]) -> None:
    services.rankings_save(
        actor=None, round_offer=round_offer, ranks={p.pk: number for p, number in ranks.items()}
    )


def close_and_compute(clearing_round: ClearingRound) -> ClearingRound:
    services.ranking_close(actor=None, clearing_round=clearing_round, today=clearing_round.ranking_closes_on)
    return services.round_compute(actor=None, clearing_round=clearing_round)


def fails(msgid: str, **params):
    """Expect the service's error in the active language (German in the tests, English source as msgid)."""
    text = gettext(msgid)
    if params:
        text = text % {k: services._date(v) if isinstance(v, datetime.date) else v for k, v in params.items()}
    return pytest.raises(ValidationError, match=re.escape(text))


def messages_of(error: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(error.value.messages)


# --- timeline ------------------------------------------------------------------------------------------------


def test_create_checks_the_timeline_and_the_organiser(demo):
    with pytest.raises(ValidationError) as error:
        services.round_create(
            actor=None,
            organiser=ihk(),
            data=services.RoundInput(
                name=" ", opens_on=days(-1), ranking_closes_on=days(-2), result_published_on=days(-3)
            ),
        )
    assert set(error.value.message_dict) == {"name", "opens_on", "ranking_closes_on", "result_published_on"}
    company = Organisation.objects.get(name="Saar Systemhaus GmbH (Demo)")
    berlin = Region.objects.get(code="11")
    with pytest.raises(ValidationError) as error:
        services.round_create(
            actor=None,
            organiser=company,
            data=services.RoundInput(
                name="X",
                opens_on=days(0),
                ranking_closes_on=days(1),
                result_published_on=days(2),
                region=berlin,
            ),
        )
    assert set(error.value.message_dict) == {"organiser", "region"}


def test_round_is_created_as_draft_with_a_recorded_seed_and_audited(demo):
    clearing_round = new_round(open_it=False, seed=None)
    assert clearing_round.status == Status.DRAFT
    assert 0 <= clearing_round.seed < 2**31
    assert AuditLog.objects.filter(action="clearing.round_create", target_id=str(clearing_round.pk)).exists()


def test_timeline_rules(demo):
    clearing_round = new_round(opens=2, closes=5, publishes=9, open_it=False)
    lena = demo["schueler"]
    with fails(
        "The round opens on %(date)s according to its timeline; it cannot be opened earlier.", date=days(2)
    ):
        services.round_open(actor=None, clearing_round=clearing_round)
    with fails("This round is not open: joining, adding offers and ranking are closed."):
        join(clearing_round, lena)
    services.round_open(actor=None, clearing_round=clearing_round, today=days(2))
    clearing_round.refresh_from_db()
    assert clearing_round.status == Status.OPEN and clearing_round.opened_at is not None
    participant = join(clearing_round, lena)
    round_offer = services.round_offer_add(actor=None, clearing_round=clearing_round, offer=demo_offer())
    # after the ranking deadline: no more ranks, even though the round is still open
    with fails("Ranking in this round closed on %(date)s.", date=days(5)):
        services.choices_save(actor=lena, participant=participant, ranks={round_offer.pk: 1}, today=days(6))
    with fails(
        "Ranking is open until %(date)s according to the timeline; it cannot be closed earlier.", date=days(5)
    ):
        services.ranking_close(actor=None, clearing_round=clearing_round, today=days(4))
    with fails("The result can be computed once ranking is closed, and before it is published."):
        services.round_compute(actor=None, clearing_round=clearing_round)
    services.ranking_close(actor=None, clearing_round=clearing_round, today=days(5))
    with fails("This round is not open: joining, adding offers and ranking are closed."):
        services.choices_save(actor=lena, participant=participant, ranks={round_offer.pk: 1}, today=days(5))
    with fails("Only a computed result can be published."):
        services.round_publish(actor=None, clearing_round=clearing_round, today=days(9))
    services.round_compute(actor=None, clearing_round=clearing_round)
    with fails("The result is published on %(date)s according to the timeline; not earlier.", date=days(9)):
        services.round_publish(actor=None, clearing_round=clearing_round, today=days(8))
    services.round_publish(actor=None, clearing_round=clearing_round, today=days(9))
    clearing_round.refresh_from_db()
    assert clearing_round.status == Status.PUBLISHED
    with fails("The result can be computed once ranking is closed, and before it is published."):
        services.round_compute(actor=None, clearing_round=clearing_round)
    steps = AuditLog.objects.filter(target_id=str(clearing_round.pk), action__startswith="clearing.round_")
    assert set(steps.values_list("action", flat=True)) >= {
        "clearing.round_open",
        "clearing.round_ranking_closed",
        "clearing.round_computed",
        "clearing.round_published",
    }


def test_a_round_past_its_ranking_deadline_cannot_open(demo):
    clearing_round = new_round(opens=0, closes=0, publishes=0, open_it=False)
    with fails(
        "The ranking deadline (%(date)s) has passed; this round can no longer be opened.", date=days(0)
    ):
        services.round_open(actor=None, clearing_round=clearing_round, today=days(1))


# --- applicants ----------------------------------------------------------------------------------------------


def test_join_once_with_a_certificate(demo):
    clearing_round = new_round()
    with pytest.raises(ValidationError) as error:
        services.participant_join(actor=demo["schueler"], clearing_round=clearing_round, certificate="")
    assert "certificate" in error.value.message_dict
    join(clearing_round, demo["schueler"])
    with fails("You have already joined this round."):
        join(clearing_round, demo["schueler"])


def test_choices_are_strict_and_stored_in_order(demo):
    clearing_round = new_round()
    offers = [
        services.round_offer_add(
            actor=None, clearing_round=clearing_round, offer=offer(places=1, title=f"O{i}")
        )
        for i in range(3)
    ]
    participant = join(clearing_round, demo["schueler"])
    with pytest.raises(ValidationError) as error:
        services.choices_save(
            actor=demo["schueler"], participant=participant, ranks={offers[0].pk: 1, offers[1].pk: 1}
        )
    assert list(error.value.message_dict) == [f"offer_{offers[1].pk}"]
    assert gettext("Rank %(rank)d is given twice: each rank may be given to one offer only.") % {
        "rank": 1
    } in messages_of(error)
    # only the order counts: 7, 3, not chosen → 2, 1
    services.choices_save(
        actor=demo["schueler"],
        participant=participant,
        ranks={offers[0].pk: 7, offers[1].pk: 3, offers[2].pk: None},
    )
    stored = list(participant.choices.order_by("rank").values_list("round_offer_id", "rank"))
    assert stored == [(offers[1].pk, 1), (offers[0].pk, 2)]
    other = new_round(name="Andere Runde")
    foreign = services.round_offer_add(actor=None, clearing_round=other, offer=offer(places=1, title="F"))
    with fails("This offer does not take part in the round."):
        services.choices_save(actor=demo["schueler"], participant=participant, ranks={foreign.pk: 1})


def test_at_most_max_choices(demo):
    clearing_round = new_round()
    offers = [
        services.round_offer_add(
            actor=None, clearing_round=clearing_round, offer=offer(places=1, title=f"O{i}")
        )
        for i in range(services.MAX_CHOICES + 1)
    ]
    participant = join(clearing_round, demo["schueler"])
    with fails("You can rank at most %(count)d offers.", count=12):
        rank(participant, *offers)
    rank(participant, *offers[: services.MAX_CHOICES])
    assert participant.choices.count() == services.MAX_CHOICES


# --- companies -----------------------------------------------------------------------------------------------


def test_offer_joins_with_its_free_places_and_only_when_eligible(demo):
    clearing_round = new_round()
    fiausbv = demo_offer()
    Offer.objects.filter(pk=fiausbv.pk).update(places=3, places_taken=1)
    round_offer = services.round_offer_add(actor=None, clearing_round=clearing_round, offer=fiausbv)
    assert round_offer.capacity == 2
    with fails("This offer already takes part in the round."):
        services.round_offer_add(actor=None, clearing_round=clearing_round, offer=fiausbv)
    # the carpentry's offer: the HWK is competent, not the IHK
    carpentry = Offer.objects.get(occupation__slug="tischlausbv")
    with fails(
        "A chamber's round takes only offers for which it is the competent chamber (BBiG § 71, HwO § 91)."
    ):
        services.round_offer_add(actor=None, clearing_round=clearing_round, offer=carpentry)
    full = offer(places=1, title="voll")
    Offer.objects.filter(pk=full.pk).update(places_taken=1)
    with fails("All places of this offer are taken."):
        services.round_offer_add(actor=None, clearing_round=clearing_round, offer=full)
    draft = offer(places=1, title="Entwurf")
    Offer.objects.filter(pk=draft.pk).update(status=Offer.Status.DRAFT)
    with fails("Only published offers entered on this platform can take part."):
        services.round_offer_add(actor=None, clearing_round=clearing_round, offer=draft)


def test_offer_outside_the_region_is_refused(demo):
    # a round of the Kreis Saarlouis (10044): the Systemhaus trains in Saarbrücken (10041)
    today = TODAY()
    clearing_round = services.round_create(
        actor=None,
        organiser=ihk(),
        data=services.RoundInput(
            name="Saarlouis",
            opens_on=today,
            ranking_closes_on=today,
            result_published_on=today,
            region=Region.objects.get(code="10044"),
        ),
    )
    services.round_open(actor=None, clearing_round=clearing_round)
    with fails("The offer's training site lies outside the region of the round."):
        services.round_offer_add(actor=None, clearing_round=clearing_round, offer=demo_offer())


def test_company_ranks_allow_ties_but_only_applicants_of_the_offer(demo):
    clearing_round = new_round()
    first = services.round_offer_add(
        actor=None, clearing_round=clearing_round, offer=offer(places=1, title="A")
    )
    second = services.round_offer_add(
        actor=None, clearing_round=clearing_round, offer=offer(places=1, title="B")
    )
    anna, ben = join(clearing_round, pupil("anna")), join(clearing_round, pupil("ben"))
    rank(anna, first)
    rank(ben, second)
    company_ranks(first, {anna: 1})
    with pytest.raises(ValidationError) as error:
        company_ranks(first, {ben: 1})
    assert list(error.value.message_dict) == [f"applicant_{ben.pk}"]
    rank(ben, second, first)
    company_ranks(first, {anna: 1, ben: 1})  # a tie
    assert sorted(first.rankings.values_list("rank", flat=True)) == [1, 1]
    services.rankings_save(actor=None, round_offer=first, ranks={ben.pk: None})  # not acceptable any more
    assert list(first.rankings.values_list("participant_id", flat=True)) == [anna.pk]
    services.round_offer_set_ranking(actor=None, round_offer=first, ranking=RoundOffer.Ranking.SCORE)
    assert first.rankings.count() == 0
    with fails("This offer uses the scoring rule; switch to your own ranking first."):
        company_ranks(first, {anna: 1})


# --- computing -----------------------------------------------------------------------------------------------


def market(demo, *, seed: int = 7, name: str = "Markt"):
    """Five applicants, three offers (2 + 1 + 1 places) with contention and ties."""
    clearing_round = new_round(seed=seed, name=name, closes=0, publishes=0)
    a, b, c = (
        services.round_offer_add(actor=None, clearing_round=clearing_round, offer=offer(places=p, title=t))
        for p, t in [(2, f"{name} A"), (1, f"{name} B"), (1, f"{name} C")]
    )
    people = [join(clearing_round, pupil(f"{name.lower()}{i}")) for i in range(5)]
    p0, p1, p2, p3, p4 = people
    rank(p0, b, a)
    rank(p1, b, c)
    rank(p2, a, b, c)
    rank(p3, a)
    rank(p4, c, a, b)
    company_ranks(a, {p0: 2, p2: 1, p3: 2, p4: 3})
    company_ranks(b, {p0: 1, p1: 1, p2: 2})  # p0 and p1 tie for B's one place
    company_ranks(c, {p1: 1, p4: 1})
    return clearing_round, (a, b, c), people


def test_compute_is_stable_verified_and_reported(demo):
    clearing_round, (a, b, c), people = market(demo)
    clearing_round = close_and_compute(clearing_round)
    assert clearing_round.status == Status.COMPUTED
    assert blocking_pairs(clearing_round) == []
    results = {r.participant_id: r for r in Result.objects.filter(round=clearing_round)}
    assert set(results) == {p.pk for p in people}
    filled = {ro.pk: 0 for ro in (a, b, c)}
    for result in results.values():
        if result.round_offer_id:
            filled[result.round_offer_id] += 1
            listed = list(
                ApplicantChoice.objects.filter(participant_id=result.participant_id)
                .order_by("rank")
                .values_list("round_offer_id", flat=True)
            )
            assert result.choice == listed.index(result.round_offer_id) + 1
            assert CompanyRanking.objects.filter(
                round_offer_id=result.round_offer_id, participant_id=result.participant_id
            ).exists()
    assert all(filled[ro.pk] <= ro.capacity for ro in (a, b, c))
    report = clearing_round.report
    placed = sum(filled.values())
    assert report["placed"] == placed and report["unplaced"] == 5 - placed
    assert report["places"] == 4 and report["places_left"] == 4 - placed
    assert sum(report["choice_distribution"].values()) == placed
    assert report["seed"] == 7
    assert report["verification"]["no_blocking_pair"] is True
    assert report["verification"]["capacities_held"] is True
    assert report["verification"]["company_ranks"]["blocking_pairs"] == 0
    assert {key: value["filled"] for key, value in report["per_offer"].items()} == {
        str(pk): n for pk, n in filled.items()
    }
    assert filled[a.pk] == 2  # p2 and p3 both want A first, and A ranked both


def test_the_independent_check_finds_a_blocking_pair(demo):
    """The test's own checker is not blind: taking a place away from someone creates a blocking pair."""
    clearing_round, _offers, _people = market(demo)
    close_and_compute(clearing_round)
    placed = Result.objects.filter(round=clearing_round, round_offer__isnull=False).first()
    assert placed is not None
    lost = (placed.participant_id, placed.round_offer_id)
    Result.objects.filter(pk=placed.pk).update(round_offer=None, choice=None)
    assert lost in blocking_pairs(clearing_round)


def test_compute_is_deterministic_for_the_seed(demo):
    first, *_ = market(demo, seed=11, name="Eins")
    second, *_ = market(demo, seed=11, name="Zwei")

    def outcome(clearing_round):
        close_and_compute(clearing_round)
        rows = Result.objects.filter(round=clearing_round).order_by("participant_id")
        return [
            (r.participant.pupil.username[-1], r.round_offer and r.round_offer.offer.title[-1]) for r in rows
        ]

    expected = outcome(first)
    assert outcome(second) == expected
    # computing again (before publication) gives the same result
    services.round_compute(actor=None, clearing_round=first)
    rows = Result.objects.filter(round=first).order_by("participant_id")
    assert [
        (r.participant.pupil.username[-1], r.round_offer and r.round_offer.offer.title[-1]) for r in rows
    ] == (expected)


def test_random_markets_have_no_blocking_pair(demo):
    """Random rankings with many ties: the stored result never has a blocking pair (independent check)."""
    rng = random.Random(2026)
    for number in range(3):
        clearing_round = new_round(seed=number, name=f"Zufall{number}", closes=0, publishes=0)
        offers = [
            services.round_offer_add(
                actor=None,
                clearing_round=clearing_round,
                offer=offer(places=rng.randint(1, 2), title=f"Z{number}-{i}"),
            )
            for i in range(4)
        ]
        people = [join(clearing_round, pupil(f"z{number}p{i}")) for i in range(8)]
        for person in people:
            rank(person, *rng.sample(offers, rng.randint(0, 4)))
        for round_offer in offers:
            applicants = list(Participant.objects.filter(choices__round_offer=round_offer))
            company_ranks(round_offer, {p: rng.randint(1, 2) for p in applicants if rng.random() < 0.8})
        clearing_round = close_and_compute(clearing_round)
        assert blocking_pairs(clearing_round) == []
        report = clearing_round.report
        assert report["placed"] + report["unplaced"] == 8
        assert report["places_left"] == sum(o.capacity for o in offers) - report["placed"]


def test_scoring_rule_ranks_by_fit_score_bands(demo):
    assert [services.score_rank(s) for s in (100, 91, 90, 81, 50, 0)] == [1, 1, 2, 2, 6, 11]
    clearing_round = new_round(closes=0, publishes=0)
    fiausbv = demo_offer()  # expects the Realschulabschluss (MSA)
    round_offer = services.round_offer_add(
        actor=None, clearing_round=clearing_round, offer=fiausbv, ranking=RoundOffer.Ranking.SCORE
    )
    strong = join(clearing_round, pupil("stark"), certificate=Certificate.AHR)
    weak = join(clearing_round, pupil("schwach"), certificate=Certificate.NONE)
    rank(strong, round_offer)
    rank(weak, round_offer)
    close_and_compute(clearing_round)
    ranks = {r.participant_id: (r.rank, r.score) for r in round_offer.rankings.all()}
    # same unknown interests and distance; the certificate decides: 20 points against 0
    assert ranks[strong.pk][1] - ranks[weak.pk][1] == 20
    assert ranks[strong.pk][0] == services.score_rank(ranks[strong.pk][1]) < ranks[weak.pk][0]
    # one place (of the demo offer's two) per applicant: both get it, since the offer has two places
    assert Result.objects.filter(round=clearing_round, round_offer=round_offer).count() == 2


def test_unranked_applicants_are_not_placed(demo):
    clearing_round = new_round(closes=0, publishes=0)
    round_offer = services.round_offer_add(
        actor=None, clearing_round=clearing_round, offer=offer(places=3, title="X")
    )
    anna, ben = join(clearing_round, pupil("anna")), join(clearing_round, pupil("ben"))
    rank(anna, round_offer)
    rank(ben, round_offer)
    company_ranks(round_offer, {anna: 1})
    clearing_round = close_and_compute(clearing_round)
    assert Result.objects.get(participant=ben).round_offer is None
    assert clearing_round.report["places_left"] == 2
    assert clearing_round.report["unplaced"] == 1


# --- publishing ----------------------------------------------------------------------------------------------


def test_publish_offers_the_places_once(demo):
    clearing_round = new_round(closes=0, publishes=0)
    round_offer = services.round_offer_add(
        actor=None, clearing_round=clearing_round, offer=offer(places=2, title="P")
    )
    anna, ben = join(clearing_round, pupil("anna")), join(clearing_round, pupil("ben"))
    rank(anna, round_offer)
    rank(ben, round_offer)
    company_ranks(round_offer, {anna: 1, ben: 2})
    # Ben had applied already and was invited: his application moves on to "offered"
    earlier = Application.objects.create(
        offer=round_offer.offer, applicant=ben.pupil, state=Application.State.INVITED
    )
    close_and_compute(clearing_round)
    clearing_round = services.round_publish(actor=None, clearing_round=clearing_round)
    assert clearing_round.status == Status.PUBLISHED
    applications = Application.objects.filter(offer=round_offer.offer)
    assert applications.count() == 2
    assert set(applications.values_list("state", flat=True)) == {Application.State.OFFERED}
    earlier.refresh_from_db()
    assert earlier.state == Application.State.OFFERED
    assert ApplicationEvent.objects.filter(
        application=earlier, from_state=Application.State.INVITED, to_state=Application.State.OFFERED
    ).exists()
    assert {r.application_id for r in Result.objects.filter(round=clearing_round)} == set(
        applications.values_list("pk", flat=True)
    )
    assert clearing_round.report["publication"] == {"offered": 2, "unchanged": 0, "not_possible": 0}
    # publishing again creates nothing twice
    events = ApplicationEvent.objects.count()
    clearing_round = services.round_publish(actor=None, clearing_round=clearing_round)
    assert Application.objects.filter(offer=round_offer.offer).count() == 2
    assert ApplicationEvent.objects.count() == events
    assert clearing_round.report["publication"] == {"offered": 0, "unchanged": 2, "not_possible": 0}


def test_publish_skips_a_match_whose_places_are_gone(demo):
    clearing_round = new_round(closes=0, publishes=0)
    taken = offer(places=1, title="weg")
    round_offer = services.round_offer_add(actor=None, clearing_round=clearing_round, offer=taken)
    anna = join(clearing_round, pupil("anna"))
    rank(anna, round_offer)
    company_ranks(round_offer, {anna: 1})
    close_and_compute(clearing_round)
    Offer.objects.filter(pk=taken.pk).update(places_taken=1)  # filled outside the round meanwhile
    clearing_round = services.round_publish(actor=None, clearing_round=clearing_round)
    assert not Application.objects.filter(offer=taken).exists()
    assert clearing_round.report["publication"]["not_possible"] == 1


# --- scopes --------------------------------------------------------------------------------------------------


def test_rounds_are_seen_in_their_region_only(demo):
    clearing_round = new_round(open_it=False)
    assert not clearing_rounds_for_applicant(demo["schueler"]).filter(pk=clearing_round.pk).exists()
    services.round_open(actor=None, clearing_round=clearing_round)
    assert clearing_rounds_for_applicant(demo["schueler"]).filter(pk=clearing_round.pk).exists()
    assert clearing_rounds_for_company(demo["betrieb"]).filter(pk=clearing_round.pk).exists()
    berlin_school = Organisation.objects.create(
        kind=Organisation.Kind.SCHOOL, name="Schule Berlin (Test)", region=Region.objects.get(code="11")
    )
    elsewhere = pupil("berlin", school=berlin_school)
    assert not clearing_rounds_for_applicant(elsewhere).filter(pk=clearing_round.pk).exists()
    # the agency's round without a region covers the agency's district (the Saarland Kreise)
    agency_round = new_round(
        organiser=Organisation.objects.get(kind=Organisation.Kind.GUIDANCE_AGENCY), name="BA"
    )
    assert clearing_rounds_for_applicant(demo["schueler"]).filter(pk=agency_round.pk).exists()
    assert not clearing_rounds_for_applicant(elsewhere).filter(pk=agency_round.pk).exists()


def test_computing_a_small_round_runs_no_compiled_kernel(demo, monkeypatch):
    """Issue #16: "Ergebnis berechnen" with one applicant took 6.5 s – numba compiled the engine's kernels in
    the web process on the first computation. A round below `engine.COMPILED_FROM_PAIRS` pairs runs the
    engine's reference implementations (equal results, tests/matching/test_small_instances.py)."""
    import importlib

    from ausbildung.matching.engine import join as join_module
    from ausbildung.matching.engine import kernel

    # the engine's name `verify` is the function; the module holds the compiled checks
    verify_module = importlib.import_module("ausbildung.matching.engine.verify")

    def refuse(*args, **kwargs):
        raise AssertionError("a compiled kernel ran for a round with one applicant")

    for module, name in [
        (kernel, "solve_applicant_proposing"),
        (verify_module, "_blocking"),
        (verify_module, "_matched_pairs"),
        (join_module, "single_tie_break_keys"),
    ]:
        stub = type("NotCompiled", (), {"__call__": staticmethod(refuse)})()
        stub.py_func = getattr(getattr(module, name), "py_func", None)
        monkeypatch.setattr(module, name, stub)
    clearing_round = new_round(opens=0, closes=0, publishes=1)
    round_offer = services.round_offer_add(actor=None, clearing_round=clearing_round, offer=demo_offer())
    rank(join(clearing_round, demo["schueler"]), round_offer)
    company_ranks(round_offer, {Participant.objects.get(round=clearing_round): 1})
    computed = close_and_compute(clearing_round)
    assert computed.report["applicants"] == 1 and computed.report["placed"] == 1
