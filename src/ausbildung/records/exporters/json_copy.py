"""The record book as JSON: an open, self-describing personal copy the apprentice keeps, e.g. when changing
company.

Format "ausbildung.record-book", version 2 (version 1 had no "chain", "signatures" or "key_id", and its chain
hashes were plain SHA-256), made by `export_dict(contract) -> dict`. Keys are English and stable; texts are as
written. Dates are ISO 8601 (YYYY-MM-DD), times ISO 8601 with offset, hours are decimal strings with two places
("7.50", never floats), empty values are null::

        {
          "format": "ausbildung.record-book",
          "version": 2,
          "exported_at": "2026-03-02T10:15:00+01:00",
          "chain": {"sequence", "head", "key_id",       # the newest link of the signature chain at export
                    "verification_code", "verification_url"} | null,
          "contract": {
            "apprentice": {"name"},
            "occupation": {"name", "slug", "specialisation": {"kind", "name"} | null},
            "regulation": {"title", "abbreviation", "issued_on", "fundstelle"},
            "company": {"name", "address"},
            "site": {"name", "address"},
            "trainers": [{"name", "kind"}],            # kind: main | officer | substitute
            "chamber": {"name"},
            "chamber_registration_number",
            "vocational_school": {"name"} | null,
            "start", "end", "probation_end", "dissolved_on", "status",
            "record_form",                              # weekly | daily
            "record_medium"                             # electronic | written
          },
          "periods": [{                                 # ordered by start
            "start", "end", "form",
            "state",                                    # draft | submitted | returned | signed
            "ended",                                    # its last day had begun when the file was made
            "countable",                                # signed and ended: evidence for the exam admission
            "on_paper",                                 # kept on paper before joining the platform
            "block_week",                               # a block week of the vocational school
            "training_year",
            "sections": {"company_work", "instruction", "school"},
            "days": [{"date", "place", "hours", "note", "lessons"}],
                # place: company | school | external | exam | leave | sick | holiday | free
                # lessons: lessons of at least 45 minutes on a school day, or null
            "items": [{"section", "position", "position_title", "letter", "text"}],
            "submitted_at", "signed_at",
            "signed_by", "signer_kind",                 # name of the trainer who signed; main | officer | substitute
            "content_hash",                             # SHA-256 the signature protects (null unless signed)
            "signature": {"sequence", "signed_at", "signer", "signer_kind", "content_hash",
                          "previous_hash", "chain_hash", "key_id"} | null    # the latest link of the chain
            "signatures": [{same as "signature"}]       # every link of this period, oldest first
          }]
        }

"countable" is false for a signed period whose last day had not begun at the export (BBiG § 43 Abs. 1 Nr. 2:
the record is evidence of what happened; such a signature, from before the platform refused it, is kept as
recorded but does not count). `signed_at`, `signed_by`, `content_hash` are given only for signed periods; a period reopened after signing keeps
its old link in "signature" (the chain is append-only) but is not signed. "key_id" is "" for a legacy link made
before keyed signatures (a plain SHA-256), else the id of the server key of its HMAC. The "chain" is explained
in `exporters.book`.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from ausbildung.core import exports
from ausbildung.core.models import TrainingContract

from .. import rules
from ..models import RecordPeriod, RecordSignature
from .book import book_contract, book_periods, file_name, latest_signature, verification

FORMAT = "ausbildung.record-book"
VERSION = 2


def _hours(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _time(value: datetime.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _name(user) -> str | None:
    return (user.get_full_name() or user.username) if user is not None else None


def _contract_dict(contract: TrainingContract) -> dict:
    occupation = contract.occupation
    specialisation = contract.specialisation
    return {
        "apprentice": {"name": _name(contract.apprentice)},
        "occupation": {
            "name": occupation.name,
            "slug": occupation.slug,
            "specialisation": {"kind": specialisation.kind, "name": specialisation.name}
            if specialisation
            else None,
        },
        "regulation": {
            "title": occupation.regulation_title or None,
            "abbreviation": occupation.jurabk or None,
            "issued_on": _date(occupation.issued_on),
            "fundstelle": occupation.fundstelle or None,
        },
        "company": {"name": contract.company.name, "address": contract.company.address_line or None},
        "site": {"name": contract.site.name, "address": contract.site.address_line or None},
        "trainers": [
            {"name": _name(link.trainer), "kind": link.kind} for link in contract.trainer_links.all()
        ],
        "chamber": {"name": contract.chamber.name},
        "chamber_registration_number": contract.chamber_registration_number or None,
        "vocational_school": {"name": contract.vocational_school.name}
        if contract.vocational_school
        else None,
        "start": _date(contract.start_date),
        "end": _date(contract.end_date),
        "probation_end": _date(contract.probation_end),
        "dissolved_on": _date(contract.dissolved_on),
        "status": contract.status,
        "record_form": contract.record_form,
        "record_medium": contract.record_medium,
    }


def _link_dict(signature: RecordSignature) -> dict:
    return {
        "sequence": signature.sequence,
        "signed_at": _time(signature.signed_at),
        "signer": _name(signature.signer),
        "signer_kind": signature.signer_kind,
        "content_hash": signature.content_hash,
        "previous_hash": signature.previous_hash or None,
        "chain_hash": signature.chain_hash,
        "key_id": signature.key_id,
    }


def _period_dict(contract: TrainingContract, period: RecordPeriod, today: datetime.date) -> dict:
    signed = period.state == RecordPeriod.State.SIGNED
    ended = rules.period_has_ended(period.end, today)
    signature = latest_signature(period)
    return {
        "start": _date(period.start),
        "end": _date(period.end),
        "form": period.form,
        "state": period.state,
        "ended": ended,
        "countable": signed and ended,
        "on_paper": period.on_paper,
        "block_week": period.block_week,
        "training_year": rules.training_year(contract.start_date, period.start),
        "sections": {
            "company_work": period.company_work,
            "instruction": period.instruction,
            "school": period.school,
        },
        "days": [
            {
                "date": _date(day.date),
                "place": day.place,
                "hours": _hours(day.hours),
                "note": day.note,
                "lessons": day.lessons,
            }
            for day in period.days.all()
        ],
        "items": [
            {
                "section": item.framework_position.section_label or None,
                "position": item.framework_position.number,
                "position_title": item.framework_position.title,
                "letter": item.letter,
                "text": item.text,
            }
            for item in period.items.all()
        ],
        "submitted_at": _time(period.submitted_at),
        "signed_at": _time(period.signed_at) if signed else None,
        "signed_by": _name(period.signed_by) if signed else None,
        "signer_kind": signature.signer_kind if signed and signature else None,
        "content_hash": (period.content_hash or None) if signed else None,
        "signature": _link_dict(signature) if signature else None,
        "signatures": [_link_dict(link) for link in period.signatures.all()],
    }


def export_dict(
    contract: TrainingContract, *, base_url: str | None = None, today: datetime.date | None = None
) -> dict:
    """The record book as a JSON-ready dict (see the module docstring); `today` (the local date, by default
    now) decides which periods have ended."""
    today = today or timezone.localdate()
    contract = book_contract(contract)
    periods = book_periods(contract)
    check = verification(periods, base_url)
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": _time(timezone.now()),
        "chain": {
            "sequence": check.head.sequence,
            "head": check.head.chain_hash,
            "key_id": check.head.key_id,
            "verification_code": check.code,
            "verification_url": check.url,
        }
        if check
        else None,
        "contract": _contract_dict(contract),
        "periods": [_period_dict(contract, period, today) for period in periods],
    }


class JsonExporter:
    """A personal copy of the record book in an open format."""

    content_type = "application/json"

    def response(self, request: HttpRequest, contract: TrainingContract) -> HttpResponse:
        data = export_dict(contract, base_url=request.build_absolute_uri("/"))
        content = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
        return exports.download(
            content, content_type=f"{self.content_type}; charset=utf-8", file_name=file_name(contract, "json")
        )
