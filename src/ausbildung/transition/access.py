"""Who may open the transition pages (rules evaluated by `core.permissions`).

Scopes (which destinations and cases a teacher or counsellor sees, with or without consent) live in
core.permissions, transition section.
"""

from __future__ import annotations

from ausbildung.core.permissions import register_rules

RULES: dict = {}


def register() -> None:
    register_rules(RULES)
