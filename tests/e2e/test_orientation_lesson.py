"""One school lesson on a 360 px phone (issue 17): a pupil joins with the class code, answers the check, sees
the result and opens three occupations; no page scrolls sideways, axe finds nothing, and the measured budget
(bench/lesson_phone.py, docs/performance.md) holds, so the lesson cannot grow unnoticed. Then the pupil
allows the teacher to see the fields, and the teacher's class view (also at 360 px) shows counts only once
three pupils have allowed it."""

from __future__ import annotations

import pytest
from bench.lesson_phone import PUPIL_MINUTES, VIEWPORT, lesson_minutes, report, walk_lesson
from playwright.sync_api import expect

from ausbildung.core.models import Membership, Occupation, Role, User
from ausbildung.orientation.check import items
from ausbildung.orientation.classes import services as class_services
from ausbildung.orientation.models import ClassMembership, FieldSharingConsent

from ..orientation.check_helpers import completed_check, profile_for
from .conftest import axe_violations, login

pytestmark = pytest.mark.browser

# The budget, from the measurement in docs/performance.md (demo data: three occupations, so the result is
# shorter than with the whole catalogue; the per-page limits are what keeps each page from growing).
MAX_ITEMS = 48
MAX_WORDS_CHECK_START = 80
MAX_WORDS_CHECK_STEP = 190
MAX_WORDS_RESULT = 330
MAX_SCREENS_CHECK_STEP = 4.5
MAX_CLICKS = 70


def phone(browser):
    context = browser.new_context(locale="de-DE", viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(20_000)
    return context, page


def test_lesson_on_a_phone(browser, live_server, e2e_demo):
    base = live_server.url
    # the three demo occupations get profiles near the pupil's answers, so that all three are suggested
    profile_for(Occupation.objects.get(slug="tischlausbv"), {"R": 0.9, "A": 0.4, "S": 0.2})
    profile_for(Occupation.objects.get(slug="fiausbv"), {"R": 0.6, "S": 0.5, "I": 0.2, "A": 0.3})
    profile_for(Occupation.objects.get(slug="bueromkfausbv"), {"S": 0.7, "R": 0.5, "A": 0.3})
    teacher_user = e2e_demo["lehrer"]
    school = Membership.objects.get(user=teacher_user, role=Role.TEACHER).organisation
    school_class = class_services.class_create(
        actor=teacher_user, school=school, name="9L", school_year="2026/27"
    )

    context, pupil = phone(browser)
    login(pupil, base, "schueler")
    dimension = {item.key: item.dimension for item in items.ITEMS}
    levels = {"R": 4, "S": 3, "A": 2}

    def checked(measure):
        assert measure.overflow == 0, f"{measure.name} scrolls sideways at 360 px"
        assert axe_violations(pupil) == [], measure.name

    pages = walk_lesson(
        pupil, base, school_class.code.lower(), lambda key: levels.get(dimension[key], 1), on_page=checked
    )
    print(report(pages))  # shown when an assertion below fails
    by_name = {p.name: p for p in pages}
    names = [p.name for p in pages]
    assert names[:3] == ["join", "plan", "check start"]
    assert names[-4:] == ["result", "occupation 1", "occupation 2", "occupation 3"]
    assert ClassMembership.objects.filter(school_class=school_class, pupil=e2e_demo["schueler"]).exists()

    # the budget
    assert sum(p.items for p in pages) == len(items.ITEMS) <= MAX_ITEMS
    assert by_name["check start"].words <= MAX_WORDS_CHECK_START
    steps = [p for p in pages if p.name.startswith("check step")]
    assert len(steps) == items.STEPS
    assert all(p.words <= MAX_WORDS_CHECK_STEP and p.screens <= MAX_SCREENS_CHECK_STEP for p in steps)
    assert by_name["result"].words <= MAX_WORDS_RESULT
    assert sum(p.clicks for p in pages) <= MAX_CLICKS
    assert lesson_minutes(pages) <= PUPIL_MINUTES

    # the pupil allows the teacher to see the fields (off by default), on the result page
    expect(pupil.get_by_test_id("field-sharing-on")).to_have_count(0)
    pupil.get_by_test_id("field-sharing-allow").click()
    expect(pupil.get_by_test_id("field-sharing-on")).to_have_count(1)
    assert FieldSharingConsent.objects.get(pupil=e2e_demo["schueler"]).granted_at is not None
    assert axe_violations(pupil) == []
    context.close()

    # the teacher at 360 px: one consenting pupil is too few, nothing is shown
    teacher_context, teacher = phone(browser)
    login(teacher, base, "lehrer")
    teacher.goto(f"{base}/orientierung/klassen/{school_class.pk}/")
    expect(teacher.get_by_test_id("class-fields-hidden")).to_have_count(1)
    expect(teacher.get_by_test_id("pupil-row")).to_have_count(1)
    assert teacher.evaluate("() => document.scrollingElement.scrollWidth - window.innerWidth") <= 0
    assert axe_violations(teacher) == []

    # two more pupils allow it: now counts per field, and still no answers or occupation names
    for name, dim in (("mia", "S"), ("noah", "R")):
        other = User.objects.create_user(name, first_name=name.title(), last_name="Test")
        ClassMembership.objects.create(school_class=school_class, pupil=other)
        completed_check(other, {dim: 4})
        class_services.field_sharing_set(actor=other, allow=True)
    teacher.reload()
    fields = teacher.get_by_test_id("class-fields")
    expect(fields).to_contain_text("R – Praktisch-technisch: 2")
    expect(fields).to_contain_text("S – Sozial (helfen, lehren): 1")
    main = teacher.get_by_role("main").inner_text()
    assert "Tischler" not in main and "Fachinformatiker" not in main
    assert teacher.evaluate("() => document.scrollingElement.scrollWidth - window.innerWidth") <= 0
    assert axe_violations(teacher) == []
    teacher_context.close()
