"""The pathway page (issue #21): from the carpenter's occupation to the Meisterprüfung with its parts and stage,
the Aufstiegs-BAföG estimate with German errors for bad input, and the ways to it (explorer, apprentice, record
book)."""

from __future__ import annotations

import datetime
import re
from html import unescape

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ausbildung.core.models import TrainingContract
from ausbildung.pathways import selectors


def text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def carpenter(demo):
    return TrainingContract.objects.get(apprentice=demo["azubi2"]).occupation


def test_the_carpenters_pathway_names_the_meisterpruefung_with_its_parts(demo):
    occupation = carpenter(demo)
    path = selectors.pathway_for(occupation)
    meister = next(step for step in path.steps if step.details.source_file == "tischlmstrv_2008.md")
    assert (meister.stage, meister.dqr) == (2, 6)
    assert meister.stage_source == selectors.CRAFT_STAGE_SOURCE
    assert meister.hours == 1200  # no Lernumfang in the ordinance: the stage's minimum, BBiG § 53c
    assert not meister.hours_from_ordinance
    page = text(Client().get(reverse("pathways:occupation", args=[occupation.slug])))
    assert "Meisterprüfung im Tischler-Handwerk" in page
    for part in ("Teil I", "Teil II", "Teil III", "Teil IV"):
        assert part in page
    assert "Allgemeine Meisterprüfungsverordnung" in page and "BGBl I: 2008, 826" in page
    assert "HwO § 49" in page  # admission is not in the ordinance: the page says where it is
    assert "DQR-Niveau 6" in page and "IHK Braunschweig" in page


def test_the_stage_minimums_are_read_from_the_bbig():
    assert selectors.stage_hours() == {1: 400, 2: 1200, 3: 1600}  # BBiG § 53b, § 53c, § 53d


def test_the_estimate_and_its_errors(demo):
    url = reverse("pathways:occupation", args=[carpenter(demo).slug])
    page = text(Client().get(url, {"gebuehren": "10000", "material": "3000"}))
    assert "5.750,00 €" in page and "4.750,00 €" in page  # the worked example of tests/pathways/test_afbg.py
    assert "Art. 3 Abs. 2 G v. 22.11.2020" in page  # the law's Stand is named
    for bad in ({"gebuehren": "-5"}, {"gebuehren": "zehntausend"}, {"gebuehren": "1e9"}):
        response = Client().get(url, bad)
        assert response.status_code == 400, bad
        assert 'data-testid="estimate"' not in response.content.decode()


def test_ways_to_the_pathway(client_for, demo):
    occupation = carpenter(demo)
    explorer = Client().get(reverse("orientation:occupation", args=[occupation.slug])).content.decode()
    assert reverse("pathways:occupation", args=[occupation.slug]) in explorer
    # the apprentice's "Wie geht es weiter?" leads to his own occupation
    jonas = TrainingContract.objects.get(apprentice=demo["azubi"])
    response = client_for("apprentice").get(reverse("pathways:mine"))
    assert response.status_code == 302 and response.url == reverse(
        "pathways:occupation", args=[jonas.occupation.slug]
    )
    # the record book points to it in the last six months of the training
    book = reverse("records:book", args=[jonas.pk])
    assert 'data-testid="what-next"' not in client_for("apprentice").get(book).content.decode()
    TrainingContract.objects.filter(pk=jonas.pk).update(
        end_date=timezone.localdate() + datetime.timedelta(days=90)
    )
    assert 'data-testid="what-next"' in client_for("apprentice").get(book).content.decode()
