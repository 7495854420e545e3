"""Data-protection rights (#18): the registry and docs/privacy.md, the copy (DSGVO Art. 15/20), erasure on
request with the exceptions of Art. 17 Abs. 3, the retention rules and the daily job, the recorded erasure of
a record book that `records verify` accepts."""

from __future__ import annotations

import datetime
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
import time_machine
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from ausbildung.core.models import AuditLog, Membership, TrainingContract, User
from ausbildung.core.privacy import document, erasure, export, registry
from ausbildung.offers.models import Application, ApplicationDocument, SeekerProfile
from ausbildung.orientation.models import InterestCheck, PlanStep
from ausbildung.records import integrity
from ausbildung.records import privacy as records_privacy
from ausbildung.records import services as records_services
from ausbildung.records.models import ChamberRules, RecordPeriod, RecordSignature
from ausbildung.transition.models import Consent, Destination
from tests.offers.conftest import document_of, sent_application
from tests.records.conftest import week_input

PASSWORD = "demo-ausbildung"


def zip_of(content: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(content))


def ago(**kwargs) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(**kwargs)


@pytest.fixture
def signed_week(demo) -> RecordPeriod:
    """One week of the apprentice's book, written, submitted and signed through the real services."""
    contract = TrainingContract.objects.get(apprentice=demo["azubi"])
    period = records_services.record_period_save(
        actor=demo["azubi"], contract=contract, start=SIGNED_WEEK, data=week_input(SIGNED_WEEK)
    )
    records_services.record_period_submit(actor=demo["azubi"], period=period)
    return records_services.record_period_sign(actor=demo["ausbilder"], period=period)


SIGNED_WEEK = datetime.date(2025, 8, 4)


# --- the registry and docs/privacy.md ------------------------------------------------------------------------


def test_privacy_md_is_generated_from_the_registry():
    path = Path(__file__).resolve().parents[2] / "docs" / "privacy.md"
    assert path.read_text(encoding="utf-8") == document.render(), "run 'ausbildung privacy document'"


def test_every_model_is_declared():
    assert document.coverage_problems() == []


def test_an_undeclared_model_with_a_link_to_a_person_is_found(monkeypatch):
    kinds = {key: kind for key, kind in registry._REGISTRY.kinds.items() if key != "offers.applications"}
    monkeypatch.setattr(registry._REGISTRY, "kinds", kinds)
    problems = document.coverage_problems()
    assert (
        "offers.Application holds personal data and is neither registered as personal data nor declared free of it"
        in problems
    )


def test_a_link_to_a_person_cannot_be_declared_free_of_personal_data(monkeypatch):
    kinds = {key: kind for key, kind in registry._REGISTRY.kinds.items() if key != "orientation.own"}
    monkeypatch.setattr(registry._REGISTRY, "kinds", kinds)
    monkeypatch.setattr(registry._REGISTRY, "not_personal", {**registry._REGISTRY.not_personal})
    registry.register_not_personal({"orientation.PlanStep": "only a plan"})
    problems = document.coverage_problems()
    assert "orientation.PlanStep links to a person but is declared free of personal data" in problems
    assert any(p.startswith("orientation.InterestCheck holds personal data and is neither") for p in problems)


def test_every_kind_names_its_legal_basis_and_the_source_of_its_period():
    for kind in registry.personal_data_kinds():
        assert "Art. 6" in kind.legal_basis, kind.key
        assert kind.retention and kind.retention_source, kind.key
        assert kind.label_de and kind.purpose and kind.seen_by and kind.erase_how, kind.key


def test_document_command_writes_the_file(tmp_path, db):
    target = tmp_path / "privacy.md"
    call_command("privacy", "document", str(target))
    assert target.read_text(encoding="utf-8") == document.render()


# --- the copy (Art. 15/20) -----------------------------------------------------------------------------------


def test_apprentice_copy_holds_json_and_the_record_book_pdf(demo, signed_week):
    azubi = demo["azubi"]
    content = export.person_export(actor=azubi, person=azubi)
    archive = zip_of(content)
    names = archive.namelist()
    assert "manifest.json" in names and "LIESMICH.txt" in names
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["person"] == {"id": azubi.pk, "username": "azubi"}
    book = json.loads(archive.read("daten/records.book.json"))
    assert book["data"][0]["format"] == "ausbildung.record-book"
    assert book["data"][0]["periods"], "the written periods are in the copy"
    account = json.loads(archive.read("daten/core.account.json"))["data"]["account"]
    assert account["username"] == "azubi" and "password" not in account
    pdfs = [name for name in names if name.startswith("dateien/") and name.endswith(".pdf")]
    assert pdfs and archive.read(pdfs[0]).startswith(b"%PDF")
    row = AuditLog.objects.get(action="privacy.export", target_id=str(azubi.pk))
    assert row.actor == azubi and "records.book" in row.changes["kinds"] and row.changes["files"] == len(pdfs)


def test_pupil_copy_holds_her_application_documents(demo):
    pupil = demo["schueler"]
    document_of(sent_application(demo))
    archive = zip_of(export.person_export(actor=pupil, person=pupil))
    files = [name for name in archive.namelist() if name.startswith("dateien/bewerbungen/")]
    assert files and archive.read(files[0]).startswith(b"%PDF")
    applications = json.loads(archive.read("daten/offers.applications.json"))["data"]["applications"]
    assert applications[0]["documents"][0]["original_name"] == "lebenslauf.pdf"


def test_my_data_page_and_download(client, demo):
    client.force_login(demo["schueler"])
    page = client.get("/mein-bereich/meine-daten/")
    assert page.status_code == 200
    assert "Meine Daten" in page.text and "du" in page.text
    response = client.post("/mein-bereich/meine-daten/kopie/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "attachment" in response["Content-Disposition"]
    assert "manifest.json" in zip_of(response.content).namelist()
    assert AuditLog.objects.filter(action="privacy.export", actor=demo["schueler"]).count() == 1


def test_staff_speak_formally_on_their_page(client, demo):
    client.force_login(demo["ausbilder"])
    page = client.get("/mein-bereich/meine-daten/")
    assert "Hier können Sie" in page.text


def test_platform_admin_produces_the_copy_for_a_paper_request(client, demo):
    client.force_login(demo["admin"])
    response = client.post(
        "/mein-bereich/datenschutz/auskunft/", {"username": "azubi2", "reference": "Brief vom 3.12."}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    row = AuditLog.objects.get(action="privacy.export", target_id=str(demo["azubi2"].pk))
    assert row.actor == demo["admin"] and row.changes["reference"] == "Brief vom 3.12."
    unknown = client.post("/mein-bereich/datenschutz/auskunft/", {"username": "niemand", "reference": "x"})
    assert unknown.status_code == 200 and "Benutzernamen" in unknown.text


def test_export_command(tmp_path, demo):
    target = tmp_path / "copy.zip"
    call_command("privacy", "export", "schueler", str(target), "--reference", "Brief")
    assert "manifest.json" in zip_of(target.read_bytes()).namelist()
    with pytest.raises(CommandError, match="no person"):
        call_command("privacy", "export", "niemand", str(tmp_path / "x.zip"))
    with pytest.raises(CommandError, match="exists"):
        call_command("privacy", "export", "schueler", str(target))


# --- erasure on request ---------------------------------------------------------------------------------------


def test_pupil_erasure_keeps_an_open_application_and_erases_the_rest(client, demo):
    pupil = demo["schueler"]
    InterestCheck.objects.create(pupil=pupil, item_set="short", answers={"r1": 3})
    PlanStep.objects.create(pupil=pupil, text="Praktikum suchen")
    SeekerProfile.objects.update_or_create(user=pupil, defaults={"postcode": "66111"})
    open_application = sent_application(demo)
    other_offer = (
        open_application.offer.__class__.objects.exclude(pk=open_application.offer_id)
        .filter(status="published")
        .first()
    )
    withdrawn = Application.objects.create(
        offer=other_offer, applicant=pupil, state=Application.State.WITHDRAWN
    )
    document_of(withdrawn)

    client.force_login(pupil)
    wrong = client.post("/mein-bereich/meine-daten/loeschen/", {"password": "falsch"})
    assert wrong.status_code == 400 and "Passwort" in wrong.text
    assert InterestCheck.objects.filter(pupil=pupil).exists()

    response = client.post("/mein-bereich/meine-daten/loeschen/", {"password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/mein-bereich/meine-daten/"
    assert not InterestCheck.objects.filter(pupil=pupil).exists()
    assert not PlanStep.objects.filter(pupil=pupil).exists()
    assert not SeekerProfile.objects.filter(user=pupil).exists()
    assert not Application.objects.filter(pk=withdrawn.pk).exists()
    assert Application.objects.filter(pk=open_application.pk).exists(), "the company is still deciding"
    pupil.refresh_from_db()
    assert pupil.is_active and pupil.username == "schueler" and pupil.erasure_requested_at is not None
    page = client.get("/mein-bereich/meine-daten/")
    assert "Offene Bewerbungen" in page.text and "Löschung beantragt am" in page.text
    assert "Verbleib" in page.text, "the school's record is kept (Art. 17 Abs. 3 lit. b)"
    row = AuditLog.objects.get(action="privacy.erase", target_id=str(pupil.pk))
    assert row.changes["erased"]["orientation.own"] >= 3  # check, plan step, class membership
    assert "offers.applications" in row.changes["kept"]
    assert "Praktikum" not in json.dumps(row.changes) and "66111" not in json.dumps(row.changes)


def test_files_go_with_their_person(demo, django_capture_on_commit_callbacks):
    pupil = demo["schueler"]
    application = sent_application(demo)
    application.state = Application.State.WITHDRAWN
    application.save()
    path = Path(document_of(application).file.path)
    with django_capture_on_commit_callbacks(execute=True):
        erasure.person_erase(actor=pupil, person=pupil)
    assert not ApplicationDocument.objects.filter(application=application).exists()
    assert not path.exists()


def nothing_kept_in_transition(pupil: User) -> None:
    """The demo pupil has a consent and a destination, which are kept; these tests are about the rest."""
    Consent.objects.filter(person=pupil).delete()
    Destination.objects.filter(pupil=pupil).delete()


def test_erasure_without_anything_to_keep_anonymises_and_redacts(client, demo):
    pupil = demo["schueler"]
    nothing_kept_in_transition(pupil)
    admin_entry = LogEntry.objects.create(
        user=demo["admin"],
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(pupil.pk),
        object_repr="Lena Schmidt",
        action_flag=CHANGE,
    )
    AuditLog.objects.create(
        action="demo.note", target_type="x", summary="Lena Schmidt joined", changes={"who": "schueler"}
    )
    client.force_login(pupil)
    page = client.get("/mein-bereich/meine-daten/")
    token = re.search(r'name="form_token" value="([^"]+)"', page.text).group(
        1
    )  # handled once (core.submissions)
    response = client.post("/mein-bereich/meine-daten/loeschen/", {"password": PASSWORD, "form_token": token})
    assert response.status_code == 302 and response["Location"] == "/"
    pupil.refresh_from_db()
    assert pupil.username == f"geloescht-{pupil.pk}"
    assert (pupil.first_name, pupil.last_name, pupil.email, pupil.date_of_birth) == ("", "", "", None)
    assert not pupil.is_active and not pupil.has_usable_password()
    assert not Membership.objects.filter(user=pupil).exists()
    note = AuditLog.objects.get(action="demo.note")
    assert note.summary == f"geloescht-{pupil.pk} joined" and note.changes == {"who": f"geloescht-{pupil.pk}"}
    assert not AuditLog.objects.filter(summary__icontains="Lena Schmidt").exists()
    admin_entry.refresh_from_db()
    assert admin_entry.object_repr == f"geloescht-{pupil.pk}"
    redact = AuditLog.objects.get(action="privacy.redact", target_id=str(pupil.pk))
    assert redact.changes["redacted_rows"] >= 1
    erase_row = AuditLog.objects.get(action="privacy.erase", target_id=str(pupil.pk))
    assert erase_row.changes["anonymised"] is True
    assert client.get("/mein-bereich/").status_code == 302  # signed out


def test_apprentice_keeps_the_record_book_with_its_date(demo, signed_week):
    azubi = demo["azubi"]
    contract = TrainingContract.objects.get(apprentice=azubi)
    report = erasure.person_erase(actor=azubi, person=azubi)
    assert not report.anonymised
    kept = [item for kind, item in report.kept if kind.key == "records.book"]
    assert kept[0].until == datetime.date(contract.end_date.year + 3, 12, 31)
    assert RecordPeriod.objects.filter(contract=contract).exists()


def test_a_trainer_who_signed_keeps_the_name_on_the_signatures(demo, signed_week):
    trainer = demo["ausbilder"]
    assert RecordSignature.objects.filter(signer=trainer).exists()
    report = erasure.person_erase(actor=trainer, person=trainer)
    assert not report.anonymised
    trainer.refresh_from_db()
    assert trainer.username == "ausbilder"


# --- retention rules and the daily job -------------------------------------------------------------------------


def ended_contract(demo) -> TrainingContract:
    contract = TrainingContract.objects.get(apprentice=demo["azubi"])
    TrainingContract.objects.filter(pk=contract.pk).update(status=TrainingContract.Status.COMPLETED)
    contract.refresh_from_db()
    return contract


def anchor_chain(contract: TrainingContract) -> None:
    """The anchor lines written when the chain was signed (the demo signed under another log file)."""
    for link in RecordSignature.objects.filter(contract=contract).order_by("sequence"):
        integrity.anchor_append(
            kind=integrity.SIGN,
            contract_id=contract.pk,
            sequence=link.sequence,
            period_id=link.period_id,
            head=link.chain_hash,
        )


def test_record_book_is_erased_after_its_period_and_verify_accepts_it(
    demo, signed_week, django_capture_on_commit_callbacks, capsys
):
    contract = ended_contract(demo)
    anchor_chain(contract)
    call_command("records", "verify", "--contract", str(contract.pk))
    last_kept = records_privacy.kept_until(contract)
    assert last_kept == datetime.date(contract.end_date.year + 3, 12, 31)  # BGB § 195, § 199 Abs. 1

    noon = datetime.time(12, tzinfo=timezone.get_current_timezone())
    with django_capture_on_commit_callbacks(execute=True):
        with time_machine.travel(datetime.datetime.combine(last_kept, noon), tick=False):
            erasure.erase_expired()
        assert TrainingContract.objects.filter(pk=contract.pk).exists()  # the last day: kept
        with time_machine.travel(
            datetime.datetime.combine(last_kept + datetime.timedelta(days=1), noon), tick=False
        ):
            report = erasure.erase_expired()
    assert report.erased["records.book"] >= 1
    assert not TrainingContract.objects.filter(pk=contract.pk).exists()
    assert not RecordSignature.objects.filter(contract_id=contract.pk).exists()
    row = AuditLog.objects.get(action="records.book_erase", target_id=str(contract.pk))
    assert row.changes["signatures"] >= 1 and "Becker" not in row.summary
    capsys.readouterr()
    call_command("records", "verify", "--contract", str(contract.pk))
    assert "erased after their retention period" in capsys.readouterr().out


def test_a_book_deleted_without_the_recorded_erasure_is_tampering(demo, signed_week):
    contract = ended_contract(demo)
    anchor_chain(contract)
    RecordSignature.objects.filter(contract=contract).delete()
    RecordPeriod.objects.filter(contract=contract).delete()
    pk = contract.pk
    contract.delete()
    with pytest.raises(CommandError):
        call_command("records", "verify", "--contract", str(pk))


def test_a_chamber_keeps_record_books_longer(demo):
    contract = ended_contract(demo)
    ChamberRules.objects.update_or_create(chamber=contract.chamber, defaults={"record_retention_years": 10})
    after_default = datetime.date(contract.end_date.year + 4, 1, 1)
    erasure.erase_expired(today=after_default)
    assert TrainingContract.objects.filter(pk=contract.pk).exists()
    assert records_privacy.kept_until(contract) == datetime.date(contract.end_date.year + 10, 12, 31)


def test_decided_application_kept_six_months_then_erased_with_its_files(
    demo, django_capture_on_commit_callbacks
):
    application = sent_application(demo)
    path = Path(document_of(application).file.path)
    Application.objects.filter(pk=application.pk).update(
        state=Application.State.DECLINED, updated_at=ago(days=170)
    )
    pupil = demo["schueler"]
    kept = [item for kind, item in erasure.erasure_preview(pupil) if kind.key == "offers.applications"]
    assert kept and kept[0].until is not None  # AGG § 15 Abs. 4 + ArbGG § 61b
    assert erasure.erase_expired().erased.get("offers.applications") is None
    Application.objects.filter(pk=application.pk).update(updated_at=ago(days=190))
    with django_capture_on_commit_callbacks(execute=True):
        assert erasure.erase_expired().erased["offers.applications"] >= 1
    assert not Application.objects.filter(pk=application.pk).exists()
    assert not path.exists()


def test_orientation_data_goes_after_two_unused_years(demo):
    pupil = demo["schueler"]
    PlanStep.objects.create(pupil=pupil, text="Praktikum suchen")
    User.objects.filter(pk=pupil.pk).update(last_login=ago(days=365))
    assert erasure.erase_expired(dry_run=True).erased.get("orientation.own") is None
    User.objects.filter(pk=pupil.pk).update(last_login=ago(days=2 * 365 + 2))
    dry = erasure.erase_expired(dry_run=True)
    assert dry.erased["orientation.own"] >= 1 and PlanStep.objects.filter(pupil=pupil).exists()
    erasure.erase_expired()
    assert not PlanStep.objects.filter(pupil=pupil).exists()


def test_withdrawn_consent_is_proof_for_three_years(demo, django_capture_on_commit_callbacks):
    pupil = demo["schueler"]
    agency = Membership.objects.filter(role="counsellor").first().organisation
    consent = Consent.objects.create(
        person=pupil,
        agency=agency,
        method=Consent.Method.PAPER,
        person_consented_on=datetime.date(2020, 1, 10),
        guardian_consented_on=datetime.date(2020, 1, 10),
        recorded_by=demo["beratung"],
        withdrawn_on=datetime.date(2021, 5, 1),
    )
    consent.evidence.save("form.pdf", ContentFile(b"%PDF-1.4 form"), save=True)
    path = Path(consent.evidence.path)
    assert erasure.erase_expired(today=datetime.date(2024, 12, 31)).erased.get("transition.consents") is None
    with django_capture_on_commit_callbacks(execute=True):
        report = erasure.erase_expired(today=datetime.date(2025, 1, 1))
    assert report.erased["transition.consents"] >= 1
    assert not Consent.objects.filter(pk=consent.pk).exists() and not path.exists()


def test_erase_expired_finishes_a_request_once_nothing_must_be_kept(demo):
    pupil = demo["schueler"]
    nothing_kept_in_transition(pupil)
    application = sent_application(demo)
    erasure.person_erase(actor=pupil, person=pupil)
    pupil.refresh_from_db()
    assert pupil.is_active, "the open application is kept"
    Application.objects.filter(pk=application.pk).update(
        state=Application.State.DECLINED, updated_at=ago(days=200)
    )
    assert erasure.erase_expired().accounts == 1
    pupil.refresh_from_db()
    assert pupil.username == f"geloescht-{pupil.pk}" and not pupil.is_active


def test_erase_expired_is_idempotent_and_prints_counts(demo, capsys):
    PlanStep.objects.create(pupil=demo["schueler"], text="alt")
    User.objects.filter(pk=demo["schueler"].pk).update(last_login=ago(days=800))
    with time_machine.travel(timezone.now(), tick=False):
        call_command("privacy", "erase-expired", "--dry-run")
        assert "Dry run" in capsys.readouterr().out
        assert PlanStep.objects.filter(pupil=demo["schueler"]).exists()
        call_command("privacy", "erase-expired")
        out = capsys.readouterr().out
        assert "orientation.own: erased" in out
        runs = AuditLog.objects.filter(action="privacy.erase_expired").count()
        call_command("privacy", "erase-expired")
        out = capsys.readouterr().out
        assert "orientation.own" not in out
        assert AuditLog.objects.filter(action="privacy.erase_expired").count() == runs
    row = AuditLog.objects.filter(action="privacy.erase_expired").first()
    assert row is not None and "alt" not in json.dumps(row.changes)


def test_a_kind_bound_to_the_account_goes_when_the_account_is_anonymised(demo, monkeypatch):
    """What other apps add later (second factors, invitations) registers `on_anonymise`."""
    pupil = demo["schueler"]
    nothing_kept_in_transition(pupil)
    calls = []
    monkeypatch.setattr(registry._REGISTRY, "kinds", {**registry._REGISTRY.kinds})
    registry.register_personal_data(
        registry.PersonalData(
            key="test.devices",
            models=(),
            label="x",
            label_de="x",
            purpose="x",
            legal_basis="DSGVO Art. 6 Abs. 1 lit. f",
            seen_by="x",
            retention="x",
            retention_source="x",
            link="x",
            export_how="x",
            erase_how="x",
            on_anonymise=lambda person, today: calls.append(person.pk) or 1,
        )
    )
    erasure.person_erase(actor=pupil, person=pupil)
    assert calls == [pupil.pk]


# --- the shorter periods: one row just inside, one just outside ------------------------------------------------


def test_destination_is_kept_one_year_after_leaving(demo):
    destination = Destination.objects.filter(pupil=demo["schueler"]).first()
    last = destination.leaving_date.replace(year=destination.leaving_date.year + 1)
    erasure.erase_expired(today=last)
    assert Destination.objects.filter(pk=destination.pk).exists()
    erasure.erase_expired(today=last + datetime.timedelta(days=1))
    assert not Destination.objects.filter(pk=destination.pk).exists()


def test_closed_case_is_kept_one_year(demo):
    from ausbildung.transition.models import Case

    case = Case.objects.filter(person=demo["schueler"]).first()  # the demo case of the agency
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED, closed_at=ago(days=360))
    erasure.erase_expired()
    assert Case.objects.filter(pk=case.pk).exists()
    Case.objects.filter(pk=case.pk).update(closed_at=ago(days=370))
    erasure.erase_expired()
    assert not Case.objects.filter(pk=case.pk).exists()


def test_sent_mail_sign_in_records_and_audit_rows_have_their_periods(demo):
    from axes.models import AccessLog

    from ausbildung.core.models import OutgoingMail

    def mail(days: int) -> OutgoingMail:
        row = OutgoingMail.objects.create(
            to="lena@example.org", subject="s", body="b", next_attempt_at=timezone.now()
        )
        OutgoingMail.objects.filter(pk=row.pk).update(status=OutgoingMail.Status.SENT, sent_at=ago(days=days))
        return row

    fresh_mail, old_mail = mail(29), mail(31)
    fresh_log = AccessLog.objects.create(username="schueler", user_agent="x", http_accept="x", path_info="/")
    old_log = AccessLog.objects.create(username="schueler", user_agent="x", http_accept="x", path_info="/")
    AccessLog.objects.filter(pk=old_log.pk).update(attempt_time=ago(days=31))
    this_year = AuditLog.objects.create(action="x.fresh", target_type="x")
    old_row = AuditLog.objects.create(action="x.old", target_type="x")
    today = timezone.localdate()
    AuditLog.objects.filter(pk=old_row.pk).update(
        created_at=datetime.datetime(today.year - 4, 12, 31, 12, tzinfo=datetime.UTC)
    )
    erasure.erase_expired()
    assert (
        OutgoingMail.objects.filter(pk=fresh_mail.pk).exists()
        and not OutgoingMail.objects.filter(pk=old_mail.pk).exists()
    )
    assert (
        AccessLog.objects.filter(pk=fresh_log.pk).exists()
        and not AccessLog.objects.filter(pk=old_log.pk).exists()
    )
    assert (
        AuditLog.objects.filter(pk=this_year.pk).exists()
        and not AuditLog.objects.filter(pk=old_row.pk).exists()
    )


def test_internship_requests_and_clearing_participations_follow_the_applications_rule(demo):
    from ausbildung.core.models import Organisation
    from ausbildung.orientation.models import InternshipApplication, InternshipSlot
    from ausbildung.transition.clearing.models import ClearingRound, Participant

    pupil = demo["schueler"]
    slot = InternshipSlot.objects.first()
    request = InternshipApplication.objects.create(
        slot=slot, pupil=pupil, state=InternshipApplication.State.DECLINED
    )
    chamber = Organisation.objects.filter(kind=Organisation.Kind.CHAMBER).first()
    today = timezone.localdate()
    round_ = ClearingRound.objects.create(
        organiser=chamber,
        name="Herbst",
        opens_on=today - datetime.timedelta(days=300),
        ranking_closes_on=today - datetime.timedelta(days=290),
        result_published_on=today - datetime.timedelta(days=280),
        status=ClearingRound.Status.PUBLISHED,
        seed=1,
        published_at=ago(days=170),
    )
    participant = Participant.objects.create(round=round_, pupil=pupil)
    InternshipApplication.objects.filter(pk=request.pk).update(updated_at=ago(days=170))
    erasure.erase_expired()
    assert InternshipApplication.objects.filter(pk=request.pk).exists()
    assert Participant.objects.filter(pk=participant.pk).exists()
    kept = [item for kind, item in erasure.erasure_preview(pupil) if kind.key == "clearing.participants"]
    assert kept and kept[0].until is not None
    InternshipApplication.objects.filter(pk=request.pk).update(updated_at=ago(days=190))
    ClearingRound.objects.filter(pk=round_.pk).update(published_at=ago(days=190))
    erasure.erase_expired()
    assert not InternshipApplication.objects.filter(pk=request.pk).exists()
    assert not Participant.objects.filter(pk=participant.pk).exists()


def test_erase_command_for_a_paper_request(demo):
    pupil = demo["schueler"]
    nothing_kept_in_transition(pupil)
    out = io.StringIO()
    call_command("privacy", "erase", "schueler", "--reference", "Brief vom 3.12.2026", stdout=out)
    assert "Nothing erased" in out.getvalue()
    pupil.refresh_from_db()
    assert pupil.username == "schueler" and pupil.erasure_requested_at is None  # the preview changes nothing
    with pytest.raises(CommandError, match="--reference"):
        call_command("privacy", "erase", "schueler", "--reference", " ", "--yes")
    call_command("privacy", "erase", "schueler", "--reference", "Brief vom 3.12.2026", "--yes", stdout=out)
    pupil.refresh_from_db()
    assert pupil.username == f"geloescht-{pupil.pk}" and "account anonymised" in out.getvalue()
    row = AuditLog.objects.get(action="privacy.erase", target_id=str(pupil.pk))
    assert row.changes["by"] == "staff (paper request)" and row.changes["reference"] == "Brief vom 3.12.2026"
    with pytest.raises(CommandError, match="no person"):
        call_command("privacy", "erase", "niemand", "--reference", "Brief", "--yes")
