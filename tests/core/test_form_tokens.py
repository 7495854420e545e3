"""Details of the one-time form tokens (`core.submissions`); the attacks are in tests/security."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from ausbildung.core.models import FormSubmission, TrainingContract
from ausbildung.core.submissions import KEEP, new_token, token_hash


def test_a_persons_old_tokens_are_forgotten_when_they_send_the_next_form(demo, client_for):
    guardian = demo["eltern"]
    old = FormSubmission.objects.create(
        token_hash=token_hash(new_token()), user=guardian, view="x", result_url="/"
    )
    FormSubmission.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - KEEP - datetime.timedelta(days=1)
    )
    recent = FormSubmission.objects.create(
        token_hash=token_hash(new_token()), user=guardian, view="x", result_url="/"
    )
    contract = TrainingContract.objects.get(apprentice=demo["azubi"])
    response = client_for("guardian").post(
        reverse("records:acknowledge", kwargs={"contract_id": contract.pk}), {"form_token": new_token()}
    )
    assert response.status_code == 302
    assert not FormSubmission.objects.filter(pk=old.pk).exists()
    assert FormSubmission.objects.filter(pk=recent.pk).exists()
    assert FormSubmission.objects.filter(user=guardian).count() == 2


def test_the_token_field_is_rendered_with_each_state_changing_form(demo, client_for):
    contract = TrainingContract.objects.get(apprentice=demo["azubi"])
    page = client_for("guardian").get(reverse("records:book", kwargs={"contract_id": contract.pk}))
    assert page.content.decode().count('name="form_token"') == 1  # the acknowledgement
