"""Transition pages (destinations, consent, cases): rows of the permission matrix (see test_permission_matrix).

The demo's leaving cohort: Lena Schmidt (`schueler`) at the demo school, with a consent to the demo agency
(confirmed by her and her mother in their accounts, no uploaded form) and an open case there (transition.demo).
The consent page is addressed by the destination (the dashboard's row), not by the person.
"""

from __future__ import annotations

from collections.abc import Callable

from .matrix_outcomes import only


def lena_destination(demo) -> dict:
    from ausbildung.transition.models import Destination

    return {"destination_id": Destination.objects.get(pupil=demo["schueler"]).pk}


def lena_person(demo) -> dict:
    return {"person_id": demo["schueler"].pk}


def lena_consent(demo) -> dict:
    from ausbildung.transition.models import Consent

    return {"consent_id": Consent.objects.filter(person=demo["schueler"]).first().pk}


def lena_case(demo) -> dict:
    from ausbildung.transition.models import Case

    return {"case_id": Case.objects.get(person=demo["schueler"]).pk}


TRANSITION_MATRIX: dict[str, tuple[Callable | None, Callable[[str], object]]] = {
    "transition:leavers": (None, only({"teacher"})),
    "transition:destination_edit": (lena_destination, only({"teacher"})),
    "transition:dashboard": (None, only({"teacher", "counsellor", "monitor"})),
    "transition:consent": (lena_destination, only({"teacher", "counsellor"})),
    # the signed form: Lena's demo consent was confirmed in her account and has no uploaded form (404)
    "transition:consent_form": (lena_consent, only({"teacher", "counsellor"}, status=404)),
    "transition:consent_withdraw": (
        lena_consent,
        only({"teacher", "counsellor", "pupil", "apprentice", "guardian"}, status=405),  # POST only
    ),
    "transition:consent_confirm": (
        lena_consent,
        only({"pupil", "apprentice", "guardian"}, status=405),  # POST only
    ),
    "transition:my_consents": (None, only({"pupil", "apprentice", "guardian"})),
    "transition:cases": (None, only({"counsellor"})),
    "transition:case_open": (lena_person, only({"counsellor"}, status=405)),  # POST only
    "transition:case_detail": (lena_case, only({"counsellor"})),
    "transition:case_offer_choices": (lena_case, only({"counsellor"})),
}
