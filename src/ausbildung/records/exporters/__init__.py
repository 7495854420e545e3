"""Exports of a record book, one exporter class per format, registered in `EXPORTERS`.

- `pdf`: the signed-off record for the final exam (BBiG § 43 Abs. 1 Nr. 2), laid out with `core.pdf`;
- `json_copy`: the apprentice's personal copy in an open format ("ausbildung.record-book", version 2);
- `book`: what both read (the whole book in a fixed number of queries) and the evidence both state (the head
  of the signature chain and its verification code).

An exporter has a `content_type` and `response(request, contract) -> HttpResponse`; a view picks it by format
name. Every PDF of the platform goes through `core.pdf`, every file download through `core.exports.download`.
"""

from __future__ import annotations

from typing import Protocol

from django.http import HttpRequest, HttpResponse

from ausbildung.core.models import TrainingContract
from ausbildung.core.pdf import PdfUnavailable

from .book import file_name
from .json_copy import FORMAT, VERSION, JsonExporter, export_dict
from .pdf import PDF_A_VARIANT, PDF_VARIANT, PdfExporter, pdf_context, render_pdf


class Exporter(Protocol):
    content_type: str

    def response(self, request: HttpRequest, contract: TrainingContract) -> HttpResponse: ...


EXPORTERS: dict[str, Exporter] = {"pdf": PdfExporter(), "json": JsonExporter()}

__all__ = [
    "EXPORTERS",
    "FORMAT",
    "PDF_A_VARIANT",
    "PDF_VARIANT",
    "VERSION",
    "Exporter",
    "JsonExporter",
    "PdfExporter",
    "PdfUnavailable",
    "export_dict",
    "file_name",
    "pdf_context",
    "render_pdf",
]
