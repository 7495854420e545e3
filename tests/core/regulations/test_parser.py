"""Tests of the Ausbildungsordnung parser against the real regulation texts shipped with the platform.

Every value asserted here was read from the Markdown file named in the test.
"""

import datetime as dt
from functools import cache
from pathlib import Path

from ausbildung.core.regulations.parser import (
    ADDITIONAL,
    AMENDING,
    BBIG,
    BBIG_AND_HWO,
    COMPULSORY,
    ELECTIVE,
    HWO,
    OTHER,
    TRAINING_REGULATION,
    TRIAL,
    ParsedRegulation,
    PlanPosition,
    PlanSection,
    classify,
    document_issued_on,
    document_title,
    is_complete,
    parse_directory,
    parse_regulation,
    recognition_norm,
    sections_without_specialisation,
    split_document,
)

DATA = Path(__file__).resolve().parents[3] / "src/ausbildung/data/gesetze/ausbildung"


@cache
def parsed(name: str) -> ParsedRegulation:
    return parse_regulation((DATA / name).read_text(encoding="utf-8"), source_name=name)


def section(regulation: ParsedRegulation, label: str, occupation: str = "") -> PlanSection:
    assert regulation.plan is not None
    return next(
        s
        for s in regulation.plan.sections
        if s.label == label and (not occupation or s.occupation == occupation)
    )


def position(sec: PlanSection, number: str) -> PlanPosition:
    return next(p for p in sec.positions if p.number == number)


def letters(pos: PlanPosition) -> str:
    return "".join(item.letter for item in pos.items)


# -- FIAusbV 2020: Fachrichtungen, Einsatzgebiete, items continued in a second row -----------------------------


def test_fiausbv_header_and_name():
    r = parsed("fiausbv.md")
    assert r.kind == TRAINING_REGULATION
    assert (r.slug, r.jurabk) == ("fiausbv", "FIAusbV")
    assert r.title == "Verordnung über die Berufsausbildung zum Fachinformatiker und zur Fachinformatikerin"
    assert r.name == "Fachinformatiker/Fachinformatikerin"
    assert (r.name_male, r.name_female) == ("Fachinformatiker", "Fachinformatikerin")
    assert r.issued_on == dt.date(2020, 2, 28)
    assert r.fundstelle == "BGBl I: 2020, 250"
    assert r.stand == "Ersetzt V 806-21-1-244 v. 10.7.1997 I 1741 (ITKTAusbV)"
    assert r.duration_months == 36
    assert r.problems == []
    assert is_complete(r)


def test_fiausbv_document_structure_through_the_public_api():
    """What other readers of the same files (orientation.follow_up) use: parts, title, date, § 1."""
    doc = split_document((DATA / "fiausbv.md").read_text(encoding="utf-8"))
    assert doc.meta["jurabk"] == "FIAusbV"
    assert document_title(doc) == parsed("fiausbv.md").title
    assert document_issued_on(doc) == dt.date(2020, 2, 28)
    assert len(doc.norms) == 43
    assert [annex.heading.split()[:2] for annex in doc.annexes] == [["Anlage", "Ausbildungsrahmenplan"]]
    norm = recognition_norm(doc)
    assert norm is not None
    assert (norm.number, norm.title) == ("1", "Staatliche Anerkennung des Ausbildungsberufes")
    assert norm.text.startswith(
        "Der Ausbildungsberuf des Fachinformatikers und der Fachinformatikerin wird nach § 4"
    )


def test_fiausbv_specialisations_and_profile():
    r = parsed("fiausbv.md")
    fachrichtungen = [s.name for s in r.specialisations if s.kind == "Fachrichtung"]
    assert fachrichtungen == [
        "Anwendungsentwicklung",
        "Systemintegration",
        "Daten- und Prozessanalyse",
        "Digitale Vernetzung",
    ]
    einsatzgebiete = [s.name for s in r.specialisations if s.kind == "Einsatzgebiet"]
    assert einsatzgebiete[:5] == [
        "kaufmännische Systeme",
        "technische Systeme",
        "Expertensysteme",
        "mathematisch-wissenschaftliche Systeme",
        "Multimedia-Systeme",
    ]
    first = r.profile_positions[0]
    assert (first.number, first.group) == ("1", "")
    assert first.text.startswith("Planen, Vorbereiten und Durchführen von Arbeitsaufgaben")
    anwendung = [p.text for p in r.profile_positions if p.group == "Anwendungsentwicklung"]
    assert anwendung == [
        "Konzipieren und Umsetzen von kundenspezifischen Softwareanwendungen",
        "Sicherstellen der Qualität von Softwareanwendungen",
    ]


def test_fiausbv_plan_section_a():
    r = parsed("fiausbv.md")
    assert r.plan is not None
    assert r.plan.periods == ["1. bis 18. Monat", "19. bis 36. Monat"]
    assert r.plan.time_unit == "weeks"
    a = section(r, "Abschnitt A")
    assert (
        a.title == "fachrichtungsübergreifende berufsprofilgebende Fertigkeiten, Kenntnisse und Fähigkeiten"
    )
    assert a.specialisation == ""
    assert [p.number for p in a.positions] == [str(n) for n in range(1, 11)]
    first = position(a, "1")
    assert first.title == (
        "Planen, Vorbereiten und Durchführen von Arbeitsaufgaben in Abstimmung mit den kundenspezifischen "
        "Geschäfts- und Leistungsprozessen"
    )
    assert first.paragraph_ref == "§ 4 Absatz 2 Nummer 1"
    assert letters(first) == "abcdefghi"
    assert first.items[0].text == "Grundsätze und Methoden des Projektmanagements anwenden"
    assert first.weeks == [12, None]
    assert not first.throughout


def test_fiausbv_items_continued_in_next_row_keep_their_period():
    a = section(parsed("fiausbv.md"), "Abschnitt A")
    second = position(a, "2")
    assert second.title == "Informieren und Beraten von Kunden und Kundinnen"
    assert letters(second) == "abcdefgh"  # a)-e) in the first row, f)-h) in the continuation row
    assert second.items[5].text == (
        "Gespräche situationsgerecht führen und Kunden und Kundinnen unter Berücksichtigung der "
        "Kundeninteressen beraten"
    )
    assert second.weeks == [3, 2]
    assert position(a, "3").weeks == [10, 5]


def test_fiausbv_fachrichtung_sections_and_integrative_part():
    r = parsed("fiausbv.md")
    b = section(r, "Abschnitt B")
    assert b.specialisation == "Anwendungsentwicklung"
    assert position(b, "1").weeks == [15, 25]
    assert [section(r, label).specialisation for label in ("Abschnitt C", "Abschnitt D", "Abschnitt E")] == [
        "Systemintegration",
        "Daten- und Prozessanalyse",
        "Digitale Vernetzung",
    ]
    f = section(r, "Abschnitt F")
    assert position(f, "2").throughout  # "während der gesamten Ausbildung" printed in this row
    assert position(f, "5").weeks == [3, None]
    assert not position(f, "5").throughout


# -- BankkflAusbV 2020: no specialisations, amended, heading split over a table row ------------------------------


def test_bankkfl_without_specialisations():
    r = parsed("bankkflausbv.md")
    assert r.name == "Bankkaufmann/Bankkauffrau"
    assert r.issued_on == dt.date(2020, 2, 5)
    assert r.amended_by == "Geändert durch: Art. 1 V v. 30.4.2021 I 865"
    assert r.stand == "Ersetzt V 806-21-1-246 v. 30.12.1997, 1998 I 51 (Bankkfm/kfrAusbV)"
    assert r.duration_months == 36
    assert r.specialisations == []
    assert r.plan is not None
    assert r.plan.periods == ["1. bis 15. Monat", "16. bis 36. Monat"]
    a = section(r, "Abschnitt A")
    service = position(a, "1")
    assert (service.title, service.paragraph_ref) == ("Serviceleistungen anbieten", "§ 4 Absatz 2 Nummer 1")
    assert letters(service) == "abcdefghijk"
    assert service.items[2].text == (
        "Kommunikation service- und kundenorientiert, verkaufsfördernd und situationsgerecht gestalten, "
        "dabei die Bedürfnisse besonderer Personengruppen sowie soziokulturelle Aspekte berücksichtigen"
    )
    assert service.weeks == [12, None]
    # the heading of Abschnitt B follows in the last cell of this row; the cell itself was empty
    assert position(a, "12").weeks == [6, None]
    assert (
        section(r, "Abschnitt B").title
        == "integrativ zu vermittelnde Fertigkeiten, Kenntnisse und Fähigkeiten"
    )
    assert is_complete(r)


# -- DachAusbV 2016: Schwerpunkte ------------------------------------------------------------------------------


def test_dach_schwerpunkte():
    r = parsed("dachausbv.md")
    assert r.name == "Dachdecker/Dachdeckerin"
    assert r.issued_on == dt.date(2016, 4, 28)
    assert r.duration_months == 36
    assert [(s.kind, s.name) for s in r.specialisations] == [
        ("Schwerpunkt", "Dachdeckungstechnik"),
        ("Schwerpunkt", "Abdichtungstechnik"),
        ("Schwerpunkt", "Außenwandbekleidungstechnik"),
        ("Schwerpunkt", "Energietechnik an Dach und Wand"),
        ("Schwerpunkt", "Reetdachtechnik"),
    ]
    b = section(r, "Abschnitt B")
    assert b.specialisation == "Dachdeckungstechnik"
    decken = position(b, "1")
    assert (decken.title, decken.paragraph_ref) == (
        "Decken von Dach- und Wandflächen",
        "§ 4 Absatz 2 Nummer 8",
    )
    assert letters(decken) == "abc"
    assert decken.weeks == [None, 10]
    assert is_complete(r)


# -- AutoKflAusbV 2017: Richtwerte in months -------------------------------------------------------------------


def test_autokfl_richtwerte_in_months():
    r = parsed("autokflausbv.md")
    assert r.name == "Automobilkaufmann/Automobilkauffrau"
    assert r.stand == "Ersetzt V 806-21-1-260 v. 26.5.1998 I 1145 (AutoKfAusbV)"
    assert r.plan is not None
    assert r.plan.time_unit == "months"
    assert r.plan.periods == ["1. bis 15. Monat", "16. bis 36. Monat"]
    a = section(r, "Abschnitt A")
    assert position(a, "1").months == [5, None]
    assert position(a, "1").weeks == [None, None]
    kundendienst = position(a, "3")
    assert kundendienst.title == "Kundendienst organisieren und Servicebereich unterstützen"
    assert letters(kundendienst) == "abcdefghijklmnopq"
    assert kundendienst.months == [6, 3]
    assert is_complete(r)


# -- KochAusbV 1998: older layout, weeks per Ausbildungsjahr, spanned "während der gesamten Ausbildung" ----------


def test_koch_1998_weeks_per_year():
    r = parsed("kochausbv_1998.md")
    assert r.name == "Koch/Köchin"
    assert (r.name_male, r.name_female) == ("Koch", "Köchin")
    assert r.issued_on == dt.date(1998, 2, 13)
    assert r.fundstelle == "BGBl I: 1998, 364"
    assert r.stand == ""
    assert r.duration_months == 36
    assert r.plan is not None
    assert r.plan.periods == ["1", "2", "3"]
    assert r.plan.time_header == "Zeitliche Richtwerte in Wochen im Ausbildungsjahr"
    grund = section(r, "I.")
    assert grund.title == "Berufliche Grundbildung"
    assert position(grund, "1").throughout
    gaeste = position(grund, "5")
    assert (gaeste.title, gaeste.paragraph_ref) == ("Umgang mit Gästen, Beratung und Verkauf", "§ 3 Nr. 5")
    assert letters(gaeste) == "abcdefghi"
    assert gaeste.weeks == [10, None, None]
    fach = section(r, "Teil II")
    assert fach.title == "Berufliche Fachbildung"
    assert position(fach, "1").weeks == [None, None, 4]
    assert is_complete(r)


def test_baugeraete_1997_spanned_throughout_cell_is_inherited():
    # Position 1 prints "während der gesamten Ausbildung zu vermitteln"; rows 2 to 4 have no Richtwert cell.
    r = parsed("baugeraetefausbv_1997.md")
    plan_section = section(r, "")
    assert position(plan_section, "1").throughout
    assert all(position(plan_section, n).throughout for n in ("2", "3", "4"))


# -- ÄndSchnAusbV 2005: two-year training -----------------------------------------------------------------------


def test_aenderungsschneider_two_years():
    r = parsed("aendschnausbv.md")
    assert r.name == "Änderungsschneider/Änderungsschneiderin"
    assert r.duration_months == 24
    assert r.plan is not None
    assert r.plan.periods == ["1", "2"]
    naehen = position(section(r, ""), "10")
    assert naehen.title == "Ausführen von Näharbeiten"
    assert letters(naehen) == "abcdefghijklmnop"  # a)-h) with 23 weeks in year 1, i)-p) with 24 in year 2
    assert naehen.weeks == [23, 24]
    assert is_complete(r)


# -- Names, durations and plans of special shapes ---------------------------------------------------------------


def test_title_before_front_matter_and_weak_noun():
    # The front matter has Title: ''; the title stands above it. § 1 uses the genitive only.
    r = parsed("flglastechausbv.md")
    assert (
        r.title
        == "Verordnung über die Berufsausbildung zum Flachglastechnologen und zur Flachglastechnologin"
    )
    assert (r.name_male, r.name_female) == ("Flachglastechnologe", "Flachglastechnologin")


def test_two_occupations_with_different_durations():
    r = parsed("verkehkflausbv.md")
    assert r.name == ""
    assert r.duration_months is None
    assert [(o.name, o.duration_months) for o in r.occupations] == [
        ("Verkäufer/Verkäuferin", 24),
        ("Kaufmann im Einzelhandel/Kauffrau im Einzelhandel", 36),
    ]
    assert r.plan is not None
    assert {s.occupation for s in r.plan.sections} == {
        "Verkäufer/Verkäuferin",
        "Kaufmann im Einzelhandel/Kauffrau im Einzelhandel",
    }
    assert is_complete(r)


def test_durations_referring_to_numbers_of_section_1():
    # "dauert im Ausbildungsberuf des § 1 Nr. 1 zwei Jahre und in den Ausbildungsberufen des § 1 Nr. 2 bis 5 …"
    r = parsed("gastgewausbv_1998.md")
    assert [(o.name, o.duration_months) for o in r.occupations] == [
        ("Fachkraft im Gastgewerbe", 24),
        ("Restaurantfachmann/Restaurantfachfrau", 36),
        ("Hotelfachmann/Hotelfachfrau", 36),
        ("Hotelkaufmann/Hotelkauffrau", 36),
        ("Fachmann für Systemgastronomie/Fachfrau für Systemgastronomie", 36),
    ]


def test_plan_drawn_as_text_graphic_is_reported_not_guessed():
    r = parsed("fleiausbv_2005.md")
    assert r.plan is None
    assert not is_complete(r)
    assert any("Textgrafik" in problem for problem in r.problems)


# -- Kinds -------------------------------------------------------------------------------------------------------


def test_other_ordinances_in_the_directory():
    # Fahrlehrer-Ausbildungsverordnung, Industriemeister-Prüfungsverordnung, Mediatoren-Ausbildungsverordnung
    for name in ("fahrlausbv.md", "indmechaausbv.md", "zmediatausbv.md"):
        assert parsed(name).kind == OTHER
        assert classify((DATA / name).read_text(encoding="utf-8")) == OTHER


def test_trial_ordinances_named_in_the_texts():
    # The directory holds no Erprobungsverordnung itself; these titles are quoted in fahrmausbv.md § 11
    # and wfausbv.md § 18.
    assert (
        classify(
            "Verordnung über die Erprobung einer neuen Ausbildungsform für die Berufsausbildung zum "
            "Zweiradmechaniker/zur Zweiradmechanikerin - Fachrichtung Fahrradtechnik"
        )
        == TRIAL
    )
    assert (
        classify(
            "Verordnung über die Entwicklung und Erprobung des Ausbildungsberufes Werkfeuerwehrmann/Werkfeuerwehrfrau"
        )
        == TRIAL
    )


def test_amending_ordinance_and_amended_regulation():
    # No amending ordinance is in the directory; this document is made up in the same format.
    text = (
        "---\nTitle: Verordnung zur Änderung der Verordnung über die Berufsausbildung zum Bankkaufmann und zur "
        "Bankkauffrau\njurabk: BankkflAusbVÄndV\nslug: bankkflausbvaendv\n\n---\n\n"
        "# Verordnung zur Änderung der Verordnung über die Berufsausbildung zum Bankkaufmann und zur "
        "Bankkauffrau (BankkflAusbVÄndV)\n"
    )
    assert classify(text) == AMENDING
    assert parse_regulation(text).kind == AMENDING
    # A regulation that has been amended ("Geändert durch") is still the training regulation itself.
    assert parsed("bankkflausbv.md").kind == TRAINING_REGULATION


# -- Recognising law: BBiG § 4 and/or HwO § 25 --------------------------------------------------------------------


def test_recognised_under_bbig_from_the_recognition_paragraph():
    # FIAusbV § 1: "… wird nach § 4 Absatz 1 des Berufsbildungsgesetzes staatlich anerkannt."
    assert parsed("fiausbv.md").recognised_under == BBIG
    assert parsed("bueromkfausbv.md").recognised_under == BBIG


def test_recognised_under_hwo_from_the_recognition_paragraph():
    # TischlAusbV 2006 § 1: "… wird nach § 25 der Handwerksordnung für die Ausbildung für das Gewerbe Nummer 27,
    # Tischler der Anlage A der Handwerksordnung staatlich anerkannt."
    assert parsed("tischlausbv_2006.md").recognised_under == HWO


def test_recognised_under_both_laws():
    # KfzMechAAusbV 2013 § 1: "… wird staatlich anerkannt 1. nach § 4 Absatz 1 des Berufsbildungsgesetzes und
    # 2. nach § 25 der Handwerksordnung zur Ausbildung für das Gewerbe Nummer 20, Kraftfahrzeugtechniker …"
    assert parsed("kfzmechaausbv_2013.md").recognised_under == BBIG_AND_HWO
    # SHKAnlMechAusbV: "… wird staatlich anerkannt nach 1. § 4 Absatz 1 des Berufsbildungsgesetzes und 2. § 25
    # der Handwerksordnung …"
    assert parsed("shkamausbv.md").recognised_under == BBIG_AND_HWO


def test_recognised_under_falls_back_to_the_eingangsformel():
    # AsphAusbV § 1 only says "Der Ausbildungsberuf Asphaltbauer wird staatlich anerkannt."; its Eingangsformel:
    # "Auf Grund des § 25 des Berufsbildungsgesetzes vom 14. August 1969 …" (the recognition paragraph then).
    assert parsed("asphausbv.md").recognised_under == BBIG
    # ChirurgMAusbV § 1 "Anwendungsbereich" names no paragraph; Eingangsformel "Auf Grund des § 25 der
    # Handwerksordnung in der Fassung der Bekanntmachung vom 28. Dezember 1965 …, der zuletzt durch § 25 Nr. 1
    # des Gesetzes vom 24. August 1976 … geändert worden ist" (the second § 25 belongs to another law).
    assert parsed("chirurgmausbv.md").recognised_under == HWO
    # BrillVerfMAusbV 2002: the Eingangsformel misprints the BBiG as "Berufsausbildungsgesetzes".
    assert parsed("brillverfmausbv.md").recognised_under == BBIG


def test_recognition_paragraph_wins_over_the_eingangsformel():
    # MetallBInstrMMAusbV: Eingangsformel cites only § 25 BBiG (1969), § 1 recognises under both laws.
    assert parsed("metallbinstrmmausbv.md").recognised_under == BBIG_AND_HWO


def test_recognised_under_unknown_is_reported():
    # SeeBAV: based on the Seearbeitsgesetz, names neither BBiG § 4 nor HwO § 25.
    r = parsed("see-bav.md")
    assert r.recognised_under == ""
    assert "Rechtsgrundlage der Anerkennung (BBiG § 4 / HwO § 25) nicht gefunden" in r.problems


def test_recognised_under_counts_over_the_directory():
    training = [r for r in parse_directory(DATA) if r.kind == TRAINING_REGULATION]
    counts = {
        value: sum(1 for r in training if r.recognised_under == value)
        for value in (BBIG, HWO, BBIG_AND_HWO, "")
    }
    assert counts == {BBIG: 168, HWO: 49, BBIG_AND_HWO: 50, "": 1}


# -- The apprentice's own plan: Fachrichtung per section, Wahl- and Zusatzqualifikationen (BBiG § 5) ----------


def test_bbig_5_abs_1_nr_4_malerlack_2021_headings_over_several_lines_keep_their_fachrichtung():
    # "   ## Abschnitt C: Berufsprofilgebende Fertigkeiten, Kenntnisse und / Fähigkeiten in der Fachrichtung
    # Energieeffizienz- und / Gestaltungstechnik": indented after a table row, over three lines.
    r = parsed("malerlackausbv_2021.md")
    specs = {s.label: s.specialisation for s in r.plan.sections}
    assert specs == {
        "Abschnitt A": "",
        "Abschnitt B": "Gestaltung und Instandhaltung",
        "Abschnitt C": "Energieeffizienz- und Gestaltungstechnik",
        "Abschnitt D": "Kirchenmalerei und Denkmalpflege",
        "Abschnitt E": "Bauten- und Korrosionsschutz",
        "Abschnitt F": "Ausbautechnik und Oberflächengestaltung",
        "Abschnitt G": "",
    }
    assert section(r, "Abschnitt F").title.endswith(
        "in der Fachrichtung Ausbautechnik und Oberflächengestaltung"
    )


def test_bbig_5_abs_1_nr_4_svfang_1997_one_annex_per_fachrichtung():
    # "Anlage 1 Ausbildungsrahmenplan … für die Fachrichtung allgemeine Krankenversicherung", its
    # "Abschnitt II: Fertigkeiten und Kenntnisse in der Fachrichtung" names none: the annex's one counts, for
    # its Abschnitt I too (each annex repeats the common part).
    r = parsed("svfangausbv_1997.md")
    by_annex = {(s.annex[:9], s.label): s.specialisation for s in r.plan.sections}
    assert by_annex[("Anlage 1 ", "Abschnitt I")] == "allgemeine Krankenversicherung"
    assert by_annex[("Anlage 1 ", "Abschnitt II")] == "allgemeine Krankenversicherung"
    assert by_annex[("Anlage 5 ", "Abschnitt II")] == "landwirtschaftliche Sozialversicherung"
    assert sections_without_specialisation(r) == (0, 10)


def test_annex_naming_the_occupation_gives_no_specialisation():
    # KlaCembAusbV 2017: "… zum Klavier- und Cembalobauer …" names the occupation, not the Fachrichtung
    # Cembalobau; Abschnitt A (fachrichtungsübergreifend) stays without one.
    r = parsed("klacembausbv_2017.md")
    assert section(r, "Abschnitt A").specialisation == ""
    assert section(r, "Abschnitt B").specialisation == "Klavierbau"


def test_bbig_5_abs_1_nr_3_chemik_2009_four_of_twenty_wahlqualifikationen():
    # ChemikAusbV § 3 Nr. 2: "vier vom Ausbildenden festzulegende Wahlqualifikationen der Auswahlliste nach
    # § 4 Absatz 2 Abschnitt II Nummer 1 bis 20".
    r = parsed("chemikausbv_2009.md")
    compulsory, electives = r.plan.sections
    assert (compulsory.kind, len(compulsory.positions)) == (COMPULSORY, 25)
    assert (electives.label, electives.kind, len(electives.positions)) == ("Abschnitt II", ELECTIVE, 20)
    assert r.elective_count == 4


def test_bbig_5_abs_1_nr_3_electives_in_other_shapes():
    # ImmobKfmAusbV "Abschnitt II: … in den Wahlqualifikationseinheiten gemäß § 3 Abs. 2 Nr. 2";
    # DruckerAusbV 2011 "1. Auswahlliste I (Wahlqualifikationen nach § 3 Nummer 2)", its Abschnitt C
    # "Integrative … in den Pflichtqualifikationen" compulsory; VerkehKflAusbV "wahlqualifikationsübergreifende"
    # sections compulsory.
    immob = parsed("immobkfmausbv.md")
    assert [s.kind for s in immob.plan.sections] == [COMPULSORY, ELECTIVE]
    assert immob.elective_count == 2
    drucker = parsed("druckerausbv_2011.md")
    assert [(s.label, s.kind) for s in drucker.plan.sections] == [
        ("", COMPULSORY),
        ("1.", ELECTIVE),
        ("2.", ELECTIVE),
        ("Abschnitt C", COMPULSORY),
    ]
    assert drucker.elective_count is None  # two lists, each with its own number: not read
    verkehr = parsed("verkehkflausbv.md")
    assert section(verkehr, "Abschnitt A").kind == COMPULSORY


def test_bbig_5_abs_2_nr_5_zusatzqualifikation_is_additional():
    r = parsed("fintmechausbv.md")
    assert section(r, "Abschnitt C").title == "Zusatzqualifikation Additive Fertigungsverfahren"
    assert section(r, "Abschnitt C").kind == ADDITIONAL
    assert section(r, "Abschnitt A").kind == COMPULSORY


def test_bbig_5_abs_2_nr_5_annex_of_zusatzqualifikationen_is_read_as_additional():
    # MechatronikerAusbV "Anlage 2 Ausbildungsrahmenplan für die Zusatzqualifikationen", Abschnitt A–D.
    r = parsed("mechatronikerausbv.md")
    additional = [s for s in r.plan.sections if s.kind == ADDITIONAL]
    assert [s.title for s in additional] == [
        "Zusatzqualifikation Digitale Vernetzung",
        "Zusatzqualifikation Programmierung",
        "Zusatzqualifikation IT-Sicherheit",
        "Zusatzqualifikation Additive Fertigungsverfahren",
    ]
    assert all(p.items for s in additional for p in s.positions)
    assert [s.kind for s in r.plan.sections if s.kind != ADDITIONAL] == [COMPULSORY]


def test_sections_without_specialisation_over_the_directory():
    # Before the multi-line headings and the annex's Fachrichtung were read: 230 of 445.
    checked = [
        sections_without_specialisation(r)
        for r in parse_directory(DATA)
        if r.kind == TRAINING_REGULATION and r.specialisations and r.plan
    ]
    assert (len(checked), sum(c[0] for c in checked), sum(c[1] for c in checked)) == (90, 205, 445)


# -- Whole directory ---------------------------------------------------------------------------------------------


def test_whole_directory():
    results = parse_directory(DATA)
    assert len(results) == 271
    training = [r for r in results if r.kind == TRAINING_REGULATION]
    complete = [r for r in training if is_complete(r)]
    assert len(complete) / len(training) >= 0.95
    assert sorted(r.source_name for r in results if r.kind != TRAINING_REGULATION) == [
        "fahrlausbv.md",
        "indmechaausbv.md",
        "zmediatausbv.md",
    ]
    assert all(r.problems for r in training if not is_complete(r))  # never silently incomplete
