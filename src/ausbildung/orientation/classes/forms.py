from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ausbildung.core.forms import PlatformForm
from ausbildung.core.models import Organisation
from ausbildung.core.schools import current_school_year


class ClassForm(PlatformForm):
    school = forms.ModelChoiceField(label=_("School"), queryset=Organisation.objects.none())
    name = forms.CharField(label=_("Class"), max_length=60, help_text=_("For example 9b."))
    school_year = forms.CharField(label=_("School year"), max_length=9, help_text=_("For example 2026/27."))

    def __init__(self, *args, schools, **kwargs) -> None:
        kwargs.setdefault("initial", {"school_year": current_school_year()})
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["school"])
        field.queryset = schools
        self.only_school = schools.first() if schools.count() == 1 else None
        if self.only_school is not None:
            field.initial = self.only_school
            field.empty_label = None
            field.required = False

    def clean_school(self):
        return self.cleaned_data.get("school") or self.only_school


class JoinForm(PlatformForm):
    code = forms.CharField(
        label=_("Class code"),
        max_length=20,
        help_text=_("Your teacher gives you the code, for example ABCD2345."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        error_messages={"required": _("Enter the code of your class.")},
    )
