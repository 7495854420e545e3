"""The contract's length against the regulation (BBiG § 5 Abs. 1 Nr. 2) and its reasons (§ 7, § 7a, § 8,
§ 21 Abs. 3); part-time training (§ 7a). Service, admin form and API."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from ausbildung.core import services
from ausbildung.core.admin import ContractForm
from ausbildung.core.models import Organisation, TrainingContract, TrainingSite, User

R = TrainingContract.DurationReason
START = datetime.date(2026, 8, 1)


def kwargs(demo, **changes) -> dict:
    company = Organisation.objects.get(name="Saar Systemhaus GmbH (Demo)")
    values = {
        "actor": demo["admin"],
        "apprentice": User.objects.create_user(f"neu{User.objects.count()}", first_name="Neu"),
        "company": company,
        "site": TrainingSite.objects.get(company=company),
        "occupation": TrainingContract.objects.get(apprentice=demo["azubi"]).occupation,  # FIAusbV: 36 months
        "chamber": Organisation.objects.get(kind=Organisation.Kind.CHAMBER, chamber_kind="ihk"),
        "start_date": START,
        "end_date": datetime.date(2029, 7, 31),
        "probation_end": datetime.date(2026, 11, 30),
    }
    return values | changes


def errors_of(demo, **changes) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        services.contract_create(**kwargs(demo, **changes))
    return raised.value.message_dict


def end(months: int) -> datetime.date:
    return services.training_end(START, months)


def test_bbig_5_abs_1_nr_2_regulation_duration_is_36_months_for_the_demo_occupation(demo):
    assert kwargs(demo)["occupation"].duration_months == 36
    assert services.contract_create(**kwargs(demo)).end_date == datetime.date(2029, 7, 31)


def test_bbig_5_abs_1_nr_2_other_length_without_reason_is_a_field_error(demo):
    errors = errors_of(demo, end_date=end(30))
    assert "BBiG § 5 Abs. 1 Nr. 2" in errors["end_date"][0] and "31.07.2029" in errors["end_date"][0]
    errors = errors_of(demo, end_date=end(36) + datetime.timedelta(days=1))
    assert "end_date" in errors


def test_bbig_5_abs_1_nr_2_unknown_regulation_duration_is_not_checked(demo):
    occupation = kwargs(demo)["occupation"]
    occupation.duration_months = None
    occupation.save(update_fields=["duration_months"])
    assert services.contract_create(**kwargs(demo, end_date=end(30))).end_date == end(30)


def test_bbig_8_abs_1_shortening_must_be_shorter(demo):
    contract = services.contract_create(**kwargs(demo, end_date=end(30), duration_reason=R.SHORTENING))
    assert contract.duration_reason == R.SHORTENING
    errors = errors_of(demo, end_date=end(36), duration_reason=R.SHORTENING)
    assert "BBiG § 8 Abs. 1" in errors["end_date"][0]


def test_bbig_7_abs_4_credit_in_steps_of_six_months(demo):
    assert services.contract_create(**kwargs(demo, end_date=end(24), duration_reason=R.CREDIT))
    errors = errors_of(demo, end_date=end(28), duration_reason=R.CREDIT)
    assert "BBiG § 7 Abs. 4" in errors["end_date"][0]
    assert "BBiG § 7" in errors_of(demo, end_date=end(40), duration_reason=R.CREDIT)["end_date"][0]


def test_bbig_8_abs_2_extension_must_be_longer(demo):
    assert services.contract_create(**kwargs(demo, end_date=end(42), duration_reason=R.EXTENSION))
    assert "BBiG § 8 Abs. 2" in errors_of(demo, end_date=end(30), duration_reason=R.EXTENSION)["end_date"][0]


def test_bbig_21_abs_3_retake_extension_at_most_one_year(demo):
    assert services.contract_create(**kwargs(demo, end_date=end(48), duration_reason=R.RETAKE))
    errors = errors_of(demo, end_date=end(48) + datetime.timedelta(days=1), duration_reason=R.RETAKE)
    assert "BBiG § 21 Abs. 3" in errors["end_date"][0]


@pytest.mark.parametrize(
    ("weekly", "full", "months"),
    [
        ("30", "40", 48),  # 25 % less time: 36 / 0.75 = 48 months
        ("32", "40", 45),  # 20 % less: 45 months
        ("27", "40", 53),  # 32.5 % less: 53.33 months, rounded down (§ 7a Abs. 2 Satz 2)
        ("20", "40", 54),  # 50 % less: 72 months, capped at 1.5 x 36 = 54 (§ 7a Abs. 2 Satz 1)
    ],
)
def test_bbig_7a_abs_2_part_time_extends_accordingly_at_most_one_and_a_half_times(demo, weekly, full, months):
    assert services.part_time_months(36, (Decimal(full) - Decimal(weekly)) * 100 / Decimal(full)) == months
    part_time = {
        "duration_reason": R.PART_TIME,
        "weekly_hours": Decimal(weekly),
        "full_time_weekly_hours": Decimal(full),
    }
    contract = services.contract_create(**kwargs(demo, end_date=end(months), **part_time))
    contract.refresh_from_db()
    assert contract.part_time_reduction == (Decimal(full) - Decimal(weekly)) * 100 / Decimal(full)
    wrong = errors_of(demo, end_date=end(36), **part_time)
    assert (
        "BBiG § 7a Abs. 2" in wrong["end_date"][0]
        and end(months).strftime("%d.%m.%Y") in wrong["end_date"][0]
    )


def test_bbig_7a_abs_2_part_time_without_the_reason_is_a_field_error(demo):
    errors = errors_of(
        demo, end_date=end(48), weekly_hours=Decimal("30"), full_time_weekly_hours=Decimal("40")
    )
    assert "BBiG § 7a Abs. 2" in errors["duration_reason"][0]
    errors = errors_of(demo, end_date=end(48), duration_reason=R.PART_TIME)
    assert "BBiG § 7a" in errors["duration_reason"][0]


def test_bbig_7a_abs_1_cut_at_most_50_percent(demo):
    errors = errors_of(
        demo,
        end_date=end(54),
        duration_reason=R.PART_TIME,
        weekly_hours=Decimal("19.5"),
        full_time_weekly_hours=Decimal("40"),
    )
    assert "BBiG § 7a Abs. 1 Satz 3" in errors["weekly_hours"][0] and "20" in errors["weekly_hours"][0]
    errors = errors_of(demo, weekly_hours=Decimal("40"), full_time_weekly_hours=Decimal("40"))
    assert "BBiG § 7a Abs. 1" in errors["weekly_hours"][0]
    errors = errors_of(demo, full_time_weekly_hours=Decimal("40"))
    assert "BBiG § 7a Abs. 1" in errors["weekly_hours"][0]


def test_bbig_7a_abs_3_and_4_part_time_to_the_next_exam_or_shortened(demo):
    part_time = {"weekly_hours": Decimal("30"), "full_time_weekly_hours": Decimal("40")}
    assert services.contract_create(
        **kwargs(demo, end_date=end(50), duration_reason=R.PART_TIME_EXAM, **part_time)
    )
    errors = errors_of(demo, end_date=end(48), duration_reason=R.PART_TIME_EXAM, **part_time)
    assert "BBiG § 7a Abs. 3" in errors["end_date"][0]
    # § 7a Abs. 4: part-time combined with a shortening (§ 8 Abs. 1) ends before the part-time duration.
    assert services.contract_create(
        **kwargs(demo, end_date=end(42), duration_reason=R.SHORTENING, **part_time)
    )


def _form_data(demo, **changes) -> dict:
    values = kwargs(demo)
    data = {
        "apprentice": values["apprentice"].pk,
        "company": values["company"].pk,
        "site": values["site"].pk,
        "occupation": values["occupation"].pk,
        "chamber": values["chamber"].pk,
        "start_date": "2026-08-01",
        "end_date": "2029-07-31",
        "probation_end": "2026-11-30",
        "record_form": "weekly",
        "record_medium": "electronic",
        "status": "draft",
        "duration_reason": "",
    }
    return data | changes


def test_bbig_5_abs_1_nr_2_contract_form_shows_german_field_errors(demo):
    from django.utils import translation

    with translation.override("de"):
        form = ContractForm(data=_form_data(demo, end_date="2029-01-31"))
        assert not form.is_valid()
        assert (
            "Ausbildungsordnung" in form.errors["end_date"][0]
            and "BBiG § 5 Abs. 1 Nr. 2" in form.errors["end_date"][0]
        )
        form = ContractForm(
            data=_form_data(
                demo,
                end_date="2030-07-31",
                duration_reason=R.PART_TIME,
                weekly_hours="30",
                full_time_weekly_hours="40",
            )
        )
        assert form.is_valid(), form.errors
        form = ContractForm(data=_form_data(demo, weekly_hours="15", full_time_weekly_hours="40"))
        assert not form.is_valid() and "BBiG § 7a Abs. 1 Satz 3" in form.errors["weekly_hours"][0]


def test_bbig_7a_contract_api_shows_part_time_and_duration_reason(demo):
    contract = TrainingContract.objects.get(apprentice=demo["azubi"])
    TrainingContract.objects.filter(pk=contract.pk).update(
        weekly_hours=Decimal("30"), full_time_weekly_hours=Decimal("40"), duration_reason=R.PART_TIME
    )
    client = Client()
    client.force_login(demo["azubi"])
    body = client.get(f"/api/v1/contracts/{contract.pk}").json()
    assert body["duration_reason"] == "part_time_7a_2"
    assert body["weekly_hours"] == 30 and body["full_time_weekly_hours"] == 40
    assert body["part_time_reduction_percent"] == 25


def test_bbig_7a_contract_page_shows_part_time_and_the_reason(demo):
    from django.urls import reverse

    contract = TrainingContract.objects.get(apprentice=demo["azubi"])
    TrainingContract.objects.filter(pk=contract.pk).update(
        weekly_hours=Decimal("30"), full_time_weekly_hours=Decimal("40"), duration_reason=R.PART_TIME
    )
    client = Client()
    client.force_login(demo["azubi"])
    url = reverse("core:contract_detail", kwargs={"pk": contract.pk})
    content = client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Teilzeitberufsausbildung (BBiG § 7a Abs. 2)" in content
    assert "30 statt 40 Stunden pro Woche" in content
