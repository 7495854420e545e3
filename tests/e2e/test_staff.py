"""Training staff in a real browser (issue #21), at 1280 and 360 px: the training lead finds the contract whose
trainer has no aptitude on record (BBiG § 28, AusbEignV), records the trainer's AEVO certificate with a copy, and
the flag is gone; the chamber confirms the evidence; the trainer sees it confirmed. axe-core finds 0 violations on
every page, and no page is wider than the viewport."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ausbildung.core.models import TrainingContract
from ausbildung.staff.models import Qualification

from .conftest import axe_violations, login

pytestmark = pytest.mark.browser

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n158\n%%EOF\n"
)


def new_page(browser, width: int):
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    return context, page


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [1280, 360])
def test_from_the_trainer_list_to_the_flagged_contract_and_back(
    browser, live_server, e2e_demo, width, tmp_path
):
    base = live_server.url
    jonas = TrainingContract.objects.get(apprentice=e2e_demo["azubi"])
    miriam = e2e_demo["ausbilder"]
    certificate = tmp_path / "aevo-zeugnis.pdf"
    certificate.write_bytes(PDF)

    context, lead = new_page(browser, width)
    login(lead, base, "betrieb")
    lead.goto(f"{base}/mein-bereich/")
    lead.get_by_role("link", name="Ausbildungspersonal").first.click()
    flagged = lead.get_by_test_id(f"flagged-{jonas.pk}")
    expect(flagged).to_contain_text("Jonas Becker")
    expect(flagged).to_contain_text("Für Miriam Klein ist keine Ausbildereignung nachgewiesen")
    expect(lead.get_by_test_id(f"trainer-{miriam.pk}")).to_contain_text("keine")
    assert axe_violations(lead) == [] and fits(lead)
    form = lead.get_by_test_id("qualification-form")
    form.get_by_label("Ausbilder/in").select_option(str(miriam.pk))
    form.get_by_label("Ausbildereignungsprüfung (AEVO, AusbEignV § 4)").check()
    form.get_by_label("Datum des Zeugnisses").fill("2019-05-14")
    form.get_by_label("Ausgestellt von").fill("IHK Saarland")
    form.get_by_label("Berufliche Qualifikation").fill("Fachinformatikerin Anwendungsentwicklung, IHK 2012")
    form.get_by_label("Kopie des Zeugnisses (PDF, JPEG oder PNG, höchstens 5 MB)").set_input_files(
        str(certificate)
    )
    form.locator("button[type=submit]").click()
    expect(lead.get_by_test_id("flagged-contracts")).to_contain_text("nachgewiesener Eignung")
    expect(lead.get_by_test_id(f"trainer-{miriam.pk}")).to_contain_text("noch nicht bestätigt")
    assert axe_violations(lead) == [] and fits(lead)
    context.close()
    qualification = Qualification.objects.get(trainer=miriam)
    assert qualification.document_type == "application/pdf"

    context, chamber = new_page(browser, width)
    login(chamber, base, "kammer")
    chamber.goto(f"{base}/ausbildungspersonal/kammer/")
    expect(chamber.get_by_test_id("to-confirm")).to_contain_text("Miriam Klein")
    assert axe_violations(chamber) == [] and fits(chamber)
    chamber.get_by_test_id("to-confirm").get_by_role("button", name="Bestätigen").click()
    expect(chamber.get_by_test_id("to-confirm")).to_contain_text("Nichts zu bestätigen")
    context.close()

    context, trainer = new_page(browser, width)
    login(trainer, base, "ausbilder")
    trainer.goto(f"{base}/ausbildungspersonal/ich/")
    expect(trainer.get_by_test_id("evidence")).to_contain_text("von der Kammer bestätigt")
    assert axe_violations(trainer) == [] and fits(trainer)
    context.close()


@pytest.mark.parametrize("width", [1280, 360])
def test_the_aevo_self_check_on_a_phone_and_a_desk(browser, live_server, e2e_demo, width):
    """A trainer opens the self-check, answers the first question of field 3 wrongly and sees why."""
    from ausbildung.staff import aevo

    first = aevo.load().of_field(3)[0]
    base = live_server.url
    context, page = new_page(browser, width)
    login(page, base, "ausbilder")
    page.goto(f"{base}/ausbildungspersonal/aevo/")
    expect(page.get_by_test_id("not-the-exam")).to_contain_text("AusbEignV § 4")
    assert axe_violations(page) == [] and fits(page)
    page.get_by_test_id("field-3").get_by_role("link").click()
    form = page.get_by_test_id("question-form")
    expect(form).to_contain_text(first.question)
    form.get_by_label(first.options[(first.answer + 1) % 4], exact=True).check()
    form.get_by_role("button", name="Antwort prüfen").click()
    expect(page.get_by_test_id("result")).to_contain_text("Nicht ganz")
    expect(page.get_by_test_id("result")).to_contain_text(first.paragraph)
    assert axe_violations(page) == [] and fits(page)
    context.close()
