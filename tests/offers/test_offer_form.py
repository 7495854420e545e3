"""The company's offer form (issue #16): titled sections, the specialisations of the chosen occupation only
(also without script), the list's "start of training" column, and the weight of the page."""

from __future__ import annotations

import re
from pathlib import Path

from django.urls import reverse

from ausbildung.core.models import Occupation, Specialisation
from ausbildung.offers.forms import OfferForm
from ausbildung.offers.models import Offer

from .conftest import demo_offer

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "ausbildung"


def options_of(page: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, name
    return [value for value in re.findall(r'<option value="([^"]*)"', select.group(1)) if value]


def specialisations_of(occupation: Occupation) -> list[str]:
    return [
        str(pk)
        for pk in occupation.specialisations.exclude(kind=Specialisation.Kind.EINSATZGEBIET).values_list(
            "pk", flat=True
        )
    ]


def offer_data(offer: Offer, **changes) -> dict:
    data = {
        "site": offer.site_id,
        "occupation": offer.occupation_id,
        "start_date": offer.start_date.isoformat(),
        "places": "2",
        "pay_year1": "1200",
        "pay_year2": "1300",
        "pay_year3": "1400",
        "pay_year4": "1500",
        "title": "Neue Stelle",
    }
    data.update(changes)
    return data


def occupation_with_specialisations(exclude: int | None = None) -> Occupation:
    """An active occupation with a Fachrichtung (the test catalogue has one such occupation: another one gets
    two Fachrichtungen here)."""
    occupation = (
        Occupation.objects.filter(is_active=True, specialisations__kind__in=["fachrichtung", "schwerpunkt"])
        .exclude(pk=exclude)
        .distinct()
        .order_by("pk")
        .first()
    )
    if occupation is None:
        occupation = Occupation.objects.filter(is_active=True).exclude(pk=exclude).order_by("pk").first()
        assert occupation is not None
        for position, name in enumerate(["Erste Richtung", "Zweite Richtung"]):
            Specialisation.objects.create(
                occupation=occupation, kind=Specialisation.Kind.FACHRICHTUNG, name=name, position=position
            )
    return occupation


# --- the sections ----------------------------------------------------------------------------------------------


def test_section_titles_are_headings_above_their_fields(demo, client_for):
    """Each section's legend is a heading of its own, and the fields follow in the section's body: KERN floats a
    legend with `kern-label` (a question's label), so the first field's label ran into the section title
    ("Der AusbildungsplatzAusbildungsstätte")."""
    page = client_for("company_admin").get(reverse("offers:create")).content.decode()
    legends = re.findall(r"<legend([^>]*)>(.*?)</legend>\s*<div([^>]*)>", page, re.S)
    titles = [text for attrs, text, _body in legends if "form-section__title" in attrs]
    assert titles == ["Der Ausbildungsplatz", "Ausbildungsvergütung (BBiG § 17)", "Kontakt"]
    for attrs, _text, body in legends:
        assert "kern-label" not in attrs and 'class="form-section__body"' in body


def test_no_template_titles_a_section_with_a_floated_question_label():
    """The same cause elsewhere: a fieldset of several fields whose legend is styled as one question's label
    (`kern-label kern-heading-small`) with the fields straight after it. Sections use {% form_section %}."""
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if re.search(
            r'<fieldset class="kern-fieldset[^"]*"[^>]*>\s*<legend class="kern-label kern-heading-small"',
            path.read_text(encoding="utf-8"),
        )
    ]
    assert offenders == []


# --- the specialisations of the chosen occupation ----------------------------------------------------------------


def test_edit_form_offers_only_the_offers_occupations_specialisations(demo, client_for):
    offer = demo_offer()
    page = client_for("company_admin").get(reverse("offers:edit", args=[offer.pk])).content.decode()
    assert options_of(page, "specialisation") == specialisations_of(offer.occupation)
    assert Specialisation.objects.count() > len(specialisations_of(offer.occupation))


def test_new_offer_form_offers_no_specialisation_before_the_occupation(demo, client_for):
    page = client_for("company_admin").get(reverse("offers:create")).content.decode()
    assert options_of(page, "specialisation") == []
    assert "zuerst den Beruf" in page


def test_a_specialisation_of_another_occupation_is_refused_in_german(demo, client_for):
    offer = demo_offer()
    other = occupation_with_specialisations(exclude=offer.occupation_id)
    foreign = other.specialisations.exclude(kind=Specialisation.Kind.EINSATZGEBIET).first()
    form = OfferForm(offer_data(offer, specialisation=foreign.pk), companies=[offer.company])
    assert not form.is_valid()
    assert form.errors["specialisation"] == [
        "Diese Fachrichtung gehört zu einem anderen Beruf. Bitte wählen Sie eine des gewählten Berufs."
    ]
    response = client_for("company_admin").post(
        reverse("offers:create"), offer_data(offer, specialisation=foreign.pk, title="Fremd")
    )
    page = response.content.decode()
    assert response.status_code == 200 and not Offer.objects.filter(title="Fremd").exists()
    assert "gehört zu einem anderen Beruf" in page
    assert options_of(page, "specialisation") == specialisations_of(offer.occupation)


def test_an_einsatzgebiet_is_no_specialisation_of_an_offer(demo):
    """An Einsatzgebiet (field of deployment) is not the Fachrichtung/Schwerpunkt of the contract the offer
    leads to (core.services refuses it there), so the offer form does not offer it."""
    einsatzgebiet = Specialisation.objects.filter(kind=Specialisation.Kind.EINSATZGEBIET).first()
    if einsatzgebiet is None:
        occupation = demo_offer().occupation
        einsatzgebiet = Specialisation.objects.create(
            occupation=occupation, kind=Specialisation.Kind.EINSATZGEBIET, name="Testgebiet", position=99
        )
    offer = demo_offer()
    form = OfferForm(
        offer_data(offer, occupation=einsatzgebiet.occupation_id, specialisation=einsatzgebiet.pk),
        companies=[offer.company],
    )
    assert not form.is_valid() and "specialisation" in form.errors


def test_without_script_the_form_shows_the_chosen_occupations_specialisations_and_saves_nothing(
    demo, client_for
):
    offer = demo_offer()
    other = occupation_with_specialisations(exclude=offer.occupation_id)
    before = Offer.objects.count()
    response = client_for("company_admin").post(
        reverse("offers:create"),
        {"occupation": other.pk, "title": "Entwurf im Kopf", "places": "", OfferForm.REFRESH: "1"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and Offer.objects.count() == before
    assert options_of(page, "specialisation") == specialisations_of(other)
    assert 'value="Entwurf im Kopf"' in page  # what was typed stays
    assert "kern-error" not in page  # not a failed save: no field errors


def test_the_specialisation_field_follows_the_occupation_by_htmx(demo, client_for):
    other = occupation_with_specialisations()
    client = client_for("company_admin")
    response = client.get(reverse("offers:specialisations"), {"occupation": other.pk})
    fragment = response.content.decode()
    assert response.status_code == 200 and fragment.startswith('<div id="specialisation-field">')
    assert options_of(fragment, "specialisation") == specialisations_of(other)
    assert (
        options_of(
            client.get(reverse("offers:specialisations"), {"occupation": "x"}).content.decode(),
            "specialisation",
        )
        == []
    )
    page = client.get(reverse("offers:create")).content.decode()
    occupation_select = re.search(r'<select name="occupation"[^>]*>', page).group(0)
    assert f'hx-get="{reverse("offers:specialisations")}"' in occupation_select
    assert 'hx-target="#specialisation-field"' in occupation_select


# --- the list of the company's offers ------------------------------------------------------------------------------


def test_offer_list_heads_the_start_column_as_start_of_training(demo, client_for):
    """ "Start" of the table head and "Start" of the landing page's title shared one msgid ("Startseite")."""
    page = client_for("company_admin").get(reverse("offers:company_offers")).content.decode()
    heads = re.findall(r'<th scope="col" class="kern-table__header">([^<]*)</th>', page)
    assert "Beginn der Ausbildung" in heads and "Startseite" not in heads
    landing = client_for(None).get(reverse("core:landing")).content.decode()
    assert "<title>Startseite" in landing
