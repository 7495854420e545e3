from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ausbildung.core.forms import DateInput, PlatformForm

from .models import DISSOLUTION_REASONS, CheckIn, Dissolution, Intervention, SchoolNote, TalkRequest

SCALE = [(str(n), str(n)) for n in range(1, 6)]


class CheckInForm(PlatformForm):
    """A minute on the phone: five questions, each answered with a tap."""

    mood = forms.TypedChoiceField(
        label=pgettext_lazy("du", "How is your training going? (1 = badly, 5 = very well)"),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
    )
    instruction = forms.TypedChoiceField(
        label=pgettext_lazy("du", "Is enough explained to you? (1 = hardly, 5 = always)"),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
    )
    conflicts = forms.ChoiceField(
        label=pgettext_lazy("du", "Are there conflicts in the company?"),
        choices=CheckIn.Conflicts.choices,
        widget=forms.RadioSelect,
    )
    overtime = forms.TypedChoiceField(
        label=pgettext_lazy("du", "Do you regularly work longer than agreed?"),
        choices=[("no", pgettext_lazy("du", "No")), ("yes", pgettext_lazy("du", "Yes"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    quitting = forms.ChoiceField(
        label=pgettext_lazy("du", "Do you think about quitting the training?"),
        choices=CheckIn.Quitting.choices,
        widget=forms.RadioSelect,
    )
    talk_with = forms.ChoiceField(
        label=pgettext_lazy("du", "Would you like to talk to someone about it?"),
        choices=[("", pgettext_lazy("du", "No, not now")), *TalkRequest.Addressee.choices],
        required=False,
        widget=forms.RadioSelect,
        help_text=pgettext_lazy(
            "du",
            "Only you see your answers. If you want a talk, we tell only that you want one, not your answers.",
        ),
    )


class TalkForm(PlatformForm):
    addressee = forms.ChoiceField(
        label=pgettext_lazy("du", "With whom?"),
        choices=TalkRequest.Addressee.choices,
        widget=forms.RadioSelect,
    )


class InterventionForm(PlatformForm):
    kind = forms.ChoiceField(label=_("Step"), choices=Intervention.Kind.choices)
    held_on = forms.DateField(label=_("On"), widget=DateInput)
    result = forms.CharField(
        label=_("Result"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    follow_up_on = forms.DateField(label=_("Look again on"), required=False, widget=DateInput)


class SchoolNoteForm(PlatformForm):
    contract = forms.TypedChoiceField(label=_("Student"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind"), choices=SchoolNote.Kind.choices, widget=forms.RadioSelect)
    days = forms.IntegerField(label=_("Days absent"), required=False, min_value=1, max_value=60)
    period_end = forms.DateField(label=_("Up to"), widget=DateInput)

    def __init__(self, *args, contracts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].choices = [  # type: ignore[attr-defined]
            (contract.pk, f"{contract.apprentice.get_full_name()} – {contract.occupation}")
            for contract in contracts
        ]


class DissolutionForm(PlatformForm):
    ended_by = forms.ChoiceField(
        label=_("Who ended the contract?"), choices=Dissolution.EndedBy.choices, widget=forms.RadioSelect
    )
    ended_on = forms.DateField(label=_("Ended on"), widget=DateInput)
    reasons = forms.MultipleChoiceField(
        label=_("Why? (several may apply)"),
        choices=list(DISSOLUTION_REASONS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    guidance_consent = forms.BooleanField(
        label=_(
            "The young person agrees that the career guidance contacts them if no new training has begun three "
            "months later."
        ),
        required=False,
    )
