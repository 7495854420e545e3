"""State changes of the training record. Keyword-only, atomic, audited; German ValidationErrors for bad input.

States: draft → submitted → signed, or submitted → returned (comment required) → submitted again. A signed
period is immutable; the trainer may reopen it (audited), which puts it back to returned.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ausbildung.core import permissions
from ausbildung.core.models import ContractTrainer, FrameworkItem, TrainingContract, User
from ausbildung.core.services import audit_record

from . import rules
from .models import WORKING_PLACES, RecordDay, RecordEvent, RecordPeriod, RecordSignature

ABSENT_PLACES = {RecordDay.Place.LEAVE, RecordDay.Place.SICK, RecordDay.Place.HOLIDAY, RecordDay.Place.FREE}


def land_iso(contract: TrainingContract) -> str:
    """ISO code of the Land of the training site (for public holidays), e.g. "SL"; "" if unknown."""
    region = contract.site.region
    while region is not None and region.parent_id is not None:
        region = region.parent
    return region.iso_code.removeprefix("DE-") if region is not None else ""


# --- creating periods ----------------------------------------------------------------------------------------


def period_bounds(contract: TrainingContract, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    if not contract.start_date <= day <= contract.end_date:
        raise ValidationError(
            {
                "start": _("The date lies outside the contract (%(start)s – %(end)s).")
                % {"start": f"{contract.start_date:%d.%m.%Y}", "end": f"{contract.end_date:%d.%m.%Y}"}
            }
        )
    return rules.period_for(
        form=contract.record_form, day=day, contract_start=contract.start_date, contract_end=contract.end_date
    )


def default_place(
    contract: TrainingContract, day: datetime.date, previous: dict[int, RecordDay]
) -> tuple[str, str]:
    """Prefill: public holidays of the Land; weekends off; otherwise the same place as on that weekday last
    week (recurring vocational-school days), else the company."""
    name = rules.holiday_name(land_iso(contract), day)
    if name:
        return RecordDay.Place.HOLIDAY, name
    if day.weekday() >= 5:
        return RecordDay.Place.FREE, ""
    earlier = previous.get(day.weekday())
    if earlier is not None and earlier.place == RecordDay.Place.SCHOOL:
        return RecordDay.Place.SCHOOL, ""
    return RecordDay.Place.COMPANY, ""


def new_period(contract: TrainingContract, day: datetime.date) -> tuple[RecordPeriod, list[RecordDay]]:
    """An unsaved period with prefilled days (public holidays, weekends, recurring school days)."""
    start, end = period_bounds(contract, day)
    period = RecordPeriod(contract=contract, start=start, end=end, form=contract.record_form)
    previous_period = (
        RecordPeriod.objects.filter(contract=contract, start__lt=start)
        .order_by("-start")
        .prefetch_related("days")
        .first()
    )
    previous = {d.date.weekday(): d for d in previous_period.days.all()} if previous_period else {}
    days = []
    current = start
    while current <= end:
        place, note = default_place(contract, current, previous)
        earlier = previous.get(current.weekday())
        hours = (
            earlier.hours
            if earlier is not None and earlier.place == place and place in WORKING_PLACES
            else None
        )
        days.append(RecordDay(period=period, date=current, place=place, note=note, hours=hours))
        current += datetime.timedelta(days=1)
    return period, days


# --- validating and saving drafts ----------------------------------------------------------------------------


@dataclass
class DayInput:
    date: datetime.date
    place: str
    hours: str | Decimal | None
    note: str = ""


@dataclass
class PeriodInput:
    company_work: str
    instruction: str
    school: str
    days: list[DayInput]
    item_ids: list[int]
    on_paper: bool = False


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
    """Field errors keyed "day-YYYY-MM-DD": dates in the period and contract, known places, legal hours."""
    errors: dict[str, str] = {}
    parsed: list[rules.DayHours] = []
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
        if hours is not None and day.place in ABSENT_PLACES and hours > 0:
            errors[key] = _("No hours on a day of absence.")
            continue
        parsed.append(rules.DayHours(day.date, hours, day.place in WORKING_PLACES))
    apprentice = contract.apprentice
    for date, message in rules.working_time_errors(
        parsed, minor_on=lambda d: bool(apprentice.is_minor_on(d))
    ).items():
        errors.setdefault(f"day-{date.isoformat()}", message)
    return errors


def _content(period: RecordPeriod) -> dict:
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
            for d in period.days.order_by("date")
        ],
        "items": sorted(period.items.values_list("pk", flat=True)),
        "submitted_at": period.submitted_at.isoformat() if period.submitted_at else None,
    }


def content_hash(period: RecordPeriod) -> str:
    """SHA-256 of the period's content in canonical JSON (what the signatures protect)."""
    payload = json.dumps(_content(period), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


SECTION_LABELS = {
    "company_work": gettext_lazy("company work"),
    "instruction": gettext_lazy("instruction"),
    "school": gettext_lazy("vocational school"),
}


def repeated_sections(period: RecordPeriod) -> list[str]:
    """Sections whose text repeats another period of the contract word for word (a warning, not an error:
    the record must show what was actually learned)."""
    repeated = []
    others = RecordPeriod.objects.filter(contract=period.contract).exclude(pk=period.pk)
    for field in ("company_work", "instruction", "school"):
        text = " ".join(getattr(period, field).split())
        if len(text) >= 20 and any(" ".join(getattr(o, field).split()) == text for o in others.only(field)):
            repeated.append(str(SECTION_LABELS[field]))
    return repeated


class StaleVersion(ValidationError):
    """The period was saved elsewhere after the caller read it (optimistic locking on `RecordPeriod.version`)."""


@transaction.atomic
def record_period_save(
    *,
    actor: User,
    contract: TrainingContract,
    start: datetime.date,
    data: PeriodInput,
    version: int | None = None,
) -> RecordPeriod:
    """Save a draft (create it on first save). Raises ValidationError with German field messages.

    `version` is the version the writer read (0 before the first save); when another save came in between,
    StaleVersion is raised and nothing is written. The web form and the API always pass it (the API answers
    428 without it); only trusted internal callers (demo data, benchmarks) leave it out."""
    if not permissions.can_write_record(actor, contract):
        raise ValidationError(_("Only the apprentice can write this record while the contract is active."))
    period_start, period_end = period_bounds(contract, start)
    period = RecordPeriod.objects.select_for_update().filter(contract=contract, start=period_start).first()
    if period is not None and period.is_locked:
        raise ValidationError(_("This period has been submitted or signed and can no longer be changed."))
    if version is not None and version != (period.version if period is not None else 0):
        raise StaleVersion(
            _(
                "This period was changed elsewhere in the meantime. Please reload the page; nothing was overwritten."
            )
        )
    errors = validate_days(contract, period_start, period_end, data.days)
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
    period.version += 1
    period.save()
    existing = {d.date: d for d in period.days.all()}
    for day in data.days:
        record_day = existing.get(day.date) or RecordDay(period=period, date=day.date)
        record_day.place = day.place
        record_day.hours = _parse_hours(day.hours)
        record_day.note = day.note[:200]
        record_day.save()
    period.items.set(allowed_items)
    if created:
        audit_record(actor=actor, action="record.create", target=period, summary=str(period))
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


@transaction.atomic
def record_period_submit(*, actor: User, period: RecordPeriod) -> RecordPeriod:
    """The apprentice submits (and thereby signs) a period for review."""
    period = RecordPeriod.objects.select_for_update().get(pk=period.pk)
    if not permissions.can_write_record(actor, period.contract):
        raise ValidationError(_("Only the apprentice can submit this record."))
    if period.state not in {RecordPeriod.State.DRAFT, RecordPeriod.State.RETURNED}:
        raise ValidationError(_("This period has already been submitted."))
    errors = submit_errors(period)
    if errors:
        raise ValidationError(errors)
    period.state = RecordPeriod.State.SUBMITTED
    period.submitted_at = timezone.now()
    period.save(update_fields=["state", "submitted_at", "updated_at"])
    RecordEvent.objects.create(period=period, actor=actor, action=RecordEvent.Action.SUBMITTED)
    audit_record(actor=actor, action="record.submit", target=period, summary=str(period))
    return period


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
    if not permissions.can_review_record(actor, period.contract):
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


def chain_hash(
    *, previous: str, sequence: int, period_id: int, content: str, signer_id: int, at: datetime.datetime
) -> str:
    material = f"{previous}|{sequence}|{period_id}|{content}|{signer_id}|{at.isoformat()}"
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


@transaction.atomic
def record_period_sign(*, actor: User, period: RecordPeriod) -> RecordPeriod:
    """The trainer signs a submitted period: its content hash joins the contract's signature chain."""
    contract = TrainingContract.objects.select_for_update().get(pk=period.contract_id)
    period = RecordPeriod.objects.select_for_update().get(pk=period.pk)
    if not permissions.can_review_record(actor, contract):
        raise ValidationError(_("Only a trainer of this contract can sign the record."))
    if period.state != RecordPeriod.State.SUBMITTED:
        raise ValidationError(_("Only a submitted period can be signed."))
    link = contract.trainer_links.get(trainer=actor)
    now = timezone.now()
    digest = content_hash(period)
    last = RecordSignature.objects.filter(contract=contract).order_by("-sequence").first()
    sequence = (last.sequence + 1) if last else 1
    previous = last.chain_hash if last else ""
    RecordSignature.objects.create(
        contract=contract,
        period=period,
        sequence=sequence,
        signer=actor,
        signer_kind=link.kind,
        signed_at=now,
        content_hash=digest,
        previous_hash=previous,
        chain_hash=chain_hash(
            previous=previous,
            sequence=sequence,
            period_id=period.pk,
            content=digest,
            signer_id=actor.pk,
            at=now,
        ),
    )
    period.state = RecordPeriod.State.SIGNED
    period.signed_at = now
    period.signed_by = actor
    period.content_hash = digest
    period.return_comment = ""
    period.save(
        update_fields=["state", "signed_at", "signed_by", "content_hash", "return_comment", "updated_at"]
    )
    comment = _("signed as substitute") if link.kind == ContractTrainer.Kind.SUBSTITUTE else ""
    RecordEvent.objects.create(period=period, actor=actor, action=RecordEvent.Action.SIGNED, comment=comment)
    audit_record(
        actor=actor, action="record.sign", target=period, summary=str(period), changes={"hash": digest}
    )
    return period


def record_periods_sign(*, actor: User, periods: list[RecordPeriod]) -> list[RecordPeriod]:
    """Bulk sign: each period is signed on its own; one that cannot be signed does not stop the others."""
    signed = []
    for period in periods:
        try:
            signed.append(record_period_sign(actor=actor, period=period))
        except ValidationError:
            continue
    return signed


@transaction.atomic
def record_period_reopen(*, actor: User, period: RecordPeriod, reason: str) -> RecordPeriod:
    """A trainer reopens a signed period for correction. The signature stays in the chain; the audit log and
    the period's history say who reopened it and why."""
    return _send_back(
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


@transaction.atomic
def record_acknowledge(*, actor: User, contract: TrainingContract, up_to: datetime.date):
    """A legal guardian acknowledges having seen the record up to a date."""
    from .models import GuardianAcknowledgement

    if not permissions.can_acknowledge_record(actor, contract):
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


# --- verification --------------------------------------------------------------------------------------------


def verify_contract(contract: TrainingContract) -> list[str]:
    """Problems with the signature chain of a contract (empty when intact)."""
    problems: list[str] = []
    previous = ""
    expected_sequence = 1
    latest: dict[int, RecordSignature] = {}
    for signature in RecordSignature.objects.filter(contract=contract).order_by("sequence"):
        if signature.sequence != expected_sequence:
            problems.append(f"signature #{expected_sequence} is missing (next found: #{signature.sequence})")
        if signature.previous_hash != previous:
            problems.append(f"signature #{signature.sequence} does not link to the signature before it")
        recomputed = chain_hash(
            previous=signature.previous_hash,
            sequence=signature.sequence,
            period_id=signature.period_id,
            content=signature.content_hash,
            signer_id=signature.signer_id,
            at=signature.signed_at,
        )
        if recomputed != signature.chain_hash:
            problems.append(f"signature #{signature.sequence} has been altered")
        previous = signature.chain_hash
        expected_sequence = signature.sequence + 1
        latest[signature.period_id] = signature
    signed = RecordPeriod.objects.filter(contract=contract, state=RecordPeriod.State.SIGNED)
    for period in signed.prefetch_related("days", "items"):
        found = latest.get(period.pk)
        label = f"{period.start:%d.%m.%Y}–{period.end:%d.%m.%Y}"
        if found is None:
            problems.append(f"period {label} is marked signed but has no signature")
        elif content_hash(period) != found.content_hash or period.content_hash != found.content_hash:
            problems.append(f"period {label} was changed after it was signed")
    return problems


def last_signature_sequence(contract: TrainingContract) -> int:
    return RecordSignature.objects.filter(contract=contract).aggregate(m=Max("sequence"))["m"] or 0
