"""`ausbildung import-offers`: BA Jobsuche responses (recorded files written for the tests) become offers."""

from __future__ import annotations

import base64
import datetime
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ausbildung.core.models import AuditLog, Organisation, TrainingSite
from ausbildung.offers import ba_import
from ausbildung.offers.models import ImportedCompany, Offer
from tests.test_cli import assert_one_line_error, run

DATA = Path(__file__).parent / "data" / "ba"
SEARCH = DATA / "search"
TODAY = datetime.date(2026, 11, 25)  # the recorded files are written relative to this day (see their README)
VALID = ["10001-1000000001-S", "10001-1000000002-S", "10001-1000000003-S", "10001-1000000007-S"]


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch):
    monkeypatch.setattr(ba_import, "current_date", lambda: TODAY)


def run_import(*args: str) -> str:
    out = StringIO()
    call_command("import-offers", *args, "--no-progress", stdout=out)
    return out.getvalue()


def imported() -> dict[str, Offer]:
    return {offer.external_ref: offer for offer in Offer.objects.filter(source=Offer.Source.BA)}


# --- import and re-import ----------------------------------------------------------------------------------


def test_import_creates_offers_companies_and_sites(demo):
    output = run_import(str(SEARCH))
    assert "8 records: 4 created, 0 updated, 0 unchanged, 4 skipped." in output
    offers = imported()
    assert sorted(offers) == VALID

    first = offers["10001-1000000001-S"]
    assert first.status == Offer.Status.PUBLISHED and first.source == Offer.Source.BA
    assert first.occupation.slug == "fiausbv" and first.specialisation.name == "Anwendungsentwicklung"
    assert first.start_date == datetime.date(2027, 8, 1)
    assert first.title.startswith("Ausbildung Fachinformatiker/in")
    assert first.external_url == "https://www.arbeitsagentur.de/jobsuche/jobdetail/10001-1000000001-S"
    assert (first.postcode, first.city, first.latitude, first.longitude) == (
        "66111",
        "Saarbrücken",
        49.2354,
        6.9969,
    )
    assert first.pay_year1 is None and first.places == 1 and not first.accepts_applications
    assert timezone.localtime(first.published_at).date() == datetime.date(2026, 11, 2)
    assert "fachinformatiker" in first.search_text and "beispiel software saar" in first.search_text
    assert first.chamber is not None and first.chamber.chamber_kind == Organisation.ChamberKind.IHK

    office = offers["10001-1000000002-S"]
    assert office.occupation.slug == "bueromkfausbv" and office.specialisation is None
    # `plz` as a number, no coordinates in the record: the postcode's place centroid (core.geo)
    assert office.postcode == "66740" and office.latitude == pytest.approx(49.3137, abs=0.01)
    assert offers["10001-1000000003-S"].occupation.slug == "tischlausbv"

    # one imported company per (employer, postcode): the Saarbrücken employer has two offers at one site
    company = first.company
    assert company.kind == Organisation.Kind.COMPANY and company.name == "Beispiel Software Saar GmbH"
    assert offers["10001-1000000007-S"].company == company and offers["10001-1000000007-S"].site == first.site
    assert company.import_origin.source == Offer.Source.BA and company.import_origin.postcode == "66111"
    assert first.site.region.code == "10041" and first.site.postcode == "66111"
    assert ImportedCompany.objects.count() == 3
    assert TrainingSite.objects.filter(company__import_origin__isnull=False).count() == 3
    assert "New imported companies: 3, new training sites: 3." in output
    assert AuditLog.objects.filter(action="offer.import").count() == 4


def test_imported_offers_never_join_a_registered_company(demo):
    """A BA record naming the demo company creates an imported company of its own (the registered company's
    account is not written to by a public feed)."""
    run_import(str(SEARCH))
    registered = Organisation.objects.get(name="Saar Systemhaus GmbH (Demo)")
    assert not Offer.objects.filter(company=registered, source=Offer.Source.BA).exists()


def test_reimport_creates_no_duplicates_and_updates_changed_fields(demo, tmp_path):
    run_import(str(SEARCH))
    ids = {ref: offer.pk for ref, offer in imported().items()}
    companies, sites = Organisation.objects.count(), TrainingSite.objects.count()

    output = run_import(str(SEARCH))
    assert "8 records: 0 created, 0 updated, 4 unchanged, 4 skipped." in output
    assert {ref: offer.pk for ref, offer in imported().items()} == ids
    assert (Organisation.objects.count(), TrainingSite.objects.count()) == (companies, sites)

    # the BA changed the title and the start of one offer, and page 2 is no longer part of the search
    changed = tmp_path / "search"
    changed.mkdir()
    page = json.loads((SEARCH / "page-1.json").read_text(encoding="utf-8"))
    page["stellenangebote"][0]["titel"] = "Ausbildung Fachinformatiker/in (m/w/d) – jetzt auch in Teilzeit"
    page["stellenangebote"][0]["eintrittsdatum"] = "2027-09-01"
    (changed / "page-1.json").write_text(json.dumps(page), encoding="utf-8")
    output = run_import(str(changed))
    assert "4 records: 0 created, 1 updated, 2 unchanged, 1 skipped." in output
    offers = imported()
    assert {ref: offer.pk for ref, offer in offers.items()} == ids  # nothing deleted (…07 was on page 2)
    updated = offers["10001-1000000001-S"]
    assert updated.title.endswith("jetzt auch in Teilzeit") and updated.start_date == datetime.date(
        2027, 9, 1
    )
    assert "teilzeit" in updated.search_text
    log = AuditLog.objects.filter(action="offer.import_update").get()
    assert set(log.changes) == {"title", "start_date"}


def test_reimport_keeps_a_closed_offer_closed(demo):
    run_import(str(SEARCH))
    Offer.objects.filter(external_ref="10001-1000000003-S").update(status=Offer.Status.CLOSED)
    run_import(str(SEARCH))
    assert imported()["10001-1000000003-S"].status == Offer.Status.CLOSED


def test_offer_whose_training_started_is_closed_when_it_comes_again(demo, tmp_path, monkeypatch):
    run_import(str(SEARCH))
    monkeypatch.setattr(ba_import, "current_date", lambda: datetime.date(2027, 8, 2))
    output = run_import(str(SEARCH / "page-1.json"))
    assert "Closed (training has started):" in output and "10001-1000000001-S" in output
    offers = imported()
    assert offers["10001-1000000001-S"].status == Offer.Status.CLOSED
    assert offers["10001-1000000007-S"].status == Offer.Status.PUBLISHED  # not in this import: left alone


# --- broken records ----------------------------------------------------------------------------------------


def test_broken_records_are_skipped_and_listed_the_rest_imported(demo):
    output = run_import(str(SEARCH))
    skipped = [line.strip() for line in output.splitlines() if line.strip().startswith("skipped:")]
    assert skipped == [
        "skipped: page-1.json #4: no reference number (refnr)",
        "skipped: 10001-1000000004-S: 'eintrittsdatum' is not a date: '01.08.2027'",
        "skipped: 10001-1000000005-S: occupation not in the catalogue: Mechatroniker/in",
        "skipped: 10001-1000000006-S: training started on 2026-08-01: no longer a training place",
    ]
    assert sorted(imported()) == VALID


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"refnr": "10001/../../x"}, "invalid reference number"),
        ({"beruf": None}, "no occupation (beruf)"),
        ({"arbeitgeber": ""}, "no employer named (arbeitgeber)"),
        ({"arbeitsort": {"plz": "661", "ort": "Saarbrücken"}}, "invalid postcode: '661'"),
        ({"arbeitsort": {"ort": "Atlantis"}}, "no postcode (arbeitsort.plz) and no known place"),
        (
            {"arbeitsort": {"ort": "Neunkirchen"}},
            "no postcode (arbeitsort.plz) and several places of that name: Neunkirchen",
        ),
        (
            {"arbeitsort": {"plz": "1010", "ort": "Wien", "land": "Österreich"}},
            "place of work outside Germany",
        ),
        ({"eintrittsdatum": None}, "no start date (eintrittsdatum)"),
        ({"eintrittsdatum": "2027-02-30"}, "'eintrittsdatum' is not a date"),
        ({"titel": 42}, "'titel' is not text"),
        ({"beruf": "Informatiker/in"}, "occupation not in the catalogue: Informatiker/in"),
    ],
)
def test_record_checks(demo, change, reason):
    raw = json.loads((SEARCH / "page-1.json").read_text(encoding="utf-8"))["stellenangebote"][0] | change
    report = ba_import.import_records([("test #1", raw)], today=TODAY)
    assert not report.created and len(report.skipped) == 1
    assert reason in report.skipped[0][1]


def test_place_without_postcode_is_found_by_name_and_a_record_twice_is_listed(demo):
    raw = json.loads((SEARCH / "page-1.json").read_text(encoding="utf-8"))["stellenangebote"][2]
    raw["arbeitsort"] = {"ort": "Saarlouis", "land": "Deutschland"}
    report = ba_import.import_records([("a", raw), ("b", raw)], today=TODAY)
    assert report.created == ["10001-1000000003-S"]
    assert report.skipped == [("10001-1000000003-S", "listed more than once in this import")]
    assert imported()["10001-1000000003-S"].postcode == "66740"


def test_place_without_postcode_is_narrowed_by_its_region_never_guessed(demo):
    """Issue #16: "Neunkirchen" alone was Neuenkirchen in Lower Saxony; with the BA's region it is the
    Saarland's, and "St. Wendel" (the BA's spelling) is Sankt Wendel."""
    records = json.loads((SEARCH / "page-1.json").read_text(encoding="utf-8"))["stellenangebote"]
    first, third = dict(records[0]), dict(records[2])
    first["arbeitsort"] = {"ort": "Neunkirchen", "region": "Saarland", "land": "Deutschland"}
    third["arbeitsort"] = {"ort": "St. Wendel", "land": "Deutschland"}
    report = ba_import.import_records([("a", first), ("b", third)], today=TODAY)
    assert report.skipped == []
    offers = imported()
    assert offers[first["refnr"]].postcode == "66538"
    assert offers[third["refnr"]].postcode == "66606"


def test_occupation_matcher_reads_the_ba_short_forms(demo):
    matcher = ba_import.OccupationMatcher()
    assert ba_import.gender_forms("Kaufmann/-frau") == ("Kaufmann", "Kauffrau")
    assert ba_import.gender_forms("Medizinische/r Fachangestellte/r") == (
        "Medizinischer Fachangestellter",
        "Medizinische Fachangestellte",
    )
    assert matcher.match("Tischlerin")[0].slug == "tischlausbv"
    assert matcher.match("Fachinformatiker/Fachinformatikerin")[0].slug == "fiausbv"
    occupation, specialisation = matcher.match("Fachinformatiker/in - Daten- und Prozessanalyse")
    assert occupation.slug == "fiausbv" and specialisation.name == "Daten- und Prozessanalyse"
    assert matcher.match("Kaufmann/-frau - Büromanagement")[0].slug == "bueromkfausbv"
    with pytest.raises(ba_import.RecordProblem, match="not in the catalogue"):
        matcher.match("Mechatroniker/in")


# --- the command and the CLI -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (DATA / "broken" / "truncated.json", "truncated.json: not valid JSON"),
        (DATA / "broken" / "not-jobsuche.json", "not-jobsuche.json: not a Jobsuche response"),
        (DATA / "missing.json", "no such file or directory"),
        (None, "no .json files"),  # an empty directory
    ],
)
def test_unusable_input_is_a_command_error(demo, path, message, tmp_path):
    path = path or tmp_path
    with pytest.raises(CommandError, match=message):
        run_import(str(path))
    assert not imported()


def test_command_arguments_are_checked(demo):
    with pytest.raises(CommandError, match="FILE_OR_DIR"):
        run_import()
    with pytest.raises(CommandError, match="not both"):
        run_import(str(SEARCH), "--live")
    with pytest.raises(CommandError, match="--details needs --live"):
        run_import(str(SEARCH), "--details")


def test_skipped_list_is_cut_after_twenty(demo, tmp_path):
    records = [{"beruf": "Tischler/in", "titel": f"ohne refnr {n}"} for n in range(25)]
    (tmp_path / "page.json").write_text(json.dumps({"stellenangebote": records, "maxErgebnisse": 25}))
    output = run_import(str(tmp_path / "page.json"))
    assert output.count("skipped: page.json #") == 20
    assert "… and 5 more skipped (--verbose-report lists all)." in output
    assert run_import(str(tmp_path / "page.json"), "--verbose-report").count("skipped: page.json #") == 25


def test_cli_imports_a_file_and_fails_with_one_line(migrated):
    tmp_path = migrated
    assert "import-offers" in run(["--help"], tmp_path).stdout
    # the subprocess has today's date: only the format of the report is checked here
    result = run(["import-offers", str(SEARCH)], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "8 records:" in result.stdout and "skipped: page-1.json #4: no reference number" in result.stdout
    assert "Importing offers" in result.stderr  # the progress bar
    assert_one_line_error(
        run(["import-offers", str(DATA / "broken" / "truncated.json")], tmp_path), "not valid JSON"
    )
    assert_one_line_error(
        run(["import-offers", str(DATA / "broken" / "not-jobsuche.json")], tmp_path),
        "not a Jobsuche response",
    )
    # port 9 (discard) on loopback: nothing listens there
    result = run(
        ["import-offers", "--live", "--was", "Tischler", "--base-url", "http://127.0.0.1:9"], tmp_path
    )
    assert_one_line_error(result, "cannot reach the Jobsuche API")


# --- the live client against a local stand-in of the API ---------------------------------------------------


class FakeJobsuche(BaseHTTPRequestHandler):
    """Answers like the Jobsuche API from the recorded files; refuses requests without the API key."""

    requests: list[str] = []

    def do_GET(self) -> None:
        FakeJobsuche.requests.append(self.path)
        url = urllib.parse.urlsplit(self.path)
        if self.headers.get("X-API-Key") != "jobboerse-jobsuche":
            return self._send(403, b"{}")
        if url.path == "/pc/v4/jobs":
            query = urllib.parse.parse_qs(url.query)
            if query.get("angebotsart") != ["4"]:
                return self._send(400, b"{}")
            page = SEARCH / f"page-{query['page'][0]}.json"
            return self._send(200, page.read_bytes() if page.exists() else b'{"maxErgebnisse": "8"}')
        if url.path.startswith("/pc/v4/jobdetails/"):
            refnr = base64.b64decode(url.path.rsplit("/", 1)[1]).decode()
            file = DATA / "details" / f"{refnr}.json"
            return self._send(200, file.read_bytes()) if file.exists() else self._send(404, b"{}")
        return self._send(404, b"{}")

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def fake_api():
    FakeJobsuche.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeJobsuche)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_live_import_pages_through_the_api_with_details(demo, fake_api):
    output = run_import(
        "--live", "--was", "Tischler", "--wo", "Saarbrücken", "--umkreis", "25", "--size", "4", "--details",
        "--base-url", fake_api,
    )  # fmt: skip
    assert "8 records: 4 created" in output
    searches = [path for path in FakeJobsuche.requests if path.startswith("/pc/v4/jobs")]
    assert len(searches) == 2  # maxErgebnisse 8 at 4 per page: no third request
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(searches[0]).query)
    assert query == {
        "angebotsart": ["4"], "was": ["Tischler"], "wo": ["Saarbrücken"], "umkreis": ["25"], "page": ["1"], "size": ["4"]
    }  # fmt: skip
    offer = imported()["10001-1000000001-S"]
    assert offer.description.startswith("Du lernst bei uns") and offer.places == 2
    assert "webanwendungen" in offer.search_text
    # the details of the other offers answered 404: imported without description, listed
    assert output.count("no details:") == 3 and imported()["10001-1000000003-S"].description == ""


def test_live_import_stops_at_pages_and_at_an_empty_page(demo, fake_api):
    client = ba_import.JobsucheClient(base_url=fake_api)
    assert len(list(client.pages(was="Tischler", max_pages=1, size=4))) == 1
    FakeJobsuche.requests = []
    pages = list(client.pages(was="Tischler", max_pages=5, size=2))  # 4 pages by maxErgebnisse
    assert [len(page.records) for page in pages] == [4, 4, 0]  # the stand-in has two: page 3 is empty, stop


def test_live_client_errors_are_one_readable_line(fake_api):
    with pytest.raises(ba_import.BAImportError, match="HTTP 403"):
        ba_import.JobsucheClient(base_url=fake_api, api_key="wrong").search_page(
            was="", wo="", umkreis=None, page=1, size=10
        )
    with pytest.raises(ba_import.BAImportError, match="must start with https://"):
        ba_import.JobsucheClient(base_url="file:///etc/passwd")
    assert ba_import.encode_refnr("10000-1184867112-S") == "MTAwMDAtMTE4NDg2NzExMi1T"


# --- public pages ------------------------------------------------------------------------------------------


def test_imported_offers_are_found_and_link_to_the_source(demo):
    run_import(str(SEARCH))
    body = Client().get(reverse("offers:search"), {"q": "Beispiel Software"}).content.decode()
    assert "Beispiel Software Saar GmbH" in body
    body = Client().get(reverse("offers:search"), {"ort": "66606", "umkreis": "10"}).content.decode()
    assert "Holzwerkstatt Beispiel" in body

    offer = imported()["10001-1000000003-S"]
    client = Client()
    client.force_login(demo["schueler"])  # a pupil sees "Apply now" on offers entered here
    body = client.get(reverse("offers:detail", kwargs={"offer_id": offer.pk})).content.decode()
    assert f'href="{offer.external_url}"' in body
    assert "Bundesagentur für Arbeit" in body
    assert reverse("offers:apply", kwargs={"offer_id": offer.pk}) not in body


def test_numbers_of_the_response_are_ascii_digits_only():
    """A count in superscript digits ("²".isdigit() is true, int("²") fails) is no count, not a crash."""
    assert ba_import.parse_response({"stellenangebote": [], "maxErgebnisse": "²"}, "test").total is None
    assert ba_import.parse_response({"stellenangebote": [], "maxErgebnisse": " 12 "}, "test").total == 12
    assert ba_import.parse_details({"anzahlOffeneStellen": "١٢"}).places is None
