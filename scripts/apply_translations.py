"""Developer helper: fill German translations into the catalogue from a Python dict file (msgid → msgstr or
(singular, plural)). Usage: python scripts/apply_translations.py FILE.py — then scripts/compile_messages.py."""

import runpy
import sys
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent.parent / "src/ausbildung/locale/de/LC_MESSAGES/django.po"


def main() -> int:
    table = runpy.run_path(sys.argv[1])["T"]
    po = polib.pofile(str(CATALOGUE))
    filled = 0
    for entry in po:
        if entry.msgid not in table or entry.msgctxt:
            continue
        value = table[entry.msgid]
        if entry.msgid_plural:
            singular, plural = value if isinstance(value, tuple) else (value, value)
            entry.msgstr_plural = {0: singular, 1: plural}
        else:
            entry.msgstr = value if isinstance(value, str) else value[0]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = None
        entry.previous_msgid_plural = None
        filled += 1
    po.save(str(CATALOGUE))
    missing = [e.msgid for e in po if (not e.translated() or "fuzzy" in e.flags) and not e.obsolete]
    print(f"filled {filled}; still untranslated or fuzzy: {len(missing)}")
    for msgid in missing[:50]:
        print("  ", msgid[:120])
    return 0


if __name__ == "__main__":
    sys.exit(main())
