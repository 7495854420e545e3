from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ausbildung.core import geo
from ausbildung.core.forms import DateInput, ModelIdsField, PlatformForm
from ausbildung.core.models import Occupation, Specialisation, TrainingSite
from ausbildung.core.params import parse_id

from .models import Certificate, Offer
from .search import MAX_RADIUS_KM, SORTS
from .services import OfferInput

RADII = (5, 10, 25, 50, 100)


SPECIALISATION_OF_OTHER_OCCUPATION = _(
    "This specialisation belongs to another occupation. Please choose one of the chosen occupation's."
)


def offer_specialisations(occupation_id: int | None):
    """The specialisations an offer of the occupation may name: its Fachrichtungen and Schwerpunkte. An
    Einsatzgebiet (field of deployment) is no specialisation of the contract the offer leads to."""
    if occupation_id is None:
        return Specialisation.objects.none()
    return Specialisation.objects.filter(occupation_id=occupation_id, occupation__is_active=True).exclude(
        kind=Specialisation.Kind.EINSATZGEBIET
    )


class OfferForm(PlatformForm):
    """The facts of an offer; the domain rules (minimum pay, chamber, dates) are checked by the service.

    The specialisation list holds the chosen occupation's only (the posted occupation, else the initial
    one): a specialisation of another occupation is an invalid choice with its own message. The page
    refreshes the list when the occupation changes (`offers:specialisations`, htmx), or without script by
    the form's "show specialisations" button (`REFRESH`), which renders the form again without saving."""

    REFRESH = "refresh_specialisations"

    site = forms.ModelChoiceField(label=_("Training site"), queryset=TrainingSite.objects.none())
    occupation = forms.ModelChoiceField(
        label=_("Occupation"), queryset=Occupation.objects.filter(is_active=True).order_by("name")
    )
    specialisation = forms.ModelChoiceField(
        label=_("Specialisation (Fachrichtung / Schwerpunkt)"),
        queryset=Specialisation.objects.none(),
        required=False,
        help_text=_("Only the chosen occupation's specialisations; choose the occupation first."),
        error_messages={"invalid_choice": SPECIALISATION_OF_OTHER_OCCUPATION},
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the occupation's name."),
    )
    start_date = forms.DateField(label=_("Start of training"), widget=DateInput())
    places = forms.IntegerField(label=_("Number of places"), min_value=1, max_value=500, initial=1)
    certificate = forms.ChoiceField(
        label=_("Expected school-leaving certificate"),
        choices=[("", _("Every certificate is welcome")), *list(Certificate.choices)],
        required=False,
    )
    description = forms.CharField(
        label=_("What we offer"), widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=10000
    )
    requirements = forms.CharField(
        label=_("What you should bring"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
    pay_year1 = forms.DecimalField(
        label=_("Pay in the 1st year (EUR per month)"), min_value=0, max_digits=7, decimal_places=2
    )
    pay_year2 = forms.DecimalField(
        label=_("Pay in the 2nd year (EUR per month)"), min_value=0, max_digits=7, decimal_places=2
    )
    pay_year3 = forms.DecimalField(
        label=_("Pay in the 3rd year (EUR per month)"),
        min_value=0,
        max_digits=7,
        decimal_places=2,
        required=False,
    )
    pay_year4 = forms.DecimalField(
        label=_("Pay in the 4th year (EUR per month)"),
        min_value=0,
        max_digits=7,
        decimal_places=2,
        required=False,
    )
    collective_agreement = forms.BooleanField(
        label=_("Our pay follows a collective agreement that binds us (BBiG § 17 Abs. 3)"), required=False
    )
    weekly_hours = forms.DecimalField(
        label=_("Training time per week (hours)"),
        min_value=1,
        max_value=60,
        max_digits=4,
        decimal_places=2,
        required=False,
    )
    full_time_weekly_hours = forms.DecimalField(
        label=_("Part-time place (BBiG § 7a): full-time training time per week (hours)"),
        min_value=1,
        max_value=60,
        max_digits=4,
        decimal_places=2,
        required=False,
        help_text=_(
            "Only for a part-time place: the training time per week above is then cut from these hours, by at "
            "most 50 % (BBiG § 7a Abs. 1). The training lasts longer (§ 7a Abs. 2), and the pay may be lower "
            "in proportion (§ 17 Abs. 5)."
        ),
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=120, required=False)
    contact_email = forms.EmailField(label=_("Contact email"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    deadline = forms.DateField(label=_("Application deadline"), required=False, widget=DateInput())
    internship_possible = forms.BooleanField(label=_("An internship is possible"), required=False)
    trial_day_possible = forms.BooleanField(label=_("A trial day (Probetag) is possible"), required=False)

    def __init__(self, *args, companies, **kwargs):
        super().__init__(*args, **kwargs)
        site_field = cast(forms.ModelChoiceField, self.fields["site"])
        site_field.queryset = TrainingSite.objects.filter(
            company__in=companies, is_active=True
        ).select_related("company")
        cast(forms.ModelChoiceField, self.fields["specialisation"]).queryset = offer_specialisations(
            self.chosen_occupation()
        )
        occupation_widget = self.fields["occupation"].widget
        occupation_widget.attrs.update(
            {
                "hx-get": reverse("offers:specialisations"),
                "hx-trigger": "change",
                "hx-target": "#specialisation-field",
                "hx-swap": "outerHTML",
            }
        )

    def chosen_occupation(self) -> int | None:
        """The id of the occupation the form is about: the posted one while bound, else the initial one."""
        if self.is_bound:
            return parse_id(self.data.get(self.add_prefix("occupation")))
        initial = self.initial.get("occupation")
        return initial.pk if isinstance(initial, Occupation) else parse_id(initial)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in ("title", "description", "requirements", "contact_name", "contact_phone"):
            if isinstance(cleaned.get(name), str):
                cleaned[name] = cleaned[name].replace("\x00", "")
        return cleaned

    def to_input(self) -> OfferInput:
        data = self.cleaned_data
        values: dict[str, Any] = {
            name: data.get(name) if data.get(name) is not None else _default(name)
            for name in OfferInput.FIELDS
        }
        return OfferInput(**values)

    @classmethod
    def initial_from(cls, offer: Offer) -> dict:
        return {name: getattr(offer, name) for name in OfferInput.FIELDS}


def _default(name: str):
    if name in {
        "pay_year3",
        "pay_year4",
        "specialisation",
        "deadline",
        "weekly_hours",
        "full_time_weekly_hours",
    }:
        return None
    if name in {"collective_agreement", "internship_possible", "trial_day_possible"}:
        return False
    return ""


def place_error(resolution: geo.Resolution) -> str:
    """The place field's message when the place query names no place or several (the search page)."""
    if resolution.ambiguous:
        return _("There are several places called “%(query)s”. Please choose one below.") % {
            "query": resolution.query.strip()
        }
    return _(
        "We do not know the place “%(query)s”. Please check the spelling or enter a five-digit postcode."
    ) % {"query": resolution.query.strip()}


class SearchForm(PlatformForm):
    q = forms.CharField(label=_("What?"), max_length=100, required=False)
    beruf = forms.ModelChoiceField(
        label=_("Occupation"),
        queryset=Occupation.objects.filter(is_active=True).order_by("name"),
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
    ab = forms.DateField(label=_("Start from"), required=False, widget=DateInput())
    bis = forms.DateField(label=_("Start until"), required=False, widget=DateInput())
    abschluss = forms.ChoiceField(
        label=_("My school-leaving certificate"),
        choices=[("", _("any")), *list(Certificate.choices)],
        required=False,
    )
    frei = forms.BooleanField(label=_("Only offers with free places"), required=False)
    sortierung = forms.ChoiceField(
        label=_("Sort by"),
        choices=[("fit", _("Fit")), ("distance", _("Distance")), ("start", _("Start date"))],
        required=False,
    )

    def clean_umkreis(self):
        value = self.cleaned_data.get("umkreis")
        if value is not None and not 1 <= value <= MAX_RADIUS_KM:
            raise forms.ValidationError(_("Please choose a distance."))
        return value

    def clean_sortierung(self):
        value = self.cleaned_data.get("sortierung") or "fit"
        return value if value in SORTS else "fit"


class ApplyForm(PlatformForm):
    message = forms.CharField(
        label=_("Your message to the company"),
        help_text=_("A few sentences: why this occupation, why this company, when you can start."),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
    )

    def clean_message(self):
        return self.cleaned_data["message"].replace("\x00", "").strip()


class DocumentForm(PlatformForm):
    file = forms.FileField(
        label=_("Document (PDF, JPEG or PNG)"),
        help_text=_("For example your CV (Lebenslauf) or your last school report (Zeugnis)."),
    )


class StepForm(PlatformForm):
    message = forms.CharField(
        label=_("Message to the applicant"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )


class NoteForm(PlatformForm):
    text = forms.CharField(
        label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class ProfileForm(PlatformForm):
    postcode = forms.RegexField(
        label=_("Your postcode"),
        regex=r"^[0-9]{5}$",
        required=False,
        error_messages={"invalid": _("A German postcode has five digits.")},
        help_text=_("Only to show how far offers are; nobody sees it."),
    )
    certificate = forms.ChoiceField(
        label=_("Your school-leaving certificate (achieved or expected)"),
        choices=[("", _("not stated")), *list(Certificate.choices)],
        required=False,
    )
    interests = ModelIdsField(
        label=_("Occupations you are interested in"),
        queryset=Occupation.objects.filter(is_active=True).order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def clean_postcode(self) -> str:
        """A postcode of the shipped table (core.geo): an unknown one would silently measure no distances."""
        postcode = self.cleaned_data.get("postcode") or ""
        if postcode and geo.lookup(postcode) is None:
            raise forms.ValidationError(_("We do not know this postcode. Please check it."))
        return postcode


class TimeInput(forms.TimeInput):
    """A browser time picker (HH:MM)."""

    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class InterviewDateForm(PlatformForm):
    """A date and time for an interview: the applicant's other proposal (and the base of the company's)."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    time = forms.TimeField(label=_("Time"), widget=TimeInput())
    message = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )

    def at(self) -> datetime.datetime:
        """The date and time as an aware datetime in the platform's time zone."""
        return timezone.make_aware(
            datetime.datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"])
        )


class InterviewProposeForm(InterviewDateForm):
    place = forms.CharField(label=_("Place (address)"), max_length=200, required=False)
    online = forms.BooleanField(label=_("The interview takes place online"), required=False)


class InterviewDeclineForm(PlatformForm):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )
