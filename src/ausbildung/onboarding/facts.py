"""The rules a company must meet to train, each with its paragraph (texts in data/gesetze/gesetze/)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Fact:
    key: str
    paragraph: str  # the citation as printed (German legal citation style)
    title: str | Promise
    text: str | Promise


SITE = Fact(
    "site",
    "BBiG § 27 Abs. 1 Nr. 1, Abs. 2 (HwO § 21)",
    _("Suitable training site"),
    _(
        "The training site must be suitable by type and equipment for the training. A site that cannot teach "
        "every content of the training regulation in full still counts as suitable if the missing contents are "
        "taught by measures outside it."
    ),
)
RATIO = Fact(
    "ratio",
    "BBiG § 27 Abs. 1 Nr. 2 (HwO § 21 Abs. 1 Nr. 2)",
    _("Apprentices in proportion to skilled staff"),
    _(
        "The number of apprentices must be in a reasonable proportion to the number of training places or of "
        "skilled staff employed, unless the training is not endangered otherwise."
    ),
)
WHO_TRAINS = Fact(
    "who_trains",
    "BBiG § 28 (HwO § 22)",
    _("Who may hire and who may train"),
    _(
        "Only a personally suitable person may hire apprentices; only a personally and professionally "
        "suitable person may train them. Whoever is not professionally suitable, or does not train in person, "
        "must appoint a suitable trainer who teaches the contents directly, responsibly and to a substantial "
        "extent."
    ),
)
PERSONAL = Fact(
    "personal",
    "BBiG § 29 (HwO § 22a)",
    _("Personal suitability"),
    _(
        "Not personally suitable is in particular whoever may not employ children and young people, or has "
        "repeatedly or seriously broken the Vocational Training Act or the rules made under it."
    ),
)
PROFESSIONAL = Fact(
    "professional",
    "BBiG § 30, AusbEignV (AEVO)",
    _("Professional suitability"),
    _(
        "Professionally suitable is whoever has the occupational skills (e.g. a final examination in a "
        "matching field and an appropriate time of practice) and the vocational and work-related teaching "
        "skills. The latter are shown by the trainer aptitude exam under the Ausbilder-Eignungsverordnung "
        "(AEVO), or by a master craftsman's or another further-training exam that includes them (AEVO § 6)."
    ),
)
CRAFTS = Fact(
    "crafts",
    "HwO §§ 21–22b",
    _("Crafts"),
    _(
        "In a craft requiring a licence, a trainer is professionally suitable with the master craftsman's "
        "exam in that craft or a related one, or with the right to run it and part IV of the master exam or "
        "the AEVO exam (HwO § 22b Abs. 2). The Handwerkskammer is the competent body."
    ),
)
NETWORK = Fact(
    "network",
    "BBiG § 10 Abs. 5",
    _("Training in a network (Verbundausbildung)"),
    _(
        "Several companies may work together in a training network to fulfil the duties of the training "
        "company, as long as it is clear who is responsible for each part of the training and for the "
        "training as a whole."
    ),
)
ASA = Fact(
    "asa",
    "SGB III §§ 74–75a",
    _("Assisted Training (AsA flex)"),
    _(
        "The employment agency can support young people with a need for support and their training "
        "companies before and during a company-based training through Assisted Training: e.g. help with "
        "learning and with administration and organisation for the company. It is a discretionary benefit "
        "of the Bundesagentur für Arbeit, carried out by an education provider."
    ),
)

FACTS: tuple[Fact, ...] = (SITE, RATIO, WHO_TRAINS, PERSONAL, PROFESSIONAL, CRAFTS, NETWORK, ASA)
