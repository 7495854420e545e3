"""Framework-plan coverage of the apprentice's own plan (BBiG § 5 Abs. 1 Nr. 4 with the regulation's structure):
compulsory positions of their specialisation, the chosen Wahlqualifikationen; Zusatzqualifikationen apart
(BBiG § 5 Abs. 2 Nr. 5, § 49)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ausbildung.core.models import FrameworkPosition, Occupation, TrainingContract
from ausbildung.core.regulations.importer import DEFAULT_DIR, import_files
from ausbildung.records import selectors


def contract_in(demo, file: str, specialisation: str = "") -> TrainingContract:
    import_files([DEFAULT_DIR / file], actor=None)
    occupation = Occupation.objects.get(source_file=file)
    contract = TrainingContract.objects.get(apprentice=demo["azubi"])
    spec = occupation.specialisations.get(name=specialisation) if specialisation else None
    TrainingContract.objects.filter(pk=contract.pk).update(occupation=occupation, specialisation=spec)
    contract.refresh_from_db()
    return contract


def sections(rows) -> set[str]:
    return {r.position.section_label for r in rows}


@pytest.mark.django_db
def test_bbig_5_abs_1_nr_4_coverage_only_of_the_own_fachrichtung(demo):
    # MalerLackAusbV 2021: Abschnitt C and F (Fachrichtungen Energieeffizienz- und Gestaltungstechnik,
    # Ausbautechnik und Oberflächengestaltung) have headings over several lines.
    contract = contract_in(demo, "malerlackausbv_2021.md", "Gestaltung und Instandhaltung")
    assert sections(selectors.coverage(contract)) == {"Abschnitt A", "Abschnitt B", "Abschnitt G"}


@pytest.mark.django_db
def test_bbig_5_abs_1_nr_4_svfang_one_common_part_not_five(demo):
    contract = contract_in(demo, "svfangausbv_1997.md", "gesetzliche Unfallversicherung")
    rows = selectors.coverage(contract)
    # Anlage 2 only: its Abschnitt I (17 positions besides group headings) and Abschnitt II (4).
    assert [r.position.section_label for r in rows].count("Abschnitt I") == 17
    assert len(rows) == 21
    assert {r.position.specialisation.name for r in rows} == {"gesetzliche Unfallversicherung"}


@pytest.mark.django_db
def test_chemik_3_coverage_counts_compulsory_and_chosen_electives_only(demo):
    contract = contract_in(demo, "chemikausbv_2009.md")
    compulsory = selectors.coverage(contract)
    assert {r.position.kind for r in compulsory} == {"compulsory"}
    chosen = list(
        FrameworkPosition.objects.filter(plan__occupation=contract.occupation, kind="elective").order_by(
            "position"
        )[:2]
    )
    contract.electives.set(chosen)
    rows = selectors.coverage(contract)
    assert len(rows) == len(compulsory) + 2
    assert {r.position for r in rows if r.position.kind == "elective"} == set(chosen)


@pytest.mark.django_db
def test_bbig_5_abs_2_nr_5_zusatzqualifikation_listed_apart_not_missing(client, demo):
    # FIntMechAusbV: "Abschnitt C: Zusatzqualifikation Additive Fertigungsverfahren".
    contract = contract_in(demo, "fintmechausbv.md")
    assert "Abschnitt C" not in sections(selectors.coverage(contract))
    additional = selectors.coverage(contract, additional=True)
    assert sections(additional) == {"Abschnitt C"} and len(additional) == 3
    client.force_login(demo["azubi"])
    page = client.get(reverse("records:coverage", kwargs={"contract_id": contract.pk})).content.decode()
    assert 'data-testid="coverage-additional"' in page
