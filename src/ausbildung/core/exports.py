"""Files the platform hands out (PDF, JSON, CSV, and stored uploads): the response that carries one.

Exports hold personal data, often of minors, so every download is marked `private, no-store`: no shared cache
(a proxy, the browser's disk cache of a shared school computer) keeps a copy.
"""

from __future__ import annotations

from django.core.files import File
from django.http import FileResponse, Http404, HttpResponse

__all__ = ["download", "stored_file"]


def download(content: bytes, *, content_type: str, file_name: str, inline: bool = False) -> HttpResponse:
    """A response carrying a file: shown in the browser (`inline`, e.g. a PDF) or saved under `file_name`."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{file_name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def stored_file(file: File, *, content_type: str, file_name: str) -> FileResponse:
    """A stored upload (an application document, a signed consent form) as an attachment, after the caller
    decided access. The type is the one checked at upload (`core.uploads`); `nosniff` keeps the browser from
    guessing another. A file missing from storage is not found (404), not a server error."""
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type, as_attachment=True, filename=file_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
