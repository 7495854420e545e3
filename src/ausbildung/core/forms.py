from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .params import parse_id


class LoginForm(AuthenticationForm):
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
