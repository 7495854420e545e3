"""The apprentice's own plan in the contract: Fachrichtung/Schwerpunkt and the chosen Wahlqualifikationen
(BBiG § 11 Abs. 1 Nr. 1; the count from the regulation, e.g. ChemikAusbV § 3 Nr. 2), set by the company."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ausbildung.core import services
from ausbildung.core.models import AuditLog, FrameworkPosition, Occupation, TrainingContract
from ausbildung.core.regulations.importer import DEFAULT_DIR, import_files


@pytest.fixture
def chemik_contract(demo) -> TrainingContract:
    import_files([DEFAULT_DIR / "chemikausbv_2009.md"], actor=None)
    chemik = Occupation.objects.get(source_file="chemikausbv_2009.md")
    contract = TrainingContract.objects.get(apprentice=demo["azubi"])
    TrainingContract.objects.filter(pk=contract.pk).update(occupation=chemik, specialisation=None)
    contract.refresh_from_db()
    return contract


def units(contract: TrainingContract) -> list[FrameworkPosition]:
    return list(services.elective_units(contract.occupation))


def test_chemik_3_nr_2_company_chooses_four_electives(client, demo, chemik_contract):
    chosen = units(chemik_contract)[:4]
    client.force_login(demo["betrieb"])
    url = reverse("core:contract_plan", kwargs={"pk": chemik_contract.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert len(units(chemik_contract)) == 20 and "sieht 4 vor" in page.content.decode()
    response = client.post(url, {"electives": [p.pk for p in chosen]})
    assert response.status_code == 302
    assert set(chemik_contract.electives.all()) == set(chosen)
    assert AuditLog.objects.filter(action="contract.plan", target_id=str(chemik_contract.pk)).exists()
    detail = client.get(reverse("core:contract_detail", kwargs={"pk": chemik_contract.pk})).content.decode()
    assert chosen[0].title in detail


def test_chemik_3_nr_2_five_electives_are_refused_with_a_german_field_error(client, demo, chemik_contract):
    client.force_login(demo["ausbilder"])  # the contract's trainer
    url = reverse("core:contract_plan", kwargs={"pk": chemik_contract.pk})
    response = client.post(url, {"electives": [p.pk for p in units(chemik_contract)[:5]]})
    assert response.status_code == 200
    assert response.context["form"].errors["electives"] == [
        "Die Ausbildungsordnung (ChemikAusbV 2009) sieht 4 Wahlqualifikationen vor; 5 sind gewählt."
    ]
    assert not chemik_contract.electives.exists()


def test_electives_limited_to_the_occupation(client, demo, chemik_contract):
    compulsory = FrameworkPosition.objects.filter(
        plan__occupation=chemik_contract.occupation, kind="compulsory"
    ).first()
    other = FrameworkPosition.objects.exclude(plan__occupation=chemik_contract.occupation).first()
    client.force_login(demo["betrieb"])
    url = reverse("core:contract_plan", kwargs={"pk": chemik_contract.pk})
    response = client.post(url, {"electives": [compulsory.pk, other.pk]})
    assert response.status_code == 200
    assert "electives" in response.context["form"].errors
    assert not chemik_contract.electives.exists()


def test_specialisation_editable_and_limited_to_the_occupation(client, demo):
    contract = TrainingContract.objects.get(apprentice=demo["azubi"])
    other = (
        contract.occupation.specialisations.exclude(pk=contract.specialisation_id)
        .exclude(kind="einsatzgebiet")
        .first()
    )
    client.force_login(demo["betrieb"])
    url = reverse("core:contract_plan", kwargs={"pk": contract.pk})
    assert client.post(url, {"specialisation": other.pk}).status_code == 302
    contract.refresh_from_db()
    assert contract.specialisation == other
    foreign = (
        Occupation.objects.exclude(pk=contract.occupation_id).filter(specialisations__isnull=False).first()
    )
    if foreign is not None:
        response = client.post(url, {"specialisation": foreign.specialisations.first().pk})
        assert response.status_code == 200 and "specialisation" in response.context["form"].errors


def test_apprentice_and_other_company_cannot_set_the_plan(client, demo, chemik_contract):
    url = reverse("core:contract_plan", kwargs={"pk": chemik_contract.pk})
    client.force_login(demo["azubi"])
    assert client.get(url).status_code == 403
    client.force_login(demo["meister"])  # trainer at another company: does not see the contract
    assert client.get(url).status_code == 404


def test_bbig_11_abs_1_nr_1_an_einsatzgebiet_is_not_the_contracts_specialisation(client, demo):
    """FIAusbV names Einsatzgebiete beside its Fachrichtungen: a field of deployment, not the sachliche
    Gliederung the contract fixes. The form does not offer one, and the service refuses one."""
    contract = TrainingContract.objects.get(apprentice=demo["azubi"])
    area = contract.occupation.specialisations.filter(kind="einsatzgebiet").first()
    assert area is not None
    client.force_login(demo["betrieb"])
    url = reverse("core:contract_plan", kwargs={"pk": contract.pk})
    response = client.post(url, {"specialisation": area.pk})
    assert response.status_code == 200 and "specialisation" in response.context["form"].errors
    with pytest.raises(ValidationError) as excinfo:
        services.contract_set_plan(
            actor=demo["betrieb"], contract=contract, specialisation=area, electives=[]
        )
    assert "Einsatzgebiet" in excinfo.value.message_dict["specialisation"][0]
    contract.refresh_from_db()
    assert contract.specialisation != area
