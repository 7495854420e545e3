"""Demo training places for the Saarland demo region (fictional companies marked "Demo")."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from ausbildung.core.models import Occupation, Organisation, Specialisation, TrainingSite, User

from . import services
from .models import Certificate, Offer, SeekerProfile


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
