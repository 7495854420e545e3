"""The public check of an exported record book: is what it shows still what was signed?

Anyone holding an export (the PDF's verification code or the JSON file) may ask; the answer names periods by
their dates and links by their sequence number only, never a person, a company or a text: nothing the holder
does not already have. A code is the first 80 bits of the chain head the export stated (`records.integrity`),
not guessable, so no rate limit is needed to keep outsiders from finding records by trying codes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from . import integrity
from .models import RecordPeriod, RecordSignature
from .services import SECTION_LABELS

UNCHANGED = "unchanged"
CHANGED = "changed"
UNKNOWN = "unknown"


@dataclass
class ExportCheck:
    outcome: str  # UNCHANGED | CHANGED | UNKNOWN
    sequence: int | None = None  # the head the export stated
    signed_at: datetime.datetime | None = None
    covered: int = 0  # signatures in the chain up to that head
    differences: list[str] = field(default_factory=list)


def _label(start: datetime.date, end: datetime.date) -> str:
    return f"{start:%d.%m.%Y}" if start == end else f"{start:%d.%m.%Y}–{end:%d.%m.%Y}"


def check_code(code: str) -> ExportCheck:
    """Check the export whose chain head starts with `code` against the chain as it is now."""
    head = (
        RecordSignature.objects.filter(code=code)
        .select_related("contract")
        .defer("content")
        .order_by("pk")
        .first()
    )
    anchors = integrity.anchor_read()
    if head is None:
        logged = anchors.find_head(code) if anchors.found else None
        if logged is None:
            return ExportCheck(outcome=UNKNOWN)
        return ExportCheck(
            outcome=CHANGED,
            sequence=logged.sequence,
            differences=[
                _(
                    "The signature #%(number)s this export names was issued by the platform but is no longer in its "
                    "database: the record has been tampered with."
                )
                % {"number": logged.sequence}
            ],
        )
    report = integrity.check_contract(head.contract, anchors=anchors if anchors.found else None)
    result = ExportCheck(
        outcome=UNCHANGED, sequence=head.sequence, signed_at=head.signed_at, covered=head.sequence
    )
    result.differences.extend(
        _("The signature chain of this record is damaged: %(problem)s.") % {"problem": problem}
        for problem in report.problems
    )
    result.differences.extend(_changed_since(head, report.signatures))
    if result.differences:
        result.outcome = CHANGED
    return result


def _changed_since(head: RecordSignature, links: list[RecordSignature]) -> list[str]:
    """Periods the export showed as signed that were reopened or signed again since (legitimate corrections,
    but the export no longer shows the current record)."""
    covered = {link.period_id: link for link in links if link.sequence <= head.sequence}
    later: dict[int, RecordSignature] = {}
    for link in links:
        if link.sequence > head.sequence and link.period_id in covered:
            later[link.period_id] = link
    periods = RecordPeriod.objects.filter(pk__in=list(covered)).only("pk", "start", "end", "state")
    differences = []
    for period in sorted(periods, key=lambda p: p.start):
        label = {"period": _label(period.start, period.end), "number": covered[period.pk].sequence}
        if period.pk in later:
            differences.append(
                _(
                    "Period %(period)s (signature #%(number)s) was corrected after this export and signed again on "
                    "%(date)s (signature #%(new)s)."
                )
                % {
                    **label,
                    "date": f"{later[period.pk].signed_at:%d.%m.%Y}",
                    "new": later[period.pk].sequence,
                }
            )
        elif period.state != RecordPeriod.State.SIGNED:
            differences.append(
                _(
                    "Period %(period)s (signature #%(number)s) has been reopened for correction since this export."
                )
                % label
            )
    return differences


class NotAnExport(ValueError):
    """The uploaded file is not a record book exported from this platform."""


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise NotAnExport
    return value


def check_export(data: Any) -> ExportCheck:
    """Check an exported JSON record book: its chain head (as `check_code`), every link it lists against the
    platform's chain, and the text of every period it shows as signed against the signed version."""
    try:
        if not isinstance(data, dict) or data.get("format") != "ausbildung.record-book":
            raise NotAnExport
        chain = data.get("chain")
        if chain is None:
            raise NotAnExport
        code = integrity.parse_code(_str(chain.get("verification_code")))
        if code is None:
            raise NotAnExport
        result = check_code(code)
        if result.outcome == UNKNOWN:
            return result
        head = RecordSignature.objects.filter(code=code).order_by("pk").first()
        if head is None:
            return result
        links = {s.sequence: s for s in RecordSignature.objects.filter(contract_id=head.contract_id)}
        if _str(chain.get("head")) != head.chain_hash:
            result.differences.append(_("The chain head stated in the file differs from the platform's."))
        periods = data.get("periods")
        if not isinstance(periods, list):
            raise NotAnExport
        for period in periods:
            result.differences.extend(_period_differences(period, links))
    except (NotAnExport, AttributeError, TypeError, KeyError, ValueError):
        raise NotAnExport from None
    if result.differences:
        result.outcome = CHANGED
    return result


def _period_differences(period: dict, links: dict[int, RecordSignature]) -> list[str]:
    start, end = parse_date(_str(period["start"])), parse_date(_str(period["end"]))
    if start is None or end is None:
        raise NotAnExport
    label = _label(start, end)
    differences = []
    for link in period.get("signatures") or []:
        sequence = int(link["sequence"])
        ours = links.get(sequence)
        if ours is None:
            differences.append(
                _("Period %(period)s: signature #%(number)s in the file is not in the platform's chain.")
                % {"period": label, "number": sequence}
            )
        elif ours.chain_hash != link.get("chain_hash") or ours.content_hash != link.get("content_hash"):
            differences.append(
                _("Period %(period)s: signature #%(number)s in the file differs from the platform's.")
                % {"period": label, "number": sequence}
            )
    latest = period.get("signature")
    if period.get("state") != RecordPeriod.State.SIGNED or not latest:
        return differences
    ours = links.get(int(latest["sequence"]))
    if ours is None or ours.content is None or ours.chain_hash != latest.get("chain_hash"):
        return differences  # named above; legacy links kept no signed version to compare with
    signed = ours.content
    changed = [
        str(name)
        for key, name in SECTION_LABELS.items()
        if (period.get("sections") or {}).get(key) != signed.get(key)
    ]
    shown_days = [
        [day.get("date"), day.get("place"), day.get("hours"), day.get("note")]
        + ([day["lessons"]] if day.get("lessons") is not None else [])  # as services.period_content
        for day in period.get("days") or []
    ]
    if shown_days != signed.get("days") or [period.get("start"), period.get("end")] != [
        signed.get("start"),
        signed.get("end"),
    ]:
        changed.append(_("days"))
    if changed:
        differences.append(
            _("Period %(period)s: the file differs from the version signed as #%(number)s (%(parts)s).")
            % {"period": label, "number": ours.sequence, "parts": ", ".join(changed)}
        )
    return differences
