"""Forms of the transition pages; business rules are checked again in `services` (German field errors)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ausbildung.core.forms import PlatformForm
from ausbildung.core.models import Organisation
from ausbildung.core.schools import Certificate, current_school_year
from ausbildung.offers.search import public_offers, public_offers_named

from .models import CaseContact, DestinationKind, Referral

if TYPE_CHECKING:
    from ausbildung.offers.models import Offer

SCHOOL_YEAR = re.compile(r"^([0-9]{4})/([0-9]{2})$")  # ASCII digits: \d would take "٢٠٢٥/٢٦" too
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def clean_school_year(value: str) -> str:
    match = SCHOOL_YEAR.match(value.strip())
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise forms.ValidationError(_("Enter the school year like 2026/27."))
    return value.strip()


class CohortForm(PlatformForm):
    """Add the pupils of one of the teacher's classes to a leaving cohort."""

    school_class = forms.ModelChoiceField(label=_("Leaving class"), queryset=Organisation.objects.none())
    school_year = forms.CharField(
        label=_("School year of leaving"), max_length=9, help_text=_("For example 2026/27.")
    )
    leaving_date = forms.DateField(
        label=_("Leaving date"), widget=DATE, help_text=_("The last school day of the class.")
    )

    def __init__(self, *args, classes, **kwargs) -> None:
        kwargs.setdefault("initial", {"school_year": current_school_year()})
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["school_class"]).queryset = classes

    def clean_school_year(self) -> str:
        return clean_school_year(self.cleaned_data["school_year"])


class DestinationForm(PlatformForm):
    certificate = forms.ChoiceField(
        label=_("School-leaving certificate (expected)"),
        choices=[("", _("Not recorded")), *Certificate.choices],
        required=False,
    )
    planned_kind = forms.ChoiceField(
        label=_("Planned destination"),
        choices=[("", _("Nothing planned yet")), *DestinationKind.choices],
        required=False,
    )
    planned_note = forms.CharField(
        label=_("Plan in a few words"),
        max_length=200,
        required=False,
        help_text=_("For example “applications as Tischler”. No health or family details."),
    )
    actual_kind = forms.ChoiceField(
        label=_("Actual destination"),
        choices=[("", _("Not secured yet")), *DestinationKind.choices],
        required=False,
        help_text=_(
            "Record it once it is certain (e.g. a signed contract, a school's admission). A training contract on "
            "the platform is followed automatically."
        ),
    )
    actual_since = forms.DateField(label=_("Since / from"), required=False, widget=DATE)


class _AgencyForm(PlatformForm):
    agency = forms.ModelChoiceField(label=_("Career guidance agency"), queryset=Organisation.objects.none())

    def __init__(self, *args, agencies, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["agency"])
        field.queryset = agencies
        if agencies.count() == 1:
            field.initial = agencies.first()
            field.empty_label = None


class ConsentRequestForm(_AgencyForm):
    """Ask the young person for a consent; they (and a legal representative) confirm in their own accounts."""


class ConsentPaperForm(_AgencyForm):
    """Record a consent given on paper: the signed form is the evidence (DSGVO Art. 7 Abs. 1). Whoever does not
    teach the leaver (a counsellor) types the name written on the form; it must match."""

    evidence = forms.FileField(
        label=_("Signed consent form (PDF, JPEG or PNG)"),
        help_text=_("A scan or photo of the whole form with the signatures."),
    )
    name_on_form = forms.CharField(
        label=_("Name of the young person as written on the form"), max_length=150, required=False
    )
    person_consented_on = forms.DateField(label=_("The young person signed on"), widget=DATE)
    guardian_name = forms.CharField(
        label=_("Legal representative (name)"),
        max_length=120,
        required=False,
        help_text=_("Required for minors."),
    )
    guardian_consented_on = forms.DateField(
        label=_("The legal representative signed on"), required=False, widget=DATE
    )

    def __init__(self, *args, agencies, needs_name: bool, **kwargs) -> None:
        super().__init__(*args, agencies=agencies, **kwargs)
        if needs_name:
            self.fields["name_on_form"].required = True
        else:
            del self.fields["name_on_form"]


class ContactForm(PlatformForm):
    day = forms.DateField(label=_("Date"), widget=DATE)
    channel = forms.ChoiceField(label=_("Channel"), choices=CaseContact.Channel.choices)
    note = forms.CharField(label=_("Note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class StepForm(PlatformForm):
    text = forms.CharField(label=_("Agreed step"), max_length=300)
    due_on = forms.DateField(label=_("Due on"), widget=DATE)


OFFER_QUERY = "angebot"  # the GET parameter of the referral's offer search
OFFER_CHOICES = 10  # offers shown for one search


def offer_candidates(query: str) -> list[Offer]:
    """The published offers a counsellor can refer to that match the search words (occupation, company,
    place), at most `OFFER_CHOICES` and one more, so that the page can say that there are more."""
    return public_offers_named(query, limit=OFFER_CHOICES + 1)


class ReferralForm(PlatformForm):
    """A referral; for a training offer, the offer is chosen among the results of a search by occupation,
    company or place (`offer_candidates`, the page's search field) – any published offer is a valid choice."""

    kind = forms.ChoiceField(label=_("Referred to"), choices=Referral.Kind.choices)
    offer = forms.ModelChoiceField(
        label=_("Training offer"),
        queryset=public_offers(),
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("There is no published offer with this number.")},
    )
    note = forms.CharField(label=_("Details"), max_length=300, required=False)

    def __init__(self, *args, candidates: list[Offer] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["offer"])
        field.queryset = public_offers()  # evaluated per form: "published" depends on today
        self.candidates = list(candidates or [])[:OFFER_CHOICES]

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("kind") == Referral.Kind.OFFER and not data.get("offer") and "offer" not in self.errors:
            self.add_error("offer", _("Choose the training offer you refer to."))
        chosen = data.get("offer")
        if chosen is not None and chosen not in self.candidates:
            self.candidates = [chosen, *self.candidates][:OFFER_CHOICES]
        return data


class CloseForm(PlatformForm):
    closing_kind = forms.ChoiceField(
        label=_("Where does the young person go?"), choices=[("", "–"), *DestinationKind.choices]
    )
    closing_note = forms.CharField(label=_("Closing note"), max_length=300, required=False)


class DashboardForm(PlatformForm):
    jahr = forms.ChoiceField(label=_("School year of leaving"), required=False)
    stichtag = forms.DateField(
        label=_("Cut-off date"),
        required=False,
        widget=DATE,
        help_text=_("Leavers who leave school by this date and have no secured next step come first."),
    )
    abschluss = forms.ChoiceField(
        label=_("School-leaving certificate"), choices=[("", _("All")), *Certificate.choices], required=False
    )

    def __init__(self, *args, years: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jahr"].choices = [(year, year) for year in years]  # type: ignore[attr-defined]
