"""Writes of the self-check: filing the request with the competent chamber, and the chamber's handling.

Keyword-only and atomic; each writes its audit row. Domain checks raise `ValidationError` keyed by form field.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ausbildung.core.chambers import competent_chambers
from ausbildung.core.models import Organisation, Region, Role, User
from ausbildung.core.permissions import organisations_for
from ausbildung.core.services import audit_record

from . import check
from .models import ContentsOnSite, OnboardingRequest, TrainerQualification


def company_region(company: Organisation) -> Region | None:
    """The company's Kreis; without one, the Kreis of its first active training site."""
    if company.region_id:
        return company.region
    site = company.training_sites.filter(is_active=True, region__isnull=False).order_by("pk").first()
    return site.region if site else None


def onboarding_validate(*, actor: User, answers: check.Answers) -> dict[Organisation, list]:
    """Check the answers; return the occupations grouped by their competent chamber (most likely first)."""
    errors: dict[str, list[str]] = {}
    if not organisations_for(actor, Role.COMPANY_ADMIN).filter(pk=answers.company.pk).exists():
        errors.setdefault("company", []).append(_("You do not act for this company."))
    if not answers.occupations:
        errors.setdefault("occupations", []).append(_("Please choose at least one occupation."))
    if answers.skilled_staff < 0:
        errors.setdefault("skilled_staff", []).append(_("The number cannot be negative."))
    if answers.trainer not in TrainerQualification.values:
        errors.setdefault("trainer", []).append(_("Please choose an answer."))
    if answers.contents not in ContentsOnSite.values:
        errors.setdefault("contents", []).append(_("Please choose an answer."))
    if not answers.activity.strip():
        errors.setdefault("activity", []).append(_("Please describe briefly what your company does."))
    if errors:
        raise ValidationError(errors)
    region = company_region(answers.company)
    groups: dict[Organisation, list] = {}
    missing = []
    for occupation in answers.occupations:
        chambers = competent_chambers(occupation=occupation, region=region)
        if not chambers:
            missing.append(occupation.name)
            continue
        groups.setdefault(chambers[0], []).append(occupation)
    if missing:
        raise ValidationError(
            {
                "occupations": _(
                    "No chamber on this platform is competent for %(names)s in your company's region "
                    "(BBiG § 71, HwO § 91). Please contact your chamber directly."
                )
                % {"names": ", ".join(missing)}
            }
        )
    return groups


@transaction.atomic
def onboarding_request_submit(*, actor: User, answers: check.Answers) -> list[OnboardingRequest]:
    """File the self-check with the competent chamber: one request per chamber (occupations of crafts and of
    industry may belong to different chambers)."""
    groups = onboarding_validate(actor=actor, answers=answers)
    summary = check.result_summary(check.evaluate(answers))
    requests = []
    for chamber, occupations in groups.items():
        request = OnboardingRequest.objects.create(
            company=answers.company,
            chamber=chamber,
            activity=answers.activity.strip(),
            skilled_staff=answers.skilled_staff,
            trainer=answers.trainer,
            contents=answers.contents,
            asa_interest=answers.asa_interest,
            result=summary,
            created_by=actor,
        )
        request.occupations.set(occupations)
        audit_record(
            actor=actor,
            action="onboarding_request.submit",
            target=request,
            summary=f"{answers.company.name} → {chamber.name}",
            changes={"occupations": [o.slug for o in occupations], "result": summary},
        )
        requests.append(request)
    return requests


@transaction.atomic
def onboarding_request_handle(
    *, actor: User, request: OnboardingRequest, status: str, note: str
) -> OnboardingRequest:
    """The chamber sets the status and its note (the request must already be in the officer's scope)."""
    if status not in OnboardingRequest.Status.values:
        raise ValidationError({"status": _("Please choose a status.")})
    changes: dict[str, object] = {}
    if request.status != status:
        changes["status"] = [request.status, status]
    if request.chamber_note != note:
        changes["chamber_note"] = "changed"
    request.status = status
    request.chamber_note = note
    request.save(update_fields=["status", "chamber_note", "updated_at"])
    audit_record(
        actor=actor,
        action="onboarding_request.handle",
        target=request,
        summary=request.get_status_display(),
        changes=changes,
    )
    return request
