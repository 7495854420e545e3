"""The AEVO self-check (issue #21): the question bank holds at least 15 original questions per field of action
(AusbEignV § 2, § 3), every question cites a paragraph that exists in the shipped law texts, and the pages walk a
person through one field with right and wrong answers explained."""

from __future__ import annotations

import copy
import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from ausbildung.staff import aevo, selectors
from ausbildung.staff.models import SelfCheckAnswer

LAWS = Path(settings.BASE_DIR) / "data" / "gesetze" / "gesetze"
LAW_FILES = {
    "BBiG": "bbig_2005.md",
    "JArbSchG": "jarbschg.md",
    "AusbEignV": "ausbeignv_2009.md",
    "HwO": "hwo.md",
    "ArbZG": "arbzg.md",
    "AFBG": "afbg.md",
    "SGB III": "sgb_3.md",
}
CITATION = re.compile(
    r"(?:(BBiG|JArbSchG|AusbEignV|HwO|ArbZG|AFBG|SGB III)\s+)?§§?\s*(\d+[a-z]?)(?:\s+Abs\.\s*(\d+))?"
)


def text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def sections(law: str) -> dict[str, str]:
    """The law's sections by number ("20", "22b"), each with its text."""
    content = (LAWS / LAW_FILES[law]).read_text(encoding="utf-8")
    parts = re.split(r"^#+ § (\d+[a-z]?)\b.*$", content, flags=re.MULTILINE)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def test_the_bank_has_enough_questions_per_field_and_is_well_formed():
    bank = aevo.load()
    assert [f.number for f in bank.fields] == [1, 2, 3, 4]
    for number in (1, 2, 3, 4):
        assert len(bank.of_field(number)) >= aevo.MINIMUM_PER_FIELD
    answers = [q.answer for q in bank.questions]
    assert len(set(answers)) == 4  # the right answer is not always in the same place
    assert "Prüfung" in bank.note  # it says that it does not replace the exam


def test_every_cited_paragraph_exists_in_the_shipped_law():
    """Checked against data/gesetze/gesetze/: the section, and the Absatz where one is cited."""
    by_law = {law: sections(law) for law in LAW_FILES}
    missing = []
    for question in aevo.load().questions:
        law = None
        found_any = False
        for named, number, absatz in CITATION.findall(question.paragraph):
            law = named or law
            if law is None:
                continue
            found_any = True
            body = by_law[law].get(number)
            if body is None:
                missing.append(f"{question.id}: {law} § {number}")
            elif absatz and f"({absatz})" not in body:
                missing.append(f"{question.id}: {law} § {number} Abs. {absatz}")
        if not found_any:
            missing.append(f"{question.id}: no paragraph of a shipped law in {question.paragraph!r}")
    assert missing == []


def test_a_bank_that_breaks_the_rules_is_refused():
    data = {
        "title": "t",
        "note": "n",
        "fields": [{"number": n, "title": "f", "paragraph": "p", "summary": "s"} for n in (1, 2, 3, 4)],
        "questions": [
            {
                "id": f"q{f}-{i}",
                "field": f,
                "question": "?",
                "options": ["a", "b", "c", "d"],
                "answer": i % 4,
                "paragraph": "BBiG § 20",
                "explanation": "e",
            }
            for f in (1, 2, 3, 4)
            for i in range(15)
        ],
    }
    assert len(aevo.parse(data).questions) == 60
    for breaking, message in [
        (lambda d: d["questions"].pop(), "at least 15"),
        (lambda d: d["questions"][0]["options"].pop(), "four distinct options"),
        (lambda d: d["questions"][1].update(answer=4), "four distinct options"),
        (lambda d: d["questions"][2].update(id="q1-0"), "unique question ids"),
        (lambda d: d["questions"][3].update(explanation=" "), "an explanation"),
    ]:
        broken = copy.deepcopy(data)
        breaking(broken)
        with pytest.raises(ValueError, match=message):
            aevo.parse(broken)


def test_one_field_question_by_question(client_for, demo):
    bank = aevo.load()
    first = bank.of_field(1)[0]
    wrong = (first.answer + 1) % 4
    trainer = client_for("trainer")
    url = reverse("staff:self_check_field") + "?feld=1"
    page = text(trainer.get(url))
    assert first.question in page and f"0 von {len(bank.of_field(1))}" in page
    response = trainer.post(url, {"frage": first.id, "antwort": wrong})
    page = text(response)
    assert response.status_code == 200 and "Nicht ganz" in page
    assert first.explanation in page and first.paragraph in page
    # not answered right yet: it comes again
    assert first.question in text(trainer.get(url))
    page = text(trainer.post(url, {"frage": first.id, "antwort": first.answer}))
    assert "Richtig" in page and f"1 von {len(bank.of_field(1))}" in page
    assert bank.of_field(1)[1].question in text(trainer.get(url))
    progress = {row.field.number: row for row in selectors.self_check_progress(demo["ausbilder"])}
    assert (progress[1].correct, progress[1].answered, progress[2].answered) == (1, 1, 0)
    # the practice is the person's own: another person starts from nothing
    other = {row.field.number: row for row in selectors.self_check_progress(demo["betrieb"])}
    assert other[1].answered == 0


def test_bad_answers_are_refused_without_a_trace(client_for, demo):
    bank = aevo.load()
    trainer = client_for("apprentice")
    url = reverse("staff:self_check_field") + "?feld=1"
    first, other_field = bank.of_field(1)[0], bank.of_field(2)[0]
    response = trainer.post(url, {"frage": first.id})
    assert response.status_code == 400 and "Bitte wählen Sie eine der Antworten" in text(response)
    assert trainer.post(url, {"frage": first.id, "antwort": "7"}).status_code == 400
    assert trainer.post(url, {"frage": other_field.id, "antwort": "0"}).status_code == 404
    assert trainer.post(url, {"frage": "hf9-99", "antwort": "0"}).status_code == 404
    assert trainer.get(reverse("staff:self_check_field") + "?feld=5").status_code == 404
    assert trainer.get(reverse("staff:self_check_field") + "?feld=eins").status_code == 404
    assert not SelfCheckAnswer.objects.filter(person=demo["azubi"]).exists()


def test_the_overview_names_the_four_fields_and_that_it_is_not_the_exam(client_for, demo):
    page = text(client_for("company_admin").get(reverse("staff:self_check")))
    for field in aevo.load().fields:
        assert field.title in page
    assert "AusbEignV § 4" in page
