"""The API documentation page in Chromium: Swagger UI from our static files renders the operations list under a
strict Content Security Policy, and the page asks no other host for anything."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
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
