from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ausbildung.core.mail import mail_send_queued


class Command(BaseCommand):
    help = (
        "Outgoing mail: 'send-queued' sends the mails of the outbox that are due, including earlier failed "
        "attempts (run it from cron, e.g. every five minutes)."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        queued = sub.add_parser(
            "send-queued", help="send the queued mails that are due (retries failed sends)"
        )
        queued.add_argument("--limit", type=int, default=500, help="at most this many mails (default 500)")

    def handle(self, *args: Any, **options: Any) -> None:
        sent, waiting = mail_send_queued(limit=max(options["limit"], 1))
        self.stdout.write(f"{sent} mails sent, {waiting} still queued after a failed attempt.")
