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


def test_bbig_17_abs_2_minimum_pay_for_a_year_beyond_the_file_is_unknown():
    """§ 17 Abs. 2 Satz 2-5: adjusted every year and published by the BMBF; never the previous year's amount."""
    later = pay.minimum_pay(2031)
    assert later.start_year == 2031 and not later.is_known and later.amounts == ()
    assert "§ 17 Abs. 2" in later.source and "1 November" in later.source
    assert pay.minimum_pay(2026).is_known


def test_bbig_17_abs_2_offer_starting_in_an_unknown_year_is_not_held_to_an_older_amount(demo):
    data = offer_input(
        start_date=datetime.date(2031, 8, 1),
        pay_year1=Decimal("700"),
        pay_year2=Decimal("800"),
        pay_year3=Decimal("900"),
    )
    assert services.offer_validate(company=company(), data=data, today=datetime.date(2026, 1, 1)) is not None


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


def test_bbig_17_abs_1_satz_2_flat_pay_is_refused_like_falling_pay(demo):
    """ "Die Vergütung steigt mit fortschreitender Berufsausbildung, mindestens jährlich, an."""
    errors = errors_of(
        lambda: services.offer_validate(
            company=company(),
            data=offer_input(pay_year2=Decimal("1100"), pay_year3=Decimal("1100")),
            today=timezone.localdate(),
        )
    )
    assert "BBiG § 17 Abs. 1 Satz 2" in errors["pay_year3"][0] and "pay_year2" not in errors
    # Also when a collective agreement applies (§ 17 Abs. 3 allows less, not flat pay).
    errors = errors_of(
        lambda: services.offer_validate(
            company=company(),
            data=offer_input(pay_year2=Decimal("1000"), collective_agreement=True),
            today=timezone.localdate(),
        )
    )
    assert "BBiG § 17 Abs. 1 Satz 2" in errors["pay_year2"][0]


def test_bbig_17_abs_5_part_time_floor_in_proportion_to_the_cut_time(demo):
    """Start 2026: 724 € in year 1; 30 of 40 hours (25 % less) may pay 25 % less: 543 €."""
    assert pay.part_time_floor(Decimal("724"), Decimal("25")) == Decimal("543.00")
    assert pay.part_time_floor(Decimal("731.6"), Decimal("100") / 3) == Decimal("487.74")  # rounded up
    part_time = {"weekly_hours": Decimal("30"), "full_time_weekly_hours": Decimal("40")}
    data = offer_input(
        start_date=datetime.date(2026, 8, 1),
        pay_year1=Decimal("543"),
        pay_year2=Decimal("641"),  # 854 x 0.75 = 640.50
        pay_year3=Decimal("733"),  # 977 x 0.75 = 732.75
        **part_time,
    )
    assert services.offer_validate(company=company(), data=data, today=datetime.date(2026, 1, 1))
    data = offer_input(
        start_date=datetime.date(2026, 8, 1),
        pay_year1=Decimal("542.99"),
        pay_year2=Decimal("641"),
        pay_year3=Decimal("733"),
        **part_time,
    )
    errors = errors_of(
        lambda: services.offer_validate(company=company(), data=data, today=datetime.date(2026, 1, 1))
    )
    assert "BBiG § 17 Abs. 5" in errors["pay_year1"][0] and "543,00" in errors["pay_year1"][0]
    # Without the part-time hours the full minimum applies.
    full_time = offer_input(
        start_date=datetime.date(2026, 8, 1),
        pay_year1=Decimal("543"),
        pay_year2=Decimal("641"),
        pay_year3=Decimal("733"),
    )
    errors = errors_of(
        lambda: services.offer_validate(company=company(), data=full_time, today=datetime.date(2026, 1, 1))
    )
    assert "BBiG § 17 Abs. 2" in errors["pay_year1"][0]


def test_bbig_7a_abs_1_offer_cuts_the_time_by_at_most_50_percent(demo):
    data = offer_input(weekly_hours=Decimal("19"), full_time_weekly_hours=Decimal("40"))
    errors = errors_of(
        lambda: services.offer_validate(company=company(), data=data, today=timezone.localdate())
    )
    assert "BBiG § 7a Abs. 1 Satz 3" in errors["weekly_hours"][0]


def test_bbig_5_abs_1_nr_2_offer_for_an_occupation_without_known_duration(demo):
    occupation = Occupation.objects.get(slug="fiausbv")
    occupation.duration_months = None
    occupation.save(update_fields=["duration_months"])
    errors = errors_of(
        lambda: services.offer_validate(company=company(), data=offer_input(), today=timezone.localdate())
    )
    assert "BBiG § 5 Abs. 1 Nr. 2" in errors["occupation"][0]


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
    # FIAusbV: 36 months (BBiG § 5 Abs. 1 Nr. 2); BBiG § 20 probation at most four months.
    assert contract.end_date == services.training_end(contract.start_date, 36)
    assert contract.duration_reason == TrainingContract.DurationReason.NONE
    assert contract.probation_end < contract.start_date + datetime.timedelta(days=124)
    assert list(application.events.values_list("to_state", flat=True)) == [
        S.SENT,
        S.INVITED,
        S.OFFERED,
        S.ACCEPTED,
    ]


def test_bbig_7a_abs_2_part_time_offer_gives_a_part_time_contract_draft(demo):
    """30 of 40 hours: the FIAusbV's 36 months extend to 48 (§ 7a Abs. 2); the hours go into the draft."""
    pupil = demo["schueler"]
    offer = demo_offer()
    Offer.objects.filter(pk=offer.pk).update(weekly_hours=Decimal("30"), full_time_weekly_hours=Decimal("40"))
    offer.refresh_from_db()
    application = services.application_create(actor=pupil, offer=offer, message="Teilzeit, bitte.")
    step(application, services.APPLICANT, S.SENT, pupil)
    step(application, services.COMPANY, S.OFFERED, demo["betrieb"])
    contract = step(application, services.APPLICANT, S.ACCEPTED, pupil).contract
    assert contract.end_date == services.training_end(offer.start_date, 48)
    assert contract.duration_reason == TrainingContract.DurationReason.PART_TIME
    assert (contract.weekly_hours, contract.full_time_weekly_hours) == (Decimal("30"), Decimal("40"))


def test_bbig_5_abs_1_nr_2_no_contract_draft_without_the_regulation_duration(demo):
    pupil = demo["schueler"]
    offer = demo_offer()
    application = services.application_create(actor=pupil, offer=offer, message="Hallo")
    step(application, services.APPLICANT, S.SENT, pupil)
    step(application, services.COMPANY, S.OFFERED, demo["betrieb"])
    Occupation.objects.filter(pk=offer.occupation_id).update(duration_months=None)
    with pytest.raises(ValidationError) as raised:
        step(application, services.APPLICANT, S.ACCEPTED, pupil)
    assert "BBiG § 5 Abs. 1 Nr. 2" in raised.value.messages[0]
    application.refresh_from_db()
    assert application.state == S.OFFERED and application.contract is None


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


def test_an_offer_names_a_fachrichtung_or_schwerpunkt_never_an_einsatzgebiet(demo):
    """The accepted offer becomes the contract's draft; its specialisation is a Fachrichtung or Schwerpunkt
    (core.services refuses an Einsatzgebiet there), so the offer refuses one too (the API as the form)."""
    from ausbildung.core.models import Specialisation

    occupation = Occupation.objects.get(slug="fiausbv")
    einsatzgebiet = occupation.specialisations.filter(kind=Specialisation.Kind.EINSATZGEBIET).first()
    fachrichtung = occupation.specialisations.filter(kind=Specialisation.Kind.FACHRICHTUNG).first()
    today = timezone.localdate()
    errors = errors_of(
        lambda: services.offer_validate(
            company=company(), data=offer_input(specialisation=einsatzgebiet), today=today
        )
    )
    assert errors["specialisation"] == [
        "Ein Einsatzgebiet ist ein Einsatzbereich, keine Fachrichtung und kein Schwerpunkt des Ausbildungsplatzes."
    ]
    services.offer_validate(company=company(), data=offer_input(specialisation=fachrichtung), today=today)
