"""Contract and membership rules, each with the paragraph it comes from."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from ausbildung.core import services
from ausbildung.core.models import AuditLog, Organisation, Role, TrainingContract, TrainingSite, User


@given(
    st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2100, 12, 31)), st.integers(0, 60)
)
def test_add_months_lands_in_the_right_month(day, months):
    result = services.add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day <= day.day  # clamped only at month ends
    if result.day < day.day:
        assert (result + datetime.timedelta(days=1)).day == 1


def contract_kwargs(demo) -> dict:
    company = Organisation.objects.get(name="Saar Systemhaus GmbH (Demo)")
    return {
        "actor": demo["admin"],
        "apprentice": User.objects.create_user("neu", first_name="Neu", last_name="Azubi"),
        "company": company,
        "site": TrainingSite.objects.get(company=company),
        "occupation": TrainingContract.objects.get(apprentice=demo["azubi"]).occupation,
        "chamber": Organisation.objects.get(kind=Organisation.Kind.CHAMBER, chamber_kind="ihk"),
        "start_date": datetime.date(2026, 8, 1),
        "end_date": datetime.date(2029, 7, 31),
        "probation_end": datetime.date(2026, 11, 30),
    }


@pytest.mark.parametrize(
    ("probation_end", "ok"),
    [
        (datetime.date(2026, 8, 31), True),  # exactly one month (BBiG § 20 minimum)
        (datetime.date(2026, 8, 30), False),  # less than one month
        (datetime.date(2026, 11, 30), True),  # exactly four months (BBiG § 20 maximum)
        (datetime.date(2026, 12, 1), False),  # more than four months
    ],
)
def test_probation_between_one_and_four_months_bbig_20(demo, probation_end, ok):
    kwargs = contract_kwargs(demo) | {"probation_end": probation_end}
    if ok:
        assert services.contract_create(**kwargs).probation_end == probation_end
    else:
        with pytest.raises(ValidationError) as excinfo:
            services.contract_create(**kwargs)
        assert "BBiG § 20" in excinfo.value.message_dict["probation_end"][0]


def test_contract_rejects_foreign_site_and_reversed_dates(demo):
    other_site = TrainingSite.objects.get(company__name="Tischlerei Weber (Demo)")
    kwargs = contract_kwargs(demo) | {"site": other_site, "end_date": datetime.date(2026, 7, 1)}
    with pytest.raises(ValidationError) as excinfo:
        services.contract_create(**kwargs)
    assert set(excinfo.value.message_dict) >= {"site", "end_date"}
    assert not TrainingContract.objects.filter(apprentice__username="neu").exists()


def test_contract_create_writes_audit_row(demo):
    contract = services.contract_create(**contract_kwargs(demo))
    row = AuditLog.objects.get(action="contract.create", target_id=str(contract.pk))
    assert row.actor == demo["admin"]
    assert row.target_type == "core.trainingcontract"


def test_contract_dissolve_bbig_22(demo):
    contract = TrainingContract.objects.get(apprentice=demo["azubi2"])
    services.contract_dissolve(
        actor=demo["admin"], contract=contract, on=datetime.date(2025, 3, 1), reason="Aufhebung"
    )
    contract.refresh_from_db()
    assert contract.status == TrainingContract.Status.DISSOLVED
    with pytest.raises(ValidationError):
        services.contract_dissolve(actor=demo["admin"], contract=contract, on=datetime.date(2025, 3, 2))


def test_membership_role_must_fit_organisation_kind(demo):
    school = Organisation.objects.get(kind=Organisation.Kind.SCHOOL)
    with pytest.raises(ValidationError) as excinfo:
        services.membership_create(actor=None, user=demo["schueler"], organisation=school, role=Role.TRAINER)
    assert "organisation" in excinfo.value.message_dict


def test_minor_follows_date_of_birth():
    user = User(date_of_birth=datetime.date(2009, 5, 20))
    assert user.is_minor_on(datetime.date(2027, 5, 19)) is True
    assert user.is_minor_on(datetime.date(2027, 5, 20)) is False
    assert User().is_minor_on(datetime.date(2027, 1, 1)) is None


def test_membership_end_keeps_the_row_ends_the_assignments_and_is_audited(demo):
    from ausbildung.core.models import ContractTrainer, Membership

    membership = Membership.objects.get(user=demo["ausbilder"], role=Role.TRAINER)
    day = datetime.date(2026, 3, 31)
    services.membership_end(actor=demo["admin"], membership=membership, on=day)
    membership.refresh_from_db()
    assert membership.is_active is False
    assert set(
        ContractTrainer.objects.filter(trainer=demo["ausbilder"]).values_list("ended_on", flat=True)
    ) == {day}
    assert AuditLog.objects.filter(action="membership.end", target_id=str(membership.pk)).exists()
    with pytest.raises(ValidationError):
        services.membership_end(actor=demo["admin"], membership=membership, on=day)


def test_contract_trainer_end_brings_the_end_closer_never_later(demo):
    from ausbildung.core.models import ContractTrainer

    link = ContractTrainer.objects.get(trainer=demo["ausbilder"])
    services.contract_trainer_end(actor=demo["admin"], link=link, on=datetime.date(2026, 6, 30))
    services.contract_trainer_end(actor=demo["admin"], link=link, on=datetime.date(2026, 6, 1))
    assert link.ended_on == datetime.date(2026, 6, 1)
    with pytest.raises(ValidationError):
        services.contract_trainer_end(actor=demo["admin"], link=link, on=datetime.date(2026, 6, 15))
    assert AuditLog.objects.filter(action="contract.trainer_end").count() == 2


def test_bbig_11_abs_1_contract_holds_its_facts(demo):
    """BBiG § 11 Abs. 1 Satz 2: the contract names the occupation (Nr. 1), start and duration (Nr. 2), the
    agreed training time (Nr. 4, held per week), the probation (Nr. 5) and the form of the record."""
    kwargs = contract_kwargs(demo) | {"weekly_hours": Decimal("39"), "record_form": "daily"}
    contract = services.contract_create(**kwargs)
    contract.refresh_from_db()
    assert contract.occupation == kwargs["occupation"]
    assert (contract.start_date, contract.end_date) == (kwargs["start_date"], kwargs["end_date"])
    assert contract.probation_end == kwargs["probation_end"]
    assert contract.weekly_hours == Decimal("39")
    assert contract.record_form == TrainingContract.RecordForm.DAILY


def test_bbig_11_abs_1_nr_10_contract_states_the_record_medium(demo):
    """BBiG § 11 Abs. 1 Satz 2 Nr. 10 (text of March 2022): the contract names the form of the Ausbildungsnachweis."""
    written = TrainingContract.RecordMedium.WRITTEN
    contract = services.contract_create(**contract_kwargs(demo) | {"record_medium": written})
    contract.refresh_from_db()
    assert contract.record_medium == written
    assert {value for value, _label in TrainingContract.RecordMedium.choices} == {"written", "electronic"}


def test_bbig_34_chamber_officer_sees_the_contracts_registered_with_the_chamber(demo):
    """BBiG § 34: each chamber keeps the register of the contracts in its area; an officer sees those only."""
    from ausbildung.core.permissions import contracts_visible_to

    kwargs = contract_kwargs(demo)
    ihk_contract = services.contract_create(**kwargs | {"chamber_registration_number": "IHK-1"})
    hwk = Organisation.objects.get(kind=Organisation.Kind.CHAMBER, chamber_kind="hwk")
    other = User.objects.create_user("neu2", first_name="Neu", last_name="Zwei")
    hwk_contract = services.contract_create(**kwargs | {"apprentice": other, "chamber": hwk})
    visible = contracts_visible_to(demo["kammer"])
    assert visible.filter(pk=ihk_contract.pk).exists()
    assert not visible.filter(pk=hwk_contract.pk).exists()
    assert contracts_visible_to(demo["hwk"]).filter(pk=hwk_contract.pk).exists()
