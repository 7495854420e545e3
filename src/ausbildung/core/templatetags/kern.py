"""Render form widgets with KERN UX classes and the ARIA attributes that tie errors to their field, and the
striped list tables of the pages."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms, template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def kern_widget(field: forms.BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.Select):
        css = "kern-form-input__select"
    elif isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        css = "kern-form-check__checkbox"
    else:
        css = "kern-form-input__input"
    attrs: dict[str, str | bool] = {}
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_hint")
    if field.errors:
        css += f" {css}--error"
        attrs["aria-invalid"] = "true"
        described_by.append(f"{field.auto_id}_error")
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    existing = widget.attrs.get("class", "")
    attrs["class"] = f"{existing} {css}".strip()
    return field.as_widget(attrs=attrs)


@register.filter
def is_select(field: forms.BoundField) -> bool:
    return isinstance(field.field.widget, forms.Select)


@register.simple_tag(takes_context=True)
def page_query(context: template.Context, number: int) -> str:
    """The current query string with `page` replaced, for pagination links that keep the filters."""
    params = context["request"].GET.copy()
    params["page"] = str(number)
    return "?" + params.urlencode()


@register.simple_block_tag
def data_table(
    content: str, rows: Any, *, caption: str, empty: str, testid: str = "", region: bool = False
) -> SafeString:
    """A striped KERN table of `rows` – the block is its head and body – captioned for screen readers, or the
    `empty` text when there are no rows. `region` lets a keyboard scroll a wide table (named by its caption)."""
    if not rows:
        return format_html('<p class="kern-body">{}</p>', empty)
    scroll = format_html(' tabindex="0" role="region" aria-label="{}"', caption) if region else ""
    test = format_html(' data-testid="{}"', testid) if testid else ""
    return format_html(
        '<div class="kern-table-responsive"{}>\n<table class="kern-table kern-table--striped"{}>\n'
        '<caption class="kern-sr-only">{}</caption>{}</table>\n</div>',
        scroll,
        test,
        caption,
        content,
    )


@register.simple_block_tag
def form_section(
    content: str, title: str, *, errors_of: forms.BoundField | None = None, testid: str = ""
) -> SafeString:
    """One titled section of a long form: a fieldset whose legend is a heading above its fields.

    KERN styles a fieldset's legend as the floated label of one question (a group of radios): the fields
    sit in `.kern-fieldset__body`, which clears the float, and a fieldset with a hint loses the legend's
    bottom margin. A section title used that markup with its fields straight after the legend, so the first
    label ran into the title ("Der AusbildungsplatzAusbildungsstätte"). Here the legend is a block heading
    (`.form-section__title`, site.css) and the fields follow in the fieldset's body. `errors_of`: the field
    whose errors the section shows as a group (the fieldset is described by them while there are any)."""
    described = (
        format_html(' aria-describedby="{}_error"', errors_of.auto_id)
        if errors_of and errors_of.errors
        else ""
    )
    test = format_html(' data-testid="{}"', testid) if testid else ""
    return format_html(
        '<fieldset class="kern-fieldset form-section kern-mb-lg"{}{}>'
        '<legend class="kern-heading-medium form-section__title">{}</legend>\n'
        '<div class="form-section__body">{}</div></fieldset>',
        described,
        test,
        title,
        content,
    )


def _german_digits(value: Decimal, *, cents: bool) -> str:
    """1234567.5 → "1.234.567,5" ("1.234.567,50" with cents); integral without decimals ("724", not "724,0")."""
    if value == value.to_integral_value():
        return f"{int(value):,}".replace(",", ".")
    text = f"{value.quantize(Decimal('0.01')):,.2f}"
    if not cents:
        text = text.rstrip("0")
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def de_number(value: Any) -> str:
    """A number written the German way: thousands separated by a dot, decimals by a comma, no ",0"."""
    number = _decimal(value)
    return str(value if value is not None else "") if number is None else _german_digits(number, cents=False)


@register.filter
def euro(value: Any) -> str:
    """An amount in euro the German way: "724 €", "1.066 €", "607,70 €"."""
    number = _decimal(value)
    return "" if number is None else f"{_german_digits(number, cents=True)} €"
