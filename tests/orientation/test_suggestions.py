"""The suggestions of the check result on a realistic sample: 32 occupations whose interest profiles are derived
(orientation.derive) from the lines of their Ausbildungsberufsbild as the catalogue stores them."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from django.utils import translation

from ausbildung.core.models import Occupation, ProfilePosition
from ausbildung.orientation.check import result
from ausbildung.orientation.derive import derive_interest_profiles
from ausbildung.orientation.riasec import DIMENSIONS

SAMPLE = json.loads((Path(__file__).parent / "suggestion_sample.json").read_text(encoding="utf-8"))
WORDS = re.compile(r"[A-Za-zÄÖÜäöüß]+")

# Answer patterns: six scores 0..1 as items.score gives them.
PATTERNS = {
    "practical": {"R": 1.0, "I": 0.1, "A": 0.1, "S": 0.1, "E": 0.1, "C": 0.1},
    "social": {"R": 0.1, "I": 0.1, "A": 0.1, "S": 1.0, "E": 0.1, "C": 0.1},
    "office": {"R": 0.1, "I": 0.2, "A": 0.1, "S": 0.2, "E": 0.6, "C": 0.9},
    "creative": {"R": 0.2, "I": 0.1, "A": 0.9, "S": 0.4, "E": 0.3, "C": 0.1},
    "researching": {"R": 0.5, "I": 0.9, "A": 0.1, "S": 0.1, "E": 0.1, "C": 0.3},
    "technical-social": {"R": 0.8, "I": 0.3, "A": 0.1, "S": 0.7, "E": 0.2, "C": 0.1},
}


@pytest.fixture
def sample(db):
    Occupation.objects.update(is_active=False)  # only the sample competes (the demo's three stay aside)
    ids = []
    for entry in SAMPLE["occupations"]:
        occupation = Occupation.objects.create(slug=entry["slug"], name=entry["name"])
        ProfilePosition.objects.bulk_create(
            ProfilePosition(occupation=occupation, text=text, position=i)
            for i, text in enumerate(entry["berufsbild"])
        )
        ids.append(occupation.pk)
    derive_interest_profiles(occupation_ids=ids)
    return {entry["slug"]: entry for entry in SAMPLE["occupations"]}


def top_five(pattern: str) -> list[str]:
    return [m.slug for m in result.ranked_matches(PATTERNS[pattern]) if not m.unexpected][:5]


def test_different_answer_patterns_give_visibly_different_top_fives(sample):
    tops = {name: top_five(name) for name in PATTERNS}
    # the sample has 32 occupations, few of them creative ones
    assert all(len(top) >= 4 for top in tops.values()), tops
    names = list(tops)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert len(set(tops[a]) & set(tops[b])) <= 2, (a, b, tops[a], tops[b])


def test_a_practical_and_a_social_pupil_share_none_of_their_top_five(sample):
    practical, social = top_five("practical"), top_five("social")
    assert not set(practical) & set(social)
    assert "probe-tischlausbv" in practical


def test_scores_spread_across_the_bands(sample):
    bands = Counter(m.band for pattern in PATTERNS.values() for m in result.ranked_matches(pattern))
    assert set(bands) == {"very_good", "good", "partly"}, bands
    assert min(bands.values()) >= 3, bands
    # and not everything fits: occupations below "fits partly" are left out
    assert all(len(result.ranked_matches(p)) < len(SAMPLE["occupations"]) for p in PATTERNS.values())


def test_no_more_than_two_of_one_family(sample):
    for pattern in PATTERNS.values():
        families = Counter(result.ranking.family(m.name) for m in result.ranked_matches(pattern))
        assert max(families.values()) <= 2


def test_explanations_are_whole_words_of_the_occupation_or_of_a_fixed_sentence(sample):
    with translation.override("de"):
        fixed = " ".join(str(text) for text in result.LIKES.values())
        fixed += " " + result.explain("x", "x")
        allowed_fixed = set(WORDS.findall(fixed))
        seen = 0
        for pattern in PATTERNS.values():
            for match in result.ranked_matches(pattern):
                assert match.explanation and "…" not in match.explanation
                own = set(WORDS.findall(" ".join(sample[match.slug]["berufsbild"])))
                words = WORDS.findall(match.explanation)
                assert set(words) <= allowed_fixed | own, (match.name, set(words) - allowed_fixed - own)
                assert match.position and match.position in " ".join(sample[match.slug]["berufsbild"])
                assert match.explanation.startswith("Du ")
                seen += 1
        assert seen >= 30


def test_maybe_you_had_not_thought_of_this(sample):
    matches = result.ranked_matches(PATTERNS["technical-social"])
    extra = [m for m in matches if m.unexpected]
    assert extra, [m.name for m in matches]
    top = [m for m in matches if not m.unexpected]
    assert all(m.band in {"very_good", "good"} for m in extra)
    assert not {result.ranking.family(m.name) for m in extra} & {result.ranking.family(m.name) for m in top}


def test_pupil_profile_dimensions_cover_all_six():
    assert set(PATTERNS["practical"]) == set(DIMENSIONS)
