from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..forms import PlatformForm
from ..models import User


class ErasureForm(PlatformForm):
    """Asking for erasure is confirmed with the password (DSGVO Art. 12 Abs. 6: the controller makes sure the
    request comes from the person)."""

    password = forms.CharField(
        label=_("Password"),
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, person: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.person.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        return password


class StaffExportForm(PlatformForm):
    """A platform administrator produces the copy for a request received on paper."""

    username = forms.CharField(label=_("Username of the person"), max_length=150)
    reference = forms.CharField(
        label=_("Request"),
        max_length=200,
        help_text=_("How the request came in, e.g. “letter of 3 December 2026, identity checked”."),
    )

    def clean_username(self) -> User:
        person = User.objects.filter(username=self.cleaned_data["username"]).first()
        if person is None:
            raise forms.ValidationError(_("No person has this username."))
        return person
