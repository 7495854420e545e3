"""Consent in the transition area: a counsellor learned the names of all school leavers without consent.

Attack (signed in as a counsellor of a guidance agency): `GET /uebergang/einwilligung/<id>/` took a person id
and showed the leaver's name (and whether a minor) for every leaver of the district; a loop over ids listed
them all. The counsellor could then record a consent alone – the only proof was a checkbox – and open a case.

Defence (DSGVO Art. 5 Abs. 1 lit. c, Art. 6 Abs. 1 lit. a, Art. 7 Abs. 1 and 3):
- the consent page is addressed by the destination (the dashboard's anonymous row) and shows what that row
  shows – school, class, certificate, status, consent state – and the name only where the dashboard names the
  leaver too (a valid consent); ids out of scope are not found (404);
- a consent needs evidence: either the young person (and for a minor a legal representative) confirms a
  request in their own account, or the signed form is uploaded – a counsellor must type the name written on it,
  and a wrong name is only "does not match" (audited, a few tries a day);
- who requested, recorded and confirmed it is on the consent and in the AuditLog.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ausbildung.core.models import AuditLog, Guardianship, Membership, Organisation, Role, User
from ausbildung.transition import services
from ausbildung.transition.models import Case, Consent, Destination
from tests.offers.conftest import PDF

pytestmark = pytest.mark.django_db

# The demo leavers without a valid consent (transition.demo): their names and birth dates must not leak.
HIDDEN = {
    "demo-mia": ("Mia Keller", "02.06.2010"),
    "demo-noah": ("Noah Braun", "19.01.2010"),
    "demo-emilia": ("Emilia Wolf", "05.11.2009"),
    "demo-ben": ("Ben Hoffmann", "23.04.2010"),  # asked, not confirmed yet
    "demo-lea": ("Lea Zimmermann", "30.09.2009"),
    "demo-paul": ("Paul Krüger", "11.02.2010"),
}
DASHBOARD = reverse("transition:dashboard")


def consent_url(username: str) -> str:
    return reverse("transition:consent", args=[Destination.objects.get(pupil__username=username).pk])


def signed_form() -> SimpleUploadedFile:
    return SimpleUploadedFile("einwilligung.pdf", PDF, content_type="application/pdf")


def agency() -> Organisation:
    return Organisation.objects.get(kind=Organisation.Kind.GUIDANCE_AGENCY)


def test_walking_ids_as_a_counsellor_reveals_no_name(demo, client_for):
    client = client_for("counsellor")
    last = max(
        User.objects.aggregate(m=Max("pk"))["m"],
        Destination.objects.aggregate(m=Max("pk"))["m"],
    )
    statuses = set()
    for some_id in range(1, last + 10):
        response = client.get(f"/uebergang/einwilligung/{some_id}/")
        statuses.add(response.status_code)
        body = response.content.decode()
        for name, born in HIDDEN.values():
            assert name not in body and born not in body, (some_id, name)
        if "Lena Schmidt" not in body:  # only a named leaver's page may say "minor"
            assert "minderjährig" not in body
    assert statuses <= {200, 404}
    # the one leaver with a valid consent is named, on her row's page (the check can see names)
    assert "Lena Schmidt" in client.get(consent_url("schueler")).content.decode()


def test_rows_out_of_scope_and_missing_ids_look_the_same(demo, client_for):
    other_school = Organisation.objects.create(kind=Organisation.Kind.SCHOOL, name="Schule anderswo")
    outside = Destination.objects.create(
        pupil=demo["azubi"], school=other_school, school_year="2026/27", leaving_date=timezone.localdate()
    )
    client = client_for("counsellor")
    missing = Destination.objects.aggregate(m=Max("pk"))["m"] + 100
    for some_id in (outside.pk, missing):
        response = client.get(reverse("transition:consent", args=[some_id]))
        assert response.status_code == 404 and "Jonas" not in response.content.decode()


def test_a_counsellor_cannot_record_a_consent_with_a_checkbox(demo, client_for):
    paul = User.objects.get(username="demo-paul")
    today = timezone.localdate().isoformat()
    old_form = {
        "agency": agency().pk,
        "person_consented_on": today,
        "guardian_name": "Eltern",
        "guardian_consented_on": today,
        "confirm": "on",
    }
    client = client_for("counsellor")
    for url in (f"/uebergang/einwilligung/{paul.pk}/", consent_url("demo-paul")):
        client.post(url, old_form)
        client.post(url, {"action": "paper", **{f"paper-{k}": v for k, v in old_form.items()}})
    assert not services.has_valid_consent(paul, agency())
    assert "Paul Krüger" not in client.get(DASHBOARD).content.decode()


def test_a_counsellor_uploading_a_form_must_know_the_name(demo, client_for):
    client = client_for("counsellor")
    today = timezone.localdate().isoformat()

    def upload(name: str):
        return client.post(
            consent_url("demo-paul"),
            {
                "action": "paper",
                "paper-agency": agency().pk,
                "paper-evidence": signed_form(),
                "paper-name_on_form": name,
                "paper-person_consented_on": today,
                "paper-guardian_name": "Eltern Krüger",
                "paper-guardian_consented_on": today,
            },
        )

    response = upload("Max Mustermann")
    body = response.content.decode()
    assert response.status_code == 400
    assert "Der Name stimmt nicht überein." in body and "Paul Krüger" not in body
    assert AuditLog.objects.filter(actor=demo["beratung"], action="consent.name_mismatch").count() == 1
    response = upload("krüger  paul")  # the name as on the form: order, case and spaces do not count
    assert response.status_code == 302
    consent = Consent.objects.get(person__username="demo-paul")
    assert consent.method == Consent.Method.PAPER and consent.recorded_by == demo["beratung"]
    row = AuditLog.objects.get(action="consent.record_paper", target_id=str(consent.pk))
    assert row.actor == demo["beratung"] and row.changes["name_checked"] is True
    assert consent.evidence_sha256 in row.summary
    assert "Paul Krüger" in client.get(DASHBOARD).content.decode()


def test_guessing_names_on_the_form_is_limited(demo, client_for):
    client = client_for("counsellor")
    today = timezone.localdate().isoformat()
    for guess in ["Anna A", "Ben B", "Carl C", "Dora D", "Emil E", "Paul Krüger"]:
        response = client.post(
            consent_url("demo-paul"),
            {
                "action": "paper",
                "paper-agency": agency().pk,
                "paper-evidence": signed_form(),
                "paper-name_on_form": guess,
                "paper-person_consented_on": today,
                "paper-guardian_name": "Eltern",
                "paper-guardian_consented_on": today,
            },
        )
    # the right name after five misses is refused too: the check is no oracle
    assert (
        response.status_code == 400 and "Heute wurden zu viele Namen eingegeben" in response.content.decode()
    )
    assert AuditLog.objects.filter(actor=demo["beratung"], action="consent.name_mismatch").count() == 5
    assert not Consent.objects.filter(person__username="demo-paul").exists()


def test_a_request_needs_the_young_person_and_for_a_minor_the_guardian(demo, client_for):
    paul = User.objects.get(username="demo-paul")
    counsellor = client_for("counsellor")
    response = counsellor.post(consent_url("demo-paul"), {"action": "request", "request-agency": agency().pk})
    assert response.status_code == 302
    consent = Consent.objects.get(person=paul)
    assert consent.method == Consent.Method.REQUEST and consent.recorded_by == demo["beratung"]
    for page in (counsellor.get(DASHBOARD), counsellor.get(consent_url("demo-paul"))):
        assert "Paul Krüger" not in page.content.decode() and "angefragt" in page.content.decode()

    # the young person reads what is shared with whom and why, and confirms in their own account
    young = Client()
    young.force_login(paul)
    page = young.get(reverse("transition:my_consents")).content.decode()
    assert "Berufsberatung Saar (Demo)" in page and "DSGVO Art. 7 Abs. 3" in page
    young.post(reverse("transition:consent_confirm", args=[consent.pk]))
    consent.refresh_from_db()
    assert consent.person_confirmed_at is not None and not consent.is_valid_on(timezone.localdate())
    assert "Paul Krüger" not in counsellor.get(DASHBOARD).content.decode()  # a minor: the guardian too

    # somebody else's legal representative cannot confirm
    stranger = client_for("guardian")
    assert stranger.post(reverse("transition:consent_confirm", args=[consent.pk])).status_code == 404

    mother = User.objects.create_user("mutter-krueger", first_name="Petra", last_name="Krüger")
    Guardianship.objects.create(guardian=mother, ward=paul)
    guardian = Client()
    guardian.force_login(mother)
    guardian.post(reverse("transition:consent_confirm", args=[consent.pk]))
    consent.refresh_from_db()
    assert consent.guardian_confirmed_by == mother and consent.is_valid_on(timezone.localdate())
    for page in (counsellor.get(DASHBOARD), counsellor.get(consent_url("demo-paul"))):
        assert "Paul Krüger" in page.content.decode()
    actions = {
        (row.action, row.actor_id)
        for row in AuditLog.objects.filter(target_type="transition.consent", target_id=str(consent.pk))
    }
    assert actions == {
        ("consent.request", demo["beratung"].pk),
        ("consent.confirm_person", paul.pk),
        ("consent.confirm_guardian", mother.pk),
    }


def test_dashboard_and_consent_page_tell_the_same_story(demo, client_for):
    client = client_for("counsellor")
    lena_consent = Consent.objects.get(person=demo["schueler"])

    def compare() -> None:
        board = client.get(DASHBOARD).context["board"]
        for item in board.urgent:
            page = client.get(reverse("transition:consent", args=[item.destination.pk]))
            name = item.destination.pupil.get_full_name()
            assert page.context["state"] == item.consent_state, name
            assert page.context["named"] == item.named, name
            assert (name in page.content.decode()) == item.named, name

    compare()  # Lena valid and named, Ben requested and anonymous, the others without consent
    services.consent_withdraw(actor=demo["schueler"], consent=lena_consent)
    compare()  # withdrawn: neither names her
    assert "Lena Schmidt" not in client.get(consent_url("schueler")).content.decode()


def test_the_signed_form_is_served_only_to_those_who_may_see_the_consent(demo, client_for):
    mia = User.objects.get(username="demo-mia")
    today = timezone.localdate()
    consent = services.consent_record_paper(
        actor=demo["lehrer"],
        person=mia,
        agency=agency(),
        upload=signed_form(),
        person_consented_on=today,
        guardian_name="Eva Keller",
        guardian_consented_on=today,
    )
    url = reverse("transition:consent_form", args=[consent.pk])
    assert client_for("teacher").get(url).status_code == 200
    assert client_for("counsellor").get(url).status_code == 200  # valid consent to the own agency
    other_agency = Organisation.objects.create(kind=Organisation.Kind.GUIDANCE_AGENCY, name="Andere Agentur")
    other = User.objects.create_user("berater-anders")
    Membership.objects.create(user=other, organisation=other_agency, role=Role.COUNSELLOR)
    client = Client()
    client.force_login(other)
    assert client.get(url).status_code == 404
    services.consent_withdraw(actor=mia, consent=consent)
    assert client_for("counsellor").get(url).status_code == 404  # withdrawn: no longer for the agency
    assert client_for("teacher").get(url).status_code == 200  # the school keeps its evidence


def test_a_withdrawn_consent_hides_the_case_too(demo, client_for):
    """The case names the young person: after withdrawal (DSGVO Art. 7 Abs. 3) the counsellor no longer
    finds it, as the dashboard no longer names them."""
    case = Case.objects.get(person=demo["schueler"])
    client = client_for("counsellor")
    assert client.get(reverse("transition:case_detail", args=[case.pk])).status_code == 200
    services.consent_withdraw(actor=demo["schueler"], consent=Consent.objects.get(person=demo["schueler"]))
    assert client.get(reverse("transition:case_detail", args=[case.pk])).status_code == 404
    assert "Lena Schmidt" not in client.get(reverse("transition:cases")).content.decode()
