"""The nightly scoring (`ausbildung retention assess`, issue #20): it stores for every contract in training the
score others may see (the same as the live pages compute, without the check-in answers), keeps the latest day
and the first of each month, feeds the chamber's figures, and checks the score's quality against the
dissolutions that followed (AUC, retention.quality)."""

from __future__ import annotations

import datetime
import re
import subprocess
import sys
from html import unescape

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from ausbildung.core.models import Organisation, TrainingContract, TrainingSite, User
from ausbildung.core.services import add_months
from ausbildung.retention import nightly, selectors
from ausbildung.retention.models import Assessment, AssessmentRun, CheckIn, QualityCheck


def text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_the_stored_score_is_the_shared_score_of_the_live_pages(demo):
    today = timezone.localdate()
    jonas = TrainingContract.objects.get(apprentice=demo["azubi"])
    # a worrying check-in: it counts for the apprentice's own view, never in what is stored
    CheckIn.objects.create(
        contract=jonas, occasion="month_6", mood=1, instruction=1, conflicts="serious", overtime=True,
        quitting="often",
    )  # fmt: skip
    report = nightly.assess()
    stored = {row.contract_id: row for row in Assessment.objects.filter(day=today)}
    in_training = TrainingContract.objects.filter(status="active", start_date__lte=today, end_date__gte=today)
    assert report.contracts == len(stored) == in_training.count() > 0
    live = {row.contract.pk: row.score for row in selectors.scored(in_training, today=today)}
    for pk, score in live.items():
        assert stored[pk].points == score.points, pk
        assert stored[pk].level == score.level
        assert stored[pk].signals.split(",") == [s.key for s in score.signals] or not score.signals
    assert "checkin" not in stored[jonas.pk].signals
    private = selectors.scored(in_training.filter(pk=jonas.pk), today=today, private=True)[0].score
    assert private.points > stored[jonas.pk].points
    run = AssessmentRun.objects.get(day=today)
    assert (run.contracts, run.watch, run.talk) == (report.contracts, report.watch, report.talk)


def test_running_twice_replaces_the_day(demo):
    first = nightly.assess()
    second = nightly.assess()
    assert Assessment.objects.filter(day=first.day).count() == second.contracts == first.contracts
    assert AssessmentRun.objects.filter(day=first.day).count() == 1


def test_the_latest_day_and_the_first_of_each_month_are_kept(demo):
    today = timezone.localdate()
    month = add_months(today.replace(day=1), -3)
    early, later = month + datetime.timedelta(days=3), month + datetime.timedelta(days=12)
    very_old = add_months(today, -(Assessment.HISTORY_MONTHS + 6))
    Assessment.objects.all().delete()
    AssessmentRun.objects.all().delete()  # the demo's own run of today
    for day in (very_old, early, later):
        nightly.assess(day)
    kept = set(AssessmentRun.objects.values_list("day", flat=True))
    # `later` was the latest when it ran; the 36-month limit is counted from the latest day
    assert {early, later} <= kept and very_old not in kept
    report = nightly.assess()
    kept = set(AssessmentRun.objects.values_list("day", flat=True))
    assert today in kept and early in kept and later not in kept
    assert set(Assessment.objects.values_list("day", flat=True).distinct()) == kept
    assert report.deleted > 0


def test_a_day_in_the_future_is_refused_with_one_line(demo, tmp_path):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(CommandError, match="in the future"):
        call_command("retention", "assess", "--day", tomorrow.isoformat())
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("retention", "assess", "--day", "31.12.2025")
    assert not AssessmentRun.objects.filter(day=tomorrow).exists()
    env = {
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": "x",
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
    }
    done = subprocess.run(
        [sys.executable, "-m", "ausbildung.cli", "retention", "assess", "--day", "gestern"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode != 0
    assert done.stderr.strip().splitlines()[-1] == (
        "ausbildung: error: --day must be a date as YYYY-MM-DD, not 'gestern'"
    )


def test_the_chamber_reads_its_figures_from_the_latest_run(client_for, demo):
    nightly.assess()
    page = text(client_for("chamber_officer").get(reverse("retention:chamber")))
    assert f"eingeschätzt am {timezone.localdate():%d.%m.%Y}" in page
    AssessmentRun.objects.all().delete()
    Assessment.objects.all().delete()
    page = text(client_for("chamber_officer").get(reverse("retention:chamber")))
    assert "Die nächtliche Einschätzung ist noch nicht gelaufen" in page


@pytest.fixture
def history(demo):
    """21 contracts scored on a day eight months ago: 10 with 5 points dissolved three months later, 10 with
    1 point never dissolved, and 1 with 5 points dissolved seven months later (after the six-month horizon)."""
    today = timezone.localdate()
    day = add_months(today, -8)
    chamber = Organisation.objects.create(kind="chamber", chamber_kind="ihk", name="Test-IHK")
    company = Organisation.objects.create(kind="company", name="Test GmbH")
    site = TrainingSite.objects.create(company=company, name="Werk")
    occupation = TrainingContract.objects.first().occupation

    def contract(n: int, dissolved_on: datetime.date | None) -> TrainingContract:
        return TrainingContract.objects.create(
            apprentice=User.objects.create_user(username=f"q-{n}", password="x"),
            company=company,
            site=site,
            occupation=occupation,
            chamber=chamber,
            start_date=add_months(day, -2),
            end_date=add_months(day, 30),
            probation_end=add_months(day, 1),
            status="dissolved" if dissolved_on else "active",
            dissolved_on=dissolved_on,
        )

    rows = [(contract(n, add_months(day, 3)), 5) for n in range(10)]
    rows += [(contract(10 + n, None), 1) for n in range(10)]
    rows.append((contract(20, add_months(day, 7)), 5))
    AssessmentRun.objects.create(day=day, contracts=21, watch=11, talk=0, seconds=0.1)
    Assessment.objects.bulk_create(
        Assessment(contract=c, day=day, points=points, level="watch" if points >= 3 else "none")
        for c, points in rows
    )
    # a day too recent for its horizon to have passed: not compared
    recent = add_months(today, -2)
    AssessmentRun.objects.create(day=recent, contracts=1, watch=0, talk=0, seconds=0.1)
    Assessment.objects.create(contract=rows[10][0], day=recent, points=9, level="talk")
    return day


def test_the_quality_check_compares_scores_with_what_followed(history):
    check = nightly.check_quality()
    assert (check.first_day, check.last_day, check.days) == (history, history, 1)
    assert (check.observations, check.dissolved, check.not_dissolved) == (21, 10, 11)
    # pairs: 10 × 10 won, 10 × 1 tied (the late dissolution counts as not dissolved): 105 of 110
    assert check.auc == pytest.approx(105 / 110)
    assert check.auc_low < check.auc < check.auc_high


def test_the_chamber_page_says_what_the_figure_means(client_for, history):
    nightly.check_quality()
    page = text(client_for("chamber_officer").get(reverse("retention:chamber")))
    assert "AUC 0,95" in page
    assert "ordnet deutlich besser als der Zufall" in page
    QualityCheck.objects.all().delete()
    AssessmentRun.objects.filter(day=history).delete()
    nightly.check_quality()
    page = text(client_for("chamber_officer").get(reverse("retention:chamber")))
    assert (
        "Noch zu wenig Verlauf" in page and "AUC" not in page.split("Wie gut ist die Einschätzung?")[1][:80]
    )
