"""Staff are addressed with "Sie" on their home page (#16: pages mixed "Sie" and "du"): neither the areas
they may open (some are public and shown to pupils too) nor what waits for them says "du" to them."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

DU = re.compile(r"\b(du|dein\w*|dir|dich)\b", re.IGNORECASE)
STAFF = ["trainer", "company_admin", "teacher", "counsellor", "chamber_officer"]


def main_text(html: str) -> str:
    body = html.split("<main", 1)[1].split("</main>", 1)[0]
    return re.sub(r"<[^>]+>", " ", body)


@pytest.mark.parametrize("role", STAFF)
def test_a_staff_home_page_never_says_du(role, client_for):
    page = client_for(role).get(reverse("core:home"))
    assert page.status_code == 200
    text = main_text(page.content.decode())
    assert "Sie" in text
    assert DU.findall(text) == [], DU.findall(text)
