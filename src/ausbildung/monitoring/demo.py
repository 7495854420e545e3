"""The demo region's past, for the monitoring pages (#19): enough synthetic history that every chart and table
of the Saarland demo region shows something after small-cell suppression (`indicators.MINIMUM_COUNT`).

What is made, with dates relative to the day the demo is loaded (`timezone.localdate()`), over the current
reporting year and the four before it (1 October – 30 September):

- 24 training companies "… (Statistik-Demo)", four in each Kreis of the Saarland (10041–10046): two craft
  businesses (competent body: the demo HWK) and two in industry and trade (the demo IHK), each training in two
  or three occupations, with one training site and one trainer;
- about 100 training contracts concluded per complete reporting year (fewer in the current one), about a
  quarter dissolved (BBiG § 22), a third of those in the probation period (BBiG § 20); about 45 % of the
  apprentices whose contract was dissolved begin another one within 3, 6 or 12 months (re-entry);
- the companies' offers of the last three reporting years, filled by those contracts or left unfilled; the
  current year's offers are published (offers.demo.bulk_history);
- applicants with their applications: placed (the contract's apprentice, accepted), still searching,
  unplaced, and with an alternative (a school, EQ or measure) while still applying;
- six schools' leaving cohorts of the last three school years with their destinations (transition.demo);
- a published clearing round of each demo chamber in September of the last complete reporting year, with the
  unfilled places and the applicants left without a place, most of them placed (transition.clearing.demo);
- the record books of some current apprentices for the last weeks: signed, submitted (some late), left as
  draft or not written, with a few weeks above the limits of ArbZG § 3 and JArbSchG § 8 (records.demo).

Every person here is synthetic and marked: usernames begin with ``statistik-``, the account is inactive and has
no usable password and no e-mail address, so nobody can ever sign in as one of them or be written to. The
organisations' names end with "(Statistik-Demo)". Names of people are "Statistik-Demo" with a number.

Deterministic (``random.Random(SEED)`` and the day it is loaded) and idempotent: nothing is added once the
companies exist. Written with ``bulk_create``; loaded by ``ausbildung demo`` (the history loaders, not the
test suite's demo fixture). Each area's rows are written by that area's own demo module.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from ausbildung.core import chambers
from ausbildung.core.demo import DATA_DIR, backdate, synthetic_users
from ausbildung.core.models import (
    ContractTrainer,
    Membership,
    Occupation,
    Organisation,
    Region,
    Role,
    TrainingContract,
    TrainingSite,
    User,
)
from ausbildung.core.services import add_months, contract_validate, training_end
from ausbildung.offers import demo as offers_demo
from ausbildung.records import demo as records_demo
from ausbildung.transition import demo as transition_demo
from ausbildung.transition.clearing import demo as clearing_demo

from . import indicators

SEED = 19
NAME_SUFFIX = "(Statistik-Demo)"

# The Kreise of the demo region with one town each: (AGS, town, postcode, latitude, longitude).
TOWNS = [
    ("10041", "Saarbrücken", "66111", 49.2354, 6.9969),
    ("10042", "Merzig", "66663", 49.4433, 6.6375),
    ("10043", "Neunkirchen", "66538", 49.3497, 7.1797),
    ("10044", "Saarlouis", "66740", 49.3135, 6.7516),
    ("10045", "Homburg", "66424", 49.3264, 7.3386),
    ("10046", "St. Wendel", "66606", 49.4664, 7.1683),
]

# Occupations of the history (regulation files in data/gesetze/ausbildung/), by the chamber kind of the company
# that trains in them. The first three are the demo's own (core.demo.DEMO_REGULATIONS).
CRAFT_REGULATIONS = ["tischlausbv_2006.md", "kfzmechaausbv_2013.md", "elekausbv_2021.md", "shkamausbv.md"]
TRADE_REGULATIONS = ["fiausbv.md", "bueromkfausbv.md", "indkfmausbv_2002.md", "kochausbv_1998.md"]

# Complete reporting years before the current one: the layer model of the last complete calendar year needs the
# contracts begun in it and the three years before it.
COMPLETE_YEARS = 5
CONTRACTS_PER_YEAR = 100
DISSOLVED_SHARE = 0.25
IN_PROBATION_SHARE = 0.35
REENTRY_SHARE = 0.45
PROBATION_MONTHS = [1, 2, 3, 3, 3, 4, 4, 4, 4, 4]  # BBiG § 20: one to four months
# Share of a complete year's contracts concluded in each month, October first (most in spring and summer).
CONCLUSION_WEIGHTS = [2, 2, 2, 3, 5, 7, 9, 11, 14, 17, 18, 10]


@dataclass
class PlannedContract:
    apprentice: int  # index into the planned people
    company: int  # index into the planned companies
    occupation: Occupation
    concluded_on: datetime.date
    start_date: datetime.date
    probation_months: int
    dissolved_on: datetime.date | None = None
    reentry: bool = False
    contract: TrainingContract | None = field(default=None, repr=False)


@dataclass
class PlannedCompany:
    name: str
    kreis: str
    town: tuple[str, str, str, float, float]
    craft: bool
    occupations: list[Occupation]
    organisation: Organisation | None = None
    site: TrainingSite | None = None
    trainer: User | None = None


def ensure_occupations() -> dict[str, list[Occupation]]:
    """The history's occupations, imported from their regulations unless they are in the catalogue already."""
    from ausbildung.core.regulations.importer import base_slug, import_files

    wanted = CRAFT_REGULATIONS + TRADE_REGULATIONS
    ready = set(Occupation.objects.exclude(recognised_under="").values_list("slug", flat=True))
    missing = [name for name in wanted if base_slug(Path(name).stem) not in ready]
    if missing:
        import_files([DATA_DIR / "gesetze" / "ausbildung" / name for name in missing], actor=None)
    by_slug = {o.slug: o for o in Occupation.objects.filter(duration_months__isnull=False)}
    result: dict[str, list[Occupation]] = {"craft": [], "trade": []}
    for key, names in (("craft", CRAFT_REGULATIONS), ("trade", TRADE_REGULATIONS)):
        for name in names:
            occupation = by_slug.get(base_slug(Path(name).stem))
            if occupation is not None:
                result[key].append(occupation)
    return result


def _aware(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _start_after(concluded: datetime.date, rng: random.Random) -> datetime.date:
    """The training's start for a contract concluded on `concluded`: 1 August (some 1 September) after it, or
    1 February for some concluded in autumn (a start in the course of the year); at least a week later."""
    year = concluded.year + (1 if concluded.month >= 10 else 0)
    if concluded.month in (10, 11, 12) and rng.random() < 0.25:
        start = datetime.date(year, 2, 1)
    else:
        start = datetime.date(year, 9 if rng.random() < 0.2 else 8, 1)
    while start - concluded < datetime.timedelta(days=7):
        start = add_months(start, 1)
    return start


def _conclusion_day(year: int, rng: random.Random, last: datetime.date) -> datetime.date | None:
    first, end = indicators.reporting_year_window(year)
    month_index = rng.choices(range(12), weights=CONCLUSION_WEIGHTS)[0]
    month_first = add_months(first, month_index)
    day = month_first + datetime.timedelta(days=rng.randrange(28))
    return day if day <= min(end, last) else None


def plan(today: datetime.date, occupations: dict[str, list[Occupation]]):
    """The companies, people and contracts of the history (pure apart from the occupations given)."""
    rng = random.Random(SEED)  # noqa: S311 - invented demo data, no secret
    companies: list[PlannedCompany] = []
    for town in TOWNS:
        for number, craft in enumerate((True, True, False, False), start=1):
            pool = occupations["craft" if craft else "trade"]
            chosen = rng.sample(pool, k=min(len(pool), rng.choice((2, 3))))
            kind = "Handwerksbetrieb" if craft else "Unternehmen"
            companies.append(
                PlannedCompany(
                    name=f"{kind} {town[1]} {number} {NAME_SUFFIX}",
                    kreis=town[0],
                    town=town,
                    craft=craft,
                    occupations=chosen,
                )
            )
    current = indicators.reporting_year(today)
    contracts: list[PlannedContract] = []
    people = 0
    for year in range(current - COMPLETE_YEARS, current + 1):
        count = CONTRACTS_PER_YEAR if year >= current - 3 else CONTRACTS_PER_YEAR * 3 // 5
        for _ in range(count):
            concluded = _conclusion_day(year, rng, today)
            if concluded is None:
                continue
            company_index = rng.randrange(len(companies))
            occupation = rng.choice(companies[company_index].occupations)
            contracts.append(
                PlannedContract(
                    apprentice=people,
                    company=company_index,
                    occupation=occupation,
                    concluded_on=concluded,
                    start_date=_start_after(concluded, rng),
                    probation_months=rng.choice(PROBATION_MONTHS),
                )
            )
            people += 1
    reentries: list[PlannedContract] = []
    for planned in contracts:
        if rng.random() >= DISSOLVED_SHARE:
            continue
        probation_end = add_months(planned.start_date, planned.probation_months) - datetime.timedelta(days=1)
        end = training_end(planned.start_date, planned.occupation.duration_months or 36)
        if rng.random() < IN_PROBATION_SHARE:
            dissolved = planned.start_date + datetime.timedelta(
                days=rng.randrange(7, (probation_end - planned.start_date).days + 1)
            )
        else:
            dissolved = probation_end + datetime.timedelta(days=rng.randrange(1, 600))
        if dissolved >= end - datetime.timedelta(days=30) or dissolved >= today:
            continue
        planned.dissolved_on = dissolved
        if rng.random() >= REENTRY_SHARE:
            continue
        gap = rng.choice(((14, 85), (14, 85), (95, 175), (190, 350)))
        start = dissolved + datetime.timedelta(days=rng.randrange(*gap))
        start = start.replace(day=1) + datetime.timedelta(days=31)
        start = start.replace(day=1)  # trainings begin on the first of a month
        concluded = max(
            dissolved + datetime.timedelta(days=3), start - datetime.timedelta(days=rng.randrange(7, 45))
        )
        if concluded > today:
            continue
        company_index = rng.randrange(len(companies))
        reentries.append(
            PlannedContract(
                apprentice=planned.apprentice,
                company=company_index,
                occupation=rng.choice(companies[company_index].occupations),
                concluded_on=concluded,
                start_date=start,
                probation_months=rng.choice(PROBATION_MONTHS),
                reentry=True,
            )
        )
    # Date of birth per person: 16 to 21 at the start of the first contract, some still minors (JArbSchG).
    first_start: dict[int, datetime.date] = {}
    for planned in contracts:
        first_start.setdefault(planned.apprentice, planned.start_date)
    births = {
        person: start - datetime.timedelta(days=rng.randrange(16 * 365 + 30, 21 * 365))
        for person, start in first_start.items()
    }
    return companies, contracts + reentries, births, rng


def _write_companies(companies: list[PlannedCompany], regions: dict[str, Region], rng: random.Random) -> None:
    now = timezone.now()
    organisations = [
        Organisation(
            kind=Organisation.Kind.COMPANY,
            name=planned.name,
            street=f"Industriestraße {index + 1}",
            postcode=planned.town[2],
            city=planned.town[1],
            region=regions[planned.kreis],
            latitude=planned.town[3],
            longitude=planned.town[4],
            verified_at=now,
            verification=Organisation.Verification.DOCUMENTED,
        )
        for index, planned in enumerate(companies)
    ]
    Organisation.objects.bulk_create(organisations)
    by_name = {o.name: o for o in Organisation.objects.filter(name__endswith=NAME_SUFFIX)}
    sites = []
    for planned in companies:
        planned.organisation = by_name[planned.name]
        sites.append(
            TrainingSite(
                company=planned.organisation,
                name=f"Betrieb {planned.town[1]}",
                street=planned.organisation.street,
                postcode=planned.organisation.postcode,
                city=planned.organisation.city,
                region=planned.organisation.region,
                latitude=planned.organisation.latitude,
                longitude=planned.organisation.longitude,
            )
        )
    TrainingSite.objects.bulk_create(sites)
    by_company = {s.company_id: s for s in TrainingSite.objects.filter(company__name__endswith=NAME_SUFFIX)}
    trainers = synthetic_users("ausbilder", len(companies), rng)
    memberships = []
    for planned, trainer in zip(companies, trainers, strict=True):
        planned.site = by_company[by_name[planned.name].pk]
        planned.trainer = trainer
        memberships.append(Membership(user=trainer, organisation=planned.organisation, role=Role.TRAINER))
    Membership.objects.bulk_create(memberships)


def _chamber(planned: PlannedContract, company: PlannedCompany, chambers_by_kind: dict[str, Organisation]):
    kind = Organisation.ChamberKind.HWK if company.craft else Organisation.ChamberKind.IHK
    chamber = chambers_by_kind[kind]
    if not chambers.chamber_covers(chamber, planned.occupation):
        chamber = chambers_by_kind[Organisation.ChamberKind.HWK]
    return chamber


def _write_contracts(
    contracts: list[PlannedContract],
    companies: list[PlannedCompany],
    apprentices: list[User],
    chambers_by_kind: dict[str, Organisation],
    today: datetime.date,
) -> None:
    rows = []
    for number, planned in enumerate(contracts):
        company = companies[planned.company]
        if company.organisation is None or company.site is None:
            raise RuntimeError("The history's companies are written before their contracts.")
        start = planned.start_date
        end = training_end(start, planned.occupation.duration_months or 36)
        probation_end = add_months(start, planned.probation_months) - datetime.timedelta(days=1)
        chamber = _chamber(planned, company, chambers_by_kind)
        contract_validate(
            company=company.organisation,
            site=company.site,
            occupation=planned.occupation,
            specialisation=None,
            chamber=chamber,
            vocational_school=None,
            start_date=start,
            end_date=end,
            probation_end=probation_end,
        )
        if planned.dissolved_on is not None:
            status = TrainingContract.Status.DISSOLVED
        elif end < today:
            status = TrainingContract.Status.COMPLETED
        else:
            status = TrainingContract.Status.ACTIVE
        rows.append(
            TrainingContract(
                apprentice=apprentices[planned.apprentice],
                company=company.organisation,
                site=company.site,
                occupation=planned.occupation,
                chamber=chamber,
                start_date=start,
                end_date=end,
                probation_end=probation_end,
                chamber_registration_number=f"STAT-{planned.concluded_on.year}-{number:05d}",
                record_form=TrainingContract.RecordForm.WEEKLY,
                weekly_hours=Decimal(40 if company.craft else 39),
                status=status,
                dissolved_on=planned.dissolved_on,
            )
        )
    TrainingContract.objects.bulk_create(rows)
    created = list(
        TrainingContract.objects.filter(chamber_registration_number__startswith="STAT-").order_by("pk")
    )
    by_number = {c.chamber_registration_number: c for c in created}
    links = []
    stamps = []
    for number, planned in enumerate(contracts):
        contract = by_number[f"STAT-{planned.concluded_on.year}-{number:05d}"]
        planned.contract = contract
        # The platform keeps no conclusion date of its own: the day the contract was entered stands for it
        # (monitoring.selectors.contracts_concluded).
        contract.created_at = _aware(planned.concluded_on)
        contract.updated_at = _aware(planned.dissolved_on or planned.concluded_on, 11)
        stamps.append((contract.pk, {"created_at": contract.created_at, "updated_at": contract.updated_at}))
        company = companies[planned.company]
        links.append(
            ContractTrainer(contract=contract, trainer=company.trainer, kind=ContractTrainer.Kind.MAIN)
        )
    backdate(TrainingContract, stamps)
    ContractTrainer.objects.bulk_create(links)


def _schools(regions: dict[str, Region]) -> list[Organisation]:
    """One general school per Kreis, whose leaving cohorts make the destinations."""
    schools = [
        Organisation(
            kind=Organisation.Kind.SCHOOL,
            name=f"Gemeinschaftsschule {town} {NAME_SUFFIX}",
            street="Schulstraße 1",
            postcode=postcode,
            city=town,
            region=regions[code],
            latitude=lat,
            longitude=lon,
        )
        for code, town, postcode, lat, lon in TOWNS
    ]
    Organisation.objects.bulk_create(schools)
    return schools


@transaction.atomic
def load_history(organisations: dict[str, Organisation], users: dict[str, User]) -> None:
    """Write the demo region's history (see the module docstring); nothing when it is there already."""
    if Organisation.objects.filter(name__endswith=NAME_SUFFIX).exists():
        return
    ihk, hwk = organisations.get("ihk"), organisations.get("hwk")
    if ihk is None or hwk is None:
        return
    today = timezone.localdate()
    occupations = ensure_occupations()
    if not occupations["craft"] or not occupations["trade"]:
        return
    companies, contracts, births, rng = plan(today, occupations)
    regions = {r.code: r for r in Region.objects.filter(code__in=[town[0] for town in TOWNS])}
    chambers_by_kind: dict[str, Organisation] = {
        Organisation.ChamberKind.IHK: ihk,
        Organisation.ChamberKind.HWK: hwk,
    }
    _write_companies(companies, regions, rng)
    apprentices = synthetic_users("azubi", len(births), rng, births)
    _write_contracts(contracts, companies, apprentices, chambers_by_kind, today)

    # Offers and applications (offers.demo), destinations of school leavers (transition.demo), record books
    # (records.demo): each area writes its own rows from the plan.
    by_company_year: dict[tuple[int, int, int], list[PlannedContract]] = defaultdict(list)
    current = indicators.reporting_year(today)
    for planned in contracts:
        by_company_year[
            (planned.company, planned.occupation.pk, indicators.reporting_year(planned.concluded_on))
        ].append(planned)
    offer_specs = []
    for index, company in enumerate(companies):
        for occupation in company.occupations:
            for year in range(current - 2, current + 1):
                placed = [
                    p.contract
                    for p in by_company_year.get((index, occupation.pk, year), [])
                    if p.contract is not None and not p.reentry
                ]
                offer_specs.append(
                    offers_demo.HistoryOffer(
                        company=company.organisation,
                        site=company.site,
                        occupation=occupation,
                        chamber=_chamber(
                            PlannedContract(0, index, occupation, today, today, 1), company, chambers_by_kind
                        ),
                        reporting_year=year,
                        contracts=placed,
                        extra_places=rng.choice((0, 0, 1, 1, 2)),
                    )
                )
    outcome = offers_demo.bulk_history(offer_specs, today=today, rng=rng)
    transition_demo.bulk_history(
        schools=_schools(regions),
        apprentices=[p.contract for p in contracts if p.contract is not None and not p.reentry],
        alternatives=outcome.alternatives,
        today=today,
        rng=rng,
    )
    last = current - 1
    clearing_demo.bulk_history(
        organisers=[ihk, hwk],
        offers=[o for o in outcome.offers if o.start_date.year == last],
        applicants=[user for user, year in outcome.unplaced if year == last],
        year=last,
        rng=rng,
    )
    records_demo.bulk_history(
        [
            (p.contract, companies[p.company].trainer)
            for p in contracts
            if p.contract is not None and p.contract.status == TrainingContract.Status.ACTIVE
        ],
        today=today,
        rng=rng,
    )
