"""Demo training places for the Saarland demo region (fictional companies marked "Demo")."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from ausbildung.core.models import Occupation, Organisation, Specialisation, TrainingSite, User

from . import services
from .models import Application, Certificate, Offer, SeekerProfile


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
