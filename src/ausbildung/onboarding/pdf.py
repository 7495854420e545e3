"""The self-check as a PDF (WeasyPrint) for the chamber's training adviser (Ausbildungsberater)."""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from . import check, facts, ratio, selectors
from .models import OnboardingRequest

TEMPLATE = "onboarding/pdf.html"


class PdfUnavailable(RuntimeError):
    """WeasyPrint cannot run on this machine (its system libraries are missing)."""


def context(request: OnboardingRequest) -> dict:
    answers = selectors.answers_of(request)
    return {
        "req": request,
        "answers": answers,
        "points": check.evaluate(answers),
        "rule": ratio.rule(),
        "facts": facts.FACTS,
        "created_at": timezone.now(),
    }


def render_pdf(request: OnboardingRequest) -> bytes:
    try:
        import weasyprint
    except (OSError, ImportError) as error:
        raise PdfUnavailable(str(error)) from error
    html = render_to_string(TEMPLATE, context(request))
    return weasyprint.HTML(string=html).write_pdf()


def file_name(request: OnboardingRequest) -> str:
    company = slugify(request.company.name) or f"betrieb-{request.company_id}"
    return f"ausbildungsbetrieb-werden-{company}-{request.created_at:%Y-%m-%d}.pdf"


def response(request: OnboardingRequest) -> HttpResponse:
    content = render_pdf(request)
    result = HttpResponse(content, content_type="application/pdf")
    result["Content-Disposition"] = f'attachment; filename="{file_name(request)}"'
    result["Cache-Control"] = "private, no-store"
    return result
