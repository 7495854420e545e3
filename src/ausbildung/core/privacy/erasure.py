"""Erasure (DSGVO Art. 17) with the law's exceptions, and the daily erasure of what has passed its period.

On request (`person_erase`), every registered kind erases what may go now and names what must stay (Art. 17
Abs. 3 lit. b: a legal obligation, such as the record book as evidence, BBiG § 13 Satz 2 Nr. 7, § 43 Abs. 1
Nr. 2; lit. e: the establishment, exercise or defence of legal claims, such as a rejected application within
the deadlines of AGG § 15 Abs. 4 and ArbGG § 61b). The request is noted on the account
(`User.erasure_requested_at`); when nothing must stay, the account itself is anonymised (`account_anonymise`).
Otherwise the account stays, so the person can still reach what is kept, and the daily job finishes the
erasure once the last period has passed.

The daily job (`erase_expired`, `ausbildung privacy erase-expired`, cron) lets each kind erase what has passed
its retention period, then finishes pending requests. It is idempotent: a second run finds nothing.

The audit log keeps THAT something was erased (`privacy.erase`, `privacy.erase_expired`: kinds and counts),
never what. Older audit rows that name the person in their summary or changes get the name replaced by the
account's new name ("geloescht-<id>") when the account is anonymised; the redaction is recorded as
`privacy.redact` with the number of rows (docs/privacy.md, "Audit log").
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import AuditLog, User
from ..services import audit_record
from .registry import Kept, PersonalData, personal_data_kinds

ERASED_PREFIX = "geloescht-"


@dataclass
class ErasureReport:
    """What an erasure did: rows erased per kind, what must stay, whether the account was anonymised."""

    erased: dict[str, int] = field(default_factory=dict)
    kept: list[tuple[PersonalData, Kept]] = field(default_factory=list)
    anonymised: bool = False

    @property
    def total(self) -> int:
        return sum(self.erased.values())


def is_anonymised(person: User) -> bool:
    return person.username == f"{ERASED_PREFIX}{person.pk}"


def erasure_preview(person: User, today: datetime.date | None = None) -> list[tuple[PersonalData, Kept]]:
    """What would have to stay if the person asked for erasure today (shown before they confirm)."""
    today = today or timezone.localdate()
    return [(kind, kept) for kind in personal_data_kinds() for kept in kind.keep(person, today)]


def _erase_now(person: User, today: datetime.date, report: ErasureReport) -> None:
    for kind in personal_data_kinds():
        erased = kind.erase(person, today)
        if erased:
            report.erased[kind.key] = report.erased.get(kind.key, 0) + erased
    report.kept = erasure_preview(person, today)


@transaction.atomic
def person_erase(
    *,
    actor: User | None,
    person: User,
    today: datetime.date | None = None,
    repeat: bool = False,
    reference: str = "",
) -> ErasureReport:
    """Erase what may go now; anonymise the account when nothing must stay. One `privacy.erase` audit row
    with the kinds and counts (never the erased content). `repeat` (the daily job finishing a request) writes
    the row only when something was erased or the account anonymised, so a day without change adds nothing.
    `reference` names a request received on paper (`ausbildung privacy erase`), recorded in the row."""
    today = today or timezone.localdate()
    person = User.objects.select_for_update().get(pk=person.pk)
    if person.erasure_requested_at is None:
        person.erasure_requested_at = timezone.now()
        person.save(update_fields=["erasure_requested_at"])
    report = ErasureReport()
    _erase_now(person, today, report)
    if not report.kept and not is_anonymised(person):
        report.anonymised = True
    if repeat and not report.erased and not report.anonymised:
        return report
    audit_record(
        actor=actor,
        action="privacy.erase",
        target=person,
        summary=f"erasure of account #{person.pk}",
        changes={
            "erased": report.erased,
            "kept": sorted({kind.key for kind, _kept in report.kept}),
            "anonymised": report.anonymised,
            "by": (
                "staff (paper request)"
                if reference
                else "daily job"
                if actor is None
                else ("person" if actor.pk == person.pk else "staff")
            ),
            **({"reference": reference} if reference else {}),
        },
    )
    if report.anonymised:
        account_anonymise(person)
    return report


def _name_pattern(person: User) -> re.Pattern[str] | None:
    names = {person.get_full_name().strip(), person.username, person.email}
    names = {name for name in names if name and len(name) >= 3 and not name.startswith(ERASED_PREFIX)}
    if not names:
        return None
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w@.-])(?:{alternatives})(?![\w@-])", re.IGNORECASE)


def audit_redact(person: User, replacement: str) -> int:
    """Replace the person's name, username and e-mail address in the summaries and changes of older audit rows
    (the rows stay: who did what when remains provable, about an account id). Returns the rows changed."""
    pattern = _name_pattern(person)
    if pattern is None:
        return 0
    names = [name for name in {person.get_full_name().strip(), person.username, person.email} if name]
    query = Q()
    for name in names:
        query |= Q(summary__icontains=name)
    changed = _admin_log_redact(pattern, replacement)
    candidates = AuditLog.objects.filter(
        query | Q(changes__icontains=person.username) | Q(target_id=str(person.pk))
    )
    for row in candidates.iterator():
        summary = pattern.sub(replacement, row.summary)
        changes_text = json.dumps(row.changes, ensure_ascii=False)
        redacted_text = pattern.sub(replacement, changes_text)
        if summary != row.summary or redacted_text != changes_text:
            row.summary = summary
            row.changes = json.loads(redacted_text)
            row.save(update_fields=["summary", "changes"])
            changed += 1
    return changed


def _admin_log_redact(pattern: re.Pattern[str], replacement: str) -> int:
    """The Django admin's own log names the object it changed (`object_repr`, e.g. the person's full name)."""
    from django.contrib.admin.models import LogEntry

    changed = 0
    for entry in LogEntry.objects.filter(content_type__model="user").iterator():
        redacted = pattern.sub(replacement, entry.object_repr)
        if redacted != entry.object_repr:
            entry.object_repr = redacted[:200]
            entry.save(update_fields=["object_repr"])
            changed += 1
    return changed


def account_anonymise(person: User) -> None:
    """Deactivate the account and empty what names the person; the row stays (signatures, cases, audit rows
    of others refer to it), named "geloescht-<id>" from then on. Memberships, guardianships, settings, tokens
    and queued mails to the address go, handled-form rows are unlinked; older audit summaries are redacted (recorded as `privacy.redact`)."""
    from ..models import ApiToken, DigestPreference, FormSubmission, Guardianship, Membership, OutgoingMail

    new_name = f"{ERASED_PREFIX}{person.pk}"
    redacted = audit_redact(person, new_name)
    today = timezone.localdate()
    for kind in personal_data_kinds():
        kind.on_anonymise(person, today)
    if person.email:
        OutgoingMail.objects.filter(to__iexact=person.email).delete()
    Membership.objects.filter(user=person).delete()
    Guardianship.objects.filter(Q(guardian=person) | Q(ward=person)).delete()
    DigestPreference.objects.filter(user=person).delete()
    ApiToken.objects.filter(user=person).delete()
    FormSubmission.objects.filter(user=person).update(
        user=None
    )  # the current request's row is completed later
    person.username = new_name
    person.first_name = ""
    person.last_name = ""
    person.email = ""
    person.date_of_birth = None
    person.is_active = False
    person.is_staff = False
    person.is_superuser = False
    person.set_unusable_password()
    person.save()
    audit_record(
        actor=None,
        action="privacy.redact",
        target=person,
        summary=f"account #{person.pk} anonymised; its name redacted in {redacted} audit row(s)",
        changes={"redacted_rows": redacted},
    )


@dataclass
class ExpiryReport:
    erased: dict[str, int] = field(default_factory=dict)
    accounts: int = 0

    @property
    def total(self) -> int:
        return sum(self.erased.values()) + self.accounts


def erase_expired(*, today: datetime.date | None = None, dry_run: bool = False) -> ExpiryReport:
    """Erase, kind by kind, what has passed its retention period; then finish the pending erasure requests
    whose kept data is gone now. `dry_run` counts without erasing. One `privacy.erase_expired` audit row per run
    that erased anything (kinds and counts only)."""
    today = today or timezone.localdate()
    report = ExpiryReport()
    with transaction.atomic():
        for kind in personal_data_kinds():
            count = kind.erase_expired(today, dry_run)
            if count:
                report.erased[kind.key] = count
        pending = User.objects.filter(erasure_requested_at__isnull=False).exclude(
            username__startswith=ERASED_PREFIX
        )
        for person in pending:
            if dry_run:
                if not erasure_preview(person, today):
                    report.accounts += 1
                continue
            if person_erase(actor=None, person=person, today=today, repeat=True).anonymised:
                report.accounts += 1
        if report.total and not dry_run:
            AuditLog.objects.create(
                action="privacy.erase_expired",
                target_type="core.privacy",
                summary=f"retention periods passed on {today.isoformat()}",
                changes={"erased": report.erased, "accounts_anonymised": report.accounts},
            )
        if dry_run:
            transaction.set_rollback(True)
    return report
