from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ausbildung.core.forms import DateInput, PlatformForm, input_from
from ausbildung.core.models import Occupation, TrainingSite

from ..models import InternshipFeedback
from .services import SlotInput


class SlotForm(PlatformForm):
    """The facts of an internship; the domain rules (dates, places) are checked by the service."""

    site = forms.ModelChoiceField(label=_("Site"), queryset=TrainingSite.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    occupation = forms.ModelChoiceField(
        label=_("Occupation"),
        queryset=Occupation.objects.filter(is_active=True).order_by("name"),
        required=False,
    )
    field = forms.CharField(
        label=_("Occupational field"),
        max_length=120,
        required=False,
        help_text=_("For a Berufsfelderkundung without one occupation, for example “Metal” or “Care”."),
    )
    start_date = forms.DateField(label=_("From"), widget=DateInput())
    end_date = forms.DateField(label=_("Until"), widget=DateInput())
    places = forms.IntegerField(label=_("Places"), initial=1, max_value=100)
    description = forms.CharField(
        label=_("What pupils will do"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=5000,
    )

    def __init__(self, *args, companies, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["site"])
        field.queryset = TrainingSite.objects.filter(company__in=companies).select_related("company")

    def to_input(self) -> SlotInput:
        return input_from(self, SlotInput)


class FilterForm(PlatformForm):
    beruf = forms.ModelChoiceField(
        label=_("Occupation"),
        queryset=Occupation.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label=_("All occupations"),
    )


class ApplyForm(PlatformForm):
    message = forms.CharField(
        label=_("Your message to the company"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few sentences: why this internship, and when you can come."),
        error_messages={"required": _("Write a short message to the company.")},
    )


class FeedbackForm(PlatformForm):
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        choices=[(i, str(i)) for i in range(5, 0, -1)],
        coerce=int,
        help_text=InternshipFeedback._meta.get_field("rating").help_text,
    )
    text = forms.CharField(
        label=_("Your feedback"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
