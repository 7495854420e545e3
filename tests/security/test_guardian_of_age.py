"""A guardianship ends when the ward comes of age.

Attack: the parent of an apprentice keeps reading the record book, the contract with the date of birth and
the "persons you represent" list after the apprentice turned 18: the guardianship row was still on file and
every guardian scope read it without asking whether the ward was still a minor.

Defence: parental custody and legal representation (BGB § 1626, § 1629) end at majority, which begins with
the 18th birthday (BGB § 2; the birthday counts, § 187 Abs. 2 Satz 2). A guardianship counts only while the
ward is a minor (`Guardianship.objects.current`); the guardian role of `core.permissions.roles_of` (its own
SQL) and every guardian scope use that rule. From the birthday on, the former guardian sees nothing and the
apprentice decides. A ward without a date of birth cannot be shown to be a minor: the guardianship does not
count (fails closed).

The demo apprentice "azubi" (Jonas Becker, born 20.05.2009, contract from 01.08.2025) turns 18 during his
contract; the demo guardian is "eltern". The tests travel in time (time-machine) to either side of the day.
"""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from ausbildung.core import permissions
from ausbildung.core.models import Guardianship, Role, TrainingContract, User
from ausbildung.core.models.people import of_age_if_born_by

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
LAST_DAY_AS_MINOR = datetime.datetime(2027, 5, 19, 23, 30, tzinfo=BERLIN)
EIGHTEENTH_BIRTHDAY = datetime.datetime(2027, 5, 20, 0, 30, tzinfo=BERLIN)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)  # inside the journey: the session's expiry is counted from the travelled "now"
    return client


def azubi_contract(demo) -> TrainingContract:
    return TrainingContract.objects.get(apprentice=demo["azubi"])


def guardian_urls(contract: TrainingContract) -> dict[str, str]:
    record = {"contract_id": contract.pk}
    return {
        "contract page": reverse("core:contract_detail", kwargs={"pk": contract.pk}),
        "contract API": reverse("api:contract_detail", kwargs=record),
        "record book": reverse("records:book", kwargs=record),
        "period": reverse("records:period", kwargs={**record, "start": "2025-09-01"}),
        "record PDF": reverse("records:pdf", kwargs=record),
        "record JSON": reverse("records:export_json", kwargs=record),
        "record API": reverse("api:records_period_list", kwargs=record),
    }


def test_the_guardian_sees_the_record_of_the_minor(demo):
    contract = azubi_contract(demo)
    with time_machine.travel(LAST_DAY_AS_MINOR, tick=False):
        client = signed_in(demo["eltern"])
        got = {name: client.get(url).status_code for name, url in guardian_urls(contract).items()}
        assert got == dict.fromkeys(got, 200)
        assert "20.05.2009" in client.get(guardian_urls(contract)["contract page"]).content.decode()
        assert "Jonas Becker" in client.get(reverse("core:home")).content.decode()
        assert Role.GUARDIAN in client.get(reverse("api:me")).json()["roles"]


def test_from_the_18th_birthday_the_former_guardian_sees_nothing(demo):
    contract = azubi_contract(demo)
    with time_machine.travel(EIGHTEENTH_BIRTHDAY, tick=False):
        client = signed_in(demo["eltern"])
        got = {name: client.get(url).status_code for name, url in guardian_urls(contract).items()}
        assert all(status in {403, 404} for status in got.values()), got
        assert client.get(reverse("core:contract_list")).status_code == 403
        assert "Jonas Becker" not in client.get(reverse("core:home")).content.decode()
        assert Role.GUARDIAN not in client.get(reverse("api:me")).json()["roles"]
        acknowledge = client.post(reverse("records:acknowledge", kwargs={"contract_id": contract.pk}))
        assert acknowledge.status_code in {403, 404}
        assert not contract.guardian_acknowledgements.exists()


def test_the_apprentice_keeps_his_record_after_the_18th_birthday(demo):
    contract = azubi_contract(demo)
    with time_machine.travel(EIGHTEENTH_BIRTHDAY, tick=False):
        client = signed_in(demo["azubi"])
        got = {name: client.get(url).status_code for name, url in guardian_urls(contract).items()}
        assert got == dict.fromkeys(got, 200)


def test_the_guardianship_stays_on_file(demo):
    """Evidence of who represented the ward when: the row is kept, it just no longer counts."""
    with time_machine.travel(EIGHTEENTH_BIRTHDAY, tick=False):
        assert Guardianship.objects.filter(guardian=demo["eltern"], ward=demo["azubi"]).exists()
        assert not Guardianship.objects.current().filter(guardian=demo["eltern"]).exists()


def test_a_ward_without_date_of_birth_gives_no_guardian_access(demo):
    """Unknown age cannot show a minor: the guardianship does not count (fails closed)."""
    ward = demo["azubi"]
    ward.date_of_birth = None
    ward.save(update_fields=["date_of_birth"])
    client = signed_in(demo["eltern"])
    url = reverse("records:book", kwargs={"contract_id": azubi_contract(demo).pk})
    assert client.get(url).status_code == 403
    assert permissions.roles_of(User.objects.get(pk=demo["eltern"].pk)) == frozenset()


@pytest.mark.parametrize("moment", [LAST_DAY_AS_MINOR, EIGHTEENTH_BIRTHDAY])
def test_roles_sql_and_queryset_agree(demo, moment):
    """roles_of writes the rule in its own SQL (one query per request): it must match the queryset."""
    with time_machine.travel(moment, tick=False):
        guardian = User.objects.get(pk=demo["eltern"].pk)
        in_roles = Role.GUARDIAN in permissions.roles_of(guardian)
        assert in_roles == Guardianship.objects.current().filter(guardian=guardian).exists()
        assert in_roles == (moment == LAST_DAY_AS_MINOR)


@pytest.mark.parametrize(
    ("born", "day", "minor"),
    [
        (datetime.date(2009, 5, 20), datetime.date(2027, 5, 19), True),
        (datetime.date(2009, 5, 20), datetime.date(2027, 5, 20), False),  # BGB § 187 Abs. 2 Satz 2
        (datetime.date(2008, 2, 29), datetime.date(2026, 2, 28), True),
        (datetime.date(2008, 2, 29), datetime.date(2026, 3, 1), False),
        # a leap day, 18 years after a common year
        (datetime.date(2010, 3, 1), datetime.date(2028, 2, 29), True),
        (datetime.date(2010, 2, 28), datetime.date(2028, 2, 29), False),
    ],
)
def test_coming_of_age_matches_the_age_of_the_person(born, day, minor):
    """The cut-off of the queryset and the SQL agrees with User.is_minor_on, leap days included."""
    assert (born > of_age_if_born_by(day)) is minor
    assert User(date_of_birth=born).is_minor_on(day) is minor


def _guardianship_formset(admin_user: User, ward: User, guardian: User):
    """The admin's guardianship rows on the ward's page, as submitted with one new row."""
    from django.contrib import admin
    from django.test import RequestFactory

    from ausbildung.core.admin import GuardianshipInline

    request = RequestFactory().post("/")
    request.user = admin_user
    formset_class = GuardianshipInline(User, admin.site).get_formset(request, obj=ward)
    data = {
        "guardians-TOTAL_FORMS": "1",
        "guardians-INITIAL_FORMS": "0",
        "guardians-0-guardian": str(guardian.pk),
    }
    return formset_class(data, instance=ward, prefix="guardians")


@pytest.mark.parametrize(
    ("born", "accepted"),
    [(datetime.date(2012, 1, 1), True), (None, False), (datetime.date(2000, 1, 1), False)],
)
def test_the_admin_records_guardians_of_minors_only(demo, born, accepted):
    """A new guardianship needs the ward's date of birth and a minor: otherwise it would silently count for
    nothing (unknown age fails closed, BGB § 2)."""
    ward = User.objects.create_user("ward", date_of_birth=born)
    guardian = User.objects.create_user("parent")
    formset = _guardianship_formset(demo["admin"], ward, guardian)
    assert formset.is_valid() is accepted, formset.non_form_errors()
