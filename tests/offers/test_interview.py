"""Answering an invitation (#16): the company proposes an interview date, the pupil accepts it, proposes
another one (which the company confirms) or declines the invitation; each step is checked against the state,
mailed to the other side, and only the application's two sides may take it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ausbildung.core.models import Membership, Role, User
from ausbildung.offers import services
from ausbildung.offers.models import Application

from .conftest import sent_application

S = Application.State
IS = Application.InterviewStatus


def later(days: int = 7) -> datetime.datetime:
    return (timezone.now() + datetime.timedelta(days=days)).replace(second=0, microsecond=0)


def propose(demo, application, *, days: int = 7, place: str = "Hauptstraße 1, Saarbrücken"):
    return services.interview_propose(
        actor=demo["betrieb"], side=services.COMPANY, application=application, at=later(days), place=place
    )


def test_the_company_invites_with_a_date_and_the_pupil_is_told(
    demo, mailoutbox, django_capture_on_commit_callbacks
):
    application = sent_application(demo)
    with django_capture_on_commit_callbacks(execute=True):
        propose(demo, application)
    application.refresh_from_db()
    assert application.state == S.INVITED and application.interview_status == IS.PROPOSED
    assert application.interview_place == "Hauptstraße 1, Saarbrücken"
    assert [m.to for m in mailoutbox] == [[demo["schueler"].email]]
    assert "Vorstellungsgespräch" in mailoutbox[0].subject
    assert application.events.last().to_state == S.INVITED


def test_accept_a_proposed_date(demo, mailoutbox, django_capture_on_commit_callbacks):
    application = propose(demo, sent_application(demo))
    with django_capture_on_commit_callbacks(execute=True):
        services.interview_accept(actor=demo["schueler"], side=services.APPLICANT, application=application)
    application.refresh_from_db()
    assert application.interview_status == IS.AGREED and application.state == S.INVITED
    assert mailoutbox and mailoutbox[-1].to != [demo["schueler"].email]


def test_propose_another_date_and_the_company_confirms(demo):
    application = propose(demo, sent_application(demo))
    other = later(10)
    services.interview_counter(
        actor=demo["schueler"],
        side=services.APPLICANT,
        application=application,
        at=other,
        message="Nachmittags",
    )
    application.refresh_from_db()
    assert application.interview_status == IS.COUNTER and application.interview_at == other
    # the pupil cannot confirm their own proposal; the company can
    with pytest.raises(ValidationError):
        services.interview_confirm(actor=demo["schueler"], side=services.APPLICANT, application=application)
    services.interview_confirm(actor=demo["betrieb"], side=services.COMPANY, application=application)
    application.refresh_from_db()
    assert application.interview_status == IS.AGREED and application.interview_at == other


def test_decline_with_a_reason_withdraws_the_application(
    demo, mailoutbox, django_capture_on_commit_callbacks
):
    application = propose(demo, sent_application(demo))
    with django_capture_on_commit_callbacks(execute=True):
        services.interview_decline(
            actor=demo["schueler"], side=services.APPLICANT, application=application, reason="Andere Zusage"
        )
    application.refresh_from_db()
    assert application.state == S.WITHDRAWN
    assert application.events.last().message == "Andere Zusage"
    assert any("Andere Zusage" in m.body for m in mailoutbox)


@pytest.mark.parametrize(
    ("status", "side", "step"),
    [
        (IS.NONE, services.APPLICANT, "accept"),  # nothing to accept
        (IS.AGREED, services.APPLICANT, "accept"),
        (IS.COUNTER, services.APPLICANT, "accept"),  # the company's turn
        (IS.PROPOSED, services.COMPANY, "confirm"),  # the pupil's turn
        (IS.PROPOSED, services.COMPANY, "accept"),
        (IS.PROPOSED, services.APPLICANT, "confirm"),
        (IS.COUNTER, services.APPLICANT, "counter"),  # waiting for the company
    ],
)
def test_steps_out_of_turn_are_refused(demo, status, side, step):
    application = propose(demo, sent_application(demo))
    Application.objects.filter(pk=application.pk).update(interview_status=status)
    application.refresh_from_db()
    actor = demo["schueler"] if side == services.APPLICANT else demo["betrieb"]
    call = {
        "accept": lambda: services.interview_accept(actor=actor, side=side, application=application),
        "confirm": lambda: services.interview_confirm(actor=actor, side=side, application=application),
        "counter": lambda: services.interview_counter(
            actor=actor, side=side, application=application, at=later(3)
        ),
    }[step]
    with pytest.raises(ValidationError):
        call()
    application.refresh_from_db()
    assert application.interview_status == status


@pytest.mark.parametrize("state", [S.DRAFT, S.OFFERED, S.ACCEPTED, S.DECLINED, S.WITHDRAWN])
def test_no_interview_steps_outside_the_invitation(demo, state):
    application = sent_application(demo)
    Application.objects.filter(pk=application.pk).update(state=state, interview_status=IS.PROPOSED)
    application.refresh_from_db()
    assert services.interview_steps(application, services.APPLICANT) == []
    with pytest.raises(ValidationError):
        services.interview_accept(actor=demo["schueler"], side=services.APPLICANT, application=application)
    with pytest.raises(ValidationError):
        services.interview_decline(actor=demo["schueler"], side=services.APPLICANT, application=application)
    with pytest.raises(ValidationError):
        propose(demo, application)


def test_dates_in_the_past_and_a_missing_place_are_refused(demo):
    application = sent_application(demo)
    with pytest.raises(ValidationError) as raised:
        propose(demo, application, days=-1)
    assert "at" in raised.value.error_dict
    with pytest.raises(ValidationError) as raised:
        propose(demo, application, place="")
    assert "place" in raised.value.error_dict
    online = services.interview_propose(
        actor=demo["betrieb"], side=services.COMPANY, application=application, at=later(), online=True
    )
    assert online.interview_online and services.interview_text(online).endswith("online")


# --- pages and access ---------------------------------------------------------------------------------------


def url_of(application) -> str:
    return reverse("offers:interview", kwargs={"application_id": application.pk})


def post_date(client, application, action: str, at: datetime.datetime, **extra):
    local = timezone.localtime(at)
    data = {
        f"{action}-date": local.date().isoformat(),
        f"{action}-time": local.strftime("%H:%M"),
        "action": action,
        **extra,
    }
    return client.post(url_of(application), data)


def test_the_pupil_answers_on_the_application_page(demo, client_for):
    application = propose(demo, sent_application(demo))
    pupil = client_for("pupil")
    page = pupil.get(reverse("offers:application", kwargs={"application_id": application.pk}))
    assert page.status_code == 200
    assert b'value="accept"' in page.content and b'value="counter"' in page.content
    assert b'value="decline"' in page.content
    response = post_date(pupil, application, "counter", later(9))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.interview_status == IS.COUNTER
    company = client_for("company_admin")
    page = company.get(reverse("offers:application", kwargs={"application_id": application.pk}))
    assert b'value="confirm"' in page.content
    assert company.post(url_of(application), {"action": "confirm"}).status_code == 302
    application.refresh_from_db()
    assert application.interview_status == IS.AGREED


def test_a_date_in_the_past_is_shown_beside_the_field(demo, client_for):
    application = propose(demo, sent_application(demo))
    response = post_date(client_for("pupil"), application, "counter", later(-2))
    assert response.status_code == 400
    assert b"Zukunft" in response.content
    application.refresh_from_db()
    assert application.interview_status == IS.PROPOSED


def test_the_company_proposes_through_the_page(demo, client_for):
    application = sent_application(demo)
    response = post_date(
        client_for("company_admin"), application, "propose", later(5), **{"propose-place": "Werk 2"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == S.INVITED and application.interview_place == "Werk 2"


def test_the_pupil_cannot_propose_as_company_nor_the_company_accept(demo, client_for):
    application = propose(demo, sent_application(demo))
    response = post_date(client_for("pupil"), application, "propose", later(4), **{"propose-place": "x"})
    assert response.status_code == 400
    client_for("company_admin").post(url_of(application), {"action": "accept"})
    application.refresh_from_db()
    assert application.interview_status == IS.PROPOSED


def test_another_pupil_cannot_answer(demo):
    application = propose(demo, sent_application(demo))
    other = User.objects.create_user("schueler2", password="x")
    Membership.objects.create(
        user=other, organisation=demo["schueler"].memberships.first().organisation, role=Role.PUPIL
    )
    client = Client()
    client.force_login(other)
    assert client.post(url_of(application), {"action": "accept"}).status_code == 404
    application.refresh_from_db()
    assert application.interview_status == IS.PROPOSED


def test_a_former_member_of_the_company_cannot_see_or_confirm(demo, client_for):
    application = propose(demo, sent_application(demo))
    services.interview_counter(
        actor=demo["schueler"], side=services.APPLICANT, application=application, at=later(8)
    )
    Membership.objects.filter(user=demo["betrieb"], role=Role.COMPANY_ADMIN).update(is_active=False)
    client = Client()
    client.force_login(demo["betrieb"])
    page = client.get(reverse("offers:application", kwargs={"application_id": application.pk}))
    assert page.status_code in {403, 404}
    assert client.post(url_of(application), {"action": "confirm"}).status_code in {403, 404}
    application.refresh_from_db()
    assert application.interview_status == IS.COUNTER


def test_the_api_shows_the_interview_and_the_callers_answers(demo, client_for):
    application = propose(demo, sent_application(demo))
    url = reverse("api:offers_application_detail", kwargs={"application_id": application.pk})
    pupil = client_for("pupil").get(url).json()["interview"]
    assert pupil["status"] == "proposed" and pupil["place"] == "Hauptstraße 1, Saarbrücken"
    assert pupil["steps"] == ["accept", "counter", "decline"]
    company = client_for("company_admin").get(url).json()["interview"]
    assert company["steps"] == ["propose"]


def test_the_company_is_mailed_at_its_contact_or_else_its_administrators(
    demo, mailoutbox, django_capture_on_commit_callbacks
):
    application = propose(demo, sent_application(demo))
    offer = application.offer
    offer.contact_email = "bewerbung@example.org"
    offer.save(update_fields=["contact_email"])
    with django_capture_on_commit_callbacks(execute=True):
        services.interview_counter(
            actor=demo["schueler"], side=services.APPLICANT, application=application, at=later(6)
        )
    assert mailoutbox[-1].to == ["bewerbung@example.org"]
    assert "anderer Termin" in mailoutbox[-1].subject
    offer.contact_email = ""
    offer.save(update_fields=["contact_email"])
    assert services.company_recipients(offer) == [demo["betrieb"].email]
