"""Pages of signing in safely: password reset and change, the second factor, the person's security page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

from ..forms import add_service_errors
from ..models import User
from . import audit, passwords, two_factor
from .forms import (
    ChangePasswordForm,
    CodeForm,
    ConfirmWithSecretForm,
    NewPasswordForm,
    ResetRequestForm,
    SetupCodeForm,
)

CODES_SESSION_KEY = "recovery_codes_once"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("core:home")


# --- password reset (anyone) ---------------------------------------------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "core/signin/password_reset.html"
    form_class = ResetRequestForm
    email_template_name = "core/signin/password_reset_email.txt"
    subject_template_name = "core/signin/password_reset_subject.txt"
    success_url = reverse_lazy("core:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        email = form.cleaned_data["email"]
        # Throttled or not, known or not: the same answer. Only an allowed request sends a mail.
        if passwords.reset_allowed(request=self.request, email=email):
            passwords.reset_request_record(request=self.request, email=email)
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "core/signin/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "core/signin/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("core:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        passwords.password_set(user=form.user, password=form.cleaned_data["new_password1"], how="reset")
        self.request.session.pop(INTERNAL_RESET_SESSION_TOKEN, None)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "core/signin/password_reset_complete.html"


# --- the signed-in person's own account ----------------------------------------------------------------------


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "core/signin/password_change.html"
    form_class = ChangePasswordForm
    success_url = reverse_lazy("core:security")

    def form_valid(self, form: Any) -> HttpResponse:
        user = passwords.password_set(
            user=form.user, password=form.cleaned_data["new_password1"], how="change"
        )
        update_session_auth_hash(self.request, user)  # this session stays signed in (and verified)
        messages.success(self.request, _("The password was changed."))
        return HttpResponseRedirect(self.get_success_url())


def security(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    context = {
        "has_device": two_factor.has_device(user),
        "required": two_factor.required_by_role(user),
        "codes_left": two_factor.recovery_codes_left(user),
        "events": audit.security_events_of(user),
    }
    return render(request, "core/signin/security.html", context)


def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The code step after the password (a code of the app, or a recovery code)."""
    user: User = request.user  # type: ignore[assignment]
    if not two_factor.needs_code(request):
        return redirect(_next_url(request))
    if not two_factor.has_device(user):
        return redirect(f"{reverse('core:two_factor_setup')}?{urlencode({'next': _next_url(request)})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor.second_factor_verify(request=request, user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(_next_url(request))
    return render(request, "core/signin/verify.html", {"form": form, "next": _next_url(request)})


def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if two_factor.has_device(user):
        messages.info(request, _("The second factor is set up already."))
        return redirect("core:security")
    device = two_factor.totp_setup_begin(user=user)
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.totp_setup_confirm(request=request, user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session[CODES_SESSION_KEY] = codes
            messages.success(request, _("The second factor is set up."))
            return redirect(f"{reverse('core:recovery_codes')}?{urlencode({'next': _next_url(request)})}")
    context = {
        "form": form,
        "qr": two_factor.qr_data_uri(device),
        "key": two_factor.base32_key(device),
        "required": two_factor.required_by_role(user),
        "next": _next_url(request),
    }
    return render(request, "core/signin/setup.html", context)


def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes (shown once, right after they were made), or the form to make new ones."""
    user: User = request.user  # type: ignore[assignment]
    form = ConfirmWithSecretForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new_codes = two_factor.recovery_codes_regenerate(user=user, secret=form.cleaned_data["secret"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session[CODES_SESSION_KEY] = new_codes
            return redirect("core:recovery_codes")
    shown = request.session.pop(CODES_SESSION_KEY, None) if request.method == "GET" else None
    context = {
        "form": form,
        "codes": shown,
        "has_device": two_factor.has_device(user),
        "next": _next_url(request),
    }
    response = render(request, "core/signin/recovery_codes.html", context)
    response["Cache-Control"] = "no-store"
    return response


def two_factor_disable(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not two_factor.has_device(user):
        return redirect("core:security")
    form = ConfirmWithSecretForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor.two_factor_disable(request=request, user=user, secret=form.cleaned_data["secret"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The second factor was removed."))
            return redirect("core:security")
    return render(
        request, "core/signin/disable.html", {"form": form, "required": two_factor.required_by_role(user)}
    )
