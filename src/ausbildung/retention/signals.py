"""The signals of dropout prevention and their weighting (issue #20): facts of one contract in, points out.

Pure: no Django, nothing of ausbildung (checked by import-linter), so that the weighting can be read, tested
and scored for a million contracts alike. Each signal is a rule with a name, the facts it reads, its points and
a sentence in German; the score is the sum of the points, every point traceable to one signal. The weighting
and the studies it rests on are in docs/domain.md ("Dropout prevention: signals and weighting").

No automated decision (DSGVO Art. 22): the score only orders contracts for a conversation ("Gesprächsbedarf"),
it never triggers anything against the apprentice, and the wording is supportive, never a verdict.

Who sees which signal:
- COMPANY and SCHOOL signals are facts the training company or the vocational school gave or caused; the
  company's training lead and the chamber (aggregated, or individually with consent) see them.
- APPRENTICE signals (the private check-in answers) are shown to the apprentice only. Others learn only that a
  talk is wanted, when the apprentice says so (`talk_wanted`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from enum import StrEnum


class Side(StrEnum):
    """Whose doing or whose sphere a signal belongs to (both count alike: company-side signals are no less
    important than the apprentice's)."""

    APPRENTICE = "apprentice"
    COMPANY = "company"
    SCHOOL = "school"
    CONTRACT = "contract"


class Audience(StrEnum):
    """Who may see a signal: everybody who sees the contract's score, or the apprentice alone."""

    SHARED = "shared"
    APPRENTICE_ONLY = "apprentice_only"


@dataclass(frozen=True)
class ContractFacts:
    """What the platform knows about one active contract on `today` (filled by retention.selectors)."""

    today: datetime.date
    start: datetime.date
    probation_end: datetime.date
    # the record book (records.selectors.retention_record_facts)
    missing_weeks: int = 0  # past weeks without any entry
    late_weeks: int = 0  # weeks of the last 13 handed in more than 14 days after their end
    returned_repeatedly: int = 0  # periods of the last 26 weeks returned by the trainer twice or more
    reviews_overdue: int = 0  # handed-in periods waiting longer than the chamber's review interval
    findings: int = 0  # working-time findings (JArbSchG/ArbZG/BBiG) of the last 13 weeks
    sick_days: int = 0  # days recorded as sick in the last 13 weeks
    # the vocational school (retention.SchoolNote)
    school_absence_days: int = 0  # days absent from school reported in the last 13 weeks
    school_concern: bool = False  # a teacher's open "concern" flag
    # the company
    site_dissolutions: int = 0  # other contracts of the same training site dissolved in the last 24 months
    # the apprentice's own check-in (private) and wish for a talk
    talk_wanted: bool = False
    checkin_mood_low: bool = False  # "Wie läuft es?" answered 1 or 2 of 5
    checkin_conflicts: bool = False  # conflicts in the company reported
    checkin_instruction_low: bool = False  # "Wird dir genug erklärt?" answered 1 or 2 of 5
    checkin_overtime: bool = False  # regular overtime reported
    checkin_quitting: bool = False  # thinks of quitting sometimes or often
    # context: the published dissolution rate of the contract's Zuständigkeitsbereich, when one is shipped
    area_rate: float | None = None  # percent
    area_rate_label: str = ""  # e.g. "Handwerk 2023: 36,5 % (Destatis via BIAJ)"


@dataclass(frozen=True)
class Signal:
    """One reason for a talk, with its points and its sentence (German; the sentence is what people read)."""

    key: str
    points: int
    text: str
    side: Side
    audience: Audience = Audience.SHARED
    source: str = ""  # where the fact comes from, and the paragraph where the law is involved


@dataclass(frozen=True)
class Score:
    signals: tuple[Signal, ...] = field(default_factory=tuple)

    @property
    def points(self) -> int:
        return sum(signal.points for signal in self.signals)

    @property
    def level(self) -> str:
        return level_of(self.points)

    def shared(self) -> Score:
        """The part others may see: without the apprentice's private check-in answers."""
        return Score(tuple(s for s in self.signals if s.audience is Audience.SHARED))


# The levels, by points (docs/domain.md): the words are supportive; nothing happens automatically.
LEVEL_NONE = "none"  # kein Hinweis
LEVEL_WATCH = "watch"  # im Blick behalten
LEVEL_TALK = "talk"  # Gesprächsbedarf
WATCH_FROM = 3
TALK_FROM = 6

# Weights (points) of each signal, in one place (docs/domain.md explains each).
MISSING_WEEK = 1  # per week, at most MISSING_CAP
MISSING_CAP = 4
LATE_CAP = 2  # one point per late week, at most 2
RETURNED_REPEATEDLY = 1  # per period returned twice or more, at most 2
RETURNED_CAP = 2
REVIEW_OVERDUE_CAP = 2  # one point per overdue review, at most 2
FINDING_CAP = 3  # one point per working-time finding, at most 3
SICK_FROM_DAYS = 10  # 10 or more sick days in 13 weeks
SICK_POINTS = 2
ABSENCE_FROM_DAYS = 5  # 5 or more days absent from school in 13 weeks
ABSENCE_POINTS = 2
SCHOOL_CONCERN = 3
SITE_DISSOLUTIONS_FROM = 2  # 2 or more other contracts of the site dissolved in 24 months
SITE_DISSOLUTIONS_POINTS = 2
PROBATION_SOON_DAYS = 30  # the probation period ends within 30 days
PROBATION_POINTS = 2
FIRST_WEEKS = 2  # in probation and beyond the last 30 days of it (the first months)
TALK_WANTED = 4
CHECKIN_POINTS = 2  # each worrying check-in answer (apprentice only)
AREA_RATE_FROM = 30.0  # a published dissolution rate of 30 % or more in the contract's area
AREA_RATE_POINTS = 1


def level_of(points: int) -> str:
    if points >= TALK_FROM:
        return LEVEL_TALK
    if points >= WATCH_FROM:
        return LEVEL_WATCH
    return LEVEL_NONE


def _weeks(n: int) -> str:
    return "1 Woche" if n == 1 else f"{n} Wochen"


def _days(n: int) -> str:
    return "1 Tag" if n == 1 else f"{n} Tagen"


def score(facts: ContractFacts) -> Score:
    """Every signal that applies to the contract, in the order of the sides (record book, company, school,
    contract, apprentice)."""
    found: list[Signal] = []
    add = found.append
    # record book (BBiG § 13 Satz 2 Nr. 7: the apprentice keeps it; § 14 Abs. 2: the company reviews it)
    if facts.missing_weeks > 0:
        add(
            Signal(
                "missing_weeks",
                min(facts.missing_weeks * MISSING_WEEK, MISSING_CAP),
                f"{_weeks(facts.missing_weeks)} ohne Ausbildungsnachweis",
                Side.APPRENTICE,
                source="Ausbildungsnachweis (BBiG § 13 Satz 2 Nr. 7)",
            )
        )
    if facts.late_weeks > 0:
        add(
            Signal(
                "late_weeks",
                min(facts.late_weeks, LATE_CAP),
                f"{_weeks(facts.late_weeks)} mehr als 14 Tage nach Wochenende eingereicht (letzte 13 Wochen)",
                Side.APPRENTICE,
                source="Ausbildungsnachweis (BBiG § 13 Satz 2 Nr. 7)",
            )
        )
    if facts.returned_repeatedly > 0:
        add(
            Signal(
                "returned_repeatedly",
                min(facts.returned_repeatedly * RETURNED_REPEATEDLY, RETURNED_CAP),
                f"{_weeks(facts.returned_repeatedly)} mehrfach zur Überarbeitung zurückgegeben (letzte 26 Wochen)",
                Side.APPRENTICE,
                source="Ausbildungsnachweis, Rückgabe durch die Ausbilderin oder den Ausbilder",
            )
        )
    if facts.reviews_overdue > 0:
        add(
            Signal(
                "reviews_overdue",
                min(facts.reviews_overdue, REVIEW_OVERDUE_CAP),
                f"{_weeks(facts.reviews_overdue)} wartet länger als vereinbart auf die Durchsicht im Betrieb",
                Side.COMPANY,
                source="regelmäßige Durchsicht des Ausbildungsnachweises (BBiG § 14 Abs. 2)",
            )
        )
    if facts.findings > 0:
        add(
            Signal(
                "findings",
                min(facts.findings, FINDING_CAP),
                f"{facts.findings} Hinweis{'e' if facts.findings != 1 else ''} zur Arbeitszeit (letzte 13 Wochen)",
                Side.COMPANY,
                source="Arbeitszeitprüfung des Ausbildungsnachweises (JArbSchG §§ 8–16, ArbZG § 3, BBiG § 15)",
            )
        )
    if facts.site_dissolutions >= SITE_DISSOLUTIONS_FROM:
        add(
            Signal(
                "site_dissolutions",
                SITE_DISSOLUTIONS_POINTS,
                f"An dieser Ausbildungsstätte wurden {facts.site_dissolutions} weitere Verträge in 24 Monaten "
                "gelöst",
                Side.COMPANY,
                source="Vertragslösungen der Ausbildungsstätte (BBiG § 22)",
            )
        )
    if facts.sick_days >= SICK_FROM_DAYS:
        add(
            Signal(
                "sick_days",
                SICK_POINTS,
                f"{_days(facts.sick_days).replace('Tagen', 'Tage')} krank in den letzten 13 Wochen",
                Side.APPRENTICE,
                source="Ausbildungsnachweis (als krank eingetragene Tage)",
            )
        )
    # vocational school
    if facts.school_absence_days >= ABSENCE_FROM_DAYS:
        add(
            Signal(
                "school_absence",
                ABSENCE_POINTS,
                f"{facts.school_absence_days} Fehltage in der Berufsschule (letzte 13 Wochen)",
                Side.SCHOOL,
                source="Meldung der Berufsschule",
            )
        )
    if facts.school_concern:
        add(
            Signal(
                "school_concern",
                SCHOOL_CONCERN,
                "Die Berufsschule sieht Gesprächsbedarf",
                Side.SCHOOL,
                source="Meldung der Berufsschule",
            )
        )
    # the contract's time: the probation period (BBiG § 20), in which a third of the dissolutions fall
    days_left = (facts.probation_end - facts.today).days
    if 0 <= days_left <= PROBATION_SOON_DAYS:
        add(
            Signal(
                "probation_soon",
                PROBATION_POINTS,
                "Probezeit endet heute" if days_left == 0 else f"Probezeit endet in {_days(days_left)}",
                Side.CONTRACT,
                source="Probezeit (BBiG § 20): bis zu ihrem Ende kann jede Seite ohne Frist kündigen (§ 22 Abs. 1)",
            )
        )
    elif days_left > PROBATION_SOON_DAYS and facts.today >= facts.start:
        add(
            Signal(
                "in_probation",
                FIRST_WEEKS,
                "In der Probezeit",
                Side.CONTRACT,
                source="Probezeit (BBiG § 20)",
            )
        )
    if facts.area_rate is not None and facts.area_rate >= AREA_RATE_FROM:
        add(
            Signal(
                "area_rate",
                AREA_RATE_POINTS,
                f"Im Zuständigkeitsbereich werden viele Verträge gelöst ({facts.area_rate_label})",
                Side.CONTRACT,
                source=facts.area_rate_label,
            )
        )
    # the apprentice: a wish for a talk is shared; the answers themselves stay private
    if facts.talk_wanted:
        add(
            Signal(
                "talk_wanted",
                TALK_WANTED,
                "Gesprächswunsch der oder des Auszubildenden",
                Side.APPRENTICE,
                source="eigener Wunsch",
            )
        )
    private = [
        (facts.checkin_mood_low, "checkin_mood", "Im Check-in: es läuft gerade nicht gut"),
        (facts.checkin_conflicts, "checkin_conflicts", "Im Check-in: Konflikte im Betrieb"),
        (facts.checkin_instruction_low, "checkin_instruction", "Im Check-in: zu wenig erklärt"),
        (facts.checkin_overtime, "checkin_overtime", "Im Check-in: regelmäßig länger gearbeitet"),
        (facts.checkin_quitting, "checkin_quitting", "Im Check-in: Gedanken ans Aufhören"),
    ]
    for applies, key, text in private:
        if applies:
            add(
                Signal(
                    key,
                    CHECKIN_POINTS,
                    text,
                    Side.APPRENTICE,
                    audience=Audience.APPRENTICE_ONLY,
                    source="dein Check-in (nur du siehst die Antworten)",
                )
            )
    return Score(tuple(found))
