"""The plan as a PDF (WeasyPrint), for the pupil and their parents."""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from ausbildung.core.models import User

from . import selectors

TEMPLATE = "orientation/plan/pdf.html"


class PdfUnavailable(RuntimeError):
    """WeasyPrint cannot run on this machine (its system libraries are missing)."""


def render_pdf(pupil: User) -> bytes:
    try:
        import weasyprint
    except (OSError, ImportError) as error:
        raise PdfUnavailable(str(error)) from error
    html = render_to_string(TEMPLATE, {"plan": selectors.plan_of(pupil), "created_at": timezone.now()})
    return weasyprint.HTML(string=html).write_pdf()


def response(pupil: User) -> HttpResponse:
    result = HttpResponse(render_pdf(pupil), content_type="application/pdf")
    result["Content-Disposition"] = (
        f'attachment; filename="berufswahlfahrplan-{timezone.localdate():%Y-%m-%d}.pdf"'
    )
    result["Cache-Control"] = "private, no-store"
    return result
