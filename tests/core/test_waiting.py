"""Each home page says what is waiting (#16): per role a short list with counts and links, counted only within
what the person may see; the same list feeds the e-mail digest (tests/core/test_digests.py)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ausbildung.core.models import Membership, Organisation, Role, TrainingContract, User
from ausbildung.core.waiting import waiting_for
from ausbildung.offers import services as offer_services
from ausbildung.offers.models import Offer
from ausbildung.records import services as record_services
from tests.offers.conftest import demo_offer, sent_application
from tests.records.conftest import week_input


def items(user) -> dict[str, object]:
    return {item.key: item for item in waiting_for(user)}


def past_monday(weeks: int) -> datetime.date:
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday() + 7 * weeks)


def submit_week(demo, weeks_ago: int = 2):
    contract = TrainingContract.objects.get(apprentice=demo["azubi"])
    monday = past_monday(weeks_ago)
    period = record_services.record_period_save(
        actor=demo["azubi"], contract=contract, start=monday, data=week_input(monday)
    )
    return record_services.record_period_submit(actor=demo["azubi"], period=period)


def test_trainer_home_counts_the_weeks_to_review(demo, client_for):
    before = items(demo["ausbilder"]).get("records_review")
    assert before is None  # nothing submitted in the demo: no line with 0
    submit_week(demo, 2)
    submit_week(demo, 3)
    item = items(demo["ausbilder"])["records_review"]
    assert item.count == 2 and item.url == reverse("records:queue")
    page = client_for("trainer").get(reverse("core:home"))
    assert "Was auf Sie wartet" in page.content.decode()
    assert 'data-testid="waiting-records_review"' in page.content.decode()


def test_trainer_home_says_how_many_periods_are_overdue(demo):
    """Overdue as in the queue: submitted longer ago than the chamber's review interval (records.rules)."""
    from ausbildung.records.models import RecordPeriod

    late, fresh = submit_week(demo, 6), submit_week(demo, 5)
    assert "records_review_overdue" not in items(demo["ausbilder"])  # 0 overdue: no line
    RecordPeriod.objects.filter(pk=late.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=40))
    found = items(demo["ausbilder"])
    assert found["records_review"].count == 2
    assert found["records_review_overdue"].count == 1
    assert fresh.pk != late.pk


def test_a_trainer_of_another_contract_is_not_counted(demo):
    submit_week(demo)
    company = demo["ausbilder"].memberships.first().organisation
    other = User.objects.create_user("ausbilder2", password="x")
    Membership.objects.create(user=other, organisation=company, role=Role.TRAINER)
    assert "records_review" not in items(other)


def test_apprentice_sees_returned_and_missing_weeks(demo, client_for):
    period = submit_week(demo)
    record_services.record_period_return(actor=demo["ausbilder"], period=period, comment="Bitte ergänzen")
    mine = items(demo["azubi"])
    assert mine["records_returned"].count == 1
    assert mine["records_missing"].count > 0
    page = client_for("apprentice").get(reverse("core:home")).content.decode()
    assert "Was auf dich wartet" in page and "Zurückgegebene Wochen zum Überarbeiten" in page


def test_guardian_is_asked_on_the_home_page_to_look_at_the_record(demo, client_for):
    contract = TrainingContract.objects.get(apprentice=demo["azubi"])
    item = items(demo["eltern"])[f"records_guardian_{contract.pk}"]
    assert item.url == reverse("records:book", kwargs={"contract_id": contract.pk})
    page = client_for("guardian").get(reverse("core:home")).content.decode()
    assert item.url in page
    record_services.record_acknowledge(actor=demo["eltern"], contract=contract, up_to=timezone.localdate())
    assert not any(key.startswith("records_guardian") for key in items(demo["eltern"]))


def test_pupil_sees_an_invitation_and_answers_from_the_home_page(demo, client_for):
    application = sent_application(demo)
    assert "offers_invitations" not in items(demo["schueler"])
    offer_services.interview_propose(
        actor=demo["betrieb"],
        side=offer_services.COMPANY,
        application=application,
        at=timezone.now() + datetime.timedelta(days=3),
        online=True,
    )
    item = items(demo["schueler"])["offers_invitations"]
    # one invitation: the link opens it, where the pupil answers
    assert item.count == 1
    assert item.url == reverse("offers:application", kwargs={"application_id": application.pk})
    assert "Einladungen von Betrieben" in client_for("pupil").get(reverse("core:home")).content.decode()
    second = sent_application(demo, Offer.objects.exclude(pk=application.offer_id).first())
    offer_services.interview_propose(
        actor=demo["betrieb"],
        side=offer_services.COMPANY,
        application=second,
        at=timezone.now() + datetime.timedelta(days=3),
        online=True,
    )
    item = items(demo["schueler"])["offers_invitations"]
    assert item.count == 2 and item.url == reverse("offers:my_applications")


def test_pupil_without_a_class_is_invited_to_join_and_to_the_check(demo):
    school = demo["schueler"].memberships.first().organisation
    pupil = User.objects.create_user("neu", password="x")
    Membership.objects.create(user=pupil, organisation=school, role=Role.PUPIL)
    mine = items(pupil)
    assert mine["orientation_join"].url == reverse("orientation:join")
    assert mine["orientation_check"].url == reverse("orientation:check")
    assert "orientation_join" not in items(demo["schueler"])  # the demo pupil is in class 9b


def test_company_sees_new_applications_proposals_and_expiring_offers(demo):
    application = sent_application(demo)
    mine = items(demo["betrieb"])
    assert mine["offers_new_applications"].count == 1
    offer_services.interview_propose(
        actor=demo["betrieb"],
        side=offer_services.COMPANY,
        application=application,
        at=timezone.now() + datetime.timedelta(days=3),
        online=True,
    )
    offer_services.interview_counter(
        actor=demo["schueler"],
        side=offer_services.APPLICANT,
        application=application,
        at=timezone.now() + datetime.timedelta(days=5),
    )
    Offer.objects.filter(pk=demo_offer().pk).update(
        status=Offer.Status.PUBLISHED, deadline=timezone.localdate() + datetime.timedelta(days=5)
    )
    mine = items(demo["betrieb"])
    assert "offers_new_applications" not in mine
    assert mine["offers_counter"].count == 1
    assert mine["offers_expiring"].count >= 1


def test_another_company_counts_none_of_them(demo):
    sent_application(demo)
    other_company = Organisation.objects.create(name="Anderer Betrieb", kind=Organisation.Kind.COMPANY)
    admin = User.objects.create_user("anderer", password="x")
    Membership.objects.create(user=admin, organisation=other_company, role=Role.COMPANY_ADMIN)
    assert "offers_new_applications" not in items(admin)


def test_counsellor_and_teacher_see_their_items(demo):
    assert items(demo["beratung"])["transition_open_cases"].count >= 1
    assert items(demo["lehrer"])["orientation_not_started"].count >= 1


@pytest.mark.parametrize("username", ["monitor", "berufsschule"])
def test_nothing_waiting_says_so(demo, username):
    client = Client()
    client.force_login(demo[username])
    page = client.get(reverse("core:home")).content.decode()
    assert 'data-testid="waiting-none"' in page and "Gerade wartet nichts auf Sie." in page


def test_landing_links_to_the_public_offer_search_and_the_explorer(db, client):
    page = client.get(reverse("core:landing")).content.decode()
    assert f'href="{reverse("offers:search")}"' in page
    assert f'href="{reverse("orientation:explorer")}"' in page
    # no link to a page that needs signing in
    assert f'href="{reverse("offers:my_applications")}"' not in page


def test_chamber_officer_sees_new_requests_of_companies_in_their_chamber(demo):
    from ausbildung.onboarding.models import OnboardingRequest

    chamber = demo["kammer"].memberships.first().organisation
    company = Organisation.objects.create(name="Tischlerei Neu", kind=Organisation.Kind.COMPANY)
    assert "onboarding_new_requests" not in items(demo["kammer"])
    OnboardingRequest.objects.create(
        company=company, chamber=chamber, activity="Möbel", skilled_staff=3, trainer="meister", contents="yes"
    )
    assert items(demo["kammer"])["onboarding_new_requests"].count == 1
    other_chamber = Organisation.objects.create(
        name="HWK Anderswo", kind=Organisation.Kind.CHAMBER, chamber_kind=Organisation.ChamberKind.HWK
    )
    officer = User.objects.create_user("kammer2", password="x")
    Membership.objects.create(user=officer, organisation=other_chamber, role=Role.CHAMBER_OFFICER)
    assert "onboarding_new_requests" not in items(officer)
