"""`core.templatetags.kern`: the `data_table` block of the list pages."""

from __future__ import annotations

from django.template import Context, Template

TABLE = Template(
    "{% load kern %}{% data_table rows caption=caption empty=empty testid=testid region=region %}"
    "<tbody>{% for row in rows %}<tr><td>{{ row }}</td></tr>{% endfor %}</tbody>{% enddata_table %}"
)


def render(rows, *, testid="", region=False):
    context = {"rows": rows, "caption": "Offers <b>", "empty": "No <i>offers</i>", "testid": testid}
    return TABLE.render(Context({**context, "region": region}))


def test_without_rows_only_the_empty_text_shows_escaped():
    assert render([]) == '<p class="kern-body">No &lt;i&gt;offers&lt;/i&gt;</p>'


def test_rows_show_in_a_striped_table_with_an_escaped_caption():
    html = render(["<x>"])
    assert '<table class="kern-table kern-table--striped">' in html
    assert '<caption class="kern-sr-only">Offers &lt;b&gt;</caption>' in html
    assert "<tbody><tr><td>&lt;x&gt;</td></tr></tbody></table>" in html
    assert "kern-body" not in html and "role=" not in html and "data-testid" not in html


def test_a_wide_table_is_a_named_scroll_region_and_carries_its_test_id():
    html = render(["a"], testid="leavers", region=True)
    assert (
        '<div class="kern-table-responsive" tabindex="0" role="region" aria-label="Offers &lt;b&gt;">' in html
    )
    assert '<table class="kern-table kern-table--striped" data-testid="leavers">' in html
