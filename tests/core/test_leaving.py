"""Leaving an organisation and removing members (#18), both through core.services.membership_end: access
ends with the next request, a trainer's assignments end with the membership."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ausbildung.core.models import AuditLog, ContractTrainer, Membership, TrainingContract

pytestmark = pytest.mark.django_db


def trainer_membership(demo) -> Membership:
    return Membership.objects.get(user=demo["ausbilder"], role="trainer")


def test_removed_trainer_loses_the_contract_pages_on_the_next_request(demo, client_for):
    contract = TrainingContract.objects.get(apprentice=demo["azubi"])
    trainer = client_for("trainer")
    pages = [
        reverse("core:contract_detail", kwargs={"pk": contract.pk}),
        reverse("records:book", kwargs={"contract_id": contract.pk}),
        reverse("core:contract_plan", kwargs={"pk": contract.pk}),
    ]
    assert [trainer.get(page).status_code for page in pages] == [200, 200, 200]
    admin = client_for("company_admin")
    assert "Klein" in admin.get(reverse("core:my_organisations")).content.decode()
    membership = trainer_membership(demo)
    response = admin.post(reverse("core:member_remove", kwargs={"pk": membership.pk}))
    assert response.status_code == 302
    membership.refresh_from_db()
    assert not membership.is_active
    assert AuditLog.objects.filter(
        action="membership.end", target_id=str(membership.pk), actor=demo["betrieb"]
    ).exists()
    assert not ContractTrainer.objects.filter(trainer=demo["ausbilder"], ended_on__isnull=True).exists()
    # the same session, next request: the trainer role is gone (403) – the contract no longer visible
    assert [trainer.get(page).status_code for page in pages] == [403, 403, 403]


def test_a_member_leaves(demo, client_for):
    trainer = client_for("trainer")
    membership = trainer_membership(demo)
    page = trainer.get(reverse("core:my_organisations")).content.decode()
    assert "Verlassen" in page
    response = trainer.post(reverse("core:membership_leave", kwargs={"pk": membership.pk}))
    assert response.status_code == 302
    membership.refresh_from_db()
    assert not membership.is_active
    assert trainer.get(reverse("records:queue")).status_code == 403


def test_nobody_ends_someone_elses_membership(demo, client_for):
    membership = trainer_membership(demo)
    leave = reverse("core:membership_leave", kwargs={"pk": membership.pk})
    remove = reverse("core:member_remove", kwargs={"pk": membership.pk})
    assert client_for("apprentice").post(leave).status_code == 404
    assert client_for("chamber_officer").post(remove).status_code == 403
    carpentry_admin = Client()
    carpentry_admin.force_login(demo["meister"])  # administrator of another company
    assert carpentry_admin.post(remove).status_code == 404
    membership.refresh_from_db()
    assert membership.is_active


def test_last_company_admin_cannot_leave(demo, client_for):
    membership = Membership.objects.get(user=demo["betrieb"], role="company_admin")
    admin = client_for("company_admin")
    response = admin.post(reverse("core:membership_leave", kwargs={"pk": membership.pk}), follow=True)
    assert "letzte Administration" in response.content.decode()
    membership.refresh_from_db()
    assert membership.is_active


def test_company_admin_cannot_remove_themselves(demo, client_for):
    membership = Membership.objects.get(user=demo["betrieb"], role="company_admin")
    assert (
        client_for("company_admin")
        .post(reverse("core:member_remove", kwargs={"pk": membership.pk}))
        .status_code
        == 404
    )


def test_home_links_to_my_organisations(demo, client_for):
    assert (
        reverse("core:my_organisations") in client_for("trainer").get(reverse("core:home")).content.decode()
    )
