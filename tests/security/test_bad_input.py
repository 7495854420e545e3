"""Malformed input never causes a server error (issue #13, "no 500 on bad input").

Attack: anyone (anonymous on public pages, any account on its own pages) sends values a browser form would not:
superscript digits ("²" passes `str.isdigit()` but `int("²")` fails), numbers past the database's 64-bit
integers, Arabic-Indic digits, NUL bytes, emoji, empty strings. Before the fix, hand-written parses
(`int(raw) if raw.isdigit()`) and unbounded API pagination answered with 500 (an error mail for every request,
a cheap way to flood the operators and hide real errors).

Defence: integers, ids and dates from requests are parsed in one place, `ausbildung.core.params` (ASCII digits
only, bounded to the database's integer range); forms validate with bounds; bad filters are shown as an error
on the page; the API's pagination and ids are bounded in its schema (see tests/api/test_schemathesis.py).

The walk: every URL pattern of the permission matrix, requested as a role that may use it. On GET, every query
parameter the view reads (from its source) or that its page's search forms send gets each malformed value; on
POST, every field of the forms the page renders for itself (and of the form classes the view binds to
request.POST) gets each malformed value, alone and all at once. No answer may be a server error.
"""

from __future__ import annotations

import inspect
import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import Resolver404, resolve, reverse

from tests.core.matrix_outcomes import ANON, LOGIN, ROLES
from tests.core.test_permission_matrix import MATRIX, all_view_names, login

# Run once per `make test`: on PostgreSQL when reachable (Makefile, docs/architecture.md "Databases").
pytestmark = pytest.mark.sweep

# What a browser form would not send.
MALFORMED = [
    "²",  # superscript two: "²".isdigit() is True, int("²") raises
    "¹²",
    "9" * 25,  # past 64-bit integers
    "-1",
    "",
    "abc",
    "١٢",  # Arabic-Indic digits: int() accepts them, they are not what we show
    "1e9",
    "0x10",
    "\x00",  # PostgreSQL rejects NUL in text
    "😀",
]
# Each field alone gets these (plus one more of MALFORMED in turn); all fields together get every value.
EACH_FIELD = ["²", "9" * 25, "abc"]

# Parameters read by code the view calls (not by its own body) and not shown in a form of its page.
EXTRA_GET = {
    "orientation:compare": ["beruf"],
    "records:chamber": ["stichtag"],
}
EXTRA_POST = {
    "set_language": ["language", "next"],
}


class FormParser(HTMLParser):
    """The forms of a page: method, action, and (name, value) of their fields."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._current: dict | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self._current = {
                "method": (attributes.get("method") or "get").lower(),
                "action": attributes.get("action") or "",
                "fields": [],
            }
            self.forms.append(self._current)
        elif tag in {"input", "select", "textarea", "button"} and self._current and attributes.get("name"):
            self._current["fields"].append((attributes["name"], attributes.get("value") or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def allowed_role(expected) -> str:
    """The first role for which the URL does something (not the login page, not refused, not hidden)."""
    return next((role for role in ROLES if expected(role) not in {LOGIN, 403, 404}), ANON)


def view_name_of(path: str) -> str | None:
    try:
        return resolve(path.split("?", 1)[0]).view_name
    except Resolver404:
        return None


READS = re.compile(r"request\.(GET|POST)(?:\.get|\.getlist|\[)\(?\s*\"([\w-]+)\"")
IN_POST = re.compile(r"\"([\w-]+)\" in request\.(GET|POST)")
BOUND_FORM = re.compile(r"([\w.]+)\(\s*request\.(GET|POST)\b")


def names_read_by(path: str) -> dict[str, set[str]]:
    """Query parameters and POST fields the view's own code reads, and the fields of the form classes it binds
    to them (the walk must cover at least these)."""
    func = resolve(path).func
    func = getattr(func, "view_class", None) or func
    while hasattr(func, "__wrapped__"):
        func = func.__wrapped__
    try:
        source = inspect.getsource(func)
    except (OSError, TypeError):
        return {"GET": set(), "POST": set()}
    names: dict[str, set[str]] = {"GET": set(), "POST": set()}
    for method, name in READS.findall(source):
        names[method].add(name)
    for name, method in IN_POST.findall(source):
        names[method].add(name)
    for dotted, method in BOUND_FORM.findall(source):
        obj = getattr(func, "__globals__", {}).get(dotted.split(".")[0])
        for part in dotted.split(".")[1:]:
            obj = getattr(obj, part, None)
        names[method].update(getattr(obj, "base_fields", {}))
    return names


def api_query_parameters(client, path: str) -> set[str]:
    """The query parameters the OpenAPI schema declares for the route (any method)."""
    schema = json.loads(client.get("/api/v1/openapi.json").content)
    for template, operations in schema["paths"].items():
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path):
            return {
                parameter["name"]
                for operation in operations.values()
                for parameter in operation.get("parameters", [])
                if parameter["in"] == "query"
            }
    return set()


DATE_IN_NAME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def requests_for(fields: list[str], base: dict[str, list[str]]):
    """Every malformed value in all fields at once; each field alone with a few of them (the rest as rendered).
    Of fields that differ only by a date ("hours-2025-09-01" … "hours-2025-09-07"), one goes alone."""
    if not fields:
        return
    for value in MALFORMED:
        yield {**base, **{name: [value] for name in fields}}
    alone = {DATE_IN_NAME.sub("…", name): name for name in reversed(fields)}
    for index, name in enumerate(sorted(alone.values())):
        for value in [*EACH_FIELD, MALFORMED[index % len(MALFORMED)]]:
            yield {**base, name: [value]}


def assert_no_server_error(
    client, method: str, path: str, data: dict[str, list[str]], failures: list
) -> None:
    send = client.get if method == "GET" else client.post
    response = send(path, data)
    if response.status_code >= 500:
        shown = {key: values for key, values in data.items() if key != "csrfmiddlewaretoken"}
        failures.append(f"{method} {path} {shown!r} → {response.status_code}")


PAGES = sorted(
    name for name in MATRIX if name not in {"api:openapi-json", "api:openapi-view", "api:api-root"}
)


@pytest.mark.parametrize("view_name", PAGES)
def test_malformed_values_never_cause_a_server_error(view_name, demo, client_for, outsider):
    kwargs_builder, expected = MATRIX[view_name]
    path = reverse(view_name, kwargs=kwargs_builder(demo) if kwargs_builder else None)
    client = login(client_for, allowed_role(expected), outsider)
    client.raise_request_exception = False  # a server error is an answer (500) here, not an exception

    page = client.get(path)
    assert page.status_code < 500, f"GET {path} → {page.status_code}"
    forms = FormParser()
    if page.get("Content-Type", "").startswith("text/html"):
        forms.feed(page.content.decode())

    # Query parameters: the view's own reads, its page's search forms, the API schema's parameters.
    read = names_read_by(path)
    query = read["GET"] | set(EXTRA_GET.get(view_name, []))
    for form in forms.forms:
        if form["method"] == "get" and view_name_of(form["action"] or path) == view_name:
            query.update(name for name, _value in form["fields"])
    if path.startswith("/api/"):
        query |= api_query_parameters(client, path)

    failures: list[str] = []
    for data in requests_for(sorted(query), {}):
        assert_no_server_error(client, "GET", path, data, failures)

    # POST: the forms the page renders for its own URL (the rendered values as the base), and the fields the
    # view reads itself (POST-only views: no page of their own).
    posts: list[tuple[list[str], dict[str, list[str]]]] = []
    for form in forms.forms:
        if form["method"] == "post" and view_name_of(form["action"] or path) == view_name:
            base: dict[str, list[str]] = {}
            for name, value in form["fields"]:
                base.setdefault(name, [value])
            posts.append((sorted(set(base) - {"csrfmiddlewaretoken"}), base))
    own = read["POST"] | set(EXTRA_POST.get(view_name, []))
    if own - {name for fields, _base in posts for name in fields}:
        posts.append((sorted(own), {}))
    if not path.startswith("/api/"):
        for fields, base in posts:
            for data in requests_for(fields, base):
                assert_no_server_error(client, "POST", path, data, failures)

    assert failures == [], f"{len(failures)} server errors:\n" + "\n".join(failures[:30])


# --- the probe's findings, one by one -------------------------------------------------------------------------


def test_superscript_duration_filter_is_reported_not_a_server_error(db, client):
    """`GET /berufe/?dauer=²` (anonymous) was a 500; now the page says the filter was not understood."""
    response = client.get(reverse("core:occupation_list"), {"dauer": "²"})
    assert response.status_code == 200
    assert "Die Dauer wurde nicht erkannt" in response.content.decode()


def test_huge_offset_in_the_api_lists_is_refused(db, client):
    """A 25-digit offset or limit is a 422 problem (bounded in the schema), not an OverflowError."""
    for parameter in ("offset", "limit"):
        response = client.get("/api/v1/occupations", {parameter: "9" * 25})
        assert response.status_code == 422
        assert response["Content-Type"] == "application/problem+json"


def test_case_step_of_letters_is_not_found(demo, client_for):
    """`step=abc` in a case action was a 500 (ValueError in the lookup); now 404."""
    from ausbildung.transition.models import Case

    case = Case.objects.get(person=demo["schueler"])
    url = reverse("transition:case_detail", kwargs={"case_id": case.pk})
    for value in ("abc", "²", "9" * 25):
        assert client_for("counsellor").post(url, {"action": "step_done", "step": value}).status_code == 404


def test_examiner_link_with_a_malformed_validity_is_not_created(demo, client_for):
    """`days=²` was a 500; out-of-range or malformed validity now creates no link and says so."""
    from ausbildung.core.models import TrainingContract
    from ausbildung.records.models import ExaminerShare

    contract = TrainingContract.objects.get(apprentice=demo["azubi"])
    url = reverse("records:share", kwargs={"contract_id": contract.pk})
    for value in ("²", "0", "91", "9" * 25):
        response = client_for("chamber_officer").post(url, {"days": value}, follow=True)
        assert response.status_code == 200
        assert "es wurde kein Link erstellt" in response.content.decode()
    assert not ExaminerShare.objects.filter(contract=contract).exists()


def test_arabic_indic_digits_are_no_postcode_or_school_year(demo):
    """int() and \\d accept "١٢"; forms take ASCII digits only, as shown to the user."""
    from ausbildung.offers.forms import ProfileForm
    from ausbildung.transition.forms import SCHOOL_YEAR

    assert not ProfileForm({"postcode": "٦٦١١١", "certificate": ""}).is_valid()
    assert SCHOOL_YEAR.match("٢٠٢٥/٢٦") is None


ADMIN_SHARDS = 3


@pytest.mark.parametrize("shard", range(ADMIN_SHARDS))
def test_malformed_values_in_admin_lists_never_cause_a_server_error(shard, demo, client_for):
    """The admin's change lists (platform administrators): search, page, order, and every filter the list
    links to, each malformed. A date-hierarchy year past the calendar was a 500 (Django's change list)."""
    client = client_for("platform_admin")
    client.raise_request_exception = False
    names = [name for name in all_view_names() if name.startswith("admin:") and name.endswith("_changelist")]
    assert len(names) >= 20
    failures: list[str] = []
    for name in names[shard::ADMIN_SHARDS]:
        path = reverse(name)
        page = client.get(path)
        assert page.status_code == 200, f"{path} → {page.status_code}"
        filters = set(re.findall(r'href="\?([a-z_]+)=', page.content.decode()))
        fields = sorted(filters | {"q", "p", "o", "e", "_to_field", "_popup"})
        for value in MALFORMED:
            assert_no_server_error(client, "GET", path, {name: [value] for name in fields}, failures)
        for field in fields:
            for value in ("9" * 25, "²", "9999"):
                assert_no_server_error(client, "GET", path, {field: [value]}, failures)
    assert failures == [], f"{len(failures)} server errors:\n" + "\n".join(failures[:30])
