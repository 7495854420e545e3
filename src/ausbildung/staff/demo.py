"""Demo data of the training staff (`ausbildung demo`), one qualified and one unqualified trainer:

- Stefan Weber ("meister", Tischlerei, HWK): a Meisterprüfung as Tischler (AusbEignV § 6 Abs. 2; HwO § 22b
  Abs. 2 Nr. 1), confirmed by the demo HWK;
- Miriam Klein ("ausbilder", Systemhaus, IHK): no evidence on record yet, so Jonas Becker's contract shows "no
  aptitude on record" to the company and the chamber until the training lead records her AEVO certificate.

Jonas's site at the Systemhaus states 2 skilled staff: the guidance allows one apprentice, so a second place
there is warned about. Idempotent."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from ausbildung.core.models import Occupation, Organisation, TrainingContract, TrainingSite, User

from .models import Course, CourseRecord, Qualification, SiteStaffing


def load(organisations: dict[str, Organisation], users: dict[str, User]) -> None:
    meister, lukas = users.get("meister"), users.get("azubi2")
    chamber_officer = users.get("hwk")
    carpentry = organisations.get("tischlerei")
    if meister and carpentry and not Qualification.objects.filter(trainer=meister).exists():
        craft = (
            TrainingContract.objects.filter(apprentice=lukas).values_list("occupation_id", flat=True).first()
            if lukas
            else None
        )
        Qualification.objects.create(
            trainer=meister,
            company=carpentry,
            kind=Qualification.Kind.FORTBILDUNG,
            passed_on=datetime.date(2011, 6, 24),
            issued_by="Handwerkskammer des Saarlandes (Demo)",
            vocational="Meisterprüfung im Tischler-Handwerk",
            craft=Occupation.objects.filter(pk=craft).first() if craft else None,
            confirmed_at=timezone.now() if chamber_officer else None,
            confirmed_by=chamber_officer,
        )
    jonas, lead = users.get("azubi"), users.get("betrieb")
    if jonas is not None:
        site = TrainingSite.objects.filter(training_contracts__apprentice=jonas).order_by("pk").first()
        if site is not None and not SiteStaffing.objects.filter(site=site).exists():
            SiteStaffing.objects.create(
                site=site, skilled_staff=2, as_of=timezone.localdate().replace(day=1), recorded_by=lead
            )


def load_courses(organisations: dict[str, Organisation], users: dict[str, User]) -> None:
    """A course of the demo IHK for training staff three weeks ahead, one Miriam Klein attended, and a course of
    the HWK Stefan Weber logged."""
    ihk, officer, miriam = organisations.get("ihk"), users.get("kammer"), users.get("ausbilder")
    if ihk is None or Course.objects.filter(chamber=ihk).exists():
        return
    today = timezone.localdate()
    Course.objects.create(
        chamber=ihk,
        title="Ausbilder-Treff: Feedback geben und Konflikte früh ansprechen",
        description="Austausch unter Ausbilderinnen und Ausbildern; AusbEignV § 3 Abs. 3 Nr. 1 und 7.",
        starts_on=today + datetime.timedelta(days=21),
        ends_on=today + datetime.timedelta(days=21),
        hours=Decimal("4"),
        place="Saarbrücken, Haus der Demo-IHK Saar",
        created_by=officer,
    )
    past = Course.objects.create(
        chamber=ihk,
        title="Digitale Ausbildungsnachweise einführen",
        starts_on=today - datetime.timedelta(days=60),
        ends_on=today - datetime.timedelta(days=60),
        hours=Decimal("3"),
        online=True,
        created_by=officer,
    )
    weber = users.get("meister")
    if weber is not None:
        CourseRecord.objects.create(
            trainer=weber,
            title="Ausbilderforum: Gesellenprüfung vorbereiten",
            provider="Handwerkskammer des Saarlandes (Demo)",
            attended_on=today - datetime.timedelta(days=120),
            hours=Decimal("5"),
            recorded_by=weber,
        )
    if miriam is not None:
        CourseRecord.objects.create(
            trainer=miriam,
            course=past,
            title=past.title,
            provider=ihk.name,
            attended_on=past.starts_on,
            hours=past.hours,
            recorded_by=miriam,
        )
