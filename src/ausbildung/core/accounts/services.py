"""Writes of the account flows. Keyword-only, atomic, each state change with its audit row; every mail goes
through the outbox (`core.mail.mail_queue`), written in the same transaction.

Decisions (docs/architecture.md, "Accounts"):

- **Self sign-up** creates an inactive account (it cannot sign in) and a `Signup`. The e-mail address is
  confirmed by a signed, time-stamped link (Django's signing with `max_age`; nothing secret is stored). The
  link carries a fingerprint of the sign-up's state, so it works once: after the confirmation the state has
  changed and the same link is refused.
- **Under 16** (DSGVO Art. 8 Abs. 1 Satz 1: the consent of a child below 16 needs the holder of parental
  responsibility; Germany kept 16, the BDSG makes no use of the lower age allowed by Art. 8 Abs. 1 Satz 3),
  the guardian's e-mail is asked and the guardian confirms by a link of their own. The account stays
  inactive until both links are used. The guardian's consent also creates an invitation to a guardian
  account: accepting it creates the `Guardianship` (the guardian then sees what guardians see while the
  child is a minor, BGB § 2, § 1629).
- **After confirming**, a pupil has an account without a role; joining a class with its code
  (`orientation:join`) makes them a pupil of the class's school. Applicants without a school keep an account
  without a role: the search for training places and the occupation explorer are open to them; applying
  needs the pupil role, which a school gives through its class code.
- **A registered company** is unverified until a chamber officer of the competent chamber it named (or a
  platform administrator, as a documented check) verifies it; it cannot publish training places until then.
- **Invitations** hold only the SHA-256 of their secret, expire after `INVITATION_DAYS`, can be revoked, and
  are used once; the accepting account's e-mail address must be the invited one.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from .. import geo
from ..mail import mail_queue
from ..models import Guardianship, Invitation, Membership, Organisation, Region, Role, Signup, User
from ..services import audit_record, membership_create, membership_end, membership_validate
from . import selectors

# DSGVO Art. 8 Abs. 1 Satz 1: below 16 the holder of parental responsibility consents. The member states may
# lower the age to 13 (Satz 3); Germany did not (the BDSG has no such rule), so 16 applies.
CONSENT_AGE = 16
SIGNUP_LINK_MAX_AGE = datetime.timedelta(days=3)
INVITATION_DAYS = 14
SIGNUP_SALT = "ausbildung.core.accounts.signup"
EMAIL_CONFIRM = "email"
GUARDIAN_CONSENT = "guardian"


@dataclass(frozen=True)
class AccountInput:
    username: str
    email: str
    first_name: str
    last_name: str
    password: str
    date_of_birth: datetime.date | None = None
    guardian_email: str = ""


@dataclass(frozen=True)
class CompanyInput:
    name: str
    street: str
    postcode: str
    city: str
    competent_chamber: Organisation | None
    email: str = ""


def age_on(born: datetime.date, day: datetime.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def needs_guardian(born: datetime.date | None, today: datetime.date) -> bool:
    """Under 16 on the day of sign-up (DSGVO Art. 8 Abs. 1, see CONSENT_AGE)."""
    return born is not None and age_on(born, today) < CONSENT_AGE


# --- signed links of the sign-up -----------------------------------------------------------------------------


def _state(signup: Signup, purpose: str) -> str:
    """A fingerprint of what a link may change: once used, the state differs and the link is refused."""
    used = signup.email_confirmed_at if purpose == EMAIL_CONFIRM else signup.guardian_consent_at
    address = signup.user.email if purpose == EMAIL_CONFIRM else signup.guardian_email
    value = "|".join(str(part) for part in (signup.pk, address, used, purpose))
    return salted_hmac(SIGNUP_SALT, value).hexdigest()[:24]


def signup_token(signup: Signup, purpose: str) -> str:
    return signing.dumps({"s": signup.pk, "p": purpose, "h": _state(signup, purpose)}, salt=SIGNUP_SALT)


def signup_for_token(token: str, purpose: str) -> Signup:
    """The sign-up of a link, or a ValidationError saying why not (expired, used or not a link of ours)."""
    try:
        data = signing.loads(token, salt=SIGNUP_SALT, max_age=SIGNUP_LINK_MAX_AGE)
    except signing.SignatureExpired as error:
        raise ValidationError(_("This link has expired. Please sign up again."), code="expired") from error
    except signing.BadSignature as error:
        raise ValidationError(_("This link is not valid."), code="invalid") from error
    if not isinstance(data, dict) or data.get("p") != purpose or not isinstance(data.get("s"), int):
        raise ValidationError(_("This link is not valid."), code="invalid")
    signup = Signup.objects.select_related("user").filter(pk=data["s"]).first()
    if signup is None or not secrets.compare_digest(str(data.get("h", "")), _state(signup, purpose)):
        raise ValidationError(_("This link has already been used or is no longer valid."), code="used")
    return signup


def _link(site: str, name: str, token: str) -> str:
    return site.rstrip("/") + reverse(name, kwargs={"token": token})


# --- sign-up -------------------------------------------------------------------------------------------------


def account_validate(data: AccountInput, *, today: datetime.date) -> None:
    errors: dict[str, str] = {}
    if User.objects.filter(username__iexact=data.username).exists():
        errors["username"] = _("This user name is taken. Please choose another one.")
    if User.objects.filter(email__iexact=data.email).exists():
        errors["email"] = _("An account with this e-mail address exists already. Please sign in.")
    born = data.date_of_birth
    if born is not None and (born > today or age_on(born, today) > 120):
        errors["date_of_birth"] = _("Please enter your date of birth.")
    elif needs_guardian(born, today):
        if not data.guardian_email:
            errors["guardian_email"] = _(
                "You are under 16: please enter the e-mail address of a parent or guardian (DSGVO Art. 8)."
            )
        elif data.guardian_email.lower() == data.email.lower():
            errors["guardian_email"] = _("Please enter the address of your parent or guardian, not your own.")
    if errors:
        raise ValidationError(errors)


def _account_create(data: AccountInput, *, today: datetime.date) -> tuple[User, Signup]:
    account_validate(data, today=today)
    user = User.objects.create(
        username=data.username,
        email=data.email,
        first_name=data.first_name,
        last_name=data.last_name,
        date_of_birth=data.date_of_birth,
        password=make_password(data.password),
        is_active=False,  # until the e-mail (and under 16 the guardian) confirms
    )
    guardian_email = data.guardian_email if needs_guardian(data.date_of_birth, today) else ""
    signup = Signup.objects.create(user=user, guardian_email=guardian_email)
    audit_record(
        actor=user,
        action="account.signup",
        target=user,
        summary=user.username,
        changes={"needs_guardian": bool(guardian_email)},
    )
    return user, signup


def _signup_mails(signup: Signup, *, site: str) -> None:
    user = signup.user
    mail_queue(
        to=user.email,
        subject=_("Please confirm your e-mail address"),
        body=_(
            "Hello %(name)s,\n\nplease confirm your e-mail address with this link (valid for 3 days):\n%(link)s\n\n"
            "If you did not sign up, ignore this e-mail; the account is not used."
        )
        % {
            "name": user.get_full_name() or user.username,
            "link": _link(site, "core:signup_confirm", signup_token(signup, EMAIL_CONFIRM)),
        },
    )
    if signup.needs_guardian:
        mail_queue(
            to=signup.guardian_email,
            subject=_("Your child would like to use the training platform"),
            body=_(
                "Hello,\n\n%(name)s has signed up for the training platform and gave your address as that of a "
                "parent or guardian. Below 16, the consent of a holder of parental responsibility is needed "
                "(DSGVO Art. 8 Abs. 1). The link explains what the platform keeps and lets you consent "
                "(valid for 3 days):\n%(link)s\n\nIf you do not know this sign-up, ignore this e-mail; the "
                "account stays unusable."
            )
            % {
                "name": user.get_full_name() or user.username,
                "link": _link(site, "core:signup_guardian", signup_token(signup, GUARDIAN_CONSENT)),
            },
        )


@transaction.atomic
def signup_create(*, data: AccountInput, site: str, today: datetime.date | None = None) -> Signup:
    """A pupil or applicant signs up: an inactive account, the confirmation mail (and the guardian's)."""
    _user, signup = _account_create(data, today=today or timezone.localdate())
    _signup_mails(signup, site=site)
    return signup


def _activate_if_complete(signup: Signup) -> None:
    if signup.complete and not signup.user.is_active:
        signup.user.is_active = True
        signup.user.save(update_fields=["is_active"])
        audit_record(
            actor=signup.user, action="account.activate", target=signup.user, summary=signup.user.username
        )


@transaction.atomic
def signup_confirm_email(*, token: str) -> Signup:
    signup = signup_for_token(token, EMAIL_CONFIRM)
    signup = Signup.objects.select_for_update().select_related("user").get(pk=signup.pk)
    if signup.email_confirmed_at is not None:
        raise ValidationError(_("This link has already been used or is no longer valid."), code="used")
    signup.email_confirmed_at = timezone.now()
    signup.save(update_fields=["email_confirmed_at"])
    audit_record(
        actor=signup.user, action="account.email_confirm", target=signup, summary=signup.user.username
    )
    _activate_if_complete(signup)
    return signup


@transaction.atomic
def signup_guardian_consent(*, token: str, site: str) -> tuple[Signup, str]:
    """The guardian consents (DSGVO Art. 8 Abs. 1); returns the sign-up and the secret of the invitation to a
    guardian account (accepting it creates the Guardianship)."""
    signup = signup_for_token(token, GUARDIAN_CONSENT)
    signup = Signup.objects.select_for_update().select_related("user").get(pk=signup.pk)
    if not signup.needs_guardian or signup.guardian_consent_at is not None:
        raise ValidationError(_("This link has already been used or is no longer valid."), code="used")
    signup.guardian_consent_at = timezone.now()
    signup.save(update_fields=["guardian_consent_at"])
    audit_record(
        actor=None,
        action="account.guardian_consent",
        target=signup,
        summary=signup.user.username,
        changes={"guardian_email": signup.guardian_email},
    )
    _activate_if_complete(signup)
    _invitation, secret = _invitation_create(
        actor=None,
        email=signup.guardian_email,
        role=Role.GUARDIAN,
        organisation=None,
        ward=signup.user,
        site=site,
    )
    return signup, secret


# --- companies -----------------------------------------------------------------------------------------------


def company_validate(data: CompanyInput) -> None:
    if data.competent_chamber is not None and data.competent_chamber.kind != Organisation.Kind.CHAMBER:
        raise ValidationError({"competent_chamber": _("Please choose a chamber.")})


@transaction.atomic
def company_register(
    *, actor: User | None, account: AccountInput | None, data: CompanyInput, site: str
) -> Organisation:
    """A person registers a company and becomes its administrator; the company is unverified until the
    chamber (or a platform administrator) verifies it. Without `actor`, the person's account is created too
    (inactive until its e-mail address is confirmed)."""
    company_validate(data)
    signup = None
    if actor is None:
        if account is None:
            raise ValidationError(_("Please enter your account details."))
        actor, signup = _account_create(account, today=timezone.localdate())
    place = geo.lookup(data.postcode) if data.postcode else None
    region = Region.objects.filter(code=place.kreis_ars[:5]).first() if place is not None else None
    company = Organisation.objects.create(
        kind=Organisation.Kind.COMPANY,
        name=data.name,
        street=data.street,
        postcode=data.postcode,
        city=data.city or (place.name if place else ""),
        region=region,
        latitude=place.lat if place else None,
        longitude=place.lon if place else None,
        email=data.email,
        competent_chamber=data.competent_chamber,
    )
    audit_record(actor=actor, action="company.register", target=company, summary=company.name)
    membership_create(actor=actor, user=actor, organisation=company, role=Role.COMPANY_ADMIN)
    if signup is not None:
        _signup_mails(signup, site=site)
    return company


@transaction.atomic
def company_verify(*, actor: User, company: Organisation, how: str, note: str = "") -> Organisation:
    if how not in (Organisation.Verification.CHAMBER, Organisation.Verification.DOCUMENTED):
        raise ValidationError(_("Unknown kind of check."))
    if company.verified_at is not None:
        raise ValidationError(_("This company is verified already."))
    company.verified_at, company.verified_by, company.verification = timezone.now(), actor, how
    company.verification_note, company.rejected_at = note, None
    company.save(
        update_fields=["verified_at", "verified_by", "verification", "verification_note", "rejected_at"]
    )
    audit_record(
        actor=actor, action="company.verify", target=company, summary=company.name, changes={"how": how}
    )
    _mail_company_admins(
        company,
        _("Your company is verified"),
        _("Your company %(name)s is verified. It can now publish training places.") % {"name": company.name},
    )
    return company


@transaction.atomic
def company_reject(*, actor: User, company: Organisation, reason: str) -> Organisation:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Please give the reason; the company is told.")})
    company.rejected_at, company.verification_note = timezone.now(), reason
    company.save(update_fields=["rejected_at", "verification_note"])
    audit_record(
        actor=actor, action="company.reject", target=company, summary=company.name, changes={"reason": reason}
    )
    _mail_company_admins(
        company,
        _("Your company could not be verified"),
        _("Your company %(name)s could not be verified. Reason: %(reason)s")
        % {"name": company.name, "reason": reason},
    )
    return company


def _mail_company_admins(company: Organisation, subject: str, body: str) -> None:
    for person in selectors.company_admins_of(company).exclude(email=""):
        mail_queue(to=person.email, subject=subject, body=body)


def company_can_publish(company: Organisation) -> bool:
    """Only verified companies publish training places (offers.services asks this)."""
    return company.verified_at is not None


# --- invitations ---------------------------------------------------------------------------------------------


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _invitation_create(
    *,
    actor: User | None,
    email: str,
    role: str,
    organisation: Organisation | None,
    ward: User | None,
    site: str,
) -> tuple[Invitation, str]:
    secret = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        token_hash=token_hash(secret),
        email=email,
        role=role,
        organisation=organisation,
        ward=ward,
        invited_by=actor,
        expires_at=timezone.now() + datetime.timedelta(days=INVITATION_DAYS),
    )
    audit_record(
        actor=actor,
        action="invitation.create",
        target=invitation,
        summary=f"{email}: {role} @ {organisation or ward}",
    )
    target = str(organisation) if organisation is not None else str(ward)
    mail_queue(
        to=email,
        subject=_("Invitation to the training platform"),
        body=_(
            "Hello,\n\nyou are invited to the training platform as %(role)s (%(target)s). Open this link to "
            "create your account or sign in (valid for %(days)d days, once):\n%(link)s\n\nIf you did not "
            "expect this invitation, ignore this e-mail."
        )
        % {
            "role": Role(role).label,
            "target": target,
            "days": INVITATION_DAYS,
            "link": _link(site, "core:invitation_accept", secret),
        },
    )
    return invitation, secret


@transaction.atomic
def invitation_create(*, actor: User, email: str, target_key: str, site: str) -> tuple[Invitation, str]:
    """Invite someone into one of the targets the actor may invite into (`selectors.invitation_targets_for`)."""
    target = next((t for t in selectors.invitation_targets_for(actor) if t.key == target_key), None)
    if target is None:
        raise ValidationError({"target": _("You cannot invite into this.")})
    if target.organisation is not None:
        membership_validate(organisation=target.organisation, role=target.role)
    return _invitation_create(
        actor=actor,
        email=email,
        role=target.role,
        organisation=target.organisation,
        ward=target.ward,
        site=site,
    )


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open(timezone.now()):
        raise ValidationError(_("This invitation is no longer open."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="invitation.revoke", target=invitation, summary=invitation.email)
    return invitation


def invitation_for_secret(secret: str) -> Invitation | None:
    """The invitation of a link, open or not (the page says why it cannot be used)."""
    if not secret or len(secret) > 200:
        return None
    return (
        Invitation.objects.select_related("organisation", "ward")
        .filter(token_hash=token_hash(secret))
        .first()
    )


def invitation_problem(invitation: Invitation | None) -> str:
    """Why a link cannot be used, or "" when it can."""
    if invitation is None:
        return _("This invitation link is not valid.")
    if invitation.accepted_at is not None:
        return _("This invitation has already been used.")
    if invitation.revoked_at is not None:
        return _("This invitation was withdrawn.")
    if invitation.expires_at <= timezone.now():
        return _("This invitation has expired. Please ask for a new one.")
    return ""


@transaction.atomic
def invitation_accept(*, user: User, secret: str) -> Invitation:
    """The signed-in person takes the invitation: membership or guardianship, once."""
    found = invitation_for_secret(secret)
    problem = invitation_problem(found)
    if problem or found is None:
        raise ValidationError(problem)
    invitation = Invitation.objects.select_for_update().get(pk=found.pk)
    problem = invitation_problem(invitation)
    if problem:
        raise ValidationError(problem)
    if user.email.strip().lower() != invitation.email.strip().lower():
        raise ValidationError(
            _("This invitation was sent to another e-mail address. Please sign in with the invited account.")
        )
    if invitation.ward_id is not None:
        if invitation.ward_id == user.pk:
            raise ValidationError(_("You cannot be your own guardian."))
        guardianship, created = Guardianship.objects.get_or_create(guardian=user, ward_id=invitation.ward_id)
        if created:
            audit_record(
                actor=user, action="guardianship.create", target=guardianship, summary=str(guardianship)
            )
    else:
        if invitation.organisation is None:  # the check constraint holds a ward or an organisation
            raise ValidationError(_("This invitation link is not valid."))
        membership = Membership.objects.filter(
            user=user, organisation=invitation.organisation, role=invitation.role
        ).first()
        if membership is not None and not membership.is_active:
            membership.is_active = True
            membership.save(update_fields=["is_active"])
            audit_record(
                actor=user, action="membership.reactivate", target=membership, summary=str(membership)
            )
        else:
            membership_create(
                actor=user, user=user, organisation=invitation.organisation, role=invitation.role
            )
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(actor=user, action="invitation.accept", target=invitation, summary=invitation.email)
    return invitation


@transaction.atomic
def invitation_accept_new_account(*, secret: str, data: AccountInput) -> User:
    """Create the invitee's account (active: the link came to the invited address) and accept."""
    found = invitation_for_secret(secret)
    problem = invitation_problem(found)
    if problem or found is None:
        raise ValidationError(problem)
    account = AccountInput(
        username=data.username,
        email=found.email,
        first_name=data.first_name,
        last_name=data.last_name,
        password=data.password,
        date_of_birth=data.date_of_birth,
    )
    errors = {}
    if User.objects.filter(username__iexact=account.username).exists():
        errors["username"] = _("This user name is taken. Please choose another one.")
    if User.objects.filter(email__iexact=account.email).exists():
        errors["username"] = _("An account with this e-mail address exists already. Please sign in.")
    if errors:
        raise ValidationError(errors)
    user = User.objects.create(
        username=account.username,
        email=account.email,
        first_name=account.first_name,
        last_name=account.last_name,
        date_of_birth=account.date_of_birth,
        password=make_password(account.password),
    )
    Signup.objects.create(user=user, email_confirmed_at=timezone.now())
    audit_record(actor=user, action="account.invited_signup", target=user, summary=user.username)
    invitation_accept(user=user, secret=secret)
    return user


# --- leaving and removing ------------------------------------------------------------------------------------


@transaction.atomic
def membership_leave(*, actor: User, membership: Membership) -> Membership:
    """The person leaves an organisation (`core.services.membership_end`: access ends with the next request).

    The last administrator of a company cannot leave it without a successor (name another one first)."""
    if membership.user_id != actor.pk:
        raise ValidationError(_("You can only leave your own memberships."))
    if membership.role == Role.COMPANY_ADMIN:
        others = Membership.objects.filter(
            organisation=membership.organisation, role=Role.COMPANY_ADMIN, is_active=True
        ).exclude(pk=membership.pk)
        if not others.exists():
            raise ValidationError(
                _("You are the company's last administrator. Invite another administrator before you leave.")
            )
    return membership_end(actor=actor, membership=membership, on=timezone.localdate())


@transaction.atomic
def member_remove(*, actor: User, membership: Membership) -> Membership:
    """A company administrator removes a member of their company (the scoped getter checked the company)."""
    if membership.user_id == actor.pk:
        raise ValidationError(_("To leave the company yourself, use “Leave”."))
    return membership_end(actor=actor, membership=membership, on=timezone.localdate())
