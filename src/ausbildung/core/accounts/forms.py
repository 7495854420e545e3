"""Forms of the account pages (all derive from PlatformForm: single-line inputs)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..forms import DateInput, PlatformForm
from ..models import Organisation, User
from ..models.organisations import postcode_validator
from .services import AccountInput, CompanyInput


class AccountForm(PlatformForm):
    """The person's own account: user name, e-mail, name, password (Django's password validators)."""

    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only."),
        validators=[User.username_validator],
    )
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1 = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput, max_length=128)
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput, max_length=128
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            probe = User(
                username=cleaned.get("username", ""),
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                validate_password(first, probe)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def account_input(self) -> AccountInput:
        data = self.cleaned_data
        return AccountInput(
            username=data["username"],
            email=data.get("email", ""),
            first_name=data["first_name"],
            last_name=data["last_name"],
            password=data["password1"],
            date_of_birth=data.get("date_of_birth"),
            guardian_email=data.get("guardian_email") or "",
        )


class SignupForm(AccountForm):
    """A pupil's or applicant's sign-up; under 16 with the guardian's e-mail address (DSGVO Art. 8)."""

    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DateInput())
    guardian_email = forms.EmailField(
        label=pgettext_lazy("informal", "E-mail address of a parent or guardian"),
        help_text=pgettext_lazy(
            "informal",
            "Only if you are under 16: a parent or guardian then has to agree (DSGVO Art. 8 Abs. 1).",
        ),
        required=False,
        max_length=254,
    )
    field_order = [
        "username",
        "email",
        "first_name",
        "last_name",
        "date_of_birth",
        "guardian_email",
        "password1",
        "password2",
    ]


class InvitedAccountForm(AccountForm):
    """The account of an invited person: the e-mail address is the invited one."""

    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["email"]


class CompanyForm(PlatformForm):
    name = forms.CharField(label=_("Name of the company"), max_length=200)
    street = forms.CharField(label=_("Street and number"), max_length=200)
    postcode = forms.CharField(label=_("Postcode"), max_length=5, validators=[postcode_validator])
    city = forms.CharField(label=_("City"), max_length=120)
    competent_chamber = forms.ModelChoiceField(
        label=_("Competent chamber"),
        help_text=_(
            "The chamber competent for the occupations you train in (BBiG §§ 71–75), e.g. the IHK for "
            "commercial and industrial, the HWK for craft occupations. It verifies your company."
        ),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.CHAMBER, is_active=True).order_by("name"),
    )
    company_email = forms.EmailField(label=_("E-mail address of the company"), required=False, max_length=254)

    def company_input(self) -> CompanyInput:
        data = self.cleaned_data
        return CompanyInput(
            name=data["name"],
            street=data["street"],
            postcode=data["postcode"],
            city=data["city"],
            competent_chamber=data["competent_chamber"],
            email=data.get("company_email") or "",
        )


class CompanyWithAccountForm(AccountForm, CompanyForm):
    """Registering a company without an account yet: the person's account and the company in one form."""


class VerifyForm(PlatformForm):
    note = forms.CharField(
        label=_("Note of the check"),
        help_text=_("What was checked, e.g. the entry in the commercial register or the craft register."),
        max_length=500,
        required=False,
    )


class RejectForm(PlatformForm):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class InvitationForm(PlatformForm):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    target = forms.ChoiceField(label=_("Invite as"))

    def __init__(self, *args: Any, targets: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["target"])
        field.choices = [(target.key, target.label) for target in targets]
