"""Attack: third-party script on our origin through the API documentation page.

django-ninja's default docs page (/api/v1/docs) loaded Swagger UI's JavaScript and CSS from a CDN, without
subresource integrity. Whoever controls the CDN, or a network path to it, runs script on the platform's
origin: with a signed-in user's cookies, against every page. A strict Content Security Policy would also break
the page, whose initialisation was inline.

Defence: Swagger UI is pinned in package.json/package-lock.json and served from static/vendor/swagger-ui-dist
(scripts/vendor.sh); the page's initialisation is a static file reading a JSON data block. The page references
no external host. tests/e2e/test_api_docs.py renders it in Chromium under `script-src 'self'` with every
request to another host refused.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.contrib.staticfiles import finders
from django.test import Client

STATIC_URL = "/static/"


def docs_html() -> str:
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    return response.content.decode()


def test_docs_page_loads_nothing_from_another_host(db):
    html = docs_html()

    assert "cdn" not in html.lower()
    references = re.findall(r'\b(?:src|href)="([^"]*)"', html)
    assert references, "the page references its script and stylesheet"
    assert not [url for url in references if url.startswith(("http:", "https:", "//"))]


def test_docs_page_has_no_inline_script(db):
    html = docs_html()

    for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
        assert "src=" in attributes or 'type="application/json"' in attributes, attributes
        if "src=" in attributes:
            assert not body.strip()


def test_docs_page_static_files_exist_and_are_pinned(db):
    html = docs_html()

    paths = [url.removeprefix(STATIC_URL) for url in re.findall(r'\b(?:src|href)="([^"]*)"', html)]
    assert "vendor/swagger-ui-dist/swagger-ui-bundle.js" in paths
    for path in paths:
        assert finders.find(path), f"{path} is not a static file"
    source = finders.find("vendor/swagger-ui-dist/SOURCE.txt")
    assert source and "Integrity: sha512-" in Path(source).read_text(encoding="utf-8")
