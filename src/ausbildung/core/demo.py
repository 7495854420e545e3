"""The demo region: the Saarland with its Kreise, fictional organisations and one login per role.

All organisations and people here are invented (names marked "Demo"); the regions and the occupations are
real (regions from `data/regions.json`, occupations imported from the training regulations). Loading is
idempotent: a second run finds everything in place and changes nothing.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import connection, models, transaction
from django.utils import timezone

from . import services
from .models import (
    ContractTrainer,
    Guardianship,
    Invitation,
    Occupation,
    Organisation,
    Region,
    Role,
    TrainingContract,
    TrainingSite,
    User,
)

DATA_DIR = Path(settings.BASE_DIR) / "data"
DEMO_PASSWORD = "demo-ausbildung"  # noqa: S105 - printed on purpose: these are the public demo logins

# Regulations the demo contracts need (file names in data/gesetze/ausbildung/).
DEMO_REGULATIONS = ["fiausbv.md", "bueromkfausbv.md", "tischlausbv_2006.md"]

K = Organisation.Kind

ORGANISATIONS = [
    # key, kind, name, street, postcode, city, Kreis code, lat, lon, chamber kind
    (
        "systemhaus",
        K.COMPANY,
        "Saar Systemhaus GmbH (Demo)",
        "Bahnhofstraße 1",
        "66111",
        "Saarbrücken",
        "10041",
        49.2354,
        6.9969,
        "",
    ),
    (
        "tischlerei",
        K.COMPANY,
        "Tischlerei Weber (Demo)",
        "Schloßstraße 5",
        "66606",
        "St. Wendel",
        "10046",
        49.4664,
        7.1683,
        "",
    ),
    (
        "schule",
        K.SCHOOL,
        "Gemeinschaftsschule Saarlouis-Mitte (Demo)",
        "Schulstraße 10",
        "66740",
        "Saarlouis",
        "10044",
        49.3135,
        6.7516,
        "",
    ),
    (
        "bbz",
        K.VOCATIONAL_SCHOOL,
        "Berufsbildungszentrum Saarbrücken (Demo)",
        "Schulweg 2",
        "66111",
        "Saarbrücken",
        "10041",
        49.2330,
        6.9950,
        "",
    ),
    (
        "ihk",
        K.CHAMBER,
        "Demo-Industrie- und Handelskammer Saar",
        "Franz-Josef-Röder-Straße 9",
        "66119",
        "Saarbrücken",
        "10041",
        49.2285,
        7.0010,
        Organisation.ChamberKind.IHK,
    ),
    (
        "hwk",
        K.CHAMBER,
        "Demo-Handwerkskammer Saar",
        "Hohenzollernstraße 47",
        "66117",
        "Saarbrücken",
        "10041",
        49.2300,
        6.9850,
        Organisation.ChamberKind.HWK,
    ),
    (
        "agentur",
        K.GUIDANCE_AGENCY,
        "Berufsberatung Saar (Demo)",
        "Hafenstraße 18",
        "66111",
        "Saarbrücken",
        "10041",
        49.2380,
        6.9900,
        "",
    ),
    (
        "buendnis",
        K.PARTNER,
        "Landesbündnis Ausbildung Saar (Demo)",
        "Am Ludwigsplatz 1",
        "66117",
        "Saarbrücken",
        "10041",
        49.2320,
        6.9870,
        "",
    ),
    (
        "betrieb",
        K.PARTNER,
        "Plattformbetrieb ausbildung (Demo)",
        "",
        "",
        "Saarbrücken",
        "10041",
        None,
        None,
        "",
    ),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    organisation: str  # key in ORGANISATIONS ("" for the guardian)
    date_of_birth: datetime.date | None = None


USERS = [
    DemoUser("schueler", "Lena", "Schmidt", Role.PUPIL, "schule", datetime.date(2010, 3, 14)),
    DemoUser("azubi", "Jonas", "Becker", Role.APPRENTICE, "systemhaus", datetime.date(2009, 5, 20)),
    DemoUser("eltern", "Sabine", "Becker", Role.GUARDIAN, ""),
    DemoUser("ausbilder", "Miriam", "Klein", Role.TRAINER, "systemhaus"),
    DemoUser("betrieb", "Thomas", "Wagner", Role.COMPANY_ADMIN, "systemhaus"),
    DemoUser("lehrer", "Petra", "Hoffmann", Role.TEACHER, "schule"),
    DemoUser("berufsschule", "Ahmet", "Yilmaz", Role.VOCATIONAL_SCHOOL_TEACHER, "bbz"),
    DemoUser("beratung", "Katrin", "Schäfer", Role.COUNSELLOR, "agentur"),
    DemoUser("kammer", "Michael", "Braun", Role.CHAMBER_OFFICER, "ihk"),
    DemoUser("monitor", "Claudia", "Richter", Role.MONITOR, "buendnis"),
    DemoUser("admin", "Andrea", "Vogel", Role.PLATFORM_ADMIN, "betrieb"),
    # A second company, apprentice and chamber, so that the scopes have someone to keep apart.
    DemoUser("azubi2", "Lukas", "Meyer", Role.APPRENTICE, "tischlerei", datetime.date(2004, 11, 2)),
    DemoUser("meister", "Stefan", "Weber", Role.TRAINER, "tischlerei"),
    DemoUser("hwk", "Jana", "Krüger", Role.CHAMBER_OFFICER, "hwk"),
]

# Logins printed by `ausbildung demo`: one per role of the foundation issue, in that order.
PRINTED_LOGINS = [
    "schueler",
    "azubi",
    "eltern",
    "ausbilder",
    "betrieb",
    "lehrer",
    "berufsschule",
    "beratung",
    "kammer",
    "monitor",
    "admin",
]


def load_regions() -> dict[str, Region]:
    data = json.loads((DATA_DIR / "regions.json").read_text(encoding="utf-8"))
    regions: dict[str, Region] = {}
    for land in data["laender"]:
        regions[land["code"]], _created = Region.objects.get_or_create(
            code=land["code"],
            defaults={"name": land["name"], "level": Region.Level.LAND, "iso_code": "DE-" + land["iso"]},
        )
    for kreis in data["kreise"]:
        regions[kreis["code"]], _created = Region.objects.get_or_create(
            code=kreis["code"],
            defaults={
                "name": kreis["name"],
                "level": Region.Level.KREIS,
                "parent": regions[kreis["code"][:2]],
            },
        )
    return regions


def _organisations(regions: dict[str, Region]) -> dict[str, Organisation]:
    saarland_kreise = [r for code, r in regions.items() if len(code) == 5 and code.startswith("10")]
    result = {}
    for key, kind, name, street, postcode, city, kreis, lat, lon, chamber_kind in ORGANISATIONS:
        organisation, created = Organisation.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "street": street,
                "postcode": postcode,
                "city": city,
                "region": regions[kreis],
                "latitude": lat,
                "longitude": lon,
                "chamber_kind": chamber_kind,
                # The demo's companies are the platform's own: verified (core.accounts, company_verify).
                **(
                    {"verified_at": timezone.now(), "verification": Organisation.Verification.DOCUMENTED}
                    if kind == K.COMPANY
                    else {}
                ),
            },
        )
        if created:
            services.audit_record(actor=None, action="demo.create", target=organisation, summary=name)
            if kind in {K.CHAMBER, K.GUIDANCE_AGENCY, K.PARTNER}:
                organisation.district.set(saarland_kreise)
        result[key] = organisation
    return result


# The demo platform administrator: Django's superuser with the well-known demo password. Created only on request
# (`ausbildung demo --with-admin`, or DEBUG on): a demo loaded into a reachable installation must not open it.
DEMO_ADMIN = "admin"


def _users(organisations: dict[str, Organisation], *, with_admin: bool) -> dict[str, User]:
    users = {}
    for spec in USERS:
        if spec.username == DEMO_ADMIN and not with_admin:
            continue
        user, created = User.objects.get_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@demo.invalid",
                "date_of_birth": spec.date_of_birth,
                # The platform administrator is Django's superuser too, so the admin shows every model
                # (login throttling records, background tasks) without per-model permission rows.
                "is_staff": spec.role == Role.PLATFORM_ADMIN,
                "is_superuser": spec.role == Role.PLATFORM_ADMIN,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            services.audit_record(actor=None, action="demo.create", target=user, summary=spec.username)
        if spec.organisation:
            services.membership_create(
                actor=None, user=user, organisation=organisations[spec.organisation], role=spec.role
            )
        users[spec.username] = user
    # The company's administrator at the carpentry is its master trainer.
    services.membership_create(
        actor=None, user=users["meister"], organisation=organisations["tischlerei"], role=Role.COMPANY_ADMIN
    )
    if not Guardianship.objects.filter(guardian=users["eltern"], ward=users["azubi"]).exists():
        guardianship = Guardianship.objects.create(guardian=users["eltern"], ward=users["azubi"])
        services.audit_record(actor=None, action="demo.create", target=guardianship, summary="eltern → azubi")
    return users


def _site(company: Organisation, name: str) -> TrainingSite:
    site, created = TrainingSite.objects.get_or_create(
        company=company,
        name=name,
        defaults={
            "street": company.street,
            "postcode": company.postcode,
            "city": company.city,
            "region": company.region,
            "latitude": company.latitude,
            "longitude": company.longitude,
        },
    )
    if created:
        services.audit_record(actor=None, action="demo.create", target=site, summary=name)
    return site


# The demo contracts' agreed training time per week (BBiG § 11 Abs. 1 Satz 2 Nr. 4): usual figures, not taken
# from a collective agreement.
DEMO_WEEKLY_HOURS = {"azubi": Decimal(39), "azubi2": Decimal(40)}


def _contracts(organisations: dict[str, Organisation], users: dict[str, User]) -> None:
    it = Occupation.objects.get(slug="fiausbv")
    carpenter = Occupation.objects.get(slug="tischlausbv")
    specs = [
        # apprentice, company, site, occupation, specialisation name, chamber, start, probation months, trainers;
        # the duration is the regulation's (BBiG § 5 Abs. 1 Nr. 2)
        (
            "azubi",
            "systemhaus",
            "Hauptsitz Saarbrücken",
            it,
            "Anwendungsentwicklung",
            "ihk",
            datetime.date(2025, 8, 1),
            4,
            [("ausbilder", ContractTrainer.Kind.MAIN)],
        ),
        (
            "azubi2",
            "tischlerei",
            "Werkstatt St. Wendel",
            carpenter,
            "",
            "hwk",
            datetime.date(2024, 8, 1),
            3,
            [("meister", ContractTrainer.Kind.MAIN)],
        ),
    ]
    for (
        apprentice,
        company,
        site_name,
        occupation,
        specialisation,
        chamber,
        start,
        probation,
        trainers,
    ) in specs:
        existing = TrainingContract.objects.filter(apprentice=users[apprentice], occupation=occupation)
        if existing.exists():
            existing.filter(weekly_hours__isnull=True).update(weekly_hours=DEMO_WEEKLY_HOURS[apprentice])
            continue
        if not occupation.duration_months:
            raise RuntimeError(f"The duration of {occupation.slug} was not read from its regulation.")
        services.contract_create(
            actor=None,
            apprentice=users[apprentice],
            company=organisations[company],
            site=_site(organisations[company], site_name),
            occupation=occupation,
            specialisation=occupation.specialisations.filter(name__icontains=specialisation).first()
            if specialisation
            else None,
            chamber=organisations[chamber],
            vocational_school=organisations["bbz"],
            start_date=start,
            end_date=services.training_end(start, occupation.duration_months),
            probation_end=services.add_months(start, probation) - datetime.timedelta(days=1),
            trainers=[(users[name], kind) for name, kind in trainers],
            record_form=TrainingContract.RecordForm.WEEKLY,
            chamber_registration_number=f"DEMO-{start.year}-{users[apprentice].pk:05d}",
            status=TrainingContract.Status.ACTIVE,
            weekly_hours=DEMO_WEEKLY_HOURS[apprentice],
        )


def ensure_demo_occupations() -> None:
    """Import the regulations the demo contracts need, unless the full catalogue is already there.

    An occupation imported before `recognised_under` existed is imported again: the importer then fills just
    that field (the file is unchanged), so the chamber checks (`core.chambers`) work on an old demo database.
    All three demo regulations state their law (FIAusbV, BüroMKfAusbV: BBiG; TischlAusbV: HwO).
    """
    from .regulations.importer import base_slug, import_files

    ready = set(Occupation.objects.exclude(recognised_under="").values_list("slug", flat=True))
    missing = [name for name in DEMO_REGULATIONS if base_slug(Path(name).stem) not in ready]
    if missing:
        import_files([DATA_DIR / "gesetze" / "ausbildung" / name for name in missing], actor=None)


DEMO_INVITED = "neue.ausbilderin@demo.invalid"


def _invitation(organisations: dict[str, Organisation], users: dict[str, User]) -> None:
    """One open invitation of the company's administrator (a trainer), to show the list. Its secret is not
    kept (nobody can accept it) and no mail is queued: the demo sends nothing."""
    if Invitation.objects.filter(email=DEMO_INVITED).exists():
        return
    invitation = Invitation.objects.create(
        token_hash=hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
        email=DEMO_INVITED,
        role=Role.TRAINER,
        organisation=organisations["systemhaus"],
        invited_by=users["betrieb"],
        expires_at=timezone.now() + datetime.timedelta(days=14),
    )
    services.audit_record(actor=None, action="demo.create", target=invitation, summary=DEMO_INVITED)


@transaction.atomic
def demo_load(*, with_admin: bool = False, with_history: bool = False) -> dict[str, User]:
    """Load the demo region (idempotent). `with_admin` adds the superuser `admin`; without it none is created
    (an `admin` left by an earlier run stays as it is). `with_history` adds what the demo people did in the
    past (the apprentices' signed record weeks; `ausbildung demo` does, the test fixtures do not)."""
    ensure_demo_occupations()
    regions = load_regions()
    organisations = _organisations(regions)
    users = _users(organisations, with_admin=with_admin)
    _site(organisations["systemhaus"], "Hauptsitz Saarbrücken")
    _site(organisations["tischlerei"], "Werkstatt St. Wendel")
    _contracts(organisations, users)
    _invitation(organisations, users)
    for loader in DEMO_EXTENSIONS:
        loader(organisations, users)
    if with_history:
        for loader in DEMO_HISTORY:
            loader(organisations, users)
    return users


# Focus-area apps add their demo data (offers, …) from their AppConfig.ready; each loader is idempotent.
DemoLoader = Callable[[dict[str, Organisation], dict[str, User]], None]
DEMO_EXTENSIONS: list[DemoLoader] = []


# History loaders (`register_demo(…, history=True)`) run after all others, and only with `with_history`.
DEMO_HISTORY: list[DemoLoader] = []


def register_demo(loader: DemoLoader, *, history: bool = False) -> None:
    loaders = DEMO_HISTORY if history else DEMO_EXTENSIONS
    if loader not in loaders:
        loaders.append(loader)


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, role label, organisation) for every printed demo login that exists."""
    by_name = {spec.username: spec for spec in USERS}
    names = {key: name for key, _kind, name, *_rest in ORGANISATIONS}
    existing = set(User.objects.filter(username__in=PRINTED_LOGINS).values_list("username", flat=True))
    rows = []
    for username in PRINTED_LOGINS:
        if username not in existing:
            continue
        spec = by_name[username]
        organisation = names.get(spec.organisation, "")
        rows.append((username, str(Role(spec.role).label), organisation))
    return rows


# Synthetic people of the demo's history (the monitoring's past, `ausbildung demo`): marked by this prefix,
# inactive, without a usable password and without an e-mail address, so that nobody can sign in as one of them
# and no mail is ever sent to one.
SYNTHETIC_PREFIX = "statistik-"


def synthetic_users(
    kind: str, count: int, rng: random.Random, births: dict[int, datetime.date] | None = None
) -> list[User]:
    """`count` synthetic people "statistik-<kind>-0000" … in bulk, in the order of their number (deterministic:
    the unusable password's random part comes from `rng`). Returns them with their primary keys."""
    users = [
        User(
            username=f"{SYNTHETIC_PREFIX}{kind}-{number:04d}",
            first_name="Statistik-Demo",
            last_name=f"{kind.capitalize()} {number}",
            email="",
            is_active=False,
            password=f"{UNUSABLE_PASSWORD_PREFIX}{rng.getrandbits(128):032x}",
            date_of_birth=(births or {}).get(number),
        )
        for number in range(count)
    ]
    User.objects.bulk_create(users)
    return list(User.objects.filter(username__startswith=f"{SYNTHETIC_PREFIX}{kind}-").order_by("username"))


def backdate(model: type[models.Model], values: list[tuple[int, dict[str, datetime.datetime]]]) -> None:
    """Set date-time fields (whose column is their name) to the days the history says, e.g. timestamps that
    `auto_now_add`/`auto_now` wrote at loading: one UPDATE per row, sent together (`bulk_update` builds a CASE
    per row and is far slower for a thousand rows)."""
    by_fields: dict[tuple[str, ...], list[Any]] = {}
    for pk, fields in values:
        names = tuple(sorted(fields))
        by_fields.setdefault(names, []).append(
            [connection.ops.adapt_datetimefield_value(fields[name]) for name in names] + [pk]
        )
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for names, rows in by_fields.items():
            assignments = ", ".join(f"{quote(name)} = %s" for name in names)
            sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote('id')} = %s"  # noqa: S608 - names from the model
            cursor.executemany(sql, rows)
