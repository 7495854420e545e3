from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from ausbildung.core.demo import DEMO_ADMIN, DEMO_PASSWORD, demo_load, demo_logins


class Command(BaseCommand):
    help = (
        "Load the demo region (Saarland) with one login per role. Idempotent: a second run changes nothing. "
        "The platform administrator (a superuser) is created only with --with-admin or when DEBUG is on."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet-logins", action="store_true", help="do not print the demo logins")
        parser.add_argument(
            "--without-history",
            action="store_true",
            help="leave out the past (the demo apprentices' signed record weeks, the monitoring's synthetic history)",
        )
        parser.add_argument(
            "--with-admin",
            action="store_true",
            help=f"also create the platform administrator '{DEMO_ADMIN}', a superuser with the demo password",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with_admin = bool(options["with_admin"] or settings.DEBUG)
        demo_load(with_admin=with_admin, with_history=not options["without_history"])
        self.stdout.write(self.style.SUCCESS("Demo region loaded (Saarland)."))
        if with_admin:
            self.stdout.write(
                self.style.WARNING(
                    f"Demo platform administrator '{DEMO_ADMIN}' (superuser) is present with the demo password: "
                    "never on a reachable installation."
                )
            )
        else:
            self.stdout.write(
                f"No demo platform administrator created (DEBUG is off); pass --with-admin to create '{DEMO_ADMIN}'."
            )
        if options["quiet_logins"]:
            return
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for username, role, organisation in demo_logins():
            suffix = f" – {organisation}" if organisation else ""
            self.stdout.write(f"  {username:<14} {role}{suffix}")
