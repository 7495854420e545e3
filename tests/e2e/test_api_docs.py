"""The API documentation page in Chromium: Swagger UI from our static files renders the operations list under a
strict Content Security Policy, and the page asks no other host for anything."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'"
)


def test_api_docs_render_under_a_strict_csp_without_other_hosts(page, live_server, transactional_db):
    own_host = urlsplit(live_server.url).netloc
    foreign: list[str] = []
    violations: list[str] = []

    def serve(route):
        if urlsplit(route.request.url).netloc != own_host:
            foreign.append(route.request.url)
            route.abort()
            return
        response = route.fetch()
        headers = {**response.headers}
        if route.request.resource_type == "document":
            headers["content-security-policy"] = STRICT_CSP
        route.fulfill(response=response, headers=headers)

    page.route("**/*", serve)
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security" in message.text else None,
    )
    page.goto(f"{live_server.url}/api/v1/docs")

    expect(page.locator(".opblock").first).to_be_visible()
    assert page.locator(".opblock").count() >= 5
    expect(page.get_by_text("ausbildung API").first).to_be_visible()
    assert foreign == []
    assert violations == []


def test_api_docs_render_offline_under_the_platforms_own_policy(page, live_server, transactional_db):
    """Without internet (every request to a host other than localhost fails) and with the Content Security
    Policy the platform itself sends (not the stricter one above): the page renders from static/vendor/."""
    foreign: list[str] = []
    problems: list[str] = []
    assets: list[str] = []

    def offline(route):
        if urlsplit(route.request.url).hostname not in {"localhost", "127.0.0.1"}:
            foreign.append(route.request.url)
            route.abort("internetdisconnected")
            return
        if route.request.resource_type in {"script", "stylesheet"}:
            assets.append(urlsplit(route.request.url).path)
        route.continue_()

    page.route("**/*", offline)
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    response = page.goto(f"{live_server.url}/api/v1/docs")
    assert response is not None and response.ok
    assert response.headers["content-security-policy"] == settings.CONTENT_SECURITY_POLICY

    expect(page.locator(".opblock").first).to_be_visible()
    assert page.locator(".opblock").count() >= 5
    assert assets and all(path.startswith("/static/") for path in assets)
    assert any(path.startswith("/static/vendor/swagger-ui-dist/") for path in assets)
    assert foreign == []
    assert problems == []
