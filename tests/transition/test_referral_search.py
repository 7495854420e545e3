"""The counsellor's referral to a training offer (issue #16): found by occupation, company or place in the
case page's search (a plain GET form, and htmx while typing), chosen from the results, not typed as a number
copied from an address."""

from __future__ import annotations

import re

from django.urls import reverse

from ausbildung.offers.models import Offer
from ausbildung.offers.search import public_offers
from ausbildung.transition.models import Case, Referral


def lena_case(demo) -> Case:
    return Case.objects.get(person=demo["schueler"], status=Case.Status.OPEN)


def published_offer() -> Offer:
    offer = public_offers().select_related("company", "occupation").order_by("pk").first()
    assert offer is not None
    return offer


def offer_choices(page: str) -> list[int]:
    return [int(value) for value in re.findall(r'name="referral-offer"[^>]*value="(\d+)"', page)]


def search(client, case: Case, query: str) -> str:
    response = client.get(reverse("transition:case_detail", args=[case.pk]), {"angebot": query})
    assert response.status_code == 200
    return response.content.decode()


def test_counsellor_finds_an_offer_by_occupation_company_or_place(demo, client_for):
    client = client_for("counsellor")
    case = lena_case(demo)
    offer = published_offer()
    for query in (
        offer.occupation.name,
        offer.company.name,
        offer.city,
        f"{offer.occupation.name} {offer.city}",
    ):
        assert offer.pk in offer_choices(search(client, case, query)), query


def test_only_published_offers_are_found(demo, client_for):
    client = client_for("counsellor")
    case = lena_case(demo)
    offer = published_offer()
    Offer.objects.filter(pk=offer.pk).update(status=Offer.Status.DRAFT, title="Geheimer Entwurf XYZ")
    page = search(client, case, "Geheimer Entwurf XYZ")
    assert offer_choices(page) == []
    assert "Kein veröffentlichtes Ausbildungsangebot passt zu „Geheimer Entwurf XYZ“" in page


def test_the_chosen_offer_is_referred(demo, client_for):
    client = client_for("counsellor")
    case = lena_case(demo)
    offer = published_offer()
    url = reverse("transition:case_detail", args=[case.pk])
    response = client.post(
        f"{url}?angebot={offer.city}",
        {
            "action": "referral",
            "referral-kind": "offer",
            "referral-offer": str(offer.pk),
            "referral-note": "",
        },
    )
    assert response.status_code == 302
    assert Referral.objects.filter(case=case, kind="offer", offer=offer).exists()


def test_an_offer_must_be_chosen_and_the_choice_stays_after_an_error(demo, client_for):
    client = client_for("counsellor")
    case = lena_case(demo)
    offer = published_offer()
    url = reverse("transition:case_detail", args=[case.pk])
    page = client.post(url, {"action": "referral", "referral-kind": "offer"}).content.decode()
    assert "Wählen Sie das Ausbildungsangebot" in page or "id_referral-offer_error" in page
    # a note too long: the chosen offer is offered again, checked
    page = client.post(
        url,
        {
            "action": "referral",
            "referral-kind": "offer",
            "referral-offer": str(offer.pk),
            "referral-note": "x" * 301,
        },
    ).content.decode()
    assert offer_choices(page) == [offer.pk]
    assert re.search(rf'value="{offer.pk}" checked', page)


def test_the_search_field_asks_for_results_while_typing(demo, client_for):
    client = client_for("counsellor")
    case = lena_case(demo)
    offer = published_offer()
    page = client.get(reverse("transition:case_detail", args=[case.pk])).content.decode()
    field = re.search(r'<input[^>]*id="offer-query"[^>]*>', page, re.S).group(0)
    fragment_url = reverse("transition:case_offer_choices", args=[case.pk])
    assert f'hx-get="{fragment_url}"' in field and 'form="offer-search"' in field
    assert '<form id="offer-search" method="get"' in page  # without script: a plain search form
    fragment = client.get(fragment_url, {"angebot": offer.company.name}).content.decode()
    assert fragment.lstrip().startswith('<div id="offer-choices"') and offer.pk in offer_choices(fragment)


def test_the_search_of_a_closed_case_answers_404(demo, client_for):
    """The fragment is addressed by the case: a closed case (like one out of scope) takes no referral."""
    client = client_for("counsellor")
    case = lena_case(demo)
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED)
    response = client.get(reverse("transition:case_offer_choices", args=[case.pk]), {"angebot": "a"})
    assert response.status_code == 404
