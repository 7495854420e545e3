"""Importing the training regulations into the catalogue: completeness, versions, idempotency, errors."""

from __future__ import annotations

import re
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from ausbildung.core.models import AuditLog, FrameworkPosition, Occupation
from ausbildung.core.regulations.importer import DEFAULT_DIR, base_slug, import_files, name_key

FIAUSBV = DEFAULT_DIR / "fiausbv.md"


def test_name_key_ignores_order_and_spacing():
    assert name_key("Fachinformatiker/Fachinformatikerin") == name_key(
        "Fachinformatikerin / Fachinformatiker"
    )
    assert base_slug("tischlausbv_2006") == "tischlausbv" and base_slug("fiausbv") == "fiausbv"


@pytest.mark.django_db
def test_full_import_reaches_95_percent_and_prints_it():
    """All shipped files: ≥ 95 % of the training regulations yield a complete occupation with a plan."""
    out = StringIO()
    call_command("import-regulations", "--no-progress", "--verbose-report", stdout=out)
    text = out.getvalue()
    match = re.search(r"Complete with framework plan: (\d+) of (\d+) \((\d+\.\d)%\)", text)
    assert match, text
    complete, total, percent = int(match[1]), int(match[2]), float(match[3])
    assert total >= 250 and complete / total >= 0.95 and percent >= 95.0
    # Amending and trial ordinances are recognised and not imported as occupations.
    skipped = re.findall(r"skipped \((\w+)\): (\S+)", text)
    assert skipped and all(kind in {"amending", "trial", "other"} for kind, _name in skipped)
    assert not Occupation.objects.filter(source_file__in=[name for _kind, name in skipped]).exists()
    assert Occupation.objects.count() >= total  # regulations with several occupations yield several
    fi = Occupation.objects.get(slug="fiausbv")
    assert fi.framework_plan.positions.count() > 20
    law = re.search(
        r"Recognised under: BBiG (\d+), HwO (\d+), BBiG and HwO (\d+), not stated (\d+) occupations", text
    )
    assert law, text
    counts = dict(Occupation.objects.values_list("recognised_under").annotate(n=Count("pk")).order_by())
    assert [int(n) for n in law.groups()] == [counts.get(v, 0) for v in ("bbig", "hwo", "bbig+hwo", "")]
    assert sum(int(n) for n in law.groups()) == Occupation.objects.count()


def test_import_is_idempotent(demo):
    before_rows = AuditLog.objects.count()
    report = import_files([FIAUSBV], actor=None)
    assert report.unchanged == ["fiausbv.md"] and report.created == report.updated == []
    assert report.recognition_filled == []
    assert AuditLog.objects.count() == before_rows


def test_unchanged_file_fills_the_recognising_law_of_an_existing_database(demo):
    """A database imported before `recognised_under` existed gets it on the next import of the same files."""
    Occupation.objects.filter(slug="fiausbv").update(recognised_under="")
    imported_at = Occupation.objects.get(slug="fiausbv").imported_at
    before_rows = AuditLog.objects.count()
    report = import_files([FIAUSBV], actor=None)
    assert report.unchanged == report.recognition_filled == ["fiausbv.md"]
    assert report.recognised_under == {"bbig": 1}
    fi = Occupation.objects.get(slug="fiausbv")
    assert fi.recognised_under == Occupation.RecognisedUnder.BBIG
    assert fi.imported_at == imported_at and AuditLog.objects.count() == before_rows  # nothing else written


def newer_version(tmp_path: Path, *, date: str, duration: str) -> Path:
    text = FIAUSBV.read_text(encoding="utf-8")
    text = text.replace(":   2020-02-28", f":   {date}", 1)
    text = text.replace(
        "Die Berufsausbildung dauert drei Jahre.", f"Die Berufsausbildung dauert {duration}.", 1
    )
    path = tmp_path / "fiausbv_neu.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_newer_regulation_replaces_the_older_and_keeps_the_url(demo, tmp_path):
    occupation = Occupation.objects.get(slug="fiausbv")
    position_ids = set(
        FrameworkPosition.objects.filter(plan__occupation=occupation).values_list("pk", flat=True)
    )
    report = import_files(
        [newer_version(tmp_path, date="2026-05-01", duration="dreieinhalb Jahre")], actor=None
    )
    assert report.updated == ["fiausbv_neu.md"]
    occupation.refresh_from_db()
    assert occupation.slug == "fiausbv" and occupation.duration_months == 42
    assert occupation.issued_on.isoformat() == "2026-05-01"
    assert occupation.source_file == "fiausbv_neu.md"
    # The plan was replaced, not duplicated.
    new_ids = set(FrameworkPosition.objects.filter(plan__occupation=occupation).values_list("pk", flat=True))
    assert new_ids and not new_ids & position_ids
    assert AuditLog.objects.filter(action="occupation.update", target_id=str(occupation.pk)).exists()


def test_older_regulation_does_not_replace_a_newer_one(demo, tmp_path):
    report = import_files([newer_version(tmp_path, date="2019-01-01", duration="zwei Jahre")], actor=None)
    assert report.superseded == [("fiausbv_neu.md", "fiausbv.md")]
    assert Occupation.objects.get(slug="fiausbv").duration_months == 36


def test_two_versions_in_one_import_keep_the_newest(demo, tmp_path):
    newer = newer_version(tmp_path, date="2026-05-01", duration="dreieinhalb Jahre")
    report = import_files([FIAUSBV, newer], actor=None)
    assert ("fiausbv.md", "fiausbv_neu.md") in report.superseded
    assert Occupation.objects.get(slug="fiausbv").duration_months == 42


def test_regulation_with_several_occupations_splits_its_annexes(db):
    import_files([DEFAULT_DIR / "indmetausbv_2007.md"], actor=None)
    occupations = Occupation.objects.filter(source_file="indmetausbv_2007.md")
    assert occupations.count() == 5
    titles = {
        o.name_male: set(FrameworkPosition.objects.filter(plan__occupation=o).values_list("title", flat=True))
        for o in occupations
    }
    shared = set.intersection(*titles.values())
    assert shared, "Anlage 1 (all industrial metal occupations) is shared"
    assert titles["Anlagenmechaniker"] != titles["Industriemechaniker"]
    assert all(len(t) > len(shared) for t in titles.values()), "each has its own annex as well"


def test_unreadable_file_is_reported_and_command_fails(db, tmp_path):
    bad = tmp_path / "kaputt.md"
    bad.write_bytes(b"\xff\xfe\x00nicht utf-8")
    with pytest.raises(CommandError, match="could not be read"):
        call_command("import-regulations", str(bad), "--no-progress", stdout=StringIO())
    with pytest.raises(CommandError, match="no such file"):
        call_command("import-regulations", str(tmp_path / "fehlt.md"), stdout=StringIO())


def test_admin_loads_a_newer_regulation(demo, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(demo["admin"])
    url = reverse("admin:core_occupation_import")
    assert client.get(url).status_code == 200
    newer = newer_version(tmp_path, date="2026-05-01", duration="dreieinhalb Jahre")
    upload = SimpleUploadedFile("fiausbv_neu.md", newer.read_bytes(), content_type="text/markdown")
    response = client.post(url, {"regulation": upload}, follow=True)
    assert "fiausbv_neu.md wurde eingespielt" in response.content.decode().lower()
    assert Occupation.objects.get(slug="fiausbv").duration_months == 42
    # Nobody else may load regulations.
    other = Client()
    other.force_login(demo["kammer"])
    assert other.get(url).status_code == 403


# -- The apprentice's own plan: specialisation and kind per position (BBiG § 5 Abs. 1 Nr. 3/4, Abs. 2 Nr. 5) -----

MALERLACK = DEFAULT_DIR / "malerlackausbv_2021.md"
SVFANG = DEFAULT_DIR / "svfangausbv_1997.md"
CHEMIK = DEFAULT_DIR / "chemikausbv_2009.md"


@pytest.mark.django_db
def test_import_regulations_prints_the_sections_without_specialisation():
    out = StringIO()
    call_command(
        "import-regulations", str(MALERLACK), str(SVFANG), "--no-progress", "--verbose-report", stdout=out
    )
    text = out.getvalue()
    # MalerLackAusbV: Abschnitt A and G are fachrichtungsübergreifend; SVFAngAusbV: every section has one.
    assert (
        "Sections without specialisation (shown to every apprentice): 2 of 17 sections in 2 regulations "
        "with specialisations." in text
    ), text
    assert "sections without specialisation: malerlackausbv_2021.md: 2 of 7" in text
    maler = Occupation.objects.get(source_file="malerlackausbv_2021.md")
    section_c = FrameworkPosition.objects.filter(plan__occupation=maler, section_label="Abschnitt C")
    assert {p.specialisation.name for p in section_c} == {"Energieeffizienz- und Gestaltungstechnik"}


@pytest.mark.django_db
def test_bbig_5_import_marks_electives_and_their_count():
    import_files([CHEMIK], actor=None)
    chemik = Occupation.objects.get(source_file="chemikausbv_2009.md")
    assert chemik.elective_count == 4
    kinds = Counter(FrameworkPosition.objects.filter(plan__occupation=chemik).values_list("kind", flat=True))
    assert kinds == {"compulsory": 25, "elective": 20}


@pytest.mark.django_db
def test_unchanged_file_updates_specialisation_and_kind_in_place():
    """A database imported by the earlier parser gets the corrected plan on the next import of the same files,
    without new rows (record entries and chosen electives point at them)."""
    import_files([MALERLACK, CHEMIK], actor=None)
    positions = FrameworkPosition.objects.filter(
        plan__occupation__source_file__in=[MALERLACK.name, CHEMIK.name]
    )
    ids = set(positions.values_list("pk", flat=True))
    positions.update(specialisation=None, kind="compulsory")
    Occupation.objects.update(elective_count=None)
    report = import_files([MALERLACK, CHEMIK], actor=None)
    assert report.unchanged == report.plan_refreshed == ["chemikausbv_2009.md", "malerlackausbv_2021.md"]
    assert set(positions.values_list("pk", flat=True)) == ids
    assert positions.filter(kind="elective").count() == 20
    assert positions.filter(specialisation__name="Ausbautechnik und Oberflächengestaltung").count() == 7
    assert Occupation.objects.get(source_file=CHEMIK.name).elective_count == 4
    assert import_files([MALERLACK, CHEMIK], actor=None).plan_refreshed == []  # idempotent


@pytest.mark.django_db
def test_bbig_5_abs_2_nr_5_unchanged_file_gets_its_zusatzqualifikationen_added():
    """The annex of Zusatzqualifikationen was not read before: an existing database gets its positions added
    behind the stored ones, which stay the same rows."""
    mechatroniker = DEFAULT_DIR / "mechatronikerausbv.md"
    import_files([mechatroniker], actor=None)
    positions = FrameworkPosition.objects.filter(plan__occupation__source_file=mechatroniker.name)
    assert positions.filter(kind="additional").count() == 12
    positions.filter(kind="additional").delete()
    ids = set(positions.values_list("pk", flat=True))
    report = import_files([mechatroniker], actor=None)
    assert report.plan_refreshed == [mechatroniker.name]
    assert positions.filter(kind="additional").count() == 12
    assert ids < set(positions.values_list("pk", flat=True))
    assert all(p.items.exists() for p in positions.filter(kind="additional"))
