"""The copy of a person's data (DSGVO Art. 15 Abs. 3, Art. 20): one ZIP with a JSON file per registered kind,
the person's uploaded documents and, for an apprentice, the record book as PDF (the apps provide the files).

Produced for the person on their own page, or by a platform administrator for a request received on paper
(`ausbildung privacy export USERNAME OUT.zip` or the page `core:privacy_staff_export`). Every copy writes a
`privacy.export` audit row (who asked, for whom, which kinds, how many files: never the content).
"""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from typing import Any

from django.utils import timezone

from ..models import User
from ..services import audit_record
from .registry import personal_data_kinds

FORMAT = "ausbildung.personal-data"
VERSION = 1

README = """Deine Daten / Ihre Daten (DSGVO Art. 15 und Art. 20)

Diese Datei enthält alle Daten, die die Plattform über die Person {username} gespeichert hat (Stand: {at}).

- manifest.json: Übersicht: welche Arten von Daten, wofür, auf welcher Rechtsgrundlage, wie lange sie
  aufbewahrt werden, und welche Dateien dazugehören.
- daten/<art>.json: die Daten selbst, maschinenlesbar (JSON, UTF-8).
- dateien/: hochgeladene Dokumente (Bewerbungsunterlagen, Einwilligungsformulare) und das
  Berichtsheft als PDF.

Mehr dazu: docs/privacy.md der Plattform (Verzeichnis der Verarbeitungstätigkeiten).
"""


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False).encode()


def export_zip(person: User) -> tuple[bytes, dict[str, Any]]:
    """The ZIP (bytes) and its manifest (what it holds, for the audit row)."""
    now = timezone.now()
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": now.isoformat(),
        "person": {"id": person.pk, "username": person.username},
        "kinds": [],
        "files": [],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for kind in personal_data_kinds():
            data = kind.export(person)
            files = list(kind.files(person))
            if data in (None, [], {}) and not files:
                continue
            entry = {
                "key": kind.key,
                "label": kind.label_de,
                "purpose": kind.purpose,
                "legal_basis": kind.legal_basis,
                "retention": f"{kind.retention} ({kind.retention_source})",
            }
            if data not in (None, [], {}):
                entry["file"] = f"daten/{kind.key}.json"
                archive.writestr(
                    entry["file"], _json({"kind": kind.key, "label": kind.label_de, "data": data})
                )
            for file in files:
                path = f"dateien/{file.name}"
                archive.writestr(path, file.content)
                manifest["files"].append({"path": path, "kind": kind.key, "size": len(file.content)})
            manifest["kinds"].append(entry)
        archive.writestr("manifest.json", _json(manifest))
        archive.writestr(
            "LIESMICH.txt",
            README.format(username=person.username, at=timezone.localtime(now).strftime("%d.%m.%Y %H:%M")),
        )
    return buffer.getvalue(), manifest


def export_file_name(person: User, day: datetime.date | None = None) -> str:
    day = day or timezone.localdate()
    return f"meine-daten-{person.pk}-{day.isoformat()}.zip"


def person_export(*, actor: User | None, person: User, reference: str = "") -> bytes:
    """The person's copy, audited as `privacy.export` (by the person, or by staff with the request's
    reference, e.g. "Brief vom 3.12.")."""
    content, manifest = export_zip(person)
    by_self = actor is not None and actor.pk == person.pk
    audit_record(
        actor=actor,
        action="privacy.export",
        target=person,
        summary=f"copy of the data of account #{person.pk} ({'own request' if by_self else 'produced by staff'})",
        changes={
            "kinds": [kind["key"] for kind in manifest["kinds"]],
            "files": len(manifest["files"]),
            "bytes": len(content),
            "reference": reference,
        },
    )
    return content
