"""The sources of the cube's facts (`cube.register_provider`), one per area, each through the area's public
module. Registered when the app is ready; a later app registers its own the same way."""

from __future__ import annotations

from ausbildung.core import market_facts

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


def register() -> None:
    cube.register_provider("contracts", CONTRACT_MEASURES, market_facts.monitoring_contract_facts)
