from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from .models import DigestPreference
from .params import parse_id
from .validators import prohibit_control_characters

# Widgets whose text may span lines (or is never shown, put in a header or exported: passwords).
MULTI_LINE_WIDGETS = (forms.Textarea, forms.PasswordInput)


class SingleLineMixin:
    """Every text field of the form that is not a Textarea takes one line: line breaks, tabs, NULs and other
    control characters are refused with a German field error (`core.validators`). Every form of the platform
    has this mixin, through `PlatformForm` (tests/core/test_single_line.py walks all forms and checks)."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.check_single_line_fields()

    def check_single_line_fields(self) -> None:
        """Give every single-line field the check; a form that adds fields in its `__init__` calls it again."""
        for field in self.fields.values():
            if is_single_line(field) and prohibit_control_characters not in field.validators:
                field.validators.append(prohibit_control_characters)


def is_single_line(field: forms.Field) -> bool:
    return isinstance(field, forms.CharField) and not isinstance(field.widget, MULTI_LINE_WIDGETS)


class PlatformForm(SingleLineMixin, forms.Form):
    """The base of the platform's forms (see `SingleLineMixin`)."""


class PlatformModelForm(SingleLineMixin, forms.ModelForm):
    """The base of model forms (the admin's included; see `SingleLineMixin`)."""


class LoginForm(SingleLineMixin, AuthenticationForm):
    """Django's login form with our wording; the error messages are German through the locale files."""

    error_messages = {
        "invalid_login": _(
            "The username or password is wrong. Please check both; note upper and lower case. "
            "After several failed attempts, sign-in is blocked for a while."
        ),
        "inactive": _("This account is deactivated. Please contact your organisation."),
    }

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: keyed messages beside their field (unknown keys and
    unkeyed messages at the top), so the page shows them in German next to what was typed."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class DateInput(forms.DateInput):
    """A browser date picker; the value goes in and out as ISO 8601 (YYYY-MM-DD), whatever the language."""

    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


T = TypeVar("T")


def input_from(form: forms.Form, input_class: type[T]) -> T:
    """A service's input dataclass, each of its fields taken from the form's cleaned value of the same name."""
    names = [field.name for field in dataclasses.fields(input_class)]  # type: ignore[arg-type]
    return input_class(**{name: form.cleaned_data[name] for name in names})


def submit_form(
    request: HttpRequest,
    form: forms.Form,
    call: Callable[[], T],
    *,
    success: str,
    then: Callable[[T], HttpResponse],
) -> HttpResponse | None:
    """The posting step of a form page: a valid form runs its one service (`call`), then the page shows
    `success` and answers `then(result)` (a redirect). None means: render the page again – the form was not
    posted, or is invalid, or the service refused (its errors then stand on the form, `add_service_errors`)."""
    if not form.is_valid():
        return None
    try:
        result = call()
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    messages.success(request, success)
    return then(result)


class ModelIdsField(forms.ModelMultipleChoiceField):
    """A multiple choice of objects by id. Values that are not ids (see `core.params.parse_id`) are invalid
    choices before any query: Django would pass a 25-digit number to the database and fail there."""

    def clean(self, value: Any) -> Any:
        if isinstance(value, list | tuple) and self.to_field_name is None:
            for raw in value:
                if parse_id(raw) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": raw}
                    )
        return super().clean(value)


class ContractPlanForm(PlatformForm):
    """The contract's Fachrichtung/Schwerpunkt and chosen Wahlqualifikationen, limited to its occupation."""

    specialisation: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Specialisation (Fachrichtung, Schwerpunkt)"), queryset=None, required=False
    )
    electives = ModelIdsField(
        label=_("Electives (Wahlqualifikationen)"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, occupation: Any, electives: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # An Einsatzgebiet (field of deployment) is no Fachrichtung or Schwerpunkt: not the contract's specialisation.
        specialisations = cast(forms.ModelChoiceField, self.fields["specialisation"])
        specialisations.queryset = occupation.specialisations.exclude(kind="einsatzgebiet")
        field = cast(forms.ModelMultipleChoiceField, self.fields["electives"])
        field.queryset = electives
        field.label_from_instance = lambda p: (  # type: ignore[method-assign,assignment]
            f"{p.section_label} {p.number} {p.title}".strip()
            + (f" ({p.specialisation.name})" if p.specialisation_id else "")
        )
        if occupation.elective_count is not None:
            field.help_text = _("The training regulation (%(regulation)s) provides for %(count)d.") % {
                "regulation": occupation.jurabk or occupation.name,
                "count": occupation.elective_count,
            }
        if not occupation.specialisations.exists():
            del self.fields["specialisation"]


WEEKLY_HOURS_ERROR = _(
    "Please enter the agreed hours per week, more than 0 and at most 48 (ArbZG § 3: 8 hours on six working days)."
)


class ContractTermsForm(PlatformForm):
    """The working-time facts of a contract that the company keeps (`services.contract_terms_update`)."""

    weekly_hours = forms.DecimalField(
        label=_("Agreed training time per week (hours)"),
        help_text=_(
            "As in the contract (BBiG § 11 Abs. 1 Satz 2 Nr. 4). Vocational-school and exam days are credited "
            "with it (BBiG § 15 Abs. 2)."
        ),
        required=False,
        max_digits=4,
        decimal_places=2,
        localize=True,
        error_messages={
            "invalid": _("Please enter the hours as a number, e.g. 39 or 38,5."),
            # 100 or 1000 hours: the same rule as the service's, not a message about digits.
            "max_digits": WEEKLY_HOURS_ERROR,
            "max_whole_digits": WEEKLY_HOURS_ERROR,
            "max_decimal_places": _("Please enter the hours as a number, e.g. 39 or 38,5."),
        },
    )
    written_exam_date = forms.DateField(
        label=_("Date of the written final exam"),
        help_text=_("The working day before it is free (BBiG § 15 Abs. 1 Satz 2 Nr. 5)."),
        required=False,
        widget=DateInput(),
    )


class DigestForm(PlatformForm):
    """The e-mail digest of what waits (`core.digests`): off, daily or weekly."""

    frequency = forms.ChoiceField(
        label=_("E-mail digest"), choices=DigestPreference.Frequency.choices, widget=forms.RadioSelect
    )
