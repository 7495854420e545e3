"""Invitations (#18): one-time links into a company, a school or chamber, or a guardianship; hashed, expiring,
revocable, single use, audited; accepted with a new account or by the invited person signed in."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ausbildung.core.accounts import selectors, services
from ausbildung.core.models import AuditLog, Guardianship, Invitation, Membership, Organisation, User
from tests.conftest import verify_second_factor

from .account_helpers import link_in_mail

pytestmark = pytest.mark.django_db

NEW_ACCOUNT = {
    "username": "trainerin",
    "first_name": "Tina",
    "last_name": "Trainer",
    "password1": "ein-langes-Passwort-2026",
    "password2": "ein-langes-Passwort-2026",
}


def company():
    return Organisation.objects.get(name="Saar Systemhaus GmbH (Demo)")


def invite(client, email: str, target: str):
    return client.post(reverse("core:invitations"), {"email": email, "target": target})


def test_company_admin_invites_a_trainer_who_creates_an_account(demo, client_for):
    admin = client_for("company_admin")
    response = invite(admin, "tina@example.org", f"org-{company().pk}-trainer")
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="tina@example.org")
    path = link_in_mail("tina@example.org", "/einladung/")
    secret = path.rstrip("/").rsplit("/", 1)[1]
    assert invitation.token_hash == services.token_hash(secret) and secret not in invitation.token_hash
    assert AuditLog.objects.filter(action="invitation.create", target_id=str(invitation.pk)).exists()
    assert "tina@example.org" in admin.get(reverse("core:invitations")).content.decode()
    invitee = Client()
    assert "Ausbilder" in invitee.get(path).content.decode()
    response = invitee.post(path, NEW_ACCOUNT)
    assert response.status_code == 302
    tina = User.objects.get(username="trainerin")
    assert tina.email == "tina@example.org" and tina.is_active
    assert Membership.objects.filter(
        user=tina, organisation=company(), role="trainer", is_active=True
    ).exists()
    # A trainer is staff: the first staff page asks for the second factor (STAFF_TWO_FACTOR, core.signin) …
    response = invitee.get(reverse("offers:company_offers"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("core:two_factor_verify"))
    verify_second_factor(invitee, tina)
    assert invitee.get(reverse("offers:company_offers")).status_code == 200  # … then acts for the company
    # single use
    again = Client().post(path, {**NEW_ACCOUNT, "username": "zweite"})
    assert "bereits verwendet" in again.content.decode()
    assert not User.objects.filter(username="zweite").exists()


def test_an_existing_account_accepts_signed_in(demo, client_for):
    _invitation, secret = services.invitation_create(
        actor=demo["betrieb"],
        email="lehrer@demo.invalid",
        target_key=f"org-{company().pk}-company_admin",
        site="http://testserver/",
    )
    url = reverse("core:invitation_accept", kwargs={"token": secret})
    assert client_for("teacher").post(url).status_code == 302
    assert Membership.objects.filter(
        user=demo["lehrer"], organisation=company(), role="company_admin"
    ).exists()


def test_the_wrong_person_cannot_accept(demo, client_for):
    invitation, secret = services.invitation_create(
        actor=demo["betrieb"],
        email="someone@example.org",
        target_key=f"org-{company().pk}-trainer",
        site="http://testserver/",
    )
    url = reverse("core:invitation_accept", kwargs={"token": secret})
    response = client_for("pupil").post(url)
    assert response.status_code == 200
    assert "andere E-Mail-Adresse" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert not Membership.objects.filter(user=demo["schueler"], organisation=company()).exists()


def test_expired_and_revoked_links_are_refused(demo, client_for):
    invitation, secret = services.invitation_create(
        actor=demo["betrieb"],
        email="x@example.org",
        target_key=f"org-{company().pk}-trainer",
        site="http://t/",
    )
    url = reverse("core:invitation_accept", kwargs={"token": secret})
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = Client().post(url, {**NEW_ACCOUNT, "username": "spaet"})
    assert "abgelaufen" in response.content.decode()
    assert not User.objects.filter(username="spaet").exists()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() + datetime.timedelta(days=1))
    admin = client_for("company_admin")
    assert admin.post(reverse("core:invitation_revoke", kwargs={"pk": invitation.pk})).status_code == 302
    assert AuditLog.objects.filter(action="invitation.revoke", target_id=str(invitation.pk)).exists()
    assert "zurückgezogen" in Client().get(url).content.decode()
    assert (
        "nicht gültig"
        in Client().get(reverse("core:invitation_accept", kwargs={"token": "x" * 500})).content.decode()
    )


def test_invitations_default_to_fourteen_days(demo):
    invitation, _secret = services.invitation_create(
        actor=demo["betrieb"],
        email="x@example.org",
        target_key=f"org-{company().pk}-apprentice",
        site="http://t/",
    )
    assert invitation.expires_at - invitation.created_at == pytest.approx(
        datetime.timedelta(days=14), abs=datetime.timedelta(seconds=5)
    )


def test_others_cannot_revoke_or_invite_into_foreign_companies(demo, client_for):
    invitation = Invitation.objects.get(email="neue.ausbilderin@demo.invalid")  # the demo's, of Systemhaus
    url = reverse("core:invitation_revoke", kwargs={"pk": invitation.pk})
    assert client_for("apprentice").post(url).status_code == 404
    carpentry = Organisation.objects.get(name__icontains="Tischlerei")
    response = invite(client_for("company_admin"), "x@example.org", f"org-{carpentry.pk}-trainer")
    assert response.status_code == 200 and "target" in response.context["form"].errors
    response = invite(client_for("company_admin"), "x@example.org", f"org-{company().pk}-teacher")
    assert "target" in response.context["form"].errors


def test_targets_per_role(demo):
    keys = lambda user: {t.key for t in selectors.invitation_targets_for(user)}  # noqa: E731
    admin_keys = keys(demo["betrieb"])
    assert {f"org-{company().pk}-{role}" for role in ("trainer", "company_admin", "apprentice")} <= admin_keys
    # the company admin may invite a guardian for the minor apprentice (born 2009)
    assert f"ward-{demo['azubi'].pk}" in admin_keys
    assert keys(demo["azubi"]) == {f"ward-{demo['azubi'].pk}"}
    platform = keys(demo["admin"])
    school = Organisation.objects.filter(kind="school").first()
    assert f"org-{school.pk}-teacher" in platform and f"org-{company().pk}-trainer" not in platform
    assert keys(demo["lehrer"]) == set()


def test_apprentice_invites_a_guardian(demo, client_for):
    response = invite(client_for("apprentice"), "vater@example.org", f"ward-{demo['azubi'].pk}")
    assert response.status_code == 302
    path = link_in_mail("vater@example.org", "/einladung/")
    Client().post(path, {**NEW_ACCOUNT, "username": "vater"})
    father = User.objects.get(username="vater")
    assert Guardianship.objects.current().filter(guardian=father, ward=demo["azubi"]).exists()
    assert AuditLog.objects.filter(action="guardianship.create").exists()


def test_platform_admin_invites_a_chamber_officer(demo, client_for):
    chamber = Organisation.objects.get(chamber_kind="hwk")
    response = invite(
        client_for("platform_admin"), "officer@example.org", f"org-{chamber.pk}-chamber_officer"
    )
    assert response.status_code == 302
    Client().post(link_in_mail("officer@example.org", "/einladung/"), {**NEW_ACCOUNT, "username": "officer"})
    assert Membership.objects.filter(
        user__username="officer", organisation=chamber, role="chamber_officer"
    ).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"email": "no-address", "target": "org-1-trainer"},
        {"email": "a@example.org", "target": "org-999999999999999999999-trainer"},
        {"email": "a@example.org", "target": "\x00"},
        {"email": ""},
    ],
)
def test_bad_invitation_input_is_no_error(demo, client_for, data):
    response = client_for("company_admin").post(reverse("core:invitations"), data)
    assert response.status_code == 200 and response.context["form"].errors
