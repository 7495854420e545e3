"""The occupation page and the comparison from what we know (#17): the Ausbildungsberufsbild grouped and in
readable German, figures only with a source and written the German way, no rows that read "unbekannt"."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from ausbildung.core.models import Occupation
from ausbildung.offers import pay
from ausbildung.orientation.derive import derive_interest_profiles
from ausbildung.orientation.explorer import selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def profiles(demo):
    derive_interest_profiles()
    return {o.name.split("/")[0]: o for o in Occupation.objects.select_related("interest_profile")}


def page(client, occupation: Occupation) -> str:
    url = reverse("orientation:occupation", args=[occupation.slug])
    return client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()


def section(content: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}".*?</ul>', content, re.S)
    assert match, testid
    return match.group(0)


def test_page_of_an_occupation_without_figures_has_no_unknown_rows(client, profiles, monkeypatch):
    monkeypatch.setattr(selectors, "figures_data", lambda: {"occupations": {}})
    content = page(client, profiles["Tischler"])
    assert "unbekannt" not in content.lower()
    assert 'data-testid="unknown"' not in content
    assert 'data-testid="figures"' not in content  # no table of figures at all


def test_sourced_figures_only_and_written_the_german_way(client, profiles, monkeypatch):
    occupation = profiles["Tischler"]
    data = {
        "occupations": {
            occupation.slug: {
                "new_contracts": {"value": 12345, "year": 2024, "source": "Testquelle A"},
                "training_pay": {"value": 1066.0, "year": 2024, "source": "Testquelle B"},
            }
        }
    }
    monkeypatch.setattr(selectors, "figures_data", lambda: data)
    monkeypatch.setattr(selectors, "minimum_pay_now", lambda: pay.minimum_pay(2026))
    content = page(client, occupation)
    assert "12.345 (2024)" in content and "Testquelle A" in content
    assert "1.066 € im Monat (2024)" in content and "Testquelle B" in content
    assert "Vertragslösungsquote" not in content  # no sourced dropout rate: no row
    assert "unbekannt" not in content.lower()
    # BBiG § 17 Abs. 2: 724.0 in the data, "724 €" on the page, never "724,0 Euro"
    assert "724 € im Monat" in content
    assert "724,0" not in content and " Euro " not in content


def test_german_number_filters():
    from ausbildung.core.templatetags.kern import de_number, euro

    assert euro(724.0) == "724 €"
    assert euro("1014.0") == "1.014 €"
    assert euro(607.7) == "607,70 €"
    assert de_number(1234567) == "1.234.567"
    assert de_number(12.5) == "12,5"
    assert de_number(1234.25) == "1.234,25"
    assert de_number("kein Wert") == "kein Wert" and euro(None) == ""


def test_pay_context_source_notes_are_german(client, profiles):
    content = page(client, profiles["Tischler"])
    for english in ("average over", "as of", "publisher", "collective agreements", "companies bound"):
        assert english not in content
    assert "1.066 € im Monat" in content and "1.133 € im Monat" in content
    assert "https://www.bibb.de/de/184710.php" in content  # the source's address is kept


def test_readable_drops_paragraph_references_and_list_punctuation():
    assert selectors.readable("Durchführen qualitätssichernder Maßnahmen (§ 4 Absatz 2 Nummer 3) und") == (
        "Durchführen qualitätssichernder Maßnahmen"
    )
    assert selectors.readable("Beraten von Kunden nach § 5 Abs. 2 Nr. 1 des Berufsbildungsgesetzes,") == (
        "Beraten von Kunden"
    )
    text = "Be- und Verarbeiten von Holz, Holzwerk- und sonstigen Werkstoffen sowie von Halbzeugen,"
    assert selectors.readable(text) == text[:-1]  # the law's wording, only the list's comma dropped


def test_berufsbild_positions_grouped_without_paragraphs(client, profiles):
    occupation = profiles["Tischler"]
    content = page(client, occupation)
    learn = content[content.index('data-testid="what-you-learn"') :]
    learn = learn[: learn.index("</div>")]
    assert "§" not in learn
    core = section(content, "learn-group-core")
    shared = section(content, "learn-group-shared")
    assert "Holz" in core  # what shapes the occupation first …
    assert "Berufsbildung, Arbeits- und Tarifrecht" in shared  # … the standard positions apart, at the end
    assert "Berufsbildung, Arbeits- und Tarifrecht" not in core
    assert content.index("learn-group-core") < content.index("learn-group-shared")
    # every position of the regulation is shown (none dropped), in one of the groups
    from ausbildung.core.models import ProfilePosition

    shown = [text for group in selectors.what_you_learn(occupation) for text in group.texts]
    assert len(shown) == len(
        {selectors.readable(p.text) for p in ProfilePosition.objects.filter(occupation=occupation)}
    )


def test_specialisations_each_on_one_line(client, profiles):
    occupation = profiles["Fachinformatiker"]
    content = page(client, occupation)
    listed = section(content, "specialisations")
    for specialisation in occupation.specialisations.all():
        assert specialisation.name in listed
    kinds = set(occupation.specialisations.values_list("kind", flat=True))
    # FIAusbV: four Fachrichtungen, each a line with its own positions; the Einsatzgebiete on one line
    with_positions = [g for g in selectors.what_you_learn(occupation) if g.kind == "specialisation"]
    assert listed.count("<li>") == len(with_positions) + len(kinds - {"fachrichtung"})
    assert "Einsatzgebiete:" in listed


def test_places_and_internships_link_to_searches_near_the_pupil(client_for, profiles, demo):
    from ausbildung.offers.models import SeekerProfile

    occupation = profiles["Tischler"]
    SeekerProfile.objects.update_or_create(user=demo["schueler"], defaults={"postcode": "10115"})
    content = (
        client_for("pupil").get(reverse("orientation:occupation", args=[occupation.slug])).content.decode()
    )
    offers = re.search(r'data-testid="search-offers" href="([^"]+)"', content).group(1)
    internships = re.search(r'data-testid="search-internships" href="([^"]+)"', content).group(1)
    for url in (offers, internships):
        assert (
            f"beruf={occupation.pk}" in url and "ort=10115" in url and f"umkreis={selectors.NEAR_KM}" in url
        )
        response = client_for("pupil").get(url.replace("&amp;", "&"))
        assert response.status_code == 200
        assert not response.context["form"].errors  # the searches accept the prefilled place and radius


def test_compare_drops_rows_unknown_for_every_occupation(client, profiles, monkeypatch):
    tischler, informatiker = profiles["Tischler"], profiles["Fachinformatiker"]
    slugs = [tischler.slug, informatiker.slug]
    monkeypatch.setattr(selectors, "figures_data", lambda: {"occupations": {}})
    url = reverse("orientation:compare")
    content = client.get(url, {"beruf": slugs}, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "unbekannt" not in content.lower()
    assert "compare-row-new_contracts" not in content and "compare-row-learn" in content
    # one occupation with a sourced figure: that row appears, the other column says unknown
    data = {"occupations": {tischler.slug: {"new_contracts": {"value": 9876, "year": 2024, "source": "Q"}}}}
    monkeypatch.setattr(selectors, "figures_data", lambda: data)
    content = client.get(url, {"beruf": slugs}, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "compare-row-new_contracts" in content and "9.876 (2024)" in content
    assert content.count('data-testid="unknown"') == 1
    assert "compare-row-dropout_rate" not in content


def test_three_lists_of_a_regulation_with_sub_positions(profiles):
    """KfBüroMgmtAusbV § 4: the berufsprofilgebende positions, the Wahlqualifikationen, and the integrative
    positions, each numbered from 1 with sub-positions (1.1, 1.2 …): three groups, sub-positions nested."""
    groups = selectors.what_you_learn(profiles["Kaufmann für Büromanagement"])
    assert [g.kind for g in groups] == ["core", "more", "shared"]
    core, more, shared = groups
    assert core.lines[0].text == "Büroprozesse" and "Informationsmanagement" in core.lines[0].children
    assert "Einkauf und Logistik" in [line.text for line in more.lines]
    assert "Arbeitsorganisation" in [line.text for line in shared.lines]
    assert all(not text.endswith(":") for group in groups for text in group.texts)


def test_specialisation_positions_form_their_own_groups(profiles):
    groups = selectors.what_you_learn(profiles["Fachinformatiker"])
    titles = [g.title for g in groups if g.kind == "specialisation"]
    assert "Anwendungsentwicklung" in titles and "Systemintegration" in titles
    shared = next(g for g in groups if g.kind == "shared")
    # FIAusbV § 4 Abs. 4: the integrative list, including its last position that no other regulation shares
    assert "vernetztes Zusammenarbeiten unter Nutzung digitaler Medien" in shared.texts


def test_without_a_berufsbild_list_the_compulsory_plan_positions_stand_in(profiles):
    """A regulation for several occupations can name the positions only in each framework plan (IndMetAusbV):
    the page then shows the plan's compulsory positions, grouped the same way, and no Zusatzqualifikation."""
    from ausbildung.core.models import FrameworkPosition, ProfilePosition

    occupation = profiles["Tischler"]
    ProfilePosition.objects.filter(occupation=occupation).delete()
    groups = selectors.what_you_learn(occupation)
    assert groups and groups[0].kind == "core"
    plan_titles = set(
        FrameworkPosition.objects.filter(
            plan__occupation=occupation, kind=FrameworkPosition.Kind.COMPULSORY
        ).values_list("title", flat=True)
    )
    shown = [text for group in groups for text in group.texts]
    assert shown and all(any(text in title for title in plan_titles) for text in shown)
    assert not any(group.kind == "more" for group in groups)
    shared = next(g for g in groups if g.kind == "shared")
    assert any(text.startswith("Berufsbildung") for text in shared.texts)
    assert not any(text.startswith("Berufsbildung") for text in groups[0].texts)


def test_internships_on_the_page_are_those_near_the_pupil(client_for, profiles, demo):
    """The demo internship is in the Saarland: listed for a pupil there, not for one in Berlin."""
    from ausbildung.offers.models import SeekerProfile

    from .helpers import demo_internship

    slot = demo_internship()
    occupation = slot.occupation
    url = reverse("orientation:occupation", args=[occupation.slug])
    pupil = client_for("pupil")
    SeekerProfile.objects.update_or_create(user=demo["schueler"], defaults={"postcode": slot.site.postcode})
    assert slot in pupil.get(url).context["nearby"].internships
    SeekerProfile.objects.update_or_create(user=demo["schueler"], defaults={"postcode": "10115"})
    nearby = pupil.get(url).context["nearby"]
    assert slot not in nearby.internships and nearby.postcode == "10115"
