from __future__ import annotations

import pytest
from django.apps import apps

from ausbildung.core.demo import DEMO_PASSWORD, PRINTED_LOGINS, demo_load
from ausbildung.core.models import AuditLog, Membership, Region, Role, TrainingContract, User


def snapshot() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_app_config("core").get_models()}


def test_demo_is_idempotent(demo):
    before = snapshot()
    audit_rows = AuditLog.objects.count()
    demo_load(with_admin=True)
    assert snapshot() == before
    assert AuditLog.objects.count() == audit_rows, "a second run must not change anything"


def test_demo_has_one_login_per_role(demo):
    roles = {
        role
        for user in PRINTED_LOGINS
        for role in Membership.objects.filter(user__username=user).values_list("role", flat=True)
    }
    expected = set(Role.values) - {Role.GUARDIAN}
    assert roles == expected
    assert User.objects.get(username="eltern").wards.filter(ward__username="azubi").exists()
    assert User.objects.get(username="azubi").check_password(DEMO_PASSWORD)


def test_demo_regions_are_official_codes(demo):
    assert Region.objects.filter(level=Region.Level.LAND).count() == 16
    assert Region.objects.get(code="10").name == "Saarland"
    kreise = dict(Region.objects.filter(parent__code="10").values_list("code", "name"))
    assert kreise["10041"] == "Regionalverband Saarbrücken"
    assert len(kreise) == 6


def test_demo_contracts_follow_bbig(demo):
    contract = TrainingContract.objects.get(apprentice__username="azubi")
    assert contract.occupation.name_male == "Fachinformatiker"
    assert contract.specialisation is not None and "Anwendungsentwicklung" in contract.specialisation.name
    assert contract.apprentice.is_minor_on(contract.start_date) is True
    # BBiG § 20: probation at most four months from the start (1 Aug → 30 Nov).
    assert contract.probation_end.isoformat() == "2025-11-30"


@pytest.mark.django_db
def test_demo_command_prints_logins(capsys):
    from django.core.management import call_command

    call_command("demo")
    out = capsys.readouterr().out
    for username in PRINTED_LOGINS:
        assert f"  {username} " in out
    assert DEMO_PASSWORD in out
