"""pathways.ordinances: five shipped Fortbildungsordnungen of different kinds, field by field (name, stage,
Lernumfang, admission with its paragraph and years of practice, exam parts, date, Fundstelle), each value as the
ordinance prints it (the line of the file in the comment)."""

from __future__ import annotations

import datetime as dt

from ausbildung.pathways import ordinances


def practice(details, absatz: str) -> list:
    found = next(a for a in details.admission.absaetze if a.number == absatz)
    return [
        (item.mark, item.practice_years, [(s.mark, s.practice_years) for s in item.items])
        for item in found.items
    ]


def test_a_craft_meisterpruefung_tischler_2008():
    d = ordinances.details("tischlmstrv_2008.md")
    assert (d.kind, d.trade, d.name) == (
        ordinances.CRAFT,
        "Tischler-Handwerk",
        "Meisterprüfung im Tischler-Handwerk",
    )
    assert (d.name_male, d.stage, d.hours) == (None, None, None)  # the body names no qualification; no stage
    assert d.admission is None  # HwO § 49, not in the ordinance
    # § 1 (l. 38–50) lists Teil I–IV; § 9 Abs. 2 (l. 513–515) sends III and IV to the AMVO of 26 October 2011
    assert [(p.name, p.paragraph) for p in d.exam_parts] == [
        ("Teil I", "§ 1"),
        ("Teil II", "§ 1"),
        ("Teil III", "§ 9: Allgemeine Meisterprüfungsverordnung"),
        ("Teil IV", "§ 9: Allgemeine Meisterprüfungsverordnung"),
    ]
    assert (d.issued_on, d.fundstelle) == (dt.date(2008, 5, 13), "BGBl I: 2008, 826")  # l. 14, 17


def test_an_industriemeister_glas_with_admission_per_part():
    d = ordinances.details("glasindmstrfortbv.md")
    assert d.kind == ordinances.QUALIFICATION
    assert d.name_male == "Geprüfter Industriemeister – Fachrichtung Glas"  # § 1 Abs. 4, l. 121–123
    assert d.name_female == "Geprüfte Industriemeisterin – Fachrichtung Glas"
    assert (d.stage, d.hours) == (None, None)
    assert (d.admission.citation, d.admission.heading) == ("§ 3", "Zulassungsvoraussetzungen")  # l. 171
    # Abs. 1: 1. a Glasberuf (no practice), 2. another occupation and 1 year, 3. four years (l. 176–185)
    assert practice(d, "1") == [("1.", None, []), ("2.", 1.0, []), ("3.", 4.0, [])]
    # Abs. 2: 1. the first part not older than five years (a time limit, not practice), 2. one more year
    assert practice(d, "2") == [("1.", None, []), ("2.", 1.0, [])]
    assert [p.name for p in d.exam_parts] == [
        "Fachrichtungsübergreifende Basisqualifikationen",
        "Handlungsspezifische Qualifikationen",
    ]
    assert d.exam_parts[0].paragraph == "§ 2 Abs. 3"  # l. 152–159
    assert (d.issued_on, d.fundstelle) == (dt.date(2013, 9, 18), "BGBl I: 2013, 3608")


def test_a_bachelor_professional_bilanzbuchhaltung():
    d = ordinances.details("bibubaprofprv.md")
    # § 2 Abs. 5 (l. 125–128): the Abschluss with the prefix put before it
    assert d.name_male == "Geprüfter Bilanzbuchhalter – Bachelor Professional in Bilanzbuchhaltung"
    assert d.name_female == "Geprüfte Bilanzbuchhalterin – Bachelor Professional in Bilanzbuchhaltung"
    assert (d.stage, d.hours) == (2, 1200)  # § 2 Abs. 1 (l. 66–68), Abs. 4 (l. 120–121, a no-break space)
    assert d.admission.citation == "§ 3"
    # 1. three-year commercial training: that is the training's duration, not practice; 2 c) a degree and then
    # one year of practice (the clause belongs to c), l. 152–156); 3. five years of practice (l. 162)
    assert practice(d, "1") == [
        ("1.", None, []),
        ("2.", None, [("a)", None), ("b)", None), ("c)", 1.0)]),
        ("3.", 5.0, []),
    ]
    assert [p.name for p in d.exam_parts] == [
        "schriftlichen Teil",
        "mündlichen Teil",
    ]  # § 4 Abs. 1, l. 180–181
    assert (d.issued_on, d.fundstelle) == (dt.date(2020, 12, 18), "BGBl I: 2020, 3070")


def test_an_old_ordinance_fischwirtschaftsmeister_1978():
    d = ordinances.details("fischwimeistprv.md")
    # § 1 Abs. 2 (l. 40–41); the title names the occupation Fischwirt, not the qualification
    assert (d.name_male, d.name_female) == ("Fischwirtschaftsmeister", "Fischwirtschaftsmeisterin")
    assert (d.stage, d.hours) == (None, None)
    assert d.admission.citation == "§ 1a"  # l. 44, inserted 2014
    assert practice(d, "1") == [("1.", 2.0, []), ("2.", 3.0, []), ("3.", 5.0, [])]  # l. 48–58
    assert [p.name for p in d.exam_parts] == [  # § 2 Abs. 1, l. 77–79, old spelling "umfaßt"
        "praktischen Teil",
        "fachtheoretischen Teil",
        "wirtschaftlichen und rechtlichen Teil",
        "Teil Berufsausbildung und Mitarbeiterführung",
    ]
    assert (d.issued_on, d.fundstelle) == (dt.date(1978, 12, 21), "BGBl I: 1978, 2073")


def test_a_master_professional_restaurator_im_handwerk():
    d = ordinances.details("restmaprorestprv.md")
    assert (
        d.name_male == "Geprüfter Restaurator im Handwerk – Master Professional für Restaurierung im Handwerk"
    )
    assert (d.stage, d.hours) == (
        3,
        1600,
    )  # § 1 Abs. 1 "auf der dritten …" (not Abs. 3's prior stage); Abs. 5
    assert d.admission.citation == "§ 3"
    assert "Meisterprüfung" in d.admission.absaetze[0].text
    assert [item.practice_years for a in d.admission.absaetze for item in a.items] == []  # no practice named
    assert [p.name for p in d.exam_parts] == [
        "Übergreifende Qualifikationen",
        "Spezifische Qualifikationen",
        "Projektarbeit",
    ]
    assert (d.issued_on, d.fundstelle) == (dt.date(2020, 12, 15), "BGBl I: 2020, 2934")


def test_a_line_end_hyphen_is_kept():
    assert ordinances.clean("einem dreijährigen kaufmännisch-\nverwaltenden Beruf") == (
        "einem dreijährigen kaufmännisch-verwaltenden Beruf"
    )
    assert (
        ordinances.clean("Arbeits- und\nTarifrecht, Tischler-\nHandwerk")
        == "Arbeits- und Tarifrecht, Tischler-Handwerk"
    )


def test_every_shipped_ordinance_has_a_date_and_a_fundstelle():
    for path in sorted(ordinances.FORTBILDUNG_DIR.glob("*.md")):
        d = ordinances.details(path.name)
        assert d.issued_on is not None and d.fundstelle.startswith("BGBl I: "), path.name
        assert d.kind in {ordinances.CRAFT, ordinances.QUALIFICATION, ordinances.PROCEDURE}
