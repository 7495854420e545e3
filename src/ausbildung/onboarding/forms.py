"""The two steps of the self-check and the chamber's handling form."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ausbildung.core.forms import ModelIdsField, PlatformForm
from ausbildung.core.models import Occupation, Organisation

from .models import ContentsOnSite, OnboardingRequest, TrainerQualification


class CompanyStepForm(PlatformForm):
    """Step 1: the company, what it does, and the occupations (chosen from a search, no JavaScript needed)."""

    company = forms.ModelChoiceField(
        label=_("Company"), queryset=Organisation.objects.none(), empty_label=None
    )
    activity = forms.CharField(
        label=_("What does your company do?"),
        help_text=_("Products, services, customers, the main kinds of work – a few sentences are enough."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
    q = forms.CharField(label=_("Search occupations"), required=False, max_length=100)
    occupations = ModelIdsField(
        label=_("Occupations you would like to train in"),
        queryset=Occupation.objects.filter(is_active=True),
        error_messages={"required": _("Please choose at least one occupation.")},
    )

    def __init__(self, *args, companies, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["company"]).queryset = companies


class SiteStepForm(PlatformForm):
    """Step 2: skilled staff, trainer, contents on site, interest in support."""

    skilled_staff = forms.IntegerField(
        label=_("Number of skilled staff (Fachkräfte) at the training site"),
        help_text=_(
            "People with a completed training or a degree in a matching field, or long practice in the "
            "occupation; count yourself and the future trainer if this applies."
        ),
        min_value=0,
        max_value=100000,
        error_messages={"min_value": _("The number cannot be negative.")},
    )
    trainer = forms.ChoiceField(
        label=_(
            "Is there a person who may train: with the trainer aptitude exam (AEVO) or a master certificate?"
        ),
        choices=TrainerQualification.choices,
        widget=forms.RadioSelect,
    )
    contents = forms.ChoiceField(
        label=_("Can all contents of the framework plan be taught at your site?"),
        choices=ContentsOnSite.choices,
        widget=forms.RadioSelect,
    )
    asa_interest = forms.BooleanField(
        label=_("We are interested in support by the employment agency (Assisted Training, AsA flex)"),
        required=False,
    )


class HandleForm(PlatformForm):
    status = forms.ChoiceField(label=_("Status"), choices=OnboardingRequest.Status.choices)
    chamber_note = forms.CharField(
        label=_("Note of the chamber"),
        help_text=_("Visible to the company."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
    )
