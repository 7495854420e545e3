"""Import training places from the Bundesagentur für Arbeit's public Jobsuche API (no CLI here).

Input: search responses of `GET /pc/v4/jobs` (`angebotsart=4`: Ausbildung/Duales Studium), read from a JSON
file, a directory of page files, or the live API (`JobsucheClient`). Each record of `stellenangebote` becomes
an `Offer` with `source=ba` and `external_ref=refnr`; a re-import updates the offer of the same refnr.

What we rely on (bundesAPI/jobsuche-api, openapi.yaml version 2.1.0, and the README of that repository):
- base URL https://rest.arbeitsagentur.de/jobboerse/jobsuche-service, header `X-API-Key: jobboerse-jobsuche`;
- query parameters `was`, `wo`, `umkreis` (km around `wo`), `angebotsart` (4 = Ausbildung/Duales Studium),
  `page` (from 1), `size` (clients use at most 100);
- response: `stellenangebote` (list), `maxErgebnisse`, `page`, `size` (documented as strings, in practice
  numbers: both are accepted); a record has `refnr`, `beruf`, `arbeitgeber`, `eintrittsdatum`,
  `aktuelleVeroeffentlichungsdatum`, `modifikationsTimestamp`, `arbeitsort` {`plz` (documented both as integer
  and as string), `ort`, `region`, `land`, `koordinaten` {`lat`, `lon`}}. `titel` and `externeUrl` are not in
  the spec but are sent by the API and read by the clients we looked at: both optional here;
- details: `GET /pc/v4/jobdetails/{refnr}`. The issue and the older spec (`/pc/v2/jobdetails/{encodedRefNr}`)
  encode the refnr with Base64; spec 2.1.0 shows the plain refnr. We send Base64 (`encode_refnr`). Field names
  of the answer changed over time, so both are read: `stellenangebotsBeschreibung` / `stellenbeschreibung`,
  `anzahlOffeneStellen`.
An empty result page may lack `stellenangebote`; it is accepted when `maxErgebnisse` is there.

Records that cannot be imported are skipped with a reason (see `parse_record` and `OccupationMatcher`); the
rest is imported. Offers missing from a later import are not deleted or closed: a search (`was`/`wo`/paging)
sees only part of the BA's data, so absence proves nothing. An offer whose start has passed is closed when its
record comes again (it is no longer a training place).
"""

from __future__ import annotations

import base64
import datetime
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from ausbildung.core import geo
from ausbildung.core.chambers import competent_chambers
from ausbildung.core.models import Occupation, Organisation, Region, Specialisation, TrainingSite
from ausbildung.core.params import parse_int
from ausbildung.core.search import normalise
from ausbildung.core.services import audit_record

from .models import ImportedCompany, Offer
from .services import offer_search_text

BASE_URL = "https://rest.arbeitsagentur.de/jobboerse/jobsuche-service"
SEARCH_PATH = "/pc/v4/jobs"
DETAILS_PATH = "/pc/v4/jobdetails/{encoded}"
API_KEY = "jobboerse-jobsuche"
ANGEBOTSART_TRAINING = 4  # Ausbildung/Duales Studium
PAGE_SIZE_MAX = 100
DEFAULT_TIMEOUT = 30.0
# The public page of an offer at the BA: the source we name on the offer page.
BA_OFFER_URL = "https://www.arbeitsagentur.de/jobsuche/jobdetail/{refnr}"

# BA reference numbers look like "10000-1184867112-S" or "12265-338127_JB4086933-S".
_REFNR = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{2,99}")
_POSTCODE = re.compile(r"\d{5}")
_GERMANY = {"deutschland", "germany"}
_DESCRIPTION_MAX = 20_000


class BAImportError(Exception):
    """The input as a whole is unusable: not JSON, not a Jobsuche response, network failure."""


class RecordProblem(Exception):
    """One record cannot be imported; it is skipped and listed with this reason."""

    def __init__(self, reason: str, *, refnr: str = "", started: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.refnr = refnr
        self.started = started


# --- reading responses -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    origin: str  # file name or URL, for messages
    records: list[Any]
    total: int | None  # maxErgebnisse


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return parse_int(value, minimum=0)
    return None


def parse_response(data: Any, origin: str) -> Page:
    """One search response (`JobSearchResponse`). Raises BAImportError when it is not one."""
    if not isinstance(data, dict) or ("stellenangebote" not in data and "maxErgebnisse" not in data):
        raise BAImportError(f"{origin}: not a Jobsuche response (no 'stellenangebote' list).")
    records = data.get("stellenangebote", [])
    if not isinstance(records, list):
        raise BAImportError(f"{origin}: not a Jobsuche response ('stellenangebote' is not a list).")
    return Page(origin=origin, records=records, total=_as_int(data.get("maxErgebnisse")))


def _load_json(raw: bytes, origin: str) -> Any:
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise BAImportError(f"{origin}: not valid JSON (not UTF-8 text).") from None
    except json.JSONDecodeError as exc:
        raise BAImportError(f"{origin}: not valid JSON ({exc.msg}, line {exc.lineno}).") from None


def read_pages(path: Path) -> list[Page]:
    """A response file, or a directory of page files (`*.json`, read in name order)."""
    if path.is_dir():
        files = sorted(path.glob("*.json"))
        if not files:
            raise BAImportError(f"{path}: no .json files in this directory.")
    elif path.is_file():
        files = [path]
    else:
        raise BAImportError(f"{path}: no such file or directory.")
    pages = []
    for file in files:
        try:
            raw = file.read_bytes()
        except OSError as exc:
            raise BAImportError(f"{file}: cannot be read ({exc.strerror}).") from None
        pages.append(parse_response(_load_json(raw, file.name), file.name))
    return pages


# --- the live API ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Details:
    description: str = ""
    places: int | None = None


def encode_refnr(refnr: str) -> str:
    return base64.b64encode(refnr.encode("utf-8")).decode("ascii")


def parse_details(data: Any) -> Details:
    if not isinstance(data, dict):
        return Details()
    text = data.get("stellenangebotsBeschreibung") or data.get("stellenbeschreibung") or ""
    places = _as_int(data.get("anzahlOffeneStellen"))
    return Details(
        description=text.strip()[:_DESCRIPTION_MAX] if isinstance(text, str) else "",
        places=places if places is not None and 1 <= places <= 500 else None,
    )


class JobsucheClient:
    """Pages through `GET /pc/v4/jobs` with urllib. Every failure becomes one readable BAImportError."""

    def __init__(
        self, *, base_url: str = BASE_URL, timeout: float = DEFAULT_TIMEOUT, api_key: str = API_KEY
    ) -> None:
        if urllib.parse.urlsplit(base_url).scheme not in {"http", "https"}:
            raise BAImportError(f"the API base URL must start with https:// (got {base_url!r}).")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.api_key = api_key

    def get_json(self, path: str, params: dict[str, Any] | None = None) -> Any:
        query = urllib.parse.urlencode({k: v for k, v in (params or {}).items() if v not in (None, "")})
        url = f"{self.base_url}{path}" + (f"?{query}" if query else "")
        request = urllib.request.Request(  # noqa: S310 (scheme checked in __init__)
            url,
            headers={
                "X-API-Key": self.api_key,
                "Accept": "application/json",
                "User-Agent": "ausbildung-import-offers",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (scheme checked in __init__)
                raw = response.read()
        except urllib.error.HTTPError as exc:
            raise BAImportError(f"the Jobsuche API answered HTTP {exc.code} for {url}.") from None
        except urllib.error.URLError as exc:
            raise BAImportError(f"cannot reach the Jobsuche API at {self.base_url} ({exc.reason}).") from None
        except (TimeoutError, OSError) as exc:
            raise BAImportError(f"cannot reach the Jobsuche API at {self.base_url} ({exc}).") from None
        return _load_json(raw, url)

    def search_page(self, *, was: str, wo: str, umkreis: int | None, page: int, size: int) -> Page:
        params = {
            "angebotsart": ANGEBOTSART_TRAINING,
            "was": was,
            "wo": wo,
            "umkreis": umkreis if wo else None,
            "page": page,
            "size": size,
        }
        data = self.get_json(SEARCH_PATH, params)
        return parse_response(data, f"page {page}")

    def pages(
        self, *, was: str = "", wo: str = "", umkreis: int | None = None, max_pages: int = 10, size: int = 50
    ) -> Iterator[Page]:
        """Pages 1…max_pages, stopping early at an empty page or when `maxErgebnisse` is reached."""
        size = max(1, min(size, PAGE_SIZE_MAX))
        for number in range(1, max_pages + 1):
            page = self.search_page(was=was, wo=wo, umkreis=umkreis, page=number, size=size)
            yield page
            if not page.records or (page.total is not None and number * size >= page.total):
                return

    def details(self, refnr: str) -> Details:
        return parse_details(self.get_json(DETAILS_PATH.format(encoded=encode_refnr(refnr))))


# --- one record --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class JobRecord:
    refnr: str
    occupation_name: str  # `beruf` as the BA writes it, e.g. "Tischler/in"
    title: str
    employer: str
    postcode: str
    city: str
    latitude: float | None
    longitude: float | None
    start_date: datetime.date
    published_on: datetime.date | None


def _text(raw: dict[str, Any], key: str, *, refnr: str = "") -> str:
    value = raw.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RecordProblem(f"'{key}' is not text", refnr=refnr)
    return " ".join(value.split())


def _date(value: Any, key: str, *, refnr: str) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise RecordProblem(f"'{key}' is not a date: {str(value)[:40]!r}", refnr=refnr)


def _coordinate(value: Any, limit: float) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if -limit <= number <= limit else None


def parse_record(raw: Any, *, today: datetime.date) -> JobRecord:
    """Check one `stellenangebote` entry. Raises RecordProblem with the reason it is skipped:
    no or invalid refnr, no occupation, no employer, no usable place of work in Germany, a start date that is
    missing, unparsable or in the past. The publication date is optional (unreadable: treated as missing)."""
    if not isinstance(raw, dict):
        raise RecordProblem("not a record (expected a JSON object)")
    refnr_value = raw.get("refnr")
    if not isinstance(refnr_value, str) or not refnr_value.strip():
        raise RecordProblem("no reference number (refnr)")
    refnr = refnr_value.strip()
    if not _REFNR.fullmatch(refnr):
        raise RecordProblem(f"invalid reference number: {refnr[:40]!r}", refnr=refnr[:40])

    occupation_name = _text(raw, "beruf", refnr=refnr)
    if not occupation_name:
        raise RecordProblem("no occupation (beruf)", refnr=refnr)
    employer = _text(raw, "arbeitgeber", refnr=refnr)
    if not employer:
        raise RecordProblem("no employer named (arbeitgeber)", refnr=refnr)
    title = _text(raw, "titel", refnr=refnr) or occupation_name

    place = raw.get("arbeitsort")
    if not isinstance(place, dict):
        raise RecordProblem("no place of work (arbeitsort)", refnr=refnr)
    land = _text(place, "land", refnr=refnr)
    if land and geo.fold(land) not in _GERMANY:
        raise RecordProblem(f"place of work outside Germany: {land}", refnr=refnr)
    plz = place.get("plz")
    city = _text(place, "ort", refnr=refnr)
    if isinstance(plz, int) and not isinstance(plz, bool) and 0 < plz < 100_000:
        postcode = f"{plz:05d}"
    elif isinstance(plz, str) and _POSTCODE.fullmatch(plz.strip()):
        postcode = plz.strip()
    elif plz in (None, ""):
        postcode = _postcode_of(city, _text(place, "region", refnr=refnr), refnr=refnr)
    else:
        raise RecordProblem(f"invalid postcode: {str(plz)[:20]!r}", refnr=refnr)
    coordinates = place.get("koordinaten")
    latitude = longitude = None
    if isinstance(coordinates, dict):
        latitude = _coordinate(coordinates.get("lat"), 90)
        longitude = _coordinate(coordinates.get("lon"), 180)
    if latitude is None or longitude is None:
        # Place centroid of the postcode (core.geo), as for offers entered here.
        found = geo.lookup(postcode)
        latitude, longitude = (found.lat, found.lon) if found else (None, None)
        city = city or (found.name if found else "")

    start = _date(raw.get("eintrittsdatum"), "eintrittsdatum", refnr=refnr)
    if start is None:
        raise RecordProblem("no start date (eintrittsdatum)", refnr=refnr)
    if start < today:
        raise RecordProblem(
            f"training started on {start.isoformat()}: no longer a training place", refnr=refnr, started=True
        )
    try:
        published = _date(raw.get("aktuelleVeroeffentlichungsdatum"), "", refnr=refnr)
    except RecordProblem:
        published = None

    return JobRecord(
        refnr=refnr,
        occupation_name=occupation_name[:250],
        title=title[:200],
        employer=employer[:200],
        postcode=postcode,
        city=city[:120],
        latitude=latitude,
        longitude=longitude,
        start_date=start,
        published_on=published,
    )


# --- occupations -------------------------------------------------------------------------------------------

_GENDER_RULES = [
    # (pattern, male, female) on the BA's short forms: "Kaufmann/-frau", "Tischler/in", "Fachangestellte/r"
    (re.compile(r"(\w*)mann/-?frau\b"), r"\1mann", r"\1frau"),
    (re.compile(r"(\w+)/-?in\b"), r"\1", r"\1in"),
    (re.compile(r"(\w+)e/-?r\b"), r"\1er", r"\1e"),
]


def gender_forms(name: str) -> tuple[str, str]:
    """("Tischler/in") → ("Tischler", "Tischlerin"); names without a short form come back twice."""
    male = female = name
    for pattern, male_form, female_form in _GENDER_RULES:
        male = pattern.sub(male_form, male)
        female = pattern.sub(female_form, female)
    return male, female


class OccupationMatcher:
    """Maps the BA's `beruf` to the catalogue.

    1. The BA appends a specialisation after " - " ("Fachinformatiker/in - Anwendungsentwicklung"): split off.
    2. Exact match of the name, its gender forms or the expanded short forms, on normalised text.
    3. Otherwise `occupation_search` with the male form (plus the specialisation, then without it), accepted
       only when exactly one occupation contains every word as a whole word ("Informatiker" does not match
       "Fachinformatiker").
    """

    def __init__(self) -> None:
        self._by_name: dict[str, set[int]] = {}
        self._occupations: dict[int, Occupation] = {}
        for occupation in Occupation.objects.filter(is_active=True):
            self._occupations[occupation.pk] = occupation
            for name in (occupation.name, occupation.name_male, occupation.name_female):
                if name:
                    self._by_name.setdefault(normalise(name), set()).add(occupation.pk)
        self._cache: dict[str, tuple[Occupation, Specialisation | None] | str] = {}

    def match(self, beruf: str) -> tuple[Occupation, Specialisation | None]:
        """Raises RecordProblem when the occupation is not (or not unambiguously) in the catalogue."""
        if beruf not in self._cache:
            self._cache[beruf] = self._match(beruf)
        result = self._cache[beruf]
        if isinstance(result, str):
            raise RecordProblem(result)
        return result

    def _match(self, beruf: str) -> tuple[Occupation, Specialisation | None] | str:
        base, _sep, speciality = beruf.partition(" - ")
        base, speciality = base.strip(), speciality.strip()
        male, female = gender_forms(base)
        candidates: set[int] = set()
        for name in (beruf, base, male, female):
            candidates |= self._by_name.get(normalise(name), set())
        if len(candidates) == 1:
            occupation = self._occupations[candidates.pop()]
            return occupation, self._specialisation(occupation, speciality)
        if len(candidates) > 1:
            return f"occupation ambiguous in the catalogue: {beruf}"
        for query in ([male, speciality], [male]):
            found = self._search(" ".join(part for part in query if part))
            if len(found) == 1:
                return found[0], self._specialisation(found[0], speciality)
            if len(found) > 1:
                return f"occupation ambiguous in the catalogue: {beruf}"
        return f"occupation not in the catalogue: {beruf}"

    @staticmethod
    def _search(query: str) -> list[Occupation]:
        from ausbildung.core.selectors import occupation_search

        words = normalise(query).split()
        if not words:
            return []
        return [
            occupation
            for occupation in occupation_search(query)[:20]
            if set(words) <= set(occupation.search_text.split())
        ]

    @staticmethod
    def _specialisation(occupation: Occupation, speciality: str) -> Specialisation | None:
        if not speciality:
            return None
        key = normalise(speciality)
        for specialisation in occupation.specialisations.all():
            if normalise(specialisation.name) == key:
                return specialisation
        return None


# --- writing -----------------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)  # imported before, start now in the past
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (refnr or position, reason)
    detail_problems: list[tuple[str, str]] = field(default_factory=list)
    companies_created: int = 0
    sites_created: int = 0

    @property
    def processed(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged) + len(self.skipped)


def _postcode_of(city: str, region: str, *, refnr: str) -> str:
    """The postcode of a place of work given by name only (core.geo.resolve), narrowed by the BA's
    `region` (its Land) when the name is that of several places; never one of them picked at random."""
    resolution = geo.resolve(city)
    if resolution.ambiguous and region:
        resolution = geo.resolve(f"{city}, {region}")
    if resolution.place is not None:
        return resolution.place.postcode
    if resolution.ambiguous:
        names = "; ".join(choice.label for choice in resolution.choices[:5])
        raise RecordProblem(
            f"no postcode (arbeitsort.plz) and several places of that name: {names}", refnr=refnr
        )
    raise RecordProblem("no postcode (arbeitsort.plz) and no known place", refnr=refnr)


class _Places:
    """geo.lookup and the Kreis region per postcode, once per import."""

    def __init__(self) -> None:
        self._regions: dict[str, Region | None] = {}

    def region(self, postcode: str) -> Region | None:
        if postcode not in self._regions:
            place = geo.lookup(postcode)
            self._regions[postcode] = (
                Region.objects.filter(code=place.kreis_ars).first() if place and place.kreis_ars else None
            )
        return self._regions[postcode]


def _company(
    *, record: JobRecord, region: Region | None, now: datetime.datetime, report: ImportReport
) -> Organisation:
    """The imported company for (employer name, postcode), created on first sight."""
    key = normalise(record.employer)[:200]
    marker = (
        ImportedCompany.objects.select_related("organisation")
        .filter(source=Offer.Source.BA, name_key=key, postcode=record.postcode)
        .first()
    )
    if marker is not None:
        marker.last_imported_at = now
        marker.save(update_fields=["last_imported_at"])
        return marker.organisation
    company = Organisation.objects.create(
        kind=Organisation.Kind.COMPANY,
        name=record.employer,
        postcode=record.postcode,
        city=record.city,
        region=region,
        latitude=record.latitude,
        longitude=record.longitude,
    )
    ImportedCompany.objects.create(
        organisation=company,
        source=Offer.Source.BA,
        employer_name=record.employer,
        name_key=key,
        postcode=record.postcode,
        last_imported_at=now,
    )
    audit_record(
        actor=None, action="organisation.import", target=company, summary=f"{company.name} (Jobsuche)"
    )
    report.companies_created += 1
    return company


def _site(
    *, company: Organisation, record: JobRecord, region: Region | None, report: ImportReport
) -> TrainingSite:
    site = TrainingSite.objects.filter(company=company, postcode=record.postcode).order_by("pk").first()
    if site is not None:
        return site
    report.sites_created += 1
    return TrainingSite.objects.create(
        company=company,
        name=record.city or record.postcode,
        postcode=record.postcode,
        city=record.city,
        region=region,
        latitude=record.latitude,
        longitude=record.longitude,
    )


# Offer fields the import sets; a re-import compares exactly these.
_FOREIGN_KEYS = ("company", "site", "occupation", "specialisation", "chamber")


@transaction.atomic
def import_offer(
    *,
    record: JobRecord,
    occupation: Occupation,
    specialisation: Specialisation | None,
    details: Details | None,
    places: _Places,
    report: ImportReport,
) -> str:
    """Create or update the offer of `record`; returns "created", "updated" or "unchanged"."""
    now = timezone.now()
    region = places.region(record.postcode)
    company = _company(record=record, region=region, now=now, report=report)
    site = _site(company=company, record=record, region=region, report=report)
    chambers = competent_chambers(occupation=occupation, region=site.region)
    values: dict[str, Any] = {
        "company": company,
        "site": site,
        "occupation": occupation,
        "specialisation": specialisation,
        "chamber": chambers[0] if chambers else None,
        "title": record.title,
        "start_date": record.start_date,
        "postcode": record.postcode,
        "city": record.city,
        "latitude": record.latitude,
        "longitude": record.longitude,
        "external_url": BA_OFFER_URL.format(refnr=urllib.parse.quote(record.refnr)),
    }
    if details is not None:
        # Without --details a re-import keeps the description and places fetched earlier.
        values["description"] = details.description
        if details.places is not None:
            values["places"] = details.places

    offer = Offer.objects.filter(source=Offer.Source.BA, external_ref=record.refnr).first()
    if offer is None:
        offer = Offer(
            source=Offer.Source.BA, external_ref=record.refnr, status=Offer.Status.PUBLISHED, places=1
        )
        published = record.published_on
        offer.published_at = (
            timezone.make_aware(datetime.datetime.combine(published, datetime.time()))
            if published is not None
            else now
        )
        for name, value in values.items():
            setattr(offer, name, value)
        offer.search_text = offer_search_text(offer)
        offer.save()
        audit_record(
            actor=None, action="offer.import", target=offer, summary=f"{offer.display_title} ({record.refnr})"
        )
        return "created"

    changes: dict[str, list[str]] = {}
    for name, value in values.items():
        if name in _FOREIGN_KEYS:
            before: Any = getattr(offer, f"{name}_id")
            after: Any = value.pk if value is not None else None
        else:
            before, after = getattr(offer, name), value
        if before != after:
            changes[name] = [str(before), str(after)]
            setattr(offer, name, value)
    if not changes:
        return "unchanged"
    offer.search_text = offer_search_text(offer)
    offer.save()
    audit_record(
        actor=None, action="offer.import_update", target=offer, summary=offer.display_title, changes=changes
    )
    return "updated"


@transaction.atomic
def close_started_offer(*, refnr: str) -> bool:
    """An imported offer whose training has started is no longer a place to apply for: close it."""
    offer = Offer.objects.filter(
        source=Offer.Source.BA, external_ref=refnr, status__in=[Offer.Status.PUBLISHED, Offer.Status.PAUSED]
    ).first()
    if offer is None:
        return False
    offer.status = Offer.Status.CLOSED
    offer.save(update_fields=["status", "updated_at"])
    audit_record(actor=None, action="offer.import_close", target=offer, summary=offer.display_title)
    return True


def current_date() -> datetime.date:
    """Today, for the start-date check (one place, so that tests can fix it)."""
    return timezone.localdate()


def records_of(pages: Iterable[Page]) -> Iterator[tuple[str, Any]]:
    """(label, raw record) for every record; the label names the position for records without a refnr."""
    for page in pages:
        for number, raw in enumerate(page.records, start=1):
            yield f"{page.origin} #{number}", raw


def import_records(
    records: Iterable[tuple[str, Any]],
    *,
    today: datetime.date | None = None,
    details: Callable[[str], Details] | None = None,
    progress: bool = False,
    total: int | None = None,
) -> ImportReport:
    """Import every record; broken ones are skipped and listed in the report. Each offer is written in its own
    transaction, so an interrupted import keeps what it wrote (a re-import continues without duplicates)."""
    today = today or current_date()
    report = ImportReport()
    matcher = OccupationMatcher()
    places = _Places()
    seen: set[str] = set()
    items: Iterable[tuple[str, Any]] = records
    if progress:
        from tqdm import tqdm

        items = tqdm(records, desc="Importing offers", unit="offer", total=total)
    for label, raw in items:
        try:
            record = parse_record(raw, today=today)
            if record.refnr in seen:
                raise RecordProblem("listed more than once in this import", refnr=record.refnr)
            seen.add(record.refnr)
            try:
                occupation, specialisation = matcher.match(record.occupation_name)
            except RecordProblem as problem:
                raise RecordProblem(problem.reason, refnr=record.refnr) from None
        except RecordProblem as problem:
            report.skipped.append((problem.refnr or label, problem.reason))
            if problem.started and close_started_offer(refnr=problem.refnr):
                report.closed.append(problem.refnr)
            continue
        extra = None
        if details is not None:
            try:
                extra = details(record.refnr)
            except BAImportError as exc:
                report.detail_problems.append((record.refnr, str(exc)))
        outcome = import_offer(
            record=record,
            occupation=occupation,
            specialisation=specialisation,
            details=extra,
            places=places,
            report=report,
        )
        getattr(report, outcome).append(record.refnr)
    return report
