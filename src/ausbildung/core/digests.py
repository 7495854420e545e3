"""The e-mail digest: once a day or once a week, one mail per person with what waits for them.

The items are the home page's (`core.waiting.waiting_for`), so the mail never says more than the page; an
empty digest is not sent. Each preference remembers the period it was last sent for, so running
`ausbildung send-digests` twice in a day (or a week) sends nothing the second time.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .mail import mail_queue
from .models import DigestPreference, Role, User
from .permissions import roles_of
from .services import audit_record
from .waiting import WaitingItem, waiting_for

FREQUENCIES = (DigestPreference.Frequency.DAILY, DigestPreference.Frequency.WEEKLY)
YOUNG_ROLES = {Role.PUPIL, Role.APPRENTICE}


def period_key(frequency: str, day: datetime.date) -> str:
    """The period a digest is for: the day ("2026-12-07") or the ISO week ("2026-W50")."""
    if frequency == DigestPreference.Frequency.DAILY:
        return day.isoformat()
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def digest_frequency_of(user: User) -> str:
    preference = DigestPreference.objects.filter(user=user).first()
    return preference.frequency if preference else DigestPreference.Frequency.OFF


@transaction.atomic
def digest_preference_save(*, actor: User, frequency: str) -> DigestPreference:
    if frequency not in DigestPreference.Frequency.values:
        raise ValueError(frequency)
    preference, _created = DigestPreference.objects.get_or_create(user=actor)
    before = preference.frequency
    preference.frequency = frequency
    preference.save(update_fields=["frequency", "updated_at"])
    audit_record(
        actor=actor,
        action="digest.preference",
        target=preference,
        summary=frequency,
        changes={"frequency": [before, frequency]},
    )
    return preference


def informal_for(user: User) -> bool:
    """Pupils and apprentices are addressed with "du", everyone else with "Sie" (as on their home page)."""
    roles = roles_of(user)
    return bool(roles) and roles <= YOUNG_ROLES


def digest_text(user: User, items: list[WaitingItem]) -> tuple[str, str]:
    """Subject and body of one person's digest, in German."""
    with translation.override("de"):
        name = user.first_name or user.username
        tone = "informal" if informal_for(user) else "formal"
        subject = pgettext(tone, "What is waiting for you on the platform")
        greeting = _("Hello %(name)s,") if tone == "informal" else _("Good day %(name)s,")
        lines = [greeting % {"name": name}, "", pgettext(tone, "this is waiting for you:")]
        footer = pgettext(tone, "You can switch this e-mail off under “My area” → “E-mail digest”.")
        lines.append("")
        for item in items:
            count = f": {item.count}" if item.count is not None else ""
            lines.append(f"- {item.text}{count}")
            lines.append(f"  {settings.PLATFORM_URL}{item.url}")
        lines += ["", footer, ""]
    return subject, "\n".join(lines)


def send_digests(*, frequency: str, today: datetime.date | None = None) -> tuple[int, int]:
    """Send the digests of everybody who chose `frequency`; return (sent, skipped because empty).

    A person without an e-mail address, inactive, or already sent for this period is left out. Each digest is
    claimed and queued in one transaction (the outbox of `core.mail` sends it after the commit), so two runs at
    once do not both send it.
    """
    if frequency not in FREQUENCIES:
        raise ValueError(frequency)
    today = today or timezone.localdate()
    key = period_key(frequency, today)
    sent = skipped = 0
    preferences = (
        DigestPreference.objects.filter(frequency=frequency, user__is_active=True)
        .exclude(user__email="")
        .exclude(last_period=key)
        .select_related("user")
        .order_by("pk")
    )
    for preference in preferences:
        user = preference.user
        items = waiting_for(user)
        if not items:
            skipped += 1
            continue
        with transaction.atomic():
            claimed = (
                DigestPreference.objects.filter(pk=preference.pk)
                .exclude(last_period=key)
                .update(last_period=key, last_sent_at=timezone.now())
            )
            if not claimed:
                continue
            subject, body = digest_text(user, items)
            mail_queue(to=user.email, subject=subject, body=body)
        sent += 1
    return sent, skipped
