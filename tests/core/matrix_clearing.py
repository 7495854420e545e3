"""Clearing-round pages: rows of the permission matrix (see test_permission_matrix).

The round of the rows is the demo IHK's open round (tests.transition.clearing.helpers.demo_round): the demo
counsellor runs rounds too, but not this one (404); pupils and companies of the Saarland see it.
"""

from __future__ import annotations

from collections.abc import Callable

from .matrix_outcomes import ANON, LOGIN, everyone, only, signed_in  # noqa: F401

NS = "transition:clearing"
ORGANISERS = {"chamber_officer", "counsellor"}
COMPANY = {"company_admin", "trainer"}


def round_kwargs(demo) -> dict:
    from tests.transition.clearing.helpers import demo_round_kwargs

    return demo_round_kwargs(demo)


def round_offer_kwargs(demo) -> dict:
    from tests.transition.clearing.helpers import demo_round_offer_kwargs

    return demo_round_offer_kwargs(demo)


def own_round(status: int = 200) -> Callable[[str], object]:
    """The IHK's round: its chamber officer; the counsellor runs other rounds (404); everyone else 403."""
    return lambda role: (
        LOGIN
        if role == ANON
        else status
        if role == "chamber_officer"
        else 404
        if role == "counsellor"
        else 403
    )


CLEARING_MATRIX: dict[str, tuple[Callable | None, Callable[[str], object]]] = {
    f"{NS}:round_list": (None, only(ORGANISERS)),
    f"{NS}:round_create": (None, only(ORGANISERS)),
    f"{NS}:round_detail": (round_kwargs, own_round()),
    f"{NS}:round_step": (round_kwargs, only(ORGANISERS, status=405)),  # POST only
    f"{NS}:applicant_rounds": (None, only({"pupil"})),
    f"{NS}:applicant_round": (round_kwargs, only({"pupil"})),
    f"{NS}:applicant_rank": (round_kwargs, only({"pupil"})),
    f"{NS}:applicant_result": (round_kwargs, only({"pupil"})),
    f"{NS}:company_rounds": (None, only(COMPANY)),
    f"{NS}:company_round": (round_kwargs, only(COMPANY)),
    f"{NS}:company_offer_rank": (round_offer_kwargs, only(COMPANY)),
    f"{NS}:company_result": (round_kwargs, only(COMPANY)),
}
