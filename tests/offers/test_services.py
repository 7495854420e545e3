"""Offers and applications: the domain rules (BBiG § 17 pay, chamber, dates) and the state machine."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ausbildung.core.models import AuditLog, Occupation, Organisation, TrainingContract, TrainingSite
from ausbildung.offers import pay, services
from ausbildung.offers.models import Application, ApplicationEvent, Offer

from .conftest import PDF, demo_offer

S = Application.State


def offer_input(**changes) -> services.OfferInput:
    site = TrainingSite.objects.get(name="Hauptsitz Saarbrücken")
    start = timezone.localdate().replace(day=1) + datetime.timedelta(days=400)
    values = {
        "site": site,
        "occupation": Occupation.objects.get(slug="fiausbv"),
        "start_date": start,
        "places": 2,
        "pay_year1": Decimal("1000"),
        "pay_year2": Decimal("1100"),
        "pay_year3": Decimal("1200"),
    }
    values.update(changes)
    return services.OfferInput(**values)


def errors_of(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        call()
    return raised.value.message_dict


def company() -> Organisation:
    return Organisation.objects.get(name__startswith="Saar Systemhaus")


# --- BBiG § 17 minimum pay ---------------------------------------------------------------------------------------


def test_minimum_pay_table_follows_bbig_17():
    """§ 17 Abs. 2 Satz 1: 2020–2023 first-year amounts from the law; years 2–4 add 18, 35, 40 %."""
    assert pay.minimum_pay(2019) is None  # no statutory minimum before 2020
    m2023 = pay.minimum_pay(2023)
    assert m2023.amounts == (Decimal("620.0"), Decimal("731.6"), Decimal("837.0"), Decimal("868.0"))
    for year in range(2020, 2024):
        first, *later = pay.minimum_pay(year).amounts
        assert later == [first * Decimal(f) for f in ("1.18", "1.35", "1.40")]
    assert pay.minimum_pay(2026).amounts[0] == Decimal("724.0")  # Bekanntmachung 2026
    # Every year of the file names its source.
    assert all(pay.minimum_pay(y).source for y in range(2020, 2027))


def test_minimum_pay_for_a_year_beyond_the_file_is_the_latest_known():
    later = pay.minimum_pay(2031)
    assert later.start_year < 2031 and not later.is_exact
    assert later.amounts == pay.minimum_pay(later.start_year).amounts


def test_pay_below_minimum_is_a_field_error(demo):
    """Training starting in 2025: at least 682 € in year 1 and 805 € in year 2 (Bekanntmachung 2025)."""
    data = offer_input(
        start_date=datetime.date(2025, 8, 1), pay_year1=Decimal("681.99"), pay_year2=Decimal("805")
    )
    errors = errors_of(
        lambda: services.offer_validate(company=company(), data=data, today=datetime.date(2025, 1, 1))
    )
    assert "BBiG § 17 Abs. 2" in errors["pay_year1"][0] and "682,00" in errors["pay_year1"][0]
    assert "pay_year2" not in errors


def test_pay_below_minimum_with_collective_agreement_is_allowed(demo):
    """§ 17 Abs. 3: a binding collective agreement may pay less."""
    data = offer_input(
        pay_year1=Decimal("500"),
        pay_year2=Decimal("600"),
        pay_year3=Decimal("700"),
        collective_agreement=True,
    )
    assert services.offer_validate(company=company(), data=data, today=timezone.localdate()) is not None


def test_pay_must_rise_each_year(demo):
    errors = errors_of(
        lambda: services.offer_validate(
            company=company(), data=offer_input(pay_year2=Decimal("990")), today=timezone.localdate()
        )
    )
    assert "§ 17 Abs. 1" in errors["pay_year2"][0]


def test_each_training_year_needs_pay(demo):
    errors = errors_of(
        lambda: services.offer_validate(
            company=company(), data=offer_input(pay_year3=None), today=timezone.localdate()
        )
    )
    assert "pay_year3" in errors


# --- other rules -------------------------------------------------------------------------------------------------


def test_start_in_the_past_zero_places_and_late_deadline(demo):
    today = timezone.localdate()
    errors = errors_of(
        lambda: services.offer_validate(
            company=company(),
            data=offer_input(
                start_date=today - datetime.timedelta(days=1),
                places=0,
                deadline=today + datetime.timedelta(days=5),
            ),
            today=today,
        )
    )
    assert set(errors) >= {"start_date", "places", "deadline"}
    assert "Vergangenheit" in errors["start_date"][0] or "past" in errors["start_date"][0]


def test_occupation_the_chamber_does_not_cover(demo):
    """Tischler is recognised under HwO § 25 only: the IHK in Saarbrücken's district does not cover it, and the
    demo HWK's district is the Saarland too — so remove the HWK's district to get the error."""
    hwk = Organisation.objects.get(kind=Organisation.Kind.CHAMBER, chamber_kind=Organisation.ChamberKind.HWK)
    hwk.district.clear()
    errors = errors_of(
        lambda: services.offer_validate(
            company=company(),
            data=offer_input(occupation=Occupation.objects.get(slug="tischlausbv")),
            today=timezone.localdate(),
        )
    )
    assert "occupation" in errors and "§ 71" in errors["occupation"][0]


def test_site_of_another_company(demo):
    other_site = TrainingSite.objects.get(name="Werkstatt St. Wendel")
    errors = errors_of(
        lambda: services.offer_validate(
            company=company(), data=offer_input(site=other_site), today=timezone.localdate()
        )
    )
    assert "site" in errors


def test_create_copy_pause_close(demo):
    actor = demo["betrieb"]
    offer = services.offer_create(actor=actor, company=company(), data=offer_input(), publish=True)
    assert offer.status == Offer.Status.PUBLISHED and offer.chamber is not None
    assert "fachinformatiker" in offer.search_text and offer.latitude is not None
    services.offer_set_status(actor=actor, offer=offer, status=Offer.Status.PAUSED)
    services.offer_set_status(actor=actor, offer=offer, status=Offer.Status.CLOSED)
    with pytest.raises(ValidationError):
        services.offer_set_status(actor=actor, offer=offer, status=Offer.Status.PUBLISHED)
    copy = services.offer_copy(actor=actor, offer=offer)
    assert copy.pk != offer.pk and copy.status == Offer.Status.DRAFT and copy.places_taken == 0
    assert AuditLog.objects.filter(action__in=["offer.create", "offer.status", "offer.copy"]).count() >= 4


def test_copy_moves_a_past_start_by_whole_years(demo):
    offer = demo_offer()
    Offer.objects.filter(pk=offer.pk).update(
        start_date=datetime.date(2020, 8, 1), deadline=datetime.date(2020, 6, 1)
    )
    offer.refresh_from_db()
    copy = services.offer_copy(actor=demo["betrieb"], offer=offer)
    assert copy.start_date.month == 8 and copy.start_date.day == 1 and copy.start_date >= timezone.localdate()
    assert copy.deadline == copy.start_date.replace(month=6)


# --- applications ------------------------------------------------------------------------------------------------


def step(application, side, to, actor, message=""):
    return services.application_transition(
        actor=actor, side=side, application=application, to=to, message=message
    )


def test_the_whole_way_to_a_contract_draft(demo):
    pupil, company_admin = demo["schueler"], demo["betrieb"]
    offer = demo_offer()
    application = services.application_create(actor=pupil, offer=offer, message="Ich programmiere gern.")
    assert application.state == S.DRAFT
    step(application, services.APPLICANT, S.SENT, pupil)
    step(application, services.COMPANY, S.INVITED, company_admin, "Kommen Sie am Montag um 10 Uhr?")
    step(application, services.COMPANY, S.OFFERED, company_admin)
    result = step(application, services.APPLICANT, S.ACCEPTED, pupil)
    application.refresh_from_db()
    offer.refresh_from_db()
    assert application.state == S.ACCEPTED and offer.places_taken == 1
    contract = result.contract
    assert contract is not None and application.contract == contract
    assert contract.status == TrainingContract.Status.DRAFT
    assert (contract.apprentice, contract.company, contract.occupation, contract.start_date) == (
        pupil,
        offer.company,
        offer.occupation,
        offer.start_date,
    )
    assert contract.chamber == offer.chamber and contract.specialisation == offer.specialisation
    # FIAusbV: 36 months; BBiG § 20 probation at most four months.
    assert (contract.end_date - contract.start_date).days in range(1090, 1100)
    assert contract.probation_end < contract.start_date + datetime.timedelta(days=124)
    assert list(application.events.values_list("to_state", flat=True)) == [
        S.SENT,
        S.INVITED,
        S.OFFERED,
        S.ACCEPTED,
    ]


def test_a_german_message_at_each_company_step(demo, mailoutbox, django_capture_on_commit_callbacks):
    pupil = demo["schueler"]
    application = services.application_create(actor=pupil, offer=demo_offer(), message="Hallo")
    with django_capture_on_commit_callbacks(execute=True):
        step(application, services.APPLICANT, S.SENT, pupil)
        step(application, services.COMPANY, S.INVITED, demo["betrieb"], "Bitte bringen Sie Ihr Zeugnis mit.")
    assert len(mailoutbox) == 2
    invite = mailoutbox[1]
    assert invite.to == [pupil.email]
    assert "Eingeladen" in invite.subject or "eingeladen" in invite.body.lower()
    assert "Bitte bringen Sie Ihr Zeugnis mit." in invite.body
    assert mail.outbox is mailoutbox


@pytest.mark.parametrize(
    ("state", "side", "to"),
    [
        (S.DRAFT, services.COMPANY, S.INVITED),  # the company never sees drafts
        (S.SENT, services.APPLICANT, S.ACCEPTED),  # nothing to accept yet
        (S.SENT, services.COMPANY, S.ACCEPTED),  # only the applicant accepts
        (S.ACCEPTED, services.APPLICANT, S.WITHDRAWN),  # an end state
        (S.DECLINED, services.COMPANY, S.OFFERED),
        (S.WITHDRAWN, services.APPLICANT, S.SENT),
    ],
)
def test_steps_outside_the_state_machine_are_refused(demo, state, side, to):
    application = Application.objects.create(offer=demo_offer(), applicant=demo["schueler"], state=state)
    with pytest.raises(ValidationError):
        step(application, side, to, demo["schueler"])
    application.refresh_from_db()
    assert (
        application.state == state and not ApplicationEvent.objects.filter(application=application).exists()
    )


def test_no_offer_when_all_places_are_taken(demo):
    offer = demo_offer()
    Offer.objects.filter(pk=offer.pk).update(places_taken=offer.places)
    application = Application.objects.create(offer=offer, applicant=demo["schueler"], state=S.SENT)
    with pytest.raises(ValidationError):
        step(application, services.COMPANY, S.OFFERED, demo["betrieb"])


def test_apply_once_and_not_to_a_paused_offer(demo):
    offer = demo_offer()
    services.application_create(actor=demo["schueler"], offer=offer, message="x")
    with pytest.raises(ValidationError):
        services.application_create(actor=demo["schueler"], offer=offer, message="x")
    services.offer_set_status(actor=demo["betrieb"], offer=offer, status=Offer.Status.PAUSED)
    other = Occupation.objects.get(slug="bueromkfausbv")
    paused = Offer.objects.get(occupation=other)
    services.offer_set_status(actor=demo["betrieb"], offer=paused, status=Offer.Status.PAUSED)
    with pytest.raises(ValidationError):
        services.application_create(actor=demo["schueler"], offer=paused, message="x")


# --- documents ---------------------------------------------------------------------------------------------------


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_document_is_stored_outside_the_web_root_under_a_random_name(demo, settings):
    application = services.application_create(actor=demo["schueler"], offer=demo_offer(), message="x")
    document = services.application_document_add(
        actor=demo["schueler"], application=application, upload=upload("CV.pdf", PDF)
    )
    path = document.file.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT)) and "CV" not in path
    assert document.content_type == "application/pdf" and document.size == len(PDF)
    with document.file.open("rb") as handle:
        assert handle.read() == PDF


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("lebenslauf.exe", b"MZ\x90\x00"),  # not an allowed type
        ("lebenslauf.pdf", b"<html>not a pdf</html>"),  # content does not match the name
        ("bild.png", b"\xff\xd8\xff\xe0 jpeg data"),  # JPEG content under a PNG name
        ("leer.pdf", b""),  # empty
    ],
)
def test_bad_documents_are_refused(demo, name, content):
    application = services.application_create(actor=demo["schueler"], offer=demo_offer(), message="x")
    with pytest.raises(ValidationError):
        services.application_document_add(
            actor=demo["schueler"], application=application, upload=upload(name, content)
        )
    assert not application.documents.exists()


def test_documents_too_large_or_too_many(demo, settings):
    settings.APPLICATION_DOCUMENT_MAX_BYTES = len(PDF) + 100
    settings.APPLICATION_DOCUMENT_MAX_COUNT = 2
    application = services.application_create(actor=demo["schueler"], offer=demo_offer(), message="x")
    with pytest.raises(ValidationError, match="MB"):
        services.application_document_add(
            actor=demo["schueler"], application=application, upload=upload("a.pdf", PDF + b"x" * 200)
        )
    for index in range(2):
        services.application_document_add(
            actor=demo["schueler"], application=application, upload=upload(f"{index}.pdf", PDF)
        )
    with pytest.raises(ValidationError):
        services.application_document_add(
            actor=demo["schueler"], application=application, upload=upload("3.pdf", PDF)
        )
    assert application.documents.count() == 2
