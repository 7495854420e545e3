"""The RIASEC profiles of occupations, derived from the text of their regulation with the editorial lexicon."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from ausbildung.core.models import Occupation
from ausbildung.orientation import derive
from ausbildung.orientation.models import OccupationInterestProfile

TECHNICAL = [
    "Montieren und Demontieren von Bauteilen und Baugruppen",
    "Maschinen einrichten, bedienen und warten; Werkzeuge schleifen",
    "Holz und Metall sägen, bohren, fräsen; Rohre verlegen und Anlagen installieren",
]
CARE = [
    "Pflegebedürftige Menschen betreuen, beraten und begleiten",
    "Gespräche mit Patienten, Bewohnern und Angehörigen führen; Kinder und Jugendliche erziehen",
    "Menschen bei der Gesundheitsförderung anleiten und unterstützen",
]


def test_lexicon_is_versioned_and_complete():
    lexicon = derive.load_lexicon()
    assert lexicon.version
    assert lexicon.method == f"lexicon {lexicon.version}"
    assert set(lexicon.stems) == set("RIASEC")
    assert all(lexicon.stems[d] for d in "RIASEC")


def test_scoring_is_deterministic_and_normalised():
    first = derive.score_texts(TECHNICAL + CARE)
    second = derive.score_texts(list(reversed(TECHNICAL + CARE)))
    assert first == second
    assert sum(first.scores.values()) == pytest.approx(1.0, abs=1e-3)
    assert len(first.code) == 3


def test_technical_text_scores_realistic_and_care_text_social():
    technical = derive.score_texts(TECHNICAL)
    care = derive.score_texts(CARE)
    assert technical.code[0] == "R"
    assert care.code[0] == "S"
    assert technical.evidence["R"] and care.evidence["S"]
    assert technical.scores["R"] > 0.5 and care.scores["S"] > 0.5


def test_no_matching_word_gives_no_code():
    result = derive.score_texts(["Lorem ipsum dolor sit amet"])
    assert result.code == ""
    assert set(result.scores.values()) == {0.0}


def test_longest_stem_counts_once_per_word():
    result = derive.score_texts(["Beratung"])
    assert result.evidence["S"] == [["beratung", 1]]


def test_standard_positions_are_left_out():
    lexicon = derive.load_lexicon()
    assert lexicon.skips("Berufsbildung, Arbeits- und Tarifrecht")
    assert lexicon.skips("Sicherheit und Gesundheitsschutz bei der Arbeit")
    assert not lexicon.skips("Herstellen von Teilen und Zusammenbauen zu Erzeugnissen")


@pytest.mark.django_db
def test_demo_occupations_get_plausible_different_codes(demo):
    derive.derive_interest_profiles()
    codes = {
        name: OccupationInterestProfile.objects.get(occupation__name__startswith=name).code
        for name in ("Fachinformatiker", "Tischler", "Kaufmann für Büromanagement")
    }
    assert codes["Tischler"][0] == "R"
    assert codes["Kaufmann für Büromanagement"][0] == "C"
    assert codes["Fachinformatiker"][0] == "I"
    assert len({code[0] for code in codes.values()}) == 3


@pytest.mark.django_db
def test_command_stores_a_profile_for_every_occupation_and_is_idempotent(demo, capsys):
    OccupationInterestProfile.objects.all().delete()
    call_command("derive_interest_profiles")
    assert "created" in capsys.readouterr().out
    assert OccupationInterestProfile.objects.count() == Occupation.objects.count()
    profile = OccupationInterestProfile.objects.first()
    assert profile is not None and profile.method == derive.load_lexicon().method
    assert profile.evidence
    counts = derive.derive_interest_profiles()
    assert counts == {"created": 0, "updated": 0, "unchanged": Occupation.objects.count()}
