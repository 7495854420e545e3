"""Idle sessions end.

Attack: a trainer or counsellor leaves a signed-in browser (a shared office or school computer); whoever
sits down next reads and signs other people's records. Sessions lasted two weeks regardless of activity.

Defence: core.middleware.IdleSessionMiddleware signs a browser session out after SESSION_IDLE_MINUTES_STAFF
(default 30) minutes without a request for staff roles, SESSION_IDLE_MINUTES (default 120) for pupils,
apprentices and guardians. The test moves the session's last-seen stamp back instead of waiting.
"""

from __future__ import annotations

import time

from django.test import Client
from django.urls import reverse

from ausbildung.core.middleware import LAST_SEEN_KEY


def idle_for(client: Client, minutes: int) -> None:
    client.get(reverse("core:home"))  # the stamp is written on a request
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - minutes * 60
    session.save()


def test_staff_session_ends_after_thirty_idle_minutes(client_for):
    client = client_for("trainer")
    idle_for(client, 29)
    assert client.get(reverse("core:home")).status_code == 200
    idle_for(client, 31)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("core:login"))
    assert "_auth_user_id" not in client.session
    notice = client.get(response["Location"]).content.decode()
    assert "30 Minuten" in notice


def test_apprentice_session_lasts_longer_but_not_forever(client_for):
    client = client_for("apprentice")
    idle_for(client, 60)
    assert client.get(reverse("core:home")).status_code == 200
    idle_for(client, 121)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
