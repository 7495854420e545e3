"""Render form widgets with KERN UX classes and the ARIA attributes that tie errors to their field."""

from __future__ import annotations

from django import forms, template

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
