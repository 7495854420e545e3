"""Tamper evidence of the training record: keyed signature links, the anchor log of chain heads, verification.

Threat model. Someone holds a copy of the database or can write to it (a leaked backup, an administrator, an
SQL injection elsewhere), but not the signing key and not the anchor log, which both live outside the
database. Such a person must not be able to (1) rewrite a signed period and recompute its hashes, (2) set a
signed period back to draft, (3) delete the last signatures of a chain, or (4) overwrite a signed version by
reopening it, without `ausbildung records verify` (and the public verification page) noticing.

Which key, and why. Each link of a contract's signature chain is an HMAC-SHA256 under a server key
(`RECORD_SIGNING_KEYS`, configured like SECRET_KEY, never stored in the database; the key id is stored on each
signature, so keys can be rotated: a new key is put first, the old ones stay to verify). A plain SHA-256, as
before, can be recomputed by anyone who can write the rows; an HMAC cannot without the key. Not per-signer
keys: trainers have no key management (no smart cards, no PKI), a key in the browser would be as safe as the
trainer's laptop, and the attacker we defend against here holds the database, which a server key outside it
defeats. Per-signer keys (qualified electronic signatures, a chamber PKI) would be a later step on top of
this chain. Without RECORD_SIGNING_KEYS the key is derived from SECRET_KEY under its own label (key id
"sk-" + fingerprint): good enough outside the database too, but production should set its own key, keep it
out of database backups, and keep the old key configured when SECRET_KEY changes.

Legacy signatures. Links made before keyed signatures (key id "") stay as they were: evidence is not
rewritten, and re-signing them now with the key would vouch for content the key never saw. `verify` recomputes
their plain SHA-256 and counts them as legacy, never as keyed; a legacy link after a keyed one is a downgrade
and reported as such. `records seal-legacy` anchors them in the anchor log once after the upgrade.

The anchor log. A database holder can still delete the newest links (or a whole chain), or mark a signed
period as a draft: nothing inside the database contradicts that. So every signature and every reopening
appends one JSON line to `RECORD_ANCHOR_LOG`, outside the database, after the transaction commits: time,
contract, sequence, period, chain head, key id. Each line carries the SHA-256 of the line before it and an
HMAC of itself, so an edited, inserted or removed line is noticed too (only cutting the file's tail is not:
keep it on append-only storage). If the line cannot be written, the signature stands and the error is logged;
`verify` then reports the signature as missing from the log.

Verification codes. An export states the head of the chain (sequence and chain hash) and prints its first 80
bits as a code (`RecordSignature.code`); the public page `records:verify` takes the code, or the exported JSON,
and says whether the signed periods it covers are unchanged, naming the differences by period and sequence
only, never a name.
"""

from __future__ import annotations

import datetime
import fcntl
import hashlib
import hmac
import json
import logging
import os
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ausbildung.core.models import TrainingContract

from .models import RecordEvent, RecordPeriod, RecordSignature

logger = logging.getLogger(__name__)

CODE_LENGTH = 20  # hex digits of the chain head an export prints (80 bits: not guessable)
ANCHOR_VERSION = 1
SIGN = "sign"
REOPEN = "reopen"
SEAL = (
    "seal"  # a legacy link anchored afterwards (`records seal-legacy`): checked like a signature from then on
)
# A whole book erased after its retention period (records.privacy.book_erase): sequence and head are those of
# the last link; `verify` accepts the contract's absence from the database only with this line.
ERASE = "erase"


# --- keys ------------------------------------------------------------------------------------------------------


class UnknownKey(KeyError):
    """A signature names a key that is not configured (removed from RECORD_SIGNING_KEYS?)."""


def signing_keys() -> dict[str, bytes]:
    return {key_id: secret.encode() for key_id, secret in settings.RECORD_SIGNING_KEYS}


def current_key_id() -> str:
    return settings.RECORD_SIGNING_KEYS[0][0]


def _key(key_id: str) -> bytes:
    try:
        return signing_keys()[key_id]
    except KeyError:
        raise UnknownKey(key_id) from None


# --- content and links -----------------------------------------------------------------------------------------


def canonical(data: dict[str, Any]) -> bytes:
    """The one JSON serialisation that hashes are taken of (sorted keys, no spaces, UTF-8)."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def content_digest(content: dict[str, Any]) -> str:
    """SHA-256 of a period's canonical content: what the signature's HMAC covers."""
    return hashlib.sha256(canonical(content)).hexdigest()


def link_hash(
    *,
    key_id: str,
    previous: str,
    sequence: int,
    period_id: int,
    content: str,
    signer_id: int,
    at: datetime.datetime,
) -> str:
    """A link of the chain: HMAC-SHA256 under the key `key_id`; a plain SHA-256 for legacy links (key id "")."""
    fields = f"{previous}|{sequence}|{period_id}|{content}|{signer_id}|{at.isoformat()}"
    if not key_id:
        return hashlib.sha256(fields.encode("utf-8")).hexdigest()
    return hmac.new(_key(key_id), f"v2|{key_id}|{fields}".encode(), hashlib.sha256).hexdigest()


def code_of(chain_hash: str) -> str:
    return chain_hash[:CODE_LENGTH]


def format_code(code: str) -> str:
    """A verification code in groups of four, as printed: "3f2a-9c1b-77de-0a45-b6c2"."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def parse_code(raw: str) -> str | None:
    """The code typed or scanned (any case, with or without dashes and spaces), or None if malformed."""
    code = re.sub(r"[\s-]", "", raw or "").lower()
    return code if re.fullmatch(f"[0-9a-f]{{{CODE_LENGTH}}}", code) else None


# --- the anchor log --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Anchor:
    """One line of the anchor log."""

    line: int
    kind: str  # SIGN | REOPEN
    at: str
    contract: int
    sequence: int
    period: int
    head: str
    key_id: str


def anchor_path() -> Path:
    return Path(settings.RECORD_ANCHOR_LOG)


def _line_mac(record: dict[str, Any], key_id: str) -> str:
    return hmac.new(_key(key_id), canonical(record), hashlib.sha256).hexdigest()


def _last_line(handle: Any) -> bytes:
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    handle.seek(max(0, size - 8192))
    lines = [line for line in handle.read().split(b"\n") if line.strip()]
    return lines[-1] if lines else b""


def anchor_append(*, kind: str, contract_id: int, sequence: int, period_id: int, head: str) -> None:
    """Append one line to the anchor log (under an exclusive lock; fsynced). Raises OSError on failure."""
    path = anchor_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    key_id = current_key_id()
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            last = _last_line(handle)
            record = {
                "v": ANCHOR_VERSION,
                "kind": kind,
                "at": timezone.now().isoformat(),
                "contract": contract_id,
                "sequence": sequence,
                "period": period_id,
                "head": head,
                "key": key_id,
                "prev": hashlib.sha256(last).hexdigest() if last else "",
            }
            record["mac"] = _line_mac(record, key_id)
            handle.seek(0, os.SEEK_END)
            handle.write(canonical(record) + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def anchor_on_commit(*, kind: str, contract_id: int, sequence: int, period_id: int, head: str) -> None:
    """Write the anchor line once the transaction has committed; a failed write is logged, never raised (the
    signature stands; `records verify` reports it as missing from the log)."""

    def write() -> None:
        try:
            anchor_append(
                kind=kind, contract_id=contract_id, sequence=sequence, period_id=period_id, head=head
            )
        except (OSError, UnknownKey):
            logger.exception(
                "could not write the record anchor log %s (contract %s, signature #%s)",
                anchor_path(),
                contract_id,
                sequence,
            )

    transaction.on_commit(write)


@dataclass
class AnchorLog:
    """What the anchor log files say, grouped by contract, and what is wrong with the files themselves."""

    paths: list[Path]
    found: bool = False
    problems: list[str] = field(default_factory=list)
    signs: dict[int, dict[int, Anchor]] = field(default_factory=lambda: defaultdict(dict))
    reopens: dict[int, set[tuple[int, int]]] = field(default_factory=lambda: defaultdict(set))
    erasures: dict[int, Anchor] = field(default_factory=dict)

    def contracts(self) -> set[int]:
        return set(self.signs) | set(self.reopens) | set(self.erasures)

    def erased(self, contract_id: int) -> Anchor | None:
        """The recorded erasure of a contract's book, when it covers every link the log has of it."""
        erasure = self.erasures.get(contract_id)
        if erasure is None:
            return None
        last = max(self.signs.get(contract_id, {0: None}))
        return erasure if erasure.sequence >= last else None

    def find_head(self, code: str) -> Anchor | None:
        for entries in self.signs.values():
            for anchor in entries.values():
                if anchor.head.startswith(code):
                    return anchor
        return None


def anchor_read(paths: Iterable[Path] | None = None) -> AnchorLog:
    """Read and check the anchor log (the configured file, or the files given, e.g. rotated ones)."""
    log = AnchorLog(paths=list(paths) if paths is not None else [anchor_path()])
    keys = signing_keys()
    for path in log.paths:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            continue
        log.found = True
        previous = b""
        for number, line in enumerate(raw.split(b"\n"), start=1):
            if not line.strip():
                continue
            where = f"{path.name}:{number}"
            try:
                record = json.loads(line)
                mac = record.pop("mac")
                anchor = Anchor(
                    line=number,
                    kind=str(record["kind"]),
                    at=str(record["at"]),
                    contract=int(record["contract"]),
                    sequence=int(record["sequence"]),
                    period=int(record["period"]),
                    head=str(record["head"]),
                    key_id=str(record["key"]),
                )
            except (ValueError, KeyError, TypeError, AttributeError):
                log.problems.append(_("anchor log line %(line)s is not readable") % {"line": where})
                previous = line
                continue
            expected_prev = hashlib.sha256(previous).hexdigest() if previous else ""
            if record.get("prev") != expected_prev:
                log.problems.append(
                    _(
                        "anchor log line %(line)s does not follow the line before it (a line was removed or inserted)"
                    )
                    % {"line": where}
                )
            key = keys.get(anchor.key_id)
            if key is None:
                log.problems.append(
                    _("anchor log line %(line)s is signed with key %(key)s, which is not configured")
                    % {"line": where, "key": anchor.key_id}
                )
            elif not hmac.compare_digest(mac, hmac.new(key, canonical(record), hashlib.sha256).hexdigest()):
                log.problems.append(_("anchor log line %(line)s has been altered") % {"line": where})
            elif anchor.kind in {SIGN, SEAL}:
                log.signs[anchor.contract][anchor.sequence] = anchor
            elif anchor.kind == REOPEN:
                log.reopens[anchor.contract].add((anchor.period, anchor.sequence))
            elif anchor.kind == ERASE:
                log.erasures[anchor.contract] = anchor
            previous = line
    return log


# --- verification ----------------------------------------------------------------------------------------------


def period_label(period: RecordPeriod) -> str:
    if period.start == period.end:
        return f"{period.start:%d.%m.%Y}"
    return f"{period.start:%d.%m.%Y}–{period.end:%d.%m.%Y}"


@dataclass
class ChainReport:
    """The result of checking one contract's chain: problems (tampering or gaps) and legacy links."""

    problems: list[str] = field(default_factory=list)
    legacy: int = 0
    signatures: list[RecordSignature] = field(default_factory=list)


def check_contract(contract: TrainingContract, *, anchors: AnchorLog | None = None) -> ChainReport:
    """Check a contract's signature chain in the database, and against the anchor log when one is given.

    Finds: links altered or recomputed without the key (HMAC), missing or unlinked links, legacy links after
    keyed ones (downgrade), signed versions that no longer match their hash, signed periods whose content
    changed, periods set back from signed without a recorded reopening, and with the log: links the log has and
    the database lacks (truncation), links that differ from the log, keyed links the log lacks, reopenings the
    log lacks."""
    from .services import content_hash  # the period's current content, as signed

    report = ChainReport()
    problems = report.problems
    keys = signing_keys()
    previous = ""
    expected_sequence = 1
    keyed_seen = False
    latest: dict[int, RecordSignature] = {}
    signatures = list(RecordSignature.objects.filter(contract=contract).order_by("sequence"))
    report.signatures = signatures
    for signature in signatures:
        number = {"number": signature.sequence}
        if signature.sequence != expected_sequence:
            problems.append(
                _("signature #%(missing)s is missing (next found: #%(number)s)")
                % {"missing": expected_sequence, **number}
            )
        if signature.previous_hash != previous:
            problems.append(_("signature #%(number)s does not link to the signature before it") % number)
        previous = signature.chain_hash
        expected_sequence = signature.sequence + 1
        latest[signature.period_id] = signature
        if signature.is_legacy:
            if keyed_seen:
                problems.append(
                    _(
                        "signature #%(number)s is unkeyed although keyed signatures came before it (downgraded)"
                    )
                    % number
                )
            else:
                report.legacy += 1
        else:
            keyed_seen = True
            if signature.key_id not in keys:
                problems.append(
                    _("signature #%(number)s was made with key %(key)s, which is not configured")
                    % {**number, "key": signature.key_id}
                )
                continue
            if signature.content is None:
                problems.append(_("signature #%(number)s has lost its signed version") % number)
            elif content_digest(signature.content) != signature.content_hash:
                problems.append(_("the signed version in signature #%(number)s has been altered") % number)
        recomputed = link_hash(
            key_id=signature.key_id,
            previous=signature.previous_hash,
            sequence=signature.sequence,
            period_id=signature.period_id,
            content=signature.content_hash,
            signer_id=signature.signer_id,
            at=signature.signed_at,
        )
        if not hmac.compare_digest(recomputed, signature.chain_hash):
            problems.append(_("signature #%(number)s has been altered") % number)
    periods = (
        RecordPeriod.objects.filter(contract=contract)
        .filter(Q(state=RecordPeriod.State.SIGNED) | Q(pk__in=list(latest)))
        .prefetch_related(
            "days",
            "items",
            Prefetch(
                "events",
                queryset=RecordEvent.objects.filter(action=RecordEvent.Action.REOPENED),
                to_attr="reopenings",
            ),
        )
        .order_by("start")
    )
    logged = anchors.signs.get(contract.pk, {}) if anchors is not None else {}
    for period in periods:
        found = latest.get(period.pk)
        label = {"period": period_label(period)}
        if period.state == RecordPeriod.State.SIGNED:
            if found is None:
                problems.append(_("period %(period)s is marked signed but has no signature") % label)
            elif content_hash(period) != found.content_hash or period.content_hash != found.content_hash:
                problems.append(_("period %(period)s was changed after it was signed") % label)
            continue
        if found is None:  # not signed and never signed: not selected, but be safe
            continue
        reopenings: list[RecordEvent] = getattr(period, "reopenings", [])
        if not any(event.created_at >= found.signed_at for event in reopenings):
            problems.append(
                _(
                    "period %(period)s is no longer signed, but no reopening was recorded (signature #%(number)s)"
                )
                % {**label, "number": found.sequence}
            )
        elif (
            anchors is not None
            and found.sequence in logged
            and (period.pk, found.sequence) not in anchors.reopens.get(contract.pk, set())
        ):
            problems.append(
                _(
                    "period %(period)s is no longer signed, but the anchor log has no reopening (signature #%(number)s)"
                )
                % {**label, "number": found.sequence}
            )
    if anchors is not None:
        by_sequence = {s.sequence: s for s in signatures}
        for sequence, anchor in sorted(logged.items()):
            stored = by_sequence.get(sequence)
            if stored is None:
                problems.append(
                    _(
                        "signature #%(number)s is in the anchor log but not in the database (the chain was cut back or a link deleted)"
                    )
                    % {"number": sequence}
                )
            elif stored.chain_hash != anchor.head or stored.period_id != anchor.period:
                problems.append(_("signature #%(number)s differs from the anchor log") % {"number": sequence})
        for signature in signatures:
            if not signature.is_legacy and signature.sequence not in logged:
                problems.append(
                    _(
                        "signature #%(number)s is missing from the anchor log (the log could not be written, or the link was added in the database)"
                    )
                    % {"number": signature.sequence}
                )
    return report


def seal_legacy(contract: TrainingContract, *, anchors: AnchorLog) -> int:
    """Anchor a contract's legacy links (made before keyed signatures and the anchor log) in the anchor log, so
    that cutting them back or setting their periods back to draft is noticed from now on. The database is
    trusted as it is now, so a contract whose chain has problems is not sealed (ValueError). Reopenings the
    database records for legacy links are anchored too. Returns the number of lines written."""
    report = check_contract(contract, anchors=anchors)
    if report.problems:
        raise ValueError(report.problems[0])
    logged = anchors.signs.get(contract.pk, {})
    reopened = anchors.reopens.get(contract.pk, set())
    latest = {link.period_id: link for link in report.signatures}
    written = 0
    for link in report.signatures:
        if link.is_legacy and link.sequence not in logged:
            anchor_append(
                kind=SEAL,
                contract_id=contract.pk,
                sequence=link.sequence,
                period_id=link.period_id,
                head=link.chain_hash,
            )
            written += 1
    not_signed = RecordPeriod.objects.filter(pk__in=list(latest)).exclude(state=RecordPeriod.State.SIGNED)
    for period_id in not_signed.values_list("pk", flat=True):
        link = latest[period_id]
        if link.is_legacy and (period_id, link.sequence) not in reopened:
            anchor_append(
                kind=REOPEN,
                contract_id=contract.pk,
                sequence=link.sequence,
                period_id=period_id,
                head=link.chain_hash,
            )
            written += 1
    return written


def verify_contract(contract: TrainingContract, *, anchors: AnchorLog | None = None) -> list[str]:
    """Problems with the signature chain of a contract (empty when intact); legacy links are no problem."""
    return check_contract(contract, anchors=anchors).problems


def chain_head(contract: TrainingContract) -> RecordSignature | None:
    """The newest link of the contract's chain (its head), without the stored content."""
    return RecordSignature.objects.filter(contract=contract).defer("content").order_by("-sequence").first()


def chain_head_of_period(period: RecordPeriod) -> RecordSignature | None:
    """The newest link of a period (the version last signed), without the stored content."""
    return RecordSignature.objects.filter(period=period).defer("content").order_by("-sequence").first()
