"""The interest check: its items, pure scoring, the resumable screens, scope and the ranked result."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ausbildung.core.models import Occupation, ProfilePosition, User
from ausbildung.orientation.check import items, services
from ausbildung.orientation.models import InterestCheck
from ausbildung.orientation.riasec import DIMENSIONS

from .check_helpers import answers_for, completed_check, profile_for

# --- items and scoring (pure) -----------------------------------------------------------------------------------


def test_48_items_8_per_dimension_with_unique_keys():
    assert len(items.ITEMS) == 48
    assert Counter(item.dimension for item in items.ITEMS) == dict.fromkeys(DIMENSIONS, 8)
    assert len({item.key for item in items.ITEMS}) == 48
    assert len({item.text for item in items.ITEMS}) == 48
    assert all(item.key.startswith(item.dimension) for item in items.ITEMS)
    assert items.STEPS == 8 and items.ITEM_SET == "v1"
    assert [value for value, _label in items.SCALE] == [0, 1, 2, 3, 4]


def test_every_screen_holds_one_item_per_dimension():
    for step in range(1, items.STEPS + 1):
        assert sorted(item.dimension for item in items.step_items(step)) == sorted(DIMENSIONS)


def test_all_fours_on_realistic_items_score_realistic_one():
    scores = items.score(answers_for({"R": 4}))
    assert scores["R"] == 1.0
    assert all(scores[d] == 0.0 for d in "IASEC")
    assert items.profile_code(scores).startswith("R")


def test_score_is_mean_over_top_of_scale():
    scores = items.score(answers_for({"S": 2, "E": 3}, default=1))
    assert scores == {"R": 0.25, "I": 0.25, "A": 0.25, "S": 0.5, "E": 0.75, "C": 0.25}
    assert items.profile_code(scores) == "ESR"


def test_missing_and_resume_step():
    answers = answers_for({})
    assert items.missing(answers) == []
    first_of_step_3 = items.step_items(3)[0].key
    del answers[first_of_step_3]
    assert items.missing(answers) == [first_of_step_3]
    assert items.first_open_step(answers) == 3
    assert items.first_open_step({}) == 1


# --- services ---------------------------------------------------------------------------------------------------


def test_complete_needs_every_item(demo):
    pupil = demo["schueler"]
    check = services.interest_check_start(pupil=pupil)
    assert services.interest_check_start(pupil=pupil) == check  # one open check at a time
    partial = dict(list(answers_for({"R": 4}).items())[:47])
    services.interest_check_answer(check=check, actor=pupil, answers=partial)
    with pytest.raises(ValidationError):
        services.interest_check_complete(check=check, actor=pupil)
    with pytest.raises(ValidationError):
        services.interest_check_answer(check=check, actor=pupil, answers={"X99": 2})
    with pytest.raises(ValidationError):
        services.interest_check_answer(check=check, actor=pupil, answers={"R01": 5})
    services.interest_check_answer(check=check, actor=pupil, answers=answers_for({"R": 4}))
    done = services.interest_check_complete(check=check, actor=pupil)
    assert done.completed_at is not None and done.code.startswith("R") and done.scores["R"] == 1.0


# --- pages ------------------------------------------------------------------------------------------------------


def step_url(check: InterestCheck, step: int) -> str:
    return reverse("orientation:check_step", kwargs={"check_id": check.pk, "step": step})


def post_step(client, check, step, answers: dict[str, int], action: str = "next"):
    data = {key: str(value) for key, value in answers.items()}
    return client.post(step_url(check, step), {**data, "action": action})


def test_start_and_resume(demo, client_for):
    client = client_for("pupil")
    page = client.get(reverse("orientation:check"))
    assert page.status_code == 200
    response = client.post(reverse("orientation:check"))
    check = InterestCheck.objects.get(pupil=demo["schueler"])
    assert response["Location"] == step_url(check, 1)

    first = {item.key: 3 for item in items.step_items(1)}
    response = post_step(client, check, 1, first)
    assert response["Location"] == step_url(check, 2)
    check.refresh_from_db()
    assert check.answers == first

    # A new request (another lesson): the start page shows progress and resumes at step 2 ...
    page = client_for("pupil").get(reverse("orientation:check"))
    html = page.content.decode()
    assert step_url(check, 2) in html
    assert "<progress" in html and 'value="6"' in html
    # ... a second "start" does not begin again, and step 1 shows the saved answers.
    assert client.post(reverse("orientation:check"))["Location"] == step_url(check, 2)
    html = client.get(step_url(check, 1)).content.decode()
    for key in first:
        assert f'id="id_{key}_3" value="3" checked' in html


def test_missing_answers_give_field_errors_and_keep_the_others(demo, client_for):
    client = client_for("pupil")
    check = services.interest_check_start(pupil=demo["schueler"])
    screen = items.step_items(2)
    given = {item.key: 4 for item in screen[:4]}
    response = post_step(client, check, 2, given)
    assert response.status_code == 200  # the same screen again, with errors
    html = response.content.decode()
    assert "Schritt 2 von 8" in html or "Step 2 of 8" in html
    for item in screen[4:]:
        assert f'id="id_{item.key}_error"' in html
        assert f'aria-describedby="id_{item.key}_error"' in html
    for key in given:
        assert f'id="id_{key}_error"' not in html
        assert f'id="id_{key}_4" value="4" checked' in html
    check.refresh_from_db()
    assert check.answers == given  # saved, nothing typed is lost


def test_back_saves_without_errors(demo, client_for):
    client = client_for("pupil")
    check = services.interest_check_start(pupil=demo["schueler"])
    one = {items.step_items(3)[0].key: 1}
    response = post_step(client, check, 3, one, action="back")
    assert response["Location"] == step_url(check, 2)
    check.refresh_from_db()
    assert check.answers == one


def test_whole_check_leads_to_result(demo, client_for):
    client = client_for("pupil")
    check = services.interest_check_start(pupil=demo["schueler"])
    answers = answers_for({"R": 4, "I": 3})
    for step in range(1, items.STEPS + 1):
        response = post_step(client, check, step, {i.key: answers[i.key] for i in items.step_items(step)})
    assert response["Location"] == reverse("orientation:check_result", kwargs={"check_id": check.pk})
    check.refresh_from_db()
    assert check.completed_at is not None and check.code.startswith("RI")
    # a completed check cannot be changed through its screens any more
    assert client.get(step_url(check, 1))["Location"] == response["Location"]


def test_another_pupils_check_is_not_found(demo, client_for):
    other = User.objects.create_user("schueler2", password="x")
    check = completed_check(other)
    client = client_for("pupil")
    assert client.get(reverse("orientation:check_result", kwargs={"check_id": check.pk})).status_code == 404
    assert client.get(step_url(check, 1)).status_code == 404
    assert post_step(client, check, 1, {"R01": 4}).status_code == 404


def test_result_ranks_a_realistic_occupation_first(demo, client_for):
    def occupation(slug: str, name: str) -> Occupation:
        return Occupation.objects.get_or_create(slug=slug, defaults={"name": name})[0]

    profile_for(occupation("test-kaufmann", "Aaa Kaufmann"), {"C": 0.9, "E": 0.6})
    profile_for(occupation("test-erzieher", "Aab Sozial"), {"S": 0.9, "A": 0.3})
    mechaniker = occupation("test-mechaniker", "Zzz Mechaniker")
    profile_for(mechaniker, {"R": 0.9, "I": 0.3, "C": 0.1})
    ProfilePosition.objects.create(
        occupation=mechaniker, text="Warten von Maschinen und Werkzeugen", position=1
    )
    check = completed_check(demo["schueler"], {"R": 4, "I": 1, "C": 1})
    response = client_for("pupil").get(reverse("orientation:check_result", kwargs={"check_id": check.pk}))
    assert response.status_code == 200
    matches = response.context["matches"]
    assert matches[0].name == "Zzz Mechaniker" and matches[0].band == "very_good"
    assert matches[0].occupation_url == "/berufe/test-mechaniker/"
    assert matches[0].position == "Warten von Maschinen und Werkzeugen"
    assert "Aab Sozial" not in [m.name for m in matches]  # the opposite profile is no suggestion at all
    assert len(matches) <= 17
    html = response.content.decode()
    assert "/berufe/test-mechaniker/" in html and "Warten von Maschinen und Werkzeugen" in html
    assert "passt sehr gut" in html and "%" not in html.split('id="interest-matches"')[1]
    assert 'id="interest-chart"' in html and "<table" in html
    assert check.code == "RIC"


def test_a_flat_profile_gets_no_suggestion_and_an_honest_message(demo, client_for):
    """With no interest standing out, the correlation is 0 for every occupation: nothing is suggested."""
    check = completed_check(demo["schueler"], dict.fromkeys("RIASEC", 2))
    response = client_for("pupil").get(reverse("orientation:check_result", kwargs={"check_id": check.pk}))
    assert response.context["matches"] == []
    html = response.content.decode()
    assert 'data-testid="no-clear-fit"' in html and "no-profiles" not in html


def test_result_opens_five_suggestions_and_folds_the_rest(demo, client_for):
    """#17, one lesson on a phone: the first five suggestions are open, the others one tap away."""
    others = "IASEC"
    for number in range(15):  # varied enough that the variety rule keeps more than five
        occupation = Occupation.objects.create(slug=f"test-r{number}", name=f"Beruf{number} Test")
        second, third = others[number % 5], others[(number // 5 + number + 1) % 5]
        profile_for(occupation, {"R": 0.9, second: 0.5, third: 0.2 + number / 100})
    check = completed_check(demo["schueler"], {"R": 4, "A": 2})
    response = client_for("pupil").get(reverse("orientation:check_result", kwargs={"check_id": check.pk}))
    expected = [m for m in response.context["matches"] if not m.unexpected]
    assert len(expected) > 5
    assert response.context["first_matches"] == expected[:5]
    assert response.context["more_matches"] == expected[5:]
    html = response.content.decode()
    opened, folded = html.split('data-testid="more-matches"')
    assert opened.split('id="interest-matches"')[1].count('data-testid="match-') == 5
    assert folded.split("</details>")[0].count('data-testid="match-') == len(expected) - 5
    assert "Ausbildungsordnung: " not in html  # the second link per suggestion is gone
