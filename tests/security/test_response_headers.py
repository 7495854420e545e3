"""Response headers that keep pages from being abused in the browser or kept in caches.

Attacks and defences:
- Injected markup runs as script (XSS) or the page is framed: every page carries a Content-Security-Policy
  that allows scripts only from our static files (no inline scripts, no event-handler attributes) and no
  framing (core.middleware.SecurityHeadersMiddleware; the templates carry no inline script).
- A shared computer's browser cache or back button shows the previous person's record book: responses to a
  signed-in person are `Cache-Control: no-store`.
- A first visit over plain HTTP is intercepted: with HTTPS=1 the platform sends HSTS and redirects HTTP
  (test_deploy_check.py checks the production settings as a whole).
"""

from __future__ import annotations

import re
from pathlib import Path

from django.test import Client
from django.urls import reverse

SRC = Path(__file__).resolve().parents[2] / "src/ausbildung"


def test_pages_carry_a_content_security_policy_without_inline_scripts(client_for):
    for client, url in [
        (Client(), reverse("core:landing")),
        (Client(), reverse("core:login")),
        (client_for("apprentice"), reverse("core:home")),
        (client_for("apprentice"), reverse("records:mine")),
    ]:
        response = client.get(url, follow=True)
        policy = response["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["script-src"] == "'self'", url
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
        assert directives["frame-ancestors"] == "'none'"
        assert directives["object-src"] == "'none'"


def test_no_template_has_an_inline_script_or_event_handler_attribute():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>", re.IGNORECASE)
    handler = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
    offenders = []
    for template in SRC.rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        if inline_script.search(text) or handler.search(text):
            offenders.append(str(template.relative_to(SRC)))
    assert offenders == []


def test_signed_in_pages_are_not_stored_in_caches(client_for):
    response = client_for("apprentice").get(reverse("records:mine"), follow=True)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    api = client_for("apprentice").get("/api/v1/me")
    assert "no-store" in api["Cache-Control"]


def test_public_pages_stay_cacheable_for_anonymous_visitors(demo):
    response = Client().get(reverse("core:landing"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
