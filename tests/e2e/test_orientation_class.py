"""Career orientation in a real browser: a teacher's class code, a pupil joins and applies for the demo
internship, the teacher sees the progress. axe-core checks the join page, internships, plan and class page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ausbildung.core.models import Membership, Role
from ausbildung.orientation.classes import services
from ausbildung.orientation.models import InternshipApplication
from ausbildung.orientation.school_demo import DEMO_INTERNSHIP_TITLE

from .conftest import axe_violations, login

pytestmark = pytest.mark.browser


def test_join_apply_and_class_progress(browser, live_server, e2e_demo):
    base = live_server.url
    teacher = e2e_demo["lehrer"]
    school = Membership.objects.get(user=teacher, role=Role.TEACHER).organisation
    school_class = services.class_create(actor=teacher, school=school, name="9c", school_year="2026/27")

    pupil_context = browser.new_context(locale="de-DE")
    pupil = pupil_context.new_page()
    pupil.set_default_timeout(20_000)
    login(pupil, base, "schueler")
    pupil.goto(f"{base}/orientierung/klasse-beitreten/")
    assert axe_violations(pupil) == []
    pupil.locator("#id_code").fill("FALSCH99")
    pupil.get_by_test_id("join-form").locator("button[type=submit]").click()
    expect(pupil.locator("#id_code_error")).to_have_count(1)
    assert axe_violations(pupil) == []
    pupil.locator("#id_code").fill(school_class.code.lower())
    pupil.get_by_test_id("join-form").locator("button[type=submit]").click()
    pupil.wait_for_url(f"{base}/orientierung/fahrplan/")
    assert axe_violations(pupil) == []

    pupil.goto(f"{base}/orientierung/praktika/")
    assert axe_violations(pupil) == []
    pupil.get_by_test_id("internship-list").get_by_role("link", name=DEMO_INTERNSHIP_TITLE).click()
    pupil.get_by_test_id("internship-apply").click()
    pupil.locator("#id_message").fill("Ich bastle gern an Computern und habe in der Woche Zeit.")
    pupil.get_by_test_id("internship-apply-form").locator("button[type=submit]").click()
    expect(pupil.get_by_test_id("internship-state")).to_have_count(1)
    application = InternshipApplication.objects.get(
        pupil=e2e_demo["schueler"], slot__title=DEMO_INTERNSHIP_TITLE
    )
    assert application.state == InternshipApplication.State.SENT
    pupil.goto(f"{base}/orientierung/fahrplan/")
    expect(pupil.get_by_test_id("plan-internships")).to_contain_text(DEMO_INTERNSHIP_TITLE)
    assert axe_violations(pupil) == []
    pupil_context.close()

    teacher_context = browser.new_context(locale="de-DE")
    page = teacher_context.new_page()
    page.set_default_timeout(20_000)
    login(page, base, "lehrer")
    page.goto(f"{base}/orientierung/klassen/{school_class.pk}/")
    expect(page.get_by_test_id("pupil-row")).to_have_count(1)
    expect(page.get_by_test_id("pupil-row")).to_contain_text("Lena Schmidt")
    assert page.get_by_test_id("class-code").inner_text() == school_class.code
    assert axe_violations(page) == []
    teacher_context.close()
