"""The offers API: public search and offer, applications of the pupil and of the company, scopes, errors."""

from __future__ import annotations

import json

from django.test import Client
from django.urls import reverse

from ausbildung.core.models import Membership, Occupation, Role, TrainingContract, User
from ausbildung.core.tokens import api_token_create
from ausbildung.offers.models import Application, Offer

from ..offers.conftest import demo_offer, sent_application

SEARCH = "/api/v1/offers"


def login(demo, username: str) -> Client:
    client = Client()
    client.force_login(demo[username])
    return client


def post(client: Client, url: str, data: dict | None = None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    return response.json()


def apply_url(offer: Offer) -> str:
    return reverse("api:offers_apply", kwargs={"offer_id": offer.pk})


def step_url(application_id: int) -> str:
    return reverse("api:offers_application_step", kwargs={"application_id": application_id})


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


# --- public search -------------------------------------------------------------------------------------------


def test_search_filters_like_the_web_search(demo):
    client = Client()
    everything = client.get(SEARCH).json()
    assert everything["count"] == 3 and len(everything["items"]) == 3
    assert titles(client.get(SEARCH, {"q": "Fachinformatik"})) == ["Fachinformatiker/Fachinformatikerin"]
    assert titles(client.get(SEARCH, {"q": "büro"})) == titles(client.get(SEARCH, {"q": "buero"})) != []
    near = titles(client.get(SEARCH, {"place": "66111", "radius_km": 10}))
    assert len(near) == 2 and all("Tischler" not in title for title in near)
    assert titles(client.get(SEARCH, {"certificate": "esa"})) == ["Tischler/Tischlerin"]
    assert titles(client.get(SEARCH, {"occupation": "fiausbv"})) == ["Fachinformatiker/Fachinformatikerin"]
    by_distance = titles(client.get(SEARCH, {"place": "66606", "sort": "distance"}))
    assert by_distance[0] == "Tischler/Tischlerin"
    offer = demo_offer()
    Offer.objects.filter(pk=offer.pk).update(places_taken=offer.places)
    assert client.get(SEARCH, {"free_only": "true"}).json()["count"] == 2
    page = client.get(SEARCH, {"limit": 1, "offset": 1}).json()
    assert page["count"] == 3 and len(page["items"]) == 1


def test_anonymous_gets_the_neutral_score_and_a_pupil_their_fit(demo, client_for):
    anonymous = Client().get(SEARCH, {"occupation": "fiausbv"}).json()["items"][0]
    # Interests, certificate and distance unknown: 20 + 15 + 10 (the offer expects a certificate) + 10.
    assert anonymous["fit"]["distance_km"] is None
    assert anonymous["fit"]["score"] == 55
    with_place = Client().get(SEARCH, {"occupation": "fiausbv", "place": "66111"}).json()["items"][0]
    assert with_place["fit"]["distance_km"] is not None
    assert any(reason["code"] == "distance" for reason in with_place["fit"]["reasons"])

    pupil = client_for("pupil").get(SEARCH, {"occupation": "fiausbv"}).json()["items"][0]
    assert pupil["fit"]["distance_km"] is not None  # from the profile postcode
    assert pupil["fit"]["score"] != anonymous["fit"]["score"]
    # Other roles are not measured against a profile.
    trainer = client_for("trainer").get(SEARCH, {"occupation": "fiausbv"}).json()["items"][0]
    assert trainer["fit"] == anonymous["fit"]


def test_search_errors_are_problem_details(demo):
    client = Client()
    for params, field in (
        ({"occupation": "gibt-es-nicht"}, "occupation"),
        ({"start_from": "2027-01-01", "start_until": "2026-01-01"}, "start_until"),
    ):
        assert field in assert_problem(client.get(SEARCH, params), 422)["errors"]
    for params in ({"radius_km": 999}, {"sort": "x"}, {"certificate": "phd"}, {"start_from": "2026-02-30"}):
        assert_problem(client.get(SEARCH, params), 422)


def test_unknown_place_is_a_400_problem_never_an_unfiltered_list(demo):
    client = Client()
    body = assert_problem(client.get(SEARCH, {"place": "Atlantis", "radius_km": 10}), 400)
    assert body["title"] == "Unbekannter Ort"
    assert body["errors"]["place"].startswith("Den Ort „Atlantis“ kennen wir nicht.")
    assert body["suggestions"] == []
    typo = assert_problem(client.get(SEARCH, {"place": "Sankt Wendl"}), 400)
    assert typo["suggestions"][0]["query"] == "66606 Sankt Wendel"  # suggested, not taken
    # Other errors of the same request are listed with the place's.
    both = assert_problem(client.get(SEARCH, {"place": "Atlantis", "occupation": "gibt-es-nicht"}), 400)
    assert set(both["errors"]) == {"place", "occupation"}


def test_ambiguous_place_is_a_400_problem_listing_the_candidates(demo, client_for):
    """Issue #16: "Neunkirchen" was Neuenkirchen (21763, Lower Saxony)."""
    body = assert_problem(Client().get(SEARCH, {"place": "Neunkirchen", "radius_km": 25}), 400)
    assert body["title"] == "Mehrdeutiger Ort"
    assert "place" in body["errors"]
    candidates = body["candidates"]
    assert len(candidates) > 1
    assert all(candidate["name"].startswith("Neunkirchen") for candidate in candidates)
    first = candidates[0]  # anonymous: the platform's Land (Saarland) first
    assert (first["name"], first["land"], first["query"]) == (
        "Neunkirchen/Saar",
        "Saarland",
        "66538 Neunkirchen/Saar",
    )
    assert first["distance_km"] is None
    # Each candidate's query names exactly it: the search then runs around it.
    chosen = Client().get(SEARCH, {"place": first["query"], "radius_km": 25, "q": "tischler"})
    assert titles(chosen) == ["Tischler/Tischlerin"]
    # A pupil's candidates: nearest to the profile postcode (66740 Saarlouis) first.
    pupil = assert_problem(client_for("pupil").get(SEARCH, {"place": "Neunkirchen"}), 400)["candidates"]
    distances = [candidate["distance_km"] for candidate in pupil]
    assert pupil[0]["name"] == "Neunkirchen/Saar" and distances == sorted(distances)


def test_the_platforms_own_spelling_of_a_place_is_found(demo):
    """Issue #16: "St. Wendel" was unknown."""
    assert titles(Client().get(SEARCH, {"place": "St. Wendel", "radius_km": 10})) == ["Tischler/Tischlerin"]


def test_offer_detail(demo):
    offer = demo_offer()
    url = reverse("api:offers_detail", kwargs={"offer_id": offer.pk})
    body = Client().get(url).json()
    assert body["id"] == offer.pk and body["occupation"]["slug"] == "fiausbv"
    assert body["pay"] and body["pay"][0]["year"] == 1 and body["fit"]["score"] > 0
    Offer.objects.filter(pk=offer.pk).update(status=Offer.Status.DRAFT)
    assert_problem(Client().get(url), 404)
    assert_problem(Client().get(reverse("api:offers_detail", kwargs={"offer_id": 2**70})), 404)


# --- applications --------------------------------------------------------------------------------------------


def test_pupil_applies_sends_and_company_answers(demo):
    offer = demo_offer()
    pupil = login(demo, "schueler")
    response = post(pupil, apply_url(offer), {"message": "Ich möchte gern bei Ihnen lernen."})
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["state"] == "draft" and created["steps"] == ["sent"] and created["side"] == "applicant"
    # Once per offer: a German-ready message in problem details.
    assert (
        "__all__" in assert_problem(post(pupil, apply_url(offer), {"message": "Noch einmal"}), 422)["errors"]
    )

    # Drafts are invisible to the company.
    company = login(demo, "betrieb")
    inbox = reverse("api:offers_company_applications", kwargs={"offer_id": offer.pk})
    assert company.get(inbox).json()["count"] == 0
    assert_problem(
        company.get(reverse("api:offers_application_detail", kwargs={"application_id": created["id"]})), 404
    )

    sent = post(pupil, step_url(created["id"]), {"to": "sent", "message": ""})
    assert sent.status_code == 200 and sent.json()["state"] == "sent"
    assert pupil.get(reverse("api:offers_application_list")).json()["items"][0]["state"] == "sent"
    assert pupil.get(reverse("api:offers_application_list"), {"state": "draft"}).json()["count"] == 0

    listed = company.get(inbox).json()
    assert listed["count"] == 1 and set(listed["items"][0]["steps"]) == {"invited", "offered", "declined"}
    # The applicant cannot take the company's steps, nor the company the applicant's.
    assert "to" in assert_problem(post(pupil, step_url(created["id"]), {"to": "invited"}), 422)["errors"]
    assert_problem(post(company, step_url(created["id"]), {"to": "withdrawn"}), 422)
    invited = post(company, step_url(created["id"]), {"to": "invited", "message": "Kommen Sie am Montag."})
    body = invited.json()
    assert body["state"] == "invited" and body["side"] == "company"
    assert [(e["from_state"], e["to_state"]) for e in body["events"]] == [
        ("draft", "sent"),
        ("sent", "invited"),
    ]
    assert body["events"][-1]["message"] == "Kommen Sie am Montag."
    assert_problem(post(company, step_url(created["id"]), {"to": "bogus"}), 422)


def test_scope_other_pupil_and_other_company_get_404(demo):
    application = sent_application(demo)
    other = User.objects.create_user("schueler2", password="x")
    Membership.objects.create(
        user=other, organisation=demo["schueler"].memberships.first().organisation, role=Role.PUPIL
    )
    detail = reverse("api:offers_application_detail", kwargs={"application_id": application.pk})
    stranger = Client()
    stranger.force_login(other)
    assert_problem(stranger.get(detail), 404)
    assert_problem(post(stranger, step_url(application.pk), {"to": "withdrawn"}), 404)
    assert stranger.get(reverse("api:offers_application_list")).json() == {"items": [], "count": 0}

    meister = login(demo, "meister")  # trainer of the carpentry workshop
    assert_problem(meister.get(detail), 404)
    assert_problem(post(meister, step_url(application.pk), {"to": "invited"}), 404)
    inbox = reverse("api:offers_company_applications", kwargs={"offer_id": application.offer_id})
    assert_problem(meister.get(inbox), 404)
    assert_problem(post(login(demo, "schueler"), step_url(2**70), {"to": "sent"}), 404)
    Application.objects.filter(pk=application.pk).update(state=Application.State.WITHDRAWN)
    assert login(demo, "betrieb").get(inbox).json()["items"][0]["state"] == "withdrawn"


def test_apply_validation(demo):
    pupil = login(demo, "schueler")
    offer = demo_offer()
    assert_problem(post(pupil, apply_url(offer), {}), 422)
    assert_problem(post(pupil, apply_url(offer), {"message": "x" * 5001}), 422)
    assert_problem(post(pupil, apply_url(offer), {"message": "a\x00b"}), 422)
    Offer.objects.filter(pk=offer.pk).update(status=Offer.Status.PAUSED)
    assert "__all__" in assert_problem(post(pupil, apply_url(offer), {"message": "Hallo"}), 422)["errors"]
    assert_problem(
        post(pupil, reverse("api:offers_apply", kwargs={"offer_id": 999_999}), {"message": "x"}), 404
    )


def test_bearer_token_and_roles(demo):
    _token, secret = api_token_create(actor=None, user=demo["schueler"], name="app")
    response = Client().get(reverse("api:offers_application_list"), HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert_problem(Client().get(reverse("api:offers_application_list")), 401)
    assert_problem(login(demo, "ausbilder").get(reverse("api:offers_application_list")), 403)
    assert_problem(post(login(demo, "azubi"), apply_url(demo_offer()), {"message": "Hallo"}), 403)


def _offered(demo) -> Application:
    application = sent_application(demo)
    Application.objects.filter(pk=application.pk).update(state=Application.State.OFFERED)
    return application


def test_bbig_7a_abs_2_accepting_a_part_time_place_drafts_the_extended_contract(demo):
    offer = demo_offer()
    Offer.objects.filter(pk=offer.pk).update(weekly_hours=30, full_time_weekly_hours=40)
    application = _offered(demo)
    response = post(login(demo, "schueler"), step_url(application.pk), {"to": "accepted"})
    assert response.status_code == 200, response.content
    draft = TrainingContract.objects.get(pk=response.json()["contract_id"])
    assert draft.duration_reason == "part_time_7a_2" and draft.part_time_reduction == 25
    assert draft.end_date.year - draft.start_date.year == 4  # 36 months at 75 % time: 48 months


def test_bbig_5_abs_1_nr_2_accepting_without_a_known_duration_is_a_problem_not_a_500(demo):
    application = _offered(demo)
    Occupation.objects.filter(pk=application.offer.occupation_id).update(duration_months=None)
    body = assert_problem(post(login(demo, "schueler"), step_url(application.pk), {"to": "accepted"}), 422)
    assert "BBiG § 5 Abs. 1 Nr. 2" in json.dumps(body["errors"], ensure_ascii=False)


def test_bbig_7a_offer_detail_shows_the_part_time_hours_and_duration(demo):
    offer = demo_offer()
    Offer.objects.filter(pk=offer.pk).update(weekly_hours=30, full_time_weekly_hours=40)
    body = Client().get(reverse("api:offers_detail", kwargs={"offer_id": offer.pk})).json()
    assert (body["weekly_hours"], body["full_time_weekly_hours"], body["training_months"]) == (30, 40, 48)
    page = Client().get(reverse("offers:detail", kwargs={"offer_id": offer.pk}), HTTP_ACCEPT_LANGUAGE="de")
    content = page.content.decode()
    assert "30 statt 40 Stunden pro Woche" in content and "48 Monate" in content
