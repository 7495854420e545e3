"""The requests survive the move of `OnboardingRequest` from the offers app to the onboarding app.

offers 0010 and onboarding 0001 move the model in the migration state only; the table `offers_onboardingrequest`
keeps its rows. The test writes a request with the model as it is, goes back to the state before the move (the
model in `offers`), checks the row is read there, and migrates forward again.
"""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ausbildung.core.models import Occupation, Organisation
from ausbildung.onboarding.models import OnboardingRequest

BEFORE_MOVE = [("offers", "0009_offer_search_table"), ("onboarding", None)]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection)


@pytest.mark.django_db(transaction=True)
def test_moving_the_model_keeps_the_requests_and_their_occupations() -> None:
    company = Organisation.objects.create(kind=Organisation.Kind.COMPANY, name="Tischlerei Migrationstest")
    chamber = Organisation.objects.create(
        kind=Organisation.Kind.CHAMBER, name="HWK Migrationstest", chamber_kind=Organisation.ChamberKind.HWK
    )
    occupation = Occupation.objects.create(slug="tischler-migrationstest", name="Tischler/Tischlerin")
    request = OnboardingRequest.objects.create(
        company=company,
        chamber=chamber,
        activity="Möbel nach Maß",
        skilled_staff=3,
        trainer="meister",
        contents="yes",
    )
    request.occupations.add(occupation)
    ContentType.objects.get_for_model(OnboardingRequest)  # as after any earlier migrate

    before = _migrate(BEFORE_MOVE)
    old_apps = before.loader.project_state(BEFORE_MOVE[:1]).apps
    old_model = old_apps.get_model("offers", "OnboardingRequest")
    old_row = old_model.objects.get(pk=request.pk)
    assert old_row.activity == "Möbel nach Maß"
    assert list(old_row.occupations.values_list("slug", flat=True)) == ["tischler-migrationstest"]
    assert ContentType.objects.filter(app_label="offers", model="onboardingrequest").exists()
    assert not ContentType.objects.filter(app_label="onboarding", model="onboardingrequest").exists()

    after = _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert not after.migration_plan(after.loader.graph.leaf_nodes())  # fully migrated again
    moved = OnboardingRequest.objects.get(pk=request.pk)
    assert (moved.company, moved.chamber, moved.skilled_staff) == (company, chamber, 3)
    assert list(moved.occupations.all()) == [occupation]
    ContentType.objects.clear_cache()
    content_type = ContentType.objects.get(app_label="onboarding", model="onboardingrequest")
    assert not ContentType.objects.filter(app_label="offers", model="onboardingrequest").exists()
    assert ContentType.objects.get_for_model(OnboardingRequest) == content_type
