"""The personal data of the transition from school to training (core.privacy registry).

- Consents: the controller must be able to demonstrate a consent (DSGVO Art. 7 Abs. 1), also after it was
  withdrawn, for the processing that happened under it. Kept until the end of the 3rd year after the year of
  the withdrawal: the regular limitation period (BGB § 195 from the end of the year, § 199 Abs. 1) of claims
  for unlawful processing (DSGVO Art. 82) — the platform's justified default. An erasure request withdraws a
  valid consent (Art. 7 Abs. 3, Art. 17 Abs. 1 lit. b) and keeps it as proof until then (Art. 17 Abs. 3
  lit. e); requests never confirmed and consents recorded without evidence prove nothing and go at once.
- Cases: processed only with a valid consent; an erasure request (which withdraws it) erases them; closed
  cases are erased `CASE_KEEP_YEARS` year after closing (platform default: the follow-up of a young person
  ends with the next step secured).
- Destinations (Verbleib): the school's record of where its leavers went, a task of the school (DSGVO Art. 6
  Abs. 1 lit. e); kept `DESTINATION_KEEP_YEARS` year after the leaving date, through the autumn's follow-up
  and clearing rounds (platform default), also on request (Art. 17 Abs. 3 lit. b).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ausbildung.core.privacy import ExportFile, Kept, PersonalData, register_personal_data
from ausbildung.core.privacy.rows import (
    delete_stored,
    end_of_year_plus,
    links,
    links_count,
    row_dict,
    rows,
    safe_name,
    stored_file,
)

from . import services
from .models import Case, CaseContact, CaseStep, Consent, Destination, Referral

CONSENT_PROOF_YEARS = 3  # BGB § 195 with § 199 Abs. 1 (claims under DSGVO Art. 82)
CASE_KEEP_YEARS = 1
DESTINATION_KEEP_YEARS = 1
STAFF_LINKS = [
    (Consent, "recorded_by"),
    (Consent, "guardian_confirmed_by"),
    (Case, "counsellor"),
    (CaseContact, "author"),
    (CaseStep, "created_by"),
    (Referral, "created_by"),
    (Destination, "updated_by"),
]


def consent_kept_until(consent: Consent) -> datetime.date | None:
    return end_of_year_plus(consent.withdrawn_on, CONSENT_PROOF_YEARS) if consent.withdrawn_on else None


def _proves_something(consent: Consent) -> bool:
    """Only a consent that was given (with evidence) needs proof; a request nobody confirmed does not."""
    return consent.method != Consent.Method.LEGACY and consent.person_consented_on is not None


def _delete_consents(queryset) -> int:
    delete_stored(consent.evidence for consent in queryset)
    return queryset.delete()[0]


def destination_kept_until(destination: Destination) -> datetime.date:
    return destination.leaving_date.replace(year=destination.leaving_date.year + DESTINATION_KEEP_YEARS)


def _cases(person: Any):
    return Case.objects.filter(person=person).order_by("pk")


def _export(person: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "destinations": rows(Destination.objects.filter(pupil=person)),
        "consents": rows(Consent.objects.filter(person=person), exclude=("evidence_sha256",)),
        "cases": [
            {
                **row_dict(case),
                "contacts": rows(CaseContact.objects.filter(case=case)),
                "steps": rows(CaseStep.objects.filter(case=case)),
                "referrals": rows(Referral.objects.filter(case=case)),
            }
            for case in _cases(person)
        ],
        "acted_for_others": links(person, STAFF_LINKS),
    }
    return {key: value for key, value in data.items() if value}


def _files(person: Any) -> list[ExportFile]:
    files = []
    for consent in Consent.objects.filter(person=person).exclude(evidence="").order_by("pk"):
        found = stored_file(
            consent.evidence, f"einwilligungen/{consent.pk}-{safe_name(consent.evidence_name)}"
        )
        if found is not None:
            files.append(found)
    return files


def _count(person: Any) -> int:
    return (
        Destination.objects.filter(pupil=person).count()
        + Consent.objects.filter(person=person).count()
        + _cases(person).count()
        + links_count(person, STAFF_LINKS)
    )


def _keep(person: Any, today: datetime.date) -> list[Kept]:
    kept = []
    consents = [c for c in Consent.objects.filter(person=person) if _proves_something(c)]
    if consents:
        untils = [consent_kept_until(c) or end_of_year_plus(today, CONSENT_PROOF_YEARS) for c in consents]
        if max(untils) >= today:
            kept.append(
                Kept(
                    what=_(
                        "Consents to share data with the career guidance agency (withdrawn with the request)"
                    ),
                    why=_(
                        "Proof of the consent for what was shared while it was valid (DSGVO Art. 7 Abs. 1): "
                        "Art. 17 Abs. 3 lit. e"
                    ),
                    until=max(untils),
                    count=len(consents),
                )
            )
    destinations = [d for d in Destination.objects.filter(pupil=person) if destination_kept_until(d) >= today]
    if destinations:
        kept.append(
            Kept(
                what=_("Your school's record of your next step after school (Verbleib)"),
                why=_("A task of the school in the public interest: DSGVO Art. 17 Abs. 3 lit. b"),
                until=max(destination_kept_until(d) for d in destinations),
                count=len(destinations),
            )
        )
    return kept


def _erase(person: Any, today: datetime.date) -> int:
    erased = _cases(person).delete()[0]
    consents = Consent.objects.filter(person=person)
    for consent in consents.filter(withdrawn_on__isnull=True):
        if _proves_something(consent):
            services.consent_withdraw(actor=person, consent=consent, on=today)
    unproven = [c.pk for c in consents if not _proves_something(c)]
    expired = [c.pk for c in consents if c.withdrawn_on and consent_kept_until(c) < today]  # type: ignore[operator]
    erased += _delete_consents(Consent.objects.filter(pk__in=[*unproven, *expired]))
    erased += Destination.objects.filter(
        pupil=person, leaving_date__lt=today.replace(year=today.year - DESTINATION_KEEP_YEARS)
    ).delete()[0]
    return erased


def _erase_expired(today: datetime.date, dry_run: bool) -> int:
    consents = Consent.objects.filter(withdrawn_on__lt=datetime.date(today.year - CONSENT_PROOF_YEARS, 1, 1))
    closed_before = timezone.make_aware(
        datetime.datetime.combine(today.replace(year=today.year - CASE_KEEP_YEARS), datetime.time.min)
    )
    cases = Case.objects.filter(status=Case.Status.CLOSED, closed_at__lt=closed_before)
    destinations = Destination.objects.filter(
        leaving_date__lt=today.replace(year=today.year - DESTINATION_KEEP_YEARS)
    )
    if dry_run:
        return consents.count() + cases.count() + destinations.count()
    return _delete_consents(consents) + cases.delete()[0] + destinations.delete()[0]


def register() -> None:
    register_personal_data(
        PersonalData(
            key="transition.destinations",
            models=("transition.Destination",),
            label="Destination after school (Verbleib): class, leaving date, planned and actual next step",
            label_de="Verbleib nach der Schule",
            purpose="The school follows where its leavers go; figures for the district",
            legal_basis="DSGVO Art. 6 Abs. 1 lit. e with the Land's school law; SGB III § 31a (follow-up of "
            "leavers without a next step)",
            seen_by="teachers of the leaver's school; counsellors of the district: figures, the name only with a "
            "valid consent; monitors: figures only",
            retention=f"{DESTINATION_KEEP_YEARS} year after the leaving date",
            retention_source="platform default: through the follow-up and clearing rounds of the autumn after "
            "leaving; kept on request (Art. 17 Abs. 3 lit. b)",
            link="destination.pupil; updated_by names the teacher",
            export_how="JSON of the destinations",
            erase_how="deleted after the period",
            count=lambda person: Destination.objects.filter(pupil=person).count(),
            export=lambda person: rows(Destination.objects.filter(pupil=person)),
            erase_expired=lambda today, dry_run: 0,  # in transition.consents' job, one pass for the area
            order=50,
        ),
        PersonalData(
            key="transition.consents",
            models=(
                "transition.Consent",
                "transition.Case",
                "transition.CaseContact",
                "transition.CaseStep",
                "transition.Referral",
            ),
            label="Consents to share data between school and career guidance agency (with the signed form), and "
            "the counsellor's cases: contacts, agreed steps, referrals",
            label_de="Einwilligungen und Fallbegleitung der Jugendberufsagentur",
            purpose="Follow-up of young people without a secured next step by the career guidance agency",
            legal_basis="DSGVO Art. 6 Abs. 1 lit. a with Art. 7 (and the legal representative's consent for "
            "minors); SGB III § 31a (information to young people without a next step)",
            seen_by="the young person and their guardian; teachers of the school; counsellors of the agency only "
            "while the consent is valid",
            retention=f"consents: {CONSENT_PROOF_YEARS} years after the end of the year of the withdrawal; cases: "
            f"{CASE_KEEP_YEARS} year after closing, at once on request",
            retention_source="consents: proof under DSGVO Art. 7 Abs. 1 for the regular limitation period (BGB "
            "§ 195, § 199 Abs. 1) of claims under Art. 82, platform default; cases: platform default",
            link="consent.person, case.person; the counsellor, author and recorder by foreign key",
            export_how="JSON of consents, cases with contacts, steps and referrals; the signed consent forms",
            erase_how="on request a valid consent is withdrawn and kept as proof until its period ends, requests "
            "never confirmed are deleted, cases deleted; the signed form's file is removed with its consent",
            count=_count,
            export=_export,
            files=_files,
            keep=_keep,
            erase=_erase,
            erase_expired=_erase_expired,
            order=51,
        ),
    )
