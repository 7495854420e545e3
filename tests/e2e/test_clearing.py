"""A clearing round in a real browser: the pupil joins and ranks, the company ranks the pupil, the chamber
officer closes, computes and publishes, and the pupil finds the offered place. axe-core checks every page
on the way (0 violations)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ausbildung.offers.models import Application
from ausbildung.transition.clearing import services
from ausbildung.transition.clearing.models import ClearingRound

from ..transition.clearing.helpers import demo_offer, new_round
from .conftest import axe_violations, login

pytestmark = pytest.mark.browser


def new_page(browser):
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)  # CI machines run two test workers on two cores
    return context, page


def test_clearing_round_from_ranking_to_offered_place(browser, live_server, e2e_demo):
    base = live_server.url
    # an open round of the demo IHK whose timeline ends today, with the Fachinformatiker place in it
    clearing_round = new_round(closes=0, publishes=0)
    services.round_offer_add(actor=None, clearing_round=clearing_round, offer=demo_offer())
    prefix = f"{base}/uebergang/nachvermittlung/{clearing_round.pk}"

    # the pupil finds the round, joins it and ranks the place
    pupil_context, pupil = new_page(browser)
    login(pupil, base, "schueler")
    pupil.goto(f"{base}/uebergang/nachvermittlung/bewerben/")
    assert axe_violations(pupil) == []
    pupil.get_by_test_id("applicant-rounds").get_by_role("link", name=clearing_round.name).click()
    pupil.wait_for_url(f"{prefix}/bewerben/")
    assert axe_violations(pupil) == []
    pupil.locator("#id_message").fill("Ich programmiere gern und suche noch einen Platz.")
    pupil.get_by_test_id("join-form").locator("button[type=submit]").click()
    pupil.wait_for_url(f"{prefix}/bewerben/rangfolge/")
    assert axe_violations(pupil) == []
    pupil.get_by_test_id("rank-row").first.locator("select").select_option("1")
    pupil.get_by_test_id("rank-form").locator("button[type=submit]").click()
    pupil.wait_for_url(f"{prefix}/bewerben/")
    expect(pupil.get_by_test_id("my-choices").locator("li")).to_have_count(1)
    assert axe_violations(pupil) == []

    # the company sees the pupil with her message and ranks her first
    company_context, company = new_page(browser)
    login(company, base, "betrieb")
    company.goto(f"{base}/uebergang/nachvermittlung/betrieb/")
    assert axe_violations(company) == []
    company.get_by_test_id("company-rounds").get_by_role("link", name=clearing_round.name).click()
    assert axe_violations(company) == []
    company.get_by_test_id("company-offer-link").click()
    row = company.get_by_test_id("applicant-row")
    expect(row).to_contain_text("Lena Schmidt")
    expect(row).to_contain_text("Ich programmiere gern")
    assert axe_violations(company) == []
    row.locator("select").select_option("1")
    company.get_by_test_id("ranking-form").locator("button[type=submit]").click()
    expect(company.get_by_test_id("applicant-row").locator("select")).to_have_value("1")
    company_context.close()

    # the chamber officer closes the ranking, computes and publishes; the report shows one placed
    officer_context, officer = new_page(browser)
    login(officer, base, "kammer")
    officer.goto(f"{base}/uebergang/nachvermittlung/")
    assert axe_violations(officer) == []
    officer.get_by_test_id("round-list").get_by_role("link", name=clearing_round.name).click()
    assert axe_violations(officer) == []
    for step in ("close", "compute", "publish"):
        officer.get_by_test_id(f"step-{step}").click()
        officer.wait_for_load_state()
    expect(officer.get_by_test_id("report-placed")).to_have_text("1")
    expect(officer.get_by_test_id("report-places-left")).to_have_text("1")
    assert axe_violations(officer) == []
    officer_context.close()
    clearing_round.refresh_from_db()
    assert clearing_round.status == ClearingRound.Status.PUBLISHED

    # the pupil sees her result and the offered place in her application
    pupil.goto(f"{prefix}/bewerben/ergebnis/")
    expect(pupil.get_by_test_id("applicant-placed")).to_have_count(1)
    assert axe_violations(pupil) == []
    pupil.get_by_test_id("applicant-application-link").click()
    expect(pupil.get_by_role("main")).to_contain_text("Platz angeboten")
    assert axe_violations(pupil) == []
    pupil_context.close()
    application = Application.objects.get(offer=demo_offer(), applicant=e2e_demo["schueler"])
    assert application.state == Application.State.OFFERED
