"""The sources of the cube's facts (`cube.register_provider`), one per area, each through the area's public
module. Registered when the app is ready; a later app registers its own the same way."""

from __future__ import annotations

from ausbildung.core import market_facts
from ausbildung.offers import selectors as offers
from ausbildung.records import selectors as records
from ausbildung.transition import selectors as transition
from ausbildung.transition.clearing import selectors as clearing

from . import cube

CONTRACT_MEASURES = (
    "contracts_new",
    "contracts_concluded",
    "contracts_begun",
    "dissolutions",
    "dissolutions_probation",
    *(f"dissolutions_layer_{k}" for k in range(market_facts.LAYERS)),
    *(f"dissolutions_probation_layer_{k}" for k in range(market_facts.LAYERS)),
    *(f"reentry_base_{m}" for m in market_facts.REENTRY_WINDOWS),
    *(f"reentry_{m}" for m in market_facts.REENTRY_WINDOWS),
)


OFFER_MEASURES = ("offers_published", "places_offered", "places_filled", "places_unfilled")
APPLICANT_MEASURES = ("applicants", "applicants_placed", "applicants_searching", "applicants_unplaced")
RECORD_MEASURES = (
    "record_weeks_due",
    "record_weeks_submitted",
    "record_weeks_late",
    "record_weeks_signed",
    "record_contracts",
    "worktime_findings",
)
CLEARING_MEASURES = ("clearing_participants", "clearing_offers", "clearing_places", "clearing_placed")


def register() -> None:
    cube.register_provider("contracts", CONTRACT_MEASURES, market_facts.monitoring_contract_facts)
    cube.register_provider("offers", OFFER_MEASURES, offers.monitoring_offer_facts)
    cube.register_provider("applicants", APPLICANT_MEASURES, offers.monitoring_applicant_facts)
    cube.register_provider(
        "alternatives", ("applicants_alternative",), transition.monitoring_alternative_facts
    )
    cube.register_provider(
        "destinations", transition.MONITORING_DESTINATION_MEASURES, transition.monitoring_destination_facts
    )
    cube.register_provider("clearing", CLEARING_MEASURES, clearing.monitoring_clearing_facts)
    cube.register_provider("records", RECORD_MEASURES, records.monitoring_record_facts)
