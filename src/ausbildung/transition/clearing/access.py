"""Who may open the clearing-round pages (rules evaluated by `core.permissions`)."""

from __future__ import annotations

from ausbildung.core.permissions import register_rules

RULES: dict = {}


def register() -> None:
    register_rules(RULES)
