from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class PlatformAdminSite(admin.AdminSite):
    """The Django admin, for platform administrators only (decided in `core.permissions`)."""

    site_header = _("ausbildung – administration")
    site_title = _("ausbildung administration")
    index_title = _("Platform administration")

    def has_permission(self, request: HttpRequest) -> bool:
        from . import permissions  # imported late: this module loads before the models

        return permissions.is_platform_admin(request.user)


class PlatformAdminConfig(AdminConfig):
    default_site = "ausbildung.core.admin_site.PlatformAdminSite"
