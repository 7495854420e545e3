from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, no_translations

from ausbildung.campaigns import registrations


class Command(BaseCommand):
    help = (
        "The campaign's events: 'offers' passes offered places whose 48 hours ran out to the next person on the "
        "waiting list (run every few minutes from cron; the pages do it too when they are opened)."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("offers", help="expire offered places that ran out and offer them to the next person")

    @no_translations
    def handle(self, *args: Any, **options: Any) -> None:
        expired = registrations.expire_offers()
        self.stdout.write(f"{expired} offer(s) ran out and passed to the next person waiting")
