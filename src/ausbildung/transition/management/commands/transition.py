from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ausbildung.transition import reminders


class Command(BaseCommand):
    help = "Transition from school to training: 'remind' mails counsellors their overdue agreed steps (run daily)."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("remind", help="send reminder mails for overdue agreed steps of open cases")

    def handle(self, *args: Any, **options: Any) -> None:
        reminders.enqueue()
        self.stdout.write("Case reminders queued.")
