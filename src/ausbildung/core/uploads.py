"""Checks of uploaded documents (application documents, signed consent forms): the type is read from the
file's first bytes and must agree with the name's extension; the size is limited. Stored files live outside
the web root (`offers.models.private_storage`) and are served only by views that check access."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"


def check_document(upload: UploadedFile, *, max_bytes: int) -> str:
    """The content type (PDF, JPEG or PNG) from the file's first bytes; the name's extension must agree.
    Raises ValidationError with a German message for empty, too large or other files."""
    if upload.size is None or upload.size == 0:
        raise ValidationError(_("The file is empty."))
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is larger than %(mb)s MB. Please make it smaller (e.g. scan at 150 dpi).")
            % {"mb": f"{max_bytes / (1024 * 1024):.0f}"}
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    name = (upload.name or "").lower()
    if head.startswith(b"%PDF-") and name.endswith(".pdf"):
        return PDF
    if head.startswith(b"\xff\xd8\xff") and name.endswith((".jpg", ".jpeg")):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n") and name.endswith(".png"):
        return PNG
    raise ValidationError(
        _("Only PDF, JPEG and PNG files can be uploaded, and the content must match the type.")
    )
