"""One screen of the interest check: a required 0..4 choice per item, field names = item keys."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ausbildung.core.forms import PlatformForm
from ausbildung.core.params import parse_int

from . import items


class StepForm(PlatformForm):
    def __init__(self, *args, step: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.step_items = items.step_items(step)
        choices = [(str(value), label) for value, label in items.SCALE]
        for item in self.step_items:
            self.fields[item.key] = forms.TypedChoiceField(
                label=item.text,
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Please choose how much you like this.")},
            )

    def given_answers(self) -> dict[str, int]:
        """The valid answers on this screen, also when others are missing (so nothing chosen is lost)."""
        answers = {}
        for item in self.step_items:
            raw = self.data.get(self.add_prefix(item.key))
            answer = parse_int(raw)
            if answer is not None and items.valid_answer(answer):
                answers[item.key] = answer
        return answers
