"""The AEVO self-check: original practice questions along the four Handlungsfelder of AusbEignV § 2, § 3, each with
the paragraph or rule it tests and an explanation of the answer (`data/aevo_questions.json`, written for this
platform). A practice aid: it does not replace the exam of AusbEignV § 4 (a written and a practical part before
the chamber's committee), and the page says so.

`load()` reads and checks the file once per process: every field has at least MINIMUM_PER_FIELD questions, every
question four options, one answer among them, a paragraph and an explanation, and the ids are unique. A file that
fails the check is a programming error (ValueError at start-up of the page), never a half-shown test."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "aevo_questions.json"
MINIMUM_PER_FIELD = 15
OPTIONS = 4


@dataclass(frozen=True)
class Field:
    number: int
    title: str
    paragraph: str
    summary: str


@dataclass(frozen=True)
class Question:
    id: str
    field: int
    question: str
    options: tuple[str, ...]
    answer: int
    paragraph: str
    explanation: str


@dataclass(frozen=True)
class QuestionBank:
    title: str
    note: str
    fields: tuple[Field, ...]
    questions: tuple[Question, ...]

    def of_field(self, number: int) -> list[Question]:
        return [q for q in self.questions if q.field == number]

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def field(self, number: int) -> Field | None:
        return next((f for f in self.fields if f.number == number), None)


def parse(data: dict) -> QuestionBank:
    fields = tuple(Field(**entry) for entry in data["fields"])
    questions = tuple(
        Question(
            id=entry["id"],
            field=entry["field"],
            question=entry["question"],
            options=tuple(entry["options"]),
            answer=entry["answer"],
            paragraph=entry["paragraph"],
            explanation=entry["explanation"],
        )
        for entry in data["questions"]
    )
    problems = []
    if sorted(f.number for f in fields) != [1, 2, 3, 4]:
        problems.append("the four Handlungsfelder 1–4 of AusbEignV § 2")
    ids = [q.id for q in questions]
    if len(ids) != len(set(ids)):
        problems.append("unique question ids")
    for q in questions:
        if len(q.options) != OPTIONS or not 0 <= q.answer < OPTIONS or len(set(q.options)) != OPTIONS:
            problems.append(f"{q.id}: four distinct options and an answer among them")
        if not q.paragraph.strip() or not q.explanation.strip() or q.field not in {1, 2, 3, 4}:
            problems.append(f"{q.id}: a field, a paragraph and an explanation")
    for number in (1, 2, 3, 4):
        if sum(1 for q in questions if q.field == number) < MINIMUM_PER_FIELD:
            problems.append(f"at least {MINIMUM_PER_FIELD} questions in field {number}")
    if problems:
        raise ValueError("aevo_questions.json needs: " + "; ".join(problems))
    return QuestionBank(data["title"], data["note"], fields, questions)


@cache
def load() -> QuestionBank:
    return parse(json.loads(DATA_FILE.read_text(encoding="utf-8")))
