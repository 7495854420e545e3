"""The e-mail digest of what waits (#16): off by default, one mail per person and period with the home page's
items, nothing when empty, nothing twice; `ausbildung send-digests` refuses a wrong frequency in one line."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ausbildung.core import digests
from ausbildung.core.models import DigestPreference, User
from ausbildung.core.waiting import waiting_for
from tests.test_cli import assert_one_line_error, run

DAILY = DigestPreference.Frequency.DAILY
WEEKLY = DigestPreference.Frequency.WEEKLY


def choose(user, frequency):
    return digests.digest_preference_save(actor=user, frequency=frequency)


def test_off_by_default_nobody_gets_mail(demo, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert digests.send_digests(frequency=DAILY) == (0, 0)
        assert digests.send_digests(frequency=WEEKLY) == (0, 0)
    assert mailoutbox == []
    assert digests.digest_frequency_of(demo["azubi"]) == DigestPreference.Frequency.OFF


def test_one_mail_with_the_home_page_items_and_never_twice_a_day(
    demo, mailoutbox, django_capture_on_commit_callbacks
):
    choose(demo["azubi"], DAILY)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        assert digests.send_digests(frequency=DAILY, today=today) == (1, 0)
        assert digests.send_digests(frequency=DAILY, today=today) == (0, 0)
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [demo["azubi"].email]
    assert "auf dich" in mail.subject  # an apprentice is addressed with "du"
    for item in waiting_for(demo["azubi"]):
        assert str(item.text) in mail.body and item.url in mail.body
    with django_capture_on_commit_callbacks(execute=True):
        assert digests.send_digests(frequency=DAILY, today=today + datetime.timedelta(days=1)) == (1, 0)
    assert len(mailoutbox) == 2


def test_weekly_once_per_iso_week_and_only_to_those_who_chose_it(
    demo, mailoutbox, django_capture_on_commit_callbacks
):
    choose(demo["eltern"], WEEKLY)
    choose(demo["azubi"], DAILY)
    monday = datetime.date(2026, 12, 7)
    with django_capture_on_commit_callbacks(execute=True):
        assert digests.send_digests(frequency=WEEKLY, today=monday) == (1, 0)
        assert digests.send_digests(frequency=WEEKLY, today=monday + datetime.timedelta(days=3)) == (0, 0)
        assert digests.send_digests(frequency=WEEKLY, today=monday + datetime.timedelta(days=7)) == (1, 0)
    assert [m.to for m in mailoutbox] == [[demo["eltern"].email]] * 2
    assert "auf Sie" in mailoutbox[0].subject  # a guardian is addressed with "Sie"


def test_empty_digests_are_skipped(demo, mailoutbox, django_capture_on_commit_callbacks):
    choose(demo["monitor"], DAILY)
    assert waiting_for(demo["monitor"]) == []
    with django_capture_on_commit_callbacks(execute=True):
        assert digests.send_digests(frequency=DAILY) == (0, 1)
    assert mailoutbox == []
    assert DigestPreference.objects.get(user=demo["monitor"]).last_period == ""


def test_nobody_without_an_address_or_inactive(demo, mailoutbox, django_capture_on_commit_callbacks):
    choose(demo["azubi"], DAILY)
    User.objects.filter(pk=demo["azubi"].pk).update(email="")
    with django_capture_on_commit_callbacks(execute=True):
        assert digests.send_digests(frequency=DAILY) == (0, 0)
    assert mailoutbox == []


def test_settings_page_switches_the_digest(demo, client_for):
    client = client_for("apprentice")
    url = reverse("core:digest")
    page = client.get(url)
    assert page.status_code == 200 and 'value="off" checked' in page.content.decode()
    assert client.post(url, {"frequency": "weekly"}).status_code == 302
    assert digests.digest_frequency_of(demo["azubi"]) == WEEKLY
    bad = client.post(url, {"frequency": "hourly"})
    assert bad.status_code == 200 and digests.digest_frequency_of(demo["azubi"]) == WEEKLY
    assert reverse("core:digest") in client.get(reverse("core:home")).content.decode()


def test_settings_need_signing_in(db, client):
    response = client.get(reverse("core:digest"))
    assert response.status_code == 302 and reverse("core:login") in response["Location"]


@pytest.mark.parametrize("args", [["--frequency", "hourly"], [], ["--frequency", ""]])
def test_cli_refuses_a_wrong_frequency_in_one_line(migrated, args):
    assert_one_line_error(run(["send-digests", *args], migrated), "daily")


def test_cli_sends(migrated):
    assert run(["demo", "--quiet-logins"], migrated).returncode == 0
    result = run(["send-digests", "--frequency", "weekly"], migrated)
    assert result.returncode == 0, result.stderr
    assert "0 digest(s) queued" in result.stdout
