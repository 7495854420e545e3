"""The training-record API: write, submit, return, resubmit and sign a week; scope; bearer tokens."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ausbildung.core.models import ApiToken, AuditLog, TrainingContract
from ausbildung.core.tokens import api_token_create, api_token_revoke

# A past week of the demo apprentice "azubi" (IT, weekly record, training since 1 Aug 2025, born 20 May 2009:
# a minor, so JArbSchG applies). No public holiday in the Saarland that week.
WEEK = datetime.date(2025, 9, 8)
WORK_TEXT = "Arbeitsplatzrechner eingerichtet, Netzwerkkabel gepatcht und die Arbeit dokumentiert."


@pytest.fixture
def contract(demo) -> TrainingContract:
    return TrainingContract.objects.get(apprentice=demo["azubi"])


def login(demo, username: str) -> Client:
    client = Client()
    client.force_login(demo[username])
    return client


def period_url(contract: TrainingContract, start: datetime.date | str = WEEK, action: str = "") -> str:
    name = f"api:records_period_{action}" if action else "api:records_period_detail"
    start = start if isinstance(start, str) else start.isoformat()
    return reverse(name, kwargs={"contract_id": contract.pk, "start": start})


def week_days(hours: object = "7,5") -> list[dict]:
    days = []
    for offset in range(7):
        day = WEEK + datetime.timedelta(days=offset)
        working = offset < 5
        days.append(
            {
                "date": day.isoformat(),
                "place": "company" if working else "free",
                "hours": hours if working else None,
            }
        )
    return days


def body(**changes) -> dict:
    data = {
        "company_work": WORK_TEXT,
        "instruction": "",
        "school": "",
        "on_paper": False,
        "item_ids": [],
        "days": week_days(),
    }
    data.update(changes)
    return data


def put(client: Client, url: str, data: dict, **headers):
    """Save like a client does: with the version of the period just read, unless the test gives one."""
    if "version" not in data:
        read = client.get(url, **headers)
        if read.status_code == 200 and read.json().get("version") is not None:
            data = {**data, "version": read.json()["version"]}
    return client.put(url, data=json.dumps(data), content_type="application/json", **headers)


def post(client: Client, url: str, data: dict | None = None, **headers):
    return client.post(url, data=json.dumps(data or {}), content_type="application/json", **headers)


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status
    return problem


# --- the whole round trip --------------------------------------------------------------------------------------


def test_write_submit_return_resubmit_sign(demo, contract):
    azubi, trainer = login(demo, "azubi"), login(demo, "ausbilder")

    # Not written yet: the prefilled week, weekend off.
    fresh = azubi.get(period_url(contract)).json()
    assert fresh["state"] == "missing" and fresh["saved"] is False and fresh["can_write"] is True
    assert [d["place"] for d in fresh["days"]][5:] == ["free", "free"]

    saved = put(azubi, period_url(contract), body())
    assert saved.status_code == 200, saved.content
    period = saved.json()
    assert period["state"] == "draft" and period["saved"] and period["version"] == 1
    assert period["days"][0] == {
        "date": "2025-09-08",
        "place": "company",
        "hours": 7.5,
        "note": "",
        "lessons": None,
    }

    # The draft is in the book; the rows are newest first and the week before is still missing.
    rows = azubi.get(
        reverse("api:records_period_list", kwargs={"contract_id": contract.pk}), {"limit": 1000}
    ).json()
    by_start = {row["start"]: row for row in rows["items"]}
    assert rows["count"] == len(rows["items"]) > 50
    assert by_start["2025-09-08"]["state"] == "draft" and by_start["2025-09-01"]["state"] == "missing"
    assert rows["items"][0]["start"] > rows["items"][-1]["start"]
    drafts = azubi.get(
        reverse("api:records_period_list", kwargs={"contract_id": contract.pk}), {"state": "draft"}
    )
    assert [row["start"] for row in drafts.json()["items"]] == ["2025-09-08"]

    submitted = post(azubi, period_url(contract, action="submit"))
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    assert_problem(put(azubi, period_url(contract), body()), 422)  # locked while submitted

    queue = trainer.get(reverse("api:records_queue")).json()
    assert [(item["contract_id"], item["start"]) for item in queue["items"]] == [(contract.pk, "2025-09-08")]
    assert queue["items"][0]["apprentice"] == "Jonas Becker"
    assert trainer.get(period_url(contract)).json()["can_review"] is True

    empty = assert_problem(post(trainer, period_url(contract, action="return"), {"comment": "  "}), 422)
    assert set(empty["errors"]) == {"comment"}
    returned = post(
        trainer, period_url(contract, action="return"), {"comment": "Bitte die Berufsschule ergänzen."}
    )
    assert returned.status_code == 200 and returned.json()["state"] == "returned"
    assert trainer.get(reverse("api:records_queue")).json()["count"] == 0

    again = azubi.get(period_url(contract)).json()
    assert again["return_comment"] == "Bitte die Berufsschule ergänzen." and again["can_write"] is True
    fixed = put(
        azubi,
        period_url(contract),
        body(school="Lernfeld 2: Arbeitsplätze ausstatten", version=again["version"]),
    )
    assert fixed.status_code == 200 and fixed.json()["version"] == again["version"] + 1
    assert post(azubi, period_url(contract, action="submit")).json()["state"] == "submitted"

    signed = post(trainer, period_url(contract, action="sign"))
    assert signed.status_code == 200, signed.content
    assert signed.json()["state"] == "signed" and signed.json()["signed_at"]
    assert_problem(post(trainer, period_url(contract, action="sign")), 422)  # only a submitted period
    actions = set(
        AuditLog.objects.filter(target_type="records.recordperiod").values_list("action", flat=True)
    )
    assert {"record.create", "record.submit", "record.return", "record.sign"} <= actions


# --- German field errors ---------------------------------------------------------------------------------------


def test_field_errors(demo, contract):
    azubi = login(demo, "azubi")
    url = period_url(contract)

    days = week_days()
    days[0]["hours"] = "25"
    problem = assert_problem(put(azubi, url, body(days=days)), 422)
    assert "24" in problem["errors"]["day-2025-09-08"]  # the other days: over 40 hours that week (a minor)

    days = [*week_days(), {"date": "2025-09-15", "place": "company", "hours": "7"}]
    assert set(assert_problem(put(azubi, url, body(days=days)), 422)["errors"]) == {"day-2025-09-15"}

    days = week_days()
    days[1]["place"] = "mars"
    assert set(assert_problem(put(azubi, url, body(days=days)), 422)["errors"]) == {"day-2025-09-09"}

    days = week_days()
    days[2]["hours"] = "sieben"
    assert set(assert_problem(put(azubi, url, body(days=days)), 422)["errors"]) == {"day-2025-09-10"}

    # 9 hours on a day: more than a minor may work (JArbSchG § 8), even with shorter days that week. Since #15
    # the record book records what happened: saved, with a working-time finding instead of an error.
    days = week_days(hours="7")
    days[0]["hours"] = 9
    response = put(azubi, url, body(days=days))
    assert response.status_code == 200, response.content
    findings = response.json()["working_time_findings"]
    assert any(f["day"] == "2025-09-08" and f["paragraph"].startswith("JArbSchG § 8") for f in findings)

    # Absurd numbers are errors, not server errors.
    days = week_days()
    days[0]["hours"] = "9e99999"
    assert "day-2025-09-08" in assert_problem(put(azubi, url, body(days=days)), 422)["errors"]

    days = week_days()
    duplicated = [*days, days[0]]
    assert set(assert_problem(put(azubi, url, body(days=duplicated)), 422)["errors"]) == {"days"}

    assert set(assert_problem(put(azubi, url, body(item_ids=[999_999_999])), 422)["errors"]) == {"items"}

    # Submitting needs the texts of the days worked.
    assert put(azubi, url, body(company_work="")).status_code == 200
    assert set(assert_problem(post(azubi, period_url(contract, action="submit")), 422)["errors"]) == {
        "company_work"
    }

    stale = put(azubi, url, body(version=0))
    assert "anderer Stelle" in assert_problem(stale, 409)["detail"]
    assert not AuditLog.objects.filter(action="record.submit").exists()


def test_schema_and_path_errors(demo, contract):
    azubi = login(demo, "azubi")
    assert_problem(azubi.get(period_url(contract, "2025-13-45")), 422)
    assert_problem(azubi.get(period_url(contract, "gestern")), 422)
    assert_problem(azubi.get(period_url(contract, "2025-09-10")), 404)  # not the first day of a period
    assert_problem(azubi.get(period_url(contract, "2031-01-06")), 404)  # after the contract
    assert_problem(put(azubi, period_url(contract), {"days": [{"date": "2025-09-08"}]}), 422)  # no place
    assert_problem(post(azubi, period_url(contract, action="submit")), 404)  # nothing saved yet
    huge = reverse("api:records_period_list", kwargs={"contract_id": 2**70})
    assert_problem(azubi.get(huge), 404)
    assert_problem(
        azubi.get(reverse("api:records_period_list", kwargs={"contract_id": contract.pk}), {"offset": -1}),
        422,
    )


# --- scope and roles ---------------------------------------------------------------------------------------------


def test_other_apprentice_and_other_company_see_nothing(demo, contract):
    put(login(demo, "azubi"), period_url(contract), body())
    post(login(demo, "azubi"), period_url(contract, action="submit"))
    list_url = reverse("api:records_period_list", kwargs={"contract_id": contract.pk})

    azubi2 = login(demo, "azubi2")
    assert_problem(azubi2.get(list_url), 404)
    assert_problem(azubi2.get(period_url(contract)), 404)
    assert_problem(put(azubi2, period_url(contract), body()), 404)
    assert_problem(post(azubi2, period_url(contract, action="submit")), 404)

    meister = login(demo, "meister")  # trainer of the carpentry workshop
    assert_problem(meister.get(list_url), 404)
    assert_problem(meister.get(period_url(contract)), 404)
    assert_problem(post(meister, period_url(contract, action="sign")), 404)
    assert_problem(post(meister, period_url(contract, action="return"), {"comment": "Nein"}), 404)
    queue = meister.get(reverse("api:records_queue"))
    assert queue.status_code == 200 and queue.json() == {"items": [], "count": 0}


def test_roles_may_not_act_for_others(demo, contract):
    put(login(demo, "azubi"), period_url(contract), body())
    trainer = login(demo, "ausbilder")
    assert_problem(put(trainer, period_url(contract), body()), 403)  # only the apprentice writes
    assert_problem(post(trainer, period_url(contract, action="submit")), 403)  # page rule: apprentices
    assert_problem(post(login(demo, "azubi"), period_url(contract, action="sign")), 403)
    assert_problem(login(demo, "azubi").get(reverse("api:records_queue")), 403)
    assert_problem(put(login(demo, "eltern"), period_url(contract), body()), 403)
    assert_problem(Client().get(period_url(contract)), 401)


def test_vocational_school_sees_only_the_school_section(demo, contract):
    put(login(demo, "azubi"), period_url(contract), body(school="Lernfeld 1"))
    school = login(demo, "berufsschule")
    rows = school.get(
        reverse("api:records_period_list", kwargs={"contract_id": contract.pk}), {"state": "draft"}
    )
    assert rows.json()["items"] == [
        {
            "start": "2025-09-08",
            "end": "2025-09-14",
            "state": "draft",
            "training_year": 1,
            "school": "Lernfeld 1",
            "company_work": None,
            "instruction": None,
            "version": None,
            "submitted_at": None,
            "signed_at": None,
            "return_comment": None,
        }
    ]
    detail = school.get(period_url(contract)).json()
    assert detail["school"] == "Lernfeld 1"
    assert detail["company_work"] is None and detail["days"] is None and detail["item_ids"] is None
    assert_problem(put(school, period_url(contract), body()), 403)


# --- bearer tokens ---------------------------------------------------------------------------------------------


def test_bearer_token_reads_and_writes_without_csrf(demo, contract):
    token, secret = api_token_create(actor=demo["azubi"], user=demo["azubi"], name="Handy", days=30)
    assert token.prefix == secret[:8] and secret not in token.key_hash and len(token.key_hash) == 64
    client = Client(enforce_csrf_checks=True)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    assert client.get(period_url(contract), **auth).status_code == 200
    saved = put(client, period_url(contract), body(), **auth)
    assert saved.status_code == 200 and saved.json()["state"] == "draft"
    assert post(client, period_url(contract, action="submit"), **auth).json()["state"] == "submitted"
    assert client.get("/api/v1/me", **auth).json()["roles"] == ["apprentice"]
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert AuditLog.objects.filter(action="api_token.create", target_id=str(token.pk)).exists()


def test_session_writes_still_need_csrf(demo, contract):
    client = Client(enforce_csrf_checks=True)
    client.force_login(demo["azubi"])
    assert client.get(period_url(contract)).status_code == 200
    assert_problem(put(client, period_url(contract), body()), 403)


def test_bad_tokens_are_refused(demo, contract):
    client = Client(enforce_csrf_checks=True)
    url = period_url(contract)
    revoked, revoked_secret = api_token_create(actor=demo["azubi"], user=demo["azubi"], name="alt")
    api_token_revoke(actor=demo["azubi"], token=revoked)
    expired, expired_secret = api_token_create(
        actor=demo["azubi"], user=demo["azubi"], name="abgelaufen", days=1
    )
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    for secret in (revoked_secret, expired_secret, "falsch", revoked_secret[:-1], ""):
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert_problem(response, 401)
        assert response["WWW-Authenticate"] == 'Bearer error="invalid_token"'
        assert_problem(put(client, url, body(), HTTP_AUTHORIZATION=f"Bearer {secret}"), 401)
    # A bad token never falls back to the session.
    session = Client()
    session.force_login(demo["azubi"])
    assert_problem(session.get(url, HTTP_AUTHORIZATION="Bearer falsch"), 401)
    assert AuditLog.objects.filter(action="api_token.revoke", target_id=str(revoked.pk)).count() == 1


def test_token_of_another_person_sees_only_their_scope(demo, contract):
    _token, secret = api_token_create(actor=None, user=demo["azubi2"], name="Tablet")
    assert_problem(Client().get(period_url(contract), HTTP_AUTHORIZATION=f"Bearer {secret}"), 404)
    _inactive, inactive_secret = api_token_create(actor=None, user=demo["azubi"], name="gesperrt")
    demo["azubi"].is_active = False
    demo["azubi"].save(update_fields=["is_active"])
    assert_problem(Client().get(period_url(contract), HTTP_AUTHORIZATION=f"Bearer {inactive_secret}"), 401)


def test_token_service_rules(demo):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(PermissionDenied):
        api_token_create(actor=demo["azubi2"], user=demo["azubi"], name="fremd")
    with pytest.raises(ValidationError):
        api_token_create(actor=demo["azubi"], user=demo["azubi"], name=" ")
    with pytest.raises(ValidationError):
        api_token_create(actor=demo["azubi"], user=demo["azubi"], name="lang", days=0)
    token, _secret = api_token_create(actor=demo["admin"], user=demo["azubi"], name="vom Admin")
    with pytest.raises(PermissionDenied):
        api_token_revoke(actor=demo["azubi2"], token=token)
    assert api_token_revoke(actor=demo["admin"], token=token).revoked


def test_a_form_body_instead_of_json_is_a_problem_not_a_server_error(demo, contract):
    """A signed-in session posting a multipart form (what a browser form sends) to an operation that takes
    JSON: the CSRF check has read the body as a form, so it cannot be read as JSON. 415, not 500."""
    trainer = login(demo, "ausbilder")
    answer = trainer.post(period_url(contract, action="return"), {"comment": "Bitte ergänzen."})
    problem = assert_problem(answer, 415)
    assert "application/json" in problem["detail"]
