"""State changes of the training record. Keyword-only, atomic, audited; German ValidationErrors for bad input.

States: draft → submitted → signed, or submitted → returned (comment required) → submitted again. A signed
period is immutable; the trainer may reopen it (audited), which puts it back to returned. What was signed is
kept on the signature (`RecordSignature.content`), so reopening makes a new version and the signed one stays
readable. Signatures are keyed links of a chain anchored outside the database: see `records.integrity`.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ausbildung.core.models import ContractTrainer, FrameworkItem, TrainingContract, User
from ausbildung.core.services import audit_record

from . import access, integrity, rules, selectors, worktime
from .integrity import verify_contract as verify_contract  # the `records verify` command uses it here
from .models import (
    WORKING_PLACES,
    ExaminerShare,
    RecordDay,
    RecordEvent,
    RecordPeriod,
    RecordSignature,
    WorkingTimeFinding,
)

# At most 32 lessons of 45 minutes fit into a day (24 × 60 / 45); more cannot be true.
MAX_LESSONS = 32
ABSENT_PLACES = {RecordDay.Place.LEAVE, RecordDay.Place.SICK, RecordDay.Place.HOLIDAY, RecordDay.Place.FREE}


# --- validating and saving drafts ----------------------------------------------------------------------------


@dataclass
class DayInput:
    date: datetime.date
    place: str
    hours: str | Decimal | None
    note: str = ""
    # Vocational school: lessons of at least 45 minutes (kept on school days only; records.worktime).
    lessons: int | None = None


@dataclass
class PeriodInput:
    company_work: str
    instruction: str
    school: str
    days: list[DayInput]
    item_ids: list[int]
    on_paper: bool = False
    block_week: bool = False  # a block week of the vocational school (BBiG § 15 Abs. 1 Satz 2 Nr. 3)


def _parse_hours(raw: str | Decimal | None) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
        if not value.is_finite() or abs(value) >= 1000:
            raise ValueError
        return value.quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValueError from None


def validate_days(
    contract: TrainingContract, period_start, period_end, days: list[DayInput]
) -> dict[str, str]:
    """Field errors keyed "day-YYYY-MM-DD" for input that cannot be true: a date outside the period or the
    contract, an unknown place, hours that are no number or outside 0–24 (`worktime.impossible_input`), hours
    on a day of absence.

    Hours above a legal limit are no error: the record book records what happened, and such hours become
    working-time findings (`working_time_recompute`) shown to the apprentice, trainers, company and chamber."""
    errors: dict[str, str] = {}
    for day in days:
        key = f"day-{day.date.isoformat()}"
        if not (period_start <= day.date <= period_end) or not (
            contract.start_date <= day.date <= contract.end_date
        ):
            errors[key] = _("This date lies outside the period or the contract.")
            continue
        if day.place not in RecordDay.Place.values:
            errors[key] = _("Please choose where you were on this day.")
            continue
        try:
            hours = _parse_hours(day.hours)
        except ValueError:
            errors[key] = _("Please enter the hours as a number, e.g. 7,5.")
            continue
        impossible = worktime.impossible_input(worktime.WorkDay(date=day.date, place=day.place, hours=hours))
        if impossible:
            errors[key] = impossible
            continue
        if hours is not None and day.place in ABSENT_PLACES and hours > 0:
            errors[key] = _("No hours on a day of absence.")
            continue
    return errors


# --- working-time findings ---------------------------------------------------------------------------------------


def week_facts(contract: TrainingContract, week: datetime.date, *, block_week: bool) -> worktime.WeekFacts:
    """What `worktime.check_week` needs beyond the days, from the contract: the apprentice's age per day (None
    when the date of birth is unknown), the public holidays of the training site's Land, the block week, the
    written final exam and the agreed daily training time (the weekly hours over five days)."""
    selectors.load_site_region(contract)
    land = rules.land_iso(contract)
    sunday = week + datetime.timedelta(days=6)
    holidays: dict[datetime.date, str] = {}
    for year in sorted({week.year, sunday.year}):
        holidays.update(rules.public_holidays(land, year))
    weekly_hours = contract.weekly_hours
    return worktime.WeekFacts(
        minor_on=contract.apprentice.is_minor_on,
        holidays={day: name for day, name in holidays.items() if week <= day <= sunday},
        block_week=block_week,
        written_exam=contract.written_exam_date,
        agreed_daily_hours=(weekly_hours / 5) if weekly_hours else None,
    )


def check_recorded_week(contract: TrainingContract, week: datetime.date) -> tuple[worktime.WeekResult, dict]:
    """Check the calendar week (Monday to Sunday) from `week` with every day recorded in it, from all periods
    of the contract (a daily record book has several periods a week). Returns the result and, per date, the
    period that holds it."""
    sunday = week + datetime.timedelta(days=6)
    recorded = list(
        RecordDay.objects.filter(period__contract=contract, date__range=(week, sunday))
        .select_related("period")
        .order_by("date")
    )
    days = [
        worktime.WorkDay(date=d.date, place=d.place, hours=_plain(d.hours), lessons=d.lessons)
        for d in recorded
    ]
    block_week = any(d.period.block_week for d in recorded)
    result = worktime.check_week(days, week_facts(contract, week, block_week=block_week))
    return result, {d.date: d.period for d in recorded}


def working_time_recompute_all(*, contracts=None) -> int:
    """Recompute the stored findings of every recorded week (of the given contracts; all when None): once after
    upgrading (periods saved before findings existed) and whenever the rules of `records.worktime` change.
    Returns the number of weeks checked. Run by `ausbildung records working-time`."""
    days = RecordDay.objects.all()
    if contracts is not None:
        days = days.filter(period__contract__in=contracts)
    weeks: set[tuple[int, datetime.date]] = {
        (contract_id, rules.week_start(date))
        for contract_id, date in days.values_list("period__contract_id", "date")
    }
    by_contract = TrainingContract.objects.select_related("apprentice").in_bulk({c for c, _w in weeks})
    for contract_id, week in sorted(weeks):
        with transaction.atomic():
            working_time_recompute(actor=None, contract=by_contract[contract_id], week=week)
    return len(weeks)


def working_time_after_terms_changed(*, contract: TrainingContract, **_kwargs: object) -> None:
    """The contract's agreed weekly hours or written exam date changed (`core.signals.contract_terms_changed`):
    the findings of every week not yet fully signed are computed anew, so a trainer never confirms a finding
    that no longer holds. Signed weeks keep theirs: the signature confirmed what was found then."""
    weeks = {
        rules.week_start(date)
        for date in RecordDay.objects.filter(period__contract=contract)
        .exclude(period__state=RecordPeriod.State.SIGNED)
        .values_list("date", flat=True)
    }
    for week in sorted(weeks):
        working_time_recompute(actor=None, contract=contract, week=week)


def _plain(value: Decimal | None) -> Decimal | None:
    """Hours as the apprentice wrote them (9, 7.5), not as stored (9.00), so that messages read "9 hours"."""
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _finding_figures(finding) -> dict:
    """A finding as plain values (audit log, confirmations): rule, paragraph, day and figures."""
    return {
        "rule": finding.rule,
        "paragraph": finding.paragraph,
        "day": finding.day.isoformat() if finding.day else None,
        "hours": None if finding.hours is None else f"{Decimal(finding.hours).normalize():f}",
        "limit": None if finding.limit is None else f"{Decimal(finding.limit).normalize():f}",
        "certain": finding.certain,
    }


def working_time_recompute(*, actor: User | None, contract: TrainingContract, week: datetime.date) -> None:
    """Store the findings of a calendar week anew (`WorkingTimeFinding`), after a period of it was saved.

    Findings that no longer hold (a correction) are deleted; new ones are created; the audit log records each
    period whose findings changed (`record.working_time`, before and after), so what was found stays known."""
    week = rules.week_start(week)
    result, period_of = check_recorded_week(contract, week)
    last_period = period_of[max(period_of)] if period_of else None
    wanted: dict[tuple, tuple[RecordPeriod, worktime.Finding]] = {}
    for finding in result.findings:
        if finding.notice:
            # "Could not be checked (exactly)": no breach to store; the week page says it (age unknown).
            continue
        period = period_of.get(finding.day) if finding.day is not None else last_period
        if period is None:
            continue
        wanted[(period.pk, finding.rule, finding.day)] = (period, finding)
    stored = {
        (f.period_id, f.rule, f.day): f
        for f in WorkingTimeFinding.objects.select_for_update().filter(contract=contract, week_start=week)
    }
    before: dict[int, list[dict]] = {}
    for stored_row in stored.values():
        before.setdefault(stored_row.period_id, []).append(_finding_figures(stored_row))
    after: dict[int, list[dict]] = {}
    periods: dict[int, RecordPeriod] = {}
    for key, (period, finding) in wanted.items():
        periods[period.pk] = period
        values = {
            "contract": contract,
            "period": period,
            "week_start": week,
            "rule": finding.rule,
            "paragraph": finding.paragraph[:80],
            "day": finding.day,
            "hours": finding.hours,
            "limit": finding.limit,
            "certain": finding.certain,
            "message": str(finding.message),
        }
        row = stored.pop(key, None)
        if row is None:
            row = WorkingTimeFinding.objects.create(**values)
        elif any(
            getattr(row, name) != value
            for name, value in values.items()
            if name not in {"contract", "period"}
        ):
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
        after.setdefault(period.pk, []).append(_finding_figures(row))
    for row in stored.values():
        periods.setdefault(row.period_id, row.period)
        row.delete()
    for period_id, period in periods.items():
        old, new = before.get(period_id, []), after.get(period_id, [])
        if sorted(old, key=str) != sorted(new, key=str):
            audit_record(
                actor=actor,
                action="record.working_time",
                target=period,
                summary="; ".join(
                    f"{f['paragraph']}{' ' + f['day'] if f['day'] else ''}: {f['hours']} > {f['limit']}"
                    for f in new
                )[:200]
                or "no findings",
                changes={"before": old, "after": new},
            )


def period_content(period: RecordPeriod) -> dict:
    """The period's content as signed: the canonical dict that the content hash covers and the signature keeps."""
    return {
        "contract": period.contract_id,
        "apprentice": period.contract.apprentice_id,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "form": period.form,
        "on_paper": period.on_paper,
        "company_work": period.company_work,
        "instruction": period.instruction,
        "school": period.school,
        "days": [
            [d.date.isoformat(), d.place, None if d.hours is None else f"{d.hours:.2f}", d.note]
            + ([d.lessons] if d.lessons is not None else [])  # only when given: earlier hashes stay valid
            for d in sorted(period.days.all(), key=lambda d: d.date)
        ],
        **({"block_week": True} if period.block_week else {}),
        "items": sorted(item.pk for item in period.items.all()),
        "submitted_at": period.submitted_at.isoformat() if period.submitted_at else None,
    }


def content_hash(period: RecordPeriod) -> str:
    """SHA-256 of the period's content in canonical JSON (what the signatures protect)."""
    return integrity.content_digest(period_content(period))


SECTION_LABELS = {
    "company_work": gettext_lazy("company work"),
    "instruction": gettext_lazy("instruction"),
    "school": gettext_lazy("vocational school"),
}


def repeated_sections(period: RecordPeriod) -> list[str]:
    """Sections whose text repeats another period of the contract word for word (a warning, not an error:
    the record must show what was actually learned)."""
    repeated = []
    others = RecordPeriod.objects.filter(contract_id=period.contract_id).exclude(pk=period.pk)
    for field in ("company_work", "instruction", "school"):
        text = " ".join(getattr(period, field).split())
        if len(text) >= 20 and any(" ".join(getattr(o, field).split()) == text for o in others.only(field)):
            repeated.append(str(SECTION_LABELS[field]))
    return repeated


class StaleVersion(ValidationError):
    """The period was saved elsewhere after the caller read it (optimistic locking on `RecordPeriod.version`)."""


class Superseded(ValidationError):
    """An autosave that arrives after a newer write of the same editing session: nothing is written (the newer
    text stays), and it is no conflict."""


@dataclass(frozen=True)
class EditSession:
    """One opened editor of a period (the week page): a random `token` the page was rendered with, and the
    number `seq` of this write, counted up by the page for every write it sends (autosave, save).

    Why: the page autosaves a few seconds after typing and the apprentice may press "save" while that autosave
    is on its way; the save then carries the version read before the autosave. A stale base version is a
    conflict only when someone else wrote in between. So the period remembers which editing session wrote its
    current version (`RecordPeriod.edit_session`), the version that session's run of writes began at
    (`edit_session_base`) and the number of its latest write (`edit_session_seq`). A write whose base version
    is stale but not older than that run (nobody else wrote since) and that comes from the same session is
    accepted when it is the page's save (the page's last write: the save leaves the page) or an autosave newer
    than the stored write; an older autosave (one overtaken by the save) writes nothing (`Superseded`). Any
    other stale write is a real conflict (`StaleVersion`): another device, another tab, another person."""

    token: str
    seq: int
    autosave: bool = False


def _stale(
    period: RecordPeriod | None, version: int, session: EditSession | None
) -> type[ValidationError] | None:
    """None when a write based on `version` may go ahead, else StaleVersion or Superseded (see EditSession)."""
    current = period.version if period is not None else 0
    if version == current:
        return None
    if (
        period is not None
        and session is not None
        and session.token
        and period.edit_session == session.token
        and period.edit_session_base <= version < current
    ):
        return None if not session.autosave or session.seq > period.edit_session_seq else Superseded
    return StaleVersion


@transaction.atomic
def record_period_save(
    *,
    actor: User,
    contract: TrainingContract,
    start: datetime.date,
    data: PeriodInput,
    version: int | None = None,
    session: EditSession | None = None,
) -> RecordPeriod:
    """Save a draft (create it on first save). Raises ValidationError with German field messages.

    `version` is the version the writer read (0 before the first save); when another save came in between,
    StaleVersion is raised and nothing is written. The web form and the API always pass it (the API answers
    428 without it); only trusted internal callers (demo data, benchmarks) leave it out. The week page also
    passes its editing `session`, so that its own autosave never conflicts with its save (see EditSession)."""
    if not access.can_write_record(actor, contract):
        raise ValidationError(_("Only the apprentice can write this record while the contract is active."))
    period_start, period_end = rules.period_bounds(contract, start)
    period = RecordPeriod.objects.select_for_update().filter(contract=contract, start=period_start).first()
    if period is not None and period.is_locked:
        raise ValidationError(_("This period has been submitted or signed and can no longer be changed."))
    stale = _stale(period, version, session) if version is not None else None
    if stale is Superseded:
        raise Superseded(_("A newer version of this page was saved already."))
    if stale is not None:
        raise StaleVersion(
            _(
                "This period was changed elsewhere in the meantime. Please reload the page; nothing was overwritten."
            )
        )
    errors = validate_days(contract, period_start, period_end, data.days)
    for day in data.days:
        if day.lessons is not None and not 0 <= day.lessons <= MAX_LESSONS:
            errors.setdefault(
                f"day-{day.date.isoformat()}", _("Please enter the lessons as a number from 0 to 32.")
            )
    profile = rules.rules_for(contract)
    if (contract.record_form == "daily" and not profile.allow_daily) or (
        contract.record_form == "weekly" and not profile.allow_weekly
    ):
        errors["__all__"] = _(
            "Your chamber does not accept training records in this form (%(form)s). Please ask your company to "
            "amend the contract (BBiG § 11)."
        ) % {"form": contract.get_record_form_display()}
    allowed_items = set(
        FrameworkItem.objects.filter(
            framework_position__plan__occupation_id=contract.occupation_id, pk__in=data.item_ids
        ).values_list("pk", flat=True)
    )
    if set(data.item_ids) - allowed_items:
        errors["items"] = _("Some items do not belong to the framework plan of your occupation.")
    if errors:
        raise ValidationError(errors)
    created = period is None
    if period is None:
        period = RecordPeriod(
            contract=contract, start=period_start, end=period_end, form=contract.record_form
        )
    period.company_work = data.company_work.strip()
    period.instruction = data.instruction.strip()
    period.school = data.school.strip()
    period.on_paper = data.on_paper
    period.block_week = data.block_week
    if session is not None and session.token:
        if period.edit_session != session.token:
            period.edit_session, period.edit_session_base = session.token, period.version
        period.edit_session_seq = session.seq
    else:
        period.edit_session, period.edit_session_base, period.edit_session_seq = "", 0, 0
    period.version += 1
    period.save()
    existing = {d.date: d for d in period.days.all()}
    for day in data.days:
        record_day = existing.get(day.date) or RecordDay(period=period, date=day.date)
        record_day.place = day.place
        record_day.hours = _parse_hours(day.hours)
        record_day.note = day.note[:200]
        record_day.lessons = day.lessons if day.place == RecordDay.Place.SCHOOL else None
        record_day.save()
    period.items.set(allowed_items)
    if created:
        audit_record(actor=actor, action="record.create", target=period, summary=str(period))
    working_time_recompute(actor=actor, contract=contract, week=period.start)  # periods lie within a week
    return period


def submit_errors(period: RecordPeriod) -> dict[str, str]:
    """What is missing before a period can be submitted (HA minimum content; chamber rules for hours)."""
    profile = rules.rules_for(period.contract)
    days = list(period.days.all())
    errors: dict[str, str] = {}
    if period.on_paper:
        return errors  # a sheet kept on paper is confirmed, not rewritten
    if not days:
        errors["days"] = _("Please fill in the days of this period.")
    working = [d for d in days if d.place in WORKING_PLACES]
    if (
        any(d.place in {RecordDay.Place.COMPANY, RecordDay.Place.EXTERNAL} for d in working)
        and not period.company_work
    ):
        errors["company_work"] = _("Please describe what you did in the company.")
    if any(d.place == RecordDay.Place.SCHOOL for d in working) and not period.school:
        errors["school"] = _("Please write down the topics of the vocational school.")
    if profile.hours_required:
        for day in working:
            if day.hours is None:
                errors[f"day-{day.date.isoformat()}"] = _(
                    "Your chamber asks for the hours of every working day."
                )
    return errors


def not_ended_message(period: RecordPeriod) -> str:
    """Why a period that has not ended cannot be submitted yet (German, addressed to the apprentice)."""
    return _(
        "This period has not happened yet: you can write it down as a plan now, but submit it only from "
        "%(day)s on, its last day (the record book is evidence for the admission to the final exam, "
        "BBiG § 43 Abs. 1 Nr. 2)."
    ) % {"day": f"{period.end:%d.%m.%Y}"}


@transaction.atomic
def record_period_submit(
    *, actor: User, period: RecordPeriod, today: datetime.date | None = None
) -> RecordPeriod:
    """The apprentice submits (and thereby signs) a period for review, once its last day has begun (`today`,
    the local date, by default now): a period in the future is a plan, not evidence (BBiG § 43 Abs. 1 Nr. 2;
    `rules.period_has_ended`)."""
    period = RecordPeriod.objects.select_for_update().get(pk=period.pk)
    if not access.can_write_record(actor, period.contract):
        raise ValidationError(_("Only the apprentice can submit this record."))
    if period.state not in {RecordPeriod.State.DRAFT, RecordPeriod.State.RETURNED}:
        raise ValidationError(_("This period has already been submitted."))
    if not rules.period_has_ended(period.end, today or timezone.localdate()):
        raise ValidationError(not_ended_message(period))
    errors = submit_errors(period)
    if errors:
        raise ValidationError(errors)
    period.state = RecordPeriod.State.SUBMITTED
    period.submitted_at = timezone.now()
    period.save(update_fields=["state", "submitted_at", "updated_at"])
    RecordEvent.objects.create(period=period, actor=actor, action=RecordEvent.Action.SUBMITTED)
    audit_record(actor=actor, action="record.submit", target=period, summary=str(period))
    return period


class SubmitRefused(ValidationError):
    """The draft was saved but cannot be submitted yet (`submit_errors`): `period` is the saved draft."""

    def __init__(self, error: ValidationError, *, period: RecordPeriod) -> None:
        super().__init__(error)
        self.period = period


WRITE_ACTIONS = ("save", "autosave", "submit", "copy_previous")


def record_period_write(
    *,
    actor: User,
    contract: TrainingContract,
    start: datetime.date,
    data: PeriodInput,
    version: int,
    action: str = "save",
    session: EditSession | None = None,
) -> RecordPeriod:
    """What the week page's editor does with one form: save the draft ("save", "autosave"); save it with the
    texts and framework-plan items of the previous period instead of the entered ones ("copy_previous"); or
    save and submit it ("submit").

    Saving and submitting are two steps on purpose: a submission that lacks content (`submit_errors`) leaves
    the draft saved and raises SubmitRefused, which carries it (what was typed is kept, and its version is the
    one to send with the next save)."""
    if action == "copy_previous":
        previous = selectors.previous_period(contract, start)
        if previous is not None:
            data.company_work, data.instruction, data.school = (
                previous.company_work,
                previous.instruction,
                previous.school,
            )
            data.item_ids = list(previous.items.values_list("pk", flat=True))
    saved = record_period_save(
        actor=actor, contract=contract, start=start, data=data, version=version, session=session
    )
    if action != "submit":
        return saved
    try:
        return record_period_submit(actor=actor, period=saved)
    except ValidationError as error:
        raise SubmitRefused(error, period=saved) from None


def _send_back(
    *,
    actor: User,
    period: RecordPeriod,
    comment: str,
    from_state: str,
    event: str,
    audit_action: str,
    refused: str,
    wrong_state: str,
    no_comment: str,
) -> RecordPeriod:
    """Put a period back to the apprentice (state returned) with a required comment: the shared path of
    returning a submitted period and reopening a signed one."""
    period = RecordPeriod.objects.select_for_update().get(pk=period.pk)
    if not access.can_review_record(actor, period.contract):
        raise ValidationError(refused)
    if period.state != from_state:
        raise ValidationError(wrong_state)
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": no_comment})
    period.state = RecordPeriod.State.RETURNED
    period.return_comment = comment
    period.save(update_fields=["state", "return_comment", "updated_at"])
    RecordEvent.objects.create(period=period, actor=actor, action=event, comment=comment)
    audit_record(actor=actor, action=audit_action, target=period, summary=comment[:200])
    return period


@transaction.atomic
def record_period_return(*, actor: User, period: RecordPeriod, comment: str) -> RecordPeriod:
    return _send_back(
        actor=actor,
        period=period,
        comment=comment,
        from_state=RecordPeriod.State.SUBMITTED,
        event=RecordEvent.Action.RETURNED,
        audit_action="record.return",
        refused=_("Only a trainer of this contract can return the record."),
        wrong_state=_("Only a submitted period can be returned."),
        no_comment=_("Please tell the apprentice what to change."),
    )


FINDINGS_NOT_CONFIRMED = gettext_lazy(
    "This period has working-time findings. Please confirm that you have seen them before you sign."
)


@transaction.atomic
def record_period_sign(
    *, actor: User, period: RecordPeriod, confirm_findings: bool = False, today: datetime.date | None = None
) -> RecordPeriod:
    """The trainer signs a submitted period: its content joins the contract's signature chain as a keyed link
    (HMAC under the current signing key), the signed version is kept on the link, and the new head is written
    to the anchor log outside the database once the transaction has committed (`records.integrity`).

    A period with working-time findings is signed only with `confirm_findings` (the trainer has seen them:
    JArbSchG § 8, ArbZG § 3 …); the confirmed findings are recorded on the signature (`confirmed_findings`,
    beside the chain, which is unchanged), in the period's history and in the audit log.

    Only a submitted period is signed, and never one whose last day has not begun (`today`, the local date, by
    default now): submitting refuses such a period, and a submitted one from before that rule is not signed
    either (BBiG § 43 Abs. 1 Nr. 2: the record is evidence of what happened)."""
    contract = TrainingContract.objects.select_for_update().get(pk=period.contract_id)
    period = RecordPeriod.objects.select_for_update().get(pk=period.pk)
    if not access.can_review_record(actor, contract):
        raise ValidationError(_("Only a trainer of this contract can sign the record."))
    if period.state != RecordPeriod.State.SUBMITTED:
        raise ValidationError(_("Only a submitted period can be signed."))
    if not rules.period_has_ended(period.end, today or timezone.localdate()):
        raise ValidationError(
            _(
                "This period has not ended yet (it runs until %(day)s): it can be signed from its last day on "
                "(BBiG § 43 Abs. 1 Nr. 2)."
            )
            % {"day": f"{period.end:%d.%m.%Y}"}
        )
    confirmed = [_finding_figures(f) for f in period.working_time_findings.order_by("day", "rule")]
    if confirmed and not confirm_findings:
        raise ValidationError({"confirm_findings": str(FINDINGS_NOT_CONFIRMED)})
    link = contract.trainer_links.get(trainer=actor)
    now = timezone.now()
    content = period_content(period)
    digest = integrity.content_digest(content)
    last = integrity.chain_head(contract)
    sequence = (last.sequence + 1) if last else 1
    previous = last.chain_hash if last else ""
    key_id = integrity.current_key_id()
    head = integrity.link_hash(
        key_id=key_id,
        previous=previous,
        sequence=sequence,
        period_id=period.pk,
        content=digest,
        signer_id=actor.pk,
        at=now,
    )
    RecordSignature.objects.create(
        contract=contract,
        period=period,
        sequence=sequence,
        signer=actor,
        signer_kind=link.kind,
        signed_at=now,
        content_hash=digest,
        content=content,
        previous_hash=previous,
        chain_hash=head,
        key_id=key_id,
        code=integrity.code_of(head),
        confirmed_findings=confirmed,
    )
    period.state = RecordPeriod.State.SIGNED
    period.signed_at = now
    period.signed_by = actor
    period.content_hash = digest
    period.return_comment = ""
    period.save(
        update_fields=["state", "signed_at", "signed_by", "content_hash", "return_comment", "updated_at"]
    )
    notes = [_("signed as substitute")] if link.kind == ContractTrainer.Kind.SUBSTITUTE else []
    if confirmed:
        notes.append(
            _("working-time findings seen: %(findings)s")
            % {"findings": ", ".join(_confirmed_label(f) for f in confirmed)}
        )
    RecordEvent.objects.create(
        period=period, actor=actor, action=RecordEvent.Action.SIGNED, comment="; ".join(notes)
    )
    changes: dict = {"hash": digest}
    if confirmed:
        changes["confirmed_findings"] = confirmed
    audit_record(actor=actor, action="record.sign", target=period, summary=str(period), changes=changes)
    integrity.anchor_on_commit(
        kind=integrity.SIGN, contract_id=contract.pk, sequence=sequence, period_id=period.pk, head=head
    )
    # Signed periods never change: their pages of the book's PDF are laid out now, in the background.
    from .exporters import pdf as pdf_export

    pdf_export.prepare_on_commit(contract.pk)
    return period


def _confirmed_label(figures: dict) -> str:
    """A confirmed finding for the period's history, e.g. "JArbSchG § 8 Abs. 1 (45 h / 40 h)"."""
    day = f"{datetime.date.fromisoformat(figures['day']):%d.%m.%Y}, " if figures["day"] else ""
    hours = (figures["hours"] or "").replace(".", ",")
    limit = (figures["limit"] or "").replace(".", ",")
    return f"{figures['paragraph']} ({day}{hours} h / {limit} h)"


def record_periods_sign(
    *,
    actor: User,
    periods: list[RecordPeriod],
    confirm_findings: bool = False,
    today: datetime.date | None = None,
) -> list[RecordPeriod]:
    """Bulk sign: each period is signed on its own (`record_period_sign`, with its rules); one that cannot be
    signed (working-time findings not confirmed, a period not yet ended) does not stop the others."""
    signed = []
    for period in periods:
        try:
            signed.append(
                record_period_sign(actor=actor, period=period, confirm_findings=confirm_findings, today=today)
            )
        except ValidationError:
            continue
    return signed


@transaction.atomic
def record_period_reopen(*, actor: User, period: RecordPeriod, reason: str) -> RecordPeriod:
    """A trainer reopens a signed period for correction. The signature, with the signed version, stays in the
    chain (the correction becomes a new version, signed anew); the audit log, the period's history and the
    anchor log outside the database say that it was reopened, by whom and why."""
    signature = integrity.chain_head_of_period(period)
    reopened = _send_back(
        actor=actor,
        period=period,
        comment=reason,
        from_state=RecordPeriod.State.SIGNED,
        event=RecordEvent.Action.REOPENED,
        audit_action="record.reopen",
        refused=_("Only a trainer of this contract can reopen the record."),
        wrong_state=_("Only a signed period can be reopened."),
        no_comment=_("Please give the reason for reopening."),
    )
    if signature is not None:
        integrity.anchor_on_commit(
            kind=integrity.REOPEN,
            contract_id=period.contract_id,
            sequence=signature.sequence,
            period_id=period.pk,
            head=signature.chain_hash,
        )
    return reopened


@transaction.atomic
def record_acknowledge(*, actor: User, contract: TrainingContract, up_to: datetime.date):
    """A legal guardian acknowledges having seen the record up to a date."""
    from .models import GuardianAcknowledgement

    if not access.can_acknowledge_record(actor, contract):
        raise ValidationError(_("Only a legal guardian of the apprentice can acknowledge the record."))
    acknowledgement = GuardianAcknowledgement.objects.create(contract=contract, guardian=actor, up_to=up_to)
    for period in RecordPeriod.objects.filter(
        contract=contract, end__lte=up_to, state=RecordPeriod.State.SIGNED
    ):
        RecordEvent.objects.create(period=period, actor=actor, action=RecordEvent.Action.ACKNOWLEDGED)
    audit_record(
        actor=actor, action="record.acknowledge", target=contract, summary=f"up to {up_to.isoformat()}"
    )
    return acknowledgement


# --- verification: records.integrity ---------------------------------------------------------------------------


def last_signature_sequence(contract: TrainingContract) -> int:
    return RecordSignature.objects.filter(contract=contract).aggregate(m=Max("sequence"))["m"] or 0


# --- examiner links --------------------------------------------------------------------------------------------

EXAMINER_SHARE_DAYS_MAX = 90
# How long one opening of an examiner link lasts in the examiner's browser session before the link is needed again.
EXAMINER_GRANT_SECONDS = 2 * 60 * 60


def examiner_token_hash(token: str) -> str:
    """What is stored of an examiner link's secret: its SHA-256 (the secret has 256 bits, no salt needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def examiner_share_create(*, actor: User, contract: TrainingContract, days: int) -> tuple[ExaminerShare, str]:
    """A read-only link for an examiner (BBiG § 43 Abs. 1 Nr. 2: the record is shown at the exam admission).

    Returns the link and its secret; the secret is kept nowhere and can be shown only this once."""
    if not access.can_share_record(actor, contract):
        raise ValidationError(_("Only the chamber the contract is registered with can share its record."))
    if not 1 <= days <= EXAMINER_SHARE_DAYS_MAX:
        raise ValidationError(
            _("A link is valid for 1 to %(days)d days.") % {"days": EXAMINER_SHARE_DAYS_MAX}
        )
    token = secrets.token_urlsafe(32)
    share = ExaminerShare.objects.create(
        contract=contract,
        token_hash=examiner_token_hash(token),
        created_by=actor,
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    audit_record(actor=actor, action="record.share", target=contract, summary=f"link {share.pk}, {days} days")
    return share, token


@transaction.atomic
def examiner_share_revoke(*, actor: User, share: ExaminerShare) -> ExaminerShare:
    """The chamber ends a link before it expires; an examiner who opened it loses access at the next page."""
    share = ExaminerShare.objects.select_for_update().get(pk=share.pk)
    if not access.can_share_record(actor, share.contract):
        raise ValidationError(_("Only the chamber the contract is registered with can revoke its links."))
    if share.revoked:
        return share
    share.revoked, share.revoked_at, share.revoked_by = True, timezone.now(), actor
    share.save(update_fields=["revoked", "revoked_at", "revoked_by"])
    audit_record(actor=actor, action="record.share_revoke", target=share.contract, summary=f"link {share.pk}")
    return share


def examiner_share_valid(share_id: int | None = None, *, token: str = "") -> ExaminerShare | None:
    """The unexpired, unrevoked link with this id or secret, or None."""
    links = ExaminerShare.objects.filter(revoked=False, expires_at__gt=timezone.now())
    if token:
        links = links.filter(token_hash=examiner_token_hash(token))
    elif share_id is not None:
        links = links.filter(pk=share_id)
    else:
        return None
    return links.select_related("contract__apprentice", "contract__occupation", "contract__company").first()


@transaction.atomic
def examiner_share_access(*, share: ExaminerShare, what: str) -> None:
    """Every look through an examiner link is counted and audited (DSGVO Art. 5 Abs. 2: accountability)."""
    now = timezone.now()
    ExaminerShare.objects.filter(pk=share.pk).update(access_count=F("access_count") + 1, last_access_at=now)
    audit_record(
        actor=None,
        action="record.share_access",
        target=share.contract,
        summary=f"anonymous via link {share.pk}: {what}",
    )
