"""The record's share of a backup (core.backup): each contract's chain head at the snapshot, and a copy of the
anchor log marked as a copy. After a restore: the restored heads must be those of the backup, and the chains
are verified like `ausbildung records verify`, against the live anchor log, which a restore never writes (it
is the evidence kept apart from database backups, docs/architecture.md "Evidence of the training record").
Only on a machine that has lost its live log is the backup's copy read instead, and the summary says so: a
copy kept beside the database proves less than the log kept apart from it."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError

from ausbildung.core.backup import BackupPart, PartCheck, register_backup_part

from . import integrity
from .models import RecordSignature

HEADS = "chain-heads.json"
ANCHOR_COPY = "anchor-log.copy"


def _heads_query() -> str:
    meta = RecordSignature._meta
    table = meta.db_table
    contract = meta.get_field("contract").column
    period = meta.get_field("period").column
    return (
        f"SELECT s.{contract}, s.sequence, s.chain_hash, s.{period} FROM {table} s "  # noqa: S608 - model names
        f"WHERE s.sequence = (SELECT MAX(t.sequence) FROM {table} t WHERE t.{contract} = s.{contract}) "
        f"ORDER BY s.{contract}"
    )


def snapshot(cursor: Any) -> dict[str, tuple[bytes, str]]:
    cursor.execute(_heads_query())
    heads = [
        {"contract": int(contract), "sequence": int(sequence), "head": str(head), "period": int(period)}
        for contract, sequence, head, period in cursor.fetchall()
    ]
    files = {
        HEADS: (
            json.dumps(heads, indent=1, sort_keys=True).encode() + b"\n",
            "record chain heads at the snapshot (one per contract)",
        )
    }
    with contextlib.suppress(FileNotFoundError):
        files[ANCHOR_COPY] = (
            integrity.anchor_path().read_bytes(),
            "copy of the anchor log at backup time: never restored; the live log stays the evidence",
        )
    return files


def _verify(*extra: Path) -> tuple[list[str], str | None]:
    out = io.StringIO()
    arguments = ["verify", *(item for path in extra for item in ("--anchor-log", str(path)))]
    try:
        call_command("records", *arguments, stdout=out)
    except CommandError as exc:
        return out.getvalue().splitlines(), str(exc)
    return out.getvalue().splitlines(), None


def after_restore(directory: Path) -> PartCheck:
    problems: list[str] = []
    heads = json.loads((directory / HEADS).read_text(encoding="utf-8"))
    for head in heads:
        restored = (
            RecordSignature.objects.filter(contract_id=head["contract"])
            .order_by("-sequence")
            .values_list("sequence", "chain_hash")
            .first()
        )
        if restored != (head["sequence"], head["head"]):
            problems.append(f"contract {head['contract']}: the restored chain head differs from the backup's")
    copy = directory / ANCHOR_COPY
    if integrity.anchor_path().exists() or not copy.exists():
        lines, error = _verify()
        against = f"the live anchor log {integrity.anchor_path()}"
    else:
        lines, error = _verify(copy)
        against = (
            f"the backup's copy of the anchor log, as the live log {integrity.anchor_path()} is missing "
            "(weaker evidence: the copy was kept beside the database)"
        )
    if error is not None:
        problems.extend(f"records verify: {line}" for line in lines)
        problems.append(f"records verify: {error}")
        return PartCheck(f"record: {len(heads)} chain heads; verified against {against}.", problems)
    verified = lines[-1] if lines else ""
    return PartCheck(
        f"record: {len(heads)} chain heads as in the backup; {verified} (against {against})", problems
    )


def register() -> None:
    register_backup_part(BackupPart(key="records", snapshot=snapshot, after_restore=after_restore))
