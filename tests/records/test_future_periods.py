"""The record book holds only what has happened (BBiG § 43 Abs. 1 Nr. 2: it is evidence for the admission to
the final exam). A period may be drafted ahead, but it is submitted only once its last day has begun (Berlin
local date), signed only after it was submitted and ended, and never exported as signed while it lies in the
future. A period outside the contract gets a German explanation. Dates are frozen (time-machine)."""

from __future__ import annotations

import datetime
import json
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from ausbildung.records import exporters, services
from ausbildung.records.models import RecordPeriod

from .conftest import week_input

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
# "Today" of the issue: 7 December 2026; the week 04.–10.01.2027 lies in the future.
TODAY = datetime.datetime(2026, 12, 7, 12, 0, tzinfo=BERLIN)
FUTURE_WEEK = datetime.date(2027, 1, 4)
FUTURE_SUNDAY = datetime.date(2027, 1, 10)


@pytest.fixture
def today():
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


def draft(demo, contract, monday=FUTURE_WEEK) -> RecordPeriod:
    return services.record_period_save(
        actor=demo["azubi"], contract=contract, start=monday, data=week_input(monday), version=None
    )


def submitted_in_the_future(demo, contract) -> RecordPeriod:
    """A future week submitted before the platform refused that (old data)."""
    period = draft(demo, contract)
    RecordPeriod.objects.filter(pk=period.pk).update(state=RecordPeriod.State.SUBMITTED, submitted_at=TODAY)
    period.refresh_from_db()
    return period


def signed_in_the_future(demo, contract) -> RecordPeriod:
    """A future week that old data holds as signed: written, submitted and signed on a day after its end,
    then looked at from today."""
    period = draft(demo, contract)
    with time_machine.travel(datetime.datetime(2027, 1, 11, 9, 0, tzinfo=BERLIN), tick=False):
        services.record_period_submit(actor=demo["azubi"], period=period)
        services.record_period_sign(actor=demo["ausbilder"], period=period)
    period.refresh_from_db()
    return period


# --- the service: one place for web, API and bulk signing -------------------------------------------------


def test_a_future_week_can_be_drafted_but_not_submitted(demo, contract, today):
    period = draft(demo, contract)
    assert period.state == RecordPeriod.State.DRAFT

    with pytest.raises(ValidationError) as refused:
        services.record_period_submit(actor=demo["azubi"], period=period)

    message = " ".join(refused.value.messages)
    assert "10.01.2027" in message and "BBiG § 43 Abs. 1 Nr. 2" in message and "Du kannst" in message
    period.refresh_from_db()
    assert period.state == RecordPeriod.State.DRAFT and period.submitted_at is None


def test_submitting_opens_when_the_last_day_has_begun_in_berlin(demo, contract, today):
    period = draft(demo, contract)
    # The week ends on Sunday 10.01.2027. Saturday 22:30 UTC is Saturday 23:30 in Berlin (too early);
    # Saturday 23:30 UTC is already Sunday 00:30 in Berlin (the last day has begun).
    saturday_night = datetime.datetime(2027, 1, 9, 22, 30, tzinfo=datetime.UTC)
    with time_machine.travel(saturday_night, tick=False), pytest.raises(ValidationError):
        services.record_period_submit(actor=demo["azubi"], period=period)
    with time_machine.travel(datetime.datetime(2027, 1, 9, 23, 30, tzinfo=datetime.UTC), tick=False):
        submitted = services.record_period_submit(actor=demo["azubi"], period=period)
    assert submitted.state == RecordPeriod.State.SUBMITTED


def test_a_future_period_is_not_signed_even_if_old_data_holds_it_submitted(demo, contract, today):
    period = submitted_in_the_future(demo, contract)

    with pytest.raises(ValidationError) as refused:
        services.record_period_sign(actor=demo["ausbilder"], period=period)

    assert "10.01.2027" in " ".join(refused.value.messages)
    assert services.record_periods_sign(actor=demo["ausbilder"], periods=[period]) == []
    period.refresh_from_db()
    assert period.state == RecordPeriod.State.SUBMITTED and not period.signatures.exists()


def test_a_draft_is_still_not_signed(demo, contract, write_week):
    period = write_week(datetime.date(2025, 9, 1))
    with pytest.raises(ValidationError):
        services.record_period_sign(actor=demo["ausbilder"], period=period)


# --- the web pages ----------------------------------------------------------------------------------------


def period_url(contract, monday=FUTURE_WEEK) -> str:
    return reverse("records:period", kwargs={"contract_id": contract.pk, "start": monday.isoformat()})


def post_data(monday: datetime.date, action: str, version: int) -> dict:
    data = {
        "action": action,
        "version": str(version),
        "company_work": "Plan: Server aufsetzen.",
        "school": "",
    }
    for offset in range(7):
        day = (monday + datetime.timedelta(days=offset)).isoformat()
        data[f"place-{day}"] = "company" if offset < 5 else "free"
        data[f"hours-{day}"] = "8" if offset < 5 else ""
    return data


def test_the_week_page_offers_no_submission_of_a_future_week(client_for, contract, today):
    page = client_for("apprentice").get(period_url(contract)).content.decode()
    assert 'data-testid="submit-from"' in page and "10.01.2027" in page
    assert 'value="submit"' not in page


def test_submitting_a_future_week_on_the_page_keeps_the_draft_and_says_why(client_for, contract, today):
    response = client_for("apprentice").post(period_url(contract), post_data(FUTURE_WEEK, "submit", 0))

    assert response.status_code == 200
    page = response.content.decode()
    assert "einreichen aber erst ab 10.01.2027" in page
    period = RecordPeriod.objects.get(contract=contract, start=FUTURE_WEEK)
    assert period.state == RecordPeriod.State.DRAFT and period.company_work == "Plan: Server aufsetzen."


def test_bulk_signing_on_the_queue_page_skips_a_future_week(demo, client_for, contract, today):
    period = submitted_in_the_future(demo, contract)
    client_for("trainer").post(reverse("records:queue"), {"periods": [str(period.pk)]})
    period.refresh_from_db()
    assert period.state == RecordPeriod.State.SUBMITTED


def test_signing_a_future_week_on_its_page_is_refused(demo, client_for, contract, today):
    period = submitted_in_the_future(demo, contract)
    url = reverse("records:review", kwargs={"contract_id": contract.pk, "start": FUTURE_WEEK.isoformat()})
    response = client_for("trainer").post(url, {"action": "sign"}, follow=True)
    assert "erst ab seinem letzten Tag abgezeichnet" in response.content.decode()
    period.refresh_from_db()
    assert period.state == RecordPeriod.State.SUBMITTED


@pytest.mark.parametrize("day", ["2025-07-28", "2028-08-07"])
def test_a_period_outside_the_contract_is_explained_in_german(client_for, contract, day):
    response = client_for("apprentice").get(period_url(contract, datetime.date.fromisoformat(day)))

    assert response.status_code == 404
    page = response.content.decode()
    assert "außerhalb des Ausbildungsvertrags" in page
    assert f"{contract.start_date:%d.%m.%Y}" in page and f"{contract.end_date:%d.%m.%Y}" in page


# --- the API ----------------------------------------------------------------------------------------------


def api_url(contract, name: str = "detail", monday=FUTURE_WEEK) -> str:
    return reverse(
        f"api:records_period_{name}", kwargs={"contract_id": contract.pk, "start": monday.isoformat()}
    )


def test_api_refuses_to_submit_a_future_week_with_a_german_problem(demo, client_for, contract, today):
    draft(demo, contract)
    response = client_for("apprentice").post(api_url(contract, "submit"), content_type="application/json")

    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    assert "einreichen aber erst ab 10.01.2027" in response.json()["detail"]
    assert RecordPeriod.objects.get(contract=contract, start=FUTURE_WEEK).state == RecordPeriod.State.DRAFT


def test_api_refuses_to_sign_a_future_week(demo, client_for, contract, today):
    submitted_in_the_future(demo, contract)
    response = client_for("trainer").post(api_url(contract, "sign"), content_type="application/json")

    assert response.status_code == 422
    assert "erst ab seinem letzten Tag abgezeichnet" in response.json()["detail"]


def test_api_explains_a_period_outside_the_contract(client_for, contract):
    response = client_for("apprentice").get(api_url(contract, monday=datetime.date(2025, 7, 28)))

    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
    detail = response.json()["detail"]
    assert "außerhalb des Ausbildungsvertrags" in detail and f"{contract.start_date:%d.%m.%Y}" in detail


# --- the exports ------------------------------------------------------------------------------------------


def test_json_export_flags_a_future_week_signed_in_old_data_as_not_countable(demo, contract, today):
    signed_in_the_future(demo, contract)

    data = json.loads(json.dumps(exporters.export_dict(contract)))

    (period,) = [p for p in data["periods"] if p["start"] == FUTURE_WEEK.isoformat()]
    assert period["state"] == "signed"  # what happened is kept …
    assert period["ended"] is False and period["countable"] is False  # … but it does not count


def test_pdf_shows_a_future_week_signed_in_old_data_as_not_countable(demo, contract, today):
    signed_in_the_future(demo, contract)

    context = exporters.pdf_context(contract)

    (sheet,) = [s for s in context["sheets"] if s.period.start == FUTURE_WEEK]
    assert sheet.future and not sheet.signed and sheet.signed_in_future
    assert context["completeness"].signed == 0 and context["signed_in_future"] == 1
    from django.template.loader import render_to_string

    html = render_to_string(exporters.pdf.TEMPLATE, context)
    assert "liegt in der Zukunft: nicht anrechenbar" in html
    assert "bevor der Zeitraum vorbei war: nicht anrechenbar" in html
    assert "abgezeichnet am" in html  # the signature is shown as recorded, not dropped


def test_the_same_week_counts_once_it_has_ended(demo, contract, today):
    signed_in_the_future(demo, contract)
    with time_machine.travel(datetime.datetime(2027, 1, 12, 9, 0, tzinfo=BERLIN), tick=False):
        context = exporters.pdf_context(contract)
        data = exporters.export_dict(contract)
    (sheet,) = [s for s in context["sheets"] if s.period.start == FUTURE_WEEK]
    assert sheet.signed and not sheet.future
    (period,) = [p for p in data["periods"] if p["start"] == FUTURE_WEEK.isoformat()]
    assert period["countable"] is True


def test_the_examiner_view_flags_a_future_week_signed_in_old_data(demo, client_for, contract, today):
    signed_in_the_future(demo, contract)
    response = client_for("chamber_officer").post(reverse("records:share", args=[contract.pk]), {"days": "7"})
    token = response.context["url"].split("#", 1)[1]
    examiner = Client()
    examiner.post(reverse("records:shared"), {"token": token})

    page = examiner.get(reverse("records:shared")).content.decode()

    assert "04.01.2027" in page and "liegt in der Zukunft: nicht anrechenbar" in page


def test_the_current_empty_week_is_open_not_missing_on_the_book_page(demo, client_for, contract, today):
    """The week of 07.–13.12.2026 has not ended on 7 December: the book lists it as running, not as missing,
    and the "missing" filter leaves it out (the same rule as the counts, records.rules.period_has_ended)."""
    client = client_for("apprentice")
    page = client.get(reverse("records:book", args=[contract.pk]))
    rows = page.context["page"].object_list
    current = rows[0]
    assert current.start == datetime.date(2026, 12, 7) and not current.ended
    html = page.content.decode()
    assert 'data-testid="open-period"' in html and "läuft noch" in html
    missing = client.get(reverse("records:book", args=[contract.pk]), {"status": "missing"})
    starts = [row.start for row in missing.context["page"].object_list]
    assert datetime.date(2026, 12, 7) not in starts
    assert datetime.date(2026, 11, 30) in starts  # last week, not written: missing
