"""The self-check as a PDF (WeasyPrint) for the chamber's training adviser (Ausbildungsberater)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify

from ausbildung.core import exports, pdf
from ausbildung.core import site_ratio as ratio
from ausbildung.core.pdf import PdfUnavailable

from . import check, facts, selectors
from .models import OnboardingRequest

TEMPLATE = "onboarding/pdf.html"

__all__ = ["PdfUnavailable", "context", "file_name", "render_pdf", "response"]


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
    """Raises PdfUnavailable when WeasyPrint cannot run."""
    return pdf.render_pdf(TEMPLATE, context(request))


def file_name(request: OnboardingRequest) -> str:
    company = slugify(request.company.name) or f"betrieb-{request.company_id}"
    return f"ausbildungsbetrieb-werden-{company}-{request.created_at:%Y-%m-%d}.pdf"


def response(request: OnboardingRequest) -> HttpResponse:
    return exports.download(render_pdf(request), content_type="application/pdf", file_name=file_name(request))
