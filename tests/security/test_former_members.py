"""Former members keep nothing of their old role.

Attack: a person whose role at an organisation ended keeps using what the role linked them to. The probe's
case: a trainer left the demo company (membership ended) and now trains at another company, so they still
hold the role "trainer"; their assignment to the demo apprentice's contract was still on file. They opened
the contract (with date of birth), the record book and its PDF, and signed a period through the API.

Defence: every scope that links a person to an object through a role requires the link to be current
(`core.permissions`): an active membership at the right organisation (`organisations_for`), a trainer
assignment that has not ended and whose trainer holds an active trainer membership at the contract's
company (`ContractTrainer.objects.current`). Roles are read per request, so an ending takes effect with the
next request.

The former members here keep an active membership of the same role at an organisation elsewhere (in
Rheinland-Pfalz, outside the demo region): `test_every_object_of_the_old_role_is_refused` walks every row of
the permission matrix that names an object and that the old role could open, and expects 403 or 404; the
current role keeps working (`test_the_current_role_keeps_working`).
"""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ausbildung.core import services as core_services
from ausbildung.core.models import (
    ContractTrainer,
    Membership,
    Occupation,
    Organisation,
    Region,
    Role,
    TrainingContract,
    TrainingSite,
    User,
)
from ausbildung.records import reminders
from ausbildung.records import services as record_services
from ausbildung.records.models import RecordPeriod
from tests.core.matrix_outcomes import OUTSIDER
from tests.core.test_permission_matrix import MATRIX
from tests.records.conftest import week_input

K = Organisation.Kind

# former role → (demo login, demo organisation they left, kind of the organisation elsewhere)
FORMER = {
    "trainer": ("ausbilder", "Saar Systemhaus GmbH (Demo)", K.COMPANY),
    "company_admin": ("betrieb", "Saar Systemhaus GmbH (Demo)", K.COMPANY),
    "teacher": ("lehrer", "Gemeinschaftsschule Saarlouis-Mitte (Demo)", K.SCHOOL),
    "counsellor": ("beratung", "Berufsberatung Saar (Demo)", K.GUIDANCE_AGENCY),
    "chamber_officer": ("kammer", "Demo-Industrie- und Handelskammer Saar", K.CHAMBER),
    "vocational_school_teacher": (
        "berufsschule",
        "Berufsbildungszentrum Saarbrücken (Demo)",
        K.VOCATIONAL_SCHOOL,
    ),
}

ELSEWHERE = "Rheinland-Pfalz"


def elsewhere(kind: str) -> Organisation:
    """An organisation of `kind` outside the demo region (its district too, for an agency)."""
    land = Region.objects.get(name=ELSEWHERE, level=Region.Level.LAND)
    organisation, _created = Organisation.objects.get_or_create(
        name=f"Elsewhere {kind}", defaults={"kind": kind, "city": "Koblenz", "region": land}
    )
    if kind in {K.GUIDANCE_AGENCY, K.CHAMBER}:
        organisation.district.set([land])
    return organisation


def end_in_admin(user: User, organisation_name: str, role: str) -> None:
    """End a membership the way the admin's membership form does: the active box unticked, nothing else."""
    membership = Membership.objects.get(user=user, organisation__name=organisation_name, role=role)
    membership.is_active = False
    membership.save(update_fields=["is_active"])


def make_former(demo, role: str) -> User:
    """The demo person of `role`, who left the demo organisation and now acts in the same role elsewhere."""
    username, old, kind = FORMER[role]
    user = demo[username]
    end_in_admin(user, old, role)
    core_services.membership_create(actor=None, user=user, organisation=elsewhere(kind), role=role)
    return user


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def azubi_contract(demo) -> TrainingContract:
    return TrainingContract.objects.get(apprentice=demo["azubi"])


def submitted_period(demo) -> RecordPeriod:
    contract = azubi_contract(demo)
    monday = datetime.date(2025, 9, 8)
    period = record_services.record_period_save(
        actor=demo["azubi"], contract=contract, start=monday, data=week_input(monday)
    )
    return record_services.record_period_submit(actor=demo["azubi"], period=period)


# A body the API's POST routes accept, so that they get past input validation to the access check.
API_BODY = {"comment": "Bitte ergänzen.", "to": "invited", "message": "Hallo"}


def object_rows(role: str) -> list[str]:
    """Matrix rows that name an object and that `role` could open (GET 200) or act on (POST only: 405),
    leaving out what everybody may open (public pages)."""
    return sorted(
        name
        for name, (kwargs, expected) in MATRIX.items()
        if kwargs is not None and expected(role) in {200, 405} and expected(OUTSIDER) not in {200, 405}
    )


@pytest.mark.parametrize("role", sorted(FORMER))
def test_every_object_of_the_old_role_is_refused(role, demo):
    """Every object page the old role reached (GET) or acted on (POST) is refused: 403 or 404."""
    rows = object_rows(role)
    assert rows, role
    urls = {name: reverse(name, kwargs=MATRIX[name][0](demo)) for name in rows}
    client = client_of(make_former(demo, role))
    wrong = []
    for name in rows:
        url, post = urls[name], MATRIX[name][1](role) == 405
        if not post:
            response = client.get(url)
        elif url.startswith("/api/"):
            response = client.post(url, API_BODY, content_type="application/json")
        else:
            response = client.post(url, {"action": "sign", "comment": "x"})
        if response.status_code not in {403, 404}:
            wrong.append(f"{name} ({'POST' if post else 'GET'} {url}): {response.status_code}")
    assert wrong == [], f"former {role} still reaches:\n" + "\n".join(wrong)


def test_former_trainer_cannot_open_contract_record_or_exports(demo):
    """The probe's case: contract page with date of birth, record book, PDF and JSON export."""
    trainer = make_former(demo, "trainer")
    contract_id = azubi_contract(demo).pk
    assert ContractTrainer.objects.filter(trainer=trainer, contract_id=contract_id).exists()  # still on file
    client = client_of(trainer)
    assert client.get(reverse("core:contract_detail", kwargs={"pk": contract_id})).status_code == 404
    assert client.get(reverse("api:contract_detail", kwargs={"contract_id": contract_id})).status_code == 404
    for name in [
        "records:book",
        "records:pdf",
        "records:export_json",
        "records:coverage",
        "records:findings",
    ]:
        assert client.get(reverse(name, kwargs={"contract_id": contract_id})).status_code == 404, name
    listed = client.get(reverse("api:contract_list")).json()["items"]
    assert "Jonas Becker" not in {item["apprentice"] for item in listed}
    assert "20.05.2009" not in client.get(reverse("core:contract_list")).content.decode()


def test_former_trainer_cannot_sign_through_the_api(demo):
    period = submitted_period(demo)
    client = client_of(make_former(demo, "trainer"))
    url = reverse(
        "api:records_period_sign",
        kwargs={"contract_id": period.contract_id, "start": period.start.isoformat()},
    )
    response = client.post(url)
    assert response.status_code in {403, 404}
    period.refresh_from_db()
    assert period.state == RecordPeriod.State.SUBMITTED
    assert period.signed_at is None


def test_former_trainer_cannot_sign_in_the_browser_or_see_the_queue(demo):
    period = submitted_period(demo)
    client = client_of(make_former(demo, "trainer"))
    kwargs = {"contract_id": period.contract_id, "start": period.start.isoformat()}
    assert client.post(reverse("records:review", kwargs=kwargs), {"action": "sign"}).status_code == 404
    # the queue page: no row of the old company's apprentice, and signing all of it signs nothing
    assert "Becker" not in client.get(reverse("records:queue")).content.decode()
    assert client.get(reverse("api:records_queue")).json()["items"] == []
    client.post(reverse("records:queue"), {"periods": [period.pk], "confirmed": "on"})
    assert "Becker" not in client.get(reverse("records:overview")).content.decode()
    period.refresh_from_db()
    assert period.state == RecordPeriod.State.SUBMITTED


def test_former_trainer_gets_no_reminder(demo):
    submitted_period(demo)
    today = timezone.localdate()
    _apprentices, trainers = reminders.collect(today)
    assert demo["ausbilder"] in trainers  # the current trainer is reminded
    make_former(demo, "trainer")
    _apprentices, trainers = reminders.collect(today)
    assert demo["ausbilder"] not in trainers


def test_ended_assignment_gives_nothing_while_still_a_trainer_of_the_company(demo):
    """A trainer who stays at the company but no longer trains this apprentice (assignment ended)."""
    contract = azubi_contract(demo)
    link = ContractTrainer.objects.get(contract=contract, trainer=demo["ausbilder"])
    client = client_of(demo["ausbilder"])
    book = reverse("records:book", kwargs={"contract_id": contract.pk})
    today = timezone.localdate()
    core_services.contract_trainer_end(actor=None, link=link, on=today + datetime.timedelta(days=1))
    assert client.get(book).status_code == 200  # ends tomorrow: still today
    core_services.contract_trainer_end(actor=None, link=link, on=today)
    assert client.get(book).status_code == 404
    assert ContractTrainer.objects.filter(pk=link.pk).exists()  # kept as evidence
    page = client_of(demo["azubi"]).get(reverse("core:contract_detail", kwargs={"pk": contract.pk}))
    assert "Miriam Klein" in page.content.decode()  # the apprentice still sees who trained him


def test_ending_a_membership_takes_effect_on_the_next_request(demo):
    """roles_of caches per request only: the same signed-in session is refused right after the ending."""
    contract_id = azubi_contract(demo).pk
    client = client_of(demo["ausbilder"])
    book = reverse("records:book", kwargs={"contract_id": contract_id})
    assert client.get(book).status_code == 200
    membership = Membership.objects.get(user=demo["ausbilder"], role=Role.TRAINER)
    core_services.membership_end(actor=None, membership=membership, on=timezone.localdate())
    assert client.get(book).status_code == 403  # no trainer role left at all
    link = ContractTrainer.objects.get(contract_id=contract_id, trainer=demo["ausbilder"])
    assert link.ended_on == timezone.localdate()  # the service closed the assignment too


def test_ending_a_membership_in_the_admin_takes_effect_on_the_next_request(demo):
    admin = client_of(demo["admin"])
    trainer = client_of(demo["ausbilder"])
    book = reverse("records:book", kwargs={"contract_id": azubi_contract(demo).pk})
    assert trainer.get(book).status_code == 200
    membership = Membership.objects.get(user=demo["ausbilder"], role=Role.TRAINER)
    response = admin.post(
        reverse("admin:core_membership_change", args=[membership.pk]),
        {"user": membership.user_id, "organisation": membership.organisation_id, "role": Role.TRAINER},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    membership.refresh_from_db()
    assert membership.is_active is False
    assert trainer.get(book).status_code == 403


def _elsewhere_contract(demo, trainer: User) -> TrainingContract:
    company = elsewhere(K.COMPANY)
    site = TrainingSite.objects.create(company=company, name="Werk Koblenz", city="Koblenz")
    apprentice = User.objects.create_user("azubi-rp", first_name="Mara", last_name="Jung")
    apprentice.date_of_birth = datetime.date(2008, 1, 2)
    apprentice.save(update_fields=["date_of_birth"])
    start = datetime.date(2025, 8, 1)
    return core_services.contract_create(
        actor=None,
        apprentice=apprentice,
        company=company,
        site=site,
        occupation=Occupation.objects.get(slug="fiausbv"),
        specialisation=None,
        chamber=Organisation.objects.get(name="Demo-Industrie- und Handelskammer Saar"),
        vocational_school=None,
        start_date=start,
        end_date=datetime.date(2028, 7, 31),
        probation_end=datetime.date(2025, 11, 30),
        trainers=[(trainer, ContractTrainer.Kind.MAIN)],
        status=TrainingContract.Status.ACTIVE,
    )


def test_the_current_role_keeps_working(demo):
    """What the former members do in their current role elsewhere is unaffected."""
    trainer = make_former(demo, "trainer")
    contract = _elsewhere_contract(demo, trainer)
    client = client_of(trainer)
    page = client.get(reverse("core:contract_detail", kwargs={"pk": contract.pk}))
    assert page.status_code == 200
    assert "02.01.2008" in page.content.decode()  # date of birth: they train her
    assert client.get(reverse("records:book", kwargs={"contract_id": contract.pk})).status_code == 200
    assert client.get(reverse("offers:company_offers")).status_code == 200

    admin = client_of(make_former(demo, "company_admin"))
    assert admin.get(reverse("core:contract_detail", kwargs={"pk": contract.pk})).status_code == 200
    assert admin.get(reverse("onboarding:start")).status_code == 200

    teacher = client_of(make_former(demo, "teacher"))
    assert teacher.get(reverse("orientation:class_list")).status_code == 200
    assert teacher.get(reverse("transition:leavers")).status_code == 200

    counsellor = client_of(make_former(demo, "counsellor"))
    cases = counsellor.get(reverse("transition:cases"))
    assert cases.status_code == 200
    assert "Schmidt" not in cases.content.decode()  # the old agency's case of Lena Schmidt
