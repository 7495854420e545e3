from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ausbildung.core.forms import DateInput, PlatformForm

from .models import Qualification


class QualificationForm(PlatformForm):
    """Record a trainer's evidence of aptitude (AusbEignV) with the vocational qualification behind it."""

    trainer = forms.TypedChoiceField(label=_("Trainer"), coerce=int)
    kind = forms.ChoiceField(
        label=_("Evidence"), choices=Qualification.Kind.choices, widget=forms.RadioSelect
    )
    passed_on = forms.DateField(label=_("Date of the certificate"), widget=DateInput)
    issued_by = forms.CharField(label=_("Issued by"), max_length=200, help_text=_("e.g. the chamber's name"))
    craft = forms.TypedChoiceField(
        label=_("Craft of the Meisterprüfung"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Only for a Meisterprüfung: in a craft, the chamber checks that it fits (HwO § 22b)."),
    )
    vocational = forms.CharField(
        label=_("Vocational qualification"),
        max_length=200,
        help_text=_("e.g. final exam as Fachinformatiker, IHK 2014 (BBiG § 30 Abs. 2)"),
    )
    document = forms.FileField(
        label=_("Copy of the certificate (PDF, JPEG or PNG, at most 5 MB)"),
        required=False,
    )

    def __init__(self, *args, trainers=(), crafts=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        trainer_field = self.fields["trainer"]
        craft_field = self.fields["craft"]
        assert isinstance(trainer_field, forms.ChoiceField) and isinstance(craft_field, forms.ChoiceField)  # noqa: S101 - declared above
        trainer_field.choices = [("", "—")] + [(t.pk, t.get_full_name() or t.username) for t in trainers]
        craft_field.choices = [("", "—")] + [(o.pk, o.name) for o in crafts]


class StaffingForm(PlatformForm):
    skilled_staff = forms.IntegerField(
        label=_("Skilled staff at this site"),
        min_value=0,
        max_value=100_000,
        help_text=_(
            "Employees with a completed vocational training in the field, trainers, or who worked in the "
            "occupation for one and a half times its training period, as the chambers count."
        ),
    )
    as_of = forms.DateField(label=_("As of"), widget=DateInput)


class RoleForm(PlatformForm):
    full_time = forms.BooleanField(label=_("Trains full-time"), required=False)
