"""Forms of the training record that are not the period editor."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ausbildung.core.forms import PlatformForm

from . import integrity
from .services import EXAMINER_SHARE_DAYS_MAX

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
