"""The occupation explorer in a real browser: list, occupation page with chart, comparison of two occupations;
axe-core finds no violations on any of the three pages."""

from __future__ import annotations

import pytest

from .conftest import axe_violations

pytestmark = pytest.mark.browser


def test_explore_and_compare_two_occupations(page, live_server, e2e_demo):
    base = live_server.url
    page.goto(f"{base}/orientierung/berufe/")
    assert page.get_by_test_id("explorer-list").locator("li").count() >= 3
    assert axe_violations(page) == []

    page.get_by_test_id("compare-tischlausbv").check()
    page.get_by_test_id("compare-fiausbv").check()
    page.get_by_test_id("compare-submit").click()
    page.wait_for_url("**/orientierung/berufe/vergleich/**")
    table = page.get_by_test_id("compare-table")
    assert table.locator("thead th").count() == 2
    assert "Tischler" in table.inner_text() and "Fachinformatiker" in table.inner_text()
    assert axe_violations(page) == []

    page.goto(f"{base}/orientierung/berufe/tischlausbv/")
    page.wait_for_selector("body[data-chart-ready=true]")
    assert page.get_by_test_id("interest-table").locator("tbody tr").count() == 6
    assert page.get_by_test_id("unknown").count() == 5
    assert axe_violations(page) == []
