"""The personal data of the clearing rounds (core.privacy registry): an applicant's participation (certificate,
message), their ranking of offers, the companies' ranking of them and the result.

Kept `KEEP_MONTHS` months after the round's result was published, the applications' rule (AGG § 15 Abs. 4,
ArbGG § 61b Abs. 1): a round's result is a decision on applications. On request a participation in a round
that is still open for ranking (or a draft) is erased at once; one whose ranking has closed stays with the
round's result until the period ends (DSGVO Art. 17 Abs. 3 lit. e).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ausbildung.core.privacy import Kept, PersonalData, register_personal_data
from ausbildung.core.privacy.rows import add_months, links, row_dict, rows

from .models import ApplicantChoice, ClearingRound, Participant, Result, RoundOffer

KEEP_MONTHS = 6
OPEN_STATES = {ClearingRound.Status.DRAFT, ClearingRound.Status.OPEN}


def kept_until(round_: ClearingRound) -> datetime.date | None:
    if round_.published_at is None:
        return None
    return add_months(timezone.localdate(round_.published_at), KEEP_MONTHS)


def _participations(person: Any):
    return Participant.objects.filter(pupil=person).select_related("round").order_by("pk")


def _export(person: Any) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = [
        {
            **row_dict(participant),
            "choices": rows(ApplicantChoice.objects.filter(participant=participant)),
            "result": rows(Result.objects.filter(participant=participant)),
        }
        for participant in _participations(person)
    ]
    acted = links(person, [(ClearingRound, "created_by"), (RoundOffer, "added_by")])
    return [*data, *([{"acted_in_clearing_rounds": acted}] if acted else [])]


def _keep(person: Any, today: datetime.date) -> list[Kept]:
    held = [p for p in _participations(person) if p.round.status not in OPEN_STATES]
    held = [p for p in held if (kept_until(p.round) or today) >= today]
    if not held:
        return []
    untils = [kept_until(p.round) for p in held]
    return [
        Kept(
            what=_("Participation in clearing rounds whose ranking has closed"),
            why=_(
                "Part of the round's result, a decision on applications (AGG § 15 Abs. 4, ArbGG § 61b): "
                "DSGVO Art. 17 Abs. 3 lit. e"
            ),
            until=None if None in untils else max(u for u in untils if u is not None),
            count=len(held),
        )
    ]


def _erase(person: Any, today: datetime.date) -> int:
    gone = [
        p.pk
        for p in _participations(person)
        if p.round.status in OPEN_STATES or ((until := kept_until(p.round)) is not None and until < today)
    ]
    return Participant.objects.filter(pk__in=gone).delete()[0]


def _erase_expired(today: datetime.date, dry_run: bool) -> int:
    cutoff = timezone.make_aware(
        datetime.datetime.combine(add_months(today, -KEEP_MONTHS), datetime.time.min)
    )
    old = Participant.objects.filter(Q(round__published_at__lt=cutoff))
    return old.count() if dry_run else old.delete()[0]


def register() -> None:
    register_personal_data(
        PersonalData(
            key="clearing.participants",
            models=(
                "clearing.Participant",
                "clearing.ApplicantChoice",
                "clearing.CompanyRanking",
                "clearing.Result",
                "clearing.ClearingRound",
                "clearing.RoundOffer",
            ),
            label="Clearing rounds: the applicant's participation (certificate, message), their ranking of "
            "offers, the companies' ranking of them, the result; who created a round or added an offer",
            label_de="Nachvermittlung (Clearing-Runden): Teilnahme, Rangfolgen, Ergebnis",
            purpose="Stable matching of applicants without a place and open offers after the main season",
            legal_basis="DSGVO Art. 6 Abs. 1 lit. b (steps at the applicant's request); SGB III § 35 (placement) "
            "for rounds run by a guidance agency",
            seen_by="the applicant (own ranking and result); companies of the offers the applicant chose (name, "
            "certificate, message); the organiser (chamber_officer, counsellor): figures, no names in the report",
            retention=f"{KEEP_MONTHS} months after the round's result was published",
            retention_source="platform default following the applications' rule (AGG § 15 Abs. 4, ArbGG § 61b)",
            link="participant.pupil; rankings and result through the participation; created_by / added_by",
            export_how="JSON of each participation with its ranking and result",
            erase_how="deleted (with its rankings and result); kept on request once the ranking has closed",
            count=lambda person: _participations(person).count(),
            export=_export,
            keep=_keep,
            erase=_erase,
            erase_expired=_erase_expired,
            order=60,
        )
    )
