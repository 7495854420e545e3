"""Reading a record book for its exports: the contract and every period with days, items and signatures in a
fixed number of queries (whatever the number of periods), and the evidence every export states.

Evidence: an export states the head of the contract's signature chain (its newest link: sequence and chain
hash) and a verification code (the head's first 80 bits, `records.integrity`); the PDF prints the code and a
QR code leading to the public page `records:verify`, which says whether the signed periods are unchanged since
signing. A book without signatures has no head and no code.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.text import slugify

from ausbildung.core.models import ContractTrainer, FrameworkItem, TrainingContract

from .. import integrity
from ..models import RecordPeriod, RecordSignature


def book_contract(contract: TrainingContract) -> TrainingContract:
    """The contract with everything the exports show, in one query (plus one for the trainers)."""
    return (
        TrainingContract.objects.select_related(
            "apprentice",
            "company",
            "site__region__parent",
            "occupation",
            "specialisation",
            "chamber",
            "vocational_school",
        )
        .prefetch_related(
            Prefetch(
                "trainer_links",
                queryset=ContractTrainer.objects.select_related("trainer").order_by(
                    "kind", "trainer__last_name"
                ),
            )
        )
        .get(pk=contract.pk)
    )


def book_periods(contract: TrainingContract) -> list[RecordPeriod]:
    """Every period of the contract, ordered by start, with days, items, signatures prefetched (no N+1)."""
    return list(
        RecordPeriod.objects.filter(contract=contract)
        .order_by("start")
        .select_related("signed_by")
        .prefetch_related(
            "days",
            Prefetch(
                "items",
                queryset=FrameworkItem.objects.select_related("framework_position").order_by(
                    "framework_position__position", "position"
                ),
            ),
            Prefetch(
                "signatures",
                queryset=RecordSignature.objects.select_related("signer")
                .defer("content")  # the signed versions: the book shows the periods as they are
                .order_by("sequence"),
            ),
        )
    )


def latest_signature(period: RecordPeriod) -> RecordSignature | None:
    signatures = list(period.signatures.all())  # prefetched, ordered by sequence
    return signatures[-1] if signatures else None


@dataclass
class Verification:
    """The head of the chain an export states, its code and where to check it."""

    head: RecordSignature
    code: str  # formatted, "3f2a-9c1b-…"
    url: str  # absolute when the export knows the site's address, else the path

    def qr_data_uri(self) -> str:
        """The URL as a QR code (SVG data URI; segno is pure Python)."""
        import segno

        return segno.make(self.url, error="m").svg_data_uri(scale=2, border=2)


def verification(periods: list[RecordPeriod], base_url: str | None) -> Verification | None:
    """The head of the contract's chain among the prefetched links of its periods (no query)."""
    head = max(
        (link for period in periods for link in period.signatures.all()),
        key=lambda link: link.sequence,
        default=None,
    )
    if head is None:
        return None
    code = integrity.format_code(head.code or integrity.code_of(head.chain_hash))
    path = f"{reverse('records:verify')}?code={code}"
    url = base_url.rstrip("/") + path if base_url else path
    return Verification(head=head, code=code, url=url)


def file_name(contract: TrainingContract, extension: str) -> str:
    """ "ausbildungsnachweis-<apprentice>-<contract start>.<extension>"."""
    apprentice = contract.apprentice
    who = slugify(f"{apprentice.last_name} {apprentice.first_name}") or f"person-{apprentice.pk}"
    return f"ausbildungsnachweis-{who}-{contract.start_date.isoformat()}.{extension}"
