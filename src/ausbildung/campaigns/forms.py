from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ausbildung.core.forms import DateInput, PlatformForm

from .models import Event

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class EventForm(PlatformForm):
    """An organiser publishes an event with up to three dates (a series)."""

    organiser = forms.TypedChoiceField(label=_("Organiser"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind"), choices=Event.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    online = forms.BooleanField(label=_("Online"), required=False)
    street = forms.CharField(label=_("Street and number"), max_length=200, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=5, required=False)
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    audiences = forms.MultipleChoiceField(
        label=_("Target groups"), choices=Event.Audience.choices, widget=forms.CheckboxSelectMultiple
    )
    occupations = forms.TypedMultipleChoiceField(label=_("Occupations"), coerce=int, required=False)
    capacity = forms.IntegerField(
        label=_("Places"), min_value=1, max_value=100_000, required=False, help_text=_("empty: no limit")
    )
    accessibility = forms.CharField(
        label=_("Accessibility"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    day_1 = forms.DateField(label=_("Day"), widget=DateInput)
    from_1 = forms.TimeField(label=_("From"), widget=TIME)
    to_1 = forms.TimeField(label=_("To"), widget=TIME)
    day_2 = forms.DateField(label=_("Second day (a series)"), widget=DateInput, required=False)
    from_2 = forms.TimeField(label=_("From"), widget=TIME, required=False)
    to_2 = forms.TimeField(label=_("To"), widget=TIME, required=False)

    def __init__(self, *args, organisers=(), occupations=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        organiser = self.fields["organiser"]
        chosen = self.fields["occupations"]
        assert isinstance(organiser, forms.ChoiceField) and isinstance(chosen, forms.ChoiceField)  # noqa: S101 - declared above
        organiser.choices = [(o.pk, o.name) for o in organisers]
        chosen.choices = [(o.pk, o.name) for o in occupations]

    def dates(self) -> list[tuple[dt.datetime, dt.datetime]]:
        data = self.cleaned_data
        result = []
        for n in (1, 2):
            day, start, end = data.get(f"day_{n}"), data.get(f"from_{n}"), data.get(f"to_{n}")
            if day and start and end:
                result.append(
                    (
                        timezone.make_aware(dt.datetime.combine(day, start)),
                        timezone.make_aware(dt.datetime.combine(day, end)),
                    )
                )
        return result


class CalendarForm(PlatformForm):
    """The calendar's filters (GET; every field optional)."""

    von = forms.DateField(label=_("From"), widget=DateInput, required=False)
    bis = forms.DateField(label=_("Until"), widget=DateInput, required=False)
    plz = forms.CharField(label=_("Near postcode"), max_length=5, required=False)
    umkreis = forms.IntegerField(label=_("Within (km)"), min_value=1, max_value=300, required=False)
    beruf = forms.ChoiceField(label=_("Occupation"), required=False)
    art = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *Event.Kind.choices], required=False)
    fuer = forms.ChoiceField(label=_("For"), choices=[("", "—"), *Event.Audience.choices], required=False)
    frei = forms.BooleanField(label=_("Only with free places"), required=False)
    q = forms.CharField(label=_("Words"), max_length=100, required=False)

    EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2100, 12, 31)

    def _in_range(self, name: str) -> dt.date | None:
        value = self.cleaned_data.get(name)
        if value is not None and not self.EARLIEST <= value <= self.LATEST:
            raise forms.ValidationError(_("Give a date between 2000 and 2100."))
        return value

    def clean_von(self) -> dt.date | None:
        return self._in_range("von")

    def clean_bis(self) -> dt.date | None:
        return self._in_range("bis")

    def __init__(self, *args, occupations=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["beruf"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [("", "—")] + [(o.slug, o.name) for o in occupations]
