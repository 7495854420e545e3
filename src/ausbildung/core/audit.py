"""The audit of reads: which staff member read which young person's data, when (issue #18, "Accountability").

DSGVO Art. 5 Abs. 2 asks the controller to be able to show that personal data was processed lawfully; for the
data of minors and apprentices that includes who looked at it. A view (or API handler) that shows such data
calls :func:`note_read` after its scoped getter found the object; :class:`ReadAuditMiddleware` in
`core.middleware` writes all reads noted in one request with ONE bulk INSERT after a successful answer (2xx,
3xx). A refused (403) or missing (404) object, or a server error, writes nothing.

What counts (decided here, documented in docs/permissions.md "Audit of reads"):

- **Readers:** people acting in a staff role (`STAFF_ROLES`). A person reading their own data writes nothing,
  nor does a guardian reading a ward's: the guardian acts *for* the ward (legal representation, BGB § 1629),
  not as staff of an organisation, and sees what the ward sees. A guardian who also holds a staff role that
  grants the page (`roles` of the note) is recorded in that role.
- **Subjects:** the young people the platform is for: anyone who holds or held the role pupil or apprentice
  (any membership, active or ended: a former apprentice's book is still theirs), and anyone who is a minor
  today (BGB § 2). Staff members' own data (an administrator opening a trainer's account) is not recorded.
- **Rows:** reader, subject, a code of what was read (`WHAT`), the type and id of the object, the reader's
  role and organisation at that moment, the path without query string, the time. Nothing of the content.

Retention: :data:`READ_RETENTION_DAYS` (2 years), :func:`erase_reads_older_than` (called by the daily privacy
job; `ausbildung manage erase_old_reads` by hand). Two years cover the period in which a person can reasonably
notice and question a read (a training of 2–3.5 years; the general limitation period of claims, BGB §§ 195, 199,
is three years from the end of the year, but an access log of minors kept that long outweighs its use:
DSGVO Art. 5 Abs. 1 lit. c and e, minimisation and storage limitation). BSI IT-Grundschutz OPS.1.1.5
(Protokollierung) asks for a defined retention period of logs; this is it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Model, Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Membership, ReadAccess, Role, User
from .models.people import of_age_if_born_by
from .permissions import roles_of
from .services import audit_record

# Roles whose reads are recorded, in the order in which one is chosen when a reader holds several that grant
# the page (the most specific first, the platform administrator last).
STAFF_ROLES: tuple[str, ...] = (
    Role.TRAINER,
    Role.COMPANY_ADMIN,
    Role.TEACHER,
    Role.VOCATIONAL_SCHOOL_TEACHER,
    Role.COUNSELLOR,
    Role.CHAMBER_OFFICER,
    Role.MONITOR,
    Role.PLATFORM_ADMIN,
)

# Whose data counts: these roles (held now or once) or a minor today.
SUBJECT_ROLES: tuple[str, ...] = (Role.PUPIL, Role.APPRENTICE)

# Two years; see the module docstring.
READ_RETENTION_DAYS = 730

# What was read, in words for the person's page. `admin.<model>` codes are built from the model's name.
WHAT: dict[str, Any] = {  # lazy translations
    "core.contract": _("training contract"),
    "core.contract_list": _("list of training contracts"),
    "records.book": _("record book"),
    "records.period": _("record book: a week or period"),
    "records.coverage": _("record book: coverage of the training plan"),
    "records.pdf": _("record book as PDF"),
    "records.json": _("record book as JSON copy"),
    "records.findings": _("record book: working-time findings"),
    "records.overview": _("overview of record books"),
    "records.chamber": _("chamber's list of record books"),
    "records.queue": _("record book: periods to review"),
    "offers.application": _("application"),
    "offers.applications": _("list of applications"),
    "offers.document": _("application document"),
    "transition.consent": _("consent page"),
    "transition.consent_form": _("signed consent form"),
    "transition.destinations": _("list of school leavers"),
    "transition.destination": _("school leaver's destination"),
    "transition.case": _("counselling case"),
    "transition.cases": _("list of counselling cases"),
    "orientation.class_list": _("class list with progress"),
    "orientation.class_csv": _("class list as CSV"),
    "orientation.internship_application": _("internship application"),
    "orientation.internship_applications": _("list of internship applications"),
    "retention.contract": _("dropout prevention: a contract's signals and steps"),
    "retention.list": _("dropout prevention: list of apprentices with signals"),
    "retention.school": _("dropout prevention: the school's notes"),
    "staff.company": _("training staff: the company's contracts lacking a qualified trainer"),
    "staff.chamber": _("training staff: the chamber's contracts lacking a qualified trainer"),
    "staff.document": _("training staff: a copy of a trainer's certificate"),
    "campaigns.participants": _("campaign: the participants of an event"),
    "api.contracts": _("API: training contracts"),
    "api.records": _("API: record book"),
    "api.applications": _("API: applications"),
}
ADMIN_PREFIX = "admin."

REQUEST_ATTRIBUTE = "_ausbildung_reads"


@dataclass(frozen=True)
class NotedRead:
    subject_id: int
    what: str
    object_type: str
    object_id: str
    roles: frozenset[str]


def what_text(code: str) -> str:
    """The words for a code of what was read (the person's page)."""
    if code in WHAT:
        return str(WHAT[code])
    if code.startswith(ADMIN_PREFIX):
        label = code.removeprefix(ADMIN_PREFIX)
        try:
            model = str(apps.get_model(label)._meta.verbose_name_plural)
        except (LookupError, ValueError):
            model = label
        return str(_("administration: %(model)s")) % {"model": model}
    return code


def note_read(
    request: HttpRequest,
    subjects: Iterable[int | User | None],
    what: str,
    obj: Model | None = None,
    *,
    roles: Iterable[str] | None = None,
) -> None:
    """Note that this request shows data of `subjects` (ids or people); written once the answer succeeded.

    `roles`: the staff roles that grant this page (default: all); the reader is recorded in the first of
    these they hold, in the order of `STAFF_ROLES`. Call it after the scoped getter, so a 404 notes nothing.
    """
    if what not in WHAT and not what.startswith(ADMIN_PREFIX):
        raise ValueError(f"unknown read code {what!r}: add it to core.audit.WHAT")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return
    granting = frozenset(roles) & frozenset(STAFF_ROLES) if roles is not None else frozenset(STAFF_ROLES)
    object_type = obj._meta.label_lower if obj is not None else ""
    object_id = str(obj.pk) if obj is not None else ""
    noted: list[NotedRead] = request.__dict__.setdefault(REQUEST_ATTRIBUTE, [])
    for subject in subjects:
        subject_id = subject.pk if isinstance(subject, User) else subject
        if subject_id is None or subject_id == user.pk:
            continue
        noted.append(NotedRead(subject_id, what, object_type, object_id, granting))


def flush_reads(request: HttpRequest, response: HttpResponse) -> int:
    """Write the reads noted during `request` with one INSERT, if the answer succeeded. Returns the rows."""
    noted: list[NotedRead] = request.__dict__.pop(REQUEST_ATTRIBUTE, [])
    if not noted or not 200 <= response.status_code < 400:
        return 0
    reader = request.user
    staff = roles_of(reader) & frozenset(STAFF_ROLES)
    if not staff:
        return 0
    chosen: dict[NotedRead, str] = {}
    for read in noted:
        role = next((role for role in STAFF_ROLES if role in staff and role in read.roles), None)
        if role is not None:
            chosen[read] = role  # a dict: the same read noted twice is written once
    if not chosen:
        return 0
    subjects = set(young_people_among({read.subject_id for read in chosen}))
    rows = [(read, role) for read, role in chosen.items() if read.subject_id in subjects]
    if not rows:
        return 0
    organisation = organisation_per_role(reader, {role for _read, role in rows})
    now = timezone.now()
    path = request.path[:200]
    ReadAccess.objects.bulk_create(
        [
            ReadAccess(
                reader_id=reader.pk,
                subject_id=read.subject_id,
                what=read.what,
                object_type=read.object_type,
                object_id=read.object_id,
                role=role,
                organisation_id=organisation.get(role),
                path=path,
                read_at=now,
            )
            for read, role in rows
        ],
        batch_size=len(rows),
    )
    return len(rows)


def young_people_among(ids: Iterable[int]) -> list[int]:
    """Those of `ids` whose reads are recorded: pupils and apprentices (now or once) and minors today."""
    born_after = of_age_if_born_by(timezone.localdate())
    return list(
        User.objects.filter(pk__in=list(ids))
        .filter(Q(memberships__role__in=SUBJECT_ROLES) | Q(date_of_birth__gt=born_after))
        .values_list("pk", flat=True)
        .distinct()
    )


def organisation_per_role(reader: Any, roles: set[str]) -> dict[str, int]:
    """The organisation the reader acts for in each role, where that is one (several: left open)."""
    found: dict[str, set[int]] = {}
    for role, organisation_id in Membership.objects.filter(
        user_id=reader.pk, is_active=True, role__in=roles
    ).values_list("role", "organisation_id"):
        found.setdefault(role, set()).add(organisation_id)
    return {role: ids.pop() for role, ids in found.items() if len(ids) == 1}


# --- reading the log (the person's page) and erasing it -----------------------------------------------------


def reads_of(subject_id: int) -> Any:
    """The reads of one person's data, newest first, with reader and organisation."""
    return ReadAccess.objects.filter(subject_id=subject_id).select_related("reader", "organisation")


@dataclass(frozen=True)
class ReadLine:
    """One read as the person's page shows it."""

    time: datetime.datetime
    reader: str
    role: str
    organisation: str
    what: str


def reads_by_day(rows: Iterable[ReadAccess]) -> list[tuple[datetime.date, list[ReadLine]]]:
    """Reads (newest first) grouped by their local day, in words."""
    days: list[tuple[datetime.date, list[ReadLine]]] = []
    for row in rows:
        local = timezone.localtime(row.read_at)
        if not days or days[-1][0] != local.date():
            days.append((local.date(), []))
        reader = str(row.reader) if row.reader is not None else str(_("a deleted account"))
        days[-1][1].append(
            ReadLine(
                time=local,
                reader=reader,
                role=str(Role(row.role).label) if row.role in Role.values else row.role,
                organisation=row.organisation.name if row.organisation is not None else "",
                what=what_text(row.what),
            )
        )
    return days


def erase_reads_older_than(*, days: int = READ_RETENTION_DAYS, now: datetime.datetime | None = None) -> int:
    """Delete read-audit rows older than `days` (retention, see the module docstring). Returns the count."""
    if days < 1:
        raise ValueError("days must be at least 1")
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    with transaction.atomic():
        deleted, _by_model = ReadAccess.objects.filter(read_at__lt=cutoff).delete()
        if deleted:
            # That an erasure happened, never what was erased.
            audit_record(
                actor=None,
                action="audit.reads_erased",
                target=ReadAccess(pk=None),
                summary=f"{deleted} reads before {cutoff:%Y-%m-%d}",
                changes={"rows": deleted, "days": days},
            )
    return deleted
