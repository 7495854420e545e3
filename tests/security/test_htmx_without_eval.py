"""htmx runs under a Content-Security-Policy without 'unsafe-eval'.

Attack surface: htmx features that build code from attribute text at run time (trigger filters
`hx-trigger="change[...]"`, `hx-on`, `js:` values in `hx-vals`) need `eval`. The policy refuses it, so such a
feature silently does nothing, or fires always: a search filter written that way searched on every 'change'.

Defence: base.html sets htmx's `allowEval` to false, and no template uses an eval feature.
"""

from __future__ import annotations

import re
from pathlib import Path

import ausbildung

SRC = Path(ausbildung.__file__).parent
EVAL_FEATURES = re.compile(r"""hx-trigger="[^"]*\[|hx-on[:-]|hx-vals='js:|hx-vals="js:|hx-vars=""")


def templates() -> list[Path]:
    return sorted(path for path in SRC.rglob("*.html") if "vendor" not in path.parts)


def test_templates_use_no_htmx_feature_that_needs_eval():
    found = [
        f"{path.relative_to(SRC)}:{number}"
        for path in templates()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if EVAL_FEATURES.search(line)
    ]
    assert len(templates()) > 50
    assert found == []


def test_htmx_is_configured_without_eval():
    base = (SRC / "templates" / "base.html").read_text(encoding="utf-8")
    assert '"allowEval": false' in base
