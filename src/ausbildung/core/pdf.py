"""PDF documents from Django templates with WeasyPrint: the one module of the platform that imports it.

Every PDF (the record book, the company self-check for the training adviser, a pupil's career plan) is an
HTML template laid out by WeasyPrint. WeasyPrint needs system libraries (Pango, HarfBuzz) that a development
machine or a slim container may lack; the platform must still serve every other page there, so the import is
lazy, and its failure is `PdfUnavailable`, which each PDF view answers with a readable German message instead
of a server error.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from django.template.loader import render_to_string

__all__ = ["PdfUnavailable", "engine_version", "html_to_pdf", "load_weasyprint", "render_pdf"]


class PdfUnavailable(RuntimeError):
    """WeasyPrint cannot run on this machine (not installed, or its system libraries are missing)."""


def load_weasyprint() -> ModuleType:
    """The `weasyprint` module; raises PdfUnavailable when it cannot be imported (e.g. no Pango)."""
    try:
        import weasyprint
    except (OSError, ImportError) as error:
        raise PdfUnavailable(str(error)) from error
    return weasyprint


def engine_version() -> str:
    """WeasyPrint's version: part of a cache key for laid-out pages (a new version may lay out differently)."""
    return str(load_weasyprint().__version__)


def html_to_pdf(html: str, *, base_url: str | None = None, pdf_variant: str | None = None) -> bytes:
    """Lay out an HTML document as PDF bytes; `pdf_variant` e.g. "pdf/a-3b" (None: plain PDF)."""
    return load_weasyprint().HTML(string=html, base_url=base_url).write_pdf(pdf_variant=pdf_variant)


def render_pdf(
    template: str, context: dict[str, Any], *, base_url: str | None = None, pdf_variant: str | None = None
) -> bytes:
    """Render a template and lay it out as PDF bytes. Raises PdfUnavailable before rendering anything when
    WeasyPrint cannot run."""
    load_weasyprint()
    return html_to_pdf(render_to_string(template, context), base_url=base_url, pdf_variant=pdf_variant)
