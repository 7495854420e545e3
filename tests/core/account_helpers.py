"""Helpers of the account tests: a pending sign-up, an unverified company, the links of the outbox."""

from __future__ import annotations

import datetime
import re

from django.utils import timezone

from ausbildung.core.accounts import services
from ausbildung.core.models import Organisation, OutgoingMail, Signup


def account(username: str = "neu", *, born: datetime.date | None = None, guardian: str = "", **extra):
    return services.AccountInput(
        username=username,
        email=extra.pop("email", f"{username}@example.org"),
        first_name="Nina",
        last_name="Neu",
        password="ein-langes-Passwort-2026",
        date_of_birth=born,
        guardian_email=guardian,
    )


def years_ago(years: int, days: int = 0) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - datetime.timedelta(days=days)


def pending_signup(*, guardian: bool = False) -> Signup:
    """A sign-up that waits for its links (under 16 with a guardian's address when `guardian`)."""
    username = "kind" if guardian else "neu"
    existing = Signup.objects.filter(user__username=username).first()
    if existing is not None:
        return existing
    data = (
        account(username, born=years_ago(14), guardian="mutter@example.org")
        if guardian
        else account(username, born=years_ago(17))
    )
    return services.signup_create(data=data, site="http://testserver/")


def unverified_company() -> Organisation:
    existing = Organisation.objects.filter(name="Neue Bäckerei GmbH").first()
    if existing is not None:
        return existing
    chamber = Organisation.objects.get(chamber_kind=Organisation.ChamberKind.IHK)
    return services.company_register(
        actor=None,
        account=account("baecker"),
        data=services.CompanyInput(
            name="Neue Bäckerei GmbH",
            street="Hauptstraße 1",
            postcode="66111",
            city="Saarbrücken",
            competent_chamber=chamber,
        ),
        site="http://testserver/",
    )


def link_in_mail(to: str, fragment: str) -> str:
    """The path of the newest link containing `fragment` mailed to `to`."""
    for mail in OutgoingMail.objects.filter(to=to).order_by("-pk"):
        for path in re.findall(r"http://testserver(/\S+)", mail.body):
            if fragment in path:
                return path
    raise AssertionError(f"no mail to {to} with a link to {fragment}")
