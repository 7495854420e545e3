"""Forms of the record pages that are more than a few fields posted by htmx."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import EXAMINER_SHARE_DAYS_MAX


class ExaminerShareForm(forms.Form):
    days = forms.IntegerField(
        label=_("Examiner link valid for (days)"), min_value=1, max_value=EXAMINER_SHARE_DAYS_MAX, initial=14
    )


class ExaminerTokenForm(forms.Form):
    """The secret of an examiner link: filled in from the link's fragment by a script, or pasted by hand."""

    token = forms.CharField(label=_("Access code from the link"), max_length=100, strip=True)
