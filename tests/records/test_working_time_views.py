"""Working-time findings on the pages (issue #15): the apprentice's week page warns, the trainer's queue and
period page show them and signing needs a confirmation (web and API), the company's overview and the
chamber's district overview count them, and a list page per contract shows them."""

from __future__ import annotations

import datetime

from django.urls import reverse

from ausbildung.records import services
from ausbildung.records.models import RecordPeriod, RecordSignature

from .conftest import week_input

MONDAY = datetime.date(2025, 9, 8)  # the demo apprentice (born 20 May 2009) is 16


def long_week_form(version: int = 0, action: str = "save") -> dict:
    """The week page's form with 9 hours on each working day: 45 hours (JArbSchG § 8 Abs. 1: at most 40)."""
    data = {
        "action": action,
        "version": str(version),
        "company_work": "Rollout begleitet.",
        "instruction": "",
    }
    data["school"] = ""
    for offset in range(7):
        day = (MONDAY + datetime.timedelta(days=offset)).isoformat()
        data[f"place-{day}"] = "company" if offset < 5 else "free"
        data[f"hours-{day}"] = "9" if offset < 5 else ""
    return data


def period_url(contract) -> str:
    return reverse("records:period", kwargs={"contract_id": contract.pk, "start": MONDAY.isoformat()})


def submitted_long_week(demo, contract) -> RecordPeriod:
    data = week_input(MONDAY, hours="9", school_day=None)
    period = services.record_period_save(actor=demo["azubi"], contract=contract, start=MONDAY, data=data)
    return services.record_period_submit(actor=demo["azubi"], period=period)


def test_jarbschg_8_abs_1_week_page_warns_after_saving_and_keeps_the_hours(client_for, contract):
    apprentice = client_for("apprentice")
    response = apprentice.post(period_url(contract), long_week_form(), follow=True)
    body = response.content.decode()
    assert response.status_code == 200
    assert "überschreiten eine gesetzliche Arbeitszeitgrenze" in body or "überschreiten gesetzliche" in body
    assert 'data-testid="working-time"' in body and "JArbSchG § 8" in body and "45" in body
    assert "Bitte prüfen Sie Ihre Eingaben." not in body  # a warning, not an error
    # … and the period can be submitted as it is.
    response = apprentice.post(period_url(contract), long_week_form(version=1, action="submit"))
    assert response.status_code == 302
    assert RecordPeriod.objects.get(contract=contract, start=MONDAY).state == RecordPeriod.State.SUBMITTED


def test_jarbschg_8_unknown_date_of_birth_is_shown_on_the_week_page(demo, client_for, contract):
    demo["azubi"].date_of_birth = None
    demo["azubi"].save(update_fields=["date_of_birth"])
    apprentice = client_for("apprentice")
    body = apprentice.post(period_url(contract), long_week_form(), follow=True).content.decode()
    assert 'data-testid="working-time-age-unknown"' in body
    assert "Geburtsdatum" in body and "nicht geprüft" in body


def test_jarbschg_8_trainer_sees_the_marker_in_the_queue_and_must_confirm(demo, client_for, contract):
    period = submitted_long_week(demo, contract)
    trainer = client_for("trainer")
    queue = trainer.get(reverse("records:queue")).content.decode()
    assert 'data-testid="findings-marker"' in queue
    # The confirmation of the findings is asked on the confirmation step of bulk signing.
    confirm = trainer.post(reverse("records:queue"), {"periods": [period.pk]}).content.decode()
    assert 'name="confirm_findings"' in confirm
    page = trainer.get(period_url(contract)).content.decode()
    assert "JArbSchG § 8" in page and 'name="confirm_findings"' in page
    review = reverse("records:review", kwargs={"contract_id": contract.pk, "start": MONDAY.isoformat()})

    body = trainer.post(review, {"action": "sign"}, follow=True).content.decode()
    assert "bestätigen Sie vor dem Abzeichnen" in body
    period.refresh_from_db()
    assert period.state == RecordPeriod.State.SUBMITTED

    trainer.post(review, {"action": "sign", "confirm_findings": "on"})
    period.refresh_from_db()
    assert period.state == RecordPeriod.State.SIGNED
    assert RecordSignature.objects.get(period=period).confirmed_findings


def test_jarbschg_8_bulk_sign_skips_periods_with_findings_unless_confirmed(demo, client_for, contract):
    period = submitted_long_week(demo, contract)
    trainer = client_for("trainer")
    body = trainer.post(
        reverse("records:queue"), {"periods": [period.pk], "confirmed": "on"}, follow=True
    ).content.decode()
    assert "nicht abgezeichnet" in body
    period.refresh_from_db()
    assert period.state == RecordPeriod.State.SUBMITTED
    trainer.post(
        reverse("records:queue"), {"periods": [period.pk], "confirmed": "on", "confirm_findings": "on"}
    )
    period.refresh_from_db()
    assert period.state == RecordPeriod.State.SIGNED


def test_jarbschg_8_api_sign_needs_confirm_findings(demo, client_for, contract):
    submitted_long_week(demo, contract)
    trainer = client_for("trainer")
    url = reverse("api:records_period_sign", kwargs={"contract_id": contract.pk, "start": MONDAY.isoformat()})
    refused = trainer.post(url)
    assert refused.status_code == 422 and refused["Content-Type"] == "application/problem+json"
    assert "confirm_findings" in refused.json()["errors"]
    assert trainer.post(f"{url}?confirm_findings=false").status_code == 422
    signed = trainer.post(f"{url}?confirm_findings=true")
    assert signed.status_code == 200, signed.content
    assert signed.json()["state"] == "signed"
    assert any(f["paragraph"].startswith("JArbSchG § 8") for f in signed.json()["working_time_findings"])


def test_jarbschg_8_company_lead_and_chamber_see_the_findings(demo, client_for, contract):
    submitted_long_week(demo, contract)
    findings_url = reverse("records:findings", kwargs={"contract_id": contract.pk})
    for role, page in [("company_admin", "records:overview"), ("chamber_officer", "records:chamber")]:
        client = client_for(role)
        body = client.get(reverse(page), {"stichtag": "2025-09-30"}).content.decode()
        assert "Arbeitszeit" in body and f'href="{findings_url}"' in body, role
        listing = client.get(findings_url)
        assert listing.status_code == 200, role
        text = listing.content.decode()
        assert "JArbSchG § 8" in text and "08.09.2025" in text
    # Another chamber (the HWK) does not see them.
    assert client_for("chamber_officer").get(findings_url).status_code == 200
    from django.test import Client

    other = Client()
    other.force_login(demo["hwk"])
    assert other.get(findings_url).status_code == 404
