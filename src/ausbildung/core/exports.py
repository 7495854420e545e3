"""Files the platform hands out (PDF, JSON, CSV): the response that carries one.

Exports hold personal data, often of minors, so every download is marked `private, no-store`: no shared cache
(a proxy, the browser's disk cache of a shared school computer) keeps a copy.
"""

from __future__ import annotations

from django.http import HttpResponse

__all__ = ["download"]


def download(content: bytes, *, content_type: str, file_name: str, inline: bool = False) -> HttpResponse:
    """A response carrying a file: shown in the browser (`inline`, e.g. a PDF) or saved under `file_name`."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{file_name}"'
    response["Cache-Control"] = "private, no-store"
    return response
