"""Career orientation in a real browser, the whole journey of issue 7: a teacher makes a class and its code;
a pupil joins with the code, does the interest check, sees occupations ranked with reasons, compares two,
looks at one occupation and applies for an internship; the teacher sees the class's progress.
axe-core checks every orientation page on the way (0 violations)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ausbildung.core.models import Occupation
from ausbildung.orientation.check import items
from ausbildung.orientation.models import InterestCheck, InternshipApplication, SchoolClass
from ausbildung.orientation.school_demo import DEMO_INTERNSHIP_TITLE

from ..orientation.check_helpers import profile_for
from .conftest import axe_violations, login

pytestmark = pytest.mark.browser


def new_page(browser):
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)  # CI machines run two test workers on two cores
    return context, page


def test_pupil_journey_and_class_progress(browser, live_server, e2e_demo):
    base = live_server.url
    # two occupations with known interest profiles, so that the ranking below is predictable
    profile_for(
        Occupation.objects.get(slug="tischlausbv"),
        {"R": 0.9, "A": 0.4},
        {"R": [["holz", 4], ["*maschin", 2]]},
    )
    profile_for(Occupation.objects.get(slug="fiausbv"), {"I": 0.8, "C": 0.5, "R": 0.2})

    # the teacher makes a class; the page shows its join code
    teacher_context, teacher = new_page(browser)
    login(teacher, base, "lehrer")
    teacher.goto(f"{base}/orientierung/klassen/")
    assert axe_violations(teacher) == []
    form = teacher.get_by_test_id("class-form")
    form.locator("#id_name").fill("9c")
    form.locator("button[type=submit]").click()
    teacher.wait_for_url("**/orientierung/klassen/*/")
    school_class = SchoolClass.objects.get(name="9c")
    code = teacher.get_by_test_id("class-code").inner_text()
    assert code == school_class.code
    expect(teacher.get_by_test_id("pupil-row")).to_have_count(0)

    # the pupil joins with the code (a wrong code gets a field error first)
    pupil_context, pupil = new_page(browser)
    login(pupil, base, "schueler")
    pupil.goto(f"{base}/orientierung/klasse-beitreten/")
    assert axe_violations(pupil) == []
    pupil.locator("#id_code").fill("FALSCH99")
    pupil.get_by_test_id("join-form").locator("button[type=submit]").click()
    expect(pupil.locator("#id_code_error")).to_have_count(1)
    assert axe_violations(pupil) == []
    pupil.locator("#id_code").fill(code.lower())
    pupil.get_by_test_id("join-form").locator("button[type=submit]").click()
    pupil.wait_for_url(f"{base}/orientierung/fahrplan/")
    assert axe_violations(pupil) == []

    # the interest check: every screen, progress shown; answers that favour R (realistic) and I (investigative)
    pupil.goto(f"{base}/orientierung/interessencheck/")
    assert axe_violations(pupil) == []
    pupil.locator("button[name=start]").click()
    pupil.wait_for_url("**/interessencheck/*/schritt/1/")
    assert pupil.locator("progress").count() == 1
    assert axe_violations(pupil) == []
    for step in range(1, items.STEPS + 1):
        for item in items.step_items(step):
            value = 4 if item.dimension == "R" else 1
            pupil.locator(f"input[name={item.key}][value='{value}']").check()
        pupil.locator("button[name=action][value=next]").click()
        if step < items.STEPS:
            pupil.wait_for_url(f"**/schritt/{step + 1}/")
    pupil.wait_for_url("**/ergebnis/")
    check = InterestCheck.objects.get(pupil__username="schueler")
    assert check.completed_at is not None and check.code.startswith("R")

    # suggestions in bands with reasons in whole sentences: the realistic Tischler fits; the Fachinformatiker
    # and the office occupation (profiles led by I, C and E) are no suggestion for answers that favour only R
    matches = pupil.locator("#interest-matches > li")
    order = [matches.nth(i).get_attribute("data-testid") for i in range(matches.count())]
    assert order[0] == "match-tischlausbv"
    assert "match-fiausbv" not in order and "match-bueromkfausbv" not in order
    tischler = pupil.get_by_test_id("match-tischlausbv")
    expect(tischler).to_contain_text("passt sehr gut")
    expect(tischler).to_contain_text("Du arbeitest gern mit den Händen")
    expect(tischler).to_contain_text("In dieser Ausbildung lernst du zum Beispiel")
    expect(pupil.locator("#interest-matches")).not_to_contain_text("%")
    assert axe_violations(pupil) == []

    # compare a suggestion with an occupation the pupil picks in the explorer, side by side
    pupil.get_by_test_id("compare-tischlausbv").check()
    assert "beruf=tischlausbv" in pupil.get_by_test_id("result-compare-form").evaluate(
        "form => new URLSearchParams(new FormData(form)).toString()"
    )
    pupil.goto(f"{base}/orientierung/berufe/vergleich/?beruf=tischlausbv&beruf=fiausbv")
    table = pupil.get_by_test_id("compare-table")
    assert table.locator("thead th").count() == 2
    assert "Tischler" in table.inner_text() and "Fachinformatiker" in table.inner_text()
    assert axe_violations(pupil) == []

    # the explorer and one occupation: chart, interest table, no rows for figures we do not have
    pupil.goto(f"{base}/orientierung/berufe/?abschluss=msa")
    assert pupil.get_by_test_id("explorer-list").locator("li").count() >= 1
    assert axe_violations(pupil) == []
    pupil.goto(f"{base}/orientierung/berufe/tischlausbv/")
    pupil.wait_for_selector("body[data-chart-ready=true]")
    assert pupil.get_by_test_id("interest-table").locator("tbody tr").count() == 6
    assert pupil.get_by_test_id("unknown").count() == 0  # no sourced figures: no rows, none reads "unbekannt"
    assert axe_violations(pupil) == []

    # an internship near the pupil
    pupil.goto(f"{base}/orientierung/praktika/")
    assert axe_violations(pupil) == []
    pupil.get_by_test_id("internship-list").get_by_role("link", name=DEMO_INTERNSHIP_TITLE).click()
    assert axe_violations(pupil) == []
    pupil.get_by_test_id("internship-apply").click()
    assert axe_violations(pupil) == []
    pupil.locator("#id_message").fill("Ich bastle gern an Computern und habe in der Woche Zeit.")
    pupil.get_by_test_id("internship-apply-form").locator("button[type=submit]").click()
    expect(pupil.get_by_test_id("internship-state")).to_have_count(1)
    assert axe_violations(pupil) == []
    application = InternshipApplication.objects.get(
        pupil=e2e_demo["schueler"], slot__title=DEMO_INTERNSHIP_TITLE
    )
    assert application.state == InternshipApplication.State.SENT
    pupil.goto(f"{base}/orientierung/fahrplan/")
    expect(pupil.get_by_test_id("plan-internships")).to_contain_text(DEMO_INTERNSHIP_TITLE)
    assert axe_violations(pupil) == []
    pupil.goto(f"{base}/orientierung/praktika/meine/")
    expect(pupil.get_by_role("main")).to_contain_text(DEMO_INTERNSHIP_TITLE)
    assert axe_violations(pupil) == []
    pupil_context.close()

    # the company accepts the application in its inbox
    company_context, company = new_page(browser)
    login(company, base, "betrieb")
    company.goto(f"{base}/orientierung/praktika/betrieb/")
    assert axe_violations(company) == []
    company.get_by_role("link", name="1 offene Bewerbung").click()
    assert axe_violations(company) == []
    company.get_by_test_id("internship-inbox").get_by_role("link", name="Lena Schmidt").click()
    assert axe_violations(company) == []
    company.get_by_test_id("step-accepted").click()
    expect(company.get_by_test_id("internship-state")).to_have_text("Zugesagt")
    application.refresh_from_db()
    assert application.state == InternshipApplication.State.ACCEPTED
    company.goto(f"{base}/orientierung/praktika/betrieb/neu/")
    assert axe_violations(company) == []
    company_context.close()

    # the teacher sees the progress: the pupil did the check and has an internship
    teacher.reload()
    row = teacher.get_by_test_id("pupil-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Lena Schmidt")
    cells = row.locator("td")
    assert cells.nth(0).inner_text() == "ja"  # interest check done
    assert cells.nth(2).inner_text() == "ja"  # has an internship
    expect(teacher.get_by_test_id("nothing-yet")).to_have_count(0)
    assert axe_violations(teacher) == []
    teacher_context.close()


def test_occupation_page_on_a_phone(browser, live_server, e2e_demo):
    """#17: the occupation page of a pupil at 360 px: what you learn, grouped; no sideways scrolling; axe 0."""
    context = browser.new_context(locale="de-DE", viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(20_000)
    login(page, live_server.url, "schueler")
    for slug in ("fiausbv", "tischlausbv"):
        page.goto(f"{live_server.url}/orientierung/berufe/{slug}/")
        expect(page.get_by_test_id("learn-group-core")).to_have_count(1)
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        assert axe_violations(page) == []
    assert page.get_by_test_id("unknown").count() == 0  # Tischler: no figure rows, a follow-up found
    page.goto(f"{live_server.url}/orientierung/berufe/vergleich/?beruf=tischlausbv&beruf=fiausbv")
    expect(page.get_by_test_id("compare-table")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert axe_violations(page) == []
    context.close()
