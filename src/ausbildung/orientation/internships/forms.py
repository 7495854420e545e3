from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ausbildung.core import geo
from ausbildung.core.forms import DateInput, PlatformForm, input_from
from ausbildung.core.models import Occupation, TrainingSite
from ausbildung.core.params import parse_id

from ..models import InternshipFeedback
from ..riasec import DIMENSIONS, NAMES
from .selectors import MAX_RADIUS_KM, InternshipQuery
from .services import SlotInput

RADII = (5, 10, 25, 50, 100)


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


def place_error(resolution: geo.Resolution) -> str:
    """The place field's message when the place query names no place or several (as the offer search)."""
    if resolution.ambiguous:
        return _("There are several places called “%(query)s”. Please choose one below.") % {
            "query": resolution.query.strip()
        }
    return _(
        "We do not know the place “%(query)s”. Please check the spelling or enter a five-digit postcode."
    ) % {"query": resolution.query.strip()}


class FilterForm(PlatformForm):
    """The public internship search (GET). Occupation field: the first letter of the occupation's interest
    code (`OccupationInterestProfile`, derived from its regulation), the same six fields as the check's
    result; the catalogue carries no other grouping (no KldB code). `beruf` (an occupation id) is kept for
    links from an occupation's page and shown as a filter that can be removed, not as a 317-item list."""

    q = forms.CharField(
        label=_("What? Occupation or keyword"),
        max_length=100,
        required=False,
        help_text=_("For example “Tischler”, “Büro” or a company's name."),
    )
    feld = forms.ChoiceField(
        label=_("Occupational field"),
        choices=[("", _("All occupational fields"))] + [(letter, NAMES[letter]) for letter in DIMENSIONS],
        required=False,
    )
    ort = forms.CharField(label=_("Where? Postcode or place"), max_length=80, required=False)
    umkreis = forms.TypedChoiceField(
        label=_("Within"),
        choices=[("", _("any distance"))] + [(str(km), _("%(km)d km") % {"km": km}) for km in RADII],
        coerce=int,
        empty_value=None,
        required=False,
    )
    ab = forms.DateField(label=_("From"), required=False, widget=DateInput())
    bis = forms.DateField(label=_("Until"), required=False, widget=DateInput())

    def clean_umkreis(self):
        value = self.cleaned_data.get("umkreis")
        if value is not None and not 1 <= value <= MAX_RADIUS_KM:
            raise forms.ValidationError(_("Please choose a distance."))
        return value

    def clean(self):
        cleaned = super().clean() or {}
        start, end = cleaned.get("ab"), cleaned.get("bis")
        if start and end and end < start:
            self.add_error("bis", _("The end of the period must not be before its beginning."))
        return cleaned

    def occupation_id(self) -> int | None:
        return parse_id(self.data.get("beruf")) if self.is_bound else None

    def to_query(self) -> InternshipQuery:
        data = self.cleaned_data
        return InternshipQuery(
            query=data["q"],
            field=data["feld"],
            place=data["ort"],
            radius_km=data["umkreis"],
            date_from=data["ab"],
            date_until=data["bis"],
            occupation_id=self.occupation_id(),
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
