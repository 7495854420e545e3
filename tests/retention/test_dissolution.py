"""After a dissolution (BBiG § 22, issue #20): the company records who ended the contract, when and why; the
contract is dissolved; the chamber sees counts (in the probation period or later, re-entry within 3/6/12 months,
reasons) and the career guidance the young people who agreed to be contacted and began nothing new."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from ausbildung.core.models import Organisation, Region, TrainingContract
from ausbildung.retention import selectors
from ausbildung.retention.models import Dissolution

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def jonas(demo) -> TrainingContract:
    return TrainingContract.objects.get(apprentice=demo["azubi"])


def record(client, contract, **data):
    form = {
        "ended_by": "apprentice",
        "ended_on": timezone.localdate().isoformat(),
        "reasons": ["conflict_trainer", "working_time"],
        **data,
    }
    return client.post(reverse("retention:dissolution", args=[contract.pk]), form)


def test_the_lead_records_a_dissolution_and_the_contract_is_dissolved(client_for, demo, jonas):
    response = record(client_for("company_admin"), jonas, guidance_consent="on")
    assert response.status_code == 302
    jonas.refresh_from_db()
    assert jonas.status == "dissolved" and jonas.dissolved_on == timezone.localdate()
    facts = Dissolution.objects.get(contract=jonas)
    assert facts.ended_by == "apprentice" and facts.reasons == ["conflict_trainer", "working_time"]
    assert facts.in_probation is False  # probation ended on 30 November 2025 (BBiG § 20)
    assert facts.guidance_consent and facts.recorded_by == demo["betrieb"]
    # a dissolved contract is no longer on the company's list, and cannot be dissolved twice
    assert record(client_for("company_admin"), jonas).status_code == 404


def test_a_dissolution_in_the_probation_period_is_marked_so(demo, jonas):
    """BBiG § 20 with § 22 Abs. 1: ended on or before the last day of the probation period."""
    assert Dissolution.falls_in_probation(jonas, jonas.probation_end)
    assert not Dissolution.falls_in_probation(jonas, jonas.probation_end + datetime.timedelta(days=1))


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"reasons": []}, "reasons", "zwingend erforderlich"),
        ({"reasons": ["gibt-es-nicht"]}, "reasons", ""),
        ({"ended_by": "nobody"}, "ended_by", ""),
        ({"ended_on": "2099-01-01"}, "ended_on", "wirksam"),
        ({"ended_on": "2020-01-01"}, "ended_on", "Vertragslaufzeit"),
        ({"ended_on": "kein Datum"}, "ended_on", "gültiges Datum"),
    ],
)
def test_bad_input_is_refused_in_german_and_nothing_changes(client_for, demo, jonas, data, field, message):
    response = record(client_for("company_admin"), jonas, **data)
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode() or f"{field}" in response.content.decode()
    if message:
        assert message in response.content.decode()
    jonas.refresh_from_db()
    assert jonas.status == "active" and not Dissolution.objects.filter(contract=jonas).exists()


def test_the_follow_up_windows(demo, jonas):
    record_day = datetime.date(2026, 1, 15)
    dissolution = Dissolution(
        contract=jonas, ended_by="company", ended_on=record_day, in_probation=False, reasons=[]
    )
    [row] = selectors.follow_ups([dissolution], today=datetime.date(2026, 5, 1))
    assert row.windows == {3: "no", 6: "open", 12: "open"} and row.nothing_followed
    TrainingContract.objects.create(
        apprentice=jonas.apprentice,
        company=jonas.company,
        site=jonas.site,
        occupation=jonas.occupation,
        chamber=jonas.chamber,
        start_date=datetime.date(2026, 5, 1),
        end_date=datetime.date(2029, 4, 30),
        probation_end=datetime.date(2026, 8, 31),
        status="active",
    )
    [row] = selectors.follow_ups([dissolution], today=datetime.date(2027, 2, 1))
    assert row.next_start == datetime.date(2026, 5, 1)
    assert row.windows == {3: "no", 6: "yes", 12: "yes"}


def test_the_chamber_sees_counts_only_and_hides_small_ones(client_for, demo, jonas):
    record(client_for("company_admin"), jonas)
    figures = selectors.dissolution_figures(Dissolution.objects.all(), today=timezone.localdate())
    assert figures.total is None and figures.later is None  # one dissolution: hidden (below 3)
    page = client_for("chamber_officer").get(reverse("retention:chamber")).content.decode()
    assert 'data-testid="dissolution-figures"' in page and "Jonas" not in page


def test_the_guidance_sees_who_agreed_and_began_nothing_after_three_months(client_for, demo, jonas):
    agency = Organisation.objects.filter(memberships__user=demo["beratung"]).first()
    agency.district.add(Region.objects.get(code="10"))  # the demo Land (Saarland)
    record(client_for("company_admin"), jonas, guidance_consent="on")
    assert "Jonas Becker" not in client_for("counsellor").get(reverse("retention:guidance")).content.decode()
    later = timezone.localdate() + datetime.timedelta(days=95)
    with time_machine.travel(datetime.datetime.combine(later, datetime.time(9), BERLIN), tick=False):
        page = client_for("counsellor").get(reverse("retention:guidance")).content.decode()
    assert "Jonas Becker" in page
    Dissolution.objects.filter(contract=jonas).update(guidance_consent=False)
    with time_machine.travel(datetime.datetime.combine(later, datetime.time(9), BERLIN), tick=False):
        page = client_for("counsellor").get(reverse("retention:guidance")).content.decode()
    assert "Jonas Becker" not in page
