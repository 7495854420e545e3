"""Demo data for the transition area (fictional, marked "Demo"): the demo class 9b leaves school at the end of
its school year; Lena Schmidt (`schueler`) and six more fictional leavers have planned or actual destinations,
Lena and one other have consented to share with the demo guidance agency, and Lena has an open case with an
agreed step. Idempotent: nothing is added when the cohort exists."""

from __future__ import annotations

import datetime

from django.utils import timezone

from ausbildung.core.models import Membership, Organisation, Role, User
from ausbildung.core.services import membership_create
from ausbildung.orientation.classes.forms import current_school_year

from .models import Case, CaseStep, Consent, Destination, DestinationKind

K = DestinationKind

# (username, first name, last name, born, certificate, planned, note, actual)
LEAVERS = [
    (
        "demo-mia",
        "Mia",
        "Keller",
        datetime.date(2010, 6, 2),
        "msa",
        K.FURTHER_SCHOOL,
        "Oberstufe",
        K.FURTHER_SCHOOL,
    ),
    (
        "demo-noah",
        "Noah",
        "Braun",
        datetime.date(2010, 1, 19),
        "esa",
        K.TRAINING,
        "Kfz-Mechatroniker",
        K.TRAINING,
    ),
    ("demo-emilia", "Emilia", "Wolf", datetime.date(2009, 11, 5), "esa", K.EQ, "EQ im Einzelhandel", K.EQ),
    ("demo-ben", "Ben", "Hoffmann", datetime.date(2010, 4, 23), "esa", "", "", ""),
    ("demo-lea", "Lea", "Zimmermann", datetime.date(2009, 9, 30), "msa", K.VOLUNTARY_SERVICE, "FSJ", ""),
    ("demo-paul", "Paul", "Krüger", datetime.date(2010, 2, 11), "none", K.TRANSITION_MEASURE, "BvB", ""),
]


def _leaving_date(school_year: str) -> datetime.date:
    """End of June of the school year's second calendar year (demo value, not a Land's holiday calendar)."""
    return datetime.date(int(school_year[:4]) + 1, 6, 30)


def load(organisations: dict[str, Organisation], users: dict[str, User]) -> None:
    school, agency = organisations.get("schule"), organisations.get("agentur")
    lena, teacher, counsellor = users.get("schueler"), users.get("lehrer"), users.get("beratung")
    if not (school and agency and lena and teacher and counsellor):
        return
    school_year = current_school_year()
    if Destination.objects.filter(school=school, school_year=school_year).exists():
        return
    leaving = _leaving_date(school_year)
    start = datetime.date(leaving.year, 8, 1)
    Destination.objects.create(
        pupil=lena,
        school=school,
        class_label="9b",
        school_year=school_year,
        leaving_date=leaving,
        certificate="esa",
        planned_kind=K.TRAINING,
        planned_note="Bewerbungen als Fachinformatikerin",
        updated_by=teacher,
    )
    for username, first, last, born, certificate, planned, note, actual in LEAVERS:
        pupil, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last, "date_of_birth": born}
        )
        if created:
            pupil.set_unusable_password()
            pupil.save(update_fields=["password"])
        if not Membership.objects.filter(user=pupil, organisation=school, role=Role.PUPIL).exists():
            membership_create(actor=None, user=pupil, organisation=school, role=Role.PUPIL)
        Destination.objects.create(
            pupil=pupil,
            school=school,
            class_label="9b",
            school_year=school_year,
            leaving_date=leaving,
            certificate=certificate,
            planned_kind=planned,
            planned_note=note,
            actual_kind=actual,
            actual_since=start if actual else None,
            updated_by=teacher,
        )
    today = timezone.localdate()
    for person in (lena, User.objects.get(username="demo-ben")):
        Consent.objects.create(
            person=person,
            agency=agency,
            person_consented_on=today,
            guardian_name="Erziehungsberechtigte (Demo)",
            guardian_consented_on=today,
            recorded_by=teacher,
        )
    case = Case.objects.create(person=lena, agency=agency, counsellor=counsellor)
    CaseStep.objects.create(
        case=case,
        text="Drei Bewerbungen für Fachinformatik abschicken",
        due_on=today + datetime.timedelta(days=14),
        created_by=counsellor,
    )
