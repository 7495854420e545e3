"""Exports of the training record: the PDF for the exam and the JSON personal copy, and who may get them."""

from __future__ import annotations

import datetime
import io
import json
import shutil
import subprocess
import sys

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from ausbildung.core.models import FrameworkItem, TrainingContract
from ausbildung.records import exporters, services
from ausbildung.records.exporters import pdf as book_pdf
from ausbildung.records.models import RecordDay, RecordPeriod

SIGNED_WEEK = datetime.date(2025, 8, 4)
SUBMITTED_WEEK = datetime.date(2025, 8, 18)
SIGNED_TEXT = "Arbeitsplatzrechner eingerichtet und Benutzerkonten im Verzeichnisdienst angelegt."
SUBMITTED_TEXT = "Netzwerkdosen geprüft und den Serverraum dokumentiert."


def week(start: datetime.date, *, school_day: int | None = 2) -> list[services.DayInput]:
    """Monday to Friday 7,5 hours (one vocational-school day), weekend off."""
    days = []
    for offset in range(7):
        day = start + datetime.timedelta(days=offset)
        if offset >= 5:
            days.append(services.DayInput(date=day, place=RecordDay.Place.FREE, hours=None))
        elif offset == school_day:
            days.append(
                services.DayInput(date=day, place=RecordDay.Place.SCHOOL, hours="6,5", note="Lernfeld 2")
            )
        else:
            days.append(services.DayInput(date=day, place=RecordDay.Place.COMPANY, hours="7,5"))
    return days


def save(demo, contract, start, text, item_ids=(), *, multiline=False) -> RecordPeriod:
    company = f"{text}\nZweite Zeile der Woche." if multiline else text
    return services.record_period_save(
        actor=demo["azubi"],
        contract=contract,
        start=start,
        data=services.PeriodInput(
            company_work=company,
            instruction="Unterweisung Arbeitssicherheit",
            school="Lernfeld 2: Arbeitsplätze nach Kundenwunsch ausstatten",
            days=week(start),
            item_ids=list(item_ids),
        ),
    )


@pytest.fixture
def contract(demo) -> TrainingContract:
    return TrainingContract.objects.get(apprentice=demo["azubi"], status=TrainingContract.Status.ACTIVE)


@pytest.fixture
def items(contract) -> list[FrameworkItem]:
    return list(
        FrameworkItem.objects.filter(framework_position__plan__occupation=contract.occupation).order_by(
            "framework_position__position", "position"
        )[:2]
    )


@pytest.fixture
def book(demo, contract, items) -> dict[str, RecordPeriod]:
    """One signed week (with two framework-plan items), one submitted week."""
    signed = save(demo, contract, SIGNED_WEEK, SIGNED_TEXT, [i.pk for i in items], multiline=True)
    services.record_period_submit(actor=demo["azubi"], period=signed)
    signed = services.record_period_sign(actor=demo["ausbilder"], period=signed)
    submitted = save(demo, contract, SUBMITTED_WEEK, SUBMITTED_TEXT)
    submitted = services.record_period_submit(actor=demo["azubi"], period=submitted)
    return {"signed": signed, "submitted": submitted}


def pdf_text(content: bytes) -> str:
    """The text of a PDF (pypdf, else poppler's pdftotext), with whitespace collapsed."""
    try:
        from pypdf import PdfReader
    except ImportError:
        if shutil.which("pdftotext") is None:
            pytest.skip("neither pypdf nor pdftotext is available to read the PDF")
        result = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
        text = result.stdout.decode("utf-8")
    else:
        text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def url(name: str, contract: TrainingContract) -> str:
    return reverse(f"records:{name}", kwargs={"contract_id": contract.pk})


# --- PDF -------------------------------------------------------------------------------------------------------


def test_pdf_shows_signed_and_unsigned_periods(client_for, contract, book, items):
    response = client_for("apprentice").get(url("pdf", contract))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith(
        'filename="ausbildungsnachweis-becker-jonas-2025-08-01.pdf"'
    )
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    with translation.override("de"):
        not_signed = translation.gettext("not signed off")
    assert "Jonas Becker" in text
    assert "Fachinformatiker" in text and "Anwendungsentwicklung" in text
    assert contract.occupation.fundstelle in text
    assert contract.chamber_registration_number in text
    assert SIGNED_TEXT in text and "Zweite Zeile der Woche." in text
    assert SUBMITTED_TEXT in text
    assert book["signed"].content_hash in text.replace(" ", "")  # the hash may wrap
    assert "Miriam Klein" in text
    assert items[0].text.split()[0] in text
    # The cover states the head of the signature chain and the code that checks the book on the platform.
    head = book["signed"].signatures.get()
    assert head.chain_hash in text.replace(" ", "").replace("\n", "")
    assert exporters.export_dict(contract)["chain"]["verification_code"] in text
    assert "http://testserver/nachweis/echtheit/?code=" in text.replace(" ", "").replace("\n", "")
    # The cover counts the unsigned periods; the signed week's page does not say "not signed off", the
    # submitted week's page does, in the header stamp and in the trainer's signature box.
    _cover, rest = text.split("04.08.2025", 1)
    signed_page, submitted_page = rest.split("18.08.2025", 1)
    assert not_signed.lower() not in signed_page.lower()
    assert submitted_page.lower().count(not_signed.lower()) == 2
    assert "36,50" in signed_page  # the week's total: 4 × 7,5 + 6,5 hours


def test_pdf_unsigned_marker_reads_nicht_abgezeichnet_in_german():
    """The word the exam office looks for. Fails until the German catalogue translates "not signed off"."""
    with translation.override("de"):
        assert translation.gettext("not signed off") == "nicht abgezeichnet"


def test_render_pdf_as_pdf_a_3b(contract, book):
    """Plain PDF by default (speed, see `exporters.pdf`); PDF/A-3b on request works."""
    pypdf = pytest.importorskip("pypdf")

    content = exporters.render_pdf(contract, pdf_variant=exporters.PDF_A_VARIANT)

    assert content.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    metadata = root["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in metadata and b'pdfaid:conformance="B"' in metadata
    assert "/OutputIntents" in root
    assert reader.metadata.author == "Jonas Becker"


def test_pdf_context_reads_the_book_with_a_fixed_number_of_queries(demo, contract, book):
    with CaptureQueriesContext(connection) as two:
        context = exporters.pdf_context(contract)
    assert [s.period.start for s in context["sheets"]] == [SIGNED_WEEK, SUBMITTED_WEEK]
    assert context["sheets"][0].training_year == 1
    assert (context["completeness"].signed, context["completeness"].submitted) == (1, 1)
    assert context["signed_in_future"] == 0
    for start in (datetime.date(2025, 9, 1), datetime.date(2025, 9, 8), datetime.date(2025, 9, 15)):
        save(demo, contract, start, f"Woche ab {start:%d.%m.%Y}")
    with CaptureQueriesContext(connection) as five:
        exporters.pdf_context(contract)
    assert len(five) == len(two)


def test_long_book_laid_out_by_worker_processes_is_joined_in_order(contract, book, monkeypatch):
    """With two worker processes the pieces come back as they are done and are joined in book order."""
    pypdf = pytest.importorskip("pypdf")
    monkeypatch.setattr(book_pdf, "PARALLEL_MIN_SHEETS", 1)
    monkeypatch.setattr(book_pdf, "CHUNK_SHEETS", 1)

    content = exporters.render_pdf(contract, parts=2)

    assert len(pypdf.PdfReader(io.BytesIO(content)).pages) == 4  # cover, two weeks, coverage
    text = pdf_text(content)
    assert text.index("Jonas Becker") < text.index(SIGNED_TEXT) < text.index(SUBMITTED_TEXT)
    assert book["signed"].content_hash in text.replace(" ", "")


def test_pdf_without_weasyprint_answers_503(client_for, contract, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # `import weasyprint` fails as without Pango

    response = client_for("apprentice").get(url("pdf", contract))

    assert response.status_code == 503
    assert "records/pdf/unavailable.html" in [t.name for t in response.templates]
    assert url("export_json", contract) in response.content.decode()


# --- JSON ------------------------------------------------------------------------------------------------------


def test_json_round_trips_the_book(client_for, contract, book, items):
    response = client_for("apprentice").get(url("export_json", contract))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="ausbildungsnachweis-becker-jonas-2025-08-01.json"'
    )
    data = json.loads(response.content)
    assert data["format"] == "ausbildung.record-book"
    assert data["version"] == 2
    assert datetime.datetime.fromisoformat(data["exported_at"]).tzinfo is not None

    head = data["contract"]
    assert head["apprentice"]["name"] == "Jonas Becker"
    assert head["occupation"]["slug"] == contract.occupation.slug
    assert head["occupation"]["specialisation"]["name"] == contract.specialisation.name
    assert head["regulation"] == {
        "title": contract.occupation.regulation_title,
        "abbreviation": contract.occupation.jurabk or None,
        "issued_on": contract.occupation.issued_on.isoformat(),
        "fundstelle": contract.occupation.fundstelle,
    }
    assert head["company"]["name"] == contract.company.name
    assert head["trainers"] == [{"name": "Miriam Klein", "kind": "main"}]
    assert (head["start"], head["end"]) == ("2025-08-01", contract.end_date.isoformat())
    assert head["chamber_registration_number"] == contract.chamber_registration_number

    signed, submitted = data["periods"]
    assert (signed["start"], signed["end"], signed["form"]) == ("2025-08-04", "2025-08-10", "weekly")
    assert signed["state"] == "signed" and submitted["state"] == "submitted"
    assert signed["sections"]["company_work"] == f"{SIGNED_TEXT}\nZweite Zeile der Woche."
    assert signed["days"][0] == {
        "date": "2025-08-04",
        "place": "company",
        "hours": "7.50",
        "note": "",
        "lessons": None,
    }
    assert signed["days"][2] == {
        "date": "2025-08-06",
        "place": "school",
        "hours": "6.50",
        "note": "Lernfeld 2",
        "lessons": None,
    }
    assert signed["days"][6] == {
        "date": "2025-08-10",
        "place": "free",
        "hours": None,
        "note": "",
        "lessons": None,
    }
    assert [(i["position"], i["letter"], i["text"]) for i in signed["items"]] == [
        (i.framework_position.number, i.letter, i.text) for i in items
    ]
    period = book["signed"]
    period.refresh_from_db()
    assert signed["content_hash"] == period.content_hash == services.content_hash(period)
    assert signed["signature"]["content_hash"] == period.content_hash
    link = period.signatures.get()
    assert signed["signature"]["key_id"] == link.key_id != ""  # a keyed link
    assert signed["signatures"] == [signed["signature"]]
    assert (
        data["chain"]
        == {  # the head of the chain, and the code that checks the export
            "sequence": 1,
            "head": link.chain_hash,
            "key_id": link.key_id,
            "verification_code": "-".join(link.chain_hash[i : i + 4] for i in range(0, 20, 4)),
            "verification_url": "http://testserver/nachweis/echtheit/?code="
            + "-".join(link.chain_hash[i : i + 4] for i in range(0, 20, 4)),
        }
    )
    assert signed["signed_by"] == "Miriam Klein" and signed["signer_kind"] == "main"
    assert datetime.datetime.fromisoformat(signed["signed_at"]) == period.signed_at
    assert datetime.datetime.fromisoformat(signed["submitted_at"]) == period.submitted_at
    assert submitted["submitted_at"] is not None
    assert (
        submitted["signed_at"] is None
        and submitted["signed_by"] is None
        and submitted["content_hash"] is None
    )
    assert submitted["signature"] is None
    assert submitted["items"] == []


def test_export_dict_matches_the_response(contract, book):
    data = exporters.export_dict(contract)
    json.dumps(data)  # JSON-ready as it is: no Decimal, date or lazy string inside
    assert [p["start"] for p in data["periods"]] == ["2025-08-04", "2025-08-18"]


# --- access ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["pdf", "export_json"])
@pytest.mark.parametrize(
    ("role", "status"), [("vocational_school_teacher", 404), ("chamber_officer", 200), ("guardian", 200)]
)
def test_access(client_for, contract, name, role, status):
    assert client_for(role).get(url(name, contract)).status_code == status


@pytest.mark.parametrize("name", ["pdf", "export_json"])
def test_unrelated_trainer_gets_404(demo, contract, name):
    client = Client()
    client.force_login(demo["meister"])
    assert client.get(url(name, contract)).status_code == 404
