"""Self sign-up (#18): e-mail confirmation by a one-time signed link, the guardian's consent under 16 (DSGVO
Art. 8 Abs. 1, the German age of 16), then joining a class with its code."""

from __future__ import annotations

import datetime

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from ausbildung.core.accounts import services
from ausbildung.core.models import AuditLog, Guardianship, Membership, OutgoingMail, Signup, User

from .account_helpers import account, link_in_mail, years_ago

pytestmark = pytest.mark.django_db

FORM = {
    "username": "lena",
    "email": "lena@example.org",
    "first_name": "Lena",
    "last_name": "Lang",
    "password1": "ein-langes-Passwort-2026",
    "password2": "ein-langes-Passwort-2026",
}


def sign_up(client: Client, **changes) -> object:
    return client.post(
        reverse("core:signup"), {**FORM, "date_of_birth": years_ago(17).isoformat(), **changes}
    )


def test_signup_confirm_and_join_a_class(demo):
    client = Client()
    response = sign_up(client)
    assert response.status_code == 302 and response["Location"] == reverse("core:signup_sent")
    user = User.objects.get(username="lena")
    assert not user.is_active  # cannot sign in before confirming
    refused = client.post(reverse("core:login"), {"username": "lena", "password": FORM["password1"]})
    assert refused.status_code == 200 and not refused.wsgi_request.user.is_authenticated
    assert AuditLog.objects.filter(action="account.signup", target_id=str(user.pk)).exists()
    link = link_in_mail("lena@example.org", "/registrieren/bestaetigen/")
    assert client.get(link).status_code == 200  # opening the link (a mail scanner) confirms nothing
    user.refresh_from_db()
    assert not user.is_active
    response = client.post(link)
    assert response.status_code == 302 and response["Location"] == reverse("orientation:join")
    user.refresh_from_db()
    assert user.is_active and user.signup.email_confirmed_at is not None
    # signed in, without a role: the class code makes her a pupil of the class's school
    assert client.get(reverse("core:home")).context["join_url"] == reverse("orientation:join")
    response = client.post(reverse("orientation:join"), {"code": "DEMO9B27"})
    assert response.status_code == 302
    membership = Membership.objects.get(user=user)
    assert membership.role == "pupil" and membership.organisation.kind == "school"
    assert client.get(reverse("orientation:plan")).status_code == 200


def test_a_used_link_is_refused(demo):
    client = Client()
    sign_up(client)
    link = link_in_mail("lena@example.org", "/registrieren/bestaetigen/")
    client.post(link)
    again = Client().post(link)
    assert again.status_code == 200
    assert "bereits verwendet" in again.content.decode()


def test_an_expired_link_is_refused(demo, monkeypatch):
    signup = services.signup_create(data=account("alt", born=years_ago(20)), site="http://testserver/")
    token = services.signup_token(signup, services.EMAIL_CONFIRM)
    monkeypatch.setattr(services, "SIGNUP_LINK_MAX_AGE", datetime.timedelta(seconds=-1))
    response = Client().post(reverse("core:signup_confirm", kwargs={"token": token}))
    assert "abgelaufen" in response.content.decode()
    signup.user.refresh_from_db()
    assert not signup.user.is_active


@pytest.mark.parametrize(
    "token", ["x", "a" * 300, "other-salt", "%00"], ids=["short", "long", "other-salt", "nul"]
)
def test_a_forged_link_is_no_error(demo, token):
    if token == "other-salt":  # a real signature, made for another purpose (made here: it holds the time)
        token = signing.dumps({"s": 1}, salt="other")
    for name in ("core:signup_confirm", "core:signup_guardian"):
        response = Client().post(reverse(name, kwargs={"token": token}))
        assert response.status_code == 200
        assert "nicht gültig" in response.content.decode()


def test_the_guardian_link_does_not_confirm_the_email(demo):
    signup = services.signup_create(
        data=account("kind", born=years_ago(14), guardian="mutter@example.org"), site="http://testserver/"
    )
    guardian_token = services.signup_token(signup, services.GUARDIAN_CONSENT)
    response = Client().post(reverse("core:signup_confirm", kwargs={"token": guardian_token}))
    assert "nicht gültig" in response.content.decode()


def test_under_16_needs_the_guardians_address(demo):
    response = sign_up(Client(), date_of_birth=years_ago(15, days=-1).isoformat())  # 15, a day before 16
    assert response.status_code == 200
    assert "Art. 8" in response.context["form"].errors["guardian_email"][0]
    response = sign_up(Client(), date_of_birth=years_ago(15).isoformat(), guardian_email=FORM["email"])
    assert "guardian_email" in response.context["form"].errors
    assert not User.objects.filter(username="lena").exists()


def test_sixteen_today_needs_no_guardian(demo):
    sign_up(Client(), date_of_birth=years_ago(16).isoformat(), guardian_email="mutter@example.org")
    assert Signup.objects.get(user__username="lena").guardian_email == ""
    assert not OutgoingMail.objects.filter(to="mutter@example.org").exists()


def test_under_16_the_guardian_consents_and_gets_a_guardianship(demo):
    client = Client()
    sign_up(client, date_of_birth=years_ago(14).isoformat(), guardian_email="mutter@example.org")
    user = User.objects.get(username="lena")
    # the own link alone does not open the account
    response = client.post(link_in_mail("lena@example.org", "/registrieren/bestaetigen/"))
    assert response.status_code == 302 and response["Location"] == reverse("core:signup_sent")
    user.refresh_from_db()
    assert not user.is_active
    guardian = Client()
    link = link_in_mail("mutter@example.org", "/registrieren/einverstaendnis/")
    page = guardian.get(link).content.decode()
    assert "Art. 8" in page and "Lena Lang" in page
    response = guardian.post(link)
    assert response.status_code == 302 and "/einladung/" in response["Location"]
    user.refresh_from_db()
    assert user.is_active and user.signup.guardian_consent_at is not None
    assert AuditLog.objects.filter(action="account.guardian_consent").exists()
    # the guardian's consent creates an invitation to a guardian account: accepting it, the guardianship
    response = guardian.post(
        response["Location"],
        {
            "username": "mutter",
            "first_name": "Maria",
            "last_name": "Lang",
            "password1": "noch-ein-Passwort-2026",
            "password2": "noch-ein-Passwort-2026",
        },
    )
    assert response.status_code == 302
    mother = User.objects.get(username="mutter")
    assert mother.email == "mutter@example.org"
    assert Guardianship.objects.current().filter(guardian=mother, ward=user).exists()
    # the consent link is used
    assert "bereits verwendet" in Client().post(link).content.decode()


def test_bad_signup_input_is_no_error(demo):
    cases = [
        {"date_of_birth": "2099-01-01"},
        {"date_of_birth": "nonsense"},
        {"email": "not-an-address"},
        {"password2": "different-Passwort-2026"},
        {"password1": "123", "password2": "123"},
        {"username": "a b"},
    ]
    for changes in cases:
        response = sign_up(Client(), **changes)
        assert response.status_code == 200, changes
        assert response.context["form"].errors, changes
    assert not User.objects.filter(username="lena").exists()


def test_taken_username_and_address(demo):
    response = sign_up(Client(), username="AZUBI", email="azubi@demo.invalid")
    errors = response.context["form"].errors
    assert "username" in errors and "email" in errors


def test_a_signed_in_person_goes_home(demo, client_for):
    assert client_for("pupil").get(reverse("core:signup"))["Location"] == reverse("core:home")


def test_login_and_landing_link_to_signup(demo):
    for name in ("core:login", "core:landing"):
        assert reverse("core:signup") in Client().get(reverse(name)).content.decode()


def test_staff_cannot_join_a_class_as_pupil(demo, client_for):
    response = client_for("trainer").post(reverse("orientation:join"), {"code": "DEMO9B27"})
    assert response.status_code == 403
