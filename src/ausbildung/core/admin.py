"""Django admin for platform administrators. Every save and delete is written to the audit log."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit, permissions, services
from .forms import PlatformForm, PlatformModelForm, SingleLineMixin
from .models import (
    ApiToken,
    AuditLog,
    ContractTrainer,
    FrameworkItem,
    FrameworkPlan,
    FrameworkPosition,
    Guardianship,
    Membership,
    Occupation,
    Organisation,
    OutgoingMail,
    ProfilePosition,
    ReadAccess,
    Region,
    Role,
    Specialisation,
    TrainingContract,
    TrainingSite,
    User,
)
from .regulations.importer import import_files

# The platform decides access by memberships (core.permissions), not by Django's groups.
admin.site.unregister(Group)
# django-otp's device admins (raw keys, unaudited edits) are not offered: a person sets up, replaces and
# removes their second factor on their own security page (core.signin), each change audited.
for _otp_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_otp_model):
        admin.site.unregister(_otp_model)


class PlatformAdminPermissions:
    """Model permissions come from `core.permissions`, not from Django's per-model permission rows. Its
    forms refuse control characters in single-line fields, like every form of the platform."""

    form: type[forms.ModelForm] = PlatformModelForm
    # The person whose data a row holds, as an ORM path from the model ("pk" for people, "user",
    # "contract__apprentice" …): opening a row or a list page of such a model is recorded as a read of that
    # person's data (core.audit; only young people count). None: the model holds no person's data.
    read_audit_person: str | None = None

    def persons_of(self, ids: list[Any]) -> list[int]:
        if self.read_audit_person == "pk":
            return ids
        rows = self.model._default_manager.filter(pk__in=ids).values_list(self.read_audit_person, flat=True)  # type: ignore[attr-defined]
        return list(rows)

    def note_admin_read(self, request: HttpRequest, ids: list[Any], obj: Model | None = None) -> None:
        if self.read_audit_person is None or not ids:
            return
        what = f"{audit.ADMIN_PREFIX}{self.model._meta.label_lower}"  # type: ignore[attr-defined]
        audit.note_read(request, self.persons_of(ids), what, obj, roles=[Role.PLATFORM_ADMIN])

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        """The change, history and delete pages of one row."""
        obj = super().get_object(request, object_id, from_field)  # type: ignore[misc]
        if obj is not None:
            self.note_admin_read(request, [obj.pk], obj)
        return obj

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        """The list page: the rows of the page shown."""
        response = super().changelist_view(request, extra_context)  # type: ignore[misc]
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            self.note_admin_read(request, [row.pk for row in changelist.result_list])
        return response

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.is_platform_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.is_platform_admin(request.user)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return permissions.is_platform_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.is_platform_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.is_platform_admin(request.user)


class AuditedAdmin(PlatformAdminPermissions, admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request: HttpRequest, obj: Model, form: forms.ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        services.audit_record(
            actor=request.user,  # type: ignore[arg-type]
            action="admin.change" if change else "admin.add",
            target=obj,
            summary=str(obj),
            changes={"fields": list(form.changed_data)},
        )

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        services.audit_record(actor=request.user, action="admin.delete", target=obj, summary=str(obj))  # type: ignore[arg-type]
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            services.audit_record(actor=request.user, action="admin.delete", target=obj, summary=str(obj))  # type: ignore[arg-type]
        super().delete_queryset(request, queryset)


class Inline(PlatformAdminPermissions, admin.TabularInline):
    extra = 0


@admin.register(Region)
class RegionAdmin(AuditedAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]


class TrainingSiteInline(Inline):
    model = TrainingSite
    fields = ["name", "street", "postcode", "city", "region", "is_active"]


class MembershipInline(Inline):
    model = Membership
    autocomplete_fields = ["user", "organisation"]


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "kind", "city", "region", "is_active"]
    list_filter = ["kind", "is_active", "chamber_kind"]
    search_fields = ["name", "city", "postcode"]
    autocomplete_fields = ["region"]
    filter_horizontal = ["district"]
    inlines = [TrainingSiteInline, MembershipInline]


@admin.register(TrainingSite)
class TrainingSiteAdmin(AuditedAdmin):
    list_display = ["name", "company", "city"]
    search_fields = ["name", "company__name", "city"]
    autocomplete_fields = ["company", "region"]


class MembershipForm(PlatformModelForm):
    class Meta:
        model = Membership
        fields = ["user", "organisation", "role", "is_active"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("organisation") and data.get("role"):
            try:
                services.membership_validate(organisation=data["organisation"], role=data["role"])
            except ValidationError as exc:
                raise ValidationError(exc.message_dict) from None
        return data


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    form = MembershipForm
    read_audit_person = "user"
    list_display = ["user", "role", "organisation", "is_active"]
    list_filter = ["role", "is_active", "organisation__kind"]
    search_fields = ["user__username", "user__last_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


class GuardianshipFormSet(forms.BaseInlineFormSet):
    """A guardianship counts only while the ward is a minor (BGB § 2; `Guardianship.objects.current`): a new
    or changed one needs the ward's date of birth, and a ward who is of age gets none. Rows kept from before
    the ward came of age may stay (evidence); they give no access."""

    def clean(self) -> None:
        super().clean()
        recorded = [
            form
            for form in self.forms
            if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if not recorded:
            return
        minor = self.instance.is_minor_on(timezone.localdate())
        if minor is None:
            raise ValidationError(
                _(
                    "Please enter the date of birth: a legal guardian represents a person only while "
                    "they are a minor (BGB § 2)."
                )
            )
        if not minor:
            raise ValidationError(
                _("This person is of age: nobody represents them as a legal guardian (BGB § 2).")
            )


class GuardianshipInline(Inline):
    model = Guardianship
    formset = GuardianshipFormSet
    fk_name = "ward"
    autocomplete_fields = ["guardian"]
    verbose_name = _("legal guardian")
    verbose_name_plural = _("legal guardians")


class PersonChangeForm(SingleLineMixin, UserChangeForm):
    pass


class PersonCreationForm(SingleLineMixin, AdminUserCreationForm):
    pass


@admin.register(User)
class UserAdmin(PlatformAdminPermissions, DjangoUserAdmin):
    form = PersonChangeForm
    add_form = PersonCreationForm
    read_audit_person = "pk"
    list_display = ["username", "last_name", "first_name", "email", "is_active"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,  # type: ignore[misc]
        (_("Personal data"), {"fields": ["date_of_birth"]}),
    )
    inlines = [MembershipInline, GuardianshipInline]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        changed = [name for name in form.changed_data if name not in {"password", "password1", "password2"}]
        services.audit_record(
            actor=request.user,  # type: ignore[arg-type]
            action="admin.change" if change else "admin.add",
            target=obj,
            summary=obj.username,
            changes={"fields": changed},
        )


class SpecialisationInline(Inline):
    model = Specialisation


class ProfilePositionInline(Inline):
    model = ProfilePosition


class RegulationUploadForm(PlatformForm):
    regulation = forms.FileField(
        label=_("Regulation text (Markdown)"),
        help_text=_(
            "A .md file in the format of the shipped texts (bundestag/gesetze). A newer version of a "
            "regulation replaces the older one; the occupation keeps its address."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".md,text/markdown"}),
    )


@admin.register(Occupation)
class OccupationAdmin(AuditedAdmin):
    list_display = ["name", "jurabk", "duration_months", "issued_on", "is_active"]
    list_filter = ["is_active", "duration_months"]
    search_fields = ["name", "name_male", "name_female", "jurabk", "search_terms"]
    readonly_fields = ["import_problems", "source_file", "source_sha256", "imported_at"]
    inlines = [SpecialisationInline, ProfilePositionInline]
    change_list_template = "admin/core/occupation/change_list.html"

    def get_urls(self) -> list:
        urls = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="core_occupation_import",
            )
        ]
        return urls + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Load newer regulation texts through the same importer as `ausbildung import-regulations`."""
        form = RegulationUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["regulation"]
            with tempfile.TemporaryDirectory() as tmp:
                target = Path(tmp) / Path(upload.name or "upload.md").name
                with target.open("wb") as handle:
                    for chunk in upload.chunks():
                        handle.write(chunk)
                report = import_files([target], actor=request.user)  # type: ignore[arg-type]
            for name, reason in report.unreadable:
                messages.error(
                    request, _("%(file)s could not be read: %(reason)s") % {"file": name, "reason": reason}
                )
            for name, kind in report.skipped:
                messages.warning(
                    request,
                    _("%(file)s is not a training regulation (%(kind)s).") % {"file": name, "kind": kind},
                )
            for name, by in report.superseded:
                messages.warning(
                    request, _("%(file)s is older than %(by)s and was not loaded.") % {"file": name, "by": by}
                )
            for name in report.created + report.updated:
                messages.success(request, _("%(file)s was loaded.") % {"file": name})
            for name in report.unchanged:
                messages.info(request, _("%(file)s is already loaded unchanged.") % {"file": name})
            for name, problem in report.incomplete:
                messages.warning(
                    request,
                    _("%(file)s could not be read completely: %(problem)s")
                    % {"file": name, "problem": problem},
                )
            return redirect("admin:core_occupation_changelist")
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": _("Load training regulation"),
        }
        return render(request, "admin/core/occupation/import.html", context)


class FrameworkItemInline(Inline):
    model = FrameworkItem


@admin.register(FrameworkPosition)
class FrameworkPositionAdmin(AuditedAdmin):
    list_display = ["plan", "section_label", "number", "title"]
    search_fields = ["title", "plan__occupation__name"]
    list_select_related = ["plan__occupation"]
    inlines = [FrameworkItemInline]


@admin.register(FrameworkPlan)
class FrameworkPlanAdmin(AuditedAdmin):
    list_display = ["occupation"]
    search_fields = ["occupation__name"]


class ContractTrainerInline(Inline):
    model = ContractTrainer
    autocomplete_fields = ["trainer"]


class ContractForm(PlatformModelForm):
    class Meta:
        model = TrainingContract
        fields = [
            "apprentice",
            "company",
            "site",
            "occupation",
            "specialisation",
            "start_date",
            "end_date",
            "duration_reason",
            "weekly_hours",
            "full_time_weekly_hours",
            "probation_end",
            "vocational_school",
            "chamber",
            "chamber_registration_number",
            "record_form",
            "record_medium",
            "weekly_hours",
            "written_exam_date",
            "status",
            "dissolved_on",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        needed = ["company", "site", "occupation", "chamber", "start_date", "end_date", "probation_end"]
        if all(data.get(name) for name in needed):
            try:
                services.contract_validate(
                    company=data["company"],
                    site=data["site"],
                    occupation=data["occupation"],
                    specialisation=data.get("specialisation"),
                    chamber=data["chamber"],
                    vocational_school=data.get("vocational_school"),
                    start_date=data["start_date"],
                    end_date=data["end_date"],
                    probation_end=data["probation_end"],
                    duration_reason=data.get("duration_reason") or "",
                    weekly_hours=data.get("weekly_hours"),
                    full_time_weekly_hours=data.get("full_time_weekly_hours"),
                )
            except ValidationError as exc:
                raise ValidationError(exc.message_dict) from None
        return data


@admin.register(TrainingContract)
class TrainingContractAdmin(AuditedAdmin):
    form = ContractForm
    read_audit_person = "apprentice"
    list_display = ["apprentice", "occupation", "company", "start_date", "end_date", "status"]
    list_filter = ["status", "record_form", "chamber"]
    search_fields = ["apprentice__last_name", "apprentice__username", "company__name", "occupation__name"]
    autocomplete_fields = ["apprentice", "company", "site", "occupation", "chamber", "vocational_school"]
    list_select_related = ["apprentice", "occupation", "company"]
    inlines = [ContractTrainerInline]


class ReadOnlyAdmin(PlatformAdminPermissions, admin.ModelAdmin):
    """For rows the platform writes itself (logs, signed records): administrators read, nobody edits."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "action", "target_type", "target_id", "summary"]
    list_filter = ["action", "target_type"]
    search_fields = ["summary", "target_id", "actor__username"]
    list_select_related = ["actor"]


@admin.register(ReadAccess)
class ReadAccessAdmin(ReadOnlyAdmin):
    """The audit of staff reads (core.audit), e.g. to answer a request for access received on paper
    (DSGVO Art. 15). Looking at a person's rows here is itself a read of that person's data."""

    list_display = ["read_at", "reader", "role", "organisation", "subject", "what", "path"]
    list_filter = ["what", "role"]
    search_fields = ["subject__username", "subject__last_name", "reader__username", "reader__last_name"]
    list_select_related = ["reader", "subject", "organisation"]
    read_audit_person = "subject"


@admin.register(OutgoingMail)
class OutgoingMailAdmin(ReadOnlyAdmin):
    """The outbox (`core.mail`): what was sent, what waits for the next attempt and why, what was given up.
    Read-only; `ausbildung mail send-queued` sends what is due."""

    list_display = ["created_at", "to", "subject", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["to", "subject"]
    readonly_fields = [
        "to",
        "subject",
        "body",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "sent_at",
    ]


@admin.register(ApiToken)
class ApiTokenAdmin(PlatformAdminPermissions, admin.ModelAdmin):
    """Tokens are created through `core.tokens.api_token_create` (the secret is shown once); here they can be
    seen and revoked."""

    list_display = ["user", "name", "prefix", "created_at", "last_used_at", "expires_at", "revoked"]
    read_audit_person = "user"
    list_filter = ["revoked"]
    search_fields = ["user__username", "name", "prefix"]
    fields = ["user", "name", "prefix", "created_at", "last_used_at", "expires_at", "revoked"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at", "expires_at"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        services.audit_record(
            actor=request.user,  # type: ignore[arg-type]
            action="admin.change",
            target=obj,
            summary=f"{obj.prefix}…",
            changes={"fields": list(form.changed_data)},
        )
