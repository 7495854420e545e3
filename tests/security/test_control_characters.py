"""Attack: a line break (or another control character) in a single-line input.

An offer title "Fachinformatik\nBcc: …" was stored as typed. When a pupil's application moved on, the mail
to the pupil carried the title in its subject; Django refuses a header with a line break (BadHeaderError),
after the application's new state had been committed: the request failed with a 500 and the mail was lost.
Anyone with a company account could break every application to their offers this way.

Defence: every single-line field of every form (a CharField whose widget is not a Textarea) refuses
control characters with a German field error (`core.forms.SingleLineMixin`, `core.validators`); the API's
single-line strings answer 422. Values stored before (or imported) are made header-safe when the subject is
built (`core.mail.mail_subject`), so the flow works and the mail goes out.
"""

from __future__ import annotations

import importlib
import json
import pkgutil

import pytest
from django import forms
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from ninja import Schema

import ausbildung
from ausbildung.core.forms import SingleLineMixin
from ausbildung.core.models import OutgoingMail, TrainingContract
from ausbildung.offers import services
from ausbildung.offers.models import Application, Offer
from tests.offers.conftest import demo_offer


def offer_form_data(**changes: str) -> dict[str, object]:
    offer = demo_offer()
    data: dict[str, object] = {
        "site": offer.site_id,
        "occupation": offer.occupation_id,
        "start_date": offer.start_date.isoformat(),
        "places": "3",
        "pay_year1": "1200",
        "pay_year2": "1300",
        "pay_year3": "1400",
        "title": "Fachinformatik Systemintegration",
    }
    data.update(changes)
    return data


def test_offer_title_with_a_line_break_is_a_german_field_error(demo, client_for):
    before = Offer.objects.count()
    response = client_for("company_admin").post(
        reverse("offers:create"),
        offer_form_data(title="Fachinformatik\nBcc: alle@example.org"),
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 200
    assert response.context["form"].errors["title"] == [
        "Bitte in einer Zeile eingeben, ohne Zeilenumbrüche, Tabulatoren oder andere Steuerzeichen."
    ]
    assert Offer.objects.count() == before


@pytest.mark.parametrize("character", ["\n", "\r", "\t", "\x00", "\x1b", "\u2028", "\x85"])
def test_every_control_character_is_refused_in_a_single_line_field(demo, client_for, character):
    response = client_for("company_admin").post(
        reverse("offers:create"), offer_form_data(contact_name=f"Frau{character}Schmidt")
    )
    assert response.status_code == 200 and "contact_name" in response.context["form"].errors


def test_multi_line_fields_keep_their_line_breaks(demo, client_for):
    response = client_for("company_admin").post(
        reverse("offers:create"), offer_form_data(description="Erste Zeile\nZweite Zeile")
    )
    assert response.status_code == 302
    assert Offer.objects.get(title="Fachinformatik Systemintegration").description.count("\n") == 1


def test_week_page_day_note_with_a_line_break_is_a_german_field_error(demo, client_for):
    """The week page's day rows are single-line fields too (the API refuses the same note with 422): before,
    the editor parsed its POST by hand and stored the line break."""
    contract = TrainingContract.objects.get(apprentice=demo["azubi"])
    url = reverse("records:period", kwargs={"contract_id": contract.pk, "start": "2025-09-08"})
    data = {"action": "save", "version": "0", "company_work": "Netzwerk geplant.\nZweite Zeile."}
    for offset in range(7):
        day = f"2025-09-{8 + offset:02d}"
        data[f"place-{day}"], data[f"hours-{day}"] = ("company", "8") if offset < 5 else ("free", "")
    data["note-2025-09-08"] = "Berufsschule\nBcc: alle@example.org"
    response = client_for("apprentice").post(url, data)
    assert response.status_code == 200
    assert 'aria-invalid="true" aria-describedby="error-2025-09-08"' in response.content.decode()
    assert not contract.record_periods.exists()
    del data["note-2025-09-08"]  # the section keeps its line break
    assert client_for("apprentice").post(url, data).status_code == 302
    assert contract.record_periods.get().company_work == "Netzwerk geplant.\nZweite Zeile."


def _platform_form_classes() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(ausbildung.__path__, "ausbildung."):
        if module.name.rsplit(".", 1)[-1] in {"forms", "views", "admin"}:
            importlib.import_module(module.name)
    found, todo = [], list(forms.BaseForm.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("ausbildung."):
            found.append(cls)
    return found


def test_every_form_of_the_platform_checks_single_line_fields():
    """The defence sits in the forms' base class: a new form without it fails here."""
    classes = _platform_form_classes()
    assert len(classes) > 30
    missing = [f"{c.__module__}.{c.__qualname__}" for c in classes if not issubclass(c, SingleLineMixin)]
    assert missing == []
    ours = [m for m in admin.site._registry.values() if type(m).__module__.startswith("ausbildung.")]
    admin_forms = [(m, getattr(m, name)) for m in ours for name in ("form", "add_form") if hasattr(m, name)]
    admin_forms += [(inline, inline.form) for m in ours for inline in m.inlines]
    assert [str(owner) for owner, form in admin_forms if not issubclass(form, SingleLineMixin)] == []


# Long texts of the API that keep their line breaks; every other string of a request is single-line.
API_MULTI_LINE = {
    ("PeriodIn", "company_work"),
    ("PeriodIn", "instruction"),
    ("PeriodIn", "school"),
    ("ReturnIn", "comment"),
    ("ApplyIn", "message"),
    ("StepIn", "message"),
}
API_SINGLE_LINE_VALIDATORS = {"single_line", "short_hours"}  # both call api.records.one_line


def test_every_api_request_string_is_checked():
    """The API's request schemas (``…In``, ``…Query``): a string field without the single-line check must be
    one of the known long texts, so a new field cannot slip through unchecked."""
    import ausbildung.api.urls  # noqa: F401  (loads every router and its schemas)

    todo, unchecked = list(Schema.__subclasses__()), []
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if not cls.__module__.startswith("ausbildung.") or not cls.__name__.endswith(("In", "Query")):
            continue
        checked = {
            field
            for name, validator in cls.__pydantic_decorators__.field_validators.items()
            if name in API_SINGLE_LINE_VALIDATORS
            for field in validator.info.fields
        }
        for name, field in cls.model_fields.items():
            is_text = field.annotation is str or str in getattr(field.annotation, "__args__", ())
            if is_text and name not in checked and (cls.__name__, name) not in API_MULTI_LINE:
                unchecked.append(f"{cls.__name__}.{name}")
    assert unchecked == []


def test_api_single_line_field_with_a_line_break_is_422(demo):
    contract = TrainingContract.objects.get(apprentice=demo["azubi"])
    client = Client()
    client.force_login(demo["azubi"])
    url = reverse("api:records_period_detail", kwargs={"contract_id": contract.pk, "start": "2025-09-08"})
    read = client.get(url).json()
    days = [
        {"date": d["date"], "place": d["place"], "hours": d["hours"], "note": d["note"]} for d in read["days"]
    ]
    days[0]["note"] = "Berufsschule\nBcc: alle@example.org"
    response = client.put(
        url, json.dumps({"days": days, "version": read["version"]}), content_type="application/json"
    )
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    assert not contract.record_periods.exists()
    search = client.get(reverse("api:offers_search"), {"q": "koch\r\nX-Injected: 1"})
    assert search.status_code == 422


def test_a_stored_title_with_a_line_break_does_not_break_the_application(
    demo, mailoutbox, django_capture_on_commit_callbacks
):
    """Data already in the database (written before the check, or imported): the step and its mail work."""
    offer = demo_offer()
    Offer.objects.filter(pk=offer.pk).update(title="Fachinformatik\nBcc: alle@example.org")
    pupil = demo["schueler"]
    application = services.application_create(
        actor=pupil, offer=Offer.objects.get(pk=offer.pk), message="Hallo"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.application_transition(
            actor=pupil,
            side=services.APPLICANT,
            application=application,
            to=Application.State.SENT,
            message="",
        )
    application.refresh_from_db()
    assert application.state == Application.State.SENT
    assert len(mailoutbox) == 1
    assert (
        "\n" not in mailoutbox[0].subject and "Fachinformatik Bcc: alle@example.org" in mailoutbox[0].subject
    )
    assert OutgoingMail.objects.get(to=pupil.email, subject__contains="Fachinformatik").status == (
        OutgoingMail.Status.SENT
    )
