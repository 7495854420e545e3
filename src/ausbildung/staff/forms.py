from __future__ import annotations

from decimal import Decimal

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


class CourseForm(PlatformForm):
    """A chamber offers a course for training staff (an officer of several chambers chooses which)."""

    chamber = forms.TypedChoiceField(label=_("Chamber"), coerce=int, required=False, empty_value=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("What it covers"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    starts_on = forms.DateField(label=_("First day"), widget=DateInput)
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput)
    hours = forms.DecimalField(
        label=_("Hours"), min_value=Decimal("0.5"), max_value=Decimal(500), decimal_places=1
    )
    place = forms.CharField(
        label=_("Place"), max_length=200, required=False, help_text=_("address, or empty if online")
    )
    online = forms.BooleanField(label=_("Online"), required=False)
    link = forms.URLField(label=_("Registration and details (link)"), required=False, assume_scheme="https")

    def __init__(self, *args, chambers=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["chamber"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [(c.pk, c.name) for c in chambers]


class RecordForm(PlatformForm):
    """A course attended, for the continuing-education log."""

    trainer = forms.TypedChoiceField(label=_("Trainer"), coerce=int)
    course = forms.TypedChoiceField(
        label=_("A chamber's course from the list"), coerce=int, required=False, empty_value=None
    )
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, help_text=_("not needed for a listed course")
    )
    provider = forms.CharField(
        label=_("Provider"), max_length=200, required=False, help_text=_("not needed for a listed course")
    )
    attended_on = forms.DateField(label=_("Attended on"), widget=DateInput)
    hours = forms.DecimalField(
        label=_("Hours"), min_value=Decimal("0.5"), max_value=Decimal(500), decimal_places=1
    )

    def __init__(self, *args, trainers=(), courses=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        trainer_field = self.fields["trainer"]
        course_field = self.fields["course"]
        assert isinstance(trainer_field, forms.ChoiceField) and isinstance(course_field, forms.ChoiceField)  # noqa: S101 - declared above
        trainer_field.choices = [(t.pk, t.get_full_name() or t.username) for t in trainers]
        course_field.choices = [("", "—")] + [
            (c.pk, f"{c.title} ({c.chamber.name}, {c.starts_on:%d.%m.%Y})") for c in courses
        ]
