from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


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
