"""The result of a completed check: the profile in words and the catalogue's occupations ranked by fit.

Each suggestion carries a band instead of a percentage and an explanation in whole words: a fixed sentence
about the pupil's strongest shared interest and one whole line of the occupation's Ausbildungsberufsbild
(BBiG § 5 Abs. 1 Nr. 3) that belongs to that interest, quoted as the regulation words it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ausbildung.core.models import FrameworkPosition, ProfilePosition

from ..derive import WORD, load_lexicon
from ..models import OccupationInterestProfile
from ..riasec import DIMENSIONS, NAMES
from . import ranking
from .nearby import CertificateAsked, Nearby, usual_certificates
from .ranking import Candidate, band, diversify, rank_occupations

TOP = 15
UNEXPECTED = 2
LONGEST_POSITION = (
    110  # characters: a Berufsbild line longer than this is only quoted when nothing shorter fits
)

# One sentence per interest, in the pupil's words (du): what someone with this interest likes doing.
LIKES = {
    "R": _(
        "You like working with your hands and with tools, machines and technology (practical, technical)."
    ),
    "I": _("You like getting to the bottom of things, researching and trying things out (researching)."),
    "A": _("You like designing things and bringing in your own ideas (creative)."),
    "S": _("You like helping other people, explaining things and looking after others (social)."),
    "E": _("You like convincing others, selling and taking the lead (enterprising)."),
    "C": _(
        "You like planning, keeping things in order and working carefully with numbers and lists (organising)."
    ),
}
BANDS = {
    "very_good": _("fits very well"),
    "good": _("fits well"),
    "partly": _("fits partly"),
}


@dataclass(frozen=True)
class Match:
    name: str
    slug: str
    score: float  # profile correlation r (ranking.profile_correlation), never shown as a number
    band: str  # "very_good", "good" or "partly"
    band_label: str
    dimensions: tuple[str, ...]  # names of the interests pupil and occupation share, strongest first
    likes: str  # the pupil's strongest shared interest in a whole sentence ("" when none is shared)
    position: str  # a whole line of the occupation's Ausbildungsberufsbild that belongs to that interest
    explanation: str  # `likes` and `position` in one or two whole sentences (what the result page shows)
    unexpected: bool  # a good fit from another direction ("Maybe you had not thought of this")
    occupation_url: str
    orientation_url: str  # the occupation seen from the orientation app, "" while that page does not exist
    # Places near the pupil (check.nearby): None without a known postcode.
    offers_near: int | None = None
    internships_near: int | None = None
    near_line: str = ""  # "3 Ausbildungsplätze und 1 Praktikum im Umkreis von 25 km"
    offers_text: str = ""  # "3 Ausbildungsplätze", the link to the offer search
    internships_text: str = ""  # "1 Praktikum", the link to the internship search
    offers_url: str = ""  # the offer search, prefilled with occupation, postcode and radius
    internships_url: str = ""  # the internship search, prefilled the same way
    certificate_line: str = ""  # the certificate the platform's offers of the occupation ask for most often


def _clean_position(text: str) -> str:
    """A Berufsbild line as read: whitespace collapsed, a trailing comma/semicolon/"und" dropped."""
    text = " ".join(text.split()).strip()
    text = re.sub(r"[,;:]$|\s+(?:und|sowie|oder)$", "", text).strip()
    return text.rstrip(",;: ")


def position_for(texts: list[str], dimension: str) -> str:
    """The Berufsbild line that says most about `dimension` (lexicon words), whole and unchanged.

    The line with the most words the RIASEC lexicon assigns to the dimension wins; ties go to the
    shorter line, then to the earlier one. Lines longer than LONGEST_POSITION are only taken when no
    shorter one has a word of the dimension. "" when no line has one.
    """
    lexicon = load_lexicon()
    best: tuple[int, int, int, int] | None = None
    chosen = ""
    for index, raw in enumerate(texts):
        text = _clean_position(raw)
        if not text or lexicon.skips(text):
            continue
        hits = sum(
            1
            for word in WORD.findall(text.lower())
            if any(d == dimension for d, _stem, _weight in lexicon.matches(word.strip("-")))
        )
        if not hits:
            continue
        key = (int(len(text) > LONGEST_POSITION), -hits, len(text), index)
        if best is None or key < best:
            best, chosen = key, text
    return chosen


def _positions(occupation_ids: list[int]) -> dict[int, tuple[list[str], list[str]]]:
    """Per occupation: its Berufsbild lines and, as a fallback, its framework plan position titles."""
    texts: dict[int, tuple[list[str], list[str]]] = {pk: ([], []) for pk in occupation_ids}
    lines = ProfilePosition.objects.filter(occupation_id__in=occupation_ids).order_by(
        "occupation_id", "position", "pk"
    )
    for occupation_id, text in lines.values_list("occupation_id", "text"):
        texts[occupation_id][0].append(text)
    titles = FrameworkPosition.objects.filter(
        plan__occupation_id__in=occupation_ids, optional=False
    ).order_by("plan__occupation_id", "position", "pk")
    for occupation_id, title in titles.values_list("plan__occupation_id", "title"):
        texts[occupation_id][1].append(title)
    return texts


def explain(likes: str, position: str) -> str:
    """The "why" of a suggestion: the fixed sentence about the pupil's interest, then the quoted line."""
    if not position:
        return likes
    return f"{likes} " + _("In this training you learn, for example: “%(position)s”.") % {
        "position": position
    }


def _orientation_url(slug: str) -> str:
    try:
        return reverse("orientation:occupation", kwargs={"slug": slug})
    except NoReverseMatch:
        return ""


def offers_text(count: int) -> str:
    """ "3 Ausbildungsplätze": published offers counted (an offer with several places counts once)."""
    return ngettext("%(count)d training place", "%(count)d training places", count) % {"count": count}


def internships_text(count: int) -> str:
    return ngettext("%(count)d internship", "%(count)d internships", count) % {"count": count}


def near_line(offers: int, internships: int, radius_km: int) -> str:
    """ "3 Ausbildungsplätze und 1 Praktikum im Umkreis von 25 km"."""
    return _("%(offers)s and %(internships)s within %(km)d km") % {
        "offers": offers_text(offers),
        "internships": internships_text(internships),
        "km": radius_km,
    }


def certificate_line(asked: CertificateAsked) -> str:
    return _(
        "In offers on this platform most often asked for: %(certificate)s (%(count)d of %(total)d offers "
        "that name a certificate)"
    ) % {"certificate": asked.label, "count": asked.count, "total": asked.total}


def ranked_matches(
    scores: Mapping[str, float],
    limit: int = TOP,
    unexpected: int = UNEXPECTED,
    *,
    near: Nearby | None = None,
) -> list[Match]:
    """The suggestions: the best fits (at most two per occupation family, only "fits partly" or better),
    then up to `unexpected` good fits led by another interest, marked as such.

    With `near` (the pupil's postcode is known), occupations with offers or internships near the pupil
    come first within their band (`ranking.prefer_nearby`), and each suggestion says how many there are."""
    profiles = {
        p.occupation_id: p
        for p in OccupationInterestProfile.objects.filter(occupation__is_active=True).select_related(
            "occupation"
        )
    }
    candidates = [Candidate(p.occupation_id, p.occupation.name, p.scores) for p in profiles.values()]
    ranked = [r for r in rank_occupations(scores, candidates) if band(r.score)]
    if near is not None and near.known:
        ranked = ranking.prefer_nearby(ranked, near.occupations_with_places())
    # The "not thought of" suggestions are found against the list by fit alone and shown apart; the list
    # itself then keeps a fifth of its places for other directions (`diversify`), from the rest.
    extra = ranking.unexpected(ranked, diversify(ranked, limit, other_directions=False), limit=unexpected)
    apart = {r.occupation_id for r in extra} | {ranking.family(r.name) for r in extra}
    top = diversify([r for r in ranked if not {r.occupation_id, ranking.family(r.name)} & apart], limit)
    chosen = [(r, False) for r in top] + [(r, True) for r in extra]
    texts = _positions([r.occupation_id for r, _flag in chosen])
    certificates = usual_certificates([r.occupation_id for r, _flag in chosen]) if chosen else {}
    matches = []
    for r, is_unexpected in chosen:
        slug = profiles[r.occupation_id].occupation.slug
        lead = r.top_dimensions[0] if r.top_dimensions else ""
        key = band(r.score)
        likes = str(LIKES[lead]) if lead else ""
        position = (
            position_for(texts[r.occupation_id][0], lead) or position_for(texts[r.occupation_id][1], lead)
            if lead
            else ""
        )
        places: dict[str, Any] = {}
        if near is not None and near.known:
            n_offers = near.offers.get(r.occupation_id, 0)
            n_internships = near.internships.get(r.occupation_id, 0)
            places = {
                "offers_near": n_offers,
                "internships_near": n_internships,
                "near_line": near_line(n_offers, n_internships, near.radius_km),
                "offers_text": offers_text(n_offers),
                "internships_text": internships_text(n_internships),
                "offers_url": near.offers_url(r.occupation_id),
                "internships_url": near.internships_url(r.occupation_id),
            }
        asked = certificates.get(r.occupation_id)
        matches.append(
            Match(
                name=r.name,
                slug=slug,
                score=r.score,
                band=key,
                band_label=str(BANDS[key]),
                dimensions=tuple(str(NAMES[d]) for d in r.top_dimensions),
                likes=likes,
                position=position,
                explanation=explain(likes, position),
                unexpected=is_unexpected,
                occupation_url=reverse("core:occupation_detail", kwargs={"slug": slug}),
                orientation_url=_orientation_url(slug),
                certificate_line=certificate_line(asked) if asked else "",
                **places,
            )
        )
    return matches


def profile_rows(scores: Mapping[str, float]) -> list[dict]:
    return [
        {
            "letter": d,
            "name": str(NAMES[d]),
            "score": float(scores.get(d, 0.0)),
            "percent": round(float(scores.get(d, 0.0)) * 100),
        }
        for d in DIMENSIONS
    ]


def code_in_words(code: str) -> list[str]:
    return [str(NAMES[letter]) for letter in code if letter in NAMES]


def flat_profile(scores: Mapping[str, float]) -> bool:
    """True when no interest stands out (all six within 0.1), so the code says little."""
    values = [float(scores.get(d, 0.0)) for d in DIMENSIONS]
    return max(values) - min(values) < 0.1


def chart_data(scores: Mapping[str, float]) -> dict:
    return {
        "labels": [str(NAMES[d]) for d in DIMENSIONS],
        "values": [round(float(scores.get(d, 0.0)) * 100) for d in DIMENSIONS],
        "label": _("Your interest (0–100)"),
    }
