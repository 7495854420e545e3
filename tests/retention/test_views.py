"""Dropout prevention (issue #20) through its pages: the apprentice's check-in and wish for a talk, the company's
list with the reasons in words (never the check-in answers), the chamber's individual view only on request or
with consent (for a minor confirmed by a guardian), the vocational school's notes, the intervention log."""

from __future__ import annotations

import datetime
import re
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from ausbildung.core.models import TrainingContract
from ausbildung.records import selectors as record_selectors
from ausbildung.retention import selectors
from ausbildung.retention.models import ChamberConsent, CheckIn, Intervention, SchoolNote, TalkRequest

BERLIN = ZoneInfo("Europe/Berlin")
# The demo apprentice Jonas Becker started on 1 August 2025 (probation four months): his first-weeks check-in
# is open from 15 August to 12 September 2025.
FIRST_WEEKS = datetime.datetime(2025, 8, 20, 10, 0, tzinfo=BERLIN)
WORRYING = {
    "mood": "2",
    "instruction": "1",
    "conflicts": "serious",
    "overtime": "yes",
    "quitting": "often",
    "talk_with": "company",
}


def text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def jonas(demo) -> TrainingContract:
    return TrainingContract.objects.get(apprentice=demo["azubi"])


def test_the_apprentice_answers_the_open_check_in_and_only_he_sees_the_answers(client_for, jonas):
    with time_machine.travel(FIRST_WEEKS, tick=False):
        apprentice = client_for("apprentice")
        page = text(apprentice.get(reverse("retention:mine")))
        assert "Check-in" in page
        response = apprentice.post(reverse("retention:checkin"), WORRYING)
        assert response.status_code == 302
        checkin = CheckIn.objects.get(contract=jonas)
        assert (checkin.occasion, checkin.mood, checkin.overtime) == ("first_weeks", 2, True)
        assert TalkRequest.objects.filter(
            contract=jonas, addressee="company", closed_at__isnull=True
        ).exists()
        own = text(apprentice.get(reverse("retention:mine")))
        assert "Im Check-in: Konflikte im Betrieb" in own and "Gedanken ans Aufhören" in own
        # the company sees the wish for a talk, not the answers
        lead = text(client_for("company_admin").get(reverse("retention:contract", args=[jonas.pk])))
        assert "Gesprächswunsch der oder des Auszubildenden" in lead
        assert "Check-in" not in lead and "Aufhören" not in lead
        listed = text(client_for("company_admin").get(reverse("retention:company")))
        assert "Jonas Becker" in listed and "Aufhören" not in listed
        # a second answer to the same occasion is refused
        again = apprentice.post(reverse("retention:checkin"), WORRYING)
        assert again.status_code == 302 and CheckIn.objects.filter(contract=jonas).count() == 1


def test_no_check_in_is_open_outside_its_windows(client_for, jonas):
    with time_machine.travel(datetime.datetime(2025, 10, 1, 10, 0, tzinfo=BERLIN), tick=False):
        assert selectors.due_checkin(jonas, today=datetime.date(2025, 10, 1)) is None
        response = client_for("apprentice").post(reverse("retention:checkin"), WORRYING)
        assert response.status_code == 302 and not CheckIn.objects.filter(contract=jonas).exists()


@pytest.mark.parametrize("field", ["mood", "conflicts", "overtime"])
def test_an_incomplete_check_in_shows_a_german_error_and_saves_nothing(client_for, jonas, field):
    with time_machine.travel(FIRST_WEEKS, tick=False):
        response = client_for("apprentice").post(reverse("retention:checkin"), {**WORRYING, field: ""})
    assert response.status_code == 400
    assert "Dieses Feld ist zwingend erforderlich" in text(response)
    assert not CheckIn.objects.filter(contract=jonas).exists()


def test_the_company_list_names_the_reasons_in_words(client_for, jonas, demo):
    """The demo book of Jonas has weeks without a record; the list says so in words, with the points."""
    today = timezone.localdate()
    facts = record_selectors.retention_record_facts([jonas], today=today)[jonas.pk]
    page = text(client_for("company_admin").get(reverse("retention:company")))
    assert "Jonas Becker" in page
    if facts.missing_weeks:
        weeks = "1 Woche" if facts.missing_weeks == 1 else f"{facts.missing_weeks} Wochen"
        assert f"{weeks} ohne Ausbildungsnachweis" in page
    # the trainer of the carpenter (another company) does not appear in this company's list
    assert "Lukas Meyer" not in page


def test_the_chamber_sees_figures_and_a_contract_only_on_request_or_with_consent(client_for, demo, jonas):
    chamber = client_for("chamber_officer")
    url = reverse("retention:contract", args=[jonas.pk])
    assert chamber.get(url).status_code == 404
    assert "Jonas Becker" not in text(chamber.get(reverse("retention:chamber")))
    # Jonas (17, a minor) consents: not enough until a guardian confirms
    apprentice = client_for("apprentice")
    apprentice.post(reverse("retention:consent"), {"action": "grant"})
    consent = ChamberConsent.objects.get(contract=jonas)
    assert chamber.get(url).status_code == 404
    guardian = client_for("guardian")
    assert "Jonas Becker" in text(guardian.get(reverse("retention:guardian")))
    guardian.post(reverse("retention:guardian"), {"consent": consent.pk})
    assert chamber.get(url).status_code == 200
    assert "Jonas Becker" in text(chamber.get(reverse("retention:chamber")))
    # withdrawn: gone again
    apprentice.post(reverse("retention:consent"), {"action": "withdraw"})
    assert chamber.get(url).status_code == 404
    # a request for a talk with the chamber opens it without consent, until the talk is closed
    apprentice.post(reverse("retention:talk"), {"addressee": "chamber"})
    assert chamber.get(url).status_code == 200
    talk = TalkRequest.objects.get(contract=jonas, addressee="chamber")
    chamber.post(reverse("retention:talk_close", args=[talk.pk]))
    assert chamber.get(url).status_code == 404


def test_a_guardian_confirms_only_the_consent_of_a_current_ward(client_for, demo, jonas, outsider):
    client_for("apprentice").post(reverse("retention:consent"), {"action": "grant"})
    consent = ChamberConsent.objects.get(contract=jonas)
    from django.test import Client

    stranger = Client()
    from ausbildung.core.models import Guardianship, Membership

    Membership.objects.filter(user=outsider).delete()
    Guardianship.objects.create(guardian=outsider, ward=demo["schueler"])
    stranger.force_login(outsider)
    assert stranger.post(reverse("retention:guardian"), {"consent": consent.pk}).status_code in {403, 404}
    consent.refresh_from_db()
    assert consent.guardian_confirmed_at is None


def test_the_chamber_figures_hide_small_counts(demo):
    from ausbildung.retention import nightly

    nightly.assess()
    rows = selectors.chamber_levels(
        TrainingContract.objects.filter(status="active"), run=nightly.latest_run()
    )
    assert rows and all(row.total is None for row in rows)  # one or two contracts per occupation in the demo


def test_a_school_note_becomes_a_hint_for_the_company_and_can_be_withdrawn(client_for, demo, jonas):
    school = client_for("vocational_school_teacher")
    today = timezone.localdate()
    response = school.post(
        reverse("retention:school_note"),
        {"contract": jonas.pk, "kind": "concern", "period_end": today.isoformat()},
    )
    assert response.status_code == 302
    note = SchoolNote.objects.get(contract=jonas, kind="concern")
    lead = text(client_for("company_admin").get(reverse("retention:contract", args=[jonas.pk])))
    assert "Die Berufsschule sieht Gesprächsbedarf" in lead
    school.post(reverse("retention:school_note_withdraw", args=[note.pk]))
    note.refresh_from_db()
    assert note.withdrawn_at is not None
    lead = text(client_for("company_admin").get(reverse("retention:contract", args=[jonas.pk])))
    assert "Die Berufsschule sieht Gesprächsbedarf" not in lead


def test_a_school_note_in_the_future_or_for_another_school_is_refused(client_for, demo, jonas):
    school = client_for("vocational_school_teacher")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = school.post(
        reverse("retention:school_note"),
        {"contract": jonas.pk, "kind": "absence", "days": 3, "period_end": tomorrow},
    )
    assert response.status_code == 400 and "noch in der Zukunft liegen" in text(response)
    response = school.post(
        reverse("retention:school_note"),
        {"contract": 999999, "kind": "concern", "period_end": timezone.localdate()},
    )
    assert response.status_code == 400
    assert (
        not SchoolNote.objects.filter(author=demo["berufsschule"], contract=jonas)
        .exclude(kind="absence", days=6)
        .exists()
    )


def test_the_lead_logs_a_talk_with_a_follow_up_and_marks_it_done(client_for, demo, jonas):
    lead = client_for("company_admin")
    today = timezone.localdate()
    url = reverse("retention:intervention", args=[jonas.pk])
    before = Intervention.objects.filter(contract=jonas).count()
    future = lead.post(url, {"kind": "talk", "held_on": today + datetime.timedelta(days=2)})
    assert future.status_code == 400 and "wenn er stattgefunden hat" in text(future)
    response = lead.post(
        url,
        {
            "kind": "asa_flex",
            "held_on": today,
            "result": "Termin bei der Agentur für Arbeit vereinbart.",
            "follow_up_on": today + datetime.timedelta(days=14),
        },
    )
    assert response.status_code == 302
    step = Intervention.objects.filter(contract=jonas).latest("pk")
    assert Intervention.objects.filter(contract=jonas).count() == before + 1
    assert step.kind == "asa_flex" and step.author == demo["betrieb"]
    page = text(lead.get(reverse("retention:contract", args=[jonas.pk])))
    assert "AsA flex, SGB III §§ 74–75a" in page and "Termin bei der Agentur" in page
    later = today + datetime.timedelta(days=15)
    due_before = selectors.follow_ups_due([jonas.pk], today=later)[jonas.pk]
    assert due_before >= 1
    assert selectors.follow_ups_due([jonas.pk], today=today).get(jonas.pk, 0) == due_before - 1
    lead.post(reverse("retention:follow_up", args=[step.pk]))
    step.refresh_from_db()
    assert step.followed_up_at is not None
    assert selectors.follow_ups_due([jonas.pk], today=later).get(jonas.pk, 0) == due_before - 1


def test_other_companies_and_roles_do_not_reach_a_contract(client_for, demo, jonas):
    carpenter = TrainingContract.objects.get(apprentice=demo["azubi2"])
    lead = client_for("company_admin")
    assert lead.get(reverse("retention:contract", args=[carpenter.pk])).status_code == 404
    assert (
        lead.post(reverse("retention:intervention", args=[carpenter.pk]), {"kind": "talk"}).status_code == 404
    )
    for role in ["apprentice", "teacher", "counsellor", "monitor", "vocational_school_teacher"]:
        assert client_for(role).get(reverse("retention:contract", args=[jonas.pk])).status_code == 403


def test_a_former_trainer_sees_nothing(client_for, demo, jonas):
    from ausbildung.core.models import Membership

    trainer = client_for("trainer")
    assert trainer.get(reverse("retention:contract", args=[jonas.pk])).status_code == 200
    Membership.objects.filter(user=demo["ausbilder"]).update(is_active=False)
    assert trainer.get(reverse("retention:contract", args=[jonas.pk])).status_code == 403


def test_what_waits_appears_for_each_role(client_for, demo, jonas):
    from ausbildung.core.waiting import waiting_for

    def keys(username):
        return {item.key: item.count for item in waiting_for(demo[username])}

    assert not {"retention_talks_company", "retention_follow_ups"} & set(keys("betrieb"))
    apprentice = client_for("apprentice")
    apprentice.post(reverse("retention:talk"), {"addressee": "company"})
    apprentice.post(reverse("retention:talk"), {"addressee": "chamber"})
    apprentice.post(reverse("retention:consent"), {"action": "grant"})
    assert keys("betrieb")["retention_talks_company"] == 1
    assert keys("ausbilder")["retention_talks_company"] == 1
    assert keys("kammer")["retention_talks_chamber"] == 1
    assert keys("eltern")["retention_consents"] == 1
    Intervention.objects.create(
        contract=jonas, kind="talk", held_on=timezone.localdate(), follow_up_on=timezone.localdate()
    )
    assert keys("betrieb")["retention_follow_ups"] == 1
    # the trainer of the carpenter's company sees none of it
    from ausbildung.core.models import User

    assert "retention_talks_company" not in {
        item.key for item in waiting_for(User.objects.get(username="meister"))
    }
    with time_machine.travel(FIRST_WEEKS, tick=False):
        assert "retention_checkin" in keys("azubi")
    assert "retention_checkin" not in keys("azubi")
