"""Property-based API test: Schemathesis generates requests for every operation of the OpenAPI schema.

The app runs in-process (WSGI) on the pytest-django test database, as the demo apprentice with a bearer
token. Whatever is sent, the API answers with a client error at worst, never with a server error.
Each operation is also called on the apprentice's own contract (and a real week of it), so generated bodies
reach the record services instead of stopping at "not found".
"""

from __future__ import annotations

import datetime

import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.checks import not_a_server_error  # noqa: E402

from ausbildung.core.models import TrainingContract  # noqa: E402
from ausbildung.core.tokens import api_token_create  # noqa: E402
from ausbildung.offers.models import Application  # noqa: E402
from ausbildung.records import services  # noqa: E402
from ausbildung.wsgi import application  # noqa: E402

WEEK = datetime.date(2025, 9, 8)  # a Monday in the demo apprentice's training


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


@pytest.fixture
def apprentice(demo) -> dict:
    _token, secret = api_token_create(actor=None, user=demo["azubi"], name="schemathesis")
    contract = TrainingContract.objects.get(apprentice=demo["azubi"])
    return {"headers": {"Authorization": f"Bearer {secret}"}, "contract_id": contract.pk}


@pytest.fixture
def trainer(demo) -> dict:
    contract = TrainingContract.objects.get(apprentice=demo["azubi"])
    period = services.record_period_save(
        actor=demo["azubi"],
        contract=contract,
        start=WEEK,
        data=services.PeriodInput(
            company_work="Rechner eingerichtet und Netzwerk dokumentiert.",
            instruction="",
            school="",
            item_ids=[],
            days=[
                services.DayInput(
                    date=WEEK + datetime.timedelta(days=n),
                    place="company" if n < 5 else "free",
                    hours="7" if n < 5 else None,
                )
                for n in range(7)
            ],
        ),
    )
    services.record_period_submit(actor=demo["azubi"], period=period)
    _token, secret = api_token_create(actor=None, user=demo["ausbilder"], name="schemathesis")
    return {"headers": {"Authorization": f"Bearer {secret}"}, "contract_id": contract.pk}


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
    """The generated request; then on the person's own contract; then on a real week of it."""

    def call() -> None:
        case.call_and_validate(app=app, headers=person["headers"], checks=[not_a_server_error])

    call()
    if "contract_id" in (case.path_parameters or {}):
        case.path_parameters["contract_id"] = person["contract_id"]
        call()
        if "start" in case.path_parameters:
            case.path_parameters["start"] = WEEK.isoformat()
            call()


@schema.parametrize()
@SETTINGS
def test_no_server_errors(case, api_app, apprentice):
    call_variants(case, api_app, apprentice)


@schema.include(tag="records").parametrize()
@SETTINGS
def test_no_server_errors_for_the_trainer(case, api_app, trainer):
    """The trainer's side (queue, sign, return) on a week the apprentice has submitted."""
    call_variants(case, api_app, trainer)


@pytest.fixture
def offers_people(demo) -> dict:
    """The pupil and the company administrator, with the demo offer and a sent application to it."""
    from tests.offers.conftest import demo_offer, sent_application

    application = sent_application(demo)
    ids = {"offer_id": demo_offer().pk, "application_id": application.pk}
    people = {}
    for username in ("schueler", "betrieb"):
        _token, secret = api_token_create(actor=None, user=demo[username], name="schemathesis")
        people[username] = {"headers": {"Authorization": f"Bearer {secret}"}, **ids}
    return people


@schema.include(tag="offers").parametrize()
@SETTINGS
def test_no_server_errors_in_the_offers_api(case, api_app, offers_people):
    """Both sides of an application: generated requests, then on the real offer and application (the
    application is reset to "sent" before each call, so generated steps reach the state machine)."""
    for person in offers_people.values():
        case.call_and_validate(app=api_app, headers=person["headers"], checks=[not_a_server_error])
        parameters = case.path_parameters or {}
        real = {key: person[key] for key in ("offer_id", "application_id") if key in parameters}
        if real:
            Application.objects.filter(pk=person["application_id"]).update(state=Application.State.SENT)
            case.path_parameters.update(real)
            case.call_and_validate(app=api_app, headers=person["headers"], checks=[not_a_server_error])
