"""The record book in a real browser: write, submit, return, fix, resubmit, sign; the chamber sees it complete;
the PDF contains the signed text. axe-core checks every records page on the way."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ausbildung.core import services as core_services
from ausbildung.core.models import ContractTrainer, Organisation, Role, TrainingContract, TrainingSite, User

from .conftest import axe_violations, login

pytestmark = pytest.mark.browser


@pytest.fixture
def fresh_contract(e2e_demo) -> TrainingContract:
    """An adult apprentice whose training started on the Monday two weeks ago (one full week to record)."""
    today = timezone.localdate()
    start = today - datetime.timedelta(days=today.weekday() + 14)
    company = Organisation.objects.get(name="Saar Systemhaus GmbH (Demo)")
    apprentice = User.objects.create_user(
        "lea",
        password="demo-ausbildung",
        first_name="Lea",
        last_name="Neumann",
        date_of_birth=datetime.date(2000, 1, 1),
    )
    core_services.membership_create(actor=None, user=apprentice, organisation=company, role=Role.APPRENTICE)
    occupation = TrainingContract.objects.get(apprentice__username="azubi").occupation
    return core_services.contract_create(
        actor=None,
        apprentice=apprentice,
        company=company,
        site=TrainingSite.objects.get(company=company),
        occupation=occupation,
        chamber=Organisation.objects.get(name="Demo-Industrie- und Handelskammer Saar"),
        start_date=start,
        end_date=core_services.add_months(start, 36) - datetime.timedelta(days=1),
        probation_end=core_services.add_months(start, 4) - datetime.timedelta(days=1),
        trainers=[(e2e_demo["ausbilder"], ContractTrainer.Kind.MAIN)],
        status=TrainingContract.Status.ACTIVE,
    )


def open_first_week(page, base: str, contract: TrainingContract) -> None:
    page.goto(f"{base}/nachweis/{contract.pk}/{contract.start_date.isoformat()}/")


def test_write_return_fix_sign_and_chamber_sees_it_complete(browser, live_server, fresh_contract):
    base = live_server.url
    week_end = fresh_contract.start_date + datetime.timedelta(days=6)

    apprentice = browser.new_context(locale="de-DE")
    page = apprentice.new_page()
    login(page, base, "lea")
    page.get_by_role("link", name="Mein Ausbildungsnachweis").click()
    assert page.locator("h1").inner_text() == "Ausbildungsnachweis"
    assert axe_violations(page) == []
    open_first_week(page, base, fresh_contract)
    assert axe_violations(page) == []
    for offset in range(5):
        day = fresh_contract.start_date + datetime.timedelta(days=offset)
        page.locator(f'input[name="hours-{day.isoformat()}"]').fill("8")
    page.get_by_label("Betriebliche Tätigkeiten").fill("Arbeitsplatz eingerichtet, erste Tickets bearbeitet.")
    page.get_by_role("button", name="An Ausbilder/in einreichen").click()
    page.wait_for_url(f"{base}/nachweis/{fresh_contract.pk}/")

    trainer = browser.new_context(locale="de-DE")
    tpage = trainer.new_page()
    login(tpage, base, "ausbilder")
    tpage.goto(f"{base}/nachweis/pruefen/")
    assert axe_violations(tpage) == []
    tpage.get_by_role("link", name=fresh_contract.start_date.strftime("%d.%m.%Y"), exact=False).first.click()
    tpage.get_by_label("Kommentar").fill("Bitte die Unterweisung zum Datenschutz ergänzen.")
    tpage.get_by_role("button", name="Mit Kommentar zurückgeben").click()
    assert axe_violations(tpage) == []

    open_first_week(page, base, fresh_contract)
    assert "Datenschutz ergänzen" in page.get_by_test_id("return-comment").inner_text()
    page.get_by_label("Unterweisungen").fill("Unterweisung Datenschutz und IT-Sicherheit.")
    page.get_by_role("button", name="An Ausbilder/in einreichen").click()
    page.wait_for_url(f"{base}/nachweis/{fresh_contract.pk}/")

    open_first_week(tpage, base, fresh_contract)
    tpage.get_by_role("button", name="Abzeichnen").click()
    assert "Abgezeichnet am" in tpage.locator("main").inner_text()

    chamber = browser.new_context(locale="de-DE")
    cpage = chamber.new_page()
    login(cpage, base, "kammer")
    cpage.goto(f"{base}/nachweis/kammer/?stichtag={week_end.isoformat()}")
    assert "Lea Neumann" in cpage.get_by_test_id("ready").inner_text()
    assert axe_violations(cpage) == []

    # The PDF for the exam contains the signed text (fetched with the trainer's browser session).
    tpage.goto(f"{base}/nachweis/{fresh_contract.pk}/")
    href = tpage.get_by_role("link", name="PDF herunterladen").get_attribute("href")
    response = trainer.request.get(f"{base}{href}")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(response.body()))
    text = "".join(p.extract_text() for p in reader.pages)
    assert "erste Tickets bearbeitet" in text and "Unterweisung Datenschutz" in text
    for context in (apprentice, trainer, chamber):
        context.close()


def test_coverage_chart_renders(browser, live_server, e2e_demo, tmp_path):
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    login(page, live_server.url, "azubi")
    contract = TrainingContract.objects.get(apprentice__username="azubi")
    page.goto(f"{live_server.url}/nachweis/{contract.pk}/abdeckung/")
    page.wait_for_function("document.body.dataset.chartReady === 'true'")
    assert "Orientierung, keine Bewertung" in page.locator("main").inner_text()
    page.locator("#coverage-chart").screenshot(path=str(tmp_path / "coverage.png"))
    assert (tmp_path / "coverage.png").stat().st_size > 1000
    assert axe_violations(page) == []
    context.close()


@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("betrieb", "/nachweis/uebersicht/"),
        ("ausbilder", "/nachweis/pruefen/"),
        ("berufsschule", "/nachweis/{contract}/2025-09-01/"),  # school section only
        ("eltern", "/nachweis/{contract}/"),
        ("kammer", "/nachweis/{contract}/"),
        ("azubi", "/nachweis/{contract}/2025-09-01/"),
    ],
)
def test_records_pages_are_accessible(username, path, browser, live_server, e2e_demo):
    contract = TrainingContract.objects.get(apprentice__username="azubi")
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    try:
        login(page, live_server.url, username)
        response = page.goto(live_server.url + path.format(contract=contract.pk))
        assert response is not None and response.status == 200
        assert axe_violations(page) == [], (username, path)
        # On a phone the page is as wide as the screen: wide tables scroll inside their box.
        page.set_viewport_size({"width": 360, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, (username, path)
    finally:
        context.close()


def test_examiner_link_page_is_accessible(browser, live_server, e2e_demo):
    """The link carries its secret in the fragment; the page's script posts it and shows the signed record."""
    from ausbildung.records.services import examiner_share_create

    contract = TrainingContract.objects.get(apprentice__username="azubi")
    _link, token = examiner_share_create(actor=e2e_demo["kammer"], contract=contract, days=1)
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        page.goto(f"{live_server.url}/nachweis/einsicht/#{token}")
        expect(page.get_by_text("Lesezugriff, gültig bis")).to_be_visible()
        assert "#" not in page.url
        assert not any(token in url for url in requested), "the secret must not be in any request URL"
        assert axe_violations(page) == []
    finally:
        context.close()


def test_jarbschg_8_abs_1_minor_records_a_45_hour_week_in_a_daily_book_trainer_confirms_chamber_sees_it(
    browser, live_server, e2e_demo
):
    """Issue #15: the record book records what happened. A minor writes five 9-hour days (45 hours; JArbSchG
    § 8 Abs. 1: at most 8 a day and 40 a week) in a DAILY record book, sees the warning and submits; the trainer
    sees the finding and signs with the confirmation; the chamber's overview shows it."""
    base = live_server.url
    today = timezone.localdate()
    start = today - datetime.timedelta(days=today.weekday() + 14)  # a Monday two weeks ago
    company = Organisation.objects.get(name="Saar Systemhaus GmbH (Demo)")
    born = datetime.date(today.year - 16, 1, 1)  # 16 in that week, whatever today is
    minor = User.objects.create_user(
        "mia", password="demo-ausbildung", first_name="Mia", last_name="Schneider", date_of_birth=born
    )
    core_services.membership_create(actor=None, user=minor, organisation=company, role=Role.APPRENTICE)
    contract = core_services.contract_create(
        actor=None,
        apprentice=minor,
        company=company,
        site=TrainingSite.objects.get(company=company),
        occupation=TrainingContract.objects.get(apprentice__username="azubi").occupation,
        chamber=Organisation.objects.get(name="Demo-Industrie- und Handelskammer Saar"),
        start_date=start,
        end_date=core_services.add_months(start, 36) - datetime.timedelta(days=1),
        probation_end=core_services.add_months(start, 4) - datetime.timedelta(days=1),
        trainers=[(e2e_demo["ausbilder"], ContractTrainer.Kind.MAIN)],
        record_form=TrainingContract.RecordForm.DAILY,
        status=TrainingContract.Status.ACTIVE,
    )

    apprentice = browser.new_context(locale="de-DE")
    page = apprentice.new_page()
    login(page, base, "mia")
    days = [start + datetime.timedelta(days=offset) for offset in range(5)]
    for day in days:
        page.goto(f"{base}/nachweis/{contract.pk}/{day.isoformat()}/")
        page.locator(f'select[name="place-{day.isoformat()}"]').select_option("company")
        page.locator(f'input[name="hours-{day.isoformat()}"]').fill("9")
        page.get_by_label("Betriebliche Tätigkeiten").fill("Rechner aufgebaut und Tickets bearbeitet.")
        if day == days[-1]:
            # Saved as written, with a warning (not an error) naming the rule and the figures.
            page.get_by_role("button", name="Entwurf speichern").click()
            warning = page.get_by_test_id("working-time")
            expect(warning).to_contain_text("JArbSchG § 8")
            expect(warning).to_contain_text("45")
            expect(page.locator(f'input[name="hours-{day.isoformat()}"]')).to_have_value("9")
            assert axe_violations(page) == []
        page.get_by_role("button", name="An Ausbilder/in einreichen").click()
        page.wait_for_url(f"{base}/nachweis/{contract.pk}/")

    trainer = browser.new_context(locale="de-DE")
    tpage = trainer.new_page()
    login(tpage, base, "ausbilder")
    tpage.goto(f"{base}/nachweis/pruefen/")
    expect(tpage.get_by_test_id("findings-marker").first).to_be_visible()
    assert axe_violations(tpage) == []
    tpage.goto(f"{base}/nachweis/{contract.pk}/{days[-1].isoformat()}/")
    expect(tpage.get_by_test_id("working-time")).to_contain_text("40")
    tpage.get_by_role("button", name="Abzeichnen").click()  # without the confirmation: refused
    expect(tpage.locator("main")).to_contain_text("bestätigen Sie vor dem Abzeichnen")
    tpage.get_by_label("Ich habe die Arbeitszeit-Befunde dieses Zeitraums gesehen").check()
    tpage.get_by_role("button", name="Abzeichnen").click()
    expect(tpage.locator("main")).to_contain_text("Abgezeichnet am")
    expect(tpage.get_by_test_id("history")).to_contain_text("Arbeitszeit-Befunde gesehen")

    chamber = browser.new_context(locale="de-DE")
    cpage = chamber.new_page()
    login(cpage, base, "kammer")
    cpage.goto(f"{base}/nachweis/kammer/")
    row = cpage.get_by_test_id("not-ready").get_by_role("row").filter(has_text="Mia Schneider")
    expect(row).to_contain_text("Befunde")
    assert axe_violations(cpage) == []
    row.get_by_role("link", name="Befunde").click()
    expect(cpage.get_by_test_id("findings")).to_contain_text("JArbSchG § 8")
    assert axe_violations(cpage) == []
    for context in (apprentice, trainer, chamber):
        context.close()


# --- autosave and save (issue #16) -------------------------------------------------------------------------


def _apprentice_page(browser, base: str, *, width: int = 1280):
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    login(page, base, "lea")
    return context, page


@pytest.mark.parametrize("width", [1280, 360])
def test_saving_right_after_the_autosave_is_no_conflict(width, browser, live_server, fresh_contract):
    """Typing, then saving about three seconds later (while the autosave is on its way): the apprentice's own
    autosave never conflicts with her save, and no Python repr reaches the page."""
    base = live_server.url
    context, page = _apprentice_page(browser, base, width=width)
    open_first_week(page, base, fresh_contract)
    page.get_by_label("Betriebliche Tätigkeiten").fill("Server aufgesetzt")
    page.get_by_label("Betriebliche Tätigkeiten").press_sequentially(" und dokumentiert.")
    page.wait_for_timeout(3000)  # the autosave fires 3 s after the last input
    page.get_by_role("button", name="Entwurf speichern").click()
    # The save may wait for the autosave on its way; then the page comes back with its confirmation.
    expect(page.get_by_text("Entwurf gespeichert.", exact=True)).to_be_visible()
    body = page.locator("body").inner_text()
    assert "dict_items" not in body and "__all__" not in body
    assert "anderer Stelle" not in body
    expect(page.get_by_label("Betriebliche Tätigkeiten")).to_have_value("Server aufgesetzt und dokumentiert.")
    open_first_week(page, base, fresh_contract)  # as stored, read again by the server
    expect(page.get_by_label("Betriebliche Tätigkeiten")).to_have_value("Server aufgesetzt und dokumentiert.")
    context.close()


def test_a_save_from_a_second_session_is_a_conflict_that_keeps_both_texts(
    browser, live_server, fresh_contract
):
    """Two devices of the apprentice open the same week; the phone saves first. The desktop's save is a real
    conflict: a German message, her text stays in the form, the phone's version is shown beside it."""
    base = live_server.url
    desktop_context, desktop = _apprentice_page(browser, base)
    phone_context, phone = _apprentice_page(browser, base, width=360)
    open_first_week(desktop, base, fresh_contract)
    open_first_week(phone, base, fresh_contract)
    phone.get_by_label("Betriebliche Tätigkeiten").fill("Vom Handy: Kabel verlegt.")
    phone.get_by_role("button", name="Entwurf speichern").click()
    phone.wait_for_load_state()
    expect(phone.get_by_label("Betriebliche Tätigkeiten")).to_have_value("Vom Handy: Kabel verlegt.")

    desktop.get_by_label("Betriebliche Tätigkeiten").fill("Vom Rechner: Drucker eingerichtet.")
    # The desktop's autosave is refused (409): its status line says so instead of nothing (htmx does not
    # swap an error answer unless told to).
    expect(desktop.get_by_test_id("autosave-conflict")).to_contain_text(
        "an anderer Stelle geändert", timeout=10_000
    )
    desktop.get_by_role("button", name="Entwurf speichern").click()
    desktop.wait_for_load_state()

    expect(desktop.get_by_test_id("page-error")).to_contain_text("inzwischen an anderer Stelle geändert")
    expect(desktop.get_by_label("Betriebliche Tätigkeiten")).to_have_value(
        "Vom Rechner: Drucker eingerichtet."
    )
    expect(desktop.get_by_test_id("other-version")).to_contain_text("Vom Handy: Kabel verlegt.")
    body = desktop.locator("body").inner_text()
    assert "dict_items" not in body and "__all__" not in body
    assert axe_violations(desktop) == []
    desktop_context.close()
    phone_context.close()


def test_trainer_selects_all_in_the_queue_confirms_and_goes_on(browser, live_server, e2e_demo):
    """#16: "Alle auswählen" ticks every period in place (records/queue.js; CSP allows no inline script), the
    confirmation lists them, signing them says how many; nothing selected is a field error. At 1280 and 360 px,
    axe finds nothing on either page."""
    from ausbildung.records import services as record_services
    from ausbildung.records.models import RecordPeriod
    from tests.records.conftest import week_input

    contract = TrainingContract.objects.get(apprentice__username="azubi")
    for monday in (datetime.date(2025, 9, 8), datetime.date(2025, 9, 15)):
        period = record_services.record_period_save(
            actor=e2e_demo["azubi"], contract=contract, start=monday, data=week_input(monday)
        )
        record_services.record_period_submit(actor=e2e_demo["azubi"], period=period)
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    try:
        login(page, live_server.url, "ausbilder")
        page.goto(f"{live_server.url}/nachweis/pruefen/")
        page.get_by_role("button", name="Ausgewählte Zeiträume abzeichnen …").click()
        expect(
            page.get_by_text("Bitte wählen Sie mindestens einen Zeitraum zum Abzeichnen aus.")
        ).to_be_visible()
        page.get_by_role("button", name="Alle auswählen").click()
        assert "alle=1" not in page.url  # ticked in place by the script
        boxes = page.locator('input[name="periods"]')
        assert boxes.count() >= 2 and all(boxes.nth(i).is_checked() for i in range(boxes.count()))
        expect(page.get_by_role("button", name="Auswahl aufheben")).to_be_visible()
        assert axe_violations(page) == []
        page.get_by_role("button", name="Ausgewählte Zeiträume abzeichnen …").click()
        expect(page.get_by_test_id("confirm-heading")).to_contain_text(
            "Zeiträume von Jonas Becker abzeichnen?"
        )
        assert axe_violations(page) == []
        page.set_viewport_size({"width": 360, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.get_by_role("button", name="Diese Zeiträume abzeichnen").click()
        expect(page.get_by_text("Zeiträume abgezeichnet.")).to_be_visible()
        assert not RecordPeriod.objects.filter(contract=contract, state=RecordPeriod.State.SUBMITTED).exists()
    finally:
        context.close()
