from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class BoundedDateChangeList(ChangeList):
    """Django's change list, where a date-hierarchy year past the calendar (`?attempt_time__year=9999`, or 25
    digits) is an incorrect lookup (the list says so) instead of an uncaught ValueError or OverflowError."""

    def get_filters(self, request: HttpRequest) -> Any:
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error


class PlatformAdminSite(admin.AdminSite):
    """The Django admin, for platform administrators only (decided in `core.permissions`)."""

    site_header = _("ausbildung – administration")
    site_title = _("ausbildung administration")
    index_title = _("Platform administration")

    def has_permission(self, request: HttpRequest) -> bool:
        from . import permissions  # imported late: this module loads before the models

        return permissions.is_platform_admin(request.user)

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        """Also the admins of other packages (django-axes) list with `BoundedDateChangeList`."""
        super().register(model_or_iterable, admin_class, **options)
        for model_admin in self._registry.values():
            own = type(model_admin).get_changelist is not admin.ModelAdmin.get_changelist
            if model_admin.date_hierarchy and not own:
                model_admin.get_changelist = lambda request, **kwargs: BoundedDateChangeList  # type: ignore[method-assign]


class PlatformAdminConfig(AdminConfig):
    default_site = "ausbildung.core.admin_site.PlatformAdminSite"
