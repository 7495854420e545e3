"""Destinations follow their training contracts: every saved contract updates its apprentice's destination."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from ausbildung.core.models import TrainingContract


@receiver(post_save, sender=TrainingContract, dispatch_uid="transition_destination_follows_contract")
def contract_saved(sender, instance: TrainingContract, **kwargs) -> None:
    from .services import destination_follow_contract

    destination_follow_contract(instance)
