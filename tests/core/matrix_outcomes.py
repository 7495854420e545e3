"""Outcomes of the permission matrix, shared by its parts (test_permission_matrix and matrix_*.py)."""

from __future__ import annotations

from collections.abc import Callable

from ..conftest import ROLE_USERS

ANON = "anonymous"
OUTSIDER = "outsider"
ROLES = [ANON, OUTSIDER, *ROLE_USERS]

# Outcomes: an HTTP status, or LOGIN (redirect to the login page; 401 problem details for the API).
LOGIN = "login"

CONTRACT_ROLES = {
    "apprentice",
    "guardian",
    "trainer",
    "company_admin",
    "vocational_school_teacher",
    "chamber_officer",
    "platform_admin",
}


def everyone(status: int) -> Callable[[str], object]:
    return lambda role: status


def signed_in(status: int) -> Callable[[str], object]:
    return lambda role: LOGIN if role == ANON else status


def only(allowed: set[str], status: int = 200, denied: int = 403) -> Callable[[str], object]:
    return lambda role: LOGIN if role == ANON else (status if role in allowed else denied)
