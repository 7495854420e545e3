"""The demo region's transition data: a leaving cohort with destinations and an open clearing round."""

from __future__ import annotations

import pytest

from ausbildung.core.demo import demo_load
from ausbildung.transition.clearing.demo import DEMO_ROUND_NAME
from ausbildung.transition.clearing.models import ClearingRound
from ausbildung.transition.models import Destination

pytestmark = pytest.mark.django_db


def test_demo_has_a_cohort_and_an_open_round_and_reloads_idempotently(demo, client_for):
    assert Destination.objects.count() == 7
    clearing_round = ClearingRound.objects.get(name=DEMO_ROUND_NAME)
    assert clearing_round.status == ClearingRound.Status.OPEN
    assert clearing_round.offers.exists()
    demo_load(with_admin=True)
    assert Destination.objects.count() == 7 and ClearingRound.objects.count() == 1
    # the demo pupil finds the round on her page
    page = client_for("pupil").get("/uebergang/nachvermittlung/bewerben/").content.decode()
    assert DEMO_ROUND_NAME in page
