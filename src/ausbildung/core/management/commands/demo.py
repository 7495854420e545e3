from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ausbildung.core.demo import DEMO_PASSWORD, demo_load, demo_logins


class Command(BaseCommand):
    help = (
        "Load the demo region (Saarland) with one login per role. Idempotent: a second run changes nothing."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet-logins", action="store_true", help="do not print the demo logins")

    def handle(self, *args: Any, **options: Any) -> None:
        demo_load()
        self.stdout.write(self.style.SUCCESS("Demo region loaded (Saarland)."))
        if options["quiet_logins"]:
            return
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for username, role, organisation in demo_logins():
            suffix = f" – {organisation}" if organisation else ""
            self.stdout.write(f"  {username:<14} {role}{suffix}")
