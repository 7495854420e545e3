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

    call_command("demo", "--without-history")
    out = capsys.readouterr().out
    for username in PRINTED_LOGINS:
        assert f"  {username} " in out
    assert DEMO_PASSWORD in out


@pytest.mark.django_db
def test_demo_command_gives_the_apprentices_a_signed_record_history(client):
    """`ausbildung demo` writes the apprentices' weeks from the contract start up to last week through the record
    services: submitted by the apprentice, signed by the trainer (the chains verify), nothing in the current week
    or later; Jonas's book has a week waiting, one returned and two missing, Lukas's is complete. The chambers'
    readiness lists show them. A second run adds nothing."""
    from django.core.management import call_command
    from django.urls import reverse
    from django.utils import timezone

    from ausbildung.records import rules, selectors, services
    from ausbildung.records.models import RecordPeriod, RecordSignature

    call_command("demo", "--quiet-logins")
    today = timezone.localdate()
    this_monday = rules.week_start(today)
    S = RecordPeriod.State
    for username, trainer, complete in (("azubi", "ausbilder", False), ("azubi2", "meister", True)):
        contract = TrainingContract.objects.get(apprentice__username=username)
        periods = list(RecordPeriod.objects.filter(contract=contract).order_by("start"))
        expected = [
            start
            for start, end in rules.expected_periods(form="weekly", start=contract.start_date, end=today)
            if end < this_monday
        ]
        assert periods[0].start == contract.start_date
        assert max(p.end for p in periods) < this_monday, "nothing in the current week or the future"
        states = [p.state for p in periods]
        signatures = RecordSignature.objects.filter(contract=contract)
        assert signatures.count() == states.count(S.SIGNED) > 50
        assert set(signatures.values_list("signer__username", flat=True)) == {trainer}
        assert services.verify_contract(contract) == []
        summary = selectors.readiness(contract, cutoff=today)
        assert summary.complete is complete
        if complete:
            assert states == [S.SIGNED] * len(expected)
        else:
            assert states.count(S.RETURNED) == 1 and states.count(S.SUBMITTED) == 1
            assert periods[-1].state == S.SUBMITTED and periods[-1].start == expected[-1]
            assert len(expected) - len(periods) == 2  # two weeks never written
            assert len(summary.missing) == 4
    ihk = client
    ihk.force_login(User.objects.get(username="kammer"))
    page = ihk.get(reverse("records:chamber")).content.decode()
    assert "Becker" in page and "Meyer" not in page
    hwk = type(client)()
    hwk.force_login(User.objects.get(username="hwk"))
    response = hwk.get(reverse("records:chamber"))
    ready = [contract.apprentice.username for contract, _summary in response.context["ready"]]
    assert ready == ["azubi2"]

    # The demo pupil was invited to an interview (#16: her home page shows it, and she can answer it).
    from ausbildung.core.waiting import waiting_for
    from ausbildung.offers.models import Application

    lena = User.objects.get(username="schueler")
    (invitation,) = Application.objects.filter(applicant=lena)
    assert invitation.state == Application.State.INVITED and invitation.interview_at > timezone.now()
    waiting = {item.key: item for item in waiting_for(lena)}
    assert waiting["offers_invitations"].count == 1
    pupil = type(client)()
    pupil.force_login(lena)
    page = pupil.get(reverse("offers:application", args=[invitation.pk])).content.decode()
    assert reverse("offers:interview", args=[invitation.pk]) in page

    counts = (RecordPeriod.objects.count(), RecordSignature.objects.count(), Application.objects.count())
    call_command("demo", "--quiet-logins")
    assert (
        RecordPeriod.objects.count(),
        RecordSignature.objects.count(),
        Application.objects.count(),
    ) == counts


def test_demo_class_9b_and_its_leaving_cohort_are_the_same_pupils(demo):
    """The class view and the leavers' list read two tables (class memberships, destinations); the demo makes
    the cohort from the class, as the teacher does on the leavers' page, so both show the same seven pupils."""
    from ausbildung.orientation.models import SchoolClass
    from ausbildung.transition.models import Destination

    school_class = SchoolClass.objects.get(code="DEMO9B27")
    members = set(school_class.memberships.values_list("pupil__username", flat=True))
    cohort = set(
        Destination.objects.filter(school=school_class.school, class_label="9b").values_list(
            "pupil__username", flat=True
        )
    )
    assert members == cohort
    assert len(members) == 7 and "schueler" in members


def test_demo_pupils_certificate_is_the_same_in_her_profile_and_the_teachers_record(demo, client_for):
    """One source of truth: the pupil's profile. The teacher's record of the destination reads and writes it."""
    from django.urls import reverse

    from ausbildung.offers.models import SeekerProfile
    from ausbildung.transition.models import Destination

    lena = demo["schueler"]
    destination = Destination.objects.get(pupil=lena)
    profile = SeekerProfile.objects.get(user=lena)
    assert destination.certificate == profile.certificate == "msa"
    teacher = client_for("teacher")
    page = teacher.get(reverse("transition:leavers")).content.decode()
    assert "Realschulabschluss" in page
    url = reverse("transition:destination_edit", args=[destination.pk])
    response = teacher.post(
        url, {"certificate": "ahr", "planned_kind": "training", "planned_note": "", "actual_kind": ""}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    profile.refresh_from_db()
    assert profile.certificate == "ahr"
    assert Destination.objects.get(pk=destination.pk).certificate == "ahr"
