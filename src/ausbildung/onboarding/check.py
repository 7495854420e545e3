"""Evaluate the answers of the self-check: one point per requirement, each "met", "open" or "to clarify".

Pure functions (no database writes): the pages show the result before anything is sent, and the request
stores the same evaluation. The chamber decides; the check only prepares the conversation with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ausbildung.core import site_ratio as ratio
from ausbildung.core.models import Occupation, Organisation

from . import facts
from .models import ContentsOnSite, TrainerQualification


class Status(models.TextChoices):
    MET = "met", gettext_lazy("met")
    OPEN = "open", gettext_lazy("open")
    CLARIFY = "clarify", gettext_lazy("to be clarified")
    NOTE = "note", gettext_lazy("note")


@dataclass
class Answers:
    company: Organisation
    occupations: Sequence[Occupation]
    activity: str
    skilled_staff: int
    trainer: str
    contents: str
    asa_interest: bool

    @property
    def has_craft_occupation(self) -> bool:
        law = Occupation.RecognisedUnder
        return any(o.recognised_under in (law.HWO, law.BBIG_AND_HWO) for o in self.occupations)


@dataclass
class Point:
    key: str
    title: str | Promise
    status: str
    paragraph: str
    finding: str
    next_step: str = ""
    details: list[str] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)

    def summary(self) -> dict:
        """What the request stores: key and status (the texts are rebuilt from the answers when shown)."""
        return {"key": self.key, "status": self.status}

    def as_dict(self) -> dict:
        data = asdict(self)
        data["title"] = str(self.title)
        return data


def _site(answers: Answers) -> Point:
    paragraph = "BBiG § 27 Abs. 1 Nr. 1, Abs. 2; § 10 Abs. 5"
    if answers.has_craft_occupation:
        paragraph += "; HwO § 21"
    if answers.contents == ContentsOnSite.YES:
        status, finding, next_step = (
            Status.MET,
            _("You state that your company can teach every content of the framework plan."),
            _(
                "Note for each content of the framework plan where and by whom it is taught; the chamber's "
                "training adviser looks at the site and its equipment before the first contract."
            ),
        )
    elif answers.contents == ContentsOnSite.PARTLY:
        status, finding, next_step = (
            Status.OPEN,
            _(
                "Your company can teach part of the framework plan. The site still counts as suitable if the "
                "missing contents are taught outside it (BBiG § 27 Abs. 2)."
            ),
            _(
                "Look for partners for the missing contents: another company in a training network "
                "(Verbundausbildung, BBiG § 10 Abs. 5) or an inter-company training centre. Such measures "
                "must be named in the training contract. The chamber's training adviser knows partners."
            ),
        )
    else:
        status, finding, next_step = (
            Status.CLARIFY,
            _("You state that your company cannot teach the contents of the framework plan."),
            _(
                "Check whether another occupation fits your work better, or whether a training network could "
                "cover most of the contents (BBiG § 10 Abs. 5). Discuss this with the chamber's training "
                "adviser."
            ),
        )
    return Point("site", facts.SITE.title, status, paragraph, finding, next_step)


def _ratio(answers: Answers) -> Point:
    rule = ratio.rule()
    paragraph = "BBiG § 27 Abs. 1 Nr. 2" + ("; HwO § 21 Abs. 1 Nr. 2" if answers.has_craft_occupation else "")
    source = _("Guidance: %(source)s. The chamber applies it case by case.") % {"source": rule.source}
    if answers.skilled_staff == 0:
        status, finding, next_step = (
            Status.OPEN,
            _("Without skilled staff the guidance allows no apprentice."),
            _("Skilled staff include a suitable trainer; talk to the chamber about your situation."),
        )
    else:
        maximum = rule.max_apprentices(answers.skilled_staff)
        status, finding, next_step = (
            Status.MET,
            _("With %(staff)s skilled staff the guidance allows up to %(max)s apprentices at the same time.")
            % {"staff": answers.skilled_staff, "max": maximum},
            _("Plan your training places within this number; the chamber may allow a different number."),
        )
    return Point("ratio", facts.RATIO.title, status, paragraph, finding, next_step, [source])


def _trainer(answers: Answers) -> Point:
    paragraph = "BBiG §§ 28, 30; AEVO"
    if answers.has_craft_occupation:
        paragraph += "; HwO §§ 22, 22b"
    if answers.trainer == TrainerQualification.AEVO:
        status, finding, next_step = (
            Status.MET,
            _("A person in your company has passed the trainer aptitude exam (AEVO)."),
            _(
                "The trainer also needs the occupational qualification for the occupation (BBiG § 30 Abs. 2). "
                "Send the certificates to the chamber with the first contract."
            ),
        )
    elif answers.trainer == TrainerQualification.MEISTER:
        status, finding, next_step = (
            Status.MET,
            _(
                "A person in your company holds a master craftsman's certificate; it includes the vocational "
                "and work-related teaching skills (AEVO § 6 Abs. 2, HwO § 22b)."
            ),
            _("Send the master certificate to the chamber with the first contract."),
        )
    elif answers.trainer == TrainerQualification.EXAM_PLANNED:
        status, finding, next_step = (
            Status.OPEN,
            _(
                "Nobody in your company has passed the trainer aptitude exam yet (BBiG § 30, AEVO). Until then "
                "your company may not train on its own."
            ),
            _(
                "Register for the AEVO exam with your chamber; it offers preparation courses. Plan the start "
                "of training after the exam."
            ),
        )
    else:
        status, finding, next_step = (
            Status.OPEN,
            _(
                "Your company has no professionally suitable trainer: the vocational and work-related teaching "
                "skills (BBiG § 30, AEVO) are missing."
            ),
            _(
                "Choose a skilled employee who will take the AEVO exam, or appoint a suitable trainer "
                "(BBiG § 28 Abs. 2). The chamber advises on courses and exemptions (AEVO § 6)."
            ),
        )
    return Point("trainer", facts.PROFESSIONAL.title, status, paragraph, finding, next_step)


def _personal(answers: Answers) -> Point:
    return Point(
        "personal",
        facts.PERSONAL.title,
        Status.CLARIFY,
        "BBiG §§ 28, 29" + ("; HwO § 22a" if answers.has_craft_occupation else ""),
        _("The chamber checks the personal suitability of the company's owner and of the trainers."),
        _("Nothing to do in advance; the chamber will tell you which documents it needs."),
    )


def _support(answers: Answers) -> Point:
    if answers.asa_interest:
        status, finding, next_step = (
            Status.OPEN,
            _(
                "You are interested in Assisted Training (AsA flex): the employment agency can support "
                "apprentices with a need for support and their training company before and during the "
                "training."
            ),
            _("Contact the employer service (Arbeitgeber-Service) of your employment agency."),
        )
    else:
        status, finding, next_step = (
            Status.NOTE,
            _("If an apprentice needs support later, Assisted Training (AsA flex) can help you both."),
            "",
        )
    return Point("support", facts.ASA.title, status, "SGB III §§ 74–75a", finding, next_step)


def evaluate(answers: Answers) -> list[Point]:
    """The points of the result, in the order of the page."""
    return [_site(answers), _ratio(answers), _trainer(answers), _personal(answers), _support(answers)]


def result_summary(points: Sequence[Point]) -> list[dict]:
    return [point.summary() for point in points]
