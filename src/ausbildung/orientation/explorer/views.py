"""Pages of the occupation explorer (Berufe entdecken): list with filters, occupation page, comparison, save.

Page access: `orientation.access.RULES` (list, occupation and comparison public; saving for pupils).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ausbildung.core import permissions
from ausbildung.core.selectors import get_occupation
from ausbildung.core.types import AuthenticatedRequest

from ..riasec import DIMENSIONS, NAMES
from . import selectors, services

PAGE_SIZE = 25
COMPARE_MIN, COMPARE_MAX = 2, 3


def _is_pupil(request: HttpRequest) -> bool:
    return "pupil" in permissions.roles_of(request.user)


def explorer(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    letters = selectors.clean_letters(request.GET.getlist("interesse"))[:3]
    area = request.GET.get("bereich", "")
    area = area if area in selectors.AREAS else ""
    certificate = request.GET.get("abschluss", "")
    certificate = certificate if certificate in dict(selectors.certificate_choices()) else ""
    occupations = selectors.explorer_search(query=query, letters=letters, area=area, certificate=certificate)
    page = Paginator(occupations, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query,
        "letters": letters,
        "area": area,
        "certificate": certificate,
        "certificates": selectors.certificate_choices(),
        "dimensions": [(d, NAMES[d]) for d in DIMENSIONS],
        "compare_error": request.GET.get("vergleich") == "zu-wenig",
    }
    return render(request, "orientation/explorer/list.html", context)


def occupation(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_occupation(slug)
    profile = selectors.profile_of(item)
    names = {d: str(NAMES[d]) for d in DIMENSIONS}
    evidence = profile.evidence if profile else {}
    learn_groups = selectors.what_you_learn(item)
    context = {
        "occupation": item,
        "profile": profile,
        "score_rows": [
            (d, names[d], round((profile.scores[d] if profile else 0) * 100), evidence.get(d, []))
            for d in DIMENSIONS
        ],
        "chart": selectors.chart_data(profile, _("Share in per cent"), names),
        "learn_groups": learn_groups,
        "specialisations": selectors.specialisations_of(item, learn_groups),
        "known_figures": selectors.known_figures(selectors.figures_for(item)),
        "follow_ups": selectors.follow_ups_for(item),
        "class_follow_ups": selectors.class_follow_ups_for(item),
        "pay_context": selectors.pay_context(),
        "minimum_pay": selectors.minimum_pay_now(),
        "nearby": selectors.nearby(item, request.user),
        "near_km": selectors.NEAR_KM,
        "is_pupil": _is_pupil(request),
        "is_saved": item.pk in selectors.saved_ids(request.user),
    }
    return render(request, "orientation/explorer/occupation.html", context)


def compare(request: HttpRequest) -> HttpResponse:
    slugs = list(dict.fromkeys(s for s in request.GET.getlist("beruf") if s))
    if not COMPARE_MIN <= len(slugs) <= COMPARE_MAX:
        messages.error(request, _("Choose two or three occupations to compare."))
        return redirect(f"{_explorer_url()}?vergleich=zu-wenig")
    names = {d: str(NAMES[d]) for d in DIMENSIONS}
    items = [get_occupation(slug) for slug in slugs]
    catalogue = selectors.catalogue_names(*items)
    columns: list[dict[str, Any]] = []
    for item in items:
        profile = selectors.profile_of(item)
        columns.append(
            {
                "occupation": item,
                "profile": profile,
                "scores": [round((profile.scores[d] if profile else 0) * 100) for d in DIMENSIONS],
                "lines": selectors.core_lines(item)[: selectors.COMPARE_LINES],
                "figures": selectors.figures_for(item),
                "follow_ups": selectors.follow_ups_for(item, catalogue),
            }
        )
    # Rows that would read "unknown" in every column are left out (a figure without a source is never shown).
    has_profile = any(column["profile"] and column["profile"].code for column in columns)
    rows = (
        [(d, names[d], [column["scores"][i] for column in columns]) for i, d in enumerate(DIMENSIONS)]
        if has_profile
        else []
    )
    figure_keys = selectors.known_figure_keys(*(column["figures"] for column in columns))
    for column in columns:
        column["figure_cells"] = [(key, column["figures"][key]) for key in figure_keys]
    context = {
        "columns": columns,
        "score_rows": rows,
        "has_profile": has_profile,
        "has_duration": any(column["occupation"].duration_months for column in columns),
        "has_lines": any(column["lines"] for column in columns),
        "has_follow_ups": any(column["follow_ups"] for column in columns),
        "figure_keys": figure_keys,
        "minimum_pay": selectors.minimum_pay_now(),
    }
    return render(request, "orientation/explorer/compare.html", context)


def _explorer_url() -> str:
    from django.urls import reverse

    return reverse("orientation:explorer")


@require_POST
def save_occupation(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    item = get_occupation(slug)
    if services.occupation_save(user=request.user, occupation=item):
        messages.success(request, _("Saved to your occupations."))
    else:
        messages.info(request, _("You have saved this occupation already."))
    return redirect("orientation:occupation", slug=item.slug)
