"""Clearing-round pages: rows of the permission matrix (see test_permission_matrix)."""

from __future__ import annotations

from collections.abc import Callable

from .matrix_outcomes import ANON, LOGIN, everyone, only, signed_in  # noqa: F401

CLEARING_MATRIX: dict[str, tuple[Callable | None, Callable[[str], object]]] = {}
