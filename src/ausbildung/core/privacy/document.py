"""docs/privacy.md, generated from the registry (`ausbildung privacy document`): the record of processing
activities (Verzeichnis von Verarbeitungstätigkeiten, DSGVO Art. 30) and the accountability of Art. 5 Abs. 2.
`tests/core/test_privacy_document.py` fails when the file differs from this text, or when a model of the
project holds personal data and is neither registered nor declared free of it."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models

from .registry import not_personal_models, personal_data_kinds, registered_models

# Field names that hold personal data wherever they appear (besides links to a person).
PERSONAL_FIELD_NAMES = {
    "first_name",
    "last_name",
    "email",
    "date_of_birth",
    "phone",
    "username",
    "ip_address",
    "user_agent",
    "contact_name",
    "contact_email",
    "contact_phone",
    "guardian_name",
    "session_data",
}

HEADER = """# Personal data (record of processing activities, DSGVO Art. 30 and Art. 5 Abs. 2)

Generated from the registry of personal data by `ausbildung privacy document`; do not edit by hand.
Each app declares its kinds in its own `privacy.py` (`core.privacy.register_personal_data`), registered
from its `AppConfig.ready`; a test fails when this file differs from the registry, or when a model holding
personal data (a link to a person, or personal fields) is neither registered nor listed below as free of it.

## The person's rights

- **Copy (Art. 15, Art. 20):** on the page "Meine Daten" (`/mein-bereich/meine-daten/`) a person downloads a
  ZIP: `manifest.json` (the kinds below, with purpose, legal basis and retention), one JSON file per kind
  under `daten/`, their uploaded documents and, for an apprentice, the record book as PDF under `dateien/`.
  A platform administrator produces the same ZIP for a request received on paper (page
  `/mein-bereich/datenschutz/auskunft/` or `ausbildung privacy export USERNAME OUT.zip`). Every copy writes
  a `privacy.export` audit row (who, for whom, which kinds, how many files).
- **Erasure (Art. 17):** on the same page, confirmed with the password. What may go is erased at once;
  what must be kept (Art. 17 Abs. 3 lit. b and e) stays, and the page says what, until when and why. The
  request is noted on the account; the account is anonymised (username `geloescht-<id>`, names, e-mail and
  date of birth emptied, deactivated) as soon as nothing must be kept any more.
  For a request received on paper, a platform administrator runs `ausbildung privacy erase USERNAME
  --reference R` (without `--yes` it only shows what would stay); the `privacy.erase` row records the
  reference.
- **Daily job:** `ausbildung privacy erase-expired` (cron, daily; `--dry-run` counts only; idempotent) erases
  what has passed its period below and finishes pending erasure requests.

## Audit log and evidence

- The audit log keeps that an erasure happened (`privacy.erase`: kinds and counts; `privacy.erase_expired`
  per run), never what was erased. When an account is anonymised, the person's name, username and e-mail
  address are replaced by `geloescht-<id>` in the summaries and changes of older audit rows; the redaction
  itself is recorded as `privacy.redact` with the number of rows.
- Signed record books are never changed silently: after its period a contract's whole book (periods, days,
  signatures with their chain, events) and the contract are deleted together; a `records.book_erase` audit
  row and an `erase` line in the anchor log (outside the database, keyed like the others) record it, and
  `ausbildung records verify` accepts a contract missing from the database only with that line.
"""


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def render() -> str:
    lines = [HEADER, "## Kinds of personal data", ""]
    for kind in personal_data_kinds():
        lines += [
            f"### {kind.label_de} (`{kind.key}`)",
            "",
            f"{_cell(kind.label)}.",
            "",
            "| | |",
            "|---|---|",
            f"| models | {', '.join(f'`{model}`' for model in kind.models)} |",
            f"| purpose | {_cell(kind.purpose)} |",
            f"| legal basis | {_cell(kind.legal_basis)} |",
            f"| who sees it | {_cell(kind.seen_by)} |",
            f"| retention | {_cell(kind.retention)} |",
            f"| source of the period | {_cell(kind.retention_source)} |",
            f"| linked to the person | {_cell(kind.link)} |",
            f"| copy (Art. 15/20) | {_cell(kind.export_how)} |",
            f"| erasure (Art. 17) | {_cell(kind.erase_how)} |",
            "",
        ]
    lines += ["## Models without personal data", "", "| model | why |", "|---|---|"]
    lines += [f"| `{entry.model}` | {_cell(entry.reason)} |" for entry in not_personal_models()]
    return "\n".join(lines) + "\n"


def links_to_person(model: type[models.Model]) -> bool:
    """A foreign key or one-to-one field to the user model (or the user model itself)."""
    user_model = get_user_model()
    return model is user_model or any(
        f.is_relation and f.related_model is user_model for f in model._meta.concrete_fields
    )


def holds_personal_data(model: type[models.Model]) -> bool:
    """A model links to a person, or has fields that hold personal data by their name."""
    return links_to_person(model) or any(f.name in PERSONAL_FIELD_NAMES for f in model._meta.concrete_fields)


def coverage_problems() -> list[str]:
    """Models of the project that are not declared at all (every model is: registered as personal data, or
    declared free of it with the reason, which must then explain any personal-looking fields, such as an
    organisation's switchboard e-mail); models that link to a person but are declared free of personal data
    (a link to a person is personal data); declarations of models that do not exist (a renamed model)."""
    registered = registered_models()
    not_personal = {entry.model for entry in not_personal_models()}
    problems = []
    labels = set()
    for model in apps.get_models():
        label = model._meta.label
        labels.add(label)
        if label in registered:
            continue
        if label in not_personal:
            if links_to_person(model):
                problems.append(f"{label} links to a person but is declared free of personal data")
            continue
        holds = "holds personal data and " if holds_personal_data(model) else ""
        problems.append(f"{label} {holds}is neither registered as personal data nor declared free of it")
    problems += [
        f"{label} is declared but no such model exists"
        for label in sorted((registered | not_personal) - labels)
    ]
    return problems


def document_path() -> Path:
    return Path(settings.BASE_DIR).parent.parent / "docs" / "privacy.md"
