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
in pieces by one worker process per CPU and joined, and the pieces of fully signed periods are cached, which
makes a repeated download of a finished book (the exam case) cheap. The layout is kept lean for the same
reason: one page per period, few boxes per page, the days as tab-aligned lines rather than a table, bookmarks
only for the cover, the periods and the coverage summary. The figures behind these choices, and the command
that measures them, are in docs/performance.md ("records-pdf").
"""

from __future__ import annotations

import datetime
import gc
import hashlib
import io
import multiprocessing
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from ausbildung.core import exports, pdf
from ausbildung.core.models import ContractTrainer, TrainingContract
from ausbildung.core.pdf import PdfUnavailable

from .. import rules, selectors
from ..models import RecordPeriod, RecordSignature
from .book import book_contract, book_periods, file_name, latest_signature, verification

PDF_VARIANT: str | None = None  # plain PDF; "pdf/a-3b" works but costs time (see above)
PDF_A_VARIANT = "pdf/a-3b"
TEMPLATE = "records/pdf/book.html"
UNAVAILABLE_TEMPLATE = "records/pdf/unavailable.html"


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
    # The period's last day had not begun when the book was made: a plan, not evidence (BBiG § 43 Abs. 1
    # Nr. 2). A signature on it (from before the platform refused that) is shown as recorded but not counted.
    future: bool = False

    @property
    def signed(self) -> bool:
        """Signed off and countable as evidence: signed, and its last day has begun."""
        return self.period.state == RecordPeriod.State.SIGNED and not self.future

    @property
    def signed_in_future(self) -> bool:
        return self.period.state == RecordPeriod.State.SIGNED and self.future


FIGURE_SPACE = "\u2007"  # as wide as a digit: right-aligns the hours in a proportional font


def _hours_cell(value: Decimal | None) -> str:
    return number_format(value, 2).rjust(5, FIGURE_SPACE) if value is not None else ""


def day_lines(days: list, total: Decimal) -> str:
    """The days of a period as tab-aligned lines (date, hours, place and note), with the total.

    Not an HTML table on purpose: WeasyPrint lays out even a small table slowly, and a table per week adds up
    on a three-year book (docs/performance.md); tab stops (see book.css) look much the same and cost little.
    """
    lines = []
    for day in days:
        place = str(day.get_place_display())
        lines.append(
            f"{date_format(day.date, 'D d.m.')}\t{_hours_cell(day.hours)}\t{place}{' – ' + day.note if day.note else ''}"
        )
    lines.append(f"{_('Total')}\t{_hours_cell(total)}")
    return "\n".join(lines)


def pdf_context(
    contract: TrainingContract, *, base_url: str | None = None, today: datetime.date | None = None
) -> dict:
    """Everything `records/pdf/book.html` needs, read with a fixed number of queries; `today` (the local
    date, by default now) decides which periods lie in the future."""
    today = today or timezone.localdate()
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
                future=not rules.period_has_ended(period.end, today),
            )
        )
    signed = sum(1 for s in sheets if s.signed)
    signed_in_future = sum(1 for s in sheets if s.signed_in_future)
    return {
        "contract": contract,
        "trainers": list(contract.trainer_links.all()),
        "sheets": sheets,
        "coverage": selectors.coverage(contract),
        "verification": verification(periods, base_url),
        "counts": {
            "periods": len(sheets),
            "signed": signed,
            "unsigned": len(sheets) - signed,
            "signed_in_future": signed_in_future,
        },
        "created_at": timezone.now(),
        "part_first": True,
        "part_last": True,
    }


# A long book is laid out in pieces in worker processes (WeasyPrint uses one core) and joined with pypdf: the
# cover, the periods in chunks of CHUNK_SHEETS, the coverage summary. Each period sheet says "Record k of N" in
# its header instead of a page counter, which would restart in every piece. Small documents are also cheaper
# per page: WeasyPrint's layout and bookmark handling grow faster than the page count.
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
    return pdf.html_to_pdf(html, base_url=base_url, pdf_variant=pdf_variant)


_warmed_up = False


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
    cache_key: str | None = None  # None: laid out every time
    pdf: bytes | None = None


def _pieces(context: dict, base_url: str | None) -> list[_Piece]:
    """Cover, chunks of periods, coverage summary: their HTML, and a cache key for fully signed chunks."""
    engine = pdf.engine_version()
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
            digest = hashlib.sha256(f"{engine}\n{base_url or ''}\n{html}".encode()).hexdigest()
            key = PDF_CACHE_PREFIX + digest
        pieces.append(_Piece(html, key))
    return pieces


def _pdf_cache():
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
    pdf.load_weasyprint()
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
                # layout of the last ones.
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
