"""German is the first language: the catalogue is complete, compiled, and covers every string in the code."""

from __future__ import annotations

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "ausbildung"
PO = PACKAGE / "locale" / "de" / "LC_MESSAGES" / "django.po"


def key(entry: polib.POEntry) -> tuple[str | None, str]:
    return entry.msgctxt, entry.msgid


def test_catalogue_is_complete():
    po = polib.pofile(str(PO))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []


def test_compiled_catalogue_matches_po():
    """The checked-in .mo is the compiled .po (run `make messages` after editing translations)."""
    po = polib.pofile(str(PO))
    with PO.with_suffix(".mo").open("rb") as handle:
        mo = gettext.GNUTranslations(handle)
    stale = []
    for entry in po.translated_entries():
        if entry.msgid_plural:
            got = mo.ngettext(entry.msgid, entry.msgid_plural, 1)
            want = entry.msgstr_plural[0]
        elif entry.msgctxt:
            got, want = mo.pgettext(entry.msgctxt, entry.msgid), entry.msgstr
        else:
            got, want = mo.gettext(entry.msgid), entry.msgstr
        if got != want:
            stale.append(entry.msgid)
    assert stale == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
def test_every_string_in_the_code_is_in_the_catalogue(tmp_path):
    """Extract the strings afresh (makemessages) into a copy and compare with the checked-in catalogue."""
    copy = tmp_path / "ausbildung"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("static", "data", "__pycache__"))
    result = subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "de", "--no-location", "--no-obsolete"],
        cwd=copy,
        capture_output=True,
        text=True,
        env={
            "DJANGO_SETTINGS_MODULE": "ausbildung.settings",
            "AUSBILDUNG_TESTING": "1",
            "PATH": "/usr/bin:/bin",
        },
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    fresh = {key(e) for e in polib.pofile(str(copy / "locale/de/LC_MESSAGES/django.po")) if not e.obsolete}
    shipped = {key(e) for e in polib.pofile(str(PO)) if not e.obsolete}
    missing = sorted(fresh - shipped, key=str)
    assert missing == [], f"strings not in the German catalogue (run `make messages`): {missing}"
