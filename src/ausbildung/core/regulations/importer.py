"""Load parsed training regulations into the occupation catalogue (`Occupation`, `FrameworkPlan`, …).

Rules (see docs/domain.md):

- Only training regulations become occupations; amending ordinances (Änderungsverordnungen), trial
  ordinances (Erprobungsverordnungen) and other texts are reported as skipped.
- Versions: regulations are matched to occupations by the occupation's name (gender forms and spacing
  ignored). Of several versions the one with the latest Ausfertigungsdatum wins; older ones are reported as
  superseded, both within one import and against what the database already holds. So an administrator can
  load a newer regulation text later through the same command, and the occupation keeps its URL.
- Idempotent: a file whose text is unchanged (same SHA-256) is not written again. The one exception is
  `Occupation.recognised_under` (the law it is recognised under, added after the first imports): when the
  parser reads a different value than the database holds, just that field is updated, so an existing
  database gets it filled by the next `ausbildung import-regulations` although the files are unchanged
  (reported in `ImportReport.recognition_filled`; no other field and no audit entry is written for it).
  Likewise the parts of the framework plan the parser reads better than it did (each position's
  specialisation and kind – compulsory, elective, additional – and `Occupation.elective_count`) are updated in
  place, position by position, when the text is unchanged, and positions read after the stored ones (annexes
  of Zusatzqualifikationen) are added (`ImportReport.plan_refreshed`): record entries and
  the electives chosen in contracts keep pointing at the same rows.
- A changed text rewrites the plan; the electives chosen in contracts are carried over to the new positions
  of the same section and number.
- Catalogue-wide check: per regulation that names specialisations, the sections of its plan without one
  (`ImportReport.sections_without_specialisation`; such a section is shown to every apprentice).
- Nothing is guessed: what the parser could not read is stored in `Occupation.import_problems` and reported.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from ausbildung.core import services
from ausbildung.core.models import (
    FrameworkItem,
    FrameworkPlan,
    FrameworkPosition,
    Occupation,
    ProfilePosition,
    Specialisation,
    TrainingContract,
)
from ausbildung.core.search import aliases, occupation_search_text

from . import parser

if TYPE_CHECKING:
    from ausbildung.core.models import User

DEFAULT_DIR = Path(settings.BASE_DIR) / "data" / "gesetze" / "ausbildung"

SPECIALISATION_KINDS = {
    "fachrichtung": Specialisation.Kind.FACHRICHTUNG,
    "schwerpunkt": Specialisation.Kind.SCHWERPUNKT,
    "einsatzgebiet": Specialisation.Kind.EINSATZGEBIET,
}


class ImportError_(Exception):
    """A file that cannot be read at all (not UTF-8, missing)."""


@dataclass
class Candidate:
    """One occupation of one regulation file, ready to be written."""

    path: Path
    parsed: parser.ParsedRegulation
    occupation: parser.Occupation
    name_key: str
    slug: str
    sha256: str
    sections: list[parser.PlanSection] = field(default_factory=list)
    profile_positions: list[parser.ProfilePosition] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    files: int = 0
    training_regulations: int = 0
    complete: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    superseded: list[tuple[str, str]] = field(default_factory=list)  # (file, by file or occupation)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, kind)
    incomplete: list[tuple[str, str]] = field(default_factory=list)  # (file, first problem)
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    # Occupations of this import (created, updated or unchanged) per `Occupation.recognised_under` value.
    recognised_under: Counter[str] = field(default_factory=Counter)
    recognition_filled: list[str] = field(
        default_factory=list
    )  # file per unchanged occupation whose law was set
    plan_refreshed: list[str] = field(default_factory=list)  # unchanged files whose plan fields were updated
    # file → (sections without specialisation, sections) for every regulation that names specialisations
    sections_without_specialisation: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def unassigned_sections(self) -> tuple[int, int, int]:
        """(sections without specialisation, sections, regulations) over the regulations with specialisations."""
        values = self.sections_without_specialisation.values()
        return sum(v[0] for v in values), sum(v[1] for v in values), len(values)

    @property
    def completeness(self) -> float:
        """Share of training-regulation files that yield a complete occupation with a framework plan."""
        return self.complete / self.training_regulations if self.training_regulations else 0.0


def name_key(name: str) -> str:
    """'Fachinformatiker/Fachinformatikerin' and 'Fachinformatikerin / Fachinformatiker' → the same key."""
    parts = sorted(re.sub(r"\s+", "", part).lower() for part in name.split("/") if part.strip())
    return "/".join(parts)


def base_slug(slug: str) -> str:
    """The file slug without a version year: 'tischlausbv_2006' → 'tischlausbv'."""
    return re.sub(r"_\d{4}$", "", slug)


def _read(path: Path) -> tuple[str, str]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportError_(f"cannot read: {exc.strerror}") from None
    try:
        return raw.decode("utf-8"), hashlib.sha256(raw).hexdigest()
    except UnicodeDecodeError:
        raise ImportError_("not UTF-8 text") from None


def _candidates(parsed: parser.ParsedRegulation, path: Path, sha256: str) -> list[Candidate]:
    occupations = parsed.occupations or [
        parser.Occupation(parsed.name, parsed.name_male, parsed.name_female, parsed.duration_months)
    ]
    slug = base_slug(parsed.slug or path.stem)
    result = []
    for occupation in occupations:
        if not occupation.name:
            continue
        own_slug = (
            slug if len(occupations) == 1 else f"{slug}-{slugify(occupation.name_male or occupation.name)}"
        )
        sections, positions, problems = select_for_occupation(parsed, occupation)
        result.append(
            Candidate(
                path,
                parsed,
                occupation,
                name_key(occupation.name),
                own_slug[:80],
                sha256,
                sections,
                positions,
                problems,
            )
        )
    return result


def _mentions(text: str, occupation: parser.Occupation) -> bool:
    lowered = text.lower()
    return any(name and name.lower() in lowered for name in (occupation.name_female, occupation.name_male))


def select_for_occupation(
    parsed: parser.ParsedRegulation, occupation: parser.Occupation
) -> tuple[list[parser.PlanSection], list[parser.ProfilePosition], list[str]]:
    """The annex sections and Berufsbild positions of one occupation of a regulation that covers several.

    The parser names the occupation an annex is for (`PlanSection.occupation`); an annex naming none (e.g. "in
    den industriellen Metallberufen") is shared by all. If no annex names any occupation, all are shown and
    this is reported.
    """
    sections = parsed.plan.sections if parsed.plan else []
    if len(parsed.occupations) < 2:
        return sections, parsed.profile_positions, []
    problems = []
    own = [s for s in sections if not s.occupation or name_key(s.occupation) == name_key(occupation.name)]
    if sections and not any(s.occupation for s in sections):
        problems.append(
            "Die Anlagen nennen die einzelnen Berufe nicht; der Ausbildungsrahmenplan wird für alle Berufe "
            "der Verordnung vollständig gezeigt."
        )
    positions = [
        p
        for p in parsed.profile_positions
        if not any(_mentions(p.context, o) for o in parsed.occupations) or _mentions(p.context, occupation)
    ]
    return own, positions, problems


def align_to_section(
    plan_periods: list[str], section_periods: list[str], values: list
) -> tuple[list[str], list]:
    """Re-align per-period values (aligned to the plan's periods) to the periods of the section's own table."""
    if not section_periods or section_periods == plan_periods:
        return plan_periods, values
    if not all(label in plan_periods for label in section_periods):
        return plan_periods, values
    indices = [plan_periods.index(label) for label in section_periods]
    return section_periods, [values[i] if i < len(values) else None for i in indices]


def _newest(candidates: list[Candidate]) -> tuple[Candidate, list[Candidate]]:
    ordered = sorted(
        candidates, key=lambda c: (c.parsed.issued_on is not None, c.parsed.issued_on), reverse=True
    )
    return ordered[0], ordered[1:]


def parse_files(
    paths: Iterable[Path], report: ImportReport, progress: bool = False
) -> Iterator[tuple[Path, parser.ParsedRegulation, str]]:
    items = list(paths)
    if progress:
        from tqdm import tqdm

        items = tqdm(items, desc="Reading regulations", unit="file")
    for path in items:
        report.files += 1
        try:
            text, sha256 = _read(path)
        except ImportError_ as exc:
            report.unreadable.append((path.name, str(exc)))
            continue
        yield path, parser.parse_regulation(text, source_name=path.name), sha256


def import_files(paths: Iterable[Path], *, actor: User | None, progress: bool = False) -> ImportReport:
    report = ImportReport()
    by_key: dict[str, list[Candidate]] = {}
    for path, parsed, sha256 in parse_files(paths, report, progress):
        if parsed.kind != parser.TRAINING_REGULATION:
            report.skipped.append((path.name, parsed.kind))
            continue
        report.training_regulations += 1
        if parsed.specialisations and parsed.plan is not None:
            report.sections_without_specialisation[path.name] = parser.sections_without_specialisation(parsed)
        if parser.is_complete(parsed):
            report.complete += 1
        else:
            report.incomplete.append((path.name, parsed.problems[0] if parsed.problems else "incomplete"))
        for candidate in _candidates(parsed, path, sha256):
            by_key.setdefault(candidate.name_key, []).append(candidate)

    existing = {o.name_key: o for o in Occupation.objects.filter(name_key__in=by_key)}
    now = timezone.now()
    groups = sorted(by_key.items())
    if progress:
        from tqdm import tqdm

        groups = tqdm(groups, desc="Writing occupations", unit="occupation")
    for key, candidates in groups:
        newest, older = _newest(candidates)
        report.superseded.extend((c.path.name, newest.path.name) for c in older)
        current = existing.get(key)
        if (
            current is not None
            and current.issued_on
            and newest.parsed.issued_on
            and current.issued_on > newest.parsed.issued_on
        ):
            report.superseded.append((newest.path.name, current.source_file))
            continue
        report.recognised_under[newest.parsed.recognised_under] += 1
        if current is not None and current.source_sha256 == newest.sha256:
            report.unchanged.append(newest.path.name)
            if current.recognised_under != newest.parsed.recognised_under:
                current.recognised_under = newest.parsed.recognised_under
                current.save(update_fields=["recognised_under"])
                report.recognition_filled.append(newest.path.name)
            if _refresh_plan(current, newest):
                report.plan_refreshed.append(newest.path.name)
            continue
        _write(newest, current, actor=actor, now=now)
        (report.updated if current is not None else report.created).append(newest.path.name)
    return report


def import_directory(
    directory: Path = DEFAULT_DIR, *, actor: User | None, progress: bool = False
) -> ImportReport:
    return import_files(sorted(directory.glob("*.md")), actor=actor, progress=progress)


def _unique_slug(slug: str, occupation: Occupation | None) -> str:
    if occupation is not None:
        return occupation.slug  # keep the URL of an existing occupation
    candidate, n = slug, 2
    while Occupation.objects.filter(slug=candidate).exists():
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


@transaction.atomic
def _write(candidate: Candidate, occupation: Occupation | None, *, actor: User | None, now) -> Occupation:
    parsed, facts = candidate.parsed, candidate.occupation
    values = {
        "name": facts.name,
        "name_male": facts.name_male,
        "name_female": facts.name_female,
        "name_key": candidate.name_key,
        "jurabk": parsed.jurabk[:60],
        "regulation_title": parsed.title[:500],
        "issued_on": parsed.issued_on,
        "fundstelle": parsed.fundstelle[:120],
        "regulation_status": parsed.stand,
        "amended_by": parsed.amended_by,
        "duration_months": facts.duration_months or parsed.duration_months,
        "recognised_under": parsed.recognised_under,
        "elective_count": parsed.elective_count,
        "source_file": candidate.path.name,
        "source_sha256": candidate.sha256,
        "import_problems": list(parsed.problems) + candidate.problems,
        "is_active": True,
        "imported_at": now,
    }
    created = occupation is None
    chosen: dict[int, list[tuple[str, str, str]]] = {}
    if occupation is None:
        occupation = Occupation.objects.create(slug=_unique_slug(candidate.slug, None), **values)
    else:
        for name, value in values.items():
            setattr(occupation, name, value)
        occupation.save()
        # A new version replaces the old text; specialisations are matched by kind and name (contracts refer
        # to them) and only those no longer named and no longer used are removed.
        occupation.profile_positions.all().delete()
        chosen = _chosen_electives(occupation)
        FrameworkPlan.objects.filter(occupation=occupation).delete()
    _write_children(occupation, candidate)
    _restore_electives(occupation, chosen)
    occupation.search_terms = ", ".join(aliases().get(occupation.slug, []))
    occupation.search_text = occupation_search_text(
        slug=occupation.slug,
        names=[occupation.name, occupation.name_male, occupation.name_female],
        jurabk=occupation.jurabk,
        specialisations=[s.name for s in parsed.specialisations],
    )
    occupation.save(update_fields=["search_terms", "search_text"])
    services.audit_record(
        actor=actor,
        action="occupation.import" if created else "occupation.update",
        target=occupation,
        summary=f"{occupation.name} from {candidate.path.name}",
        changes={"issued_on": parsed.issued_on.isoformat() if parsed.issued_on else None},
    )
    return occupation


def _write_children(occupation: Occupation, candidate: Candidate) -> None:
    parsed = candidate.parsed
    existing = {(s.kind, s.name): s for s in occupation.specialisations.all()}
    specialisations = {}
    for index, spec in enumerate(parsed.specialisations):
        kind = SPECIALISATION_KINDS.get(spec.kind.lower(), Specialisation.Kind.OTHER)
        key = (kind, spec.name[:250])
        if key in specialisations:
            continue
        obj = existing.pop(key, None)
        if obj is None:
            obj = Specialisation.objects.create(occupation=occupation, kind=kind, name=key[1], position=index)
        elif obj.position != index:
            obj.position = index
            obj.save(update_fields=["position"])
        specialisations[key] = obj
    for obj in existing.values():
        if not obj.trainingcontract_set.exists():
            obj.delete()
    by_name = {name: obj for (_kind, name), obj in specialisations.items()}
    ProfilePosition.objects.bulk_create(
        ProfilePosition(
            occupation=occupation, number=p.number[:20], text=p.text, group=p.group[:300], position=index
        )
        for index, p in enumerate(candidate.profile_positions)
    )
    if parsed.plan is None or not any(section.positions for section in candidate.sections):
        return
    plan = FrameworkPlan.objects.create(
        occupation=occupation,
        periods=parsed.plan.periods,
        time_unit=parsed.plan.time_unit,
        time_header=parsed.plan.time_header[:300],
    )
    _create_positions(plan, candidate, by_name, skip=0)


def _create_positions(
    plan: FrameworkPlan, candidate: Candidate, by_name: dict[str, Specialisation], *, skip: int
) -> None:
    """The plan's positions with their items, in order; the first `skip` positions exist already."""
    parsed = candidate.parsed
    if parsed.plan is None:
        return
    positions: list[FrameworkPosition] = []
    items: list[list[parser.PlanItem]] = []
    order = 0
    for section in candidate.sections:
        for p in section.positions:
            if order < skip:
                order += 1
                continue
            positions.append(
                FrameworkPosition(
                    plan=plan,
                    section_label=section.label[:60],
                    section_title=section.title[:500],
                    specialisation=by_name.get(section.specialisation),
                    number=p.number[:20],
                    title=p.title,
                    paragraph_ref=p.paragraph_ref[:120],
                    periods=align_to_section(parsed.plan.periods, section.periods, p.weeks)[0],
                    weeks=align_to_section(parsed.plan.periods, section.periods, p.weeks)[1],
                    months=align_to_section(parsed.plan.periods, section.periods, p.months)[1],
                    time_raw=align_to_section(parsed.plan.periods, section.periods, p.time_raw)[1],
                    optional=section.optional,
                    kind=section.kind,
                    intro=p.intro,
                    throughout=p.throughout,
                    is_group=p.is_group,
                    position=order,
                )
            )
            items.append(p.items)
            order += 1
    created = FrameworkPosition.objects.bulk_create(positions)
    FrameworkItem.objects.bulk_create(
        FrameworkItem(framework_position=position, letter=item.letter[:8], text=item.text, position=index)
        for position, position_items in zip(created, items, strict=True)
        for index, item in enumerate(position_items)
    )


def _position_key(position: FrameworkPosition) -> tuple[str, str, str]:
    return position.section_label, position.section_title, position.number


def _chosen_electives(occupation: Occupation) -> dict[int, list[tuple[str, str, str]]]:
    """Per contract of the occupation, its chosen electives by section and number (kept across a new text)."""
    through = TrainingContract.electives.through
    chosen: dict[int, list[tuple[str, str, str]]] = {}
    for link in through.objects.filter(trainingcontract__occupation=occupation).select_related(
        "frameworkposition"
    ):
        chosen.setdefault(link.trainingcontract_id, []).append(_position_key(link.frameworkposition))
    return chosen


def _restore_electives(occupation: Occupation, chosen: dict[int, list[tuple[str, str, str]]]) -> None:
    if not chosen:
        return
    by_key = {
        _position_key(p): p
        for p in FrameworkPosition.objects.filter(
            plan__occupation=occupation, kind=FrameworkPosition.Kind.ELECTIVE
        )
    }
    through = TrainingContract.electives.through
    through.objects.bulk_create(
        through(trainingcontract_id=contract_id, frameworkposition_id=by_key[key].pk)
        for contract_id, keys in chosen.items()
        for key in keys
        if key in by_key
    )


def _refresh_plan(occupation: Occupation, candidate: Candidate) -> bool:
    """Update, in place, what a newer parser reads differently in an unchanged text: each position's
    specialisation and kind, and the occupation's elective count; positions read after the stored ones are
    added. Only when the stored positions are the same ones (same numbers in the same order); True when anything
    changed."""
    specialisations = {s.name: s for s in occupation.specialisations.all()}
    expected = [
        (p.number[:20], specialisations.get(section.specialisation), section.kind, section.optional)
        for section in candidate.sections
        for p in section.positions
    ]
    stored = list(FrameworkPosition.objects.filter(plan__occupation=occupation).order_by("position"))
    changed = False
    if occupation.elective_count != candidate.parsed.elective_count:
        occupation.elective_count = candidate.parsed.elective_count
        occupation.save(update_fields=["elective_count"])
        changed = True
    if not stored or [p.number for p in stored] != [e[0] for e in expected[: len(stored)]]:
        return changed
    if len(expected) > len(stored):
        # Positions the parser now reads after the stored ones (annexes of Zusatzqualifikationen): added.
        _create_positions(stored[0].plan, candidate, specialisations, skip=len(stored))
        changed = True
    updates = []
    for position, (_number, specialisation, kind, optional) in zip(
        stored, expected[: len(stored)], strict=True
    ):
        if (position.specialisation_id, position.kind, position.optional) != (
            specialisation.pk if specialisation else None,
            kind,
            optional,
        ):
            position.specialisation, position.kind, position.optional = specialisation, kind, optional
            updates.append(position)
    FrameworkPosition.objects.bulk_update(updates, ["specialisation", "kind", "optional"])
    return changed or bool(updates)
