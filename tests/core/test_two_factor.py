"""The second factor: required for staff roles (enforced by the permission middleware), optional for others."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ausbildung.core.demo import DEMO_PASSWORD
from ausbildung.core.models import AuditLog

STAFF_URLS = ["/mein-bereich/", "/vertraege/", "/nachweis/pruefen/", "/verwaltung/", "/berufe/"]


def password_login(username: str) -> Client:
    client = Client()
    response = client.post(reverse("core:login"), {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return client


def code_of(device: TOTPDevice) -> str:
    device.refresh_from_db()
    # A fresh time step for each use in a test, and no wait after an earlier wrong code (django-otp's throttle).
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_timestamp=None)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def setup_device(client: Client) -> tuple[TOTPDevice, list[str]]:
    """Set up TOTP through the pages; returns the device and the recovery codes shown once."""
    page = client.get(reverse("core:two_factor_setup"))
    assert page.status_code == 200 and "data:image/svg+xml" in page.content.decode()
    device = TOTPDevice.objects.get(confirmed=False, user__pk=client.session["_auth_user_id"])
    response = client.post(reverse("core:two_factor_setup"), {"code": code_of(device)})
    assert response.status_code == 302 and response["Location"].startswith(reverse("core:recovery_codes"))
    codes_page = client.get(response["Location"]).content.decode()
    codes = re.findall(r"<li><code>([^<]+)</code></li>", codes_page)
    assert len(codes) == 10
    # Shown once: the next visit offers to make new ones instead.
    assert "<li><code>" not in client.get(reverse("core:recovery_codes")).content.decode()
    device.refresh_from_db()
    return device, codes


@pytest.mark.parametrize("username", ["ausbilder", "lehrer", "kammer", "admin"])
def test_staff_reach_nothing_before_the_second_factor(demo, username):
    client = password_login(username)
    for url in STAFF_URLS:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("core:two_factor_verify")), url
    # Without a device the code step leads to the setup.
    verify = client.get(reverse("core:two_factor_verify"))
    assert verify.status_code == 302 and verify["Location"].startswith(reverse("core:two_factor_setup"))
    # The API with the session: 403 problem details; public routes stay open.
    api = client.get("/api/v1/me")
    assert api.status_code == 403 and api["Content-Type"] == "application/problem+json"
    assert client.get("/api/v1/health").status_code == 200


def test_trainer_sets_up_totp_and_then_signs_in_with_a_code(demo):
    client = password_login("ausbilder")
    device, _codes = setup_device(client)
    assert device.confirmed
    assert client.get("/nachweis/pruefen/").status_code == 200  # the session is verified by the setup
    # A new sign-in asks for the code; a wrong one is refused and audited.
    client = password_login("ausbilder")
    assert client.get("/vertraege/")["Location"].startswith(reverse("core:two_factor_verify"))
    wrong = client.post(reverse("core:two_factor_verify"), {"code": "000000"})
    assert wrong.status_code == 200 and "Der Code stimmt nicht" in wrong.content.decode()
    assert AuditLog.objects.filter(action="auth.otp_failed", actor=demo["ausbilder"]).count() == 1
    right = client.post(reverse("core:two_factor_verify"), {"code": code_of(device), "next": "/vertraege/"})
    assert right.status_code == 302 and right["Location"] == "/vertraege/"
    assert client.get("/vertraege/").status_code == 200
    assert client.get("/verwaltung/").status_code == 403  # verified, but still no admin
    assert client.get("/api/v1/me").status_code == 200


def test_recovery_code_works_once(demo):
    _device, codes = setup_device(password_login("betrieb"))
    client = password_login("betrieb")
    assert client.post(reverse("core:two_factor_verify"), {"code": codes[0].upper()}).status_code == 302
    assert client.get("/vertraege/").status_code == 200
    again = password_login("betrieb")
    refused = again.post(reverse("core:two_factor_verify"), {"code": codes[0]})
    assert refused.status_code == 200
    assert again.get("/vertraege/").status_code == 302
    assert AuditLog.objects.get(action="auth.otp_recovery_used").changes == {"left": 9}


def test_regenerate_and_disable_need_password_or_code(demo):
    client = password_login("kammer")
    device, codes = setup_device(client)
    refused = client.post(reverse("core:recovery_codes"), {"secret": "falsch"})
    assert refused.status_code == 200 and "Passwort oder Code stimmen nicht" in refused.content.decode()
    made = client.post(reverse("core:recovery_codes"), {"secret": DEMO_PASSWORD})
    assert made.status_code == 302
    new_codes = client.get(reverse("core:recovery_codes")).content.decode()
    assert codes[0] not in new_codes and new_codes.count("<li><code>") == 10
    assert client.post(reverse("core:two_factor_disable"), {"secret": "123"}).status_code == 200
    assert TOTPDevice.objects.filter(user=demo["kammer"]).exists()
    gone = client.post(reverse("core:two_factor_disable"), {"secret": code_of(device)})
    assert (
        gone.status_code == 302
        and not TOTPDevice.objects.filter(user=demo["kammer"], confirmed=True).exists()
    )
    # Staff need it: every page now leads to a new setup.
    assert client.get("/vertraege/")["Location"].startswith(reverse("core:two_factor_verify"))
    actions = set(AuditLog.objects.filter(actor=demo["kammer"]).values_list("action", flat=True))
    assert {"auth.login", "auth.otp_setup", "auth.otp_recovery_regenerated", "auth.otp_disabled"} <= actions


def test_pupil_may_go_without_but_once_set_up_it_is_asked(demo):
    client = password_login("schueler")
    assert client.get(reverse("core:home")).status_code == 200  # optional for pupils
    device, _codes = setup_device(client)
    client = password_login("schueler")
    assert client.get(reverse("core:home"))["Location"].startswith(reverse("core:two_factor_verify"))
    client.post(reverse("core:two_factor_verify"), {"code": code_of(device)})
    assert client.get(reverse("core:home")).status_code == 200


def test_optional_setting_lets_staff_in_without(demo, settings):
    settings.STAFF_TWO_FACTOR = "optional"
    assert password_login("ausbilder").get("/vertraege/").status_code == 200


def test_deploy_check_warns_when_optional(settings):
    from ausbildung.core.checks import staff_two_factor_required

    settings.DEBUG = False
    assert staff_two_factor_required() == []
    settings.STAFF_TWO_FACTOR = "optional"
    assert [w.id for w in staff_two_factor_required()] == ["core.W001"]


def test_logins_and_failed_logins_are_audited_without_the_password(demo):
    password_login("azubi")
    Client().post(reverse("core:login"), {"username": "azubi", "password": "geheim-falsch"})
    assert AuditLog.objects.filter(action="auth.login", actor=demo["azubi"]).exists()
    failed = AuditLog.objects.get(action="auth.login_failed")
    assert failed.summary == "azubi" and failed.actor is None
    assert "geheim-falsch" not in str(failed.changes) + failed.summary
    page = password_login("azubi").get(reverse("core:security")).content.decode()
    assert "Angemeldet" in page and "Fehlgeschlagene Anmeldung mit diesem Benutzernamen" in page


def test_bearer_token_requests_are_not_asked_for_a_code(demo):
    from ausbildung.core.tokens import api_token_create

    _token, secret = api_token_create(actor=None, user=demo["ausbilder"], name="Telefon")
    response = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
