from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from pypdf import PdfWriter

from ausbildung.offers.models import Application, ApplicationDocument, Offer


def blank_pdf() -> bytes:
    """A well-formed one-page PDF (uploads are parsed, so a few bytes starting with %PDF- are not enough)."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF = blank_pdf()


def demo_offer(slug: str = "fiausbv") -> Offer:
    return Offer.objects.get(occupation__slug=slug, company__name__startswith="Saar Systemhaus")


def sent_application(demo, offer: Offer | None = None) -> Application:
    offer = offer or demo_offer()
    application, _created = Application.objects.get_or_create(
        offer=offer,
        applicant=demo["schueler"],
        defaults={"state": Application.State.SENT, "message": "Hallo"},
    )
    return application


def document_of(application: Application) -> ApplicationDocument:
    document = ApplicationDocument(
        application=application,
        original_name="lebenslauf.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
    )
    document.file.save("lebenslauf.pdf", ContentFile(PDF), save=False)
    document.save()
    return document


@pytest.fixture
def offer(demo) -> Offer:
    return demo_offer()
