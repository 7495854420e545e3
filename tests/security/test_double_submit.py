"""Attack (or an impatient double click): the same form is sent twice, or several times at once.

Before, every POST repeated its action: two consents, two case contacts, two internal notes, two examiner
links, two guardian acknowledgements, two clearing rounds, from one rendered form.

Defence: each state-changing form carries a one-time token made at render (`{% form_token %}`);
`core.submissions.FormTokenMiddleware` runs the view in a transaction that first inserts the token's hash
into a unique column. A repeat with the same token does not run the view again: it is led to the result of
the first with the message "Schon gespeichert". Sent in parallel, the second waits on the unique index until
the first has committed (PostgreSQL; SQLite lets one writer in at a time). A form with errors does not use
up its token. Without a token (API clients), the domain's unique keys hold and a repeat gets a 422, not a
500. An API save of a record period must say which version it read: without it 428, when stale 409; a
second device never overwrites silently.
"""

from __future__ import annotations

import datetime
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ausbildung.core.demo import demo_load
from ausbildung.core.models import FormSubmission, TrainingContract
from ausbildung.core.submissions import token_hash
from ausbildung.offers.models import Application, ApplicationNote
from ausbildung.records.models import ExaminerShare, GuardianAcknowledgement
from ausbildung.transition.clearing.models import ClearingRound
from ausbildung.transition.models import Case, CaseContact, Consent, Destination
from tests.conftest import ROLE_USERS
from tests.offers.conftest import demo_offer, sent_application
from tests.transition.clearing.helpers import agency

TOKEN = re.compile(r'name="form_token" value="([^"]+)"')
ALREADY_SAVED = "Schon gespeichert"


def token_on(client: Client, url: str) -> str:
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="de")
    assert page.status_code == 200
    match = TOKEN.search(page.content.decode())
    assert match, f"no form token on {url}"
    return match.group(1)


@dataclass
class Form:
    """A state-changing form: who sends it, the page that renders it, where it posts, what it creates."""

    role: str
    page: Callable[[Any], str]
    action: Callable[[Any], str]
    data: Callable[[Any], dict[str, Any]]
    rows: Callable[[], int]


def consent_page() -> str:
    """The consent page of a leaver without any consent or request (the counsellor sees no name there)."""
    return reverse("transition:consent", args=[Destination.objects.get(pupil__username="demo-mia").pk])


def today(days: int = 0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def case_url(demo) -> str:
    return reverse("transition:case_detail", args=[Case.objects.get(person=demo["schueler"]).pk])


def contract(demo) -> TrainingContract:
    return TrainingContract.objects.get(apprentice=demo["azubi"])


def book_url(demo) -> str:
    return reverse("records:book", kwargs={"contract_id": contract(demo).pk})


FORMS = {
    "case contact": Form(
        role="counsellor",
        page=case_url,
        action=case_url,
        data=lambda demo: {
            "action": "contact",
            "contact-day": today(),
            "contact-channel": "phone",
            "contact-note": "Telefonat zur Bewerbung",
        },
        rows=CaseContact.objects.count,
    ),
    "consent request": Form(
        role="counsellor",
        page=lambda demo: consent_page(),
        action=lambda demo: consent_page(),
        data=lambda demo: {"action": "request", "request-agency": agency().pk},
        rows=Consent.objects.count,
    ),
    "internal note": Form(
        role="company_admin",
        page=lambda demo: reverse("offers:application", args=[sent_application(demo).pk]),
        action=lambda demo: reverse("offers:note", args=[sent_application(demo).pk]),
        data=lambda demo: {"text": "Zum Gespräch einladen."},
        rows=ApplicationNote.objects.count,
    ),
    "examiner link": Form(
        role="chamber_officer",
        page=book_url,
        action=lambda demo: reverse("records:share", kwargs={"contract_id": contract(demo).pk}),
        data=lambda demo: {"days": "7"},
        rows=ExaminerShare.objects.count,
    ),
    "guardian acknowledgement": Form(
        role="guardian",
        page=book_url,
        action=lambda demo: reverse("records:acknowledge", kwargs={"contract_id": contract(demo).pk}),
        data=lambda demo: {},
        rows=GuardianAcknowledgement.objects.count,
    ),
    "clearing round": Form(
        role="counsellor",
        page=lambda demo: reverse("transition:clearing:round_create"),
        action=lambda demo: reverse("transition:clearing:round_create"),
        data=lambda demo: {
            "organiser": agency().pk,
            "name": "Nachvermittlung Winter",
            "opens_on": today(),
            "ranking_closes_on": today(2),
            "result_published_on": today(3),
        },
        rows=ClearingRound.objects.count,
    ),
}


@pytest.mark.parametrize("name", FORMS)
def test_a_form_sent_twice_is_saved_once(demo, client_for, name):
    form = FORMS[name]
    client = client_for(form.role)
    data = {**form.data(demo), "form_token": token_on(client, form.page(demo))}
    before = form.rows()
    first = client.post(form.action(demo), data)
    assert form.rows() == before + 1, first.content
    # Success is a redirect, or a page shown once that names where a repeat leads (a new examiner link).
    result = first["Location"] if first.status_code == 302 else first.form_result_url
    again = client.post(form.action(demo), data, HTTP_ACCEPT_LANGUAGE="de")
    assert again.status_code == 302 and again["Location"] == result
    assert form.rows() == before + 1
    assert any(ALREADY_SAVED in str(m) for m in get_messages(again.wsgi_request))


def test_a_form_with_errors_does_not_use_up_its_token(demo, client_for):
    form = FORMS["case contact"]
    client = client_for(form.role)
    token = token_on(client, form.page(demo))
    invalid = {**form.data(demo), "contact-day": "", "form_token": token}
    assert client.post(form.action(demo), invalid).status_code == 200  # the German field error
    assert not FormSubmission.objects.exists()
    before = form.rows()
    fixed = client.post(form.action(demo), {**form.data(demo), "form_token": token})
    assert fixed.status_code == 302 and form.rows() == before + 1


def test_someone_elses_token_is_refused(demo, client_for):
    """A token stands for one person's rendered form; replayed by another person it is not their repeat."""
    share, acknowledge = FORMS["examiner link"], FORMS["guardian acknowledgement"]
    chamber = client_for(share.role)
    token = token_on(chamber, share.page(demo))
    chamber.post(share.action(demo), {**share.data(demo), "form_token": token})
    assert FormSubmission.objects.filter(token_hash=token_hash(token)).exists()
    before = acknowledge.rows()
    response = client_for(acknowledge.role).post(acknowledge.action(demo), {"form_token": token})
    assert response.status_code == 400 and acknowledge.rows() == before


def test_a_damaged_token_is_refused(demo, client_for):
    form = FORMS["case contact"]
    before = form.rows()
    response = client_for(form.role).post(form.action(demo), {**form.data(demo), "form_token": "x' OR 1=1"})
    assert response.status_code == 400 and form.rows() == before


def test_an_api_save_without_version_does_not_overwrite(demo):
    """Two devices of one apprentice: a save that does not say which version it read must not silently
    replace what the other device saved (RFC 6585: 428 Precondition Required; stale: 409 Conflict)."""
    client = Client()
    client.force_login(demo["azubi"])
    url = reverse(
        "api:records_period_detail", kwargs={"contract_id": contract(demo).pk, "start": "2025-09-08"}
    )
    read = client.get(url).json()
    days = [
        {"date": d["date"], "place": d["place"], "hours": d["hours"], "note": d["note"]} for d in read["days"]
    ]

    def put(**fields: Any):
        body = {"company_work": "Netzwerk geplant.", "days": days, **fields}
        return client.put(url, json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE="de")

    assert put(version=read["version"]).status_code == 200
    missing = put(company_work="Vom anderen Gerät, ohne Version.")
    assert missing.status_code == 428 and missing["Content-Type"] == "application/problem+json"
    assert "Version" in missing.json()["detail"]
    stale = put(company_work="Vom anderen Gerät, alte Version.", version=read["version"])
    assert stale.status_code == 409 and stale.json()["status"] == 409
    assert client.get(url).json()["company_work"] == "Netzwerk geplant."


def test_a_web_save_without_version_does_not_overwrite(demo, client_for):
    """The week page's editor sends the version it read (hidden field, also with every autosave). A save
    without it (a stale or hand-made form) is refused with "reload the page" and changes nothing; before, it
    was saved silently over whatever another device had saved."""
    url = reverse("records:period", kwargs={"contract_id": contract(demo).pk, "start": "2025-09-08"})
    data = {"action": "save", "company_work": "Netzwerk geplant."}
    for offset in range(7):
        day = f"2025-09-{8 + offset:02d}"
        data[f"place-{day}"], data[f"hours-{day}"] = ("company", "8") if offset < 5 else ("free", "")
    apprentice = client_for("apprentice")
    assert apprentice.post(url, {**data, "version": "0"}).status_code == 302

    missing = apprentice.post(url, {**data, "company_work": "Vom anderen Gerät, ohne Version."})
    assert missing.status_code == 200 and "Bitte lade die Seite neu" in missing.content.decode()
    autosave = apprentice.post(
        url, {**data, "action": "autosave", "company_work": "Ohne Version."}, headers={"HX-Request": "true"}
    )
    assert autosave.status_code == 422
    stale = apprentice.post(url, {**data, "version": "0", "company_work": "Vom anderen Gerät, alte Version."})
    assert stale.status_code == 200 and "an anderer Stelle geändert" in stale.content.decode()
    period = contract(demo).record_periods.get()
    assert (period.company_work, period.version) == ("Netzwerk geplant.", 1)


PARALLEL = 4
SQLITE_SKIP = (
    "SQLite test database in memory (shared cache): a second writer fails at once ('database table is locked') "
    "instead of waiting; the file database of a deployment lets one writer in at a time (BEGIN IMMEDIATE, "
    "busy timeout). Runs on PostgreSQL."
)


def fire_together(clients: list[Client], send: Callable[[Client], Any]) -> list[int]:
    """Each client sends at the same moment (a barrier), in its own thread with its own connection."""
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []
    errors: list[BaseException] = []

    def run(client: Client) -> None:
        try:
            barrier.wait(timeout=30)
            statuses.append(send(client).status_code)
        except BaseException as error:  # reported below; a thread must not die silently
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    return sorted(statuses)


def clients_of(user, count: int = PARALLEL) -> list[Client]:
    clients = []
    for _ in range(count):
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", ["case contact", "clearing round", "examiner link"])
def test_parallel_posts_of_one_form_save_once(name):
    """Several requests with the same token at the same moment (a double click on a slow line)."""
    if connection.vendor == "sqlite":
        pytest.skip(SQLITE_SKIP)
    demo = demo_load()
    form = FORMS[name]
    clients = clients_of(demo[ROLE_USERS[form.role]])
    token = token_on(clients[0], form.page(demo))
    data, url, before = {**form.data(demo), "form_token": token}, form.action(demo), form.rows()
    statuses = fire_together(clients, lambda client: client.post(url, data))
    # One request runs the form: a redirect, or for a new examiner link the page that shows its secret once;
    # the others are led to that result.
    first = 200 if name == "examiner link" else 302
    assert sorted(statuses) == sorted([first] + [302] * (PARALLEL - 1))
    assert form.rows() == before + 1
    assert FormSubmission.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_api_applications_create_one():
    """Without a form token (an API client retrying): the domain key (one application per offer and pupil)
    holds, and the repeats get a 422 problem, not a 500."""
    if connection.vendor == "sqlite":
        pytest.skip(SQLITE_SKIP)
    demo = demo_load()
    offer = demo_offer()
    Application.objects.filter(offer=offer, applicant=demo["schueler"]).delete()
    url = reverse("api:offers_apply", kwargs={"offer_id": offer.pk})
    body = json.dumps({"message": "Ich bewerbe mich gern."})
    statuses = fire_together(
        clients_of(demo["schueler"]), lambda client: client.post(url, body, content_type="application/json")
    )
    assert statuses == [201] + [422] * (PARALLEL - 1)
    assert Application.objects.filter(offer=offer, applicant=demo["schueler"]).count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_case_openings_open_one_case():
    """Opening a case twice at once (no token): one open case per person and agency, both land on it."""
    if connection.vendor == "sqlite":
        pytest.skip(SQLITE_SKIP)
    demo = demo_load()
    lena = demo["schueler"]
    Case.objects.filter(person=lena).delete()
    url = reverse("transition:case_open", args=[lena.pk])
    assert fire_together(clients_of(demo["beratung"]), lambda client: client.post(url)) == [302] * PARALLEL
    assert Case.objects.filter(person=lena, status=Case.Status.OPEN).count() == 1
