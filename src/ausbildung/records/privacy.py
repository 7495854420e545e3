"""The personal data of the record book (core.privacy registry): what it is, how long it is kept, how it is
copied and erased.

Retention. The signed Ausbildungsnachweis is the evidence that admits to the final exam (BBiG § 43 Abs. 1
Nr. 2; kept by the apprentice, § 13 Satz 2 Nr. 7, reviewed by the employer, § 14 Abs. 2). No statute sets how
long a platform keeps it after the training, so each chamber sets it (`ChamberRules.record_retention_years`)
and the platform's default is 3 years after the end of the year in which the contract ended: the regular
limitation period (BGB § 195, running from the end of the year, § 199 Abs. 1) of claims from the training
relationship, among them the claim to the certificate (BBiG § 16), for which the book is the evidence. This is
the platform's justified default, not a statutory period. Until then an erasure request keeps the book
(DSGVO Art. 17 Abs. 3 lit. b and e), as it keeps the book of a contract that has not ended.

Erasure after the period (`book_erase`) removes the whole book and its contract together (never a part of a
chain), writes a `records.book_erase` audit row (counts and the head's sequence, no content) and an `erase`
line in the anchor log, so `ausbildung records verify` knows the absence is recorded, not tampering.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ausbildung.core.models import ContractTrainer, TrainingContract
from ausbildung.core.privacy import (
    ExportFile,
    Kept,
    PersonalData,
    register_not_personal,
    register_personal_data,
)
from ausbildung.core.privacy.rows import end_of_year_plus, links, links_count
from ausbildung.core.services import audit_record

from . import integrity
from .models import (
    ChamberRules,
    ExaminerShare,
    GuardianAcknowledgement,
    RecordEvent,
    RecordPeriod,
    RecordSignature,
)

DEFAULT_RETENTION_YEARS = 3  # see the module docstring: BGB § 195 with § 199 Abs. 1, for BBiG § 16 claims

ACTED_ON = [
    (RecordSignature, "signer"),
    (RecordEvent, "actor"),
    (GuardianAcknowledgement, "guardian"),
    (ExaminerShare, "created_by"),
    (ExaminerShare, "revoked_by"),
    (ContractTrainer, "trainer"),
]


def contract_ended_on(contract: TrainingContract) -> datetime.date:
    """The day the training relationship ended: dissolved (BBiG § 22) or the agreed end (BBiG § 21)."""
    if contract.status == TrainingContract.Status.DISSOLVED and contract.dissolved_on:
        return contract.dissolved_on
    return contract.end_date


def retention_years(contract: TrainingContract) -> int:
    rules = ChamberRules.objects.filter(chamber_id=contract.chamber_id).only("record_retention_years").first()
    return rules.record_retention_years if rules is not None else DEFAULT_RETENTION_YEARS


def kept_until(contract: TrainingContract) -> datetime.date:
    """The last day the book is kept: the end of the year `retention_years` after the contract ended."""
    return end_of_year_plus(contract_ended_on(contract), retention_years(contract))


def is_expired(contract: TrainingContract, today: datetime.date) -> bool:
    return contract_ended_on(contract) < today and kept_until(contract) < today


@transaction.atomic
def book_erase(contract: TrainingContract, *, today: datetime.date) -> int:
    """Delete a contract with its whole record book after the retention period. Returns the rows deleted."""
    head = integrity.chain_head(contract)
    periods = RecordPeriod.objects.filter(contract=contract)
    summary = {
        "periods": periods.count(),
        "signatures": RecordSignature.objects.filter(contract=contract).count(),
        "head_sequence": head.sequence if head else None,
        "ended_on": contract_ended_on(contract).isoformat(),
        "kept_until": kept_until(contract).isoformat(),
        "retention_years": retention_years(contract),
    }
    audit_record(
        actor=None,
        action="records.book_erase",
        target=contract,
        summary=f"record book of contract #{contract.pk} erased after its retention period",
        changes=summary,
    )
    contract_id = contract.pk
    deleted = RecordSignature.objects.filter(contract=contract).delete()[0]  # the link protects its period
    deleted += periods.delete()[0]
    deleted += contract.delete()[0]
    if head is not None:
        integrity.anchor_on_commit(
            kind=integrity.ERASE,
            contract_id=contract_id,
            sequence=head.sequence,
            period_id=0,
            head=head.chain_hash,
        )
    return deleted


def _contracts_of(person: Any):
    return (
        TrainingContract.objects.filter(apprentice=person).select_related("apprentice").order_by("start_date")
    )


def _export(person: Any) -> list[dict[str, Any]]:
    from .exporters import export_dict

    books = [export_dict(contract) for contract in _contracts_of(person)]
    acted = links(person, ACTED_ON)
    return [*books, *([{"acted_in_record_books": acted}] if acted else [])]


def _files(person: Any) -> list[ExportFile]:
    from .exporters import PdfUnavailable, file_name, render_pdf

    files = []
    for contract in _contracts_of(person):
        if not RecordPeriod.objects.filter(contract=contract).exists():
            continue
        try:
            files.append(ExportFile(name=file_name(contract, "pdf"), content=render_pdf(contract)))
        except PdfUnavailable:
            continue  # the JSON copy holds the same content
    return files


def _count(person: Any) -> int:
    return RecordPeriod.objects.filter(contract__apprentice=person).count() + links_count(person, ACTED_ON)


def _keep(person: Any, today: datetime.date) -> list[Kept]:
    kept = []
    why_own = _(
        "Evidence of the training (BBiG § 13, § 43 Abs. 1 Nr. 2) and of claims from it such as the certificate "
        "(BBiG § 16): kept by law and for legal claims, DSGVO Art. 17 Abs. 3 lit. b and e"
    )
    for contract in _contracts_of(person):
        if not is_expired(contract, today):
            ended = contract_ended_on(contract) < today
            kept.append(
                Kept(
                    what=_("Training contract and record book (%(occupation)s, from %(start)s)")
                    % {"occupation": contract.occupation, "start": contract.start_date.strftime("%d.%m.%Y")},
                    why=why_own if ended else _("The training contract has not ended yet.") + " " + why_own,
                    until=kept_until(contract),
                )
            )
    # Signatures, acknowledgements and examiner links a person gave are part of other people's books: the
    # account keeps its name until those books are erased (a signature is never changed silently).
    others = (
        TrainingContract.objects.filter(
            Q(record_signatures__signer=person)
            | Q(guardian_acknowledgements__guardian=person)
            | Q(examiner_shares__created_by=person)
        )
        .exclude(apprentice=person)
        .distinct()
    )
    books = [contract for contract in others if not is_expired(contract, today)]
    if books:
        kept.append(
            Kept(
                what=_("Your name on signatures and acknowledgements in record books of others"),
                why=_(
                    "Part of the evidence of those books (BBiG § 43 Abs. 1 Nr. 2), which are kept for their "
                    "retention period: DSGVO Art. 17 Abs. 3 lit. b and e"
                ),
                until=max(kept_until(contract) for contract in books),
                count=len(books),
            )
        )
    return kept


def _erase(person: Any, today: datetime.date) -> int:
    """On request: only books whose period has already passed (the daily job would erase them anyway)."""
    return sum(book_erase(c, today=today) for c in _contracts_of(person) if is_expired(c, today))


def _erase_expired(today: datetime.date, dry_run: bool) -> int:
    candidates = TrainingContract.objects.filter(
        Q(end_date__lt=today) | Q(status=TrainingContract.Status.DISSOLVED, dissolved_on__lt=today)
    ).order_by("pk")
    expired = [contract for contract in candidates if is_expired(contract, today)]
    if dry_run:
        return len(expired)
    for contract in expired:
        book_erase(contract, today=today)
    return len(expired)


def register() -> None:
    register_personal_data(
        PersonalData(
            key="records.book",
            models=(
                "core.TrainingContract",
                "core.ContractTrainer",
                "records.RecordPeriod",
                "records.RecordDay",
                "records.RecordSignature",
                "records.RecordEvent",
                "records.GuardianAcknowledgement",
                "records.ExaminerShare",
                "records.WorkingTimeFinding",
                "records.RecordPdfPart",
            ),
            label="Training contract and record book (Ausbildungsnachweis): contract facts, days and weeks "
            "written, hours, signatures and their chain, comments, guardians' acknowledgements, examiner links, "
            "working-time findings",
            label_de="Ausbildungsvertrag und Ausbildungsnachweis (Berichtsheft)",
            purpose="The training record the apprentice keeps and the trainer signs; evidence for the admission "
            "to the final exam; working-time protection",
            legal_basis="DSGVO Art. 6 Abs. 1 lit. b (training contract) and lit. c with BBiG § 11 (contract), "
            "§ 13 Satz 2 Nr. 7, § 14 Abs. 2, § 43 Abs. 1 Nr. 2 (record book), § 34-36 (chamber register); "
            "JArbSchG and ArbZG (working time)",
            seen_by="the apprentice; their guardian while a minor; assigned trainers, company_admin, the chamber "
            "(chamber_officer), platform_admin; vocational school teachers the school section only; examiners "
            "through a time-limited link",
            retention="contract ended + until the end of the year N years later; N per chamber "
            "(ChamberRules.record_retention_years), default 3; open contracts are kept",
            retention_source="platform's justified default, not a statutory period: the regular limitation "
            "period BGB § 195 from the end of the year (§ 199 Abs. 1) of claims from the training relationship, "
            "including the certificate (BBiG § 16); kept on request under DSGVO Art. 17 Abs. 3 lit. b and e",
            link="contract.apprentice; signatures, events, acknowledgements, links and trainer assignments name "
            "the staff or guardian who acted",
            export_how="JSON personal copy of each book (format ausbildung.record-book) and the book as PDF; "
            "for staff and guardians the list of entries they made",
            erase_how="after the period the whole contract with its book and signature chain is deleted, "
            "recorded as 'records.book_erase' in the audit log and as an 'erase' line in the anchor log, which "
            "'records verify' accepts",
            count=_count,
            export=_export,
            files=_files,
            keep=_keep,
            erase=_erase,
            erase_expired=_erase_expired,
            order=20,
        )
    )
    register_not_personal({"records.ChamberRules": "the chambers' rules for record books, no persons"})
