"""The interest check in a real browser as the demo pupil: eight screens, then the result with the ranked
occupations; axe-core checks the first screen and the result."""

from __future__ import annotations

import pytest

from ausbildung.core.models import Occupation
from ausbildung.orientation import items
from ausbildung.orientation.models import InterestCheck

from ..orientation.check_helpers import profile_for
from .conftest import axe_violations, login

pytestmark = pytest.mark.browser


def test_complete_the_interest_check(page, live_server, e2e_demo):
    base = live_server.url
    profile_for(
        Occupation.objects.get(slug="tischlausbv"),
        {"R": 0.9, "A": 0.4},
        {"R": [["holz", 4], ["*maschin", 2]]},
    )
    profile_for(Occupation.objects.get(slug="fiausbv"), {"I": 0.8, "C": 0.5, "R": 0.2})
    login(page, base, "schueler")
    page.goto(f"{base}/orientierung/interessencheck/")
    page.locator("button[name=start]").click()
    page.wait_for_url("**/interessencheck/*/schritt/1/")
    assert page.locator("progress").count() == 1
    assert axe_violations(page) == []

    for step in range(1, items.STEPS + 1):
        for item in items.step_items(step):
            value = 4 if item.dimension == "R" else 1
            page.locator(f"input[name={item.key}][value='{value}']").check()
        page.locator("button[name=action][value=next]").click()
        if step < items.STEPS:
            page.wait_for_url(f"**/schritt/{step + 1}/")
    page.wait_for_url("**/ergebnis/")

    matches = page.locator("#interest-matches li")
    assert matches.count() >= 2  # the two profiles made here, and any the demo derived
    assert "Tischler" in page.locator("#interest-matches").inner_text()
    assert page.locator("table").count() == 1
    assert axe_violations(page) == []
    check = InterestCheck.objects.get(pupil__username="schueler")
    assert check.completed_at is not None and check.code.startswith("R")
