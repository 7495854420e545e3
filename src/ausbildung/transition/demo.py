"""Demo data for the transition area (fictional, marked "Demo"): the demo class 9b leaves school at the end of
its school year; its pupils (orientation.school_demo: Lena Schmidt, `schueler`, and six classmates) make the
leaving cohort and have planned or actual destinations,
Lena has consented to share with the demo guidance agency (confirmed by her and her mother through their
accounts), Ben has been asked and not answered yet, and Lena has an open case with an agreed step. Idempotent: nothing is added when the cohort exists."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from ausbildung.core.demo import synthetic_users
from ausbildung.core.models import Guardianship, Organisation, TrainingContract, User
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


# --- the demo region's past, for the monitoring (monitoring.demo) ---------------------------------------------

# What became of the other leavers of a cohort (kind, weight): further school most often, then the transition
# system, training found outside the platform, work, voluntary service, university, EQ; some unknown.
OTHER_DESTINATIONS = [
    (K.FURTHER_SCHOOL, 30),
    (K.TRANSITION_MEASURE, 12),
    (K.TRAINING, 10),
    (K.WORK, 6),
    (K.VOLUNTARY_SERVICE, 6),
    (K.UNIVERSITY, 5),
    (K.EQ, 5),
    (K.UNKNOWN, 8),
]
ALTERNATIVE_KINDS = [K.FURTHER_SCHOOL, K.EQ, K.TRANSITION_MEASURE, K.VOLUNTARY_SERVICE, K.WORK]
OTHER_LEAVERS_PER_YEAR = 60
APPRENTICE_LEAVERS_PER_YEAR = 35
UPCOMING_LEAVERS = 30


def _school_year_leaving_in(year: int) -> str:
    return f"{year - 1}/{year % 100:02d}"


def bulk_history(
    *,
    schools: list[Organisation],
    apprentices: list[TrainingContract],
    alternatives: list[tuple[User, int]],
    today: datetime.date,
    rng: random.Random,
) -> None:
    """Leaving cohorts of the `schools` (bulk, deterministic with `rng`) for the last three school years and the
    current one: apprentices of contracts that began in the August or September after they left (destination
    training, linked to the contract), applicants who went to an alternative in the year they applied, and
    synthetic leavers with the other destinations. The current year's leavers have plans only."""
    current_leaving = _leaving_date(current_school_year())
    years = [current_leaving.year - 3, current_leaving.year - 2, current_leaving.year - 1]
    if current_leaving > today:
        upcoming = current_leaving.year
    else:
        years.append(current_leaving.year)
        upcoming = None
    rows: list[Destination] = []
    taken: set[tuple[int, str]] = set()

    def add(pupil_id: int, year: int, planned: str, actual: str, since, contract=None) -> None:
        school_year = _school_year_leaving_in(year)
        if (pupil_id, school_year) in taken:
            return
        taken.add((pupil_id, school_year))
        rows.append(
            Destination(
                pupil_id=pupil_id,
                school=rng.choice(schools),
                class_label=rng.choice(["9a", "9b", "10a", "10b"]),
                school_year=school_year,
                leaving_date=datetime.date(year, 6, 30),
                planned_kind=planned,
                actual_kind=actual,
                actual_since=since,
                contract=contract,
            )
        )

    by_start: dict[int, list[TrainingContract]] = {}
    for contract in apprentices:
        if contract.start_date.month in (8, 9):
            by_start.setdefault(contract.start_date.year, []).append(contract)
    for year in years:
        cohort = by_start.get(year, [])
        for contract in rng.sample(cohort, k=min(len(cohort), APPRENTICE_LEAVERS_PER_YEAR)):
            add(contract.apprentice_id, year, K.TRAINING, K.TRAINING, contract.start_date, contract)
    for user, year in alternatives:
        if year in years:
            kind = rng.choice(ALTERNATIVE_KINDS)
            add(user.pk, year, K.TRAINING, kind, datetime.date(year, 8, 1))
    kinds, weights = zip(*OTHER_DESTINATIONS, strict=True)
    count = OTHER_LEAVERS_PER_YEAR * len(years) + (UPCOMING_LEAVERS if upcoming else 0)
    leavers = iter(synthetic_users("schueler", count, rng))
    for year in years:
        for _ in range(OTHER_LEAVERS_PER_YEAR):
            kind = rng.choices(kinds, weights=weights)[0]
            planned = kind if rng.random() < 0.7 else rng.choices(kinds, weights=weights)[0]
            since = None if kind == K.UNKNOWN else datetime.date(year, 8 if kind != K.UNIVERSITY else 10, 1)
            add(next(leavers).pk, year, planned, kind, since)
    if upcoming:
        for _ in range(UPCOMING_LEAVERS):
            add(next(leavers).pk, upcoming, rng.choices(kinds, weights=weights)[0], "", None)
    Destination.objects.bulk_create(rows)
