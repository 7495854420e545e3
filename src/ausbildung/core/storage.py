"""Where private uploads live: outside the web root, without a URL (application documents, signed consent
forms). A file is served only by a view that fetched its row through an access scope."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, with no URL. The location is read from the settings on each use."""

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    @property
    def base_url(self) -> str:
        return ""


_private_storage = PrivateStorage()


def private_storage() -> PrivateStorage:
    """The storage of private uploads (a callable, so migrations name it instead of freezing a path)."""
    return _private_storage
