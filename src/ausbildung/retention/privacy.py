"""The personal data of dropout prevention (core.privacy registry).

- Check-ins and requests for a talk: the apprentice's own, given voluntarily (DSGVO Art. 6 Abs. 1 lit. a);
  erased on request at once, otherwise one year after the contract ended (platform default: the follow-up after
  a dissolution looks 12 months ahead).
- The consent to the chamber's advisers: kept as proof until the end of the 3rd year after its withdrawal (BGB
  § 195, § 199 Abs. 1 for claims under DSGVO Art. 82), as transition's consents; an erasure request withdraws it.
- The company's intervention log, the vocational school's notes and the facts of a dissolution: about the
  apprentice, written by staff; erased on request and one year after the contract ended (platform default).
- The nightly scores (`Assessment`): computed, never shown individually (the chamber's figures and the score's
  quality check count them); the latest day and the first of each month are kept 36 months for the quality
  check, which needs the scores of past days and what followed; erased on request.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ausbildung.core.models import TrainingContract
from ausbildung.core.privacy import Kept, PersonalData, register_not_personal, register_personal_data
from ausbildung.core.privacy.rows import end_of_year_plus, links, links_count, rows, start_of_day
from ausbildung.core.services import add_months

from .models import (
    Assessment,
    ChamberConsent,
    CheckIn,
    Dissolution,
    Intervention,
    SchoolNote,
    TalkRequest,
)

CONSENT_PROOF_YEARS = 3  # BGB § 195 with § 199 Abs. 1 (claims under DSGVO Art. 82)
KEEP_AFTER_END_YEARS = 1
OWN = (CheckIn, TalkRequest)
ABOUT = (Intervention, SchoolNote, Dissolution)
STAFF_LINKS = [
    (Intervention, "author"),
    (SchoolNote, "author"),
    (Dissolution, "recorded_by"),
    (TalkRequest, "closed_by"),
    (ChamberConsent, "guardian_confirmed_by"),
]


def _of(model, person: Any):
    return model.objects.filter(contract__apprentice=person).order_by("pk")


def _consent_kept_until(consent: ChamberConsent) -> datetime.date | None:
    if consent.withdrawn_at is None:
        return None
    return end_of_year_plus(timezone.localdate(consent.withdrawn_at), CONSENT_PROOF_YEARS)


def _export(person: Any) -> dict[str, Any]:
    data = {
        "check_ins": rows(_of(CheckIn, person)),
        "talk_requests": rows(_of(TalkRequest, person)),
        "chamber_consents": rows(_of(ChamberConsent, person)),
        "interventions": rows(_of(Intervention, person)),
        "school_notes": rows(_of(SchoolNote, person)),
        "dissolutions": rows(_of(Dissolution, person)),
        "acted_for_others": links(person, STAFF_LINKS),
    }
    return {key: value for key, value in data.items() if value}


def _count(person: Any) -> int:
    models = (*OWN, *ABOUT, ChamberConsent)
    return sum(_of(model, person).count() for model in models) + links_count(person, STAFF_LINKS)


def _keep(person: Any, today: datetime.date) -> list[Kept]:
    consents = list(_of(ChamberConsent, person))
    if not consents:
        return []
    until = max(_consent_kept_until(c) or end_of_year_plus(today, CONSENT_PROOF_YEARS) for c in consents)
    return [
        Kept(
            what=_(
                "Consents that the chamber's training advisers see your signals (withdrawn with the request)"
            ),
            why=_("Proof of the consent while it was valid (DSGVO Art. 7 Abs. 1): Art. 17 Abs. 3 lit. e"),
            until=until,
            count=len(consents),
        )
    ]


def _erase(person: Any, today: datetime.date) -> int:
    erased = sum(_of(model, person).delete()[0] for model in (*OWN, *ABOUT))
    now = timezone.now()
    _of(ChamberConsent, person).filter(withdrawn_at__isnull=True).update(withdrawn_at=now)
    expired = [c.pk for c in _of(ChamberConsent, person) if (_consent_kept_until(c) or today) < today]
    erased += ChamberConsent.objects.filter(pk__in=expired).delete()[0]
    return erased


def _erase_expired(today: datetime.date, dry_run: bool) -> int:
    ended_before = today.replace(year=today.year - KEEP_AFTER_END_YEARS)
    ended = TrainingContract.objects.filter(
        Q(status=TrainingContract.Status.DISSOLVED, dissolved_on__lt=ended_before)
        | Q(status=TrainingContract.Status.COMPLETED, end_date__lt=ended_before)
    ).values("pk")
    querysets: list[QuerySet[Any]] = [model.objects.filter(contract__in=ended) for model in (*OWN, *ABOUT)]
    withdrawn_before = start_of_day(datetime.date(today.year - CONSENT_PROOF_YEARS, 1, 1))
    querysets.append(ChamberConsent.objects.filter(withdrawn_at__lt=withdrawn_before))
    if dry_run:
        return sum(queryset.count() for queryset in querysets)
    return sum(queryset.delete()[0] for queryset in querysets)


def register() -> None:
    register_personal_data(
        PersonalData(
            key="retention",
            models=(
                "retention.CheckIn",
                "retention.TalkRequest",
                "retention.ChamberConsent",
                "retention.Intervention",
                "retention.SchoolNote",
                "retention.Dissolution",
            ),
            label="Dropout prevention: private check-ins, requests for a talk, the consent to the chamber's "
            "advisers, the company's and chamber's steps, the vocational school's notes, the facts of a "
            "dissolution",
            label_de="Ausbildung sichern: Check-ins, Gesprächswünsche, Schritte, Notizen der Berufsschule",
            purpose="Notice early when a training may fail, and offer a talk and help (never a decision against "
            "the apprentice, DSGVO Art. 22)",
            legal_basis="check-ins, requests and the consent: DSGVO Art. 6 Abs. 1 lit. a (voluntary); the steps "
            "and notes of company, chamber and school: Art. 6 Abs. 1 lit. b with BBiG § 14 (the company's duty "
            "to train) and lit. e with BBiG § 76 (the chamber's advice)",
            seen_by="check-in answers: the apprentice only; that a talk is wanted: its addressee; the signals: "
            "the company's training lead and trainers, the chamber's advisers individually only on request or "
            "with consent; the school's notes: the school, the company and the chamber",
            retention=f"until {KEEP_AFTER_END_YEARS} year after the contract ended; consents as proof until the "
            f"end of the {CONSENT_PROOF_YEARS}rd year after their withdrawal",
            retention_source="platform default (the follow-up after a dissolution looks 12 months ahead); "
            "consents: BGB § 195, § 199 Abs. 1",
            link="row.contract.apprentice; author, recorded_by and closed_by name the staff",
            export_how="JSON of the rows",
            erase_how="deleted on request, consents withdrawn and kept as proof",
            count=_count,
            export=_export,
            keep=_keep,
            erase=_erase,
            erase_expired=_erase_expired,
            order=60,
        )
    )


def _scores(person: Any):
    return Assessment.objects.filter(contract__apprentice=person).order_by("day", "contract_id")


def _erase_expired_scores(today: datetime.date, dry_run: bool) -> int:
    old = Assessment.objects.filter(day__lt=add_months(today, -Assessment.HISTORY_MONTHS))
    return old.count() if dry_run else old.delete()[0]


def register_scores() -> None:
    register_personal_data(
        PersonalData(
            key="retention_scores",
            models=("retention.Assessment",),
            label="Dropout prevention: the nightly scores of a contract (points, level and the signals' names "
            "others may see; never the check-in answers)",
            label_de="Ausbildung sichern: nächtliche Einschätzungen (Punkte, Stufe, Namen der Hinweise)",
            purpose="The chamber's figures per occupation and the check how well the score ranks the contracts "
            "dissolved afterwards (retention.quality); never shown for one person",
            legal_basis="DSGVO Art. 6 Abs. 1 lit. e with BBiG § 76 (the chamber's supervision and advice); "
            "Art. 89 for the quality check",
            seen_by="nobody individually: counted for the chamber's figures and the quality check",
            retention=f"the latest day and the first day of each month, {Assessment.HISTORY_MONTHS} months",
            retention_source="platform default (the quality check compares scores with the six months after "
            "them, over the last year of scored days)",
            link="row.contract.apprentice",
            export_how="JSON of the rows",
            erase_how="deleted on request",
            count=lambda person: _scores(person).count(),
            export=lambda person: {"scores": rows(_scores(person))} if _scores(person).exists() else {},
            keep=lambda person, today: [],
            erase=lambda person, today: _scores(person).delete()[0],
            erase_expired=_erase_expired_scores,
            order=61,
        )
    )
    register_not_personal(
        {
            "retention.AssessmentRun": "when the nightly scoring ran and its counts, no persons",
            "retention.QualityCheck": "the score's quality as figures over all contracts, no persons",
        }
    )
