"""Clearing pages: forms with German field errors beside their fields, the steps of the organiser, what each
side sees (a company only the applicants of its offers, the organiser no names)."""

from __future__ import annotations

import datetime
import re

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from ausbildung.offers.models import Application, Certificate
from ausbildung.transition.clearing import services
from ausbildung.transition.clearing.models import ClearingRound, Participant, RoundOffer

from .helpers import agency, demo_offer, ihk, new_round, offer, pupil

NS = "transition:clearing"


def url(name: str, **kwargs) -> str:
    return reverse(f"{NS}:{name}", kwargs=kwargs or None)


def iso(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def test_create_round_shows_german_field_errors(client_for):
    client = client_for("chamber_officer")
    response = client.post(
        url("round_create"),
        {
            "organiser": ihk().pk,
            "name": "",
            "opens_on": iso(3),
            "ranking_closes_on": iso(1),
            "result_published_on": "kein Datum",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_name_error"' in page
    assert gettext("Please give the round a name.") in page
    assert "Bitte ein gültiges Datum eingeben." in page  # Django's own German message
    # the service's rule comes back beside its field
    response = client.post(
        url("round_create"),
        {
            "organiser": ihk().pk,
            "name": "Herbst",
            "opens_on": iso(3),
            "ranking_closes_on": iso(1),
            "result_published_on": iso(5),
        },
    )
    page = response.content.decode()
    assert 'id="id_ranking_closes_on_error"' in page
    assert gettext("Ranking cannot close before the round opens.") in page
    assert not ClearingRound.objects.filter(name="Herbst").exists()


def test_counsellor_creates_a_round_for_the_agency(client_for):
    response = client_for("counsellor").post(
        url("round_create"),
        {
            "organiser": agency().pk,
            "name": "Nachvermittlung der Agentur",
            "opens_on": iso(0),
            "ranking_closes_on": iso(2),
            "result_published_on": iso(3),
        },
    )
    clearing_round = ClearingRound.objects.get(name="Nachvermittlung der Agentur")
    assert response.status_code == 302 and response["Location"] == url(
        "round_detail", round_id=clearing_round.pk
    )
    assert clearing_round.status == ClearingRound.Status.DRAFT
    # the chamber officer cannot pick another organisation than their chamber
    response = client_for("chamber_officer").post(
        url("round_create"),
        {
            "organiser": clearing_round.organiser_id,
            "name": "fremd",
            "opens_on": iso(0),
            "ranking_closes_on": iso(0),
            "result_published_on": iso(0),
        },
    )
    assert response.status_code == 200 and 'id="id_organiser_error"' in response.content.decode()


def test_pupil_joins_and_ranks_with_field_errors(demo, client_for):
    clearing_round = new_round()
    first = services.round_offer_add(actor=None, clearing_round=clearing_round, offer=demo_offer())
    second = services.round_offer_add(
        actor=None, clearing_round=clearing_round, offer=demo_offer("bueromkfausbv")
    )
    client = client_for("pupil")
    page = client.get(url("applicant_round", round_id=clearing_round.pk)).content.decode()
    assert 'data-testid="join-form"' in page
    response = client.post(
        url("applicant_round", round_id=clearing_round.pk), {"certificate": "", "message": ""}
    )
    assert 'id="id_certificate_error"' in response.content.decode()
    response = client.post(
        url("applicant_round", round_id=clearing_round.pk),
        {"certificate": Certificate.MSA, "message": "Ich mag Computer."},
    )
    assert response["Location"] == url("applicant_rank", round_id=clearing_round.pk)
    participant = Participant.objects.get(round=clearing_round, pupil=demo["schueler"])
    assert participant.message == "Ich mag Computer."
    # the same rank twice: the error stands beside the second offer's select
    response = client.post(
        url("applicant_rank", round_id=clearing_round.pk),
        {f"offer_{first.pk}": "1", f"offer_{second.pk}": "1"},
    )
    page = response.content.decode()
    assert f'id="id_offer_{second.pk}_error"' in page
    assert (
        gettext("Rank %(rank)d is given twice: each rank may be given to one offer only.") % {"rank": 1}
        in page
    )
    assert participant.choices.count() == 0
    response = client.post(
        url("applicant_rank", round_id=clearing_round.pk),
        {f"offer_{first.pk}": "2", f"offer_{second.pk}": "1"},
    )
    assert response.status_code == 302
    assert list(participant.choices.order_by("rank").values_list("round_offer_id", flat=True)) == [
        second.pk,
        first.pk,
    ]
    page = client.get(url("applicant_round", round_id=clearing_round.pk)).content.decode()
    assert page.index(demo_offer("bueromkfausbv").display_title) < page.index(demo_offer().display_title)


def test_company_sees_only_applicants_of_its_offer_and_ranks_them(demo, client_for):
    clearing_round = new_round()
    round_offer = services.round_offer_add(actor=None, clearing_round=clearing_round, offer=demo_offer())
    other = services.round_offer_add(
        actor=None, clearing_round=clearing_round, offer=offer(places=1, title="Anderes Angebot")
    )
    lena = services.participant_join(
        actor=demo["schueler"],
        clearing_round=clearing_round,
        certificate=Certificate.MSA,
        message="Ich programmiere seit der 7. Klasse.",
    )
    services.choices_save(actor=demo["schueler"], participant=lena, ranks={round_offer.pk: 1})
    hidden = services.participant_join(
        actor=pupil("verborgen"), clearing_round=clearing_round, certificate=Certificate.ESA
    )
    services.choices_save(actor=hidden.pupil, participant=hidden, ranks={other.pk: 1})
    client = client_for("company_admin")
    rank_url = url("company_offer_rank", round_id=clearing_round.pk, round_offer_id=round_offer.pk)
    page = client.get(rank_url).content.decode()
    assert "Lena Schmidt" in page and "Ich programmiere seit der 7. Klasse." in page
    assert "Verborgen" not in page
    assert "20.05." not in page and "14.03.2010" not in page  # no date of birth
    # a rank outside 1..n: the German error beside the applicant's select
    response = client.post(rank_url, {"action": "rank", f"applicant_{lena.pk}": "5"})
    assert f'id="id_applicant_{lena.pk}_error"' in response.content.decode()
    response = client.post(rank_url, {"action": "rank", f"applicant_{lena.pk}": "1"})
    assert response.status_code == 302
    assert list(round_offer.rankings.values_list("participant_id", "rank")) == [(lena.pk, 1)]
    response = client.post(rank_url, {"action": "mode", "ranking": RoundOffer.Ranking.SCORE})
    assert response.status_code == 302
    round_offer.refresh_from_db()
    assert round_offer.ranking == RoundOffer.Ranking.SCORE and round_offer.rankings.count() == 0
    # the company's trainer may rank too; another company (the carpentry's master) does not find the offer
    assert client_for("trainer").get(rank_url).status_code == 200
    carpentry = Client()
    carpentry.force_login(demo["meister"])
    assert carpentry.get(rank_url).status_code == 404


def test_company_adds_an_offer(demo, client_for):
    clearing_round = new_round()
    client = client_for("company_admin")
    page = client.get(url("company_round", round_id=clearing_round.pk)).content.decode()
    assert demo_offer().display_title in page
    assert "Tischler" not in page  # the HWK's offer cannot join the IHK's round
    response = client.post(
        url("company_round", round_id=clearing_round.pk),
        {"offer": demo_offer().pk, "ranking": RoundOffer.Ranking.COMPANY},
    )
    assert response.status_code == 302
    round_offer = RoundOffer.objects.get(round=clearing_round)
    assert round_offer.capacity == demo_offer().free_places
    response = client.post(
        url("company_round", round_id=clearing_round.pk), {"offer": "", "ranking": "company"}
    )
    assert 'id="id_offer_error"' in response.content.decode()


def test_organiser_runs_the_round_to_publication(demo, client_for):
    clearing_round = new_round(closes=0, publishes=0, open_it=False)
    officer = client_for("chamber_officer")
    step = url("round_step", round_id=clearing_round.pk)
    detail = url("round_detail", round_id=clearing_round.pk)
    assert officer.post(step, {"step": "open"})["Location"] == detail
    round_offer = services.round_offer_add(actor=None, clearing_round=clearing_round, offer=demo_offer())
    lena = services.participant_join(
        actor=demo["schueler"], clearing_round=clearing_round, certificate=Certificate.MSA
    )
    services.choices_save(actor=demo["schueler"], participant=lena, ranks={round_offer.pk: 1})
    services.rankings_save(actor=None, round_offer=round_offer, ranks={lena.pk: 1})
    # publishing is not a step of an open round: the error is shown, nothing changes
    response = officer.post(step, {"step": "publish"}, follow=True)
    assert gettext("Only a computed result can be published.") in response.content.decode()
    for name in ("close", "compute", "publish"):
        officer.post(step, {"step": name})
    clearing_round.refresh_from_db()
    assert clearing_round.status == ClearingRound.Status.PUBLISHED
    page = officer.get(detail).content.decode()
    assert 'data-testid="report-placed">1<' in page
    assert 'data-testid="report-places-left">1<' in page  # the offer has two places
    assert "Lena" not in page  # the organiser sees figures, not names
    application = Application.objects.get(offer=demo_offer(), applicant=demo["schueler"])
    assert application.state == Application.State.OFFERED
    page = client_for("pupil").get(url("applicant_result", round_id=clearing_round.pk)).content.decode()
    assert 'data-testid="applicant-placed"' in page
    assert reverse("offers:application", kwargs={"application_id": application.pk}) in page
    page = client_for("company_admin").get(url("company_result", round_id=clearing_round.pk)).content.decode()
    assert "Lena Schmidt" in page


def test_result_pages_wait_for_publication(demo, client_for):
    clearing_round = new_round()
    services.participant_join(
        actor=demo["schueler"], clearing_round=clearing_round, certificate=Certificate.MSA
    )
    page = client_for("pupil").get(url("applicant_result", round_id=clearing_round.pk)).content.decode()
    assert 'data-testid="applicant-placed"' not in page and 'data-testid="applicant-unplaced"' not in page
    page = client_for("company_admin").get(url("company_result", round_id=clearing_round.pk)).content.decode()
    assert 'data-testid="company-matches"' not in page


def test_draft_round_is_hidden_from_pupils_and_companies(demo, client_for):
    clearing_round = new_round(open_it=False)
    assert client_for("pupil").get(url("applicant_round", round_id=clearing_round.pk)).status_code == 404
    assert (
        client_for("company_admin").get(url("company_round", round_id=clearing_round.pk)).status_code == 404
    )
    assert (
        client_for("chamber_officer").get(url("round_detail", round_id=clearing_round.pk)).status_code == 200
    )
    assert client_for("counsellor").get(url("round_detail", round_id=clearing_round.pk)).status_code == 404


JARGON = ("Deferred Acceptance", "blockierend", "Startwert", "Verifizier", "Mechanismus", "Seed", "seed")


def test_the_round_page_speaks_plain_german_with_the_technical_terms_in_details(demo, client_for):
    """Issue #16: officers saw "Deferred Acceptance", "blockierendes Paar", "Startwert der Losziehung". The
    page says it in plain words; each technical term stands only inside a <details> element."""
    clearing_round = new_round(closes=0, publishes=1)
    round_offer = services.round_offer_add(actor=None, clearing_round=clearing_round, offer=demo_offer())
    lena = services.participant_join(
        actor=demo["schueler"], clearing_round=clearing_round, certificate=Certificate.MSA
    )
    services.choices_save(actor=demo["schueler"], participant=lena, ranks={round_offer.pk: 1})
    services.rankings_save(actor=None, round_offer=round_offer, ranks={lena.pk: 1})
    services.ranking_close(actor=None, clearing_round=clearing_round, today=clearing_round.ranking_closes_on)
    services.round_compute(actor=None, clearing_round=clearing_round)
    page = client_for("chamber_officer").get(url("round_detail", round_id=clearing_round.pk)).content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    details = re.findall(r"<details.*?</details>", main, re.S)
    outside = re.sub(r"<[^>]+>", " ", re.sub(r"<details.*?</details>", "", main, flags=re.S))  # visible text
    assert [term for term in JARGON if term in outside] == []
    explained = " ".join(details)
    assert "Deferred Acceptance" in explained and "blockierendes Paar" in explained
    assert "Startwert der Losziehung" in explained
    assert "Niemand übergangen" in outside and "Wie die Plätze vergeben wurden" in outside
