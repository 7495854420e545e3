"""The items of the interest check (Interessencheck), item set "v1", and its pure scoring.

About the items
---------------
All 48 items were written for this project (8 per RIASEC dimension). They are our own wording of everyday
activities that pupils aged 13 to 17 know from school, home and leisure; none is taken or adapted from O*NET,
Check-U, the Explorix, the AIST or any other published interest test.

The check is an orientation aid to start a conversation about occupations, not a validated psychometric test:
the items have not been normed or checked for reliability, and the result must never be used to select or
assess anybody.

Language
--------
The items and the answer scale are German content and deliberately kept here as data, not in the gettext
catalogue: the check exists in German only for now (an English set would be a new item set, e.g. "v1-en",
written and reviewed as content). The pages around the check (headings, buttons, errors) use gettext.

Changing an item's wording or dimension needs a new item set version: stored answers refer to the keys of the
set they were given in (`InterestCheck.item_set`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..riasec import DIMENSIONS, code_of

ITEM_SET = "v1"
SCALE_MAX = 4
ITEMS_PER_STEP = 6

# Answer scale: value → German label (German content, see the module docstring).
SCALE: tuple[tuple[int, str], ...] = (
    (0, "macht mir gar keinen Spaß"),
    (1, "macht mir wenig Spaß"),
    (2, "teils, teils"),
    (3, "macht mir Spaß"),
    (4, "macht mir sehr viel Spaß"),
)


@dataclass(frozen=True)
class Item:
    key: str  # stable within an item set, e.g. "R01"
    dimension: str  # one of riasec.DIMENSIONS
    text: str  # German


def _items(dimension: str, texts: tuple[str, ...]) -> list[Item]:
    return [Item(f"{dimension}{number:02d}", dimension, text) for number, text in enumerate(texts, start=1)]


_BY_DIMENSION: dict[str, list[Item]] = {
    # Realistic: working with hands, tools, machines, materials, plants and animals, outdoors.
    "R": _items(
        "R",
        (
            "Ein Fahrrad reparieren",
            "Ein Regal nach Anleitung aufbauen",
            "Mit Bohrmaschine, Säge oder Schleifgerät arbeiten",
            "Im Garten Beete anlegen und Pflanzen pflegen",
            "Einen Motor auseinanderbauen und wieder zusammensetzen",
            "Draußen bei jedem Wetter mit anpacken",
            "Aus Holz oder Metall etwas Eigenes bauen",
            "Ein Zimmer streichen oder tapezieren",
        ),
    ),
    # Investigative: observing, researching, explaining, solving problems by thinking.
    "I": _items(
        "I",
        (
            "Herausfinden, warum ein Versuch nicht geklappt hat",
            "Im Chemieunterricht Experimente durchführen",
            "Knifflige Rätsel oder Logikaufgaben lösen",
            "Unter dem Mikroskop Pflanzenzellen untersuchen",
            "Recherchieren, wie ein Handy-Akku funktioniert",
            "Messwerte sammeln und daraus Schlüsse ziehen",
            "Ein kleines Computerprogramm schreiben, das eine Aufgabe löst",
            "Sachbücher oder Videos über Natur, Technik oder den Weltraum anschauen",
        ),
    ),
    # Artistic: designing, writing, performing, making things look or sound good.
    "A": _items(
        "A",
        (
            "Ein Plakat gestalten",
            "Eine Geschichte oder ein Gedicht schreiben",
            "Fotos machen und am Computer bearbeiten",
            "Ein Instrument spielen oder einen Song aufnehmen",
            "In einem Theaterstück mitspielen",
            "Einen Raum für eine Feier schön dekorieren",
            "Ein kurzes Video drehen und schneiden",
            "Zeichnen, malen oder ein Logo entwerfen",
        ),
    ),
    # Social: helping, caring, teaching, listening.
    "S": _items(
        "S",
        (
            "Jüngeren Schülerinnen und Schülern bei den Hausaufgaben helfen",
            "Älteren Menschen vorlesen oder mit ihnen spazieren gehen",
            "Jemandem zuhören, der gerade Sorgen hat",
            "Eine Gruppe Kinder bei einem Ausflug betreuen",
            "Bei einem Unfall Erste Hilfe leisten",
            "Neue in der Klasse willkommen heißen und ihnen alles zeigen",
            "Bei einem Streit zwischen anderen vermitteln",
            "Jemandem geduldig etwas beibringen, zum Beispiel einen Sport",
        ),
    ),
    # Enterprising: leading, convincing, selling, organising others, taking decisions.
    "E": _items(
        "E",
        (
            "Beim Schulfest einen Verkaufsstand leiten",
            "Als Klassensprecherin oder Klassensprecher die Klasse vertreten",
            "Andere von einer eigenen Idee überzeugen",
            "In einem Gruppenprojekt die Aufgaben verteilen",
            "Auf dem Flohmarkt über einen Preis verhandeln",
            "Eine Werbeaktion für einen Verein planen",
            "Vor vielen Leuten eine Rede halten",
            "Mit einer eigenen Geschäftsidee Geld verdienen",
        ),
    ),
    # Conventional: ordering, checking, keeping records, working accurately by rules.
    "C": _items(
        "C",
        (
            "Die Klassenkasse führen und genau abrechnen",
            "Ordner, Dateien oder Fotos sauber sortieren",
            "Am Computer eine Tabelle anlegen und ausfüllen",
            "Einen Text auf Rechtschreibfehler prüfen",
            "Für einen Ausflug einen genauen Zeitplan aufstellen",
            "Die Ausleihe in der Schulbibliothek verwalten",
            "Kassenzettel prüfen und ordentlich abheften",
            "Zählen und auflisten, was im Lager noch vorrätig ist",
        ),
    ),
}

# Presentation order: each screen holds one item of every dimension, the dimensions rotating from screen to
# screen, so neither a screen nor a position on it belongs to one dimension.
ITEMS: tuple[Item, ...] = tuple(
    _BY_DIMENSION[DIMENSIONS[(step + offset) % len(DIMENSIONS)]][step]
    for step in range(8)
    for offset in range(len(DIMENSIONS))
)
ITEM_KEYS: frozenset[str] = frozenset(item.key for item in ITEMS)
STEPS = len(ITEMS) // ITEMS_PER_STEP


def step_items(step: int) -> tuple[Item, ...]:
    """The items of a screen, numbered from 1."""
    if not 1 <= step <= STEPS:
        raise ValueError(f"step {step} out of 1..{STEPS}")
    start = (step - 1) * ITEMS_PER_STEP
    return ITEMS[start : start + ITEMS_PER_STEP]


def valid_answer(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= SCALE_MAX


def missing(answers: Mapping[str, object]) -> list[str]:
    """The keys of the items without a valid answer, in presentation order."""
    return [item.key for item in ITEMS if not valid_answer(answers.get(item.key))]


def first_open_step(answers: Mapping[str, object]) -> int:
    """The screen to resume at: the first with an unanswered item (the last screen when all are answered)."""
    open_keys = set(missing(answers))
    for step in range(1, STEPS + 1):
        if any(item.key in open_keys for item in step_items(step)):
            return step
    return STEPS


def score(answers: Mapping[str, object]) -> dict[str, float]:
    """Six scores 0..1: per dimension the mean of its items' answers divided by the top of the scale.

    Pure; unanswered or invalid answers are left out of the mean (a completed check has all of them).
    """
    result = {}
    for dimension in DIMENSIONS:
        values = [
            int(answers[item.key])  # type: ignore[call-overload]
            for item in _BY_DIMENSION[dimension]
            if valid_answer(answers.get(item.key))
        ]
        result[dimension] = round(sum(values) / (len(values) * SCALE_MAX), 4) if values else 0.0
    return result


def profile_code(scores: Mapping[str, float]) -> str:
    return code_of(dict(scores))
