"""Render form widgets with KERN UX classes and the ARIA attributes that tie errors to their field, and the
striped list tables of the pages."""

from __future__ import annotations

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
