"""Why an applicant did not get a higher choice: stored with the result at computation (from the engine's
report), shown on the applicant's own result page only, unchanged after publication."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext

from ausbildung.matching import engine
from ausbildung.offers.models import Certificate
from ausbildung.transition.clearing import market as clearing_market
from ausbildung.transition.clearing import selectors, services
from ausbildung.transition.clearing.models import CompanyRanking, Participant, Result

from .helpers import new_round, offer, pupil

NOT_RANKED = "not_ranked_by_offer"
FULL = "offer_full_with_applicants_ranked_higher"
LOTTERY = "offer_full_tie_lost_in_lottery"


def fixed_market(seed: int):
    """Four offers of one place (W: two). Mia and Pia rank X, Y, Z, W; Ole ranks Y; Udo ranks Y.
    X ranks nobody (not suitable); Y ranks Ole 1, Mia and Pia 2, Udo 3 (Ole gets it); Z ranks Mia and Pia
    both 1 (the lottery decides); W ranks Mia and Pia 1 (the loser of Z gets it)."""
    clearing_round = new_round(seed=seed, name=f"Warum {seed}", closes=0, publishes=0)
    x, y, z, w = (
        services.round_offer_add(
            actor=None, clearing_round=clearing_round, offer=offer(places=places, title=f"{title} {seed}")
        )
        for title, places in [("Platz X", 1), ("Platz Y", 1), ("Platz Z", 1), ("Platz W", 2)]
    )
    people = {}
    for name in ("mia", "pia", "ole", "udo"):
        user = pupil(f"{name}{seed}")
        people[name] = services.participant_join(
            actor=user, clearing_round=clearing_round, certificate=Certificate.MSA
        )
    lists = {"mia": [x, y, z, w], "pia": [x, y, z, w], "ole": [y], "udo": [y]}
    for name, offers in lists.items():
        services.choices_save(
            actor=people[name].pupil,
            participant=people[name],
            ranks={ro.pk: number for number, ro in enumerate(offers, start=1)},
        )
    mia, pia, ole, udo = (people[n] for n in ("mia", "pia", "ole", "udo"))
    for round_offer, ranks in [
        (x, {mia.pk: None, pia.pk: None}),
        (y, {ole.pk: 1, mia.pk: 2, pia.pk: 2, udo.pk: 3}),
        (z, {mia.pk: 1, pia.pk: 1}),
        (w, {mia.pk: 1, pia.pk: 1}),
    ]:
        services.rankings_save(actor=None, round_offer=round_offer, ranks=ranks)
    services.ranking_close(actor=None, clearing_round=clearing_round, today=clearing_round.ranking_closes_on)
    services.round_compute(actor=None, clearing_round=clearing_round)
    return clearing_round, (x, y, z, w), people


def rows(participant: Participant) -> list[tuple[int, int, str]]:
    result = Result.objects.get(participant=participant)
    return [(e["round_offer"], e["choice"], e["reason"]) for e in result.why_not_higher]


def test_reasons_are_stored_per_higher_choice(demo):
    for seed in (1, 2, 3):
        clearing_round, (x, y, z, w), people = fixed_market(seed)
        mia, pia = people["mia"], people["pia"]
        # who wins the tie at Z: the smaller lottery number (the engine's lottery, drawn from the seed)
        market = clearing_market.build_market(clearing_round)
        numbers = engine.draw_lottery(market.instance, seed=clearing_round.seed).numbers
        index = {p.pk: i for i, p in enumerate(market.participants)}
        winner, loser = sorted((mia, pia), key=lambda p: numbers[index[p.pk]])
        assert Result.objects.get(participant=winner).round_offer == z
        assert Result.objects.get(participant=loser).round_offer == w
        assert rows(winner) == [(x.pk, 1, NOT_RANKED), (y.pk, 2, FULL)]
        assert rows(loser) == [(x.pk, 1, NOT_RANKED), (y.pk, 2, FULL), (z.pk, 3, LOTTERY)]
        assert rows(people["ole"]) == []  # first choice
        assert Result.objects.get(participant=people["udo"]).round_offer is None
        assert rows(people["udo"]) == [(y.pk, 1, FULL)]  # unplaced: all choices


def page_of(participant: Participant, clearing_round) -> str:
    client = Client()
    client.force_login(participant.pupil)
    url = reverse("transition:clearing:applicant_result", kwargs={"round_id": clearing_round.pk})
    return client.get(url).content.decode()


def test_result_page_explains_and_only_about_the_applicant(demo):
    clearing_round, (_x, y, _z, w), people = fixed_market(5)
    services.round_publish(actor=None, clearing_round=clearing_round)
    loser = next(
        p for p in (people["mia"], people["pia"]) if Result.objects.get(participant=p).round_offer == w
    )
    page = page_of(loser, clearing_round)
    assert 'data-testid="applicant-placed"' in page
    assert page.count('data-testid="why-not-row"') == 3
    for msgid in (
        "Why not a place you ranked higher",
        "The company did not choose you for this place.",
        "The places went to applicants the company ranked higher.",
        "The company gave you the same rank as the last applicant who got a place; the round's lottery decided.",
    ):
        assert gettext(msgid).replace("'", "&#x27;") in page
    for title in ("Platz X 5", "Platz Y 5", "Platz Z 5"):
        assert title in page
    # nothing about the other applicants: no names, no ranks or counts of theirs
    for other in people.values():
        if other != loser:
            assert other.pupil.first_name not in page
            assert other.pupil.username not in page

    udo_page = page_of(people["udo"], clearing_round)
    assert 'data-testid="applicant-unplaced"' in udo_page
    assert gettext("Why not the places on your list") in udo_page
    assert udo_page.count('data-testid="why-not-row"') == 1
    assert "Platz Z 5" not in udo_page and "Mia" not in udo_page and "Ole" not in udo_page

    # stored with the result: changing the rankings after publication does not change the explanation
    before = [(r.choice, r.reason) for r in selectors.why_not_higher(Result.objects.get(participant=loser))]
    CompanyRanking.objects.filter(round_offer=y).delete()
    after = [(r.choice, r.reason) for r in selectors.why_not_higher(Result.objects.get(participant=loser))]
    assert after == before
    assert page_of(loser, clearing_round).count('data-testid="why-not-row"') == 3
