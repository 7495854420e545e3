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
    the PDF/A identification, sRGB output intent and file identifier; tested), but it is laid out in one
    piece (joining parts would break its conformance) and pydyf serialises and compresses every object a
    second time to hash the file identifier: several times the wall time of the parallel plain PDF. Set
    `PDF_VARIANT = "pdf/a-3b"` to switch once the budget allows it.

    Speed (`make bench BENCH=records-pdf`: 156 signed weekly periods, ~600 characters per section): WeasyPrint
    costs ~0.4 ms per line box and ~20 ms per period page (plus ~20 ms per document) on today's 2-vCPU VM,
    about 4.2 s of CPU for the whole book, so a long book is laid out in pieces by one worker process per CPU
    and joined (see `render_pdf`); chunks of signed periods are cached, which makes a repeated download of a
    finished book (the exam case) about half a second. The cost is the text itself: a period page whose three
    sections are cut to one word costs ~8 ms less, a page without any content ~3 ms in all; merging the
    headings into the text boxes or the items into one block saves nothing measurable. One page per period,
    few boxes per page; the days are tab-aligned lines, not a table (a table costs WeasyPrint ~8 ms, over a
    second on 156 weeks); only the cover, the periods and the coverage summary are bookmarks (a bookmark per
    section heading cost ~0.4 s in WeasyPrint and pypdf).

Evidence (both formats)
    Every export states the head of the contract's signature chain (its newest link: sequence and chain hash)
    and a verification code (the head's first 80 bits, `records.integrity`); the PDF prints the code and a QR
    code leading to the public page `records:verify`, which says whether the signed periods are unchanged since
    signing. A book without signatures has no head and no code.

JSON (format "ausbildung.record-book", version 2; version 1 had no "chain", "signatures" or "key_id", and its
chain hashes were plain SHA-256)
    `export_dict(contract) -> dict` is an open, self-describing copy the apprentice keeps, e.g. when changing
    company. Keys are English and stable; texts are as written. Dates are ISO 8601 (YYYY-MM-DD), times ISO 8601
    with offset, hours are decimal strings with two places ("7.50", never floats), empty values are null::

        {
          "format": "ausbildung.record-book",
          "version": 2,
          "exported_at": "2026-03-02T10:15:00+01:00",
          "chain": {"sequence", "head", "key_id",       # the newest link of the signature chain at export
                    "verification_code", "verification_url"} | null,
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
                          "previous_hash", "chain_hash", "key_id"} | null    # the latest link of the chain
            "signatures": [{same as "signature"}]       # every link of this period, oldest first
          }]
        }

    `signed_at`, `signed_by`, `content_hash` are given only for signed periods; a period reopened after signing
    keeps its old link in "signature" (the chain is append-only) but is not signed. "key_id" is "" for a legacy
    link made before keyed signatures (a plain SHA-256), else the id of the server key of its HMAC.
"""

from __future__ import annotations

import datetime
import gc
import io
import json
import multiprocessing
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ausbildung.core.models import ContractTrainer, FrameworkItem, TrainingContract

from . import integrity, rules, selectors
from .models import RecordPeriod, RecordSignature

FORMAT = "ausbildung.record-book"
VERSION = 2
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


def pdf_context(contract: TrainingContract, *, base_url: str | None = None) -> dict:
    """Everything `records/pdf/book.html` needs, read with a fixed number of queries."""
    contract = book_contract(contract)
    kinds = dict(ContractTrainer.Kind.choices)
    sheets: list[PeriodSheet] = []
    periods = book_periods(contract)
    for period in periods:
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
        "verification": verification(periods, base_url),
        "counts": {"periods": len(sheets), "signed": signed, "unsigned": len(sheets) - signed},
        "created_at": timezone.now(),
        "part_first": True,
        "part_last": True,
    }


def _load_weasyprint():
    """Import WeasyPrint; raises OSError when its system libraries are missing (e.g. no Pango)."""
    import weasyprint

    return weasyprint


# A long book is laid out in pieces in worker processes (WeasyPrint uses one core) and joined with pypdf: the
# cover, the periods in chunks of CHUNK_SHEETS, the coverage summary. Each period sheet says "Record k of N" in
# its header instead of a page counter, which would restart in every piece. Small documents are also cheaper
# per page: WeasyPrint's layout and bookmark handling grow faster than the page count (a 13-period chunk costs
# about 20 % less per period than one 156-period document).
PARALLEL_MIN_SHEETS = 40
PARALLEL_MAX_PARTS = 4
CHUNK_SHEETS = 13  # a quarter of a weekly book

# The laid-out PDF of a chunk whose periods are all signed is kept in the cache, keyed by a SHA-256 of its HTML
# (and the WeasyPrint version and base URL): signed periods are immutable (content hash), so the same HTML
# gives the same pages, and anything that changes the HTML (a reopened period, a new period count in the
# header, a renamed apprentice, a new template) changes the key. Unsigned periods, the cover (date of
# creation, counts) and the coverage summary are laid out on every request. The cache holds personal data:
# only for a day, in the server's own cache (`RECORDS_PDF_CACHE` names the alias; default "default").
PDF_CACHE_SECONDS = 24 * 3600
PDF_CACHE_PREFIX = "records-pdf-part:"


def _render_part(html: str, base_url: str | None, pdf_variant: str | None) -> bytes:
    weasyprint = _load_weasyprint()
    return weasyprint.HTML(string=html, base_url=base_url).write_pdf(pdf_variant=pdf_variant)


_warmed_up = False


def _warm_up() -> None:
    """Lay out one tiny page in this process once, before it forks layout workers.

    The first document in a process pays for setting up fonts (fontconfig, Pango, HarfBuzz) and WeasyPrint's
    caches: ~60 ms more than the next one. Workers forked afterwards inherit that state, so each request's
    workers do not pay it again (two workers: ~0.1 s of CPU per book)."""
    global _warmed_up
    if not _warmed_up:
        css = render_to_string("records/pdf/book.css")
        html = f'<style>{css}</style><p>Ausbildungsnachweis <b>1</b> <span class="hash">0a</span></p>'
        _render_part(html, None, None)
        _warmed_up = True


def _worker_init() -> None:
    # The worker inherits the server's objects; keep its garbage collector from walking them again and again
    # (~0.4 s of CPU less for a three-year book, ~8 %).
    gc.freeze()


@dataclass
class _Piece:
    html: str
    cache_key: str | None = None  # None: laid out every time
    pdf: bytes | None = None


def _pieces(context: dict, base_url: str | None) -> list[_Piece]:
    """Cover, chunks of periods, coverage summary: their HTML, and a cache key for fully signed chunks."""
    import hashlib

    import weasyprint

    sheets = context["sheets"]
    parts = [({**context, "sheets": [], "part_first": True, "part_last": False}, False)]
    for index in range(0, len(sheets), CHUNK_SHEETS):
        chunk = sheets[index : index + CHUNK_SHEETS]
        parts.append(
            (
                {**context, "sheets": chunk, "part_first": False, "part_last": False},
                all(s.signed for s in chunk),
            )
        )
    parts.append(({**context, "sheets": [], "part_first": False, "part_last": True}, False))
    pieces = []
    for part, cacheable in parts:
        html = render_to_string(TEMPLATE, part)
        key = None
        if cacheable:
            digest = hashlib.sha256(
                f"{weasyprint.__version__}\n{base_url or ''}\n{html}".encode()
            ).hexdigest()
            key = PDF_CACHE_PREFIX + digest
        pieces.append(_Piece(html, key))
    return pieces


def _pdf_cache():
    from django.conf import settings
    from django.core.cache import caches

    return caches[getattr(settings, "RECORDS_PDF_CACHE", "default")]


def render_pdf(
    contract: TrainingContract,
    *,
    base_url: str | None = None,
    pdf_variant: str | None = PDF_VARIANT,
    parts: int | None = None,
) -> bytes:
    """The record book as a PDF document (bytes); `pdf_variant` e.g. "pdf/a-3b" for PDF/A.

    Books of PARALLEL_MIN_SHEETS periods or more are laid out in pieces (see above), by up to one worker
    process per CPU (`parts`; no database access there: the HTML is rendered here), signed chunks from the
    cache when they are there, and joined. A PDF/A variant is always rendered in one piece, since joining
    would break its conformance. Raises PdfUnavailable when WeasyPrint cannot run.
    """
    try:
        _load_weasyprint()
    except (OSError, ImportError) as error:
        raise PdfUnavailable(str(error)) from error
    context = pdf_context(contract, base_url=base_url)
    if parts is None:
        parts = min(os.cpu_count() or 1, PARALLEL_MAX_PARTS)
    if pdf_variant or len(context["sheets"]) < PARALLEL_MIN_SHEETS:
        return _render_part(render_to_string(TEMPLATE, context), base_url, pdf_variant)
    pieces = _pieces(context, base_url)
    cache = _pdf_cache()
    cached = cache.get_many([p.cache_key for p in pieces if p.cache_key])
    for piece in pieces:
        if piece.cache_key:
            piece.pdf = cached.get(piece.cache_key)
    missing = [p for p in pieces if p.pdf is None]
    if parts < 2 or len(missing) < 2:
        for piece in missing:
            piece.pdf = _render_part(piece.html, base_url, None)
        content = _join(p.pdf for p in pieces if p.pdf is not None)
    else:
        _warm_up()
        context_fork = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(
            max_workers=min(parts, len(missing)), mp_context=context_fork, initializer=_worker_init
        ) as pool:
            futures = {id(p): pool.submit(_render_part, p.html, base_url, None) for p in missing}

            def in_order():
                # Pieces in book order as they are laid out: the join of the first ones overlaps with the
                # layout of the last ones (it costs ~0.2 s for a three-year book).
                for piece in pieces:
                    if piece.pdf is None:
                        piece.pdf = futures[id(piece)].result()
                    yield piece.pdf

            content = _join(in_order())
    fresh = {p.cache_key: p.pdf for p in missing if p.cache_key}
    if fresh:
        cache.set_many(fresh, PDF_CACHE_SECONDS)
    return content


def _join(pdfs: Iterable[bytes]) -> bytes:
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


def _link_dict(signature: RecordSignature) -> dict:
    return {
        "sequence": signature.sequence,
        "signed_at": _time(signature.signed_at),
        "signer": _name(signature.signer),
        "signer_kind": signature.signer_kind,
        "content_hash": signature.content_hash,
        "previous_hash": signature.previous_hash or None,
        "chain_hash": signature.chain_hash,
        "key_id": signature.key_id,
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
        "signature": _link_dict(signature) if signature else None,
        "signatures": [_link_dict(link) for link in period.signatures.all()],
    }


def export_dict(contract: TrainingContract, *, base_url: str | None = None) -> dict:
    """The record book as a JSON-ready dict (format "ausbildung.record-book", version 2; see module docstring)."""
    contract = book_contract(contract)
    periods = book_periods(contract)
    check = verification(periods, base_url)
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": _time(timezone.now()),
        "chain": {
            "sequence": check.head.sequence,
            "head": check.head.chain_hash,
            "key_id": check.head.key_id,
            "verification_code": check.code,
            "verification_url": check.url,
        }
        if check
        else None,
        "contract": _contract_dict(contract),
        "periods": [_period_dict(contract, period) for period in periods],
    }


class JsonExporter:
    """A personal copy of the record book in an open format."""

    content_type = "application/json"

    def response(self, request: HttpRequest, contract: TrainingContract) -> HttpResponse:
        data = export_dict(contract, base_url=request.build_absolute_uri("/"))
        content = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
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
