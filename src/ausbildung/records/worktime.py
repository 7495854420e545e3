"""Working-time rules for the Ausbildungsnachweis: what the law says about a recorded calendar week.

Pure functions over plain values (no database, no settings), one function per rule, each naming its paragraph.
The record book *records what happened*: hours above a legal limit are not refused but reported as a
`Finding` (rule, paragraph, figures, German message). Only impossible input is an error (`impossible_input`).

The week is Monday to Sunday (JArbSchG § 4 Abs. 4 Satz 1) whatever the record form: the caller passes every
recorded day of the calendar week, also those of other (daily) periods.

Interface (stable; other modules and apps read findings through `records.selectors`):

- `WorkDay`: one recorded day (date, place incl. EXAM, hours, lessons on a school day).
- `WeekFacts`: what the week's check needs to know beyond the days (age per day, public holidays, block week,
  the written final exam's date, the contract's agreed daily hours).
- `check_week(days, facts) -> WeekResult`: findings and the week's credited total.
- `impossible_input(day) -> str | None`: a German error for input that cannot be true.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

# The places of a RecordDay (records.models.RecordDay.Place values), repeated here to keep this module pure.
COMPANY, SCHOOL, EXTERNAL, EXAM = "company", "school", "external", "exam"
LEAVE, SICK, HOLIDAY, FREE = "leave", "sick", "holiday", "free"
WORKING = frozenset({COMPANY, SCHOOL, EXTERNAL})

MAX_HOURS_PER_DAY = Decimal(24)
# JArbSchG § 8 Abs. 1: minors work at most 8 hours a day and 40 hours a week; § 8 Abs. 2a: 8.5 hours on the
# other days of a week in which some working days are shorter than 8 hours.
MINOR_DAY = Decimal(8)
MINOR_DAY_EXTENDED = Decimal("8.5")
MINOR_WEEK = Decimal(40)
# ArbZG § 3: at most 8 hours a working day for adults, up to 10 if the average over six months stays at 8.
ADULT_DAY = Decimal(8)
ADULT_DAY_EXTENDED = Decimal(10)


@dataclass(frozen=True)
class WorkDay:
    """One recorded day. `hours` is the time the apprentice wrote down (None: not given)."""

    date: datetime.date
    place: str
    hours: Decimal | None
    # Vocational school (place SCHOOL): lessons of at least 45 minutes that day (None: not given).
    lessons: int | None = None


@dataclass(frozen=True)
class WeekFacts:
    """What the check needs beyond the days.

    `minor_on(date)`: True under 18 on that day (JArbSchG § 2 Abs. 2), False when adult, None when the birth
    date is unknown (then the check says it could not be made, never assumes "adult").
    """

    minor_on: Callable[[datetime.date], bool | None]
    holidays: Mapping[datetime.date, str] = field(default_factory=dict)
    # The school marked this week as a block week (Blockunterricht).
    block_week: bool = False
    # The date of the written final exam (Abschlussprüfung, schriftlicher Teil), when the contract knows it.
    written_exam: datetime.date | None = None
    # The contract's agreed daily training time, used to credit school and exam days (None: not known).
    agreed_daily_hours: Decimal | None = None


@dataclass(frozen=True)
class Finding:
    """A fact about the week that the law would flag. `certain` is False where the platform cannot know an
    exception the paragraph allows (e.g. a sector exception): the message says so instead of asserting."""

    rule: str  # stable code, e.g. "jarbschg-8-1-week"
    paragraph: str  # e.g. "JArbSchG § 8 Abs. 1"
    message: str  # German (translated) sentence naming the rule and the numbers
    day: datetime.date | None = None  # None: the finding concerns the whole week
    hours: Decimal | None = None  # the recorded (or credited) figure
    limit: Decimal | None = None  # the legal figure
    certain: bool = True


@dataclass(frozen=True)
class WeekResult:
    findings: list[Finding]
    # The week's working time with school and exam days credited as the law says (BBiG § 15 Abs. 2).
    credited_total: Decimal
    # True when the age of the apprentice is not known for some day: the minors' rules could not be checked.
    age_unknown: bool = False


def _hours(value: Decimal) -> str:
    return f"{value:g}".replace(".", ",")


def impossible_input(day: WorkDay) -> str | None:
    """Input that cannot be true is an error, not a finding: negative hours, more than 24 hours a day."""
    if day.hours is not None and (day.hours < 0 or day.hours > MAX_HOURS_PER_DAY):
        return _("Hours must lie between 0 and 24.")
    return None


def check_week(days: list[WorkDay], facts: WeekFacts) -> WeekResult:
    """The findings of one calendar week (Monday to Sunday). `days` may hold days of one week only."""
    findings: list[Finding] = []
    working = [d for d in days if d.place in WORKING and d.hours is not None]
    total = sum((d.hours for d in working), Decimal(0))
    ages = {d.date: facts.minor_on(d.date) for d in days}
    age_unknown = any(value is None for value in ages.values())
    for day in working:
        if ages[day.date]:
            shorter_day = any(other.hours < MINOR_DAY for other in working if other.date != day.date)
            limit = MINOR_DAY_EXTENDED if shorter_day else MINOR_DAY
            if day.hours > limit:
                findings.append(
                    Finding(
                        rule="jarbschg-8-day",
                        paragraph="JArbSchG § 8 Abs. 2a" if shorter_day else "JArbSchG § 8 Abs. 1",
                        message=_(
                            "%(hours)s hours on this day; apprentices under 18 at most %(limit)s (%(paragraph)s)."
                        )
                        % {
                            "hours": _hours(day.hours),
                            "limit": _hours(limit),
                            "paragraph": "JArbSchG § 8 Abs. 2a" if shorter_day else "JArbSchG § 8 Abs. 1",
                        },
                        day=day.date,
                        hours=day.hours,
                        limit=limit,
                    )
                )
        elif ages[day.date] is False and day.hours > ADULT_DAY_EXTENDED:
            findings.append(
                Finding(
                    rule="arbzg-3",
                    paragraph="ArbZG § 3",
                    message=_("%(hours)s hours on this day; at most %(limit)s (ArbZG § 3).")
                    % {"hours": _hours(day.hours), "limit": _hours(ADULT_DAY_EXTENDED)},
                    day=day.date,
                    hours=day.hours,
                    limit=ADULT_DAY_EXTENDED,
                )
            )
    if any(ages[d.date] for d in working) and total > MINOR_WEEK:
        findings.append(
            Finding(
                rule="jarbschg-8-1-week",
                paragraph="JArbSchG § 8 Abs. 1",
                message=_(
                    "%(hours)s hours in this week; apprentices under 18 at most %(limit)s (JArbSchG § 8 Abs. 1)."
                )
                % {"hours": _hours(total), "limit": _hours(MINOR_WEEK)},
                hours=total,
                limit=MINOR_WEEK,
            )
        )
    return WeekResult(findings=findings, credited_total=total, age_unknown=age_unknown)
