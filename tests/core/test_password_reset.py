"""Password reset (Django's views, German, throttled, mail through the outbox) and password change."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from ausbildung.core.demo import DEMO_PASSWORD
from ausbildung.core.models import AuditLog, OutgoingMail

NEW_PASSWORD = "Neues-Passwort-2026!"


def request_reset(client: Client, email: str, **extra):
    return client.post(reverse("core:password_reset"), {"email": email}, **extra)


def reset_link(mail: OutgoingMail) -> str:
    match = re.search(r"https?://[^/\s]+(/passwort-neu/\S+/\S+/)", mail.body)
    assert match, mail.body
    return match.group(1)


@pytest.fixture
def azubi(demo):
    user = demo["azubi"]
    user.email = "jonas.becker@example.org"
    user.save(update_fields=["email"])
    return user


def test_login_page_links_to_the_reset(demo):
    body = Client().get(reverse("core:login")).content.decode()
    assert f'href="{reverse("core:password_reset")}"' in body and "Passwort vergessen?" in body


def test_reset_round_trip(azubi):
    client = Client()
    response = request_reset(client, "Jonas.Becker@example.org")
    assert response.status_code == 302 and response["Location"] == reverse("core:password_reset_done")
    mail = OutgoingMail.objects.get(to=azubi.email)  # through the outbox, never sent directly
    assert mail.subject == "Neues Passwort festlegen"
    assert "azubi" in mail.body
    link = reset_link(mail)
    # Django swaps the token in the link for one kept in the session, then shows the form.
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and "Neues Passwort" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("core:password_reset_complete")
    assert AuditLog.objects.filter(action="auth.password_reset", actor=azubi).count() == 1
    # The link works once: the token changes with the password.
    again = client.get(link, follow=True).content.decode()
    assert "nicht mehr gültig" in again
    # The old password no longer works, the new one does.
    assert (
        Client().post(reverse("core:login"), {"username": "azubi", "password": DEMO_PASSWORD}).status_code
        == 200
    )
    assert (
        Client().post(reverse("core:login"), {"username": "azubi", "password": NEW_PASSWORD}).status_code
        == 302
    )


def test_unknown_address_gets_the_same_answer_and_no_mail(azubi):
    known = request_reset(Client(), azubi.email)
    unknown = request_reset(Client(), "niemand@example.org")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert not OutgoingMail.objects.filter(to="niemand@example.org").exists()
    page = Client().get(unknown["Location"]).content.decode()
    assert "Falls ein Konto diese Adresse hat" in page


def test_reset_is_throttled_per_address(azubi, settings):
    for _ in range(settings.PASSWORD_RESET_LIMIT_PER_EMAIL):
        request_reset(Client(REMOTE_ADDR="198.51.100.1"), azubi.email)
    # From another address too: the limit is per e-mail address. Same answer, no further mail.
    response = request_reset(Client(REMOTE_ADDR="198.51.100.2"), azubi.email)
    assert response.status_code == 302 and response["Location"] == reverse("core:password_reset_done")
    assert OutgoingMail.objects.filter(to=azubi.email).count() == settings.PASSWORD_RESET_LIMIT_PER_EMAIL
    # The rows that count keep a keyed hash, not the address itself.
    rows = AuditLog.objects.filter(action="auth.password_reset_request")
    assert rows.count() == settings.PASSWORD_RESET_LIMIT_PER_EMAIL
    assert all(azubi.email not in str(row.changes) for row in rows)


def test_reset_is_throttled_per_client_address(azubi, settings):
    settings.PASSWORD_RESET_LIMIT_PER_IP = 2
    client = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(2):
        request_reset(client, f"probe{n}@example.org")
    request_reset(client, azubi.email)  # the third request from this address sends nothing
    assert not OutgoingMail.objects.filter(to=azubi.email).exists()
    request_reset(Client(REMOTE_ADDR="203.0.113.10"), azubi.email)  # another address is not affected
    assert OutgoingMail.objects.filter(to=azubi.email).count() == 1


def test_malformed_reset_link_is_refused_without_error(demo):
    response = Client().get(reverse("core:password_reset_confirm", kwargs={"uidb64": "xx", "token": "yy"}))
    assert response.status_code == 200 and "nicht mehr gültig" in response.content.decode()


def test_password_change_for_the_signed_in_person(demo, client_for):
    client = client_for("apprentice")
    page = client.get(reverse("core:password_change"))
    assert page.status_code == 200 and "Passwort ändern" in page.content.decode()
    wrong = client.post(
        reverse("core:password_change"),
        {"old_password": "falsch", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 200
    response = client.post(
        reverse("core:password_change"),
        {"old_password": DEMO_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == reverse("core:security")
    assert client.get(reverse("core:home")).status_code == 200  # the session stays signed in
    demo["azubi"].refresh_from_db()
    assert demo["azubi"].check_password(NEW_PASSWORD)
    assert AuditLog.objects.filter(action="auth.password_changed", actor=demo["azubi"]).count() == 1


def test_password_change_needs_a_signed_in_person(demo):
    response = Client().get(reverse("core:password_change"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("core:login"))
