"""Property-based API test: Schemathesis generates requests for every operation of the OpenAPI schema.

The app runs in-process (WSGI) on the pytest-django test database. Every operation is called by several
people with bearer tokens (and anonymously): the apprentice, the trainer, the company administrator, the pupil,
as far as the operation's area concerns them. Whatever is sent (in and out of the schema's bounds: Schemathesis
generates positive and negative cases), the API answers with a client error at worst, never with a server
error. Each generated case is also sent with the person's own ids (contract, a real week, offer, application),
so generated bodies reach the services instead of stopping at "not found".
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.urls import reverse
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.checks import not_a_server_error  # noqa: E402

from ausbildung.core.models import TrainingContract  # noqa: E402
from ausbildung.core.tokens import api_token_create  # noqa: E402
from ausbildung.offers.models import Application  # noqa: E402
from ausbildung.records import services  # noqa: E402
from ausbildung.wsgi import application  # noqa: E402
from tests.core.test_permission_matrix import MATRIX, all_view_names  # noqa: E402

# Run once per `make test`: on PostgreSQL when reachable (Makefile, docs/architecture.md "Databases").
pytestmark = pytest.mark.sweep

SUBMITTED_WEEK = datetime.date(2025, 9, 8)  # a Monday in the demo apprentice's training, submitted for review
DRAFT_WEEK = datetime.date(2025, 9, 15)  # the next one, left to the apprentice's generated writes

# Who calls the operations of each tag (besides an anonymous visitor).
PEOPLE_BY_TAG = {
    "core": ["azubi", "betrieb"],
    "records": ["azubi", "ausbilder"],
    "offers": ["schueler", "betrieb"],
    "monitoring": ["monitor", "azubi"],
}


@pytest.fixture
def api_app(demo, settings):
    """A WSGI app on the test database. Like Django's test client, it must not close the database connection
    at the end of each request (that would end the test's transaction on PostgreSQL)."""
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def submit_week(demo, contract: TrainingContract) -> None:
    period = services.record_period_save(
        actor=demo["azubi"],
        contract=contract,
        start=SUBMITTED_WEEK,
        data=services.PeriodInput(
            company_work="Rechner eingerichtet und Netzwerk dokumentiert.",
            instruction="",
            school="",
            item_ids=[],
            days=[
                services.DayInput(
                    date=SUBMITTED_WEEK + datetime.timedelta(days=n),
                    place="company" if n < 5 else "free",
                    hours="7" if n < 5 else None,
                )
                for n in range(7)
            ],
        ),
    )
    services.record_period_submit(actor=demo["azubi"], period=period)


@pytest.fixture
def people(demo) -> dict[str, dict]:
    """By username: bearer headers and the ids of the person's own objects; "" is the anonymous visitor."""
    from tests.offers.conftest import demo_offer, sent_application

    contract = TrainingContract.objects.get(apprentice=demo["azubi"])
    submit_week(demo, contract)
    ids = {
        "contract_id": contract.pk,
        "offer_id": demo_offer().pk,
        "application_id": sent_application(demo).pk,
    }
    found: dict[str, dict] = {"": {"headers": {}, "start": DRAFT_WEEK, **ids}}
    for username in ("azubi", "ausbilder", "betrieb", "schueler", "monitor"):
        _token, secret = api_token_create(actor=None, user=demo[username], name="schemathesis")
        start = SUBMITTED_WEEK if username == "ausbilder" else DRAFT_WEEK
        found[username] = {"headers": {"Authorization": f"Bearer {secret}"}, "start": start, **ids}
    return found


# Loaded in-process when the module is collected (the schema route needs no database); one test per
# operation. (`schemathesis.pytest.from_fixture` would load it per test, but fails on pytest 9.)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


SETTINGS = hypothesis_settings(
    max_examples=8,
    deadline=None,
    derandomize=True,  # the same cases on every run: a failure is reproducible, CI is not flaky
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)


def call_variants(case, app, person: dict) -> None:
    """The generated request; then with the person's own ids (and a real week) in the path."""
    case.call_and_validate(app=app, headers=person["headers"], checks=[not_a_server_error])
    parameters = case.path_parameters or {}
    real = {key: person[key] for key in ("contract_id", "offer_id", "application_id") if key in parameters}
    if "start" in parameters:
        real["start"] = person["start"].isoformat()
    if real:
        if "application_id" in real:  # back to "sent", so generated steps reach the state machine
            Application.objects.filter(pk=person["application_id"]).update(state=Application.State.SENT)
        case.path_parameters.update(real)
        case.call_and_validate(app=app, headers=person["headers"], checks=[not_a_server_error])


@schema.parametrize()
@SETTINGS
def test_no_server_errors(case, api_app, people):
    tags = case.operation.tags or []
    assert tags and tags[0] in PEOPLE_BY_TAG, f"{case.operation.label}: tag {tags} has no people to call it"
    for username in ["", *PEOPLE_BY_TAG[tags[0]]]:
        call_variants(case, api_app, people[username])


def test_every_api_route_is_in_the_schema(demo):
    """Schemathesis tests what the schema lists: a route hidden from it would go untested."""
    documented = [
        "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$" for path in schema.raw_schema["paths"]
    ]
    undocumented = []
    for name in all_view_names():
        if not name.startswith("api:") or name in {"api:api-root", "api:openapi-json", "api:openapi-view"}:
            continue
        kwargs_builder, _expected = MATRIX[name]
        url = reverse(name, kwargs=kwargs_builder(demo) if kwargs_builder else None)
        if not any(re.match(pattern, url) for pattern in documented):
            undocumented.append(name)
    assert undocumented == []


def test_every_list_bounds_its_pagination():
    """offset and limit carry a maximum in the schema (a 25-digit offset was a server error)."""
    unbounded = []
    for path, operations in schema.raw_schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                bounded = "maximum" in parameter["schema"]
                if parameter["in"] == "query" and parameter["name"] in {"offset", "limit"} and not bounded:
                    unbounded.append(f"{method.upper()} {path} {parameter['name']}")
    assert unbounded == []
