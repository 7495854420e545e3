"""The audit of reads (core.audit) for the API's paginated lists: only the page that is sent counts."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from ausbildung.core.audit import note_read


class AuditedPage:
    """A queryset the paginator can count and slice; the subjects of the page it takes are noted as read,
    and each item is turned into its output by `out` (default: as it is)."""

    def __init__(
        self,
        queryset: QuerySet[Any],
        request: HttpRequest,
        what: str,
        subject: Callable[[Any], int | None],
        *,
        roles: Iterable[str] | None = None,
        out: Callable[[Any], Any] | None = None,
    ) -> None:
        self.queryset = queryset
        self.request = request
        self.what = what
        self.subject = subject
        self.roles = tuple(roles) if roles is not None else None
        self.out = out

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: slice) -> list[Any]:
        items = list(self.queryset[key])
        note_read(self.request, [self.subject(item) for item in items], self.what, roles=self.roles)
        return [self.out(item) for item in items] if self.out is not None else items
