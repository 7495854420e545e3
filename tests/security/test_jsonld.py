"""Attack: an offer text that breaks out of the JSON-LD block of the public offer page.

The offer page embeds schema.org `JobPosting` data in `<script type="application/ld+json">`. A company writes
`<!--<script>` into its offer description: inside a script element the HTML tokenizer then enters its "script
data double escaped" state (WHATWG HTML § 13.2.5.4 ff.), in which the closing `</script>` no longer ends the
element, so the block swallows the rest of the page: the description, the apply button, the footer are gone
for every visitor and search engine. Escaping only `</` (the old defence) does not help.

Defence: the JSON is written with `<`, `>` and `&` as `\\u003c`, `\\u003e`, `\\u0026` (as Django's
`json_script` does), so the script text never contains markup; JSON parsers read back the original text.
The page is parsed here with a spec-conformant HTML5 parser (tinyhtml5), as a browser would.
"""

from __future__ import annotations

import json

import tinyhtml5
from django.test import Client
from django.urls import reverse

from ausbildung.offers.models import Offer

HTML = "{http://www.w3.org/1999/xhtml}"
ATTACK = "Wir bieten <!--<script> & mehr > alles andere"


def offer_page(offer: Offer):
    response = Client().get(reverse("offers:detail", kwargs={"offer_id": offer.pk}))
    assert response.status_code == 200
    return tinyhtml5.parse(response.content.decode())


def test_comment_script_in_offer_description_does_not_swallow_the_page(demo):
    offer = Offer.objects.filter(
        status=Offer.Status.PUBLISHED, company__name__startswith="Saar Systemhaus"
    ).first()
    Offer.objects.filter(pk=offer.pk).update(description=ATTACK)

    root = offer_page(offer)

    # The rest of the page is still there: the description as text, the footer after the block.
    assert root.find(f".//{HTML}footer") is not None, "the JSON-LD block swallowed the page"
    assert ATTACK in [element.text for element in root.iter(f"{HTML}p")]
    scripts = [e for e in root.iter(f"{HTML}script") if e.get("type") == "application/ld+json"]
    assert len(scripts) == 1
    assert "<" not in scripts[0].text, "the JSON-LD text must contain no markup"
    assert json.loads(scripts[0].text)["description"] == ATTACK
