"""Demo data for the transition area (fictional, marked "Demo"): the demo class 9b leaves school at the end of
its school year; its pupils (orientation.school_demo: Lena Schmidt, `schueler`, and six classmates) make the
leaving cohort and have planned or actual destinations,
Lena has consented to share with the demo guidance agency (confirmed by her and her mother through their
accounts), Ben has been asked and not answered yet, and Lena has an open case with an agreed step. Idempotent: nothing is added when the cohort exists."""

from __future__ import annotations

import datetime

from django.utils import timezone

from ausbildung.core.models import Guardianship, Organisation, User
from ausbildung.core.schools import current_school_year
from ausbildung.offers.services import seeker_certificate_set
from ausbildung.orientation.classes.services import class_for_code
from ausbildung.orientation.school_demo import DEMO_CLASS_CODE

from . import services
from .models import Case, CaseStep, Destination, DestinationKind

K = DestinationKind

# What the teacher recorded for each pupil of the class (username → expected certificate, planned destination,
# plan in a few words, actual destination). The pupils are the class 9b's members (orientation.school_demo);
# Lena's certificate is the one of her own profile (offers demo), the others' are written to theirs.
RECORDED = {
    "schueler": ("", K.TRAINING, "Bewerbungen als Fachinformatikerin", ""),
    "demo-mia": ("msa", K.FURTHER_SCHOOL, "Oberstufe", K.FURTHER_SCHOOL),
    "demo-noah": ("esa", K.TRAINING, "Kfz-Mechatroniker", K.TRAINING),
    "demo-emilia": ("esa", K.EQ, "EQ im Einzelhandel", K.EQ),
    "demo-ben": ("esa", "", "", ""),
    "demo-lea": ("msa", K.VOLUNTARY_SERVICE, "FSJ", ""),
    "demo-paul": ("none", K.TRANSITION_MEASURE, "BvB", ""),
}


def _leaving_date(school_year: str) -> datetime.date:
    """End of June of the school year's second calendar year (demo value, not a Land's holiday calendar)."""
    return datetime.date(int(school_year[:4]) + 1, 6, 30)


def load(organisations: dict[str, Organisation], users: dict[str, User]) -> None:
    school, agency = organisations.get("schule"), organisations.get("agentur")
    lena, teacher, counsellor = users.get("schueler"), users.get("lehrer"), users.get("beratung")
    school_class = class_for_code(DEMO_CLASS_CODE)
    if not (school and agency and lena and teacher and counsellor and school_class):
        return
    school_year = current_school_year()
    if Destination.objects.filter(school=school, school_year=school_year).exists():
        return
    leaving = _leaving_date(school_year)
    start = datetime.date(leaving.year, 8, 1)
    # The leaving cohort is the class, added as the teacher adds it on the leavers' page.
    pupils = [membership.pupil for membership in school_class.memberships.select_related("pupil")]
    cohort = services.cohort_add(
        actor=teacher,
        school=school,
        school_year=school_year,
        leaving_date=leaving,
        class_label=school_class.name,
        pupils=pupils,
    )
    for destination in cohort:
        certificate, planned, note, actual = RECORDED.get(destination.pupil.username, ("", "", "", ""))
        if certificate:
            seeker_certificate_set(actor=teacher, user=destination.pupil, certificate=certificate)
        destination.planned_kind, destination.planned_note = planned, note
        destination.actual_kind, destination.actual_since = actual, start if actual else None
        destination.save(update_fields=["planned_kind", "planned_note", "actual_kind", "actual_since"])
    today = timezone.localdate()
    # Lena's consent was asked for by the counsellor and confirmed by Lena and her mother through their own
    # accounts (DSGVO Art. 7 Abs. 1: the confirmations are the evidence); Ben's request is still open.
    mother, created = User.objects.get_or_create(
        username="demo-andrea", defaults={"first_name": "Andrea", "last_name": "Schmidt"}
    )
    if created:
        mother.set_unusable_password()
        mother.save(update_fields=["password"])
    Guardianship.objects.get_or_create(guardian=mother, ward=lena)
    consent = services.consent_request(actor=counsellor, person=lena, agency=agency)
    services.consent_confirm(actor=lena, consent=consent)
    services.consent_confirm(actor=mother, consent=consent)
    services.consent_request(actor=counsellor, person=User.objects.get(username="demo-ben"), agency=agency)
    case = Case.objects.create(person=lena, agency=agency, counsellor=counsellor)
    CaseStep.objects.create(
        case=case,
        text="Drei Bewerbungen für Fachinformatik abschicken",
        due_on=today + datetime.timedelta(days=14),
        created_by=counsellor,
    )
