"""The record book's PDF (#16): the cover states the book's completeness (signed / submitted / returned /
missing, missing weeks as ranges, periods ahead never missing), German wording ("Summe"), and the pages of
signed periods laid out once (when signed, in the background) and joined into later downloads unchanged."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import translation

from ausbildung.core.models import FrameworkItem
from ausbildung.records import exporters, selectors, services
from ausbildung.records.exporters import pdf as book_pdf
from ausbildung.records.models import RecordPdfPart, RecordPeriod

from .test_exporters import SIGNED_TEXT, SUBMITTED_TEXT, pdf_text, save, week

TODAY = datetime.date(2025, 10, 1)  # a Wednesday; the contract began on Friday 01.08.2025


def d(text: str) -> datetime.date:
    day, month, year = (int(part) for part in text.split("."))
    return datetime.date(year, month, day)


@pytest.fixture
def book(demo, contract):
    """Signed 04.08., submitted 18.08., returned 01.09., a draft 15.09., a plan for 13.10. (ahead)."""
    items = FrameworkItem.objects.filter(framework_position__plan__occupation=contract.occupation)[:2]
    apprentice, trainer = demo["azubi"], demo["ausbilder"]
    signed = save(demo, contract, d("04.08.2025"), SIGNED_TEXT, [i.pk for i in items])
    services.record_period_submit(actor=apprentice, period=signed)
    services.record_period_sign(actor=trainer, period=signed)
    submitted = save(demo, contract, d("18.08.2025"), SUBMITTED_TEXT)
    services.record_period_submit(actor=apprentice, period=submitted)
    returned = save(demo, contract, d("01.09.2025"), "Woche mit Rückfragen")
    services.record_period_submit(actor=apprentice, period=returned)
    services.record_period_return(actor=trainer, period=returned, comment="Bitte ergänzen.")
    save(demo, contract, d("15.09.2025"), "Entwurf der Woche")
    save(demo, contract, d("13.10.2025"), "Geplant: Projektwoche")
    return contract


def test_completeness_counts_the_due_periods_and_lists_missing_ones_as_ranges(book):
    c = selectors.completeness(book, today=TODAY)
    # Due by 01.10.: the nine periods that ended by then (01.08.–03.08. … 22.09.–28.09.); the current week
    # (29.09.–05.10.) is not missing yet, the plan for 13.10. is ahead.
    assert (c.due, c.signed, c.submitted, c.returned, c.draft, c.missing, c.ahead) == (9, 1, 1, 1, 1, 5, 1)
    assert [(r.start, r.end, r.periods) for r in c.missing_ranges] == [
        (d("01.08.2025"), d("03.08.2025"), 1),
        (d("11.08.2025"), d("17.08.2025"), 1),
        (d("25.08.2025"), d("31.08.2025"), 1),
        (d("08.09.2025"), d("14.09.2025"), 1),
        (d("22.09.2025"), d("28.09.2025"), 1),
    ]
    assert not c.complete


def test_consecutive_missing_weeks_are_one_range(demo, contract):
    c = selectors.completeness(contract, today=d("01.09.2025"))
    assert c.missing == c.due == 5
    assert [(r.start, r.end, r.periods) for r in c.missing_ranges] == [(d("01.08.2025"), d("31.08.2025"), 5)]


def test_a_signed_period_ahead_is_neither_counted_nor_printed_as_signed(demo, contract, book):
    # A week that has not ended yet but was signed (possible before #16's rules): a plan in the export.
    ahead = RecordPeriod.objects.get(contract=contract, start=d("13.10.2025"))
    RecordPeriod.objects.filter(pk=ahead.pk).update(state=RecordPeriod.State.SIGNED)
    c = selectors.completeness(contract, today=TODAY)
    assert c.signed == 1 and c.ahead == 1
    sheet = next(s for s in exporters.pdf_context(contract, today=TODAY)["sheets"] if s.period.pk == ahead.pk)
    assert sheet.ahead and not sheet.signed


def test_pdf_cover_states_its_completeness_in_german(book):
    with translation.override("de"):
        text = pdf_text(exporters.render_pdf(book, today=TODAY))
    cover = text.split("Prüfen Sie diesen Nachweis", 1)[0] if "Prüfen Sie diesen Nachweis" in text else text
    assert "Fällige Zeiträume bis 01.10.2025 9" in cover
    assert "Abgezeichnet 1" in cover
    assert "Eingereicht, noch nicht abgezeichnet 1" in cover
    assert "Zur Überarbeitung zurückgegeben 1" in cover
    assert "Fehlend (kein Eintrag) 5" in cover
    assert "Im Voraus angelegt, noch nicht fällig (nicht gezählt) 1" in cover
    assert "Fehlende Zeiträume: 01.08.2025 – 03.08.2025; 11.08.2025 – 17.08.2025" in cover
    # The week's sum of hours in German, never "Total".
    assert "Summe 36,50" in text and "Total" not in text
    # The plan ahead is printed as such, not as evidence.
    assert "noch nicht fällig: eine Planung, kein Nachweis der Ausbildung" in text


def test_cover_lists_long_runs_of_missing_weeks_compactly(demo, contract):
    with translation.override("de"):
        text = pdf_text(exporters.render_pdf(contract, today=d("01.09.2025")))
    assert "Fehlende Zeiträume: 01.08.2025 – 31.08.2025 (5 Zeiträume)" in text


# --- the stored pages of signed periods ------------------------------------------------------------------------


def _long_book(demo, contract, weeks: int) -> list[RecordPeriod]:
    periods = []
    for n in range(weeks):
        start = d("04.08.2025") + datetime.timedelta(weeks=n)
        period = save(demo, contract, start, f"Woche {n + 1}: {SIGNED_TEXT}")
        services.record_period_submit(actor=demo["azubi"], period=period)
        periods.append(
            services.record_period_sign(actor=demo["ausbilder"], period=period, confirm_findings=True)
        )
    return periods


@pytest.fixture
def counting(monkeypatch):
    laid_out: list[str] = []
    render_part = book_pdf._render_part

    def count(html, base_url, pdf_variant):
        laid_out.append(html)
        return render_part(html, base_url, pdf_variant)

    monkeypatch.setattr(book_pdf, "_render_part", count)
    return laid_out


def _pages_after_cover(text: str) -> str:
    return text.split("Jonas Becker · Mo 04.08.2025", 1)[1]


def test_signing_lays_out_the_chunk_once_and_downloads_reuse_it_unchanged(demo, contract, counting):
    """Signing the last period of a chunk lays it out (here called as the background thread would); a download
    then lays out only the cover and the coverage summary, and its pages equal a cold layout's."""
    _long_book(demo, contract, 14)  # chunk 0 (periods 1–13: 01.08.–31.10.) is full, chunk 1 has one period
    counting.clear()
    assert book_pdf.prepare(contract.pk, today=TODAY + datetime.timedelta(days=90)) == 2
    assert RecordPdfPart.objects.filter(contract=contract).count() == 2
    assert book_pdf.prepare(contract.pk, today=TODAY + datetime.timedelta(days=90)) == 0  # nothing new

    counting.clear()
    warm = exporters.render_pdf(contract, parts=1)
    assert len(counting) == 2  # cover and coverage; both chunks from the store
    assert not any(SIGNED_TEXT in html for html in counting)

    counting.clear()
    cold = exporters.render_pdf(contract, parts=1, use_stored=False)
    assert len(counting) == 1  # a short book without stored parts: one document
    assert _pages_after_cover(pdf_text(warm)) == _pages_after_cover(pdf_text(cold))
    import io

    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(warm)).pages) == len(PdfReader(io.BytesIO(cold)).pages)


def test_a_week_written_later_changes_only_its_own_chunk(demo, contract, counting):
    _long_book(demo, contract, 14)
    book_pdf.prepare(contract.pk)
    first = dict(RecordPdfPart.objects.filter(contract=contract).values_list("chunk", "key"))
    # Week 16 of the training (chunk 1) is written and signed: chunk 0 keeps its part and its numbers.
    period = save(demo, contract, d("10.11.2025"), "Spät nachgetragen")
    services.record_period_submit(actor=demo["azubi"], period=period)
    services.record_period_sign(actor=demo["ausbilder"], period=period, confirm_findings=True)
    counting.clear()
    assert book_pdf.prepare(contract.pk) == 1
    second = dict(RecordPdfPart.objects.filter(contract=contract).values_list("chunk", "key"))
    assert second[0] == first[0] and second[1] != first[1]
    assert "Spät nachgetragen" in counting[0]
    assert RecordPdfPart.objects.filter(contract=contract).count() == 2  # the old part of chunk 1 is gone


def test_a_reopened_period_is_laid_out_anew_never_from_the_store(demo, contract, counting):
    periods = _long_book(demo, contract, 13)
    book_pdf.prepare(contract.pk)
    services.record_period_reopen(actor=demo["ausbilder"], period=periods[3], reason="Korrektur")
    period = RecordPeriod.objects.get(pk=periods[3].pk)
    services.record_period_write(
        actor=demo["azubi"],
        contract=contract,
        start=period.start,
        action="save",
        version=period.version,
        data=services.PeriodInput(
            company_work="Korrigierter Text der Woche",
            instruction="Unterweisung Arbeitssicherheit",
            school="Lernfeld 2",
            days=week(period.start),
            item_ids=[],
        ),
    )
    text = pdf_text(exporters.render_pdf(contract, parts=1))
    assert "Korrigierter Text der Woche" in text
    assert any("Korrigierter Text der Woche" in html for html in counting)


def test_period_numbers_follow_the_contract_calendar(demo, contract):
    save(demo, contract, d("18.08.2025"), "Dritte Woche")
    sheet = exporters.pdf_context(contract)["sheets"][0]
    assert sheet.number == 4  # 01.08.–03.08., 04.08., 11.08., 18.08.
    starts = book_pdf.calendar_starts(contract)
    assert starts[0] == contract.start_date and re.match(r"\d+", str(len(starts)))


def test_parts_are_kept_per_language(demo, contract, counting):
    """A download in another language lays out its own pages and does not replace the German ones."""
    _long_book(demo, contract, 13)
    book_pdf.prepare(contract.pk)
    german = set(RecordPdfPart.objects.filter(contract=contract).values_list("key", flat=True))
    with translation.override("en"):
        counting.clear()
        english = pdf_text(exporters.render_pdf(contract, parts=1))
        assert any(SIGNED_TEXT in html for html in counting)  # laid out in English, not the German pages
        assert "Hours in total" in english and "Summe" not in english
    assert set(RecordPdfPart.objects.filter(contract=contract).values_list("key", flat=True)) >= german
    counting.clear()
    with translation.override("de"):
        exporters.render_pdf(contract, parts=1)
    assert not any(SIGNED_TEXT in html for html in counting)


def test_signing_prepares_the_book_in_a_background_thread_after_the_commit(
    demo, contract, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """The wiring: a signature schedules `prepare` for after its commit, which runs it in a background thread
    of the process (the immediate task backend would hold up the request), once per waiting contract."""
    import threading

    settings.RECORDS_PDF_PREPARE = True
    done = threading.Event()
    calls: list[tuple[int, str]] = []

    def record(contract_id, **kwargs):
        calls.append((contract_id, threading.current_thread().name))
        done.set()
        return 0

    monkeypatch.setattr(book_pdf, "prepare", record)
    period = save(demo, contract, d("04.08.2025"), SIGNED_TEXT)
    services.record_period_submit(actor=demo["azubi"], period=period)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.record_period_sign(actor=demo["ausbilder"], period=period)
    assert calls == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert done.wait(10)
    assert calls == [(contract.pk, "records-pdf-prepare")]
