"""The destinations dashboard: figures by category, school and certificate; names only within scope."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ausbildung.core.models import Organisation
from ausbildung.transition import selectors
from ausbildung.transition.models import Consent, Destination

pytestmark = pytest.mark.django_db

URL = reverse("transition:dashboard")


def test_figures_of_the_demo_cohort(demo, client_for):
    response = client_for("teacher").get(URL)
    board = response.context["board"]
    assert board.total.total == 7
    counts = dict(zip(board.keys, board.total.values, strict=True))
    # secured: Mia (further school), Noah (training without platform contract), Emilia (EQ)
    assert counts["further_school"] == 1 and counts["training"] == 1 and counts["eq"] == 1
    assert counts[selectors.OPEN] == 4 and board.total.open_percent == 57
    by_certificate = {row.label: row.total for row in board.by_certificate}
    assert sum(by_certificate.values()) == 7
    assert [row.total for row in board.by_school] == [7]


def test_urgency_order(demo, client_for):
    today = timezone.localdate()
    Destination.objects.filter(pupil__username="demo-paul").update(
        leaving_date=today - datetime.timedelta(days=1)
    )
    board = client_for("teacher").get(URL, {"stichtag": today.isoformat()}).context["board"]
    names = [item.destination.pupil.username for item in board.urgent]
    # Paul leaves by the cut-off date; then nothing planned (Ben) before planned ones; Lena has an open case
    assert names[0] == "demo-paul"
    assert names[1] == "demo-ben"
    assert names.index("schueler") == len(names) - 1
    assert set(names) == {"demo-paul", "demo-ben", "demo-lea", "schueler"}


def test_counsellor_sees_names_only_with_consent(demo, client_for):
    response = client_for("counsellor").get(URL)
    board = response.context["board"]
    named = {item.destination.pupil.username for item in board.urgent if item.named}
    assert named == {"schueler"}  # Ben's consent is only requested: no name yet
    states = {item.destination.pupil.username: item.consent_state for item in board.urgent}
    assert (
        states["schueler"] == "valid" and states["demo-ben"] == "requested" and states["demo-paul"] == "none"
    )
    page = response.content.decode()
    assert "Lena Schmidt" in page
    assert "Ben Hoffmann" not in page and "Paul Krüger" not in page and "Lea Zimmermann" not in page
    Consent.objects.filter(person__username="schueler").update(withdrawn_on=timezone.localdate())
    page = client_for("counsellor").get(URL).content.decode()
    assert "Lena Schmidt" not in page


def test_monitor_sees_figures_and_no_persons(demo, client_for):
    response = client_for("monitor").get(URL)
    assert response.context["board"].total.total == 7
    assert response.context["board"].urgent == []
    page = response.content.decode()
    assert "Lena" not in page and "Ben" not in page


def test_schools_outside_the_district_are_not_counted(demo, client_for):
    other = Organisation.objects.create(kind=Organisation.Kind.SCHOOL, name="Schule anderswo")
    lena = Destination.objects.get(pupil=demo["schueler"])
    Destination.objects.create(
        pupil=demo["azubi"], school=other, school_year=lena.school_year, leaving_date=lena.leaving_date
    )
    assert client_for("counsellor").get(URL).context["board"].total.total == 7
    assert client_for("teacher").get(URL).context["board"].total.total == 7


def test_certificate_filter_and_bad_input(demo, client_for):
    client = client_for("teacher")
    board = client.get(URL, {"abschluss": "esa"}).context["board"]
    assert board.total.total == 3  # Noah, Emilia, Ben (Lena: MSA, the certificate of her own profile)
    response = client.get(URL, {"stichtag": "gestern", "abschluss": "doktor"})
    assert response.status_code == 200
    assert "id_stichtag_error" in response.content.decode()


def test_rows_without_a_name_are_not_ordered_by_the_hidden_name(demo, client_for):
    """Sorting anonymous rows by last name would tell their alphabetical position; they follow the row id."""
    board = client_for("counsellor").get(URL).context["board"]
    anonymous = [item.destination.pupil.username for item in board.urgent if not item.named]
    # Lea Zimmermann and Paul Krüger: both planned, same leaving date; Lea's row was created first
    assert anonymous.index("demo-lea") < anonymous.index("demo-paul")
