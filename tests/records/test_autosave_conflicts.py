"""The week page's own autosave never conflicts with its save; a real conflict (another device, another
person) keeps both texts; no Python repr ever reaches a page's error output."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from ausbildung.records import services
from ausbildung.records.models import RecordPeriod

from .conftest import week_input

MONDAY = datetime.date(2025, 9, 1)


def write(demo, contract, text: str, *, version: int, token: str = "", seq: int = 0, action: str = "save"):
    session = services.EditSession(token=token, seq=seq, autosave=action == "autosave") if token else None
    return services.record_period_write(
        actor=demo["azubi"],
        contract=contract,
        start=MONDAY,
        data=week_input(MONDAY, text=text),
        version=version,
        action=action,
        session=session,
    )


def stored(contract) -> RecordPeriod:
    return RecordPeriod.objects.get(contract=contract, start=MONDAY)


# --- the service ----------------------------------------------------------------------------------------------


def test_a_save_after_the_same_pages_autosave_is_no_conflict(demo, contract):
    """The save pressed while the autosave was on its way carries the version read before it."""
    write(demo, contract, "Server aufgesetzt", version=0, token="page-a", seq=1, action="autosave")
    write(demo, contract, "Server aufgesetzt und dokumentiert.", version=0, token="page-a", seq=2)
    assert stored(contract).company_work == "Server aufgesetzt und dokumentiert."
    assert stored(contract).version == 2


def test_an_autosave_overtaken_by_the_save_writes_nothing(demo, contract):
    write(demo, contract, "Server aufgesetzt und dokumentiert.", version=0, token="page-a", seq=2)
    with pytest.raises(services.Superseded):
        write(demo, contract, "Server aufgesetzt", version=0, token="page-a", seq=1, action="autosave")
    assert stored(contract).company_work == "Server aufgesetzt und dokumentiert."


def test_the_pages_save_wins_even_without_a_counted_write(demo, contract):
    """Without the page's script (no counter), the save is still the page's last write: no conflict."""
    write(demo, contract, "Server aufgesetzt", version=0, token="page-a", seq=0, action="autosave")
    write(demo, contract, "Server aufgesetzt und dokumentiert.", version=0, token="page-a", seq=0)
    assert stored(contract).company_work == "Server aufgesetzt und dokumentiert."


def test_a_save_from_another_page_is_a_conflict(demo, contract):
    write(demo, contract, "Vom Handy gespeichert.", version=0, token="phone", seq=1, action="autosave")
    with pytest.raises(services.StaleVersion):
        write(demo, contract, "Vom Rechner gespeichert.", version=0, token="desktop", seq=1)
    with pytest.raises(services.StaleVersion):
        write(demo, contract, "Ohne Sitzung gespeichert.", version=0)  # the API: version alone
    assert stored(contract).company_work == "Vom Handy gespeichert."


def test_a_write_in_between_ends_the_pages_grace(demo, contract):
    """Page A autosaves (v1), page B saves on top of it (v2): A's save based on v1 is a real conflict."""
    write(demo, contract, "A, automatisch", version=0, token="page-a", seq=1, action="autosave")
    write(demo, contract, "B, gespeichert", version=1, token="page-b", seq=1)
    with pytest.raises(services.StaleVersion):
        write(demo, contract, "A, gespeichert", version=1, token="page-a", seq=2)
    assert stored(contract).company_work == "B, gespeichert"


# --- the page -------------------------------------------------------------------------------------------------


def period_url(contract) -> str:
    return reverse("records:period", kwargs={"contract_id": contract.pk, "start": MONDAY.isoformat()})


def post_data(text: str, *, version: int, action: str = "save", token: str = "", seq: int = 0) -> dict:
    data = {
        "action": action,
        "version": str(version),
        "edit_session": token,
        "edit_seq": str(seq),
        "company_work": text,
        "instruction": "",
        "school": "Subnetting",
    }
    for offset in range(7):
        day = (MONDAY + datetime.timedelta(days=offset)).isoformat()
        data[f"place-{day}"] = "company" if offset < 5 else "free"
        data[f"hours-{day}"] = "8" if offset < 5 else ""
    return data


def test_the_page_saves_after_its_own_autosave(client_for, contract):
    client = client_for("apprentice")
    page = client.get(period_url(contract)).content.decode()
    token = re.search(r'name="edit_session" value="([0-9a-f]{32})"', page).group(1)
    autosave = client.post(
        period_url(contract),
        post_data("Server aufgesetzt", version=0, action="autosave", token=token, seq=1),
        HTTP_HX_REQUEST="true",
    )
    assert autosave.status_code == 200
    saved = client.post(period_url(contract), post_data("Server aufgesetzt.", version=0, token=token, seq=2))
    assert saved.status_code == 302
    assert stored(contract).company_work == "Server aufgesetzt."


def test_a_real_conflict_keeps_both_texts_and_says_so_in_german(demo, client_for, contract):
    write(demo, contract, "Fassung vom Handy.", version=0, token="phone", seq=1)
    client = client_for("apprentice")

    response = client.post(
        period_url(contract), post_data("Fassung vom Rechner.", version=0, token="desktop")
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "inzwischen an anderer Stelle geändert" in page
    assert "Dein Text steht weiter im Formular" in page
    textarea = re.search(r'<textarea[^>]*name="company_work"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert textarea == "Fassung vom Rechner."  # the apprentice's text stays in the form
    other = page.split('data-testid="other-version"', 1)[1].split("</section>", 1)[0]
    assert "Fassung vom Handy." in other  # the other version beside it
    assert 'name="version" value="1"' in page  # the next save replaces the other version deliberately
    assert stored(contract).company_work == "Fassung vom Handy."

    again = client.post(
        period_url(contract), post_data("Beides zusammengeführt.", version=1, token="desktop")
    )
    assert again.status_code == 302 and stored(contract).company_work == "Beides zusammengeführt."


def test_an_autosave_conflict_says_so_in_its_status_line(demo, client_for, contract):
    write(demo, contract, "Fassung vom Handy.", version=0, token="phone", seq=1)
    response = client_for("apprentice").post(
        period_url(contract),
        post_data("Fassung vom Rechner.", version=0, action="autosave", token="desktop", seq=1),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    assert "an anderer Stelle geändert" in response.content.decode()


# --- no Python repr in any error output --------------------------------------------------------------------

REPR = re.compile(r"dict_items|dict_keys|__all__|ErrorDict|ErrorList|\[\(|\['|\[\"|ValidationError\(")


def assert_no_repr(html: str) -> None:
    # Scripts and styles may hold brackets of their own; the text and attributes a person sees may not.
    visible = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    found = REPR.search(visible)
    assert found is None, visible[max(0, found.start() - 200) : found.end() + 200]


def test_record_book_error_outputs_hold_no_python_repr(demo, client_for, contract):
    client = client_for("apprentice")
    url = period_url(contract)
    day = MONDAY.isoformat()
    outputs = [
        # invalid input (field and day errors), a refused submission, a stale page, an autosave with errors
        client.post(url, post_data("Text", version=0) | {f"hours-{day}": "viel"}),
        client.post(url, post_data("Text", version=0) | {"items": ["999999999"]}),
        client.post(url, post_data("", version=0, action="submit")),
        client.post(url, post_data("Text", version=0) | {"version": ""}),
        client.post(
            url,
            post_data("Text", version=0, action="autosave") | {f"hours-{day}": "x"},
            HTTP_HX_REQUEST="true",
        ),
    ]
    saved = RecordPeriod.objects.filter(contract=contract, start=MONDAY).first()
    write(demo, contract, "Fassung vom Handy.", version=saved.version if saved else 0, token="phone", seq=9)
    outputs.append(client.post(url, post_data("Fassung vom Rechner.", version=0, token="desktop")))
    outputs.append(client.post(url, post_data("Text", version=0, action="autosave"), HTTP_HX_REQUEST="true"))
    # the trainer's refused sign (a draft), shown as a message on the next page
    trainer = client_for("trainer")
    review = reverse("records:review", kwargs={"contract_id": contract.pk, "start": day})
    outputs.append(trainer.post(review, {"action": "return", "comment": ""}, follow=True))
    # the public check of an export, and the examiner link with a wrong secret
    anonymous = Client()
    outputs.append(anonymous.post(reverse("records:verify"), {"code": ""}))
    outputs.append(anonymous.post(reverse("records:verify"), {"code": "zz"}))
    outputs.append(anonymous.post(reverse("records:shared"), {"token": "nope"}))
    # a form of another app with a non-field error: the login
    outputs.append(anonymous.post(reverse("core:login"), {"username": "azubi", "password": "wrong"}))
    for response in outputs:
        assert response.status_code in {200, 400, 404, 409, 422}, response.status_code
        assert_no_repr(response.content.decode())


# --- the apprentice is addressed with "du" --------------------------------------------------------------------

FORMAL = re.compile(r"\b(Sie|Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihres|Ihnen)\b")


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_apprentices_week_page_says_du_also_in_its_errors(client_for, contract):
    client = client_for("apprentice")
    school_day = (MONDAY + datetime.timedelta(days=2)).isoformat()
    data = post_data("Text", version=0) | {
        f"place-{school_day}": "school",
        f"lessons-{school_day}": "40",
        f"hours-{MONDAY.isoformat()}": "viel",
    }
    text = visible_text(client.post(period_url(contract), data).content.decode())

    assert "Bitte prüfe deine Eingaben." in text
    assert "Bitte gib die Unterrichtsstunden" in text
    assert FORMAL.search(text) is None, text[max(0, FORMAL.search(text).start() - 150) :][:300]
    for page in (client.get(period_url(contract)), client.get(reverse("records:book", args=[contract.pk]))):
        found = FORMAL.search(visible_text(page.content.decode()))
        assert found is None, visible_text(page.content.decode())[max(0, found.start() - 150) :][:300]
