"""Dropout prevention (issue #20): rows of the permission matrix (see test_permission_matrix).

The contract of the rows is the demo apprentice's (Jonas Becker at the demo Systemhaus, IHK): his company's
administrator and trainer open it; the chamber's officer does not (404: he neither asked the chamber for a
talk nor consented); the vocational school sees only its own page. Writes are POST only (405 on GET for those
the page rule admits)."""

from __future__ import annotations

from collections.abc import Callable

from .matrix_outcomes import ANON, LOGIN, only

COMPANY = {"company_admin", "trainer", "platform_admin"}
READERS = {*COMPANY, "chamber_officer"}


def jonas(demo) -> dict:
    from ausbildung.core.models import TrainingContract

    return {"contract_id": TrainingContract.objects.get(apprentice=demo["azubi"]).pk}


def contract_page(role: str) -> object:
    if role == ANON:
        return LOGIN
    if role in COMPANY:
        return 200
    return 404 if role == "chamber_officer" else 403


def post_only(allowed: set[str]) -> Callable[[str], object]:
    return only(allowed, status=405)


RETENTION_MATRIX: dict[str, tuple[Callable | None, Callable[[str], object]]] = {
    # no check-in is open for the demo apprentice today: back to his page
    "retention:mine": (None, only({"apprentice"})),
    "retention:checkin": (None, only({"apprentice"}, status=302)),
    "retention:talk": (None, post_only({"apprentice"})),
    "retention:consent": (None, post_only({"apprentice"})),
    "retention:guardian": (None, only({"guardian"})),
    "retention:company": (None, only(COMPANY)),
    "retention:contract": (jonas, contract_page),
    "retention:intervention": (jonas, post_only(READERS)),
    "retention:follow_up": (lambda demo: {"intervention_id": 1}, post_only(READERS)),
    "retention:talk_close": (lambda demo: {"talk_id": 1}, post_only(READERS)),
    "retention:dissolution": (jonas, only(COMPANY)),
    "retention:chamber": (None, only({"chamber_officer", "platform_admin"})),
    "retention:guidance": (None, only({"counsellor"})),
    "retention:school": (None, only({"vocational_school_teacher"})),
    "retention:school_note": (None, post_only({"vocational_school_teacher"})),
    "retention:school_note_withdraw": (lambda demo: {"note_id": 1}, post_only({"vocational_school_teacher"})),
}
