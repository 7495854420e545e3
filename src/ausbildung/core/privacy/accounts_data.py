"""The personal data of the ways into the platform (`core.accounts`): sign-ups with their confirmations and
the guardian's consent, invitations, and who verified a company. Registered from `CoreConfig.ready`."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone

from .registry import PersonalData, register_personal_data
from .rows import rows, start_of_day

# A sign-up whose links were never used (they expire after 3 days, core.accounts.services.SIGNUP_LINK_MAX_AGE)
# leaves an inactive account nobody can use: it is deleted with its account after this many days.
UNCONFIRMED_SIGNUP_DAYS = 30
# An invitation that was accepted, revoked or has expired is kept this long as the record of who invited whom
# (the audit log keeps that it happened, without the address), then deleted.
CLOSED_INVITATION_DAYS = 90


def _cutoff(today: datetime.date, days: int) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=days), datetime.time.min)
    )


def _signups(person: Any):
    from ..models import Signup

    return Signup.objects.filter(user=person)


def _signups_expired(today: datetime.date, dry_run: bool) -> int:
    """Accounts that were never confirmed and never signed in: deleted with their sign-up."""
    from ..models import User

    stale = User.objects.filter(
        signup__isnull=False,
        is_active=False,
        last_login__isnull=True,
        signup__created_at__lt=_cutoff(today, UNCONFIRMED_SIGNUP_DAYS),
    ).filter(
        Q(signup__email_confirmed_at__isnull=True)
        | Q(signup__guardian_consent_at__isnull=True, signup__guardian_email__gt="")
    )
    count = stale.count()
    if not dry_run:
        for user in stale:
            user.delete()
    return count


def _invitations(person: Any):
    from ..models import Invitation

    address = Q(email__iexact=person.email) if person.email else Q(pk__in=[])
    return Invitation.objects.filter(address | Q(ward=person) | Q(invited_by=person) | Q(accepted_by=person))


def _invitations_erase(person: Any, _today: datetime.date) -> int:
    """Invitations to the person, for them as a ward, and those they sent that are still open."""
    from ..models import Invitation

    address = Q(email__iexact=person.email) if person.email else Q(pk__in=[])
    own = Invitation.objects.filter(address | Q(ward=person) | Q(accepted_by=person))
    return own.delete()[0]


def _invitations_on_anonymise(person: Any, _today: datetime.date) -> int:
    return _invitations(person).delete()[0]


def _invitations_expired(today: datetime.date, dry_run: bool) -> int:
    from ..models import Invitation

    cutoff = _cutoff(today, CLOSED_INVITATION_DAYS)
    old = Invitation.objects.filter(
        Q(accepted_at__lt=cutoff) | Q(revoked_at__lt=cutoff) | Q(expires_at__lt=cutoff)
    )
    return old.count() if dry_run else old.delete()[0]


def _verified(person: Any):
    from ..models import Organisation

    return Organisation.objects.filter(verified_by=person)


def register() -> None:
    register_personal_data(
        PersonalData(
            key="core.signup",
            models=("core.Signup",),
            label="Sign-up: when the e-mail address was confirmed; under 16 the guardian's e-mail address and "
            "when the guardian consented",
            label_de="Registrierung: Bestätigung der E-Mail-Adresse, unter 16 Einverständnis der Eltern",
            purpose="Proof that the address belongs to the person and, under 16, of the guardian's consent",
            legal_basis="DSGVO Art. 6 Abs. 1 lit. b; under 16 Art. 8 Abs. 1 with Art. 7 Abs. 1 (proof of the "
            "consent; Germany kept the age of 16, the BDSG does not lower it)",
            seen_by="platform_admin (admin); the person in their copy",
            retention=f"as long as the account; a sign-up never confirmed is deleted with its inactive account "
            f"after {UNCONFIRMED_SIGNUP_DAYS} days",
            retention_source="platform default: the links expire after 3 days, an unconfirmed account is of no "
            "use to anybody (DSGVO Art. 5 Abs. 1 lit. e)",
            link="one-to-one with the account",
            export_how="JSON of the sign-up row",
            erase_how="deleted with the account's anonymisation",
            count=lambda person: _signups(person).count(),
            export=lambda person: rows(_signups(person)),
            erase_expired=_signups_expired,
            on_anonymise=lambda person, _today: _signups(person).delete()[0],
            order=2,
        ),
        PersonalData(
            key="core.invitations",
            models=("core.Invitation",),
            label="Invitations: the invited e-mail address, role and organisation or ward, who invited, "
            "when accepted or revoked",
            label_de="Einladungen",
            purpose="Trainers, apprentices, guardians and staff of schools, chambers and agencies join by "
            "invitation (one-time link; only a hash of the secret is stored)",
            legal_basis="DSGVO Art. 6 Abs. 1 lit. b (joining the organisation) and lit. f (the inviting "
            "organisation's interest in adding its members)",
            seen_by="the inviting person and the administrators of the organisation; platform_admin",
            retention=f"open until accepted, revoked or expired (14 days); then {CLOSED_INVITATION_DAYS} days",
            retention_source="platform default: long enough to answer who invited whom; the audit log keeps "
            "that it happened",
            link="the invited e-mail address, the ward, the inviting and the accepting account",
            export_how="JSON of the invitations to the person's address, for them as a ward, sent or accepted "
            "by them",
            erase_how="invitations to and for the person deleted; those the person sent go with the account's "
            "anonymisation",
            count=lambda person: _invitations(person).count(),
            export=lambda person: rows(_invitations(person), exclude=("token_hash",)),
            erase=_invitations_erase,
            erase_expired=_invitations_expired,
            on_anonymise=_invitations_on_anonymise,
            order=3,
        ),
        PersonalData(
            key="core.company_verification",
            models=("core.Organisation",),
            label="Verification of a registered company: which chamber officer or administrator verified or "
            "rejected it, when, how, with which note",
            label_de="Prüfung eines registrierten Betriebs",
            purpose="A company publishes training places only after the competent chamber or a documented "
            "check verified it; who did so is part of that record",
            legal_basis="DSGVO Art. 6 Abs. 1 lit. e and c with BBiG §§ 32, 71 (the chamber's oversight of "
            "training companies)",
            seen_by="chamber officers of the company's chamber, platform_admin",
            retention="as long as the company's record",
            retention_source="the record of the verification is part of the company's record",
            link="foreign key 'verified by' to the officer's account",
            export_how="JSON of the companies the person verified or rejected (name, time, how)",
            erase_how="kept: it then points to the anonymised account and names nobody",
            count=lambda person: _verified(person).count(),
            export=lambda person: [
                {"organisation": o.name, "verified_at": o.verified_at, "how": o.verification}
                for o in _verified(person)
            ],
            order=4,
        ),
    )
    register_second_factor()
    register_reads()


# --- the second factor (django-otp: core.signin.two_factor) ----------------------------------------------------


def _devices(person: Any) -> list[Any]:
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return [TOTPDevice.objects.filter(user=person), StaticDevice.objects.filter(user=person)]


def _devices_export(person: Any) -> list[dict[str, Any]]:
    """Which second factors the person has and when they were used; never a key or a recovery code."""
    return [
        {
            "kind": device._meta.model_name,
            "name": device.name,
            "confirmed": device.confirmed,
            "created_at": getattr(device, "created_at", None),
            "last_used_at": getattr(device, "last_used_at", None),
        }
        for queryset in _devices(person)
        for device in queryset
    ]


def _devices_delete(person: Any, _today: datetime.date) -> int:
    # A static device's tokens go with it (foreign key, CASCADE).
    return sum(queryset.delete()[0] for queryset in _devices(person))


def register_second_factor() -> None:
    register_personal_data(
        PersonalData(
            key="core.second_factor",
            models=("otp_totp.TOTPDevice", "otp_static.StaticDevice", "otp_static.StaticToken"),
            label="Second factor: the authenticator app's secret key, recovery codes (as keyed hashes), when "
            "they were set up and last used",
            label_de="Zweiter Faktor: Schlüssel der Authenticator-App, Wiederherstellungscodes",
            purpose="Signing in with a second factor, required for staff (BSI IT-Grundschutz ORP.4)",
            legal_basis="DSGVO Art. 6 Abs. 1 lit. c and f with Art. 32 (security of processing)",
            seen_by="nobody on a page; the person sees whether it is set up",
            retention="as long as the account, or until the person removes it",
            retention_source="needed for every sign-in; removed by the person on the security page",
            link="foreign key to the account",
            export_how="JSON of the devices' names and times, never the secret key or a code",
            erase_how="deleted with the account's anonymisation (the person removes it on the security page)",
            count=lambda person: sum(queryset.count() for queryset in _devices(person)),
            export=_devices_export,
            on_anonymise=_devices_delete,
            order=5,
        )
    )


# --- the audit of reads (core.audit) ---------------------------------------------------------------------------


def _reads(person: Any):
    from ..models import ReadAccess

    return ReadAccess.objects.filter(Q(subject=person) | Q(reader=person))


def _reads_expired(today: datetime.date, dry_run: bool) -> int:
    from .. import audit
    from ..models import ReadAccess

    if dry_run:
        cutoff = _cutoff(today, audit.READ_RETENTION_DAYS)
        return ReadAccess.objects.filter(read_at__lt=cutoff).count()
    return audit.erase_reads_older_than(now=start_of_day(today))


def register_reads() -> None:
    register_personal_data(
        PersonalData(
            key="core.reads",
            models=("core.ReadAccess",),
            label="Audit of reads: which staff member read which young person's data (what, when; never the "
            "content)",
            label_de="Protokoll der Zugriffe auf Daten junger Menschen",
            purpose="Accountability: a young person sees who read their data, a supervisory authority can check "
            "it (docs/permissions.md, 'Audit of reads')",
            legal_basis="DSGVO Art. 6 Abs. 1 lit. c with Art. 5 Abs. 2 and Art. 32",
            seen_by="the young person (and their guardian while a minor) on 'Wer hat meine Daten gesehen'; "
            "platform_admin (admin, read-only)",
            retention="2 years after the read (core.audit.READ_RETENTION_DAYS)",
            retention_source="platform default, justified in docs/permissions.md: long enough to notice and "
            "question a read during a training of 2-3.5 years (BSI IT-Grundschutz OPS.1.1.5 asks for a defined "
            "period)",
            link="subject (the young person) and reader (the staff member), foreign keys",
            export_how="JSON of the reads of the person's data and of the reads the person made as staff",
            erase_how="kept until the period ends (they protect the person and document staff's conduct, "
            "Art. 17 Abs. 3 lit. e); they then name an anonymised account",
            count=lambda person: _reads(person).count(),
            export=lambda person: rows(_reads(person)),
            erase_expired=_reads_expired,
            order=910,
        )
    )
