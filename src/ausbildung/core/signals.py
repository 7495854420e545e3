"""Signals core sends for the focus areas (core imports no area; an area listens in its AppConfig.ready)."""

from __future__ import annotations

from django.dispatch import Signal

# The contract's agreed weekly hours or written exam date changed (`services.contract_terms_update`): facts the
# working-time check of the record book credits with. Sent inside the transaction; arguments: contract.
contract_terms_changed = Signal()
