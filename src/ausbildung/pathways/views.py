"""The pathway pages (issue #21): where an occupation can lead, with an Aufstiegs-BAföG estimate. Public, like the
occupation explorer they belong to; nothing a person enters is stored."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ausbildung.core.models import Role, TrainingContract
from ausbildung.core.permissions import roles_of
from ausbildung.core.selectors import get_occupation

from . import afbg, forms, selectors


def occupation(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_occupation(slug)
    path = selectors.pathway_for(item)
    form = forms.EstimateForm(request.GET if "gebuehren" in request.GET else None)
    estimate = None
    if form.is_bound and form.is_valid():
        estimate = afbg.estimate(form.cleaned_data["gebuehren"], form.cleaned_data["material"] or Decimal(0))
    ladder = _ladder(item.name, path)
    return render(
        request,
        "pathways/occupation.html",
        {
            "ladder": ladder,
            "ladder_height": 8 + 52 * len(ladder),
            "occupation": item,
            "pathway": path,
            "groups": path.by_stage(),
            "stage_names": selectors.STAGE_NAMES,
            "stage_norms": selectors.STAGE_NORMS,
            "stage_hours": selectors.stage_hours(),
            "dqr_source": selectors.DQR_SOURCE,
            "form": form,
            "estimate": estimate,
            "rules": afbg.rules(),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def _ladder(training: str, path: selectors.Pathway) -> list[dict]:
    """The rungs of the picture, top to bottom: each stage with its qualifications, then the AEVO and the
    training (the current step, highlighted)."""
    labels = []
    for stage, steps in path.by_stage():
        name = selectors.STAGE_NAMES[stage] if stage else str(_("Further qualifications"))
        labels.append((f"{name}: {len(steps)}", False))
    labels.append((str(_("Trainer aptitude (AEVO)")), False))
    labels.append((training, True))
    return [
        {"label": label, "current": current, "y": 8 + 52 * index, "text_y": 8 + 52 * index + 25}
        for index, (label, current) in enumerate(labels)
    ]


def mine(request: HttpRequest) -> HttpResponse:
    """ "Wie geht es weiter?" from the apprentice's home: the pathway of their own occupation; everybody else
    chooses an occupation in the explorer."""
    if request.user.is_authenticated and Role.APPRENTICE in roles_of(request.user):
        contract = (
            TrainingContract.objects.filter(
                apprentice_id=request.user.pk, status=TrainingContract.Status.ACTIVE
            )
            .select_related("occupation")
            .order_by("-start_date")
            .first()
        )
        if contract is not None:
            return redirect("pathways:occupation", slug=contract.occupation.slug)
    return redirect("orientation:explorer")
