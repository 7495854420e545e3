"""The trainer's review queue (#16): most urgent first, overdue marked, a count for the home page, the next
period after signing, bulk signing with "select all" and a confirmation step; trainer pages address the
trainer with "Sie" and speak of the apprentice in the third person."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from ausbildung.records import selectors, services
from ausbildung.records.models import ChamberRules, RecordPeriod

MONDAY = datetime.date(2025, 9, 1)


def monday(n: int) -> datetime.date:
    return MONDAY + datetime.timedelta(days=7 * n)


@pytest.fixture
def submit(demo, write_week):
    def make(n: int, *, days_ago: int = 0) -> RecordPeriod:
        period = services.record_period_submit(actor=demo["azubi"], period=write_week(monday(n)))
        if days_ago:
            RecordPeriod.objects.filter(pk=period.pk).update(
                submitted_at=timezone.now() - datetime.timedelta(days=days_ago)
            )
            period.refresh_from_db()
        return period

    return make


def queue_url() -> str:
    return reverse("records:queue")


def row_order(body: str) -> list[str]:
    """The periods' start dates in the order the queue lists them."""
    return re.findall(r'href="/[^"]*/\d+/(\d{4}-\d\d-\d\d)/"', body)


def test_queue_lists_the_oldest_period_first_whatever_the_order_of_submission(demo, client_for, submit):
    submit(3)
    submit(1)
    submit(2)
    body = client_for("trainer").get(queue_url()).content.decode()
    assert row_order(body) == [monday(1).isoformat(), monday(2).isoformat(), monday(3).isoformat()]
    assert [p.start for p in selectors.review_queue(demo["ausbilder"])] == [monday(1), monday(2), monday(3)]


def test_queue_marks_periods_waiting_longer_than_the_chamber_review_interval(
    demo, client_for, contract, submit
):
    submit(1, days_ago=32)  # default interval: 31 days (rules.DEFAULT_RULES, BIBB recommendation)
    submit(2, days_ago=3)
    body = client_for("trainer").get(queue_url()).content.decode()
    assert body.count('data-testid="overdue-marker"') == 1
    assert body.index('data-testid="overdue-marker"') < body.index(monday(2).isoformat())
    assert "Überfällig: vor mehr als 31 Tagen eingereicht" in body
    counts = selectors.review_queue_counts(demo["ausbilder"], today=timezone.localdate())
    assert (counts.waiting, counts.overdue) == (2, 1)
    assert selectors.review_queue_count(demo["ausbilder"]) == 2
    assert selectors.review_queue_count(demo["azubi"]) == 0

    # A chamber that asks for a review every 2 days: both are overdue.
    ChamberRules.objects.create(chamber=contract.chamber, review_interval_days=2)
    body = client_for("trainer").get(queue_url()).content.decode()
    assert body.count('data-testid="overdue-marker"') == 2
    assert selectors.review_queue_counts(demo["ausbilder"], today=timezone.localdate()).overdue == 2


def test_after_signing_the_page_offers_the_next_period_of_the_queue(demo, client_for, contract, submit):
    first, second = submit(1), submit(2)
    trainer = client_for("trainer")
    review = reverse("records:review", kwargs={"contract_id": contract.pk, "start": first.start.isoformat()})
    page = trainer.post(review, {"action": "sign"}, follow=True).content.decode()
    assert "Nächster Zeitraum in der Warteschlange" in page
    next_url = reverse(
        "records:period", kwargs={"contract_id": contract.pk, "start": second.start.isoformat()}
    )
    assert f'data-testid="next-in-queue" href="{next_url}"' in page
    # The last one signed: nothing left to offer.
    review = reverse("records:review", kwargs={"contract_id": contract.pk, "start": second.start.isoformat()})
    page = trainer.post(review, {"action": "sign"}, follow=True).content.decode()
    assert "next-in-queue" not in page


def test_queue_offers_select_all_without_and_with_a_script(client_for, submit):
    periods = [submit(1), submit(2)]
    trainer = client_for("trainer")
    body = trainer.get(queue_url()).content.decode()
    assert "Alle auswählen" in body and 'href="?alle=1"' in body and "data-select-all" in body
    assert "records/queue.js" in body  # the static script (CSP: no inline script)
    assert " checked" not in body
    ticked = trainer.get(queue_url() + "?alle=1").content.decode()
    for period in periods:
        assert f'value="{period.pk}" id="p-{period.pk}" checked' in ticked
    assert "Auswahl aufheben" in ticked


def test_bulk_signing_with_nothing_selected_is_a_field_error(demo, client_for, submit):
    submit(1)
    response = client_for("trainer").post(queue_url(), {}, follow=True)
    body = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="periods-error"' in body
    assert "Bitte wählen Sie mindestens einen Zeitraum zum Abzeichnen aus." in body
    assert "0 Zeiträume" not in body and "abgezeichnet." not in body
    assert not RecordPeriod.objects.filter(state=RecordPeriod.State.SIGNED).exists()


def test_bulk_signing_asks_for_confirmation_first(demo, client_for, submit):
    periods = [submit(1), submit(2)]
    trainer = client_for("trainer")
    chosen = {"periods": [p.pk for p in periods]}
    confirm = trainer.post(queue_url(), chosen)
    body = confirm.content.decode()
    assert confirm.status_code == 200
    assert "2 Zeiträume von Jonas Becker abzeichnen?" in body
    assert monday(1).strftime("%d.%m.%Y") in body and monday(2).strftime("%d.%m.%Y") in body
    assert not RecordPeriod.objects.filter(state=RecordPeriod.State.SIGNED).exists()

    done = trainer.post(queue_url(), {**chosen, "confirmed": "on"}, follow=True)
    assert "2 Zeiträume abgezeichnet." in done.content.decode()
    assert RecordPeriod.objects.filter(state=RecordPeriod.State.SIGNED).count() == 2


def test_bulk_signing_signs_only_periods_of_the_own_queue(demo, client_for, submit):
    period = submit(1)
    from django.test import Client

    other = Client()
    other.force_login(demo["meister"])  # a trainer of another company
    response = other.post(queue_url(), {"periods": [period.pk], "confirmed": "on"})
    assert response.status_code == 400
    assert RecordPeriod.objects.get(pk=period.pk).state == RecordPeriod.State.SUBMITTED


def test_trainer_reads_a_returned_period_in_the_third_person(demo, client_for, contract, submit):
    period = submit(1)
    services.record_period_return(actor=demo["ausbilder"], period=period, comment="Bitte genauer.")
    url = reverse("records:period", kwargs={"contract_id": contract.pk, "start": period.start.isoformat()})
    trainer_page = client_for("trainer").get(url).content.decode()
    assert "Zur Überarbeitung an Jonas Becker zurückgegeben" in trainer_page
    assert not re.search(r"\b(deine[rmns]?|dein|du|dir|dich)\b", trainer_page, re.IGNORECASE)
    apprentice_page = client_for("apprentice").get(url).content.decode()
    assert "Von deiner Ausbilderin oder deinem Ausbilder zurückgegeben" in apprentice_page


@pytest.mark.parametrize("name", ["queue", "overview"])
def test_trainer_pages_of_the_record_never_say_du(client_for, submit, name):
    submit(1, days_ago=40)
    body = client_for("trainer").get(reverse(f"records:{name}")).content.decode()
    assert not re.search(r"\b(deine[rmns]?|dein|du|dir|dich)\b", body, re.IGNORECASE)
