"""What waits for a person: the short list on their home page and in their e-mail digest.

`core` may not import the focus areas (docs/architecture.md, "Layers"), and access is decided where an area
lives. So each app registers a provider from its ``AppConfig.ready`` with `register_waiting`; a provider takes
the person and returns `WaitingItem`s counted through that app's own scopes (only what the person may see).
The home page and `ausbildung send-digests` both call `waiting_for`, so the page and the mail never differ.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class WaitingItem:
    """One line: "3 weeks to review", with the page where the person acts on it.

    `text` is already translated and addressed ("du" / "Sie") by the provider; `count` is shown beside it
    (None for an item that is a single invitation such as "join your class"). `order` sorts the list.
    """

    key: str
    text: str | Promise
    url: str
    count: int | None = None
    order: int = 100


Provider = Callable[[object], Iterable[WaitingItem]]

_PROVIDERS: dict[str, Provider] = {}


def register_waiting(key: str, provider: Provider) -> None:
    """Register (or replace, by key) an app's provider of waiting items."""
    _PROVIDERS[key] = provider


def waiting_for(user) -> list[WaitingItem]:
    """Every item waiting for the person, from all registered providers, in display order.

    Items with a count of 0 are left out.
    """
    if not getattr(user, "is_authenticated", False):
        return []
    items: list[WaitingItem] = []
    for provider in _PROVIDERS.values():
        items.extend(item for item in provider(user) if item.count is None or item.count > 0)
    return sorted(items, key=lambda item: (item.order, item.key))
