from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ausbildung.core.forms import DateInput, PlatformForm


class StepForm(PlatformForm):
    text = forms.CharField(
        label=_("Next step"),
        max_length=300,
        help_text=_("For example: ask about an internship at the bakery."),
        error_messages={"required": _("Write down your next step.")},
    )
    due_date = forms.DateField(label=_("By"), required=False, widget=DateInput())
