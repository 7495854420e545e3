"""The record book as a PDF for the final exam.

`render_pdf(contract) -> bytes` lays out the book from `records/pdf/book.html` (with the shared WeasyPrint
helper `core.pdf`): a cover with the contract data, one page (or more) per period with its sections, days,
tagged framework-plan items and sign-off, and a framework-plan coverage summary at the end. BBiG § 43 Abs. 1
Nr. 2 (HwO § 36 Abs. 1 Nr. 2) admits to the final exam only with the record signed off by trainer and
apprentice, so every period that is not signed off says so in red. Fonts are the local generic sans-serif (no
download). A machine where WeasyPrint cannot run gets a German 503 page instead of a server error
(`core.pdf.PdfUnavailable`).

Plain PDF, not PDF/A. PDF/A-3b works (`render_pdf(contract, pdf_variant="pdf/a-3b")` gives a file with the
PDF/A identification, sRGB output intent and file identifier; tested), but it is laid out in one piece
(joining parts would break its conformance) and takes several times the wall time of the parallel plain PDF
(pydyf serialises and compresses every object a second time to hash the file identifier). Set
`PDF_VARIANT = "pdf/a-3b"` to switch once the budget allows it.

Layout time grows with the text (WeasyPrint's cost is per line box and per page), so a long book is laid out
in pieces by one worker process per CPU and joined. Signed periods never change: the pieces of signed periods
(chunks fixed on the contract's calendar) are laid out once, in the background when they are signed, kept in
the database (`RecordPdfPart`) and joined into every later download, which makes the download of a finished
book (the exam case) take about a second; the cover, which states the book's completeness on the day, and the
coverage summary are always laid out fresh. The layout is kept lean for the same reason: one page per period,
few boxes per page, the days as tab-aligned lines rather than a table, bookmarks only for the cover, the
periods and the coverage summary. The figures behind these choices, and the command that measures them, are
in docs/performance.md ("records-pdf").
"""

from __future__ import annotations

import bisect
import datetime
import gc
import hashlib
import io
import logging
import multiprocessing
import os
import threading
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from decimal import Decimal

from django import db
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django_tasks import task

from ausbildung.core import exports, pdf
from ausbildung.core.models import ContractTrainer, TrainingContract
from ausbildung.core.pdf import PdfUnavailable

from .. import rules, selectors
from ..models import RecordPdfPart, RecordPeriod, RecordSignature
from .book import book_contract, book_periods, file_name, latest_signature, verification

PDF_VARIANT: str | None = None  # plain PDF; "pdf/a-3b" works but costs time (see above)
PDF_A_VARIANT = "pdf/a-3b"
TEMPLATE = "records/pdf/book.html"
UNAVAILABLE_TEMPLATE = "records/pdf/unavailable.html"

logger = logging.getLogger(__name__)


@dataclass
class PeriodSheet:
    """One period as the PDF shows it; `number` is its place in the contract's calendar (1 = the first period
    of the training), `chunk` the piece of the book it is laid out in."""

    number: int
    period: RecordPeriod
    training_year: int
    days: list
    total_hours: Decimal
    items: list
    signature: RecordSignature | None
    signer_kind_label: str = ""
    day_lines: str = ""
    ahead: bool = False  # its last day has not come yet: a plan, never shown as signed
    chunk: int = 0

    @property
    def signed(self) -> bool:
        return self.period.state == RecordPeriod.State.SIGNED and not self.ahead

    @property
    def future(self) -> bool:
        """The period's last day had not begun when the book was made (BBiG § 43 Abs. 1 Nr. 2: a plan, not
        evidence); the same as `ahead`."""
        return self.ahead

    @property
    def signed_in_future(self) -> bool:
        """Signed (in data from before the platform refused it) although it lies ahead: shown as recorded,
        never counted."""
        return self.period.state == RecordPeriod.State.SIGNED and self.ahead


FIGURE_SPACE = "\u2007"  # as wide as a digit: right-aligns the hours in a proportional font


def _hours_cell(value: Decimal | None) -> str:
    return number_format(value, 2).rjust(5, FIGURE_SPACE) if value is not None else ""


def day_lines(days: list, total: Decimal) -> str:
    """The days of a period as tab-aligned lines (date, hours, place and note), with the sum of the hours.

    Not an HTML table on purpose: WeasyPrint lays out even a small table slowly, and a table per week adds up
    on a three-year book (docs/performance.md); tab stops (see book.css) look much the same and cost little.
    """
    lines = []
    for day in days:
        place = str(day.get_place_display())
        lines.append(
            f"{date_format(day.date, 'D d.m.')}\t{_hours_cell(day.hours)}\t{place}{' – ' + day.note if day.note else ''}"
        )
    lines.append(f"{_('Hours in total')}\t{_hours_cell(total)}")
    return "\n".join(lines)


def calendar_starts(contract: TrainingContract) -> list[datetime.date]:
    """The start of every period of the contract from its first to its last day (end of training or
    dissolution): the fixed frame that numbers the periods and cuts the book into chunks."""
    last = min(contract.end_date, contract.dissolved_on) if contract.dissolved_on else contract.end_date
    return [
        start
        for start, _end in rules.expected_periods(
            form=contract.record_form, start=contract.start_date, end=last, land_iso=rules.land_iso(contract)
        )
    ]


def pdf_context(
    contract: TrainingContract, *, base_url: str | None = None, today: datetime.date | None = None
) -> dict:
    """Everything `records/pdf/book.html` needs, read with a fixed number of queries; `today` (the local
    date, by default now) decides which periods lie ahead."""
    today = today or timezone.localdate()
    contract = book_contract(contract)
    kinds = dict(ContractTrainer.Kind.choices)
    starts = calendar_starts(contract)
    sheets: list[PeriodSheet] = []
    periods = book_periods(contract)
    for period in periods:
        days = list(period.days.all())
        signature = latest_signature(period)
        total = sum((d.hours for d in days if d.hours is not None), Decimal(0))
        index = max(bisect.bisect_right(starts, period.start) - 1, 0)
        sheets.append(
            PeriodSheet(
                number=index + 1,
                chunk=index // CHUNK_SHEETS,
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
                ahead=selectors.is_ahead(period, today=today),
            )
        )
    signed_in_future = sum(1 for s in sheets if s.signed_in_future)
    return {
        "contract": contract,
        "trainers": list(contract.trainer_links.all()),
        "sheets": sheets,
        "coverage": selectors.coverage(contract),
        "verification": verification(periods, base_url),
        "completeness": selectors.completeness(contract, today=today, periods=periods),
        "calendar_total": len(starts),
        "today": today,
        "signed_in_future": signed_in_future,
        "created_at": timezone.now(),
        "part_first": True,
        "part_last": True,
    }


# A long book is laid out in pieces in worker processes (WeasyPrint uses one core) and joined with pypdf: the
# cover, the periods in chunks, the coverage summary. The chunks are fixed on the contract's calendar (periods
# 1–13, 14–26, … of the training), so that a week written later changes only its own chunk. Each period sheet
# says "Record k of N" (its place in the calendar) in its header instead of a page counter, which would
# restart in every piece. Small documents are also cheaper per page: WeasyPrint's layout and bookmark handling
# grow faster than the page count.
PARALLEL_MIN_SHEETS = 40
PARALLEL_MAX_PARTS = 4
CHUNK_SHEETS = 13  # a quarter of a year of a weekly book

# A chunk whose periods are all signed (and none ahead) is laid out once and kept as a `RecordPdfPart`, keyed
# by a SHA-256 of its HTML and the WeasyPrint version: signed periods are immutable (content hash), so the same
# HTML gives the same pages, and anything that changes the HTML changes the key; a stored part is never
# invalidated, only replaced. It is laid out when its last period is signed (`prepare_on_commit`, in the
# background) or at the first download. The cover (the completeness on the day of the download, the
# verification code) and the coverage summary are laid out on every request.


def _render_part(html: str, base_url: str | None, pdf_variant: str | None) -> bytes:
    return pdf.html_to_pdf(html, base_url=base_url, pdf_variant=pdf_variant)


_warmed_up = False
# Held while a background thread lays out a part, and while a request forks its layout workers: a child forked
# while another thread is inside Pango or fontconfig could inherit a held lock and hang.
_LAYOUT_LOCK = threading.Lock()


def _warm_up() -> None:
    """Lay out one tiny page in this process once, before it forks layout workers.

    The first document in a process pays for setting up fonts (fontconfig, Pango, HarfBuzz) and WeasyPrint's
    caches. Workers forked afterwards inherit that state, so each request's workers do not pay it again."""
    global _warmed_up
    if not _warmed_up:
        css = render_to_string("records/pdf/book.css")
        html = f'<style>{css}</style><p>Ausbildungsnachweis <b>1</b> <span class="hash">0a</span></p>'
        _render_part(html, None, None)
        _warmed_up = True


def _worker_init() -> None:
    # The worker inherits the server's objects; keep its garbage collector from walking them again and again
    # (measurably less CPU for a long book).
    gc.freeze()


@dataclass
class _Piece:
    html: str
    chunk: int | None = None  # None: the cover or the coverage summary
    cache_key: str | None = None  # None: laid out every time
    pdf: bytes | None = None


def _pieces(context: dict) -> list[_Piece]:
    """Cover, chunks of periods, coverage summary: their HTML, and a key for chunks of signed periods.

    The chunks hold no link or image, so they are laid out without the site's address: their pages are the
    same whichever address the book was downloaded from."""
    engine = pdf.engine_version()
    chunks: dict[int, list[PeriodSheet]] = {}
    for sheet in context["sheets"]:
        chunks.setdefault(sheet.chunk, []).append(sheet)
    pieces = [_Piece(render_to_string(TEMPLATE, {**context, "sheets": [], "part_last": False}))]
    for chunk, sheets in chunks.items():
        html = render_to_string(
            TEMPLATE, {**context, "sheets": sheets, "part_first": False, "part_last": False}
        )
        key = None
        if all(s.signed for s in sheets):
            key = hashlib.sha256(f"{engine}\n{html}".encode()).hexdigest()
        pieces.append(_Piece(html, chunk, key))
    pieces.append(_Piece(render_to_string(TEMPLATE, {**context, "sheets": [], "part_first": False})))
    return pieces


def _stored(contract: TrainingContract, pieces: list[_Piece]) -> None:
    """Fill in the pieces already laid out and kept (one query)."""
    keys = [p.cache_key for p in pieces if p.cache_key]
    if not keys:
        return
    found = dict(RecordPdfPart.objects.filter(contract=contract, key__in=keys).values_list("key", "pdf"))
    for piece in pieces:
        if piece.cache_key in found:
            piece.pdf = bytes(found[piece.cache_key])


def _store(contract: TrainingContract, pieces: list[_Piece]) -> None:
    """Keep the freshly laid-out chunks of signed periods, replacing an older part of the same chunk."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    for piece in pieces:
        if piece.cache_key and piece.pdf is not None and piece.chunk is not None:
            try:
                _store_piece(contract, piece, language)
            except IntegrityError:
                # Another request or the background thread kept this chunk at the same moment (from other
                # content, e.g. just renamed): keeping is an optimisation; the next download tries again.
                logger.info("Part %s of record book %s kept concurrently", piece.chunk, contract.pk)


def _store_piece(contract: TrainingContract, piece: _Piece, language: str) -> None:
    chunk = piece.chunk or 0  # a chunk of periods: never None here
    with transaction.atomic():
        RecordPdfPart.objects.filter(contract=contract, chunk=chunk, language=language).exclude(
            key=piece.cache_key
        ).delete()
        RecordPdfPart.objects.get_or_create(
            key=piece.cache_key,
            defaults={"contract": contract, "chunk": chunk, "language": language, "pdf": piece.pdf},
        )


def render_pdf(
    contract: TrainingContract,
    *,
    base_url: str | None = None,
    pdf_variant: str | None = PDF_VARIANT,
    parts: int | None = None,
    use_stored: bool = True,
    today: datetime.date | None = None,
) -> bytes:
    """The record book as a PDF document (bytes); `pdf_variant` e.g. "pdf/a-3b" for PDF/A.

    Books of PARALLEL_MIN_SHEETS periods or more, and books with a stored part, are laid out in pieces (see
    above): the stored parts of signed chunks are taken as they are (`use_stored`; False lays out every piece
    and stores nothing), the rest is laid out by up to one worker process per CPU (`parts`; no database access
    there: the HTML is rendered here) and joined. A PDF/A variant is always rendered in one piece, since
    joining would break its conformance. Raises PdfUnavailable when WeasyPrint cannot run.
    """
    pdf.load_weasyprint()
    context = pdf_context(contract, base_url=base_url, today=today)
    if parts is None:
        parts = min(os.cpu_count() or 1, PARALLEL_MAX_PARTS)
    if pdf_variant:
        return _render_part(render_to_string(TEMPLATE, context), base_url, pdf_variant)
    pieces = _pieces(context)
    if use_stored:
        _stored(contract, pieces)
    if len(context["sheets"]) < PARALLEL_MIN_SHEETS and not any(p.pdf for p in pieces):
        return _render_part(render_to_string(TEMPLATE, context), base_url, pdf_variant)
    missing = [p for p in pieces if p.pdf is None]
    # Worker processes pay off for chunks of periods; the cover and the summary alone (a finished book whose
    # chunks are kept) are laid out here, cheaper than forking for them.
    if parts < 2 or len(missing) < 2 or all(p.chunk is None for p in missing):
        for piece in missing:
            piece.pdf = _render_part(piece.html, base_url if piece.chunk is None else None, None)
        content = _join(p.pdf for p in pieces if p.pdf is not None)
    else:
        _warm_up()
        context_fork = multiprocessing.get_context("fork")
        with (
            _LAYOUT_LOCK,
            ProcessPoolExecutor(
                max_workers=min(parts, len(missing)), mp_context=context_fork, initializer=_worker_init
            ) as pool,
        ):
            futures = {
                id(p): pool.submit(_render_part, p.html, base_url if p.chunk is None else None, None)
                for p in missing
            }

            def in_order():
                # Pieces in book order as they are laid out: the join of the first ones overlaps with the
                # layout of the last ones.
                for piece in pieces:
                    if piece.pdf is None:
                        piece.pdf = futures[id(piece)].result()
                    yield piece.pdf

            content = _join(in_order())
    if use_stored:
        _store(contract, [p for p in missing if p.cache_key])
    return content


def prepare(contract_id: int, *, today: datetime.date | None = None) -> int:
    """Lay out and keep the chunks of signed periods of a contract's book that are not kept yet; returns how
    many were laid out. Runs in the background after a signature (`prepare_on_commit`), one piece at a time."""
    contract = TrainingContract.objects.filter(pk=contract_id).first()
    if contract is None:
        return 0
    pdf.load_weasyprint()
    # In the platform's language (German), as the downloads of nearly everyone; another language's pages are
    # kept at their first download.
    with translation.override(settings.LANGUAGE_CODE):
        pieces = [p for p in _pieces(pdf_context(contract, today=today)) if p.cache_key]
        _stored(contract, pieces)
        fresh = [p for p in pieces if p.pdf is None]
        for piece in fresh:
            with _LAYOUT_LOCK:
                piece.pdf = _render_part(piece.html, None, None)
            _store(contract, [piece])
    return len(fresh)


@task()
def prepare_pdf_parts(contract_id: int) -> int:
    """The background task of `prepare` (with TASKS_BACKEND=database, run by `ausbildung manage db_worker`)."""
    return prepare(contract_id)


_pending: set[int] = set()
_pending_lock = threading.Lock()
_worker: threading.Thread | None = None


def _work() -> None:
    """The background thread of this process: prepares the pending contracts one by one, then ends."""
    global _worker
    while True:
        with _pending_lock:
            if not _pending:
                _worker = None
                return
            contract_id = _pending.pop()
        try:
            prepare(contract_id)
        except Exception:  # a failed layout only costs the next download its time
            logger.exception("Laying out the signed parts of record book %s failed", contract_id)
        finally:
            db.connections.close_all()


def prepare_in_background(contract_id: int) -> None:
    """Prepare a contract's book outside the request: as a task when a worker runs them (TASKS_BACKEND=
    database), otherwise in one background thread of this process (the immediate task backend would run it in
    the request). A contract already waiting is not queued twice (a bulk signature of many periods)."""
    global _worker
    if not getattr(settings, "RECORDS_PDF_PREPARE", True):
        return
    if not settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend"):
        prepare_pdf_parts.enqueue(contract_id)
        return
    with _pending_lock:
        _pending.add(contract_id)
        if _worker is None:
            _worker = threading.Thread(target=_work, name="records-pdf-prepare", daemon=True)
            _worker.start()


def prepare_on_commit(contract_id: int) -> None:
    """After the signing transaction has committed: lay out what is now fully signed (`prepare_in_background`)."""
    transaction.on_commit(lambda: prepare_in_background(contract_id))


def _join(pdfs: Iterable[bytes]) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for part in pdfs:
        writer.append(io.BytesIO(part))
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
        return exports.download(
            content, content_type=self.content_type, file_name=file_name(contract, "pdf"), inline=True
        )
