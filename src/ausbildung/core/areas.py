"""The areas ("Bereiche") a role home page links to.

Each focus-area app registers its areas from its ``AppConfig.ready``. A link is shown only when its URL
exists (the app is installed) and the access rule of that URL lets the person in, so a home page never
links to something that is not there or not theirs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise

from . import permissions


@dataclass(frozen=True)
class Area:
    key: str
    title: str | Promise
    description: str | Promise
    url_name: str
    order: int = 100


_AREAS: dict[str, Area] = {}


def register_area(area: Area) -> None:
    _AREAS[area.key] = area


AreaEntry = tuple[str, str | Promise, str | Promise, str, int]


def register_areas(entries: Iterable[AreaEntry]) -> None:
    """Register an app's areas, given as (key, title, description, url_name, order) tuples."""
    for key, title, description, url_name, order in entries:
        register_area(Area(key=key, title=title, description=description, url_name=url_name, order=order))


def areas_for(user) -> list[tuple[Area, str]]:
    """(area, url) pairs the person may open, in display order."""
    result = []
    for area in sorted(_AREAS.values(), key=lambda a: (a.order, a.key)):
        try:
            url = reverse(area.url_name)
        except NoReverseMatch:
            continue
        rule = permissions.rule_for(area.url_name)
        if rule is not None and rule.allows(user):
            result.append((area, url))
    return result


@dataclass(frozen=True)
class ContractLink:
    """A page about one contract offered by a focus-area app (e.g. its training record)."""

    key: str
    title: str | Promise
    url_name: str  # takes the contract's id as `contract_id`


_CONTRACT_LINKS: dict[str, ContractLink] = {}


def register_contract_link(link: ContractLink) -> None:
    _CONTRACT_LINKS[link.key] = link


def contract_links_for(user, contract) -> list[tuple[ContractLink, str]]:
    """Links shown on a contract page: the URL must exist and its rule admit the person; the target page
    still checks the contract itself."""
    result = []
    for link in _CONTRACT_LINKS.values():
        try:
            url = reverse(link.url_name, kwargs={"contract_id": contract.pk})
        except NoReverseMatch:
            continue
        rule = permissions.rule_for(link.url_name)
        if rule is not None and rule.allows(user):
            result.append((link, url))
    return result
