from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ausbildung.core.models import User
from ausbildung.core.tokens import api_token_create


class Command(BaseCommand):
    help = "Create a personal API token for a person (for a mobile client). The secret is printed once."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username", help="the person the token acts for")
        parser.add_argument("--name", required=True, help="what the token is for, e.g. the device")
        parser.add_argument("--days", type=int, help="valid for this many days (default: until revoked)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active person with the username {options['username']!r}.")
        try:
            token, secret = api_token_create(
                actor=None, user=user, name=options["name"], days=options["days"]
            )
        except ValidationError as error:
            raise CommandError(" ".join(str(m) for m in error.messages)) from None
        self.stdout.write(
            f"Token {token.prefix}… for {user.username}; keep this secret, it is not shown again:"
        )
        self.stdout.write(secret)
