"""Exports of a record book: the PDF for the final exam and a JSON personal copy.

Both read the whole book with a fixed number of queries (periods with their days, tagged items and their
positions, signatures and signers are prefetched), whatever the number of periods.

PDF
    `render_pdf(contract) -> bytes` lays out the book with WeasyPrint from `records/pdf/book.html`: a cover with
    the contract data, one page (or more) per period with its sections, days, tagged framework-plan items and
    sign-off, and a framework-plan coverage summary at the end. BBiG § 43 Abs. 1 Nr. 2 (HwO § 36 Abs. 1 Nr. 2)
    admits to the final exam only with the record signed off by trainer and apprentice, so every period that is
    not signed off says so in red. Fonts are the local generic sans-serif (no download). WeasyPrint is
    imported lazily: a machine without Pango gets a German 503 page instead of a server error
    (`PdfUnavailable`).

    Plain PDF, not PDF/A. PDF/A-3b works (`render_pdf(contract, pdf_variant="pdf/a-3b")` gives a file with
    the PDF/A identification, sRGB output intent and file identifier; tested), but it adds about 0.45 s CPU to
    a three-year book (pydyf serialises and compresses every object a second time to hash the file
    identifier), and the book already misses the 3 s target without it: `bench/records_pdf.py`, 156 signed
    weekly periods with ~600 characters per section, takes about 5.8 s CPU on the 2-vCPU development VM, of
    which ~3 s are the three text sections alone (WeasyPrint costs ~0.6 ms per line of text). Set
    `PDF_VARIANT = "pdf/a-3b"` to switch once the budget allows it.

    Speed: one page per period, few boxes per page; the days are tab-aligned lines, not a table (a table
    costs WeasyPrint ~8 ms, over a second on 156 weeks).

JSON (format "ausbildung.record-book", version 1)
    `export_dict(contract) -> dict` is an open, self-describing copy the apprentice keeps, e.g. when changing
    company. Keys are English and stable; texts are as written. Dates are ISO 8601 (YYYY-MM-DD), times ISO 8601
    with offset, hours are decimal strings with two places ("7.50", never floats), empty values are null::

        {
          "format": "ausbildung.record-book",
          "version": 1,
          "exported_at": "2026-03-02T10:15:00+01:00",
          "contract": {
            "apprentice": {"name"},
            "occupation": {"name", "slug", "specialisation": {"kind", "name"} | null},
            "regulation": {"title", "abbreviation", "issued_on", "fundstelle"},
            "company": {"name", "address"},
            "site": {"name", "address"},
            "trainers": [{"name", "kind"}],            # kind: main | officer | substitute
            "chamber": {"name"},
            "chamber_registration_number",
            "vocational_school": {"name"} | null,
            "start", "end", "probation_end", "dissolved_on", "status",
            "record_form",                              # weekly | daily
            "record_medium"                             # electronic | written
          },
          "periods": [{                                 # ordered by start
            "start", "end", "form",
            "state",                                    # draft | submitted | returned | signed
            "on_paper",                                 # kept on paper before joining the platform
            "training_year",
            "sections": {"company_work", "instruction", "school"},
            "days": [{"date", "place", "hours", "note"}],
                # place: company | school | external | leave | sick | holiday | free
            "items": [{"section", "position", "position_title", "letter", "text"}],
            "submitted_at", "signed_at",
            "signed_by", "signer_kind",                 # name of the trainer who signed; main | officer | substitute
            "content_hash",                             # SHA-256 the signature protects (null unless signed)
            "signature": {"sequence", "signed_at", "signer", "signer_kind", "content_hash",
                          "previous_hash", "chain_hash"} | null      # the latest link of the hash chain
          }]
        }

    `signed_at`, `signed_by`, `content_hash` are given only for signed periods; a period reopened after signing
    keeps its old link in "signature" (the chain is append-only) but is not signed.
"""

from __future__ import annotations

import datetime
import io
import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ausbildung.core.models import ContractTrainer, FrameworkItem, TrainingContract

from . import rules, selectors
from .models import RecordPeriod, RecordSignature

FORMAT = "ausbildung.record-book"
VERSION = 1
PDF_VARIANT: str | None = None  # plain PDF; "pdf/a-3b" works but costs time (see above)
PDF_A_VARIANT = "pdf/a-3b"
TEMPLATE = "records/pdf/book.html"
UNAVAILABLE_TEMPLATE = "records/pdf/unavailable.html"


class PdfUnavailable(RuntimeError):
    """WeasyPrint cannot run on this machine (its system libraries, Pango/HarfBuzz, are missing)."""


# --- reading the book ------------------------------------------------------------------------------------------


def book_contract(contract: TrainingContract) -> TrainingContract:
    """The contract with everything the exports show, in one query (plus one for the trainers)."""
    return (
        TrainingContract.objects.select_related(
            "apprentice", "company", "site", "occupation", "specialisation", "chamber", "vocational_school"
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
                "signatures", queryset=RecordSignature.objects.select_related("signer").order_by("sequence")
            ),
        )
    )


def latest_signature(period: RecordPeriod) -> RecordSignature | None:
    signatures = list(period.signatures.all())  # prefetched, ordered by sequence
    return signatures[-1] if signatures else None


def _hours(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _time(value: datetime.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _name(user) -> str | None:
    return (user.get_full_name() or user.username) if user is not None else None


def file_name(contract: TrainingContract, extension: str) -> str:
    apprentice = contract.apprentice
    who = slugify(f"{apprentice.last_name} {apprentice.first_name}") or f"person-{apprentice.pk}"
    return f"ausbildungsnachweis-{who}-{contract.start_date.isoformat()}.{extension}"


def _attachment(content: bytes, content_type: str, name: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{name}"'
    # Personal data of (often minor) apprentices: never in a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response


# --- PDF -------------------------------------------------------------------------------------------------------


@dataclass
class PeriodSheet:
    """One period as the PDF shows it."""

    number: int
    period: RecordPeriod
    training_year: int
    days: list
    total_hours: Decimal
    items: list
    signature: RecordSignature | None
    signer_kind_label: str = ""
    day_lines: str = ""

    @property
    def signed(self) -> bool:
        return self.period.state == RecordPeriod.State.SIGNED


FIGURE_SPACE = "\u2007"  # as wide as a digit: right-aligns the hours in a proportional font


def _hours_cell(value: Decimal | None) -> str:
    return number_format(value, 2).rjust(5, FIGURE_SPACE) if value is not None else ""


def day_lines(days: list, total: Decimal) -> str:
    """The days of a period as tab-aligned lines (date, hours, place and note), with the total.

    Not an HTML table on purpose: WeasyPrint needs about 8 ms per small table, a table per week would cost
    more than a second on a three-year book; tab stops (see book.css) look much the same and cost little.
    """
    lines = []
    for day in days:
        place = str(day.get_place_display())
        lines.append(
            f"{date_format(day.date, 'D d.m.')}\t{_hours_cell(day.hours)}\t{place}{' – ' + day.note if day.note else ''}"
        )
    lines.append(f"{_('Total')}\t{_hours_cell(total)}")
    return "\n".join(lines)


def pdf_context(contract: TrainingContract) -> dict:
    """Everything `records/pdf/book.html` needs, read with a fixed number of queries."""
    contract = book_contract(contract)
    kinds = dict(ContractTrainer.Kind.choices)
    sheets: list[PeriodSheet] = []
    for period in book_periods(contract):
        days = list(period.days.all())
        signature = latest_signature(period)
        total = sum((d.hours for d in days if d.hours is not None), Decimal(0))
        sheets.append(
            PeriodSheet(
                number=len(sheets) + 1,
                period=period,
                training_year=rules.training_year(contract.start_date, period.start),
                days=days,
                total_hours=total,
                day_lines=day_lines(days, total) if days else "",
                items=list(period.items.all()),
                signature=signature,
                signer_kind_label=str(kinds.get(signature.signer_kind, signature.signer_kind))
                if signature
                else "",
            )
        )
    signed = sum(1 for s in sheets if s.signed)
    return {
        "contract": contract,
        "trainers": list(contract.trainer_links.all()),
        "sheets": sheets,
        "coverage": selectors.coverage(contract),
        "counts": {"periods": len(sheets), "signed": signed, "unsigned": len(sheets) - signed},
        "created_at": timezone.now(),
        "part_first": True,
        "part_last": True,
    }


def _load_weasyprint():
    """Import WeasyPrint; raises OSError when its system libraries are missing (e.g. no Pango)."""
    import weasyprint

    return weasyprint


# A long book is laid out in parallel parts (WeasyPrint uses one core) and joined with pypdf; each period
# sheet says "Record k of N" in its header instead of a page counter, which would restart in every part.
PARALLEL_MIN_SHEETS = 40
PARALLEL_MAX_PARTS = 4


def _render_part(html: str, base_url: str | None, pdf_variant: str | None) -> bytes:
    weasyprint = _load_weasyprint()
    return weasyprint.HTML(string=html, base_url=base_url).write_pdf(pdf_variant=pdf_variant)


def _parts(context: dict, count: int) -> list[dict]:
    sheets = context["sheets"]
    size = -(-len(sheets) // count)
    chunks = [sheets[i : i + size] for i in range(0, len(sheets), size)]
    return [
        {**context, "sheets": chunk, "part_first": index == 0, "part_last": index == len(chunks) - 1}
        for index, chunk in enumerate(chunks)
    ]


def render_pdf(
    contract: TrainingContract,
    *,
    base_url: str | None = None,
    pdf_variant: str | None = PDF_VARIANT,
    parts: int | None = None,
) -> bytes:
    """The record book as a PDF document (bytes); `pdf_variant` e.g. "pdf/a-3b" for PDF/A.

    Books of PARALLEL_MIN_SHEETS periods or more are laid out in up to one part per CPU in worker processes
    (no database access there: the HTML is rendered here) and joined. A PDF/A variant is always rendered in
    one piece, since joining would break its conformance. Raises PdfUnavailable when WeasyPrint cannot run.
    """
    try:
        _load_weasyprint()
    except (OSError, ImportError) as error:
        raise PdfUnavailable(str(error)) from error
    context = pdf_context(contract)
    if parts is None:
        parts = min(os.cpu_count() or 1, PARALLEL_MAX_PARTS)
    if pdf_variant or parts < 2 or len(context["sheets"]) < PARALLEL_MIN_SHEETS:
        return _render_part(render_to_string(TEMPLATE, context), base_url, pdf_variant)
    htmls = [render_to_string(TEMPLATE, part) for part in _parts(context, parts)]
    with ProcessPoolExecutor(max_workers=len(htmls), mp_context=multiprocessing.get_context("fork")) as pool:
        pdfs = list(pool.map(_render_part, htmls, [base_url] * len(htmls), [None] * len(htmls)))
    return _join(pdfs)


def _join(pdfs: list[bytes]) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(io.BytesIO(pdf))
    writer.add_metadata({"/Title": _("Training record")})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class PdfExporter:
    """The signed-off record for the exam (BBiG § 43 Abs. 1 Nr. 2)."""

    content_type = "application/pdf"

    def response(self, request: HttpRequest, contract: TrainingContract) -> HttpResponse:
        try:
            content = render_pdf(contract, base_url=request.build_absolute_uri("/"))
        except PdfUnavailable:
            return render(request, UNAVAILABLE_TEMPLATE, {"contract": contract}, status=503)
        return _attachment(content, self.content_type, file_name(contract, "pdf"), inline=True)


# --- JSON ------------------------------------------------------------------------------------------------------


def _contract_dict(contract: TrainingContract) -> dict:
    occupation = contract.occupation
    specialisation = contract.specialisation
    return {
        "apprentice": {"name": _name(contract.apprentice)},
        "occupation": {
            "name": occupation.name,
            "slug": occupation.slug,
            "specialisation": {"kind": specialisation.kind, "name": specialisation.name}
            if specialisation
            else None,
        },
        "regulation": {
            "title": occupation.regulation_title or None,
            "abbreviation": occupation.jurabk or None,
            "issued_on": _date(occupation.issued_on),
            "fundstelle": occupation.fundstelle or None,
        },
        "company": {"name": contract.company.name, "address": contract.company.address_line or None},
        "site": {"name": contract.site.name, "address": contract.site.address_line or None},
        "trainers": [
            {"name": _name(link.trainer), "kind": link.kind} for link in contract.trainer_links.all()
        ],
        "chamber": {"name": contract.chamber.name},
        "chamber_registration_number": contract.chamber_registration_number or None,
        "vocational_school": {"name": contract.vocational_school.name}
        if contract.vocational_school
        else None,
        "start": _date(contract.start_date),
        "end": _date(contract.end_date),
        "probation_end": _date(contract.probation_end),
        "dissolved_on": _date(contract.dissolved_on),
        "status": contract.status,
        "record_form": contract.record_form,
        "record_medium": contract.record_medium,
    }


def _period_dict(contract: TrainingContract, period: RecordPeriod) -> dict:
    signed = period.state == RecordPeriod.State.SIGNED
    signature = latest_signature(period)
    return {
        "start": _date(period.start),
        "end": _date(period.end),
        "form": period.form,
        "state": period.state,
        "on_paper": period.on_paper,
        "training_year": rules.training_year(contract.start_date, period.start),
        "sections": {
            "company_work": period.company_work,
            "instruction": period.instruction,
            "school": period.school,
        },
        "days": [
            {"date": _date(day.date), "place": day.place, "hours": _hours(day.hours), "note": day.note}
            for day in period.days.all()
        ],
        "items": [
            {
                "section": item.framework_position.section_label or None,
                "position": item.framework_position.number,
                "position_title": item.framework_position.title,
                "letter": item.letter,
                "text": item.text,
            }
            for item in period.items.all()
        ],
        "submitted_at": _time(period.submitted_at),
        "signed_at": _time(period.signed_at) if signed else None,
        "signed_by": _name(period.signed_by) if signed else None,
        "signer_kind": signature.signer_kind if signed and signature else None,
        "content_hash": (period.content_hash or None) if signed else None,
        "signature": {
            "sequence": signature.sequence,
            "signed_at": _time(signature.signed_at),
            "signer": _name(signature.signer),
            "signer_kind": signature.signer_kind,
            "content_hash": signature.content_hash,
            "previous_hash": signature.previous_hash or None,
            "chain_hash": signature.chain_hash,
        }
        if signature
        else None,
    }


def export_dict(contract: TrainingContract) -> dict:
    """The record book as a JSON-ready dict (format "ausbildung.record-book", version 1; see module docstring)."""
    contract = book_contract(contract)
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": _time(timezone.now()),
        "contract": _contract_dict(contract),
        "periods": [_period_dict(contract, period) for period in book_periods(contract)],
    }


class JsonExporter:
    """A personal copy of the record book in an open format."""

    content_type = "application/json"

    def response(self, request: HttpRequest, contract: TrainingContract) -> HttpResponse:
        content = json.dumps(export_dict(contract), ensure_ascii=False, indent=2).encode("utf-8")
        return _attachment(content, f"{self.content_type}; charset=utf-8", file_name(contract, "json"))


__all__ = [
    "FORMAT",
    "VERSION",
    "JsonExporter",
    "PdfExporter",
    "PdfUnavailable",
    "export_dict",
    "file_name",
    "pdf_context",
    "render_pdf",
]
