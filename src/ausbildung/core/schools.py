"""Facts about the German school calendar that several areas share (classes, leaving cohorts)."""

from __future__ import annotations

from django.utils import timezone


def current_school_year() -> str:
    """The school year of today, e.g. "2026/27": it starts on 1 August (the Länder start between late July and
    mid-September; August is the month in which every Land's year has begun or is about to)."""
    today = timezone.localdate()
    start = today.year if today.month >= 8 else today.year - 1
    return f"{start}/{(start + 1) % 100:02d}"
