"""Clearing-round pages: the organiser's rounds (timeline, report), the applicant's joining, ranking and
result, the company's offers, rankings and result.

Page access: `clearing.access.RULES`; rounds through the scoped selectors (others' rounds: 404). The
organiser addresses institutions ("Sie"), the applicant pages the young person ("du").
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ausbildung.core.forms import submit_form
from ausbildung.core.types import AuthenticatedRequest
from ausbildung.offers.search import seeker_for

from . import access, forms, selectors, services
from .models import ClearingRound, RoundOffer

NS = "transition:clearing"

STEP_LABELS = {
    "open": gettext_lazy("Open the round"),
    "close": gettext_lazy("Close ranking"),
    "compute": gettext_lazy("Compute the result"),
    "publish": gettext_lazy("Publish the result"),
}
REPUBLISH = gettext_lazy("Publish again (offers only what is missing)")
STEP_DONE = {
    "open": gettext_lazy("The round is open: applicants and companies can now rank."),
    "close": gettext_lazy("Ranking is closed."),
    "compute": gettext_lazy("The result was computed and verified."),
    "publish": gettext_lazy("The result is published; the matched places were offered."),
}


def _show_errors(request: AuthenticatedRequest, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


# --- organiser -----------------------------------------------------------------------------------------------


def round_list(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "clearing/round_list.html",
        {
            "rounds": selectors.rounds_run_by(request.user),
            "can_create": access.clearing_organisers_for(request.user).exists(),
        },
    )


def round_create(request: AuthenticatedRequest) -> HttpResponse:
    organisers = access.clearing_organisers_for(request.user).order_by("name")
    form = forms.RoundForm(request.POST or None, organisers=organisers)
    done = submit_form(
        request,
        form,
        lambda: services.round_create(
            actor=request.user, organiser=form.cleaned_data["organiser"], data=form.to_input()
        ),
        success=_("The round was created as a draft."),
        then=lambda clearing_round: redirect(f"{NS}:round_detail", round_id=clearing_round.pk),
    )
    return done or render(
        request, "clearing/round_form.html", {"form": form, "has_organiser": organisers.exists()}
    )


def round_detail(request: AuthenticatedRequest, round_id: int) -> HttpResponse:
    clearing_round = selectors.get_round_run_by(request.user, round_id)
    offers = list(selectors.round_offers_overview(clearing_round))
    per_offer = clearing_round.report.get("per_offer", {})
    for round_offer in offers:
        round_offer.filled = per_offer.get(str(round_offer.pk), {}).get("filled")  # type: ignore[attr-defined]
    distribution = sorted(
        (
            (int(choice), count)
            for choice, count in clearing_round.report.get("choice_distribution", {}).items()
        ),
    )
    return render(
        request,
        "clearing/round_detail.html",
        {
            "round": clearing_round,
            "timeline": selectors.timeline(clearing_round),
            "steps": [
                (
                    step,
                    REPUBLISH
                    if clearing_round.status == ClearingRound.Status.PUBLISHED
                    else STEP_LABELS[step],
                )
                for step in selectors.next_steps(clearing_round)
            ],
            "counts": selectors.round_counts(clearing_round),
            "offers": offers,
            "report": clearing_round.report,
            "distribution": distribution,
        },
    )


@require_POST
def round_step(request: AuthenticatedRequest, round_id: int) -> HttpResponse:
    clearing_round = selectors.get_round_run_by(request.user, round_id)
    step = request.POST.get("step", "")
    actions: dict[str, Callable[..., ClearingRound]] = {
        "open": services.round_open,
        "close": services.ranking_close,
        "compute": services.round_compute,
        "publish": services.round_publish,
    }
    if step not in actions:
        messages.error(request, _("Unknown step."))
    else:
        try:
            actions[step](actor=request.user, clearing_round=clearing_round)
        except ValidationError as error:
            _show_errors(request, error)
        else:
            messages.success(request, STEP_DONE[step])
    return redirect(f"{NS}:round_detail", round_id=clearing_round.pk)


# --- applicants ----------------------------------------------------------------------------------------------


def applicant_rounds(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "clearing/applicant_rounds.html",
        {"rounds": selectors.rounds_for_applicant(request.user)},
    )


def applicant_round(request: AuthenticatedRequest, round_id: int) -> HttpResponse:
    """The round for a pupil: join (certificate, message), then the way to the ranking and the result."""
    clearing_round = selectors.get_round_for_applicant(request.user, round_id)
    participant = selectors.participant_of(request.user, clearing_round)
    form = None
    if participant is None and selectors.ranking_is_open(clearing_round):
        initial = {"certificate": seeker_for(request.user).certificate}
        form = join_form = forms.JoinForm(request.POST or None, initial=initial)
        done = submit_form(
            request,
            join_form,
            lambda: services.participant_join(
                actor=request.user,
                clearing_round=clearing_round,
                certificate=join_form.cleaned_data["certificate"],
                message=join_form.cleaned_data["message"],
            ),
            success=_("You have joined the round. Now rank the offers you want."),
            then=lambda _participant: redirect(f"{NS}:applicant_rank", round_id=clearing_round.pk),
        )
        if done:
            return done
    return render(
        request,
        "clearing/applicant_round.html",
        {
            "round": clearing_round,
            "participant": participant,
            "form": form,
            "choices": selectors.choices_of(participant) if participant else [],
            "ranking_open": selectors.ranking_is_open(clearing_round),
            "offer_count": clearing_round.offers.count(),
        },
    )


def applicant_rank(request: AuthenticatedRequest, round_id: int) -> HttpResponse:
    clearing_round = selectors.get_round_for_applicant(request.user, round_id)
    participant = selectors.participant_of(request.user, clearing_round)
    if participant is None:
        return redirect(f"{NS}:applicant_round", round_id=clearing_round.pk)
    current = {choice.round_offer_id: str(choice.rank) for choice in participant.choices.all()}
    form = forms.ChoicesForm(
        request.POST or None,
        round_offers=selectors.round_offers_for_applicant(clearing_round),
        initial={f"offer_{offer_id}": rank for offer_id, rank in current.items()},
    )
    done = submit_form(
        request,
        form,
        lambda: services.choices_save(actor=request.user, participant=participant, ranks=form.ranks()),
        success=_("Your ranking is saved. You can change it until ranking closes."),
        then=lambda _result: redirect(f"{NS}:applicant_round", round_id=clearing_round.pk),
    )
    return done or render(
        request,
        "clearing/applicant_rank.html",
        {
            "round": clearing_round,
            "form": form,
            "ranking_open": selectors.ranking_is_open(clearing_round),
            "max_choices": services.MAX_CHOICES,
        },
    )


def applicant_result(request: AuthenticatedRequest, round_id: int) -> HttpResponse:
    clearing_round = selectors.get_round_for_applicant(request.user, round_id)
    participant = selectors.participant_of(request.user, clearing_round)
    published = clearing_round.status == ClearingRound.Status.PUBLISHED
    result = selectors.result_of(participant) if participant and published else None
    return render(
        request,
        "clearing/applicant_result.html",
        {
            "round": clearing_round,
            "participant": participant,
            "published": published,
            "result": result,
            "why_not": selectors.why_not_higher(result) if result else [],
        },
    )


# --- companies -----------------------------------------------------------------------------------------------


def company_rounds(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request, "clearing/company_rounds.html", {"rounds": selectors.rounds_for_company(request.user)}
    )


def company_round(request: AuthenticatedRequest, round_id: int) -> HttpResponse:
    """The company's offers in the round, and adding another unfilled offer."""
    clearing_round = selectors.get_round_for_company(request.user, round_id)
    ranking_open = selectors.ranking_is_open(clearing_round)
    form = None
    if ranking_open:
        form = add_form = forms.OfferAddForm(
            request.POST or None, offers=selectors.eligible_offers(request.user, clearing_round)
        )
        done = submit_form(
            request,
            add_form,
            lambda: services.round_offer_add(
                actor=request.user,
                clearing_round=clearing_round,
                offer=add_form.cleaned_data["offer"],
                ranking=add_form.cleaned_data["ranking"],
            ),
            success=_("The training place takes part in the round."),
            then=lambda _round_offer: redirect(f"{NS}:company_round", round_id=clearing_round.pk),
        )
        if done:
            return done
    return render(
        request,
        "clearing/company_round.html",
        {
            "round": clearing_round,
            "round_offers": selectors.company_round_offers(request.user, clearing_round),
            "form": form,
            "ranking_open": ranking_open,
        },
    )


def company_offer_rank(request: AuthenticatedRequest, round_id: int, round_offer_id: int) -> HttpResponse:
    """Rank the applicants who chose this offer (ties allowed), or leave it to the scoring rule."""
    clearing_round = selectors.get_round_for_company(request.user, round_id)
    round_offer = selectors.get_company_round_offer(request.user, clearing_round, round_offer_id)
    rows = selectors.applicant_rows(round_offer)
    action = request.POST.get("action") if request.method == "POST" else None
    mode_form = forms.RankingModeForm(
        request.POST if action == "mode" else None, initial={"ranking": round_offer.ranking}
    )
    ranking_form = forms.RankingForm(request.POST if action == "rank" else None, rows=rows)

    def this_page(_result: object) -> HttpResponse:
        return redirect(f"{NS}:company_offer_rank", round_id=clearing_round.pk, round_offer_id=round_offer.pk)

    done = submit_form(
        request,
        mode_form,
        lambda: services.round_offer_set_ranking(
            actor=request.user, round_offer=round_offer, ranking=mode_form.cleaned_data["ranking"]
        ),
        success=_("The way of ranking was saved."),
        then=this_page,
    ) or submit_form(
        request,
        ranking_form,
        lambda: services.rankings_save(
            actor=request.user, round_offer=round_offer, ranks=ranking_form.ranks()
        ),
        success=_("Your ranking was saved. You can change it until ranking closes."),
        then=this_page,
    )
    if done:
        return done
    return render(
        request,
        "clearing/company_offer_rank.html",
        {
            "round": clearing_round,
            "round_offer": round_offer,
            "rows": rows,
            "mode_form": mode_form,
            "ranking_form": ranking_form,
            "by_score": round_offer.ranking == RoundOffer.Ranking.SCORE,
            "ranking_open": selectors.ranking_is_open(clearing_round),
            "score_band": services.SCORE_BAND,
        },
    )


def company_result(request: AuthenticatedRequest, round_id: int) -> HttpResponse:
    clearing_round = selectors.get_round_for_company(request.user, round_id)
    return render(
        request,
        "clearing/company_result.html",
        {
            "round": clearing_round,
            "published": clearing_round.status == ClearingRound.Status.PUBLISHED,
            "results": selectors.company_results(request.user, clearing_round),
        },
    )
