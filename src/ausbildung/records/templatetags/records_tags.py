from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def get_item(mapping: dict, key: str):
    return mapping.get(key, "") if isinstance(mapping, dict) else ""


@register.filter
def label(value: object, labels: dict) -> object:
    """The label of a choice, from a mapping built once (`{{ day.place|label:place_labels }}`).

    Same result as `get_FOO_display`, which rebuilds and hashes the whole choice list, translating every
    label, on each call: ~50 translations for the seven days of a week page."""
    return labels.get(value, value) if isinstance(labels, dict) else value


@register.filter
def day_error(errors: dict, day_key: str) -> str:
    """The error of the day row "YYYY-MM-DD" (services key their day errors "day-YYYY-MM-DD")."""
    return errors.get(f"day-{day_key}", "") if isinstance(errors, dict) else ""


@register.filter
def hours(value: object) -> str:
    """7.50 → "7,5" (German decimal comma); text typed by the user is shown back unchanged."""
    if isinstance(value, Decimal):
        text = f"{value.normalize():f}"
        return text.replace(".", ",")
    return "" if value is None else str(value)


@register.filter
def sections(record) -> list[tuple[str, str, str, str]]:
    """The three sections of a period (BIBB HA recommendation: minimum content), with their hints."""
    return [
        (
            "company_work",
            _("Company work (betriebliche Tätigkeiten)"),
            _("What did you do in the company? Short notes are enough."),
            record.company_work,
        ),
        (
            "instruction",
            _("Instruction, in-company teaching, other training"),
            _("Unterweisungen, betrieblicher Unterricht, sonstige Schulungen – if there were any."),
            record.instruction,
        ),
        (
            "school",
            _("Vocational school topics"),
            _("Which topics did you cover at the vocational school (Berufsschule)?"),
            record.school,
        ),
    ]
