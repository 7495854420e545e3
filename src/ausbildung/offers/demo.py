"""Demo training places for the Saarland demo region (fictional companies marked "Demo")."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from ausbildung.core.demo import backdate, synthetic_users
from ausbildung.core.models import (
    Occupation,
    Organisation,
    Specialisation,
    TrainingContract,
    TrainingSite,
    User,
)

from . import services
from .models import Application, ApplicationEvent, Certificate, Offer, SeekerProfile


def next_training_start(today: datetime.date) -> datetime.date:
    """1 August, the usual start of training, at least three months ahead."""
    start = datetime.date(today.year, 8, 1)
    while (start - today).days < 90:
        start = datetime.date(start.year + 1, 8, 1)
    return start


# company key, site name, occupation slug, specialisation, title, places, certificate, pay, description
DEMO_OFFERS = [
    (
        "systemhaus",
        "Hauptsitz Saarbrücken",
        "fiausbv",
        "Anwendungsentwicklung",
        "",
        2,
        Certificate.MSA,
        ("1100", "1180", "1270"),
        "Du entwickelst mit uns Software für Kommunen und Mittelstand: Web, Datenbanken, Schnittstellen. "
        "Eigener Laptop, feste Ausbildungspatin, Lernzeit im Betrieb.",
    ),
    (
        "systemhaus",
        "Hauptsitz Saarbrücken",
        "bueromkfausbv",
        "",
        "",
        1,
        Certificate.MSA,
        ("1000", "1080", "1160"),
        "Du lernst alle Bereiche unseres Büros kennen: Auftragsabwicklung, Einkauf, Personal, Buchhaltung.",
    ),
    (
        "tischlerei",
        "Werkstatt St. Wendel",
        "tischlausbv",
        "",
        "",
        1,
        Certificate.ESA,
        ("800", "900", "1020"),
        "Massivholzmöbel und Innenausbau in einer kleinen Werkstatt. Probetag jederzeit möglich.",
    ),
]


def load(organisations: dict[str, Organisation], users: dict[str, User]) -> None:
    """Idempotent: offers are recognised by company and occupation."""
    start = next_training_start(timezone.localdate())
    for company_key, site_name, slug, spec_name, title, places, certificate, pay, text in DEMO_OFFERS:
        company = organisations[company_key]
        occupation = Occupation.objects.filter(slug=slug).first()
        site = TrainingSite.objects.filter(company=company, name=site_name).first()
        if (
            occupation is None
            or site is None
            or Offer.objects.filter(company=company, occupation=occupation).exists()
        ):
            continue
        specialisation = (
            Specialisation.objects.filter(occupation=occupation, name__icontains=spec_name).first()
            if spec_name
            else None
        )
        years = services.pay_years(occupation)
        amounts = [Decimal(value) for value in pay] + [None] * (4 - len(pay))
        amounts = amounts[:4]
        if years is not None and years < 3:
            amounts[2] = None
        services.offer_create(
            actor=None,
            company=company,
            data=services.OfferInput(
                site=site,
                occupation=occupation,
                specialisation=specialisation,
                title=title,
                start_date=start,
                places=places,
                certificate=certificate,
                description=text,
                pay_year1=amounts[0],
                pay_year2=amounts[1],
                pay_year3=amounts[2],
                pay_year4=amounts[3],
                contact_name="Personalabteilung (Demo)",
                contact_email=f"ausbildung@{company_key}.demo.invalid",
                deadline=start - datetime.timedelta(days=60),
                internship_possible=True,
                trial_day_possible=company_key == "tischlerei",
            ),
            publish=True,
        )
    pupil = users.get("schueler")
    if pupil is not None and not SeekerProfile.objects.filter(user=pupil).exists():
        services.seeker_profile_save(user=pupil, postcode="66740", certificate=Certificate.MSA)


def load_history(organisations: dict[str, Organisation], users: dict[str, User]) -> None:
    """What the demo pupil did (`ausbildung demo`, not the test fixtures): she applied to the Systemhaus's
    office offer, and the company invited her to an interview a week or more ahead, so her home page shows an
    invitation she can answer. Idempotent: nothing happens once she has applied there."""
    pupil, admin = users.get("schueler"), users.get("betrieb")
    company = organisations.get("systemhaus")
    if pupil is None or admin is None or company is None:
        return
    offer = Offer.objects.filter(company=company, occupation__slug="bueromkfausbv").first()
    if offer is None or Application.objects.filter(offer=offer, applicant=pupil).exists():
        return
    application = services.application_create(
        actor=pupil,
        offer=offer,
        message="Ich interessiere mich sehr für die Ausbildung und habe im Praktikum schon Büroluft geschnuppert.",
    )
    services.application_transition(
        actor=pupil, side=services.APPLICANT, application=application, to=Application.State.SENT
    )
    day = timezone.localdate() + datetime.timedelta(days=8)
    while day.weekday() >= 5:  # a working day
        day += datetime.timedelta(days=1)
    services.interview_propose(
        actor=admin,
        side=services.COMPANY,
        application=application,
        at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0))),
        place=f"{company.name}, {offer.site.name}",
        message="Wir freuen uns auf das Gespräch. Bring bitte dein letztes Zeugnis mit.",
    )


# --- the demo region's past, for the monitoring (monitoring.demo) ---------------------------------------------


@dataclass
class HistoryOffer:
    """One offer of a past (or the current) reporting year of a "(Statistik-Demo)" company: its places are
    taken by `contracts` (their apprentices applied and accepted) and `extra_places` stayed unfilled."""

    company: Organisation
    site: TrainingSite
    occupation: Occupation
    chamber: Organisation | None
    reporting_year: int
    contracts: list[TrainingContract]
    extra_places: int


@dataclass
class HistoryOutcome:
    """What other areas' history needs: the applicants who went to an alternative (a school, EQ, a measure)
    while applying, with the reporting year of their applications."""

    alternatives: list[tuple[User, int]] = field(default_factory=list)
    # Every applicant left without a place (unplaced or with an alternative), with the reporting year, and the
    # offers written: a clearing round's history takes both.
    unplaced: list[tuple[User, int]] = field(default_factory=list)
    offers: list[Offer] = field(default_factory=list)


def _reporting_year(day: datetime.date) -> int:
    """1 October Y-1 to 30 September Y is reporting year Y (BIBB/BA, https://www.bibb.de/de/13826.php)."""
    return day.year + 1 if day.month >= 10 else day.year


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


# Applicants without a place per reporting year, by what became of them: still searching (open applications;
# the current year only), unplaced (every application declined or withdrawn), with an alternative.
SEARCHING, UNPLACED, ALTERNATIVE = "searching", "unplaced", "alternative"
UNPLACED_PER_YEAR = {SEARCHING: 24, UNPLACED: 14, ALTERNATIVE: 14}
PLACED_SHARE = 0.75  # of the contracts, those whose apprentice applied on the platform

S = Application.State
# The steps an application went through to its state (offers.services.TRANSITIONS), the applicant's own
# steps marked True.
STEPS: dict[str, list[tuple[str, str, bool]]] = {
    S.SENT: [(S.DRAFT, S.SENT, True)],
    S.INVITED: [(S.DRAFT, S.SENT, True), (S.SENT, S.INVITED, False)],
    S.OFFERED: [(S.DRAFT, S.SENT, True), (S.SENT, S.INVITED, False), (S.INVITED, S.OFFERED, False)],
    S.ACCEPTED: [
        (S.DRAFT, S.SENT, True),
        (S.SENT, S.INVITED, False),
        (S.INVITED, S.OFFERED, False),
        (S.OFFERED, S.ACCEPTED, True),
    ],
    S.DECLINED: [(S.DRAFT, S.SENT, True), (S.SENT, S.DECLINED, False)],
    S.WITHDRAWN: [(S.DRAFT, S.SENT, True), (S.SENT, S.WITHDRAWN, True)],
}


def bulk_history(specs: list[HistoryOffer], *, today: datetime.date, rng: random.Random) -> HistoryOutcome:
    """Write the offers of `specs` and the applications on them (bulk, deterministic with `rng`): the placed
    apprentices' accepted applications (linked to their contract, before it was concluded) and some declined
    elsewhere; synthetic applicants who are still searching, unplaced or went to an alternative. Offers whose
    training has begun are closed; the current year's are published. Returns the applicants with an
    alternative."""
    current = _reporting_year(today)
    offers: list[Offer] = []
    placed: list[tuple[Offer, TrainingContract]] = []
    for spec in specs:
        start = datetime.date(spec.reporting_year, 8, 1)
        first = datetime.date(spec.reporting_year - 1, 10, 1)
        published = first + datetime.timedelta(days=rng.randrange(0, 120))
        chosen = [c for c in spec.contracts if rng.random() < PLACED_SHARE]
        for contract in chosen:
            published = min(published, contract.created_at.date() - datetime.timedelta(days=60))
        published = min(published, today - datetime.timedelta(days=1))
        offer = Offer(
            company=spec.company,
            site=spec.site,
            occupation=spec.occupation,
            chamber=spec.chamber,
            status=Offer.Status.PUBLISHED
            if spec.reporting_year == current and start > today
            else Offer.Status.CLOSED,
            start_date=start,
            places=max(1, len(spec.contracts) + spec.extra_places),
            places_taken=len(spec.contracts),
            certificate=rng.choice([Certificate.ESA, Certificate.MSA, Certificate.MSA]),
            description="Ausbildungsplatz eines erfundenen Betriebs für die Statistik der Demo-Region.",
            contact_name="Personalabteilung (Statistik-Demo)",
            deadline=start - datetime.timedelta(days=60),
            postcode=spec.site.postcode,
            city=spec.site.city,
            latitude=spec.site.latitude,
            longitude=spec.site.longitude,
            published_at=_at(published, 9),
        )
        offer.search_text = services.offer_search_text(offer)
        offers.append(offer)
        placed.extend((offer, contract) for contract in chosen)
    Offer.objects.bulk_create(offers)
    published_on = {
        id(offer): timezone.localdate(offer.published_at) for offer in offers if offer.published_at
    }

    by_year: dict[int, list[Offer]] = {}
    for offer in offers:
        by_year.setdefault(_reporting_year(offer.start_date - datetime.timedelta(days=1)), []).append(offer)
    applications: list[Application] = []
    history: list[tuple[Application, datetime.date, datetime.date]] = []  # sent on, decided on

    def add(
        offer: Offer, user_id: int, state: str, sent: datetime.date, decided: datetime.date, contract=None
    ):
        if any(a.offer is offer and a.applicant_id == user_id for a in applications[-4:]):
            return
        application = Application(
            offer=offer,
            applicant_id=user_id,
            state=state,
            contract=contract,
            sent_at=_at(sent, 18),
            message="Bewerbung (Statistik-Demo)",
        )
        applications.append(application)
        history.append((application, sent, min(decided, today)))

    for offer, contract in placed:
        concluded = contract.created_at.date()
        sent = concluded - datetime.timedelta(days=rng.randrange(20, 60))
        sent = max(sent, published_on[id(offer)])
        add(offer, contract.apprentice_id, S.ACCEPTED, sent, concluded - datetime.timedelta(days=1), contract)
        others = [
            o
            for o in by_year.get(_reporting_year(offer.start_date - datetime.timedelta(days=1)), [])
            if o is not offer
        ]
        if others and rng.random() < 0.5:
            other = rng.choice(others)
            state = rng.choice([S.DECLINED, S.WITHDRAWN])
            add(other, contract.apprentice_id, state, sent, concluded + datetime.timedelta(days=3))

    alternatives: list[tuple[User, int]] = []
    unplaced: list[tuple[User, int]] = []
    years = sorted(by_year)
    plans = [
        (year, kind)
        for year in years
        for kind, count in UNPLACED_PER_YEAR.items()
        for _ in range(count)
        if kind != SEARCHING or year == current
    ]
    users = synthetic_users("bewerber", len(plans), rng)
    profiles = []
    for user, (year, kind) in zip(users, plans, strict=True):
        pool = by_year[year]
        first = datetime.date(year - 1, 10, 1)
        latest = min(today, datetime.date(year, 7, 31))
        for number in range(rng.choice((1, 2, 3))):
            offer = rng.choice(pool)
            sent = first + datetime.timedelta(days=rng.randrange(max(1, (latest - first).days)))
            sent = max(sent, published_on[id(offer)])
            decided = sent + datetime.timedelta(days=rng.randrange(10, 50))
            if kind == SEARCHING and number == 0:
                state = rng.choice([S.SENT, S.SENT, S.INVITED, S.OFFERED])
            elif kind == ALTERNATIVE and number == 0 and rng.random() < 0.5:
                state = S.SENT  # in an alternative and still searching
            else:
                state = rng.choice([S.DECLINED, S.DECLINED, S.WITHDRAWN])
            add(offer, user.pk, state, sent, decided)
        if kind == ALTERNATIVE:
            alternatives.append((user, year))
        if kind != SEARCHING:
            unplaced.append((user, year))
        profiles.append(
            SeekerProfile(
                user=user,
                postcode=rng.choice(pool).postcode,
                certificate=rng.choice([Certificate.ESA, Certificate.MSA, Certificate.MSA, Certificate.NONE]),
            )
        )
    Application.objects.bulk_create(applications)
    SeekerProfile.objects.bulk_create(profiles)
    events = []
    for application, sent, decided in history:
        steps = STEPS[application.state]
        for number, (before, after, own) in enumerate(steps):
            day = sent if number == 0 else sent + (decided - sent) * number / max(1, len(steps) - 1)
            events.append(
                (
                    ApplicationEvent(
                        application=application,
                        actor_id=application.applicant_id if own else None,
                        from_state=before,
                        to_state=after,
                    ),
                    _at(day, 18 if number == 0 else 12),
                )
            )
    ApplicationEvent.objects.bulk_create([event for event, _when in events])
    # The creation times stand for the days it happened (auto_now_add wrote the time of loading).
    backdate(ApplicationEvent, [(event.pk, {"created_at": when}) for event, when in events])
    backdate(
        Application,
        [
            (a.pk, {"created_at": _at(sent, 17), "updated_at": _at(decided, 12)})
            for a, sent, decided in history
        ],
    )
    backdate(
        Offer,
        [
            (
                o.pk,
                {
                    "created_at": _at(published_on[id(o)] - datetime.timedelta(days=2)),
                    "updated_at": _at(published_on[id(o)], 9),
                },
            )
            for o in offers
        ],
    )
    return HistoryOutcome(alternatives=alternatives, unplaced=unplaced, offers=offers)
