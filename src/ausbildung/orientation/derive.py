"""The RIASEC interest profile of every training occupation, derived reproducibly from its regulation.

Method (documented for users in docs/domain.md, "Interest codes of occupations (RIASEC)"):

1. The texts of an occupation are the lines of its Ausbildungsberufsbild, the titles of its framework plan
   positions and their lettered skill items; the standard positions every regulation shares (vocational
   training law, the company, safety, environment, digital working world) and optional additional
   qualifications are left out, because they say nothing about this occupation.
2. The editorial lexicon `data/riasec_lexicon.json` lists, per dimension, German word stems with weights.
   A stem matches a lower-cased word that starts with it; a stem written with a leading `*` matches anywhere
   in the word (German compounds). Per word and dimension only the longest matching stem counts.
3. Per stem, the number of matching words `n` is damped to `1 + ln n` and multiplied by the stem's weight;
   a dimension's raw score is the sum over its stems; the six shares are the raw scores divided by their
   total (they add up to 1). The code is `riasec.code_of(shares)`; the evidence lists, per dimension, the
   stems that counted most.

Pure and deterministic: the same texts and lexicon give the same profile. Nothing is typed per occupation.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

from .riasec import DIMENSIONS, code_of

LEXICON_PATH = Path(settings.BASE_DIR) / "data" / "riasec_lexicon.json"
EVIDENCE_STEMS = 5
WORD = re.compile(r"[a-zäöüß][a-zäöüß-]*")


@dataclass(frozen=True)
class Lexicon:
    version: str
    skip_positions: tuple[str, ...]
    # dimension → ((stem, weight, anywhere in the word), …)
    stems: dict[str, tuple[tuple[str, float, bool], ...]]
    _words: dict[str, tuple[tuple[str, str, float], ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def method(self) -> str:
        return f"lexicon {self.version}"

    def skips(self, title: str) -> bool:
        """Whether a position title is one of the standard positions every regulation shares."""
        text = " ".join(title.lower().split())
        return any(text.startswith(prefix) for prefix in self.skip_positions)

    def matches(self, word: str) -> tuple[tuple[str, str, float], ...]:
        """(dimension, stem, weight) for every dimension with a stem matching `word` (the longest one)."""
        found = self._words.get(word)
        if found is None:
            hits = []
            for dimension in DIMENSIONS:
                for stem, weight, anywhere in self.stems[dimension]:
                    if (stem in word) if anywhere else word.startswith(stem):
                        hits.append((dimension, stem, weight))
                        break
            found = self._words[word] = tuple(hits)
        return found


@cache
def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    data = json.loads(path.read_text(encoding="utf-8"))
    stems = {}
    for dimension in DIMENSIONS:
        entries = []
        for stem, weight in data["dimensions"][dimension].items():
            anywhere = stem.startswith("*")
            entries.append((stem.lstrip("*").lower(), float(weight), anywhere))
        # longest first: the first match of a word is its longest matching stem
        stems[dimension] = tuple(sorted(entries, key=lambda e: (-len(e[0]), e[0])))
    return Lexicon(
        version=str(data["version"]),
        skip_positions=tuple(p.lower() for p in data.get("skip_positions", [])),
        stems=stems,
    )


@dataclass(frozen=True)
class Derivation:
    scores: dict[str, float]  # dimension → share, adding up to 1 (all 0 when nothing matched)
    code: str  # three letters; "" when no word of the texts is in the lexicon
    evidence: dict[str, list[list]] = field(default_factory=dict)  # dimension → [[stem, words], …]
    matched_words: int = 0
    method: str = ""


def score_texts(texts: Iterable[str], lexicon: Lexicon | None = None) -> Derivation:
    """The six RIASEC shares of a list of texts (see the module docstring for the method)."""
    lexicon = lexicon or load_lexicon()
    words = Counter(
        word.strip("-") for text in texts for word in WORD.findall(text.lower()) if word.strip("-")
    )
    counts: dict[str, Counter[str]] = {d: Counter() for d in DIMENSIONS}
    weights: dict[str, dict[str, float]] = {d: {} for d in DIMENSIONS}
    matched = 0
    for word, n in sorted(words.items()):
        hits = lexicon.matches(word)
        for dimension, stem, weight in hits:
            counts[dimension][stem] += n
            weights[dimension][stem] = weight
        matched += n if hits else 0
    raw: dict[str, float] = {}
    contributions: dict[str, list[tuple[float, str, int]]] = {}
    for dimension in DIMENSIONS:
        parts = [
            (weights[dimension][stem] * (1 + math.log(n)), stem, n) for stem, n in counts[dimension].items()
        ]
        contributions[dimension] = sorted(parts, key=lambda p: (-p[0], p[1]))
        raw[dimension] = math.fsum(p[0] for p in parts)
    total = math.fsum(raw.values())
    if total <= 0:
        return Derivation(scores=dict.fromkeys(DIMENSIONS, 0.0), code="", evidence={}, method=lexicon.method)
    scores = {d: round(raw[d] / total, 4) for d in DIMENSIONS}
    evidence = {
        d: [[stem, n] for _c, stem, n in contributions[d][:EVIDENCE_STEMS]]
        for d in DIMENSIONS
        if contributions[d]
    }
    return Derivation(
        scores=scores, code=code_of(scores), evidence=evidence, matched_words=matched, method=lexicon.method
    )


# --- storing the profiles ---------------------------------------------------------------------------------------


def occupation_texts(
    lexicon: Lexicon | None = None, occupation_ids: Iterable[int] | None = None
) -> dict[int, list[str]]:
    """Per occupation id, the texts the derivation reads (three queries for the whole catalogue)."""
    from ausbildung.core.models import FrameworkItem, FrameworkPosition, Occupation, ProfilePosition

    lexicon = lexicon or load_lexicon()
    occupations = Occupation.objects.all()
    if occupation_ids is not None:
        occupations = occupations.filter(pk__in=list(occupation_ids))
    texts: dict[int, list[str]] = {pk: [] for pk in occupations.values_list("pk", flat=True)}
    lines = ProfilePosition.objects.filter(occupation_id__in=texts).order_by(
        "occupation_id", "position", "pk"
    )
    for occupation_id, text in lines.values_list("occupation_id", "text"):
        if not lexicon.skips(text):
            texts[occupation_id].append(text)
    positions = FrameworkPosition.objects.filter(plan__occupation_id__in=texts, optional=False).order_by(
        "plan__occupation_id", "position", "pk"
    )
    kept: dict[int, int] = {}
    for pk, occupation_id, title in positions.values_list("pk", "plan__occupation_id", "title"):
        if not lexicon.skips(title):
            kept[pk] = occupation_id
            texts[occupation_id].append(title)
    items = FrameworkItem.objects.filter(framework_position_id__in=kept).order_by(
        "framework_position_id", "position", "pk"
    )
    for position_id, text in items.values_list("framework_position_id", "text"):
        texts[kept[position_id]].append(text)
    return texts


def derive_interest_profiles(*, actor=None, occupation_ids: Iterable[int] | None = None) -> dict[str, int]:
    """(Re)compute the stored OccupationInterestProfile of every occupation (or of the given ones).

    Idempotent: a profile whose scores, code and method are unchanged is not written again; a changed or new
    one is saved and audited. Returns counts: created, updated, unchanged.
    """
    from django.db import transaction
    from django.utils import timezone

    from ausbildung.core.models import Occupation
    from ausbildung.core.services import audit_record

    from .models import OccupationInterestProfile

    lexicon = load_lexicon()
    fields = dict(
        zip(
            DIMENSIONS,
            ("realistic", "investigative", "artistic", "social", "enterprising", "conventional"),
            strict=True,
        )
    )
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        texts = occupation_texts(lexicon, occupation_ids)
        existing = {
            p.occupation_id: p for p in OccupationInterestProfile.objects.filter(occupation_id__in=texts)
        }
        names = dict(Occupation.objects.filter(pk__in=texts).values_list("pk", "name"))
        now = timezone.now()
        to_create, to_update, audits = [], [], []
        for occupation_id, occupation_text in texts.items():
            result = score_texts(occupation_text, lexicon)
            values: dict[str, Any] = {fields[d]: result.scores[d] for d in DIMENSIONS}
            values.update(code=result.code, method=result.method, evidence=result.evidence)
            profile = existing.get(occupation_id)
            if profile is None:
                profile = OccupationInterestProfile(occupation_id=occupation_id, computed_at=now, **values)
                to_create.append(profile)
                counts["created"] += 1
            elif any(getattr(profile, name) != value for name, value in values.items()):
                before = profile.code
                for name, value in values.items():
                    setattr(profile, name, value)
                profile.computed_at = now
                to_update.append(profile)
                audits.append((profile, before))
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
        OccupationInterestProfile.objects.bulk_create(to_create, batch_size=500)
        OccupationInterestProfile.objects.bulk_update(
            to_update, [*fields.values(), "code", "method", "evidence", "computed_at"], batch_size=500
        )
        for profile in to_create:
            audit_record(
                actor=actor,
                action="interest_profile.derive",
                target=profile,
                summary=f"{names.get(profile.occupation_id, '')}: {profile.code} ({profile.method})",
            )
        for profile, before in audits:
            audit_record(
                actor=actor,
                action="interest_profile.derive",
                target=profile,
                summary=f"{names.get(profile.occupation_id, '')}: {before} → {profile.code} ({profile.method})",
                changes={"code": [before, profile.code]},
            )
    return counts


def demo_load(organisations, users) -> None:
    """Demo loader (core.demo.register_demo): profiles for the occupations the demo imported.

    Cheap when nothing is missing (the demo is reloaded before many tests): only occupations without a
    profile trigger a derivation run."""
    from ausbildung.core.models import Occupation

    if Occupation.objects.filter(is_active=True, interest_profile__isnull=True).exists():
        derive_interest_profiles(actor=None)
