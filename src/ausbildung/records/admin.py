"""Records in the Django admin: chamber rules profiles are edited here; records themselves are read-only
(they change only through the services, which keep the signature chain and the audit log)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ausbildung.core.admin import AuditedAdmin, PlatformAdminPermissions, ReadOnlyAdmin

from .models import ChamberRules, ExaminerShare, RecordPeriod, RecordSignature


@admin.register(ChamberRules)
class ChamberRulesAdmin(AuditedAdmin):
    list_display = [
        "chamber",
        "review_interval_days",
        "allow_daily",
        "allow_weekly",
        "hours_required",
        "guardian_signoff",
    ]
    autocomplete_fields = ["chamber"]


@admin.register(RecordPeriod)
class RecordPeriodAdmin(ReadOnlyAdmin):
    read_audit_person = "contract__apprentice"
    list_display = ["contract", "start", "end", "state", "signed_at"]
    list_filter = ["state", "form"]
    search_fields = ["contract__apprentice__last_name", "contract__apprentice__username"]
    list_select_related = ["contract__apprentice", "contract__occupation"]


@admin.register(RecordSignature)
class RecordSignatureAdmin(ReadOnlyAdmin):
    read_audit_person = "contract__apprentice"
    list_display = ["contract", "sequence", "period", "signer", "signed_at", "key_id"]
    list_select_related = ["contract__apprentice", "contract__occupation", "period", "signer"]


@admin.register(ExaminerShare)
class ExaminerShareAdmin(PlatformAdminPermissions, admin.ModelAdmin):
    read_audit_person = "contract__apprentice"
    list_display = ["contract", "created_by", "expires_at", "revoked", "access_count", "last_access_at"]
    fields = ["contract", "created_by", "expires_at", "revoked"]
    readonly_fields = ["contract", "created_by", "expires_at"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False
