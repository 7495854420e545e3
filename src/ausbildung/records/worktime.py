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
- `check_week(days, facts) -> WeekResult`: findings and the week's credited total (and the credited time per
  day, `WeekResult.credited`). A `Finding` with `notice=True` is no breach but says that a check could not be
  made (exactly): unknown age, unknown agreed weekly time.
- `impossible_input(day) -> str | None`: a German error for input that cannot be true.
- Helpers: `daily_from_weekly(weekly_hours)` (the average daily time of a five-day week, `weekly / 5`),
  `working_day_before(exam, …)` (the working day immediately before the written final exam).

What is checked (the law texts are in `data/gesetze/gesetze/`: jarbschg.md, bbig_2005.md, arbzg.md):

- Credited time (Anrechnung), for every apprentice (BBiG § 15 Abs. 2) and for minors (JArbSchG § 9 Abs. 2,
  § 10 Abs. 2): a vocational-school day with more than five lessons of at least 45 minutes counts, once a week,
  with the average daily working time (the first such day of the week; further ones with their recorded
  time); a block week (planned block teaching of at least 25 hours on at least five days, ticked on the week
  page) counts with the average weekly working time for its school days; any other school day with the lesson
  time including breaks, which is the recorded time. An exam day counts with the time of participation
  including breaks (BBiG § 15 Abs. 2 Nr. 4, JArbSchG § 10 Abs. 2 Nr. 1), which is the recorded time. The free
  working day before the written final exam counts with the average daily time (BBiG § 15 Abs. 2 Nr. 5,
  JArbSchG § 10 Abs. 2 Nr. 2). For minors a public holiday on a working day (Monday to Friday) counts with the
  average daily time (JArbSchG § 4 Abs. 4 Satz 2). The average daily time is `facts.agreed_daily_hours` (the
  contract's weekly hours / 5, a five-day week Monday to Friday); when it is unknown, the recorded hours are
  used and a notice (`Finding.notice`) says that the credit could not be computed exactly.
- Minors (JArbSchG § 2 Abs. 2, age on the day): 8 hours a day (§ 8 Abs. 1), 8.5 hours when another working day
  of the same week (Monday to Saturday) is shorter than 8 hours (§ 8 Abs. 2a; days of 0 hours do not count as
  shortened), 40 hours a week (§ 8 Abs. 1) counting credited time; a collective agreement may allow up to
  9 hours a day and 44 a week (§ 21a Abs. 1 Nr. 1), so findings up to those figures are `certain=False`.
  The weekly rules (§§ 8, 15) apply to a week in which the apprentice is a minor on any day (the 18th
  birthday within the week: the whole week).
  Five-day week (§ 15; six days `certain=False`: § 21a allows five and a half days), Saturday rest (§ 16,
  except external training, § 16 Abs. 2 Nr. 8), Sunday rest (§ 17), public-holiday rest (§ 18): the sector
  exceptions of § 16 Abs. 2, § 17 Abs. 2 and § 18 Abs. 2 cannot be known, so those findings are
  `certain=False` and the message names the exception (§ 18 on 25 December, 1 January and 1 May: certain).
  Attending vocational school is not counted as employment on a Saturday, Sunday or holiday.
- Block week: more than two hours of in-company training besides it (JArbSchG § 9 Abs. 1 Satz 2 Nr. 3,
  BBiG § 15 Abs. 1 Satz 3).
- The working day immediately before the written final exam is free (BBiG § 15 Abs. 1 Satz 2 Nr. 5,
  JArbSchG § 10 Abs. 1 Nr. 2): company or external work recorded on it is a finding. A Saturday is that day
  only when work was recorded on it; Sundays and the public holidays in `facts.holidays` are skipped.
- Adults: ArbZG § 3 (more than 10 hours a day is a finding; 8 to 10 hours are lawful when the six-month average
  stays at 8, which one week cannot show: not a finding), ArbZG § 9 (Sunday and public-holiday rest; the
  exceptions of § 10 cannot be known: `certain=False`). ArbZG applies to adults only (ArbZG § 18 Abs. 2).
- Unknown birth date: `WeekResult.age_unknown` and a notice; the minors' rules are not checked (never assumed
  "adult"), the adults' limits (ArbZG §§ 3, 9) are, since those hold for minors a fortiori.

Not claimed: rest breaks (JArbSchG § 11, ArbZG § 4), daily rest (JArbSchG § 13: 12 hours, ArbZG § 5: 11 hours),
shift time (JArbSchG § 12), night rest (JArbSchG § 14), no work before lessons starting before 9 (BBiG § 15
Abs. 1 Satz 1) and the 24/31 December after 14 o'clock (JArbSchG § 18 Abs. 1): they need start and end times,
and the record holds only hours per day. Neither are emergencies (JArbSchG § 21, ArbZG § 14), deviations by
collective agreement under ArbZG § 7, or the averaging over weeks of JArbSchG § 8 Abs. 2.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

# The places of a RecordDay (records.models.RecordDay.Place values), repeated here to keep this module pure.
COMPANY, SCHOOL, EXTERNAL, EXAM = "company", "school", "external", "exam"
LEAVE, SICK, HOLIDAY, FREE = "leave", "sick", "holiday", "free"
WORKING = frozenset({COMPANY, SCHOOL, EXTERNAL})
# Employment by the company (a school day is not employment on a Saturday, Sunday or holiday).
EMPLOYED = frozenset({COMPANY, EXTERNAL})
# Days whose time is working time for the daily limits (work, school, exam).
CREDITED = WORKING | {EXAM}
SATURDAY, SUNDAY = 5, 6

MAX_HOURS_PER_DAY = Decimal(24)
ZERO = Decimal(0)
# JArbSchG § 8 Abs. 1: minors work at most 8 hours a day and 40 hours a week; § 8 Abs. 2a: 8.5 hours on the
# other working days of a week in which some working days are shorter than 8 hours.
MINOR_DAY = Decimal(8)
MINOR_DAY_EXTENDED = Decimal("8.5")
MINOR_WEEK = Decimal(40)
# JArbSchG § 21a Abs. 1 Nr. 1: a collective agreement may allow up to 9 hours a day, 44 a week, five and a half
# days a week.
AGREEMENT_DAY = Decimal(9)
AGREEMENT_WEEK = Decimal(44)
# JArbSchG § 15: five days a week.
MINOR_DAYS_A_WEEK = 5
# JArbSchG § 9 Abs. 1 Satz 2 Nr. 2, BBiG § 15 Abs. 1 Satz 2 Nr. 2: more than five lessons of at least 45 minutes.
LONG_SCHOOL_DAY_LESSONS = 5
# JArbSchG § 9 Abs. 1 Satz 2 Nr. 3, BBiG § 15 Abs. 1 Satz 3: up to two hours a week of in-company training
# besides a block week.
BLOCK_WEEK_COMPANY = Decimal(2)
# ArbZG § 3: at most 8 hours a working day for adults, up to 10 if the average over six months stays at 8.
ADULT_DAY = Decimal(8)
ADULT_DAY_EXTENDED = Decimal(10)
# The average daily time of the contract's weekly time: a five-day week (Monday to Friday).
DAYS_A_WEEK = 5
# JArbSchG § 18 Abs. 2: no exception on 25 December, 1 January and 1 May (Easter Sunday is a Sunday: § 17).
NO_EXCEPTION_HOLIDAYS = frozenset({(12, 25), (1, 1), (5, 1)})


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
    # Public holidays (date → name) of the week; to find the working day before a written exam early in the
    # next week, also those up to the exam.
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
    exception the paragraph allows (e.g. a sector exception): the message says so instead of asserting.
    `notice` is True for a statement that a check could not be made (exactly), not a breach."""

    rule: str  # stable code, e.g. "jarbschg-8-1-week"
    paragraph: str  # e.g. "JArbSchG § 8 Abs. 1"
    message: str  # German (translated) sentence naming the rule and the numbers
    day: datetime.date | None = None  # None: the finding concerns the whole week
    hours: Decimal | None = None  # the recorded (or credited) figure
    limit: Decimal | None = None  # the legal figure
    certain: bool = True
    notice: bool = False


@dataclass(frozen=True)
class WeekResult:
    findings: list[Finding]
    # The week's working time with school and exam days credited as the law says (BBiG § 15 Abs. 2).
    credited_total: Decimal
    # True when the age of the apprentice is not known for some day: the minors' rules could not be checked.
    age_unknown: bool = False
    # The credited time per day (what the daily limits were checked against; block-week school days hold their
    # recorded time, the block credit is in `credited_total`).
    credited: Mapping[datetime.date, Decimal] = field(default_factory=dict)


def _hours(value: Decimal) -> str:
    """German number for a message: 8,5 / 40 / 7,75."""
    return f"{value.quantize(Decimal('0.01')).normalize():f}".replace(".", ",")


def daily_from_weekly(weekly_hours: Decimal | None) -> Decimal | None:
    """The average daily working time of the contract's agreed weekly time (BBiG § 11 Abs. 1 Satz 2 Nr. 4),
    over a five-day week: `weekly / 5`. None when the weekly time is not known."""
    if weekly_hours is None or weekly_hours <= 0:
        return None
    return weekly_hours / DAYS_A_WEEK


def impossible_input(day: WorkDay) -> str | None:
    """Input that cannot be true is an error, not a finding: negative hours, more than 24 hours a day."""
    if day.hours is not None and (day.hours < 0 or day.hours > MAX_HOURS_PER_DAY):
        return _("Hours must lie between 0 and 24.")
    return None


def working_day_before(
    exam: datetime.date, holidays: Collection[datetime.date], worked: Collection[datetime.date]
) -> datetime.date:
    """The working day immediately before the written final exam (BBiG § 15 Abs. 1 Satz 2 Nr. 5, JArbSchG § 10
    Abs. 1 Nr. 2): the day before it that is not a Sunday or public holiday, a Saturday only if work was
    recorded on it (`worked`)."""
    day = exam - datetime.timedelta(days=1)
    while day.weekday() == SUNDAY or day in holidays or (day.weekday() == SATURDAY and day not in worked):
        day -= datetime.timedelta(days=1)
    return day


def _is_employed(day: WorkDay, places: frozenset[str] = EMPLOYED) -> bool:
    return day.place in places and (day.hours is None or day.hours > 0)


# --- credited time ---------------------------------------------------------------------------------------


@dataclass
class _Credit:
    per_day: dict[datetime.date, Decimal]
    total: Decimal
    holiday_hours: Decimal
    notices: list[Finding]


def _credit(days: list[WorkDay], facts: WeekFacts, ages: Mapping[datetime.date, bool | None]) -> _Credit:
    average = facts.agreed_daily_hours
    per_day: dict[datetime.date, Decimal] = {}
    notices: list[Finding] = []
    holiday_hours = ZERO
    worked = {d.date for d in days if _is_employed(d, WORKING)}
    exam_eve = working_day_before(facts.written_exam, facts.holidays, worked) if facts.written_exam else None
    long_day_done = False
    for day in days:
        recorded = day.hours if day.hours is not None else ZERO
        minor = bool(ages.get(day.date))
        if day.place == SCHOOL and (day.lessons or 0) > LONG_SCHOOL_DAY_LESSONS and not long_day_done:
            # BBiG § 15 Abs. 2 Nr. 2, JArbSchG § 9 Abs. 2 Nr. 1: once a week with the average daily time.
            long_day_done = True
            paragraph = "JArbSchG § 9 Abs. 2 Nr. 1" if minor else "BBiG § 15 Abs. 2 Nr. 2"
            if average is not None:
                per_day[day.date] = average
            else:
                per_day[day.date] = recorded
                notices.append(
                    _notice(
                        "credit-school-day",
                        paragraph,
                        _(
                            "A school day with more than five lessons counts with the average daily working "
                            "time (%(paragraph)s); the contract states no agreed weekly training time, so the "
                            "recorded %(hours)s hours are counted."
                        )
                        % {"paragraph": paragraph, "hours": _hours(recorded)},
                        day.date,
                    )
                )
        elif day.place in CREDITED:
            # Lesson time including breaks (BBiG § 15 Abs. 2 Nr. 1, JArbSchG § 9 Abs. 2 Nr. 3), exam time
            # including breaks (BBiG § 15 Abs. 2 Nr. 4, JArbSchG § 10 Abs. 2 Nr. 1), work: as recorded.
            per_day[day.date] = recorded
        elif day.date == exam_eve and day.place == FREE:
            paragraph = "JArbSchG § 10 Abs. 2 Nr. 2" if minor else "BBiG § 15 Abs. 2 Nr. 5"
            if average is not None:
                per_day[day.date] = average
            else:
                notices.append(
                    _notice(
                        "credit-exam-eve",
                        paragraph,
                        _(
                            "The free day before the written final exam counts with the average daily working "
                            "time (%(paragraph)s); the contract states no agreed weekly training time, so it "
                            "could not be counted."
                        )
                        % {"paragraph": paragraph},
                        day.date,
                    )
                )
        elif (
            minor
            and (day.date in facts.holidays or day.place == HOLIDAY)
            and day.date.weekday() < DAYS_A_WEEK
        ):
            # JArbSchG § 4 Abs. 4 Satz 2: the time lost to a public holiday on a working day counts.
            if average is not None:
                per_day[day.date] = average
                holiday_hours += average
            else:
                notices.append(
                    _notice(
                        "credit-holiday",
                        "JArbSchG § 4 Abs. 4 Satz 2",
                        _(
                            "The working time lost to a public holiday counts towards the week (JArbSchG § 4 "
                            "Abs. 4 Satz 2); the contract states no agreed weekly training time, so it could "
                            "not be counted."
                        ),
                        day.date,
                    )
                )
    total = sum(per_day.values(), ZERO)
    school = [d for d in days if d.place == SCHOOL]
    if facts.block_week and school:
        # BBiG § 15 Abs. 2 Nr. 3, JArbSchG § 9 Abs. 2 Nr. 2: a block week counts with the average weekly time.
        minor = any(ages.get(d.date) for d in school)
        paragraph = "JArbSchG § 9 Abs. 2 Nr. 2" if minor else "BBiG § 15 Abs. 2 Nr. 3"
        school_recorded = sum((per_day.get(d.date, ZERO) for d in school), ZERO)
        if average is not None:
            total = total - school_recorded + average * DAYS_A_WEEK
        else:
            notices.append(
                _notice(
                    "credit-block-week",
                    paragraph,
                    _(
                        "A block week counts with the average weekly working time (%(paragraph)s); the contract "
                        "states no agreed weekly training time, so the recorded %(hours)s hours of school are "
                        "counted."
                    )
                    % {"paragraph": paragraph, "hours": _hours(school_recorded)},
                    None,
                )
            )
    return _Credit(per_day=per_day, total=total, holiday_hours=holiday_hours, notices=notices)


def _notice(rule: str, paragraph: str, message: str, day: datetime.date | None) -> Finding:
    return Finding(rule=rule, paragraph=paragraph, message=message, day=day, notice=True)


# --- the rules -------------------------------------------------------------------------------------------


def _agreement_note(limit: Decimal) -> str:
    return _("A collective agreement may allow up to %(limit)s (JArbSchG § 21a Abs. 1 Nr. 1).") % {
        "limit": _hours(limit)
    }


def jarbschg_8_day(days: list[WorkDay], credited: Mapping[datetime.date, Decimal]) -> list[Finding]:
    """JArbSchG § 8 Abs. 1: at most 8 hours a day; § 8 Abs. 2a: 8.5 hours on the other working days (Monday to
    Saturday) of a week in which single working days are shorter than 8 hours. `days`: the minor's days."""
    findings = []
    working = [d for d in days if d.place in CREDITED and d.date in credited]
    for day in working:
        hours = credited[day.date]
        shorter_day = day.date.weekday() != SUNDAY and any(
            ZERO < credited[other.date] < MINOR_DAY
            for other in working
            if other.date != day.date and other.date.weekday() != SUNDAY
        )
        limit = MINOR_DAY_EXTENDED if shorter_day else MINOR_DAY
        if hours <= limit:
            continue
        paragraph = "JArbSchG § 8 Abs. 2a" if shorter_day else "JArbSchG § 8 Abs. 1"
        message = _("%(hours)s hours on this day; for minors at most %(limit)s (%(paragraph)s).") % {
            "hours": _hours(hours),
            "limit": _hours(limit),
            "paragraph": paragraph,
        }
        certain = hours > AGREEMENT_DAY
        if not certain:
            message = f"{message} {_agreement_note(AGREEMENT_DAY)}"
        findings.append(
            Finding(
                rule="jarbschg-8-day",
                paragraph=paragraph,
                message=message,
                day=day.date,
                hours=hours,
                limit=limit,
                certain=certain,
            )
        )
    return findings


def jarbschg_8_1_week(total: Decimal, holiday_hours: Decimal) -> list[Finding]:
    """JArbSchG § 8 Abs. 1: at most 40 hours a week, counting credited school and exam time (§§ 9, 10) and the
    time lost to public holidays on working days (§ 4 Abs. 4 Satz 2)."""
    if total <= MINOR_WEEK:
        return []
    if holiday_hours:
        message = _(
            "%(hours)s hours in this week, %(holiday)s of them for public holidays (JArbSchG § 4 Abs. 4 Satz 2); "
            "for minors at most %(limit)s (JArbSchG § 8 Abs. 1)."
        ) % {"hours": _hours(total), "holiday": _hours(holiday_hours), "limit": _hours(MINOR_WEEK)}
    else:
        message = _("%(hours)s hours in this week; for minors at most %(limit)s (JArbSchG § 8 Abs. 1).") % {
            "hours": _hours(total),
            "limit": _hours(MINOR_WEEK),
        }
    certain = total > AGREEMENT_WEEK
    if not certain:
        message = f"{message} {_agreement_note(AGREEMENT_WEEK)}"
    return [
        Finding(
            rule="jarbschg-8-1-week",
            paragraph="JArbSchG § 8 Abs. 1",
            message=message,
            hours=total,
            limit=MINOR_WEEK,
            certain=certain,
        )
    ]


def jarbschg_15(days: list[WorkDay]) -> list[Finding]:
    """JArbSchG § 15: minors are employed on five days a week at most (school days count as working days,
    § 16 Abs. 3). Six days: a collective agreement may allow five and a half (§ 21a Abs. 1 Nr. 1)."""
    count = sum(1 for d in days if _is_employed(d, WORKING))
    if count <= MINOR_DAYS_A_WEEK:
        return []
    message = _("Work on %(days)s days in this week; minors on five days at most (JArbSchG § 15).") % {
        "days": count
    }
    certain = count > MINOR_DAYS_A_WEEK + 1
    if not certain:
        note = _("A collective agreement may allow five and a half days (JArbSchG § 21a Abs. 1 Nr. 1).")
        message = f"{message} {note}"
    return [
        Finding(
            rule="jarbschg-15",
            paragraph="JArbSchG § 15",
            message=message,
            hours=Decimal(count),
            limit=Decimal(MINOR_DAYS_A_WEEK),
            certain=certain,
        )
    ]


def jarbschg_16(days: list[WorkDay]) -> list[Finding]:
    """JArbSchG § 16 Abs. 1: no work on Saturdays; the exceptions of § 16 Abs. 2 (sectors) cannot be known,
    except Nr. 8, external training (außerbetriebliche Ausbildungsmaßnahmen), which is not a finding."""
    return [
        Finding(
            rule="jarbschg-16",
            paragraph="JArbSchG § 16 Abs. 1",
            message=_(
                "Work on a Saturday: minors may not be employed on Saturdays (JArbSchG § 16 Abs. 1) unless an "
                "exception of § 16 Abs. 2 applies (e.g. hospitals and care homes, shops, bakeries, hairdressers, "
                "transport, agriculture, hospitality, motor-vehicle repair)."
            ),
            day=d.date,
            hours=d.hours,
            certain=False,
        )
        for d in days
        if d.date.weekday() == SATURDAY and _is_employed(d, frozenset({COMPANY}))
    ]


def jarbschg_17(days: list[WorkDay]) -> list[Finding]:
    """JArbSchG § 17 Abs. 1: no work on Sundays; the exceptions of § 17 Abs. 2 cannot be known."""
    return [
        Finding(
            rule="jarbschg-17",
            paragraph="JArbSchG § 17 Abs. 1",
            message=_(
                "Work on a Sunday: minors may not be employed on Sundays (JArbSchG § 17 Abs. 1) unless an "
                "exception of § 17 Abs. 2 applies (e.g. hospitals and care homes, agriculture, performances, "
                "sport, medical emergency service, hospitality)."
            ),
            day=d.date,
            hours=d.hours,
            certain=False,
        )
        for d in days
        if d.date.weekday() == SUNDAY and _is_employed(d)
    ]


def jarbschg_18(days: list[WorkDay], holidays: Mapping[datetime.date, str]) -> list[Finding]:
    """JArbSchG § 18 Abs. 1: no work on public holidays; § 18 Abs. 2 allows the cases of § 17 Abs. 2 except on
    25 December, 1 January, Easter Sunday and 1 May (those are certain)."""
    findings = []
    for d in days:
        if d.date not in holidays or not _is_employed(d):
            continue
        certain = (d.date.month, d.date.day) in NO_EXCEPTION_HOLIDAYS
        if certain:
            message = _(
                "Work on a public holiday (%(holiday)s): minors may not be employed on it (JArbSchG § 18 Abs. 1 "
                "and 2)."
            ) % {"holiday": holidays[d.date]}
        else:
            message = _(
                "Work on a public holiday (%(holiday)s): minors may not be employed on public holidays (JArbSchG "
                "§ 18 Abs. 1) unless an exception of § 17 Abs. 2 applies (§ 18 Abs. 2)."
            ) % {"holiday": holidays[d.date]}
        findings.append(
            Finding(
                rule="jarbschg-18",
                paragraph="JArbSchG § 18 Abs. 1",
                message=message,
                day=d.date,
                hours=d.hours,
                certain=certain,
            )
        )
    return findings


def block_week_company(days: list[WorkDay], minor: bool) -> list[Finding]:
    """JArbSchG § 9 Abs. 1 Satz 2 Nr. 3 (minors), BBiG § 15 Abs. 1 Satz 3: besides a block week at most two
    hours a week of in-company training."""
    hours = sum((d.hours for d in days if d.place in EMPLOYED and d.hours is not None), ZERO)
    if hours <= BLOCK_WEEK_COMPANY:
        return []
    paragraph = "JArbSchG § 9 Abs. 1 Satz 2 Nr. 3" if minor else "BBiG § 15 Abs. 1 Satz 3"
    return [
        Finding(
            rule="block-week-company",
            paragraph=paragraph,
            message=_(
                "%(hours)s hours in the company in a block week; besides block teaching at most %(limit)s hours "
                "a week (%(paragraph)s)."
            )
            % {"hours": _hours(hours), "limit": _hours(BLOCK_WEEK_COMPANY), "paragraph": paragraph},
            hours=hours,
            limit=BLOCK_WEEK_COMPANY,
        )
    ]


def exam_eve(
    days: list[WorkDay], written_exam: datetime.date, holidays: Collection[datetime.date], ages
) -> list[Finding]:
    """BBiG § 15 Abs. 1 Satz 2 Nr. 5, JArbSchG § 10 Abs. 1 Nr. 2: the working day immediately before the
    written final exam is free; company or external work recorded on it is a finding."""
    worked = {d.date for d in days if _is_employed(d, WORKING)}
    eve = working_day_before(written_exam, holidays, worked)
    findings = []
    for d in days:
        if d.date != eve or not _is_employed(d):
            continue
        paragraph = "JArbSchG § 10 Abs. 1 Nr. 2" if ages.get(d.date) else "BBiG § 15 Abs. 1 Satz 2 Nr. 5"
        findings.append(
            Finding(
                rule="exam-eve",
                paragraph=paragraph,
                message=_(
                    "Work on the working day before the written final exam (%(exam)s); this day is free "
                    "(%(paragraph)s)."
                )
                % {"exam": written_exam.strftime("%d.%m.%Y"), "paragraph": paragraph},
                day=d.date,
                hours=d.hours,
            )
        )
    return findings


def arbzg_3(days: list[WorkDay], credited: Mapping[datetime.date, Decimal]) -> list[Finding]:
    """ArbZG § 3: at most 8 hours a working day, up to 10 when the average over six months stays at 8 (one week
    cannot show that average, so 8 to 10 hours are not a finding); more than 10 hours are."""
    findings = []
    for day in days:
        hours = credited.get(day.date)
        if day.place not in CREDITED or hours is None or hours <= ADULT_DAY_EXTENDED:
            continue
        findings.append(
            Finding(
                rule="arbzg-3",
                paragraph="ArbZG § 3",
                message=_("%(hours)s hours on this day; at most %(limit)s (ArbZG § 3).")
                % {"hours": _hours(hours), "limit": _hours(ADULT_DAY_EXTENDED)},
                day=day.date,
                hours=hours,
                limit=ADULT_DAY_EXTENDED,
            )
        )
    return findings


def arbzg_9(days: list[WorkDay], holidays: Mapping[datetime.date, str]) -> list[Finding]:
    """ArbZG § 9 Abs. 1: no work on Sundays and public holidays; the exceptions of § 10 cannot be known."""
    return [
        Finding(
            rule="arbzg-9",
            paragraph="ArbZG § 9 Abs. 1",
            message=_(
                "Work on a Sunday or public holiday: not allowed (ArbZG § 9 Abs. 1) unless an exception of "
                "ArbZG § 10 applies (e.g. emergency services, hospitals, hospitality, transport, agriculture)."
            ),
            day=d.date,
            hours=d.hours,
            certain=False,
        )
        for d in days
        if (d.date.weekday() == SUNDAY or d.date in holidays) and _is_employed(d)
    ]


def check_week(days: list[WorkDay], facts: WeekFacts) -> WeekResult:
    """The findings of one calendar week (Monday to Sunday). `days` may hold days of one week only."""
    days = sorted(days, key=lambda d: d.date)
    ages = {d.date: facts.minor_on(d.date) for d in days}
    age_unknown = any(value is None for value in ages.values())
    credit = _credit(days, facts, ages)
    findings: list[Finding] = []
    minors = [d for d in days if ages[d.date]]
    adults = [d for d in days if not ages[d.date]]  # False, and None: ArbZG's limits hold a fortiori
    if minors:
        findings += jarbschg_8_day(minors, credit.per_day)
        findings += jarbschg_8_1_week(credit.total, credit.holiday_hours)
        findings += jarbschg_15(days)
        findings += jarbschg_16(minors)
        findings += jarbschg_17(minors)
        findings += jarbschg_18(minors, facts.holidays)
    findings += arbzg_3(adults, credit.per_day)
    findings += arbzg_9(adults, facts.holidays)
    if facts.block_week:
        findings += block_week_company(days, minor=bool(minors))
    if facts.written_exam is not None:
        findings += exam_eve(days, facts.written_exam, facts.holidays, ages)
    if age_unknown:
        findings.append(
            _notice(
                "age-unknown",
                "JArbSchG § 2 Abs. 2",
                _(
                    "The birth date of the apprentice is not known: the rules for minors (JArbSchG) could not be "
                    "checked, only the limits for adults (ArbZG)."
                ),
                None,
            )
        )
    findings += credit.notices
    return WeekResult(
        findings=findings, credited_total=credit.total, age_unknown=age_unknown, credited=credit.per_day
    )
