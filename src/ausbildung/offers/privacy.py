"""The personal data of the training-place search and the applications (core.privacy registry).

Applications are kept 6 months after they closed: a rejected applicant may claim compensation for
discrimination in writing within two months of the rejection (AGG § 15 Abs. 4) and must sue within three
months after that claim (ArbGG § 61b Abs. 1); 6 months covers both with a margin for the post. Until then an
application the company decided on stays even on request (DSGVO Art. 17 Abs. 3 lit. e: the company's defence
against such a claim); drafts and applications the person withdrew go at once. The search profile (postcode,
certificate, saved occupations) is orientation data: kept until the person erases it, and erased by the daily
job when the account has not been used for `orientation.privacy.INACTIVE_YEARS` years.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ausbildung.core.privacy import (
    ExportFile,
    Kept,
    PersonalData,
    register_not_personal,
    register_personal_data,
)
from ausbildung.core.privacy.rows import (
    add_months,
    delete_stored,
    links,
    row_dict,
    rows,
    safe_name,
    stored_file,
)

from .models import Application, ApplicationDocument, ApplicationEvent, ApplicationNote, Offer, SeekerProfile

KEEP_MONTHS = 6  # AGG § 15 Abs. 4 (2 months) + ArbGG § 61b Abs. 1 (3 months), with a margin
INACTIVE_YEARS = 2  # as orientation.privacy.INACTIVE_YEARS (the areas do not import each other)
DECIDED = {Application.State.DECLINED, Application.State.ACCEPTED}
CLOSED = {*DECIDED, Application.State.WITHDRAWN}
OPEN = {Application.State.SENT, Application.State.INVITED, Application.State.OFFERED}


def _applications(person: Any):
    return Application.objects.filter(applicant=person).order_by("pk")


def application_kept_until(application: Application) -> datetime.date:
    return add_months(timezone.localdate(application.updated_at), KEEP_MONTHS)


def _delete_applications(queryset) -> int:
    documents = ApplicationDocument.objects.filter(application__in=queryset)
    delete_stored(document.file for document in documents)
    return queryset.delete()[0]


def _export(person: Any) -> dict[str, Any]:
    data: dict[str, Any] = {}
    applications = list(_applications(person))
    if applications:
        data["applications"] = [
            {
                **row_dict(application),
                "events": rows(ApplicationEvent.objects.filter(application=application)),
                "documents": rows(ApplicationDocument.objects.filter(application=application)),
            }
            for application in applications
        ]
    acted = links(person, [(ApplicationEvent, "actor"), (ApplicationNote, "author"), (Offer, "created_by")])
    if acted:
        data["acted_on_applications_and_offers"] = acted
    return data


def _files(person: Any) -> list[ExportFile]:
    files = []
    for document in ApplicationDocument.objects.filter(application__applicant=person).order_by("pk"):
        found = stored_file(
            document.file, f"bewerbungen/{document.application_id}-{safe_name(document.original_name)}"
        )
        if found is not None:
            files.append(found)
    return files


def _keep(person: Any, today: datetime.date) -> list[Kept]:
    kept = []
    open_count = _applications(person).filter(state__in=OPEN).count()
    if open_count:
        kept.append(
            Kept(
                what=_("Open applications"),
                why=_(
                    "The company is still deciding. Withdraw the application on its page; it is then erased"
                ),
                count=open_count,
            )
        )
    decided = [
        a for a in _applications(person).filter(state__in=DECIDED) if application_kept_until(a) >= today
    ]
    if decided:
        kept.append(
            Kept(
                what=_("Applications the company decided on"),
                why=_(
                    "Kept for the deadlines of a claim for discrimination (AGG § 15 Abs. 4, ArbGG § 61b): "
                    "DSGVO Art. 17 Abs. 3 lit. e"
                ),
                until=max(application_kept_until(a) for a in decided),
                count=len(decided),
            )
        )
    return kept


def _erase(person: Any, today: datetime.date) -> int:
    mine = _applications(person)
    gone = [
        a.pk
        for a in mine.filter(state__in=CLOSED)
        if not (a.state in DECIDED and application_kept_until(a) >= today)
    ]
    erased = _delete_applications(mine.filter(Q(state=Application.State.DRAFT) | Q(pk__in=gone)))
    erased += SeekerProfile.objects.filter(user=person).delete()[0]
    if person.email:
        erased += Offer.objects.filter(contact_email__iexact=person.email).update(
            contact_name="", contact_email="", contact_phone=""
        )
    return erased


def _erase_expired(today: datetime.date, dry_run: bool) -> int:
    cutoff = timezone.make_aware(
        datetime.datetime.combine(add_months(today, -KEEP_MONTHS), datetime.time.min)
    )
    old = Application.objects.filter(
        Q(state__in=CLOSED) | Q(state=Application.State.DRAFT), updated_at__lt=cutoff
    )
    return old.count() if dry_run else _delete_applications(old)


def _profiles_expired(today: datetime.date, dry_run: bool) -> int:
    cutoff = timezone.make_aware(
        datetime.datetime.combine(today.replace(year=today.year - INACTIVE_YEARS), datetime.time.min)
    )
    old = SeekerProfile.objects.filter(
        Q(user__last_login__lt=cutoff) | Q(user__last_login__isnull=True, user__date_joined__lt=cutoff)
    )
    return old.count() if dry_run else old.delete()[0]


def register() -> None:
    register_personal_data(
        PersonalData(
            key="offers.applications",
            models=(
                "offers.Application",
                "offers.ApplicationEvent",
                "offers.ApplicationNote",
                "offers.ApplicationDocument",
            ),
            label="Applications for training places: message, state, interview dates, steps with the company's "
            "messages, the company's internal notes, uploaded application documents",
            label_de="Bewerbungen und Bewerbungsunterlagen",
            purpose="Applying for a training place; the company's decision",
            legal_basis="DSGVO Art. 6 Abs. 1 lit. b (steps before a contract at the applicant's request); "
            "BDSG § 26 Abs. 1 (applicants are employees in the sense of § 26 Abs. 8 Satz 2)",
            seen_by="the applicant; company_admin and trainers of the offering company once sent (never a draft); "
            "internal notes only the company",
            retention=f"{KEEP_MONTHS} months after the application closed (declined, accepted, withdrawn); drafts "
            f"{KEEP_MONTHS} months after their last change",
            retention_source="AGG § 15 Abs. 4 (two months to claim in writing) and ArbGG § 61b Abs. 1 (three "
            "months to sue after the claim), with a margin: platform default",
            link="application.applicant; steps and notes name the staff who wrote them",
            export_how="JSON of each application with its steps and document list; the documents themselves",
            erase_how="deleted with their documents (files removed from private storage); decided ones are kept "
            "until their period ends (Art. 17 Abs. 3 lit. e), open ones until the company decided or the "
            "person withdraws",
            count=lambda person: _applications(person).count(),
            export=_export,
            files=_files,
            keep=_keep,
            erase=_erase,
            erase_expired=_erase_expired,
            order=40,
        ),
        PersonalData(
            key="offers.profile",
            models=("offers.SeekerProfile",),
            label="Search profile: postcode, school-leaving certificate, saved occupations",
            label_de="Suchprofil: Postleitzahl, Schulabschluss, gemerkte Berufe",
            purpose="Explaining why an offer fits; the saved occupations of the orientation",
            legal_basis="DSGVO Art. 6 Abs. 1 lit. b (the search the person uses); lit. e for the certificate "
            "the school records for its leavers (transition)",
            seen_by="the person; the school of a leaver (certificate); companies of offers the person applied to",
            retention=f"until the person erases it; erased when the account has not been used for "
            f"{INACTIVE_YEARS} years",
            retention_source="platform default for orientation data (DSGVO Art. 5 Abs. 1 lit. e): the orientation "
            "runs through the last school years",
            link="profile.user",
            export_how="JSON of the profile with the saved occupations' ids",
            erase_how="deleted",
            count=lambda person: SeekerProfile.objects.filter(user=person).count(),
            export=lambda person: rows(SeekerProfile.objects.filter(user=person)),
            erase_expired=_profiles_expired,
            order=31,
        ),
        PersonalData(
            key="offers.contact",
            models=("offers.Offer",),
            label="Contact person of a training offer (name, e-mail, phone), and who created the offer",
            label_de="Ansprechperson einer Ausbildungsstelle",
            purpose="Applicants can reach the company",
            legal_basis="DSGVO Art. 6 Abs. 1 lit. f (the company's interest in being reached about its offer)",
            seen_by="everyone while the offer is published",
            retention="as long as the company keeps the offer",
            retention_source="the company's decision (it publishes, closes and deletes its offers)",
            link="contact e-mail = the person's e-mail address; offer.created_by",
            export_how="the offers the person created are listed by id",
            erase_how="contact fields emptied where the contact e-mail is the person's",
            count=lambda person: Offer.objects.filter(created_by=person).count(),
            order=45,
        ),
    )
    register_not_personal(
        {
            "offers.OfferSearch": "the search text of offers (occupation, title, place), no persons",
            "offers.ImportedCompany": "employers known from the Bundesagentur's Jobsuche (companies)",
        }
    )
