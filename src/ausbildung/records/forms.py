"""Forms of the training record: the period editor (the week page), the public check of an export, the
examiner link."""

from __future__ import annotations

import datetime
import json
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ausbildung.core.forms import ModelIdsField, PlatformForm
from ausbildung.core.params import parse_id, parse_ids, parse_int

from . import integrity
from .models import RecordDay, RecordPeriod
from .services import (
    EXAMINER_SHARE_DAYS_MAX,
    MAX_LESSONS,
    WRITE_ACTIONS,
    DayInput,
    EditSession,
    PeriodInput,
    SubmitRefused,
)

EXPORT_MAX_BYTES = 10 * 1024 * 1024  # a three-year book with long texts is well under 2 MB


class VerifyForm(PlatformForm):
    """The verification code printed on an exported PDF, or an exported JSON file."""

    code = forms.CharField(label=_("Verification code"), required=False, max_length=64)
    file = forms.FileField(label=_("or the exported JSON file"), required=False)

    def clean_code(self) -> str:
        raw = self.cleaned_data.get("code", "")
        if raw and integrity.parse_code(raw) is None:
            raise forms.ValidationError(
                _(
                    "A verification code has 20 characters (digits and the letters a–f), e.g. 3f2a-9c1b-77de-0a45-b6c2."
                )
            )
        return integrity.parse_code(raw) or ""

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        if upload.size > EXPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than an exported record book can be."))
        try:
            return json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise forms.ValidationError(_("The file is not an exported record book (JSON).")) from None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not cleaned.get("code") and cleaned.get("file") is None:
            raise forms.ValidationError(
                _("Please enter the verification code or choose the exported JSON file.")
            )
        return cleaned


class ExaminerShareForm(PlatformForm):
    days = forms.IntegerField(
        label=_("Examiner link valid for (days)"), min_value=1, max_value=EXAMINER_SHARE_DAYS_MAX, initial=14
    )


class ExaminerTokenForm(PlatformForm):
    """The secret of an examiner link: filled in from the link's fragment by a script, or pasted by hand."""

    token = forms.CharField(label=_("Access code from the link"), max_length=100, strip=True)


# The three sections of a period (BIBB HA recommendation: minimum content); a week is well under 20,000 characters.
SECTIONS = ("company_work", "instruction", "school")
SECTION_MAX_LENGTH = 20000
DAY_FIELDS = ("place", "hours", "note", "lessons")
LESSONS_ERROR = _("Please enter the lessons as a number from 0 to 32.")
OUT_OF_DATE = _("This page is out of date. Please reload the page; nothing was saved.")


def _lessons(raw: str) -> int | None:
    """The lessons as typed: empty is None; anything but a whole number in range becomes -1, which the service
    reports as LESSONS_ERROR on the day's row."""
    raw = raw.strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or int(raw) > MAX_LESSONS:
        return -1
    return int(raw)


class PeriodForm(PlatformForm):
    """The period editor of the week page: the three sections, one row per day (`place-YYYY-MM-DD`,
    `hours-…`, `note-…`, `lessons-…` on a school day), the block week, the framework-plan items, the version that was read and what to do.

    The form checks the shape of the input (lengths, one line per day field, ids, a known place); the service
    checks the record's rules (dates, working time, the chamber, the occupation's items) and answers with
    errors keyed like the page (`day-YYYY-MM-DD`). `page_errors` gives both in those keys."""

    action = forms.ChoiceField(choices=[(action, action) for action in WRITE_ACTIONS], required=False)
    # The version the page was read at (0 before the first save): required, so that a save never overwrites
    # what was saved elsewhere in the meantime (records.services.StaleVersion).
    version = forms.CharField(
        max_length=20,
        error_messages={"required": OUT_OF_DATE},
    )
    # The editing session of the opened page and the number of this write (records.services.EditSession):
    # the page's own autosave never conflicts with its save. Optional: a form without them is checked by
    # version alone.
    edit_session = forms.CharField(required=False, max_length=64)
    edit_seq = forms.CharField(required=False, max_length=12)
    company_work = forms.CharField(
        required=False, strip=False, max_length=SECTION_MAX_LENGTH, widget=forms.Textarea
    )
    instruction = forms.CharField(
        required=False, strip=False, max_length=SECTION_MAX_LENGTH, widget=forms.Textarea
    )
    school = forms.CharField(
        required=False, strip=False, max_length=SECTION_MAX_LENGTH, widget=forms.Textarea
    )
    on_paper = forms.BooleanField(required=False)
    block_week = forms.BooleanField(required=False)
    items = forms.Field(required=False, widget=forms.MultipleHiddenInput)

    def __init__(self, *args: Any, dates: list[datetime.date], **kwargs: Any) -> None:
        self.dates = dates
        self.saved: RecordPeriod | None = None
        super().__init__(*args, **kwargs)
        for day in dates:
            key = day.isoformat()
            self.fields[f"place-{key}"] = forms.ChoiceField(
                choices=RecordDay.Place.choices,
                required=False,
                error_messages={"invalid_choice": _("Please choose where you were on this day.")},
            )
            self.fields[f"hours-{key}"] = forms.CharField(required=False, max_length=20)
            self.fields[f"note-{key}"] = forms.CharField(required=False, max_length=200)
            # Checked with the rest of the day by the service (one pass: every wrong field of the week is
            # marked at once, not the lessons first and the hours after the next submit).
            self.fields[f"lessons-{key}"] = forms.CharField(required=False, max_length=20)
        self.check_single_line_fields()  # the day rows are single-line fields too

    def clean_version(self) -> int:
        version = parse_int(self.cleaned_data["version"], minimum=0)
        if version is None:
            raise ValidationError(OUT_OF_DATE)
        return version

    def clean_items(self) -> list[int]:
        ids = parse_ids(self.cleaned_data["items"] or [])
        if ids is None:
            raise ValidationError(_("Some items do not belong to the framework plan of your occupation."))
        return ids

    # --- to the service ---------------------------------------------------------------------------------

    def write_arguments(self) -> dict[str, Any]:
        """The keyword arguments of `services.record_period_write` (call after `is_valid`)."""
        data = self.cleaned_data
        token = data["edit_session"].strip()
        action = data["action"] or "save"
        seq = parse_int(data["edit_seq"], minimum=0, maximum=2_000_000_000) or 0
        return {
            "action": action,
            "version": data["version"],
            "session": EditSession(token=token, seq=seq, autosave=action == "autosave") if token else None,
            "data": PeriodInput(
                company_work=data["company_work"],
                instruction=data["instruction"],
                school=data["school"],
                on_paper=data["on_paper"],
                block_week=data["block_week"],
                item_ids=data["items"],
                days=[
                    DayInput(
                        date=day,
                        place=data[f"place-{day.isoformat()}"],
                        hours=data[f"hours-{day.isoformat()}"],
                        note=data[f"note-{day.isoformat()}"],
                        lessons=_lessons(data[f"lessons-{day.isoformat()}"]),
                    )
                    for day in self.dates
                ],
            ),
        }

    def add_service_errors(self, error: ValidationError) -> None:
        """The service's errors beside their fields (a day's error on its place); a refused submission also
        keeps the draft it saved (`saved`), whose version the page sends next."""
        if isinstance(error, SubmitRefused):
            self.saved = error.period
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for key, errors in error.error_dict.items():
            field = f"place-{key.removeprefix('day-')}" if key.startswith("day-") else key
            self.add_error(field if field in self.fields else None, [m for e in errors for m in e.messages])

    # --- back to the page -----------------------------------------------------------------------------

    def page_errors(self) -> dict[str, str]:
        """The errors in the page's keys: `day-YYYY-MM-DD` for a day row, a section's or "items" beside it,
        everything else at the top (`__all__`)."""
        errors: dict[str, list[str]] = {}
        for name, messages in self.errors.items():
            prefix, _sep, rest = name.partition("-")
            if prefix in DAY_FIELDS and rest:
                key = f"day-{rest}"
            elif name in (*SECTIONS, "items"):
                key = name
            else:
                key = "__all__"
            errors.setdefault(key, []).extend(str(m) for m in messages)
        return {key: " ".join(dict.fromkeys(messages)) for key, messages in errors.items()}

    def show_entered(self, record: RecordPeriod, days: list[RecordDay]) -> None:
        """Put what was entered onto the period and days the page shows (in memory, nothing is saved), so
        that nothing typed is lost; a place that is not one of the choices keeps the shown one."""
        for name in SECTIONS:
            setattr(record, name, self[name].value() or "")
        record.on_paper = bool(self["on_paper"].value())
        record.block_week = bool(self["block_week"].value())
        for day in days:
            key = day.date.isoformat()
            place = self[f"place-{key}"].value()
            if place in RecordDay.Place.values:
                day.place = place
            day.hours = self[f"hours-{key}"].value() or ""  # shown back as typed
            day.note = self[f"note-{key}"].value() or ""
            day.lessons = self[f"lessons-{key}"].value() or None  # shown back as typed

    def entered_items(self) -> set[int | None]:
        return {parse_id(raw) for raw in self["items"].value() or []}

    def shown_version(self) -> str:
        """The version the page sends with its next save: the saved draft's after a refused submission,
        otherwise the one this page was read at (a stale one stays stale: reloading shows the other save)."""
        return str(self.saved.version) if self.saved is not None else str(self.data.get("version", ""))

    def shown_session(self) -> tuple[str, str]:
        """The editing session and the number of its latest write, sent again with the page's next write."""
        return str(self.data.get("edit_session", ""))[:64], str(self.data.get("edit_seq", "0"))[:12]


class BulkSignForm(PlatformForm):
    """Signing several periods of the review queue at once: the chosen periods (of the person's queue only),
    then a second step that confirms them (`confirmed`), and the confirmation of working-time findings."""

    periods = ModelIdsField(
        queryset=RecordPeriod.objects.none(),
        error_messages={
            "required": _("Please select at least one period to sign."),
            "invalid_choice": _(
                "A selected period is no longer waiting for your review. Please select again."
            ),
            "invalid_pk_value": _(
                "A selected period is no longer waiting for your review. Please select again."
            ),
        },
    )
    confirmed = forms.BooleanField(required=False)
    confirm_findings = forms.BooleanField(required=False)

    def __init__(self, *args: Any, queue: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(ModelIdsField, self.fields["periods"]).queryset = queue
