"""Validators shared by every app.

Single-line inputs (names, titles, places, short notes) must not carry control characters: a line break in an
offer title ended up in a mail subject, where Django refuses it (`BadHeaderError`), and tabs, NULs or the
Unicode line separators make exports, CSV cells and log lines lie about where a value ends. Django's own
`ProhibitNullCharactersValidator` is the precedent; this validator extends it to every control character.

Applied in one place per input channel: the forms through `core.forms.PlatformForm` (every CharField whose
widget is not a Textarea), the API through the `SingleLine` type of `api.types`. Multi-line texts (Textarea,
the API's long texts) keep their line breaks.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Cc: C0 controls (NUL … US, including tab, line feed and carriage return), DEL and the C1 controls;
# Zl/Zp: U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR, which str.splitlines() and many mail and
# text tools treat as line breaks.
CONTROL_CATEGORIES = frozenset({"Cc", "Zl", "Zp"})


def has_control_characters(value: str) -> bool:
    return any(unicodedata.category(char) in CONTROL_CATEGORIES for char in value)


def strip_control_characters(value: str) -> str:
    """Each run of control characters becomes one space (for text built from values stored before the
    validator existed, e.g. a mail subject)."""
    out: list[str] = []
    for char in value:
        if unicodedata.category(char) in CONTROL_CATEGORIES:
            if out and out[-1] != " ":
                out.append(" ")
        else:
            out.append(char)
    return "".join(out).strip()


@deconstructible
class ProhibitControlCharactersValidator:
    """Refuse line breaks, tabs, NULs and other control characters in a single-line value."""

    message = _("Please enter this on one line, without line breaks, tabs or other control characters.")
    code = "control_characters"

    def __call__(self, value: object) -> None:
        if isinstance(value, str) and has_control_characters(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ProhibitControlCharactersValidator)

    def __hash__(self) -> int:
        return hash(self.code)


prohibit_control_characters = ProhibitControlCharactersValidator()
