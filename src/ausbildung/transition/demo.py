"""Demo data for the transition area (fictional, marked "Demo"): the demo class 9b leaves school at the end of
its school year; Lena Schmidt (`schueler`) and six more fictional leavers have planned or actual destinations,
Lena has consented to share with the demo guidance agency (confirmed by her and her mother through their
accounts), Ben has been asked and not answered yet, and Lena has an open case with an agreed step. Idempotent: nothing is added when the cohort exists."""

from __future__ import annotations

import datetime

from django.utils import timezone

from ausbildung.core.models import Guardianship, Membership, Organisation, Role, User
from ausbildung.core.schools import current_school_year
from ausbildung.core.services import membership_create

from . import services
from .models import Case, CaseStep, Destination, DestinationKind

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
