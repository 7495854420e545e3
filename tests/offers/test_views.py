"""The offers pages through the test client: search, offer page, the company's forms, scopes."""

from __future__ import annotations

import html
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ausbildung.core.models import User
from ausbildung.offers.models import Application, Offer, SeekerProfile

from .conftest import PDF, demo_offer, document_of, sent_application


def titles(response) -> list[str]:
    return re.findall(
        r'<h2 class="kern-heading-small"><a class="kern-link" href="[^"]+">([^<]+)</a>',
        response.content.decode(),
    )


def search(client, **params):
    return client.get(reverse("offers:search"), params)


def test_search_filters(demo):
    client = Client()
    assert len(titles(search(client))) == 3
    assert titles(search(client, q="Informatik")) == ["Fachinformatiker/Fachinformatikerin"]
    assert titles(search(client, q="büro")) == titles(search(client, q="buero")) != []
    # St. Wendel lies ~26 km from Saarbrücken: 10 km around Saarbrücken finds only the Systemhaus's offers.
    near = titles(search(client, ort="66111", umkreis="10"))
    assert len(near) == 2 and all("Tischler" not in title for title in near)
    assert len(titles(search(client, ort="Saarbrücken", umkreis="50"))) == 3
    # Only the carpenter's offer accepts the first school-leaving certificate.
    assert titles(search(client, abschluss="esa")) == ["Tischler/Tischlerin"]


def test_free_places_and_sort_by_distance(demo):
    client = Client()
    offer = demo_offer()
    Offer.objects.filter(pk=offer.pk).update(places_taken=offer.places)
    assert len(titles(search(client, frei="on"))) == 2
    by_distance = titles(search(client, ort="66606", sortierung="distance"))  # St. Wendel
    assert by_distance[0] == "Tischler/Tischlerin"


def place_error(response) -> str:
    """The error text at the place field, or ''."""
    found = re.search(
        r'<div class="kern-error" id="id_ort_error">.*?<span class="kern-body">(.*?)</span>',
        response.content.decode(),
        re.S,
    )
    return found.group(1) if found else ""


def place_links(response) -> list[tuple[str, str]]:
    """(href, label) of the place choices or suggestions."""
    body = response.content.decode()
    lists = re.findall(r'<ul class="kern-list place-choices">(.*?)</ul>', body, re.S)
    return [
        (html.unescape(href), html.unescape(label))
        for block in lists
        for href, label in re.findall(r'<a class="kern-link" href="([^"]+)">([^<]+)</a>', block)
    ]


def test_unknown_place_is_said_at_the_field_and_no_offers_are_listed(demo):
    """Issue #16: an unknown place was a warning above all offers, listed as if filtered."""
    with translation.override("de"):
        response = Client().get(
            reverse("offers:search"), {"ort": "Atlantis", "umkreis": "25"}, HTTP_ACCEPT_LANGUAGE="de"
        )
    assert response.status_code == 200
    body = response.content.decode()
    assert place_error(response) == (
        "Den Ort „Atlantis“ kennen wir nicht. Bitte prüfe die Schreibweise oder gib eine fünfstellige Postleitzahl ein."
    )
    assert 'aria-invalid="true"' in re.search(r'<input[^>]*name="ort"[^>]*>', body).group(0)
    assert 'value="Atlantis"' in body  # the filter stays in the form
    assert titles(response) == []
    assert "Angebot gefunden" not in body and "Angebote gefunden" not in body
    assert "Kein Angebot passt" not in body


def test_misspelt_place_suggests_but_does_not_search_for_the_suggestion(demo):
    with translation.override("de"):
        response = Client().get(
            reverse("offers:search"), {"ort": "Sankt Wendl", "umkreis": "10"}, HTTP_ACCEPT_LANGUAGE="de"
        )
    assert titles(response) == []
    assert "Meintest du" in response.content.decode()
    links = place_links(response)
    assert links[0][1] == "Sankt Wendel (66606, Kreis St. Wendel, Saarland)"
    assert titles(Client().get(links[0][0])) == ["Tischler/Tischlerin"]


def test_st_wendel_as_the_platform_spells_it_filters_the_search(demo):
    """Issue #16: "St. Wendel" was unknown and all offers were listed."""
    client = Client()
    for spelling in ("St. Wendel", "Sankt Wendel", "st wendel", "66606"):
        response = search(client, ort=spelling, umkreis="10")
        assert place_error(response) == "", spelling
        assert titles(response) == ["Tischler/Tischlerin"], spelling
        assert "Sankt Wendel (66606)" in response.content.decode()


def test_ambiguous_place_offers_the_choices_home_land_first_and_a_choice_refines_the_search(demo):
    """Issue #16: "Neunkirchen" was Neuenkirchen (21763, Lower Saxony)."""
    client = Client()
    with translation.override("de"):
        response = client.get(
            reverse("offers:search"),
            {"ort": "Neunkirchen", "umkreis": "25", "q": "tischler"},
            HTTP_ACCEPT_LANGUAGE="de",
        )
    assert titles(response) == []
    assert place_error(response) == "„Neunkirchen“ gibt es mehrmals. Bitte wähle unten einen Ort aus."
    links = place_links(response)
    labels = [label for _href, label in links]
    assert (
        labels[0] == "Neunkirchen/Saar (66538, Kreis Neunkirchen, Saarland)"
    )  # an anonymous visitor: the Saarland first
    assert not any(label.startswith("Neuenkirchen") for label in labels)
    assert all(label.startswith("Neunkirchen") for label in labels)
    # The other Länder follow alphabetically.
    lands = [label.rsplit(", ", 1)[1].rstrip(")") for label in labels[1:]]
    assert lands == sorted(lands)
    # A choice keeps the other filters and names exactly one place.
    href = links[0][0]
    assert "umkreis=25" in href and "q=tischler" in href
    chosen = client.get(href)
    assert place_error(chosen) == ""
    assert titles(chosen) == ["Tischler/Tischlerin"]  # St. Wendel is 17 km from Neunkirchen/Saar
    assert "Neunkirchen/Saar (66538)" in chosen.content.decode()


def test_ambiguous_place_choices_are_ordered_by_distance_from_the_pupils_postcode(demo, client_for):
    pupil = client_for("pupil")
    from_saarlouis = place_links(pupil.get(reverse("offers:search"), {"ort": "Neunkirchen"}))
    assert from_saarlouis[0][1].startswith("Neunkirchen/Saar (66538")
    # The pupil moves near Siegen: the Neunkirchen of Nordrhein-Westfalen is now the nearest.
    SeekerProfile.objects.filter(user=demo["schueler"]).update(postcode="57072")
    with translation.override("de"):
        response = pupil.get(reverse("offers:search"), {"ort": "Neunkirchen"}, HTTP_ACCEPT_LANGUAGE="de")
    labels = [label for _href, label in place_links(response)]
    assert labels[0] == "Neunkirchen (57290, Nordrhein-Westfalen)"
    kms = [int(km) for km in re.findall(r"</a> · (\d+) km entfernt</li>", response.content.decode())]
    assert len(kms) == len(labels) and kms == sorted(kms)


def test_profile_postcode_must_be_a_known_one(demo, client_for):
    """An unknown profile postcode was saved and then silently measured no distances."""
    pupil = client_for("pupil")
    with translation.override("de"):
        response = pupil.post(reverse("offers:profile"), {"postcode": "99999"}, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert "Diese Postleitzahl kennen wir nicht. Bitte prüfe sie." in response.content.decode()
    assert SeekerProfile.objects.get(user=demo["schueler"]).postcode == "66740"
    assert pupil.post(reverse("offers:profile"), {"postcode": "66606"}).status_code == 302
    assert SeekerProfile.objects.get(user=demo["schueler"]).postcode == "66606"


def test_htmx_search_while_typing_says_the_place_problem_at_the_field(demo):
    response = Client().get(reverse("offers:search"), {"ort": "Neunkirchen"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert '<div id="ort-problem" hx-swap-oob="true">' in body and 'id="id_ort_error"' in body
    assert place_links(response) and titles(response) == []
    fine = (
        Client()
        .get(reverse("offers:search"), {"ort": "Saarbrücken"}, HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert '<div id="ort-problem" hx-swap-oob="true"></div>' in fine  # the earlier error is cleared


def test_invalid_filters_list_no_offers_as_if_applied(demo):
    response = search(Client(), ort="Saarbrücken", umkreis="999")
    assert "kern-form-input--error" in response.content.decode()
    assert titles(response) == []


def test_bad_search_input_gets_field_errors_not_500(demo):
    response = Client().get(
        reverse("offers:search"), {"umkreis": "999", "ab": "2026-02-30", "sortierung": "x"}
    )
    assert response.status_code == 200
    assert "kern-form-input--error" in response.content.decode()


def test_htmx_returns_only_the_results(demo):
    response = Client().get(reverse("offers:search"), {"q": "tischler"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and "Tischler/Tischlerin" in body


def test_fit_reasons_for_a_pupil_with_a_profile(demo, client_for):
    response = client_for("pupil").get(reverse("offers:search"), {"sortierung": "fit"})
    body = response.content.decode()
    assert "km" in body and "100" in body  # "Passung … von 100" with a distance from the profile postcode


def test_offer_page_carries_jobposting_jsonld(demo):
    offer = demo_offer()
    body = Client().get(reverse("offers:detail", kwargs={"offer_id": offer.pk})).content.decode()
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S).group(1)
    data = json.loads(raw)
    assert data["@type"] == "JobPosting" and data["hiringOrganization"]["name"] == offer.company.name
    assert data["jobLocation"]["address"]["postalCode"] == offer.postcode
    assert data["baseSalary"]["value"]["value"] == float(offer.pay_year1)
    assert data["validThrough"].startswith(offer.deadline.isoformat())
    assert {"employmentType", "datePosted", "description", "title"} <= set(data)


def test_draft_offers_are_not_public(demo):
    offer = demo_offer()
    Offer.objects.filter(pk=offer.pk).update(status=Offer.Status.DRAFT)
    assert Client().get(reverse("offers:detail", kwargs={"offer_id": offer.pk})).status_code == 404
    assert "Fachinformatiker/Fachinformatikerin" not in titles(search(Client()))


def test_company_form_shows_german_field_errors_and_keeps_input(demo, client_for):
    client = client_for("company_admin")
    site = demo["betrieb"].memberships.first().organisation.training_sites.first()
    response = client.post(
        reverse("offers:create"),
        {
            "site": site.pk,
            "occupation": demo_offer().occupation_id,
            "start_date": "2020-08-01",
            "places": "0",
            "pay_year1": "100",
            "pay_year2": "50",
            "title": "Mein Angebotstitel",
        },
        HTTP_ACCEPT_LANGUAGE="de",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Mein Angebotstitel" in body  # nothing typed is lost
    assert "größer oder gleich 1" in body  # places: Django's own German message
    assert Offer.objects.count() == 3


def test_company_creates_and_publishes(demo, client_for):
    client = client_for("company_admin")
    offer = demo_offer()
    response = client.post(
        reverse("offers:create"),
        {
            "site": offer.site_id,
            "occupation": offer.occupation_id,
            "start_date": offer.start_date.isoformat(),
            "places": "3",
            "pay_year1": "1200",
            "pay_year2": "1300",
            "pay_year3": "1400",
            "title": "Fachinformatik Systemintegration",
            "publish": "1",
        },
    )
    assert response.status_code == 302
    created = Offer.objects.get(title="Fachinformatik Systemintegration")
    assert created.status == Offer.Status.PUBLISHED and created.created_by == demo["betrieb"]


def test_trainer_of_another_company_sees_nothing(demo):
    """Scope: the carpenter's trainer cannot open the Systemhaus's offer, inbox or applications (404)."""
    client = Client()
    client.force_login(demo["meister"])
    application = sent_application(demo)
    offer = application.offer
    for url in (
        reverse("offers:edit", kwargs={"offer_id": offer.pk}),
        reverse("offers:inbox", kwargs={"offer_id": offer.pk}),
        reverse("offers:application", kwargs={"application_id": application.pk}),
        reverse("offers:document", kwargs={"document_id": document_of(application).pk}),
    ):
        assert client.get(url).status_code == 404, url


def test_another_pupil_sees_nothing_and_company_never_sees_drafts(demo, client_for):
    other = User.objects.create_user("schueler2", password="x")
    from ausbildung.core.models import Membership, Role

    Membership.objects.create(
        user=other, organisation=demo["schueler"].memberships.first().organisation, role=Role.PUPIL
    )
    application = sent_application(demo)
    client = Client()
    client.force_login(other)
    assert (
        client.get(reverse("offers:application", kwargs={"application_id": application.pk})).status_code
        == 404
    )
    Application.objects.filter(pk=application.pk).update(state=Application.State.DRAFT)
    url = reverse("offers:application", kwargs={"application_id": application.pk})
    assert client_for("company_admin").get(url).status_code == 404
    assert client_for("pupil").get(url).status_code == 200


def test_document_download_is_an_attachment(demo, client_for):
    document = document_of(sent_application(demo))
    response = client_for("company_admin").get(
        reverse("offers:document", kwargs={"document_id": document.pk})
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_bad_upload_shows_the_error_beside_the_field(demo, client_for):
    application = Application.objects.create(offer=demo_offer(), applicant=demo["schueler"], message="x")
    response = client_for("pupil").post(
        reverse("offers:document_upload", kwargs={"application_id": application.pk}),
        {"file": SimpleUploadedFile("cv.pdf", b"GIF89a not a pdf")},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 400
    assert "kern-error" in response.content.decode()
    assert not application.documents.exists()


@pytest.mark.parametrize("to", ["accepted", "nonsense", ""])
def test_impossible_steps_are_messages_not_errors(demo, client_for, to):
    application = sent_application(demo)
    response = client_for("pupil").post(
        reverse("offers:application_step", kwargs={"application_id": application.pk}), {"to": to}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == Application.State.SENT


def test_a_broad_search_is_capped_and_says_so(demo, monkeypatch):
    from ausbildung.offers.search import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "cap", 2)
    response = Client().get(reverse("offers:search"), HTTP_ACCEPT_LANGUAGE="de")
    assert len(titles(response)) == 2
    assert "Mehr als 2" in response.content.decode()


def test_bbig_17_abs_1_satz_2_and_7a_offer_form_shows_the_field_errors(demo, client_for):
    """The form shows the flat-pay error (§ 17 Abs. 1 Satz 2) and a part-time cut over 50 % (§ 7a Abs. 1)."""
    offer = demo_offer()
    response = client_for("company_admin").post(
        reverse("offers:create"),
        {
            "site": offer.site_id,
            "occupation": offer.occupation_id,
            "start_date": offer.start_date.isoformat(),
            "places": "1",
            "pay_year1": "1200",
            "pay_year2": "1200",
            "pay_year3": "1400",
            "weekly_hours": "15",
            "full_time_weekly_hours": "40",
            "title": "Flache Vergütung",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "BBiG § 17 Abs. 1 Satz 2" in body and "BBiG § 7a Abs. 1 Satz 3" in body
    assert not Offer.objects.filter(title="Flache Vergütung").exists()


def test_step_buttons_speak_the_language_of_the_request(demo):
    """The step labels are translated per request (they were fixed at import time, in the language of the
    process's start)."""
    application = sent_application(demo)
    url = reverse("offers:application", kwargs={"application_id": application.pk})
    client = Client()
    client.force_login(demo["schueler"])
    german = client.get(url).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    assert "Zurückziehen" in german and "Withdraw" not in german
    assert "Withdraw" in english and "Zurückziehen" not in english
