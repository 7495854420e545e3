from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from ausbildung.core.demo import DEMO_PASSWORD


def post_login(client: Client, username: str, password: str):
    return client.post(reverse("core:login"), {"username": username, "password": password})


def test_login_lands_on_home(demo):
    client = Client()
    response = post_login(client, "azubi", DEMO_PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    home = client.get(reverse("core:home")).content.decode()
    assert "Jonas Becker" in home and "Saar Systemhaus GmbH (Demo)" in home


def test_wrong_password_gives_german_error(demo):
    response = post_login(Client(), "azubi", "falsch")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Benutzername oder Passwort ist falsch" in body
    assert 'lang="de"' in body


def test_login_is_throttled_after_repeated_failures(demo, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "ausbilder", "falsch")
    blocked = post_login(client, "ausbilder", DEMO_PASSWORD)  # even the right password is refused now
    assert blocked.status_code == 429
    assert "Anmeldung vorübergehend gesperrt" in blocked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another person is not affected by the lockout.
    assert post_login(Client(), "azubi", DEMO_PASSWORD).status_code == 302


def test_unknown_page_is_a_friendly_404(demo):
    response = Client().get("/gibt-es-nicht/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Seite nicht gefunden" in body and 'id="main"' in body


@override_settings(DEBUG=False)
def test_server_error_is_a_friendly_500_without_traceback(demo):
    client = Client(raise_request_exception=False)
    from ausbildung.core.views import server_error

    response = server_error(client.get("/").wsgi_request)
    body = response.content.decode()
    assert response.status_code == 500
    assert "Traceback" not in body and "Auf unserer Seite ist etwas schiefgelaufen" in body


def test_forbidden_page_in_layout(client_for):
    response = client_for("pupil").get(reverse("core:contract_list"))
    assert response.status_code == 403
    assert "Zugriff verweigert" in response.content.decode()


@pytest.mark.parametrize("language,greeting", [("de", "Mein Bereich"), ("en", "My area")])
def test_language_switch(demo, language, greeting):
    client = Client()
    client.force_login(demo["azubi"])
    response = client.post(reverse("set_language"), {"language": language, "next": reverse("core:home")})
    assert response.status_code == 302
    body = client.get(reverse("core:home")).content.decode()
    assert f'lang="{language}"' in body and greeting in body


def test_acting_as_switches_membership(demo):
    client = Client()
    meister = demo["meister"]
    client.force_login(meister)
    memberships = list(meister.memberships.order_by("role"))
    assert len(memberships) == 2
    target = memberships[1]
    client.post(reverse("core:acting_as"), {"membership": target.pk})
    body = client.get(reverse("core:home")).content.decode()
    assert target.get_role_display() in body
    # Someone else's membership id is ignored.
    foreign = demo["azubi"].memberships.get()
    client.post(reverse("core:acting_as"), {"membership": foreign.pk})
    assert client.session["acting_membership_id"] == target.pk
