"""Request types for views behind an access rule that requires a signed-in person."""

from __future__ import annotations

from django.http import HttpRequest

from .models import User


class AuthenticatedRequest(HttpRequest):
    """`core.permissions.PermissionMiddleware` has admitted a signed-in person before the view runs."""

    user: User
