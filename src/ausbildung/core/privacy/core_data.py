"""The personal data `core` itself holds (accounts, the audit log, mail, sign-in protection), and the models of
core and of the installed Django and third-party apps that hold none. Registered from `CoreConfig.ready`."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone

from .registry import PersonalData, register_not_personal, register_personal_data
from .rows import end_of_year_plus, row_dict, rows, start_of_day

# Platform defaults, each justified where it is used (docs/privacy.md repeats them).
AUDIT_YEARS = 3  # BGB § 195 (three years) from the end of the year, § 199 Abs. 1
MAIL_DAYS = 30
LOGIN_LOG_DAYS = 30


# --- the account -----------------------------------------------------------------------------------------------


def _account_export(person: Any) -> dict[str, Any]:
    from ..models import ApiToken, DigestPreference, Guardianship, Membership

    return {
        "account": row_dict(person, exclude=("password", "groups", "user_permissions")),
        "memberships": rows(Membership.objects.filter(user=person)),
        "guardianships": rows(Guardianship.objects.filter(Q(guardian=person) | Q(ward=person))),
        "digest": rows(DigestPreference.objects.filter(user=person)),
        "api_tokens": rows(ApiToken.objects.filter(user=person), exclude=("key_hash",)),
    }


def _account_count(person: Any) -> int:
    return 1


# --- the audit log ---------------------------------------------------------------------------------------------


def _audit_rows(person: Any):
    from ..models import AuditLog

    return AuditLog.objects.filter(Q(actor=person) | Q(target_type="core.user", target_id=str(person.pk)))


def _audit_expired(today: datetime.date, dry_run: bool) -> int:
    """Rows written before the start of the year AUDIT_YEARS years ago + 1 (the period runs from the end of
    the year of the entry, BGB § 199 Abs. 1, for three years, § 195)."""
    from django.contrib.admin.models import LogEntry

    from ..models import AuditLog

    cutoff = start_of_day(datetime.date(today.year - AUDIT_YEARS, 1, 1))
    old = AuditLog.objects.filter(created_at__lt=cutoff)
    old_admin = LogEntry.objects.filter(action_time__lt=cutoff)
    count = old.count() + old_admin.count()
    if not dry_run:
        old.delete()
        old_admin.delete()
    return count


def audit_kept_until(created: datetime.datetime) -> datetime.date:
    return end_of_year_plus(timezone.localdate(created), AUDIT_YEARS)


# --- mail, form tokens, sign-in protection ---------------------------------------------------------------------


def _mails(person: Any):
    from ..models import OutgoingMail

    return (
        OutgoingMail.objects.filter(to__iexact=person.email) if person.email else OutgoingMail.objects.none()
    )


def _mail_erase(person: Any, _today: datetime.date) -> int:
    return _mails(person).delete()[0]


def _mail_expired(today: datetime.date, dry_run: bool) -> int:
    from ..models import OutgoingMail

    cutoff = start_of_day(today - datetime.timedelta(days=MAIL_DAYS))
    old = OutgoingMail.objects.filter(
        Q(status=OutgoingMail.Status.SENT, sent_at__lt=cutoff)
        | Q(status=OutgoingMail.Status.FAILED, created_at__lt=cutoff)
    )
    return old.count() if dry_run else old.delete()[0]


def _form_tokens_expired(today: datetime.date, dry_run: bool) -> int:
    from ..models import FormSubmission
    from ..submissions import KEEP

    old = FormSubmission.objects.filter(created_at__lt=start_of_day(today) - KEEP)
    return old.count() if dry_run else old.delete()[0]


def _form_tokens_erase(person: Any, _today: datetime.date) -> int:
    """Unlinked, not deleted: the request that asks for erasure is itself a handled form whose row the
    middleware completes after the view (core.submissions); a hash without a person is no personal data."""
    from ..models import FormSubmission

    return FormSubmission.objects.filter(user=person).update(user=None)


def _login_rows(person: Any) -> list[Any]:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    return [
        model.objects.filter(username=person.username)
        for model in (AccessAttempt, AccessLog, AccessFailureLog)
    ]


def _login_export(person: Any) -> list[dict[str, Any]]:
    return [row for queryset in _login_rows(person) for row in rows(queryset)]


def _login_erase(person: Any, _today: datetime.date) -> int:
    return sum(queryset.delete()[0] for queryset in _login_rows(person))


def _login_expired(today: datetime.date, dry_run: bool) -> int:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    cutoff = start_of_day(today - datetime.timedelta(days=LOGIN_LOG_DAYS))
    old = [
        AccessAttempt.objects.filter(attempt_time__lt=cutoff),
        AccessLog.objects.filter(attempt_time__lt=cutoff),
        AccessFailureLog.objects.filter(attempt_time__lt=cutoff),
    ]
    return sum(q.count() for q in old) if dry_run else sum(q.delete()[0] for q in old)


def _sessions_expired(today: datetime.date, dry_run: bool) -> int:
    from django.contrib.sessions.models import Session

    old = Session.objects.filter(expire_date__lt=timezone.now())
    return old.count() if dry_run else old.delete()[0]


def register() -> None:
    register_personal_data(
        PersonalData(
            key="core.account",
            models=(
                "core.User",
                "core.Membership",
                "core.Guardianship",
                "core.DigestPreference",
                "core.ApiToken",
            ),
            label="Account: name, username, e-mail address, date of birth, roles (memberships), guardianships, "
            "e-mail digest setting, API tokens",
            label_de="Konto: Name, Benutzername, E-Mail-Adresse, Geburtsdatum, Rollen, gesetzliche Vertretung, "
            "E-Mail-Übersicht, API-Schlüssel",
            purpose="Signing in; the roles decide what a person sees (docs/permissions.md); the date of birth "
            "decides who is a minor (JArbSchG, guardians' access, consents)",
            legal_basis="DSGVO Art. 6 Abs. 1 lit. b (the use of the platform); for pupils through their school "
            "lit. e with the Land's school law; minors: Art. 8, BGB § 2, § 1626, § 1629 (guardians)",
            seen_by="the person; platform_admin; the organisations the person is a member of see the name; "
            "trainers, company and chamber see an apprentice's name and date of birth with the contract "
            "(vocational schools without date of birth)",
            retention="until the person asks for erasure, then anonymised as soon as nothing else must be kept",
            retention_source="DSGVO Art. 17 Abs. 1 lit. a; the exceptions of the other kinds (Art. 17 Abs. 3)",
            link="the account itself; memberships, guardianships, settings and tokens by foreign key",
            export_how="JSON of the account (without the password hash), memberships, guardianships, "
            "digest setting, tokens (without their hash)",
            erase_how="account anonymised: username 'geloescht-<id>', names, e-mail and date of birth "
            "emptied, deactivated, unusable password; memberships, guardianships, setting, tokens deleted",
            count=_account_count,
            export=_account_export,
            order=1,
        ),
        PersonalData(
            key="core.audit",
            models=("core.AuditLog", "admin.LogEntry"),
            label="Audit log: who changed what when (state changes, exports, erasures), and the admin's log",
            label_de="Protokoll: wer wann was geändert hat",
            purpose="Accountability and security: proof of who acted (DSGVO Art. 5 Abs. 2, Art. 32)",
            legal_basis="DSGVO Art. 6 Abs. 1 lit. c with Art. 5 Abs. 2 and Art. 32; lit. f (defence of claims)",
            seen_by="platform_admin (admin); the person in their copy",
            retention="3 years after the end of the year of the entry",
            retention_source="platform default following the regular limitation period, BGB § 195 with "
            "§ 199 Abs. 1: claims arising from an action can be raised that long",
            link="actor (foreign key) or target (the account's id); summaries may name the person",
            export_how="JSON of the rows the person made or that concern their account",
            erase_how="kept (Art. 17 Abs. 3 lit. e); on anonymisation the person's name, username and e-mail "
            "are replaced by 'geloescht-<id>' in summaries and changes (recorded as 'privacy.redact'); "
            "deleted after the period by the daily job",
            count=lambda person: _audit_rows(person).count(),
            export=lambda person: rows(_audit_rows(person)),
            erase_expired=_audit_expired,
            order=900,
        ),
        PersonalData(
            key="core.mail",
            models=("core.OutgoingMail",),
            label="Outgoing e-mails (recipient, subject, text)",
            label_de="Versendete E-Mails",
            purpose="Notifications and digests; the outbox sends them after the change is saved and retries",
            legal_basis="DSGVO Art. 6 Abs. 1 lit. b (the notifications of the platform's processes)",
            seen_by="platform_admin (admin)",
            retention=f"{MAIL_DAYS} days after sending (or after giving up)",
            retention_source="platform default: long enough to answer whether a mail went out",
            link="recipient address = the account's e-mail address",
            export_how="JSON of the mails to the person's address",
            erase_how="deleted",
            count=lambda person: _mails(person).count(),
            export=lambda person: rows(_mails(person)),
            erase=_mail_erase,
            erase_expired=_mail_expired,
            order=800,
        ),
        PersonalData(
            key="core.form_tokens",
            models=("core.FormSubmission",),
            label="Handled forms (a hash of the form's one-time token, the page, the result address)",
            label_de="Verarbeitete Formulare (gegen doppeltes Absenden)",
            purpose="A form sent twice is handled once (docs/architecture.md, 'Forms are handled once')",
            legal_basis="DSGVO Art. 6 Abs. 1 lit. b and f (integrity of the person's own entries)",
            seen_by="nobody on a page; platform_admin in the database",
            retention="30 days (core.submissions.KEEP)",
            retention_source="platform default: a page opened again with Back after that is not expected",
            link="foreign key to the account",
            export_how="not exported: a hash and a page name, no content",
            erase_how="unlinked from the person (the hash stays until the period ends)",
            count=lambda person: 0,
            erase=_form_tokens_erase,
            erase_expired=_form_tokens_expired,
            order=810,
        ),
        PersonalData(
            key="core.sign_in",
            models=(
                "axes.AccessAttempt",
                "axes.AccessLog",
                "axes.AccessFailureLog",
                "axes.AccessAttemptExpiration",
                "sessions.Session",
            ),
            label="Sign-ins: attempts (username, IP address, browser), failed sign-ins, sessions",
            label_de="Anmeldungen: Versuche mit IP-Adresse und Browser, Sitzungen",
            purpose="Protection against guessing passwords (lockout after failed attempts); staying signed in",
            legal_basis="DSGVO Art. 6 Abs. 1 lit. f and lit. c with Art. 32 (security of processing)",
            seen_by="platform_admin (admin)",
            retention=f"sign-in records {LOGIN_LOG_DAYS} days; sessions until they expire (after the idle time "
            "SESSION_IDLE_MINUTES, for staff SESSION_IDLE_MINUTES_STAFF)",
            retention_source="platform default: enough to notice an attack on an account",
            link="username; a session holds the account's id",
            export_how="JSON of the sign-in records under the person's username (sessions: technical state only, not exported)",
            erase_how="deleted; an anonymised account cannot sign in",
            count=lambda person: sum(q.count() for q in _login_rows(person)),
            export=_login_export,
            erase=_login_erase,
            erase_expired=lambda today, dry_run: (
                _login_expired(today, dry_run) + _sessions_expired(today, dry_run)
            ),
            order=820,
        ),
    )
    catalogue = "the occupation catalogue from the training regulations (public law texts), no persons"
    register_not_personal(
        {
            "auth.Permission": "Django's permission names",
            "auth.Group": "Django's permission groups (not used for people here)",
            "contenttypes.ContentType": "Django's list of models",
            "django_tasks_database.DBTaskResult": "background tasks: the ids of the rows a task works on, no names "
            "or texts; finished results are pruned with django-tasks-db's prune_db_task_results",
            "core.Occupation": catalogue,
            "core.Specialisation": catalogue,
            "core.ProfilePosition": catalogue,
            "core.FrameworkPlan": catalogue,
            "core.FrameworkPosition": catalogue,
            "core.FrameworkItem": catalogue,
            "core.Region": "Länder and districts (reference data)",
            "core.TrainingSite": "addresses of companies' training sites",
        }
    )
