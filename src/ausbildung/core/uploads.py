"""Checks of uploaded documents (PDF, JPEG, PNG) before they are stored: one public entry point, `document_type`.

An uploaded file is later opened by someone else (a company's recruiter, a teacher), in a PDF reader or an
image viewer. The check therefore accepts only files that are what they claim to be and carry nothing active:

1. The first bytes decide the type, and the name's extension must agree (a `.pdf` that starts with `%PDF-`).
2. PDF: pypdf must be able to parse it (a file it cannot read is refused, not waved through), and no object,
   also none inside a compressed object stream, may carry active content:
   - `/JavaScript`, `/JS`: scripts, run by Acrobat and many viewers;
   - `/OpenAction` with an action, `/AA` (additional actions): run on opening a document, page or field;
   - `/Launch`, `/SubmitForm`, `/ImportData`, `/GoToE`: start programs, send form data, open embedded files;
   - `/EmbeddedFile(s)`, `/EF`: attachments (an executable inside a CV);
   - `/RichMedia*`: Flash and 3D content with its own scripting;
   - `/XFA`: XML forms, a second scripting engine.
   Links (`/URI`) and an `/OpenAction` that only names the first page to show (a destination array, as LaTeX
   writes it) stay allowed. The same names are also searched in the raw bytes and in the decompressed object
   streams, so that an object the cross-reference table does not list (which viewers recover) is seen too.
   Password-protected PDFs whose content cannot be opened without the password are refused: they cannot be
   checked.
3. Polyglots: a file that is a PDF and at the same time another format (a ZIP archive with its end record at the
   end of the file, an HTML page after `%%EOF`). After the PDF's last `%%EOF`, only a little whitespace may
   follow; no ZIP end record may be in the file's tail; no HTML in its first or last bytes.
4. JPEG and PNG must be structurally whole: their segments / chunks are walked from the start to the end marker
   (JPEG EOI `FFD9`, PNG `IEND` with valid chunk checksums), and at most a small padding may follow it.
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"

# Bytes that may follow the end marker (%%EOF, EOI, IEND): line ends and NUL padding some writers add.
TRAILING_SLACK = 64

# Keys (PDF names) whose presence alone means active content.
ACTIVE_KEYS = frozenset(
    {
        "/JavaScript",
        "/JS",
        "/AA",
        "/Launch",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/EF",
        "/RichMedia",
        "/RichMediaContent",
        "/RichMediaSettings",
        "/XFA",
    }
)
# Action types (the /S of an action dictionary) that are active content.
ACTIVE_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToE", "/RichMediaExecute", "/Rendition"}
)
# The same names searched in raw and decompressed bytes (after resolving #xx escapes in names).
RAW_ACTIVE = re.compile(
    rb"/(?:JavaScript|JS|AA|Launch|SubmitForm|ImportData|GoToE|EmbeddedFiles?|EF|RichMedia\w*|XFA)"
    rb"(?![A-Za-z0-9])"
)
NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
ZIP_END_OF_CENTRAL_DIRECTORY = b"PK\x05\x06"
ZIP_TAIL = 65_557  # the end record (22 bytes) plus the longest archive comment
HTML_MARKERS = re.compile(rb"<\s*(?:script|html|body|iframe|svg|!doctype)", re.IGNORECASE)


def document_type(upload: UploadedFile, *, max_bytes: int) -> str:
    """The MIME type of an acceptable document (PDF, JPEG, PNG); else ValidationError with a German message."""
    if upload.size is None or upload.size == 0:
        raise ValidationError(_("The file is empty."))
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is larger than %(mb)s MB. Please make it smaller (e.g. scan at 150 dpi).")
            % {"mb": f"{max_bytes / (1024 * 1024):.0f}"}
        )
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    upload.seek(0)
    name = (upload.name or "").lower()
    if data.startswith(b"%PDF-") and name.endswith(".pdf"):
        check_pdf(data)
        return PDF
    if data.startswith(b"\xff\xd8\xff") and name.endswith((".jpg", ".jpeg")):
        check_jpeg(data)
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n") and name.endswith(".png"):
        check_png(data)
        return PNG
    raise ValidationError(
        _("Only PDF, JPEG and PNG files can be uploaded, and the content must match the type.")
    )


# --- errors ---------------------------------------------------------------------------------------------------


def _active_content() -> ValidationError:
    return ValidationError(
        _(
            "The PDF file contains active content (scripts, automatic actions or embedded files) and cannot "
            "be accepted. A copy printed to PDF again has none."
        ),
        code="active_content",
    )


def _unreadable_pdf() -> ValidationError:
    return ValidationError(
        _("The PDF file cannot be read. Save it as PDF again and upload the new file."), code="unreadable"
    )


def _polyglot() -> ValidationError:
    return ValidationError(
        _("The file contains data of another file type. Save it again and upload the new file."),
        code="polyglot",
    )


def _broken_image() -> ValidationError:
    return ValidationError(
        _("The image file is damaged or has extra data at its end. Save it again and upload the new file."),
        code="broken_image",
    )


# --- PDF ------------------------------------------------------------------------------------------------------


def _has_raw_active_name(data: bytes) -> bool:
    return RAW_ACTIVE.search(NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data)) is not None


def _check_pdf_tail(data: bytes) -> None:
    end = data.rfind(b"%%EOF")
    if end < 0 or len(data) - (end + 5) > TRAILING_SLACK or data[end + 5 :].strip(b"\r\n\t \x00"):
        raise _polyglot()
    if ZIP_END_OF_CENTRAL_DIRECTORY in data[-ZIP_TAIL:] or HTML_MARKERS.search(
        data[:1024] + b" " + data[-1024:]
    ):
        raise _polyglot()


def _is_active(obj: Any) -> bool:
    from pypdf.generic import ArrayObject, DictionaryObject

    if not isinstance(obj, DictionaryObject):
        return False
    if ACTIVE_KEYS.intersection(obj.keys()):
        return True
    if obj.get("/S") in ACTIVE_ACTIONS or obj.get("/Type") == "/EmbeddedFile":
        return True
    open_action = obj.get("/OpenAction")
    # A destination array only says which page to show first; a dictionary is an action.
    return open_action is not None and not isinstance(open_action.get_object(), ArrayObject)


def check_pdf(data: bytes) -> None:
    """Refuse a PDF that pypdf cannot parse, that carries active content, or that is also another format."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError
    from pypdf.generic import IndirectObject, StreamObject

    _check_pdf_tail(data)
    if _has_raw_active_name(data):
        raise _active_content()
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(
                _("The PDF file is protected by a password. Upload it without the password."),
                code="encrypted",
            )
        if len(reader.pages) == 0:
            raise _unreadable_pdf()
        if _is_active(reader.trailer):
            raise _active_content()
        numbers = {(num, gen) for gen, table in reader.xref.items() for num in table}
        numbers |= {(num, 0) for num in reader.xref_objStm}
        for num, gen in sorted(numbers):
            obj = reader.get_object(IndirectObject(num, gen, reader))
            if _is_active(obj):
                raise _active_content()
            object_stream = obj if isinstance(obj, StreamObject) and obj.get("/Type") == "/ObjStm" else None
            if object_stream is not None and _has_raw_active_name(object_stream.get_data()):
                raise _active_content()
    except ValidationError:
        raise
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        RecursionError,
        OSError,
    ) as exc:
        raise _unreadable_pdf() from exc


# --- images ---------------------------------------------------------------------------------------------------


def _check_tail(data: bytes, end: int) -> None:
    if len(data) - end > TRAILING_SLACK or data[end:].strip(b"\r\n\t \x00"):
        raise _broken_image()


def check_jpeg(data: bytes) -> None:
    """Walk the JPEG's segments from SOI to EOI (ITU-T T.81 Annex B); only padding may follow EOI."""
    pos = 2
    in_scan = False
    while pos < len(data) - 1:
        if data[pos] != 0xFF:
            if not in_scan:
                raise _broken_image()
            pos += 1
            continue
        marker = data[pos + 1]
        if in_scan and (marker == 0x00 or 0xD0 <= marker <= 0xD7 or marker == 0xFF):
            pos += 1 if marker == 0xFF else 2  # stuffed byte, restart marker, fill byte
            continue
        if marker == 0xD9:  # EOI
            _check_tail(data, pos + 2)
            return
        if marker == 0xFF:  # fill bytes before a marker
            pos += 1
            continue
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            pos += 2
            continue
        if pos + 4 > len(data):
            break
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if length < 2:
            raise _broken_image()
        pos += 2 + length
        in_scan = marker == 0xDA  # entropy-coded data follows a start of scan
    raise _broken_image()


def check_png(data: bytes) -> None:
    """Walk the PNG's chunks (RFC 2083 / PNG spec § 5) with their CRCs, IHDR first, up to IEND."""
    pos = 8
    first = True
    while pos + 12 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        end = pos + 12 + length
        if end > len(data) or (first and kind != b"IHDR"):
            raise _broken_image()
        (crc,) = struct.unpack(">I", data[end - 4 : end])
        if zlib.crc32(data[pos + 4 : end - 4]) != crc:
            raise _broken_image()
        if kind == b"IEND":
            _check_tail(data, end)
            return
        first = False
        pos = end
    raise _broken_image()
