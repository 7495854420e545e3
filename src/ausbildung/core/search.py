"""Normalised text for searching the occupation catalogue without a search engine.

Works the same on SQLite and PostgreSQL: both the stored `search_text` and the query are lower case with
umlauts spelled out (ä → ae, ß → ss), so "Buero" finds "Büro" and "Büro" finds "Buero".
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from django.conf import settings

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_NON_WORD = re.compile(r"[^\w]+")


def normalise(text: str) -> str:
    return " ".join(_NON_WORD.sub(" ", text.lower().translate(_UMLAUTS)).split())


def query_words(query: str, limit: int = 8) -> list[str]:
    return normalise(query).split()[:limit]


@cache
def aliases() -> dict[str, list[str]]:
    path = Path(settings.BASE_DIR) / "data" / "occupation_aliases.json"
    return json.loads(path.read_text(encoding="utf-8"))["aliases"]


def occupation_search_text(*, slug: str, names: list[str], jurabk: str, specialisations: list[str]) -> str:
    parts = [*names, jurabk, *specialisations, *aliases().get(slug, [])]
    return normalise(" ".join(part for part in parts if part))
