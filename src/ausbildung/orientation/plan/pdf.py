"""The plan as a PDF (WeasyPrint), for the pupil and their parents."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone

from ausbildung.core import exports, pdf
from ausbildung.core.models import User
from ausbildung.core.pdf import PdfUnavailable

from . import selectors

TEMPLATE = "orientation/plan/pdf.html"

__all__ = ["PdfUnavailable", "render_pdf", "response"]


def render_pdf(pupil: User) -> bytes:
    """Raises PdfUnavailable when WeasyPrint cannot run."""
    return pdf.render_pdf(TEMPLATE, {"plan": selectors.plan_of(pupil), "created_at": timezone.now()})


def response(pupil: User) -> HttpResponse:
    name = f"berufswahlfahrplan-{timezone.localdate():%Y-%m-%d}.pdf"
    return exports.download(render_pdf(pupil), content_type="application/pdf", file_name=name)
