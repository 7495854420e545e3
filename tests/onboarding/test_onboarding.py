"""The self-check "Ausbildungsbetrieb werden" (issue #6): ratio rule, result, request, PDF, chamber scope."""

from __future__ import annotations

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ausbildung.core import site_ratio as ratio
from ausbildung.core.models import AuditLog, Occupation, Organisation
from ausbildung.onboarding import check, services
from ausbildung.onboarding.models import ContentsOnSite, OnboardingRequest, TrainerQualification

from .helpers import COMPANY, answers, submitted_request

# --- the ratio guidance -------------------------------------------------------------------------------------------


def test_ratio_data_names_its_source():
    data = json.loads(ratio.DATA_FILE.read_text(encoding="utf-8"))
    assert data["issued_by"] == "Bundesausschuss für Berufsbildung"
    assert data["year"] == 1972
    assert data["date"] == "1972-03-28"
    assert "BABl" in data["published_in"] and "5/1972" in data["published_in"]
    assert data["verified_with"]


@pytest.mark.parametrize(
    ("skilled", "apprentices"),
    [
        (0, 0),
        (1, 1),
        (2, 1),  # 1–2 skilled staff: 1 apprentice
        (3, 2),
        (5, 2),  # 3–5: 2
        (6, 3),
        (8, 3),  # 6–8: 3
        (9, 4),  # then one more per further 3 skilled staff
        (11, 4),
        (12, 5),
        (14, 5),
        (15, 6),
    ],
)
def test_ratio_rule_figures(skilled, apprentices):
    assert ratio.max_apprentices(skilled) == apprentices


def test_ratio_rule_rejects_negative():
    with pytest.raises(ValueError):
        ratio.max_apprentices(-1)


# --- the result -----------------------------------------------------------------------------------------------------


def _point(points, key):
    return next(p for p in points if p.key == key)


def test_all_met(demo):
    points = check.evaluate(answers())
    assert _point(points, "site").status == check.Status.MET
    assert _point(points, "trainer").status == check.Status.MET
    ratio_point = _point(points, "ratio")
    assert ratio_point.status == check.Status.MET
    assert "2" in ratio_point.finding  # 4 skilled staff → up to 2 apprentices
    assert "1972" in ratio_point.details[0]


def test_missing_aevo_is_an_open_point_naming_bbig_30(demo):
    point = _point(check.evaluate(answers(trainer=TrainerQualification.NONE)), "trainer")
    assert point.status == check.Status.OPEN
    assert "BBiG" in point.paragraph and "30" in point.paragraph
    assert "AEVO" in point.paragraph
    assert "AEVO" in point.finding


def test_exam_planned_is_open(demo):
    assert (
        _point(check.evaluate(answers(trainer=TrainerQualification.EXAM_PLANNED)), "trainer").status == "open"
    )


def test_partly_suggests_network_training(demo):
    point = _point(check.evaluate(answers(contents=ContentsOnSite.PARTLY)), "site")
    assert point.status == check.Status.OPEN
    assert "§ 10 Abs. 5" in point.paragraph
    assert "§ 10 Abs. 5" in point.next_step


def test_no_contents_is_to_be_clarified(demo):
    assert _point(check.evaluate(answers(contents=ContentsOnSite.NO)), "site").status == check.Status.CLARIFY


def test_no_skilled_staff_is_open(demo):
    assert _point(check.evaluate(answers(skilled_staff=0)), "ratio").status == check.Status.OPEN


def test_asa_interest(demo):
    point = _point(check.evaluate(answers(asa_interest=True)), "support")
    assert point.status == check.Status.OPEN
    assert "SGB III" in point.paragraph


def test_craft_occupation_cites_hwo(demo):
    tischler = Occupation.objects.get(slug="tischlausbv")
    point = _point(check.evaluate(answers(occupations=[tischler])), "trainer")
    assert "HwO" in point.paragraph


# --- the request --------------------------------------------------------------------------------------------------


def test_submit_goes_to_the_competent_chamber(demo):
    request = submitted_request(demo, trainer=TrainerQualification.NONE)
    assert request.chamber.chamber_kind == Organisation.ChamberKind.IHK
    assert list(request.occupations.values_list("slug", flat=True)) == ["fiausbv"]
    assert request.status == OnboardingRequest.Status.NEW
    assert {"key": "trainer", "status": "open"} in request.result
    assert AuditLog.objects.filter(action="onboarding_request.submit", target_id=str(request.pk)).exists()


def test_submit_splits_by_chamber(demo):
    occupations = [Occupation.objects.get(slug="fiausbv"), Occupation.objects.get(slug="tischlausbv")]
    requests = services.onboarding_request_submit(
        actor=demo["betrieb"], answers=answers(occupations=occupations)
    )
    kinds = {r.chamber.chamber_kind: [o.slug for o in r.occupations.all()] for r in requests}
    assert kinds == {"ihk": ["fiausbv"], "hwk": ["tischlausbv"]}


def test_submit_checks_the_company_and_the_answers(demo):
    other = Organisation.objects.filter(kind=Organisation.Kind.COMPANY).exclude(name=COMPANY).first()
    with pytest.raises(ValidationError) as error:
        services.onboarding_request_submit(
            actor=demo["betrieb"], answers=answers(company=other, occupations=[], skilled_staff=-1)
        )
    assert set(error.value.message_dict) == {"company", "occupations", "skilled_staff"}


def test_request_visible_to_competent_chamber_only(demo, client_for):
    request = submitted_request(demo)
    ihk = client_for("chamber_officer")
    listing = ihk.get(reverse("onboarding:chamber_list"))
    assert COMPANY in listing.content.decode()
    assert ihk.get(reverse("onboarding:chamber_request", args=[request.pk])).status_code == 200

    from django.test import Client

    hwk = Client()
    hwk.force_login(demo["hwk"])
    assert COMPANY not in hwk.get(reverse("onboarding:chamber_list")).content.decode()
    assert hwk.get(reverse("onboarding:chamber_request", args=[request.pk])).status_code == 404
    assert hwk.get(reverse("onboarding:pdf", args=[request.pk])).status_code == 404


def test_chamber_sets_status_and_note(demo, client_for):
    request = submitted_request(demo)
    response = client_for("chamber_officer").post(
        reverse("onboarding:chamber_request", args=[request.pk]),
        {"status": "in_progress", "chamber_note": "Termin vor Ort am 3. März"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "in_progress"
    assert request.chamber_note == "Termin vor Ort am 3. März"
    company_page = client_for("company_admin").get(reverse("onboarding:request", args=[request.pk]))
    assert "Termin vor Ort am 3. März" in company_page.content.decode()


def test_pdf_contains_the_company(demo, client_for):
    from pypdf import PdfReader

    request = submitted_request(demo)
    for role in ("company_admin", "chamber_officer"):
        response = client_for(role).get(reverse("onboarding:pdf", args=[request.pk]))
        assert response.status_code == 200, role
        assert response["Content-Type"] == "application/pdf"
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
        assert "Saar Systemhaus GmbH" in text
        assert "BBiG" in text


# --- the pages ------------------------------------------------------------------------------------------------------


def _walk(client, demo, **site):
    company = Organisation.objects.get(name=COMPANY)
    occupation = Occupation.objects.get(slug="fiausbv")
    url = reverse("onboarding:start")
    search = client.post(
        url, {"company": company.pk, "activity": "Software", "q": "Fachinformatiker", "search": "1"}
    )
    assert search.status_code == 200
    assert f'value="{occupation.pk}"' in search.content.decode()
    assert reverse("core:occupation_detail", args=[occupation.slug]) in search.content.decode()
    step = client.post(
        url, {"company": company.pk, "activity": "Software", "occupations": [occupation.pk], "next": "1"}
    )
    assert step.status_code == 302
    data = {"skilled_staff": 4, "trainer": "none", "contents": "yes", **site}
    return client.post(reverse("onboarding:site"), data)


def test_walk_through_and_send(demo, client_for):
    client = client_for("company_admin")
    response = _walk(client, demo)
    assert response.status_code == 302
    result = client.get(reverse("onboarding:result"))
    page = result.content.decode()
    assert "AEVO" in page and "§ 30" in page
    sent = client.post(reverse("onboarding:result"))
    assert sent.status_code == 302
    request = OnboardingRequest.objects.get(company__name=COMPANY)
    assert sent["Location"] == reverse("onboarding:request", args=[request.pk])


def test_negative_staff_is_a_field_error(demo, client_for):
    response = _walk(client_for("company_admin"), demo, skilled_staff=-3)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_skilled_staff_error"' in page
    assert 'aria-invalid="true"' in page
    assert not OnboardingRequest.objects.exists()


def test_no_occupation_is_a_field_error(demo, client_for):
    company = Organisation.objects.get(name=COMPANY)
    response = client_for("company_admin").post(
        reverse("onboarding:start"), {"company": company.pk, "activity": "Software", "next": "1"}
    )
    assert response.status_code == 200
    assert 'id="id_occupations_error"' in response.content.decode()


def test_later_steps_need_the_first(demo, client_for):
    client = client_for("company_admin")
    assert client.get(reverse("onboarding:site"))["Location"] == reverse("onboarding:start")
    assert client.get(reverse("onboarding:result"))["Location"] == reverse("onboarding:start")


def test_home_page_areas(demo, client_for):
    assert (
        reverse("onboarding:start") in client_for("company_admin").get(reverse("core:home")).content.decode()
    )
    chamber_home = client_for("chamber_officer").get(reverse("core:home")).content.decode()
    assert reverse("onboarding:chamber_list") in chamber_home
