from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.template import loader
from django.utils.translation import gettext_lazy as _

from ..forms import PlatformForm, SingleLineMixin
from ..mail import mail_queue


class ResetRequestForm(SingleLineMixin, PasswordResetForm):
    """Django's reset form; its mail goes into the outbox (core.mail), never straight to the server."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        if settings.PLATFORM_URL:
            context = {**context, "base_url": settings.PLATFORM_URL}
        else:
            context = {**context, "base_url": f"{context['protocol']}://{context['domain']}"}
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        mail_queue(to=to_email, subject=subject, body=body)


class NewPasswordForm(SingleLineMixin, SetPasswordForm):
    """The new password after a reset link (Django's checks of AUTH_PASSWORD_VALIDATORS)."""


class ChangePasswordForm(SingleLineMixin, PasswordChangeForm):
    """The signed-in person's password change: the old password, then the new one twice."""


class CodeForm(PlatformForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The six digits of the authenticator app, or one of the recovery codes."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autocapitalize": "none",
                "autofocus": True,
            }
        ),
    )


class SetupCodeForm(PlatformForm):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=20,
        help_text=_("The six digits the app shows now."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class ConfirmWithSecretForm(PlatformForm):
    secret = forms.CharField(
        label=_("Password or current code"),
        max_length=128,
        strip=False,
        help_text=_("Your password, or the six digits the authenticator app shows now."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
