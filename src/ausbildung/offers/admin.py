"""Admin of the offers app: which companies the platform created from imported offers."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ausbildung.core.admin import AuditedAdmin

from .models import ImportedCompany


@admin.register(ImportedCompany)
class ImportedCompanyAdmin(AuditedAdmin):
    list_display = [
        "employer_name",
        "postcode",
        "source",
        "offer_count",
        "first_imported_at",
        "last_imported_at",
    ]
    list_filter = ["source"]
    search_fields = ["employer_name", "postcode", "organisation__name"]
    readonly_fields = [
        "organisation",
        "source",
        "employer_name",
        "postcode",
        "first_imported_at",
        "last_imported_at",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ImportedCompany]:
        return super().get_queryset(request).annotate(offer_total=Count("organisation__offers"))

    @admin.display(description=_("offers"), ordering="offer_total")
    def offer_count(self, obj: ImportedCompany) -> int:
        return getattr(obj, "offer_total", 0)
