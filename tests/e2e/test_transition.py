"""The transition area in a real browser: the teacher records a leaver's destination, sees the cohort's
figures with the chart and uploads a signed consent form; the counsellor sees a leaver without consent only
anonymously (also on the consent page), finds the consenting young person without a next step, opens a case
and agrees a step; the pupil sees their consent. axe-core checks every transition page (0 violations)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ausbildung.core.models import User
from ausbildung.transition.models import Case, Destination
from tests.offers.conftest import PDF

from .conftest import axe_violations, login

pytestmark = pytest.mark.browser


def new_page(browser):
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    return context, page


def test_destinations_dashboard_and_case(browser, live_server, e2e_demo):
    base = live_server.url
    context, teacher = new_page(browser)
    login(teacher, base, "lehrer")
    teacher.goto(f"{base}/uebergang/verbleib/")
    expect(teacher.get_by_test_id("leaver-row")).to_have_count(7)
    assert axe_violations(teacher) == []
    teacher.get_by_role("link", name="Paul Krüger").click()
    assert axe_violations(teacher) == []
    form = teacher.get_by_test_id("destination-form")
    form.locator("#id_actual_kind").select_option("transition_measure")
    form.locator("button[type=submit]").click()
    expect(teacher.locator("#id_actual_since_error")).to_have_count(1)  # German field error, nothing lost
    assert form.locator("#id_actual_kind").input_value() == "transition_measure"
    assert axe_violations(teacher) == []
    form.locator("#id_actual_since").fill("2027-09-01")
    form.locator("button[type=submit]").click()
    teacher.wait_for_url(lambda url: "/uebergang/verbleib/?jahr=" in url)
    paul = Destination.objects.get(pupil__username="demo-paul")
    assert paul.actual_kind == "transition_measure" and paul.is_secured

    teacher.goto(f"{base}/uebergang/uebersicht/")
    teacher.wait_for_selector("body[data-chart-ready=true]")
    expect(teacher.get_by_test_id("open-share")).to_contain_text("3 ohne gesicherten Anschluss")
    expect(teacher.get_by_test_id("urgent-row")).to_have_count(3)
    assert axe_violations(teacher) == []
    # Ben was asked (demo) and has not answered; his school uploads the form he and his parents signed
    ben = User.objects.get(username="demo-ben")
    teacher.goto(f"{base}/uebergang/einwilligung/{Destination.objects.get(pupil=ben).pk}/")
    expect(teacher.get_by_test_id("consent-state")).to_have_text("Einwilligung angefragt")
    assert axe_violations(teacher) == []
    paper = teacher.get_by_test_id("consent-form")
    paper.locator("button[type=submit]").click()
    expect(teacher.locator("#id_paper-evidence_error")).to_have_count(1)
    assert axe_violations(teacher) == []
    today = timezone.localdate().isoformat()
    paper.locator("#id_paper-evidence").set_input_files(
        {"name": "einwilligung.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    paper.locator("#id_paper-person_consented_on").fill(today)
    paper.locator("#id_paper-guardian_name").fill("Eltern Hoffmann")
    paper.locator("#id_paper-guardian_consented_on").fill(today)
    paper.locator("button[type=submit]").click()
    expect(teacher.get_by_test_id("consent-state")).to_have_text("Einwilligung gültig")
    context.close()

    context, counsellor = new_page(browser)
    login(counsellor, base, "beratung")
    counsellor.goto(f"{base}/uebergang/uebersicht/")
    expect(counsellor.get_by_test_id("anonymous")).to_have_count(1)  # Lea: no consent, no name
    assert axe_violations(counsellor) == []
    counsellor.goto(
        f"{base}/uebergang/einwilligung/{Destination.objects.get(pupil__username='demo-lea').pk}/"
    )
    expect(counsellor.get_by_test_id("consent-heading")).to_have_text(
        "Einwilligung einer Schulabgängerin oder eines Schulabgängers"
    )
    assert "Zimmermann" not in counsellor.content()
    assert axe_violations(counsellor) == []
    counsellor.goto(f"{base}/uebergang/faelle/")
    assert axe_violations(counsellor) == []
    counsellor.get_by_test_id(f"open-case-{ben.pk}").click()
    counsellor.wait_for_url("**/uebergang/faelle/*/")
    step_form = counsellor.get_by_test_id("step-form")
    step_form.get_by_label("Vereinbarter Schritt").fill("Termin bei der Berufsberatung wahrnehmen")
    due = timezone.localdate() + datetime.timedelta(days=7)
    step_form.get_by_label("Fällig am").fill(due.isoformat())
    step_form.locator("button[type=submit]").click()
    expect(counsellor.get_by_test_id("steps")).to_contain_text("Termin bei der Berufsberatung")
    assert axe_violations(counsellor) == []
    case = Case.objects.get(person=ben)
    assert case.steps.get().due_on == due
    context.close()

    context, pupil = new_page(browser)
    login(pupil, base, "schueler")
    pupil.goto(f"{base}/uebergang/meine-einwilligungen/")
    expect(pupil.get_by_test_id("consent-state")).to_have_text("gültig")
    assert axe_violations(pupil) == []
    context.close()
