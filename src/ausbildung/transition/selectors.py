"""Read side of the transition app: leaving cohorts, the destinations dashboard and the urgency list.

Scopes come from `transition.access` (destination_schools_for, destinations_named_for, cases_visible_to);
functions here take the querysets those return and never widen them.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, Count, F, Q, QuerySet, Value
from django.db.models.expressions import Case as SqlCase
from django.db.models.expressions import When
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from ausbildung.core.models import Organisation, TrainingContract
from ausbildung.core.schools import Certificate
from ausbildung.offers.selectors import (
    Fact,
    kreis_code_of,
    monitoring_applicant_facts,
    month_start,
    reporting_year_of,
)

from .models import Case, Consent, ConsentState, Destination, DestinationKind

OPEN = "open"  # no secured next step (the dashboard's own category beside the destination kinds)


def school_years(schools: QuerySet[Organisation]) -> list[str]:
    return sorted(
        set(Destination.objects.filter(school__in=schools).values_list("school_year", flat=True)),
        reverse=True,
    )


STATE_ORDER = [state.value for state in ConsentState]  # strongest first


def consent_states(
    *, person_ids: Iterable[int], agencies: QuerySet[Organisation], day: datetime.date
) -> dict[int, str]:
    """The consent state (`ConsentState`) of each person towards the given agencies: the strongest state of
    their consents. The dashboard and the consent page both read it here, so they tell the same story: a valid
    consent names the leaver, a pending request shows "requested" without a name, a withdrawn one neither."""
    states: dict[int, str] = {}
    consents = Consent.objects.filter(person_id__in=list(person_ids), agency__in=agencies).select_related(
        "person"
    )
    for consent in consents:
        state = consent.state_on(day)
        current = states.get(consent.person_id, ConsentState.NONE)
        if STATE_ORDER.index(state) < STATE_ORDER.index(current):
            states[consent.person_id] = state
    return states


def category(destination: Destination) -> str:
    """The dashboard category: the actual destination when it is secured, otherwise OPEN."""
    return destination.actual_kind if destination.is_secured else OPEN


def category_labels() -> list[tuple[str, str]]:
    kinds = [(k.value, str(k.label)) for k in DestinationKind if k != DestinationKind.UNKNOWN]
    return [*kinds, (OPEN, _("No secured next step"))]


@dataclass
class Row:
    label: str
    total: int = 0
    counts: Counter = field(default_factory=Counter)
    values: list[int] = field(default_factory=list)  # counts in the order of the dashboard's keys

    def cells(self, keys: list[str]) -> list[int]:
        return [self.counts[key] for key in keys]

    @property
    def open(self) -> int:
        return self.counts[OPEN]

    @property
    def open_percent(self) -> int:
        return round(100 * self.open / self.total) if self.total else 0


@dataclass
class Urgent:
    destination: Destination
    named: bool
    leaves_by_cutoff: bool
    nothing_planned: bool
    has_open_case: bool
    days_to_leaving: int
    consent_state: str = ConsentState.NONE

    @property
    def consent_label(self) -> str:
        return str(ConsentState(self.consent_state).label)


@dataclass
class Dashboard:
    school_year: str
    cutoff: datetime.date
    keys: list[str]
    labels: list[str]
    total: Row
    by_school: list[Row]
    by_certificate: list[Row]
    urgent: list[Urgent]
    chart: dict[str, Any]


def urgency_key(item: Urgent) -> tuple:
    """Most urgent first: leaving by the cut-off date, nothing planned at all, no open case yet, the
    earliest leaving date, then the name (stable). Rows without a name are not ordered by the name they hide
    (the order would tell an alphabetical position)."""
    pupil = item.destination.pupil
    return (
        not item.leaves_by_cutoff,
        not item.nothing_planned,
        item.has_open_case,
        item.destination.leaving_date,
        pupil.last_name if item.named else "",
        pupil.first_name if item.named else "",
        item.destination.pk,
    )


def dashboard(
    *,
    schools: QuerySet[Organisation],
    named: QuerySet[Destination],
    school_year: str,
    cutoff: datetime.date,
    today: datetime.date,
    certificate: str = "",
    with_list: bool = True,
    agencies: QuerySet[Organisation] | None = None,
) -> Dashboard:
    """Destinations of one leaving cohort in the given schools: figures by category, school and certificate,
    and (with_list) the leavers without a secured next step ordered by urgency. Names only for `named`;
    each listed row carries its consent state towards `agencies` (`consent_states`)."""
    destinations = list(
        Destination.objects.filter(school__in=schools, school_year=school_year)
        .select_related("school", "pupil__seeker", "contract")
        .order_by("school__name", "class_label", "pupil__last_name", "pupil__first_name", "pk")
    )
    if certificate:
        destinations = [d for d in destinations if d.certificate == certificate]
    keys = [key for key, _label in category_labels()]
    labels = [label for _key, label in category_labels()]
    total = Row(_("All schools"))
    by_school: dict[int, Row] = {}
    certificate_names = dict(Certificate.choices)
    by_certificate: dict[str, Row] = {}
    for destination in destinations:
        key = category(destination)
        for row in (
            total,
            by_school.setdefault(destination.school_id, Row(destination.school.name)),
            by_certificate.setdefault(
                destination.certificate,
                Row(str(certificate_names.get(destination.certificate, _("Not recorded")))),
            ),
        ):
            row.total += 1
            row.counts[key] += 1
    urgent: list[Urgent] = []
    if with_list:
        named_ids = set(named.filter(school_year=school_year).values_list("pk", flat=True))
        open_cases = set(
            Case.objects.filter(
                status=Case.Status.OPEN, person_id__in=[d.pupil_id for d in destinations]
            ).values_list("person_id", flat=True)
        )
        states = (
            consent_states(person_ids=[d.pupil_id for d in destinations], agencies=agencies, day=today)
            if agencies is not None
            else {}
        )
        for destination in destinations:
            if destination.is_secured:
                continue
            urgent.append(
                Urgent(
                    destination=destination,
                    named=destination.pk in named_ids,
                    leaves_by_cutoff=destination.leaving_date <= cutoff,
                    nothing_planned=not destination.planned_kind
                    or destination.planned_kind == DestinationKind.UNKNOWN,
                    has_open_case=destination.pupil_id in open_cases,
                    days_to_leaving=(destination.leaving_date - today).days,
                    consent_state=states.get(destination.pupil_id, ConsentState.NONE),
                )
            )
        urgent.sort(key=urgency_key)
    order = [value for value, _label in Certificate.choices] + [""]
    for row in (total, *by_school.values(), *by_certificate.values()):
        row.values = row.cells(keys)
    return Dashboard(
        school_year=school_year,
        cutoff=cutoff,
        keys=keys,
        labels=labels,
        total=total,
        by_school=sorted(by_school.values(), key=lambda row: row.label),
        by_certificate=[by_certificate[c] for c in order if c in by_certificate],
        urgent=urgent,
        chart={"labels": labels, "values": total.cells(keys), "label": _("Leavers")},
    )


# --- facts for the monitoring (issue #19): grouped counts, no persons ----------------------------------------
# The tuple shape and its conventions: `offers.selectors` ("facts for the monitoring"); definitions in
# docs/domain.md, "Monitoring: platform measures".

# Destinations that are an alternative to a training place while the person still looks for one (the BA's
# "Bewerber mit Alternative": school or studies, employment, voluntary service, EQ and other measures).
ALTERNATIVE_KINDS = (
    DestinationKind.FURTHER_SCHOOL,
    DestinationKind.UNIVERSITY,
    DestinationKind.EQ,
    DestinationKind.TRANSITION_MEASURE,
    DestinationKind.WORK,
    DestinationKind.VOLUNTARY_SERVICE,
)


def monitoring_destination_facts(kreise: Collection[str] | None = None) -> list[Fact]:
    """School leavers by destination, per reporting year (and month) of their leaving date, in the Kreis of
    their school ("" when the school has no Kreis): `leavers` all recorded leavers; `leavers_<kind>` for each
    `DestinationKind` by the actual destination, a leaver without an actual one under `leavers_unknown` (a plan
    is not a destination); `leavers_secured` those with a secured next step ("kein Abschluss ohne Anschluss":
    an actual destination other than unknown, a training destination linked to a contract only while that
    contract is signed or completed, as `Destination.is_secured`). Occupation None, responsibility ""."""
    kind = SqlCase(
        When(actual_kind="", then=Value(DestinationKind.UNKNOWN.value)),
        default=F("actual_kind"),
        output_field=CharField(),
    )
    unsecured_contract = Q(actual_kind=DestinationKind.TRAINING, contract__isnull=False) & ~Q(
        contract__status__in=[TrainingContract.Status.ACTIVE, TrainingContract.Status.COMPLETED]
    )
    secured = ~Q(actual_kind__in=["", DestinationKind.UNKNOWN]) & ~unsecured_contract
    leavers = Destination.objects.order_by().annotate(
        kreis=kreis_code_of("school__region"),
        year=reporting_year_of("leaving_date"),
        month=TruncMonth("leaving_date"),
        kind=kind,
    )
    if kreise is not None:
        leavers = leavers.filter(kreis__in=list(kreise))
    facts: list[Fact] = []
    for monthly in (False, True):
        keys = ["year", "kreis"] + (["month"] if monthly else [])
        for row in leavers.values(*keys).annotate(n=Count("pk"), secured=Count("pk", filter=secured)):
            when = month_start(row["month"]) if monthly else None
            facts.append(("leavers", row["year"], when, row["kreis"], None, "", row["n"]))
            if row["secured"]:
                facts.append(("leavers_secured", row["year"], when, row["kreis"], None, "", row["secured"]))
        for row in leavers.values(*keys, "kind").annotate(n=Count("pk")):
            when = month_start(row["month"]) if monthly else None
            facts.append((f"leavers_{row['kind']}", row["year"], when, row["kreis"], None, "", row["n"]))
    return sorted(facts, key=lambda fact: (fact[0], fact[1], fact[2] or datetime.date.min, fact[3]))


def monitoring_alternative_facts(kreise: Collection[str] | None = None) -> list[Fact]:
    """`applicants_alternative`: applicants still searching (`offers.selectors.monitoring_applicant_facts`,
    the same years, months and Kreise) who have a recorded actual destination of an alternative kind
    (`ALTERNATIVE_KINDS`). The offers area cannot see destinations (it lies below this one), so the measure
    is counted here, by handing the offers area the persons with an alternative."""
    with_alternative = Destination.objects.filter(actual_kind__in=ALTERNATIVE_KINDS).values("pupil_id")
    return [
        ("applicants_alternative", *fact[1:])
        for fact in monitoring_applicant_facts(kreise, applicants=with_alternative)
        if fact[0] == "applicants_searching"
    ]


# The measures of `monitoring_destination_facts` (for the monitoring app's registry).
MONITORING_DESTINATION_MEASURES = (
    "leavers",
    "leavers_secured",
    *(f"leavers_{kind}" for kind in DestinationKind.values),
)
