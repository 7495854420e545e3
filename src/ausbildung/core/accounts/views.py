"""Pages of the account flows: sign-up, company registration and verification, invitations, leaving."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from ..forms import PlatformForm, add_service_errors, submit_form
from ..models import Organisation
from ..permissions import is_platform_admin
from . import forms, selectors, services

# Where a confirmed pupil goes on: the class join of the orientation area (orientation/classes), by its URL
# name only (core imports no focus-area app).
AFTER_SIGNUP = "orientation:join"
LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


def posted(request: HttpRequest) -> QueryDict | None:
    """The POST data of a form that has no fields (a button): bound even when empty."""
    return request.POST if request.method == "POST" else None


def site_of(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


# --- sign-up -------------------------------------------------------------------------------------------------


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:home")
    form = forms.SignupForm(request.POST or None)
    done = submit_form(
        request,
        form,
        lambda: services.signup_create(data=form.account_input(), site=site_of(request)),
        success=pgettext("informal", "Almost done: we have sent you an e-mail with a link."),
        then=lambda signup: redirect("core:signup_sent"),
    )
    return done or render(request, "core/accounts/signup.html", {"form": form})


def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accounts/signup_sent.html")


def signup_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the confirmation mail: a page with one button (a mail scanner opening the link confirms
    nothing). A complete sign-up signs the person in and goes on to joining a class."""
    form = PlatformForm(posted(request))
    problem = ""
    try:
        pending = services.signup_for_token(token, services.EMAIL_CONFIRM)
    except ValidationError as error:
        problem, pending = error.messages[0], None
    if pending is not None and request.method == "POST" and form.is_valid():
        try:
            signup = services.signup_confirm_email(token=token)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if signup.complete:
                login(request, signup.user, backend=LOGIN_BACKEND)
                messages.success(request, pgettext("informal", "Your e-mail address is confirmed. Welcome!"))
                return redirect(AFTER_SIGNUP)
            messages.success(request, pgettext("informal", "Your e-mail address is confirmed."))
            return redirect("core:signup_sent")
    context = {"form": form, "problem": problem, "pending": pending}
    return render(request, "core/accounts/signup_confirm.html", context)


def signup_guardian(request: HttpRequest, token: str) -> HttpResponse:
    """The guardian's page: who signed up, why the consent is needed (DSGVO Art. 8), one button."""
    form = PlatformForm(posted(request))
    problem = ""
    try:
        pending = services.signup_for_token(token, services.GUARDIAN_CONSENT)
    except ValidationError as error:
        problem, pending = error.messages[0], None
    if pending is not None and request.method == "POST" and form.is_valid():
        try:
            _signup, secret = services.signup_guardian_consent(token=token, site=site_of(request))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you. Your consent is recorded."))
            return redirect("core:invitation_accept", token=secret)
    context = {"form": form, "problem": problem, "pending": pending}
    return render(request, "core/accounts/signup_guardian.html", context)


# --- companies -----------------------------------------------------------------------------------------------


def company_register(request: HttpRequest) -> HttpResponse:
    signed_in = request.user.is_authenticated
    form_class = forms.CompanyForm if signed_in else forms.CompanyWithAccountForm
    form = form_class(request.POST or None)
    done = submit_form(
        request,
        form,
        lambda: services.company_register(
            actor=request.user if signed_in else None,  # type: ignore[arg-type]
            account=None if signed_in else form.account_input(),  # type: ignore[attr-defined]
            data=form.company_input(),
            site=site_of(request),
        ),
        success=_(
            "The company is registered. The competent chamber verifies it; until then it cannot publish "
            "training places."
        ),
        then=lambda company: redirect("core:my_organisations" if signed_in else "core:signup_sent"),
    )
    return done or render(request, "core/accounts/company_register.html", {"form": form})


def company_verification_list(request: HttpRequest) -> HttpResponse:
    companies = selectors.companies_to_verify_for(request.user).select_related("competent_chamber")
    return render(request, "core/accounts/company_verification_list.html", {"companies": companies})


def company_verification(request: HttpRequest, pk: int) -> HttpResponse:
    company = selectors.get_company_to_verify(request.user, pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    verify_form = forms.VerifyForm(request.POST if action == "verify" else None)
    reject_form = forms.RejectForm(request.POST if action == "reject" else None)
    how = (
        Organisation.Verification.DOCUMENTED
        if is_platform_admin(request.user)
        else Organisation.Verification.CHAMBER
    )
    done = submit_form(
        request,
        verify_form,
        lambda: services.company_verify(
            actor=request.user,  # type: ignore[arg-type]
            company=company,
            how=how,
            note=verify_form.cleaned_data["note"],
        ),
        success=_("The company is verified."),
        then=lambda c: redirect("core:company_verification_list"),
    ) or submit_form(
        request,
        reject_form,
        lambda: services.company_reject(
            actor=request.user,  # type: ignore[arg-type]
            company=company,
            reason=reject_form.cleaned_data["reason"],
        ),
        success=_("The company was told why it could not be verified."),
        then=lambda c: redirect("core:company_verification_list"),
    )
    context = {"company": company, "verify_form": verify_form, "reject_form": reject_form}
    return done or render(request, "core/accounts/company_verification.html", context)


# --- invitations ---------------------------------------------------------------------------------------------


def invitations(request: HttpRequest) -> HttpResponse:
    targets = selectors.invitation_targets_for(request.user)
    form = forms.InvitationForm(request.POST or None, targets=targets)
    done = submit_form(
        request,
        form,
        lambda: services.invitation_create(
            actor=request.user,  # type: ignore[arg-type]
            email=form.cleaned_data["email"],
            target_key=form.cleaned_data["target"],
            site=site_of(request),
        ),
        success=_("The invitation was sent."),
        then=lambda result: redirect("core:invitations"),
    )
    context = {"form": form, "targets": targets, "open": selectors.open_invitations_for(request.user)}
    return done or render(request, "core/accounts/invitations.html", context)


@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.get_invitation_for(request.user, pk)
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The invitation was withdrawn."))
    return redirect("core:invitations")


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation link: a new account, or the signed-in person accepts (the invited e-mail address)."""
    invitation = services.invitation_for_secret(token)
    problem = services.invitation_problem(invitation)
    signed_in = request.user.is_authenticated
    form: PlatformForm = (
        PlatformForm(posted(request)) if signed_in else forms.InvitedAccountForm(request.POST or None)
    )
    if not problem and request.method == "POST" and form.is_valid():
        try:
            if isinstance(form, forms.InvitedAccountForm):
                user = services.invitation_accept_new_account(secret=token, data=form.account_input())
                login(request, user, backend=LOGIN_BACKEND)
            else:
                services.invitation_accept(user=request.user, secret=token)  # type: ignore[arg-type]
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The invitation is accepted."))
            return redirect("core:home")
    context = {"invitation": invitation, "problem": problem, "form": form, "now": timezone.now()}
    return render(request, "core/accounts/invitation_accept.html", context)


# --- own organisations, leaving, removing ---------------------------------------------------------------------


def my_organisations(request: HttpRequest) -> HttpResponse:
    context = {
        "memberships": selectors.own_memberships(request.user).order_by("organisation__name", "role"),
        "members": selectors.members_managed_by(request.user),
        "unverified": selectors.own_memberships(request.user).filter(
            organisation__kind=Organisation.Kind.COMPANY, organisation__verified_at__isnull=True
        ),
    }
    return render(request, "core/accounts/my_organisations.html", context)


@require_POST
def membership_leave(request: HttpRequest, pk: int) -> HttpResponse:
    membership = selectors.get_own_membership(request.user, pk)
    try:
        services.membership_leave(actor=request.user, membership=membership)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("core:my_organisations")
    messages.success(request, _("You have left %(name)s.") % {"name": membership.organisation.name})
    return redirect("core:home")


@require_POST
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = selectors.get_managed_membership(request.user, pk)
    try:
        services.member_remove(actor=request.user, membership=membership)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(person)s was removed.") % {"person": membership.user})
    return redirect("core:my_organisations")
