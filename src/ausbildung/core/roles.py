"""What each role is for, in the words its home page uses.

Young people (pupils, apprentices) are addressed informally ("du"), institutions formally ("Sie").
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Role


@dataclass(frozen=True)
class RoleText:
    informal: bool
    purpose: str | Promise
    visibility: str | Promise


ROLE_TEXTS: dict[str, RoleText] = {
    Role.PUPIL: RoleText(
        True,
        _("Here you find your way into training: your school connects you with the platform."),
        _("Your school sees your name and class. Nobody else sees your data without your consent."),
    ),
    Role.APPRENTICE: RoleText(
        True,
        _("Here you keep an eye on your training: your contract and everything that belongs to it."),
        _(
            "Your trainers, your training company and your chamber see your contract. Your vocational school "
            "sees only what it needs for school."
        ),
    ),
    Role.GUARDIAN: RoleText(
        False,
        _("As legal guardian you can follow the training of the minor you represent."),
        _("You see the contracts of the persons you represent, nothing else."),
    ),
    Role.TRAINER: RoleText(
        False,
        _("You support your apprentices: their contracts and training are gathered here."),
        _("You see the apprentices assigned to you, not those of other trainers."),
    ),
    Role.COMPANY_ADMIN: RoleText(
        False,
        _("You manage your company's training: training sites, trainers and contracts."),
        _("You see the contracts of your company."),
    ),
    Role.TEACHER: RoleText(
        False,
        _("You accompany your pupils in career orientation and on their way to training."),
        _("You see the pupils of your school, with no more detail than you need."),
    ),
    Role.VOCATIONAL_SCHOOL_TEACHER: RoleText(
        False,
        _("You teach apprentices at the vocational school (Berufsschule)."),
        _("You see the contracts of your school's students, without their date of birth."),
    ),
    Role.COUNSELLOR: RoleText(
        False,
        _("You advise young people on their choice of occupation and their way into training."),
        _("You see the young people who have consented to counselling."),
    ),
    Role.CHAMBER_OFFICER: RoleText(
        False,
        _("You look after training in your chamber's district: contracts, companies and exams."),
        _("You see the contracts registered with your chamber (BBiG § 34)."),
    ),
    Role.MONITOR: RoleText(
        False,
        _("You follow the figures of the Alliance for Initial and Further Training in your region."),
        _("You see aggregated figures only, never data of individual persons."),
    ),
    Role.PLATFORM_ADMIN: RoleText(
        False,
        _("You run the platform: organisations, people, memberships, occupations and contracts."),
        _("You see all data. Every change you make is written to the audit log."),
    ),
}
