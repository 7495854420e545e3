"""Training staff (issue #21): rows of the permission matrix (see test_permission_matrix).

The objects of the rows are the demo's: the carpenter's Meister Stefan Weber's evidence (recorded by the
Tischlerei, no copy stored), the Systemhaus's trainer Miriam Klein, Jonas Becker's training site. Writes are POST
only (405 on GET for those the page rule admits)."""

from __future__ import annotations

from collections.abc import Callable

from .matrix_outcomes import ANON, LOGIN, everyone, only


def weber(demo) -> dict:
    from ausbildung.staff.models import Qualification

    return {"qualification_id": Qualification.objects.get(trainer=demo["meister"]).pk}


def jonas_site(demo) -> dict:
    from ausbildung.core.models import TrainingContract

    return {"site_id": TrainingContract.objects.get(apprentice=demo["azubi"]).site_id}


def webers_record(demo) -> dict:
    """The carpenter's Meister's log entry: the company's administrator or the trainer of another company reach it
    only through a current role (a trainer's own entries stay theirs when they change companies)."""
    from ausbildung.staff.models import CourseRecord

    return {"record_id": CourseRecord.objects.get(trainer=demo["meister"]).pk}


def ihk_course(demo) -> dict:
    from ausbildung.staff.models import Course

    return {"course_id": Course.objects.order_by("pk").first().pk}


def post_only(allowed: set[str]) -> Callable[[str], object]:
    return only(allowed, status=405)


def document(role: str) -> object:
    # the page rule admits them; Weber's evidence has no stored copy (and is not theirs to open): not found
    if role == ANON:
        return LOGIN
    return 404 if role in {"company_admin", "trainer", "chamber_officer"} else 403


STAFF_MATRIX: dict[str, tuple[Callable | None, Callable[[str], object]]] = {
    "staff:company": (None, only({"company_admin", "platform_admin"})),
    "staff:qualification_add": (None, post_only({"company_admin"})),
    "staff:qualification_withdraw": (weber, post_only({"company_admin"})),
    "staff:role": (lambda demo: {"trainer_id": demo["ausbilder"].pk}, post_only({"company_admin"})),
    "staff:site": (jonas_site, post_only({"company_admin"})),
    "staff:document": (weber, document),
    "staff:mine": (None, only({"trainer"})),
    "staff:chamber": (None, only({"chamber_officer", "platform_admin"})),
    "staff:confirm": (weber, post_only({"chamber_officer"})),
    "staff:courses": (None, only({"trainer", "company_admin", "chamber_officer"})),
    "staff:record_add": (None, post_only({"trainer", "company_admin"})),
    "staff:record_withdraw": (webers_record, post_only({"trainer", "company_admin"})),
    "staff:course_add": (None, post_only({"chamber_officer"})),
    "staff:course_cancel": (ihk_course, post_only({"chamber_officer"})),
    "staff:self_check": (None, only({"trainer", "company_admin", "apprentice"})),
    "staff:self_check_field": (None, only({"trainer", "company_admin", "apprentice"}, status=404)),
}


# Higher vocational training (issue #21): the pathway page is public like the occupation explorer; "Wie geht es
# weiter?" sends the apprentice to the pathway of his own occupation.
PATHWAYS_MATRIX: dict[str, tuple[Callable | None, Callable[[str], object]]] = {
    "pathways:occupation": (lambda demo: {"slug": "fiausbv"}, everyone(200)),
    "pathways:mine": (None, only({"apprentice"}, status=302)),
}

# The campaign's calendar (issue #22): public pages and feeds; organisers publish and cancel (POST only).
ORGANISERS = {
    "chamber_officer",
    "counsellor",
    "teacher",
    "vocational_school_teacher",
    "company_admin",
    "monitor",
}


def first_event(demo) -> dict:
    from ausbildung.campaigns.models import Event

    return {"event_id": Event.objects.order_by("pk").first().pk}


def signed_in_post_only() -> Callable[[str], object]:
    return lambda role: LOGIN if role == ANON else 405


def organisers_of_the_ihk(role: str) -> object:
    """The demo's first event is the IHK's: its officer opens the list; other organisers' members find nothing."""
    if role == ANON:
        return LOGIN
    if role == "chamber_officer":
        return 200
    return 404 if role in ORGANISERS else 403


CAMPAIGNS_MATRIX: dict[str, tuple[Callable | None, Callable[[str], object]]] = {
    "campaigns:calendar": (None, everyone(200)),
    "campaigns:feed": (None, everyone(200)),
    "campaigns:event": (first_event, everyone(200)),
    "campaigns:event_ics": (first_event, everyone(200)),
    "campaigns:mine": (None, only(ORGANISERS)),
    "campaigns:publish": (None, post_only(ORGANISERS)),
    "campaigns:cancel": (first_event, post_only(ORGANISERS)),
    "campaigns:register": (first_event, signed_in_post_only()),
    "campaigns:unregister": (lambda demo: {"registration_id": 1}, signed_in_post_only()),
    "campaigns:accept": (lambda demo: {"registration_id": 1}, signed_in_post_only()),
    "campaigns:participants": (first_event, organisers_of_the_ihk),
    "campaigns:check_in": (first_event, post_only(ORGANISERS)),
    "campaigns:participants_csv": (first_event, organisers_of_the_ihk),
}
