"""Record pages through the test client: forms keep input on errors, htmx autosave, reviews, chamber, sharing."""

from __future__ import annotations

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from ausbildung.records import services
from ausbildung.records.models import ExaminerShare, RecordDay, RecordEvent, RecordPeriod

MONDAY = datetime.date(2025, 9, 1)


def post_data(monday: datetime.date, action: str = "save", version: int = 0, **overrides) -> dict:
    """The week page's form as the browser sends it; `version` is the period's version the page was read at."""
    data = {
        "action": action,
        "version": str(version),
        "company_work": "Kundenauftrag geplant.",
        "instruction": "",
        "school": "Subnetting",
    }
    for offset in range(7):
        day = (monday + datetime.timedelta(days=offset)).isoformat()
        data[f"place-{day}"] = "company" if offset < 5 else "free"
        data[f"hours-{day}"] = "8" if offset < 5 else ""
    data.update(overrides)
    return data


def period_url(contract, monday=MONDAY) -> str:
    return reverse("records:period", kwargs={"contract_id": contract.pk, "start": monday.isoformat()})


def test_new_week_page_is_prefilled_and_not_saved(client_for, contract):
    response = client_for("apprentice").get(period_url(contract))
    assert response.status_code == 200
    assert response.content.decode().count('name="place-') == 7
    assert not RecordPeriod.objects.filter(contract=contract).exists()


def test_a_mid_week_date_redirects_to_the_period_start(client_for, contract):
    response = client_for("apprentice").get(period_url(contract, MONDAY + datetime.timedelta(days=2)))
    assert response.status_code == 302 and response["Location"] == period_url(contract)


def test_bad_input_shows_german_errors_and_keeps_the_input(client_for, contract):
    data = post_data(
        MONDAY, **{f"hours-{MONDAY.isoformat()}": "30", "company_work": "Mein ungespeicherter Text"}
    )
    response = client_for("apprentice").post(period_url(contract), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Bitte prüfen Sie Ihre Eingaben." in body or "Bitte prüfe deine Eingaben." in body
    assert "Mein ungespeicherter Text" in body and 'value="30"' in body
    assert 'aria-invalid="true"' in body
    assert not RecordPeriod.objects.filter(contract=contract).exists()
    # Only the day is marked: the framework-plan items had no error (a template reading `errors.items` got
    # the dict's items() when the key was absent and printed them all there as "dict_items([...])").
    assert "dict_items" not in body and "kern-fieldset--error" not in body


def test_save_then_submit(client_for, contract):
    client = client_for("apprentice")
    assert client.post(period_url(contract), post_data(MONDAY)).status_code == 302
    assert RecordPeriod.objects.get(contract=contract).state == "draft"
    response = client.post(period_url(contract), post_data(MONDAY, action="submit", version=1))
    assert response.status_code == 302
    assert RecordPeriod.objects.get(contract=contract).state == "submitted"
    # Locked now: further posts are refused.
    assert client.post(period_url(contract), post_data(MONDAY, version=2)).status_code == 403


def test_a_form_with_errors_keeps_the_version_it_was_read_at(client_for, contract, write_week):
    """Shown again with errors, the editor sends the version it read, so the corrected form saves; before, the
    page came back with version 0 and the correction was refused as a change made elsewhere."""
    write_week(MONDAY)  # version 1
    client = client_for("apprentice")
    bad = client.post(
        period_url(contract), post_data(MONDAY, version=1, **{f"hours-{MONDAY.isoformat()}": "30"})
    )
    assert bad.status_code == 200 and 'name="version" value="1"' in bad.content.decode()
    assert client.post(period_url(contract), post_data(MONDAY, version=1)).status_code == 302
    assert RecordPeriod.objects.get(contract=contract).version == 2


def test_a_refused_submission_keeps_the_saved_draft_and_its_version(client_for, contract):
    """Submitting without a text for the company work saves the draft and shows what is missing; the page
    then carries the saved draft's version, so the next save goes through (before: version 0, refused)."""
    client = client_for("apprentice")
    response = client.post(period_url(contract), post_data(MONDAY, action="submit", company_work=""))
    body = response.content.decode()
    period = RecordPeriod.objects.get(contract=contract)
    assert response.status_code == 200 and period.state == "draft" and period.version == 1
    assert 'name="version" value="1"' in body and 'id="id_company_work_error"' in body
    assert client.post(period_url(contract), post_data(MONDAY, action="submit", version=1)).status_code == 302
    assert RecordPeriod.objects.get(contract=contract).state == "submitted"


def test_htmx_autosave_returns_a_status_fragment(client_for, contract):
    response = client_for("apprentice").post(
        period_url(contract), post_data(MONDAY, action="autosave"), headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert RecordPeriod.objects.get(contract=contract).version == 1
    bad = client_for("apprentice").post(
        period_url(contract),
        post_data(MONDAY, action="autosave", version=1, **{f"hours-{MONDAY.isoformat()}": "x"}),
        headers={"HX-Request": "true"},
    )
    assert bad.status_code == 422


def test_copy_previous_texts(client_for, contract, write_week):
    write_week(MONDAY, text="Texte der Vorwoche über die Netzwerkplanung.")
    next_monday = MONDAY + datetime.timedelta(days=7)
    client = client_for("apprentice")
    client.post(
        period_url(contract, next_monday), post_data(next_monday, action="copy_previous"), follow=True
    )
    copied = RecordPeriod.objects.get(contract=contract, start=next_monday)
    assert copied.company_work == "Texte der Vorwoche über die Netzwerkplanung."
    assert services.repeated_sections(copied)


def test_trainer_returns_with_comment_and_bulk_signs(demo, client_for, contract, write_week):
    periods = []
    for n in range(3):
        period = write_week(MONDAY + datetime.timedelta(days=7 * n), text=f"Aufgaben der Woche {n} erledigt.")
        periods.append(services.record_period_submit(actor=demo["azubi"], period=period))
    trainer = client_for("trainer")
    review_url = reverse("records:review", kwargs={"contract_id": contract.pk, "start": MONDAY.isoformat()})
    trainer.post(review_url, {"action": "return", "comment": ""})
    assert RecordPeriod.objects.get(pk=periods[0].pk).state == "submitted"  # a return needs a comment
    trainer.post(review_url, {"action": "return", "comment": "Bitte genauer."})
    assert RecordPeriod.objects.get(pk=periods[0].pk).state == "returned"
    queue = trainer.get(reverse("records:queue"))
    assert queue.status_code == 200 and "Jonas Becker" in queue.content.decode()
    second = MONDAY + datetime.timedelta(days=7)
    assert f'href="{period_url(contract, second)}"' in queue.content.decode()
    # The returned period left the queue: a choice that still holds it is refused as a whole (#16).
    stale = trainer.post(reverse("records:queue"), {"periods": [p.pk for p in periods], "confirmed": "on"})
    assert stale.status_code == 400 and "wartet nicht mehr auf Ihre Prüfung" in stale.content.decode()
    assert not RecordPeriod.objects.filter(contract=contract, state="signed").exists()
    trainer.post(reverse("records:queue"), {"periods": [p.pk for p in periods[1:]], "confirmed": "on"})
    states = dict(RecordPeriod.objects.filter(contract=contract).values_list("start", "state"))
    assert list(states.values()).count("signed") == 2 and states[MONDAY] == "returned"
    # Another company's trainer cannot sign through the queue either.
    other = Client()
    other.force_login(demo["meister"])
    other.post(reverse("records:queue"), {"periods": [periods[0].pk], "confirmed": "on"})
    assert RecordPeriod.objects.get(pk=periods[0].pk).state == "returned"


def test_overview_flags_missing_and_overdue(demo, client_for, contract, write_week):
    period = write_week(MONDAY)
    services.record_period_submit(actor=demo["azubi"], period=period)
    body = client_for("trainer").get(reverse("records:overview")).content.decode()
    assert "Jonas Becker" in body and "Lukas Meyer" not in body
    assert "überfällig" not in body  # just submitted
    # Waiting for 40 days: beyond the chamber's default review interval (at least monthly, BBiG § 14 Abs. 2).
    RecordPeriod.objects.filter(pk=period.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=40)
    )
    body = client_for("trainer").get(reverse("records:overview")).content.decode()
    assert "Prüfung überfällig" in body


def test_vocational_school_sees_the_school_section_only(demo, client_for, contract, write_week):
    write_week(MONDAY, text="Geheimer Betriebsablauf dokumentiert.")
    body = client_for("vocational_school_teacher").get(period_url(contract)).content.decode()
    assert "Subnetting; IPv6" in body and "Geheimer Betriebsablauf" not in body


def test_chamber_share_link_for_an_examiner(demo, client_for, contract, write_week):
    period = write_week(MONDAY, text="Abgezeichneter Inhalt für die Prüfung.")
    services.record_period_submit(actor=demo["azubi"], period=period)
    services.record_period_sign(actor=demo["ausbilder"], period=period)
    chamber = client_for("chamber_officer")
    response = chamber.post(reverse("records:share", kwargs={"contract_id": contract.pk}), {"days": "7"})
    assert response.status_code == 200
    token = response.context["url"].split("#", 1)[1]
    link = ExaminerShare.objects.get(contract=contract)
    examiner = Client()
    assert examiner.post(reverse("records:shared"), {"token": token}).status_code == 302
    shared = examiner.get(reverse("records:shared"))
    assert shared.status_code == 200 and "Abgezeichneter Inhalt" in shared.content.decode()
    link.expires_at = link.created_at - datetime.timedelta(seconds=1)
    link.save(update_fields=["expires_at"])
    assert "Abgezeichneter Inhalt" not in examiner.get(reverse("records:shared")).content.decode()
    assert Client().post(reverse("records:shared"), {"token": token}).status_code == 400
    # The trainer's chamber is not the HWK: its officer cannot share this record.
    hwk = Client()
    hwk.force_login(demo["hwk"])
    assert hwk.post(reverse("records:share", kwargs={"contract_id": contract.pk})).status_code == 404


def test_share_days_out_of_range_is_a_message(demo, client_for, contract):
    chamber = client_for("chamber_officer")
    response = chamber.post(reverse("records:share", kwargs={"contract_id": contract.pk}), {"days": "365"})
    assert response.status_code == 302
    assert not ExaminerShare.objects.filter(contract=contract).exists()


def test_chamber_exam_readiness(demo, client_for, contract):
    body = (
        client_for("chamber_officer")
        .get(reverse("records:chamber"), {"stichtag": "2025-08-31"})
        .content.decode()
    )
    assert "Jonas Becker" in body  # listed, and not complete: nothing signed yet
    assert "Lukas Meyer" not in body  # another chamber (HWK)


def test_guardian_acknowledges_from_the_book(demo, client_for, contract):
    response = client_for("guardian").post(
        reverse("records:acknowledge", kwargs={"contract_id": contract.pk})
    )
    assert response.status_code == 302
    assert contract.guardian_acknowledgements.filter(guardian=demo["eltern"]).exists()


def test_mine_without_contract_goes_home(client_for, demo):
    from ausbildung.core.models import TrainingContract

    TrainingContract.objects.filter(apprentice=demo["azubi"]).update(status="completed")
    response = client_for("apprentice").get(reverse("records:mine"))
    assert response.status_code == 302 and response["Location"] == reverse("core:home")


def test_impossible_dates_are_not_found_not_server_errors(client_for, contract):
    url = reverse("records:period", kwargs={"contract_id": contract.pk, "start": "2025-02-30"})
    assert client_for("apprentice").get(url).status_code == 404
    chamber = client_for("chamber_officer").get(reverse("records:chamber"), {"stichtag": "2025-02-30"})
    assert chamber.status_code == 200


def _queries(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # the first request of a client may set up its session
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_week_page_and_queue_read_with_a_fixed_number_of_queries(demo, client_for, contract, write_week):
    """Session, user and roles (one query), then the page's own reads; more data adds no queries (no N+1)."""
    from ausbildung.core.models import FrameworkItem

    item_ids = list(
        FrameworkItem.objects.filter(framework_position__plan__occupation=contract.occupation).values_list(
            "pk", flat=True
        )[:4]
    )
    apprentice, trainer = client_for("apprentice"), client_for("trainer")
    first = write_week(MONDAY, item_ids=item_ids[:1])
    services.record_period_submit(actor=demo["azubi"], period=first)
    services.record_period_sign(actor=demo["ausbilder"], period=first)
    second = MONDAY + datetime.timedelta(days=7)
    services.record_period_submit(actor=demo["azubi"], period=write_week(second))

    week_small, queue_small = (
        _queries(apprentice, period_url(contract)),
        _queries(trainer, reverse("records:queue")),
    )

    for n in range(2, 5):
        period = write_week(MONDAY + datetime.timedelta(days=7 * n), item_ids=item_ids)
        services.record_period_submit(actor=demo["azubi"], period=period)
    services.record_period_reopen(actor=demo["ausbilder"], period=first, reason="Bitte ergänzen.")
    period = write_week(MONDAY, item_ids=item_ids, text="Ergänzt.")
    services.record_period_submit(actor=demo["azubi"], period=period)
    services.record_period_sign(actor=demo["ausbilder"], period=period)

    assert week_small == 9  # + period, days, items, events, working-time findings
    # A reopened period also shows what was signed before: its signed versions and their items, two more
    # queries, as many for one version as for many.
    assert _queries(apprentice, period_url(contract)) == week_small + 2
    assert _queries(apprentice, period_url(contract, MONDAY + datetime.timedelta(days=14))) == week_small
    # + count, page, the page's working-time finding counts (one query for the page, #15), the review
    # intervals of the page's chambers (the overdue mark, #16); the trainer's second-factor device, read by
    # django-otp's middleware for a verified session (#18); the audit of reads (#18, core.audit): which of
    # the page's apprentices count, the trainer's organisation, one INSERT
    assert _queries(trainer, reverse("records:queue")) == queue_small == 11


def test_queue_rows_and_week_page_labels(demo, client_for, contract, write_week):
    """The queue's rows are prepared as text in the view (names still escaped); the week page shows the
    places and the history with their translated labels."""
    apprentice = demo["azubi"]
    apprentice.first_name = "<i>Jonas</i>"
    apprentice.save(update_fields=["first_name"])
    period = services.record_period_submit(actor=apprentice, period=write_week(MONDAY))
    trainer = client_for("trainer")

    queue = trainer.get(reverse("records:queue")).content.decode()

    assert "&lt;i&gt;Jonas&lt;/i&gt; Becker" in queue and "<i>Jonas" not in queue
    assert f'value="{period.pk}" id="p-{period.pk}"' in queue
    assert "01.09.2025 – 07.09.2025" in queue
    assert f'href="{period_url(contract)}"' in queue

    page = trainer.get(period_url(contract))
    body = page.content.decode()
    with translation.override(page["Content-Language"]):
        company, school = str(RecordDay.Place.COMPANY.label), str(RecordDay.Place.SCHOOL.label)
        submitted = str(RecordEvent.Action.SUBMITTED.label)
        place = 'data-label="{}"'.format(translation.gettext("Place / status"))
    assert body.count(f'<td class="kern-table__cell" {place}>{company}</td>') == 4
    assert body.count(f'<td class="kern-table__cell" {place}>{school}</td>') == 1
    assert f": {submitted} (&lt;i&gt;Jonas&lt;/i&gt; Becker)</li>" in body


def test_week_page_editor_with_a_fixed_number_of_queries(client_for, contract, write_week):
    """The editor's requests (session, user and roles: three queries, then the page's own). The figures are
    today's: a change that adds a query to the week page must say why here. The previous period (the prefill
    of a new week, the "copy" button) is read once per request, also when the form comes back with errors."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    write_week(MONDAY)
    week = MONDAY + datetime.timedelta(days=7)
    url = period_url(contract, week)
    apprentice = client_for("apprentice")
    apprentice.get(url)  # the first request of a client may set up its session

    def queries(data: dict | None = None, **headers: str) -> tuple[int, int]:
        """(queries of the request, of them reads of the previous period)"""
        with CaptureQueriesContext(connection) as captured:
            response = apprentice.post(url, data, headers=headers) if data else apprentice.get(url)
        assert response.status_code in {200, 302}
        previous = [q for q in captured if '"start" <' in q["sql"] and "records_recordperiod" in q["sql"]]
        return len(captured), len(previous)

    bad_hours = {f"hours-{week.isoformat()}": "30"}
    # A new week: + contract, period, previous with its days, site (public holidays), plan positions and items.
    assert queries() == (10, 1)
    assert queries(post_data(week, **bad_hours)) == (15, 1)  # was (20, 4): the previous period read 4 times
    # Saving also checks the calendar week's working time (#15): + the week's days, the site's Land (public
    # holidays), the stored findings, and the findings count for the warning after the save.
    assert queries(post_data(week)) == (25, 0)  # was (24, 1); (21, 0) before the working-time findings
    # Saved: + the period's days, items and events and the repeated-text check; no site, no previous days.
    # Saved: + the period's days, items and events, its working-time findings and the repeated-text check.
    assert queries() == (13, 1)
    assert queries(post_data(week, version=1, **bad_hours)) == (18, 1)  # was (23, 3)
    assert queries(post_data(week, action="autosave", version=1), **{"HX-Request": "true"}) == (25, 0)
    assert queries(post_data(week, action="copy_previous", version=2)) == (30, 1)  # was (30, 2)
