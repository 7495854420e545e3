"""Demo data for school classes and internships (fictional, marked "Demo"): the class 9b of the teacher
`lehrer` with the pupil `schueler` (Lena) and six classmates in it, and one published internship of the
Systemhaus. The class is the one list of its pupils: the transition demo makes its leaving cohort from it, as a
teacher does on the leavers' page. Idempotent."""

from __future__ import annotations

import datetime

from django.utils import timezone

from ausbildung.core.models import Membership, Occupation, Organisation, Role, TrainingSite, User
from ausbildung.core.services import membership_create

from .classes import services as class_services
from .internships import services as internship_services
from .models import ClassMembership, InternshipSlot, SchoolClass

DEMO_CLASS_CODE = "DEMO9B27"
DEMO_INTERNSHIP_TITLE = "Schnupperpraktikum Fachinformatik (Demo)"

# Lena's classmates in 9b (username, first name, last name, born); they have no login (unusable password).
CLASSMATES = [
    ("demo-mia", "Mia", "Keller", datetime.date(2010, 6, 2)),
    ("demo-noah", "Noah", "Braun", datetime.date(2010, 1, 19)),
    ("demo-emilia", "Emilia", "Wolf", datetime.date(2009, 11, 5)),
    ("demo-ben", "Ben", "Hoffmann", datetime.date(2010, 4, 23)),
    ("demo-lea", "Lea", "Zimmermann", datetime.date(2009, 9, 30)),
    ("demo-paul", "Paul", "Krüger", datetime.date(2010, 2, 11)),
]


def _classmate(school: Organisation, username: str, first: str, last: str, born: datetime.date) -> User:
    pupil, created = User.objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last, "date_of_birth": born}
    )
    if created:
        pupil.set_unusable_password()
        pupil.save(update_fields=["password"])
    if not Membership.objects.filter(user=pupil, organisation=school, role=Role.PUPIL).exists():
        membership_create(actor=None, user=pupil, organisation=school, role=Role.PUPIL)
    return pupil


def _school_year(today: datetime.date) -> str:
    start = today.year if today.month >= 8 else today.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def load(organisations: dict[str, Organisation], users: dict[str, User]) -> None:
    today = timezone.localdate()
    teacher, pupil = users.get("lehrer"), users.get("schueler")
    school = organisations.get("schule")
    if teacher is not None and pupil is not None and school is not None:
        school_class = SchoolClass.objects.filter(code=DEMO_CLASS_CODE).first()
        if school_class is None:
            school_class = class_services.class_create(
                actor=None,
                school=school,
                name="9b",
                school_year=_school_year(today),
                code=DEMO_CLASS_CODE,
                teacher=teacher,
            )
        pupils = [pupil] + [_classmate(school, *spec) for spec in CLASSMATES]
        for member in pupils:
            if not ClassMembership.objects.filter(school_class=school_class, pupil=member).exists():
                class_services.class_join(actor=member, code=DEMO_CLASS_CODE)
    company = organisations.get("systemhaus")
    site = (
        TrainingSite.objects.filter(company=company, name="Hauptsitz Saarbrücken").first()
        if company
        else None
    )
    if company is None or site is None:
        return
    if InternshipSlot.objects.filter(company=company, title=DEMO_INTERNSHIP_TITLE).exists():
        return
    start = today + datetime.timedelta(days=(7 - today.weekday()) % 7 + 28)  # a Monday four weeks ahead
    internship_services.slot_create(
        actor=None,
        company=company,
        data=internship_services.SlotInput(
            site=site,
            title=DEMO_INTERNSHIP_TITLE,
            occupation=Occupation.objects.filter(slug="fiausbv").first(),
            start_date=start,
            end_date=start + datetime.timedelta(days=4),
            places=2,
            description="Eine Woche bei uns im Team: kleine Programme schreiben, Rechner einrichten, "
            "Fragen an unsere Azubis stellen.",
        ),
        publish=True,
    )
