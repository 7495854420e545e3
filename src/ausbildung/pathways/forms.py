from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ausbildung.core.forms import PlatformForm


class EstimateForm(PlatformForm):
    """The costs a person enters for the Aufstiegs-BAföG estimate (nothing is stored)."""

    gebuehren = forms.DecimalField(
        label=_("Course and exam fees (euros)"),
        min_value=Decimal(0),
        max_value=Decimal(100_000),
        decimal_places=2,
        help_text=_("as the course provider and the chamber state them"),
    )
    material = forms.DecimalField(
        label=_("Material for the master piece (euros)"),
        min_value=Decimal(0),
        max_value=Decimal(100_000),
        decimal_places=2,
        required=False,
        help_text=_("only for a Meisterprüfung or a comparable practical work"),
    )
