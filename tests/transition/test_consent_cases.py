"""Consent (DSGVO Art. 6/7/8) and the counsellor's case follow-up (Jugendberufsagentur)."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ausbildung.core.models import Guardianship, Organisation, User
from ausbildung.transition import reminders, services
from ausbildung.transition.models import Case, CaseStep, Consent, ConsentState, Destination, Referral
from tests.offers.conftest import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency(demo) -> Organisation:
    return Organisation.objects.get(kind=Organisation.Kind.GUIDANCE_AGENCY)


@pytest.fixture
def ben(demo) -> User:
    return User.objects.get(username="demo-ben")


@pytest.fixture
def mia(demo) -> User:
    return User.objects.get(username="demo-mia")


def signed_form(name: str = "einwilligung.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_minor_needs_the_legal_representative_too(demo, agency, mia):
    today = timezone.localdate()
    assert mia.is_minor_on(today)
    with pytest.raises(ValidationError) as error:
        services.consent_record_paper(
            actor=demo["lehrer"], person=mia, agency=agency, upload=signed_form(), person_consented_on=today
        )
    assert "guardian_consented_on" in error.value.message_dict
    consent = services.consent_record_paper(
        actor=demo["lehrer"],
        person=mia,
        agency=agency,
        upload=signed_form(),
        person_consented_on=today,
        guardian_name="Eva Keller",
        guardian_consented_on=today,
    )
    assert consent.is_valid_on(today) and consent.method == Consent.Method.PAPER
    assert consent.evidence.read() == PDF


def test_adult_consents_alone_and_future_dates_are_refused(demo, agency, mia):
    today = timezone.localdate()
    mia.date_of_birth = today.replace(year=today.year - 19)
    mia.save()
    with pytest.raises(ValidationError) as error:
        services.consent_record_paper(
            actor=demo["lehrer"],
            person=mia,
            agency=agency,
            upload=signed_form(),
            person_consented_on=today + datetime.timedelta(days=1),
        )
    assert "person_consented_on" in error.value.message_dict
    consent = services.consent_record_paper(
        actor=demo["lehrer"], person=mia, agency=agency, upload=signed_form(), person_consented_on=today
    )
    assert consent.is_valid_on(today)


def test_the_signed_form_must_be_a_pdf_jpeg_or_png(demo, agency, mia):
    today = timezone.localdate()
    fake = SimpleUploadedFile("form.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        services.consent_record_paper(
            actor=demo["lehrer"],
            person=mia,
            agency=agency,
            upload=fake,
            person_consented_on=today,
            guardian_name="Eva Keller",
            guardian_consented_on=today,
        )
    assert "evidence" in error.value.message_dict
    assert not Consent.objects.filter(person=mia).exists()


def test_a_consent_is_not_valid_before_it_was_given_nor_after_withdrawal(demo, agency):
    lena = demo["schueler"]
    consent = Consent.objects.get(person=lena)
    today = timezone.localdate()
    assert consent.is_valid_on(today)
    assert not consent.is_valid_on(today - datetime.timedelta(days=1))
    services.consent_withdraw(actor=lena, consent=consent)
    assert not consent.is_valid_on(today)
    assert not services.has_valid_consent(lena, agency)


def test_a_consent_recorded_before_evidence_was_required_is_not_valid(demo, agency):
    """Migration 0002 marks the checkbox-only consents "legacy": flagged, not treated as proven."""
    consent = Consent.objects.get(person=demo["schueler"])
    Consent.objects.filter(pk=consent.pk).update(method=Consent.Method.LEGACY)
    consent.refresh_from_db()
    assert not consent.is_valid_on(timezone.localdate())
    assert consent.state_on(timezone.localdate()) == ConsentState.UNPROVEN


def test_no_case_without_consent(demo, agency, mia):
    with pytest.raises(ValidationError):
        services.case_open(actor=demo["beratung"], person=mia, agency=agency)
    client_response = None
    from django.test import Client

    client = Client()
    client.force_login(demo["beratung"])
    client_response = client.post(reverse("transition:case_open", args=[mia.pk]))
    assert client_response.status_code == 404  # the counsellor does not learn who this is
    assert not Case.objects.filter(person=mia).exists()


def test_counsellor_opens_follows_and_closes_a_case(demo, client_for, agency, ben):
    services.consent_record_paper(
        actor=demo["lehrer"],
        person=ben,
        agency=agency,
        upload=signed_form(),
        person_consented_on=timezone.localdate(),
        guardian_name="Eltern Hoffmann",
        guardian_consented_on=timezone.localdate(),
    )
    client = client_for("counsellor")
    page = client.get(reverse("transition:cases")).content.decode()
    assert "Ben Hoffmann" in page  # consent, no secured next step, no case yet
    response = client.post(reverse("transition:case_open", args=[ben.pk]))
    case = Case.objects.get(person=ben, status=Case.Status.OPEN)
    assert response.status_code == 302 and response.url == reverse("transition:case_detail", args=[case.pk])
    url = reverse("transition:case_detail", args=[case.pk])
    today = timezone.localdate()
    # German field errors
    response = client.post(
        url, {"action": "contact", "contact-day": "", "contact-channel": "phone", "contact-note": ""}
    )
    assert response.status_code == 200 and "id_contact-day_error" in response.content.decode()
    response = client.post(
        url,
        {
            "action": "contact",
            "contact-day": today.isoformat(),
            "contact-channel": "phone",
            "contact-note": "Telefonat",
        },
    )
    assert response.status_code == 302
    response = client.post(
        url,
        {
            "action": "step",
            "step-text": "Bewerbung schreiben",
            "step-due_on": (today + datetime.timedelta(days=7)).isoformat(),
        },
    )
    assert response.status_code == 302
    response = client.post(url, {"action": "referral", "referral-kind": "offer", "referral-offer": "999999"})
    assert response.status_code == 200 and "id_referral-offer_error" in response.content.decode()
    response = client.post(url, {"action": "referral", "referral-kind": "offer"})
    assert response.status_code == 200 and "id_referral-offer_error" in response.content.decode()
    response = client.post(
        url, {"action": "referral", "referral-kind": "asa_flex", "referral-note": "AsA flex beantragt"}
    )
    assert response.status_code == 302
    step = CaseStep.objects.get(case=case)
    client.post(url, {"action": "step_done", "step": step.pk})
    step.refresh_from_db()
    assert step.done_on == today
    response = client.post(url, {"action": "close", "close-closing_kind": ""})
    assert response.status_code == 200 and "id_close-closing_kind_error" in response.content.decode()
    response = client.post(
        url, {"action": "close", "close-closing_kind": "eq", "close-closing_note": "EQ ab 1.10."}
    )
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.closing_kind == "eq"
    # the school's open destination record takes the destination found in the case
    destination = Destination.objects.get(pupil=ben)
    assert destination.actual_kind == "eq" and destination.is_secured
    assert case.contacts.count() == 1 and Referral.objects.filter(case=case, kind="asa_flex").exists()
    # a closed case takes no more entries
    response = client.post(url, {"action": "step", "step-text": "x", "step-due_on": today.isoformat()})
    assert response.status_code == 200 and case.steps.count() == 1


def test_another_agency_does_not_see_the_case(demo, client_for):
    from ausbildung.core.models import Membership, Role

    other_agency = Organisation.objects.create(kind=Organisation.Kind.GUIDANCE_AGENCY, name="Andere Agentur")
    other = User.objects.create_user("berater2", password="x-password-1")
    Membership.objects.create(user=other, organisation=other_agency, role=Role.COUNSELLOR)
    case = Case.objects.get(person=demo["schueler"])
    client = client_for("counsellor")
    client.force_login(other)
    assert client.get(reverse("transition:case_detail", args=[case.pk])).status_code == 404
    assert "Lena" not in client.get(reverse("transition:cases")).content.decode()


def test_overdue_steps_are_reminded_once_a_day(demo, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    counsellor = demo["beratung"]
    counsellor.email = "beratung@example.org"
    counsellor.save()
    case = Case.objects.get(person=demo["schueler"])
    today = timezone.localdate()
    CaseStep.objects.filter(case=case).update(due_on=today - datetime.timedelta(days=2))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends after the commit
        assert reminders.send(today) == 1
    assert len(mail.outbox) == 1 and "überfällig" in mail.outbox[0].subject
    assert "Lena" not in mail.outbox[0].body  # the mail names no young person
    assert reminders.send(today) == 0  # not twice a day
    CaseStep.objects.filter(case=case).update(done_on=today)
    assert reminders.send(today + datetime.timedelta(days=1)) == 0


def test_pupil_sees_and_withdraws_own_consent(demo, client_for):
    client = client_for("pupil")
    consent = Consent.objects.get(person=demo["schueler"])
    page = client.get(reverse("transition:my_consents")).content.decode()
    assert "Berufsberatung Saar (Demo)" in page
    response = client.post(reverse("transition:consent_withdraw", args=[consent.pk]))
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on == timezone.localdate()
    other = Consent.objects.exclude(person=demo["schueler"]).first()
    assert client.post(reverse("transition:consent_withdraw", args=[other.pk])).status_code == 404


def test_closing_a_case_leaves_a_recorded_destination_alone(demo, agency):
    lena = demo["schueler"]
    destination = Destination.objects.get(pupil=lena)
    destination.actual_kind, destination.actual_since = "further_school", timezone.localdate()
    destination.save()
    case = Case.objects.get(person=lena)
    services.case_close(actor=demo["beratung"], case=case, closing_kind="work")
    destination.refresh_from_db()
    assert destination.actual_kind == "further_school"


def test_teacher_records_a_consent_for_an_agency_serving_the_school(demo, client_for, agency, mia):
    client = client_for("teacher")
    url = reverse("transition:consent", args=[Destination.objects.get(pupil=mia).pk])
    response = client.get(url)
    assert list(response.context["paper_form"].fields["agency"].queryset) == [agency]
    assert "name_on_form" not in response.context["paper_form"].fields  # the school knows its pupils
    today = timezone.localdate().isoformat()
    response = client.post(
        url,
        {
            "action": "paper",
            "paper-agency": agency.pk,
            "paper-evidence": signed_form(),
            "paper-person_consented_on": today,
            "paper-guardian_name": "Eva Keller",
            "paper-guardian_consented_on": today,
        },
    )
    assert response.status_code == 302
    assert services.has_valid_consent(mia, agency)
    consent = Consent.objects.get(person=mia)
    assert consent.recorded_by == demo["lehrer"] and consent.evidence_sha256
    download = client.get(reverse("transition:consent_form", args=[consent.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF-")
    assert download["Content-Disposition"].startswith("attachment")


def test_a_request_is_announced_to_the_young_person_and_the_guardian_by_mail(
    demo, agency, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    paul = User.objects.get(username="demo-paul")
    paul.email = "paul@example.org"
    paul.save()
    mother = User.objects.create_user("mutter-krueger", email="petra@example.org", first_name="Petra")
    Guardianship.objects.create(guardian=mother, ward=paul)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.consent_request(actor=demo["beratung"], person=paul, agency=agency)
    assert sorted(m.to[0] for m in mail.outbox) == ["paul@example.org", "petra@example.org"]
    assert all(
        "Berufsberatung Saar (Demo)" in m.body and "Meine Einwilligungen" in m.body for m in mail.outbox
    )
