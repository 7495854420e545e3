"""Who may open the orientation pages (rules evaluated by `core.permissions`), and the home-page areas.

Each feature module adds its rules to RULES; scopes (a teacher sees only their own classes, with progress
flags, not answers) live in core.permissions.
"""

from __future__ import annotations

from ausbildung.core.permissions import register_rules

RULES: dict = {}


def register() -> None:
    register_rules(RULES)
