"""The training record's rules, each with the paragraph it comes from."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import translation

from ausbildung.core.models import ContractTrainer, FrameworkItem, User
from ausbildung.records import rules, selectors, services
from ausbildung.records.models import ChamberRules, RecordPeriod, RecordSignature

from .conftest import week_input

MONDAY = datetime.date(2025, 9, 1)


def test_weekly_periods_are_clipped_to_the_contract():
    periods = list(
        rules.expected_periods(form="weekly", start=datetime.date(2025, 8, 1), end=datetime.date(2025, 8, 20))
    )
    assert periods[0] == (datetime.date(2025, 8, 1), datetime.date(2025, 8, 3))  # Friday to Sunday
    assert periods[1] == (datetime.date(2025, 8, 4), datetime.date(2025, 8, 10))
    assert periods[-1] == (datetime.date(2025, 8, 18), datetime.date(2025, 8, 20))


def test_daily_periods_skip_weekends_and_public_holidays_of_the_land():
    # 1 May 2026 (Friday) is a public holiday everywhere; 4 June 2026 (Fronleichnam) in the Saarland only.
    days = [
        s
        for s, _e in rules.expected_periods(
            form="daily", start=datetime.date(2026, 4, 30), end=datetime.date(2026, 6, 5), land_iso="SL"
        )
    ]
    assert datetime.date(2026, 4, 30) in days and datetime.date(2026, 5, 1) not in days
    assert datetime.date(2026, 5, 2) not in days  # Saturday
    assert datetime.date(2026, 6, 4) not in days
    berlin = [
        s
        for s, _e in rules.expected_periods(
            form="daily", start=datetime.date(2026, 6, 4), end=datetime.date(2026, 6, 4), land_iso="BE"
        )
    ]
    assert berlin == [datetime.date(2026, 6, 4)]  # no Fronleichnam holiday in Berlin


def test_training_year():
    start = datetime.date(2025, 8, 1)
    assert rules.training_year(start, datetime.date(2026, 7, 31)) == 1
    assert rules.training_year(start, datetime.date(2026, 8, 1)) == 2


def test_new_week_is_prefilled_with_holidays_and_weekends(contract):
    # 3 October 2025 (Friday): Tag der Deutschen Einheit.
    _period, days = rules.new_period(contract, datetime.date(2025, 10, 1), previous=None)
    by_date = {d.date: d for d in days}
    assert by_date[datetime.date(2025, 10, 3)].place == "holiday"
    assert "Einheit" in by_date[datetime.date(2025, 10, 3)].note
    assert by_date[datetime.date(2025, 10, 4)].place == "free"


def test_recurring_school_day_is_prefilled_from_the_previous_week(write_week, contract):
    write_week(MONDAY, school_day=2)
    next_monday = MONDAY + datetime.timedelta(days=7)
    previous = selectors.previous_period(contract, next_monday, with_days=True)
    _period, days = rules.new_period(contract, next_monday, previous=previous)
    assert days[2].place == "school" and days[0].place == "company"


def test_save_submit_return_sign_cycle(demo, write_week):
    period = write_week(MONDAY)
    assert period.state == RecordPeriod.State.DRAFT and period.days.count() == 7
    services.record_period_submit(actor=demo["azubi"], period=period)
    with pytest.raises(ValidationError):  # locked while submitted
        write_week(MONDAY, text="Geändert")
    with pytest.raises(ValidationError) as excinfo:  # BBiG § 14 Abs. 2 review: a return needs a comment
        services.record_period_return(actor=demo["ausbilder"], period=period, comment="  ")
    assert "comment" in excinfo.value.message_dict
    services.record_period_return(
        actor=demo["ausbilder"], period=period, comment="Bitte Berufsschule ergänzen."
    )
    period.refresh_from_db()
    assert period.state == RecordPeriod.State.RETURNED
    period = write_week(MONDAY, text="Netzwerk geplant, eingerichtet und dokumentiert.")
    services.record_period_submit(actor=demo["azubi"], period=period)
    services.record_period_sign(actor=demo["ausbilder"], period=period)
    period.refresh_from_db()
    assert period.state == RecordPeriod.State.SIGNED and period.signed_by == demo["ausbilder"]
    assert period.content_hash == services.content_hash(period)
    assert list(period.events.values_list("action", flat=True)) == [
        "submitted",
        "returned",
        "submitted",
        "signed",
    ]


def test_only_the_apprentice_writes_and_only_trainers_of_the_contract_sign(demo, write_week, contract):
    with pytest.raises(ValidationError):
        services.record_period_save(
            actor=demo["ausbilder"], contract=contract, start=MONDAY, data=week_input(MONDAY)
        )
    period = write_week(MONDAY)
    services.record_period_submit(actor=demo["azubi"], period=period)
    for outsider in ("meister", "betrieb", "kammer"):
        with pytest.raises(ValidationError):
            services.record_period_sign(actor=demo[outsider], period=period)


def test_substitute_can_sign_and_is_recorded(demo, write_week, contract):
    substitute = User.objects.create_user("vertretung", first_name="Vera", last_name="Vertretung")
    from ausbildung.core.services import membership_create

    membership_create(actor=None, user=substitute, organisation=contract.company, role="trainer")
    ContractTrainer.objects.create(
        contract=contract, trainer=substitute, kind=ContractTrainer.Kind.SUBSTITUTE
    )
    period = write_week(MONDAY)
    services.record_period_submit(actor=demo["azubi"], period=period)
    services.record_period_sign(actor=substitute, period=period)
    assert RecordSignature.objects.get(period=period).signer_kind == "substitute"


def test_submit_requires_the_sections_hba_minimum_content(demo, contract):
    data = week_input(MONDAY, text="")
    data.school = ""
    period = services.record_period_save(actor=demo["azubi"], contract=contract, start=MONDAY, data=data)
    with pytest.raises(ValidationError) as excinfo:
        services.record_period_submit(actor=demo["azubi"], period=period)
    assert {"company_work", "school"} <= set(excinfo.value.message_dict)


def test_hours_required_follows_the_chamber_rules(demo, contract):
    data = week_input(MONDAY, hours="")
    period = services.record_period_save(actor=demo["azubi"], contract=contract, start=MONDAY, data=data)
    with pytest.raises(ValidationError):
        services.record_period_submit(actor=demo["azubi"], period=period)
    ChamberRules.objects.create(chamber=contract.chamber, hours_required=False)
    services.record_period_submit(actor=demo["azubi"], period=period)


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("25", "0 und 24"),
        ("-1", "0 und 24"),
        ("abc", "Zahl"),
        # 9 hours of a minor are no longer refused but recorded with a finding (JArbSchG § 8 Abs. 1):
        # tests/records/test_working_time.py
    ],
)
def test_bad_hours_get_a_german_field_error(demo, contract, hours, message):
    data = week_input(MONDAY)
    data.days[0].hours = hours
    with pytest.raises(ValidationError) as excinfo:
        services.record_period_save(actor=demo["azubi"], contract=contract, start=MONDAY, data=data)
    assert message in excinfo.value.message_dict[f"day-{MONDAY.isoformat()}"][0]
    assert not RecordPeriod.objects.filter(contract=contract, start=MONDAY).exists()


def test_date_outside_the_contract_is_refused(demo, contract):
    before = contract.start_date - datetime.timedelta(days=10)
    with pytest.raises(ValidationError) as excinfo:
        services.record_period_save(
            actor=demo["azubi"], contract=contract, start=before, data=week_input(before)
        )
    assert "start" in excinfo.value.message_dict


def test_items_must_belong_to_the_occupation(demo, contract):
    foreign = FrameworkItem.objects.exclude(framework_position__plan__occupation=contract.occupation).first()
    own = FrameworkItem.objects.filter(framework_position__plan__occupation=contract.occupation).first()
    with pytest.raises(ValidationError) as excinfo:
        services.record_period_save(
            actor=demo["azubi"],
            contract=contract,
            start=MONDAY,
            data=week_input(MONDAY, item_ids=[foreign.pk]),
        )
    assert "items" in excinfo.value.message_dict
    period = services.record_period_save(
        actor=demo["azubi"], contract=contract, start=MONDAY, data=week_input(MONDAY, item_ids=[own.pk])
    )
    assert list(period.items.all()) == [own]


def test_concurrent_edit_is_detected(demo, write_week, contract):
    period = write_week(MONDAY)
    with pytest.raises(ValidationError):
        services.record_period_save(
            actor=demo["azubi"],
            contract=contract,
            start=MONDAY,
            data=week_input(MONDAY),
            version=period.version - 1,
        )


def test_repeated_text_is_flagged(write_week):
    write_week(MONDAY, text="Server aufgesetzt und Benutzer angelegt, alles dokumentiert.")
    second = write_week(
        MONDAY + datetime.timedelta(days=7),
        text="Server aufgesetzt und Benutzer angelegt, alles dokumentiert.",
    )
    assert services.repeated_sections(second)


def sign_weeks(demo, write_week, count: int) -> list[RecordPeriod]:
    periods = []
    for n in range(count):
        period = write_week(
            MONDAY + datetime.timedelta(days=7 * n), text=f"Woche {n}: Aufgaben erledigt und dokumentiert."
        )
        services.record_period_submit(actor=demo["azubi"], period=period)
        periods.append(services.record_period_sign(actor=demo["ausbilder"], period=period))
    return periods


def test_signed_periods_form_an_intact_chain(demo, write_week, contract):
    sign_weeks(demo, write_week, 3)
    assert services.verify_contract(contract) == []
    chain = list(RecordSignature.objects.filter(contract=contract).order_by("sequence"))
    assert [s.sequence for s in chain] == [1, 2, 3]
    assert chain[1].previous_hash == chain[0].chain_hash


def test_tampering_in_the_database_is_reported(demo, write_week, contract):
    periods = sign_weeks(demo, write_week, 3)
    with connection.cursor() as cursor:  # bypass the application, as an attacker with DB access would
        cursor.execute(
            "UPDATE records_recordperiod SET company_work = %s WHERE id = %s",
            ["Nachträglich geändert", periods[1].pk],
        )
    with translation.override("en"):
        problems = services.verify_contract(contract)
    assert any("changed after it was signed" in p for p in problems)
    with pytest.raises(CommandError, match="problem"):
        call_command("records", "verify")


def test_missing_chain_link_is_reported(demo, write_week, contract):
    sign_weeks(demo, write_week, 3)
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM records_recordsignature WHERE contract_id = %s AND sequence = 2", [contract.pk]
        )
    with translation.override("en"):
        problems = services.verify_contract(contract)
    assert any("#2 is missing" in p for p in problems)
    assert any("has no signature" in p for p in problems)


def test_reopen_is_audited_and_keeps_the_signature(demo, write_week, contract):
    period = sign_weeks(demo, write_week, 1)[0]
    with pytest.raises(ValidationError):
        services.record_period_reopen(actor=demo["ausbilder"], period=period, reason="")
    services.record_period_reopen(actor=demo["ausbilder"], period=period, reason="Stunden falsch")
    period.refresh_from_db()
    assert period.state == RecordPeriod.State.RETURNED
    assert RecordSignature.objects.filter(period=period).count() == 1
    from ausbildung.core.models import AuditLog

    assert AuditLog.objects.filter(action="record.reopen", target_id=str(period.pk)).exists()
    assert services.verify_contract(contract) == []


def test_guardian_acknowledges(demo, write_week, contract):
    sign_weeks(demo, write_week, 1)
    services.record_acknowledge(actor=demo["eltern"], contract=contract, up_to=datetime.date(2025, 9, 30))
    with pytest.raises(ValidationError):
        services.record_acknowledge(
            actor=demo["ausbilder"], contract=contract, up_to=datetime.date(2025, 9, 30)
        )


def test_chamber_rules_decide_the_allowed_form(demo, contract):
    ChamberRules.objects.create(chamber=contract.chamber, allow_weekly=False)
    with pytest.raises(ValidationError) as excinfo:
        services.record_period_save(
            actor=demo["azubi"], contract=contract, start=MONDAY, data=week_input(MONDAY)
        )
    assert "__all__" in excinfo.value.message_dict


def test_guardian_acknowledgement_falls_due_for_minors(demo, contract):
    from ausbildung.records.selectors import guardian_acknowledgement_due

    today = datetime.date(2026, 3, 1)  # the demo apprentice is 16, training since August 2025
    assert guardian_acknowledgement_due(contract, today=today)
    services.record_acknowledge(actor=demo["eltern"], contract=contract, up_to=today)
    assert not guardian_acknowledgement_due(contract, today=today)
    ChamberRules.objects.create(chamber=contract.chamber, guardian_signoff=False)
    assert not guardian_acknowledgement_due(contract, today=datetime.date(2026, 9, 1))
