"""Key figures of a period for the dashboard and the progress report, counted by the database.

What "in the period" means (both ends included; an open end sets no bound):

- a partner or SME is *new* when it was added (its creation stamp) within the period;
- a scoping dialogue when it was held within it;
- a training session when its first day is within it and it was not cancelled; its
  participants are its registered or confirmed people (not waitlisted, not cancelled);
- a certificate when it was issued within it;
- a joint activity (and its outcomes) when its dates overlap the period: it starts on or
  before the period's end and has no end date or ends on or after the period's start. An
  activity without a start date meets no period that has an end.

Partners, SMEs, signed or active partnerships and overdue follow-up actions are counted as
they stand today, whatever the period. Tombstoned (deleted) records never count.

For one centre, a figure counts the records that centre owns; participants and follow-up
actions count with the session or dialogue they belong to.

The key figures are counted by the SQL of ``regional_centre.db.figures``; the charts are
built from the conditions of ``periods``.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import extract, func, select
from sqlalchemy.orm import Session

from regional_centre.db.figures import KEY_COUNTS, key_counts, row
from regional_centre.db.models import (
    Contact,
    JointActivity,
    Organisation,
    Outcome,
    Participation,
    TrainingSession,
)
from regional_centre.enums import (
    ActivityStatus,
    EngagementStage,
    Gender,
)
from regional_centre.services.context import ServiceContext
from regional_centre.services.periods import (
    Bounds,
    Period,
    bounds,
    held_sessions,
    live_partners,
    overlapping_activities,
    seated_participants,
)
from regional_centre.services.reference import ISIC, Code, ReferenceService

__all__ = ["OTHER", "KeyFigures", "Period", "QuarterFigures", "StatisticsService", "isic_section"]

# The key of the entry ``partners_by_sector`` folds the smaller sectors into.
OTHER = "other"


@dataclass(frozen=True)
class KeyFigures:
    """The dashboard's numbers for one period (see the module for what each counts)."""

    partners: int
    new_partners: int
    smes: int
    dialogues: int
    partnerships: int
    activities: int
    sessions: int
    participants: int
    certificates: int
    overdue_actions: int


@dataclass(frozen=True)
class QuarterFigures:
    """Training sessions that began in one quarter, and their participants."""

    year: int
    quarter: int
    sessions: int
    participants: int


def read_key_figures(
    session: Session, period: Period, centre: str | None = None, today: dt.date | None = None
) -> KeyFigures:
    """The key figures of ``period`` (of ``centre``'s records only, if given), in one query.

    Follow-up actions are overdue when open and due before ``today`` (the real today for None).
    """
    return KeyFigures(**read_key_counts(session, bounds(period, centre, today)))


def read_key_counts(
    session: Session, window: Bounds, names: Collection[str] | None = None
) -> dict[str, int]:
    """The key figures named ``names`` (every one for None) within ``window``, as ``read_key_figures`` counts them, in one query."""
    chosen = tuple(name for name in KEY_COUNTS if names is None or name in names)
    counts = row(session, key_counts(chosen), window)
    return {name: int(count or 0) for name, count in zip(chosen, counts, strict=True)}


def isic_section(codes: Mapping[str, Code], code: str | None) -> str | None:
    """The ISIC section (a letter) a code of the ISIC list ``codes`` belongs to; None when unknown."""
    entry = codes.get(code) if code else None
    while entry is not None and entry.parent:
        entry = codes.get(entry.parent)
    return entry.code if entry is not None else None


class StatisticsService:
    """Counts and sums over the records, grouped by the database."""

    def __init__(self, context: ServiceContext, reference: ReferenceService) -> None:
        self._context = context
        self._reference = reference

    def key_figures(self, period: Period, centre: str | None = None) -> KeyFigures:
        """The dashboard's key figures for ``period`` (of ``centre`` only, if given), in one query."""
        with self._context.read() as session:
            return read_key_figures(session, period, centre)

    def partners_by_stage(self) -> list[tuple[EngagementStage, int]]:
        """Partners (not SMEs) at each engagement stage, every stage in order: a funnel."""
        query = (
            select(Organisation.engagement_stage, func.count())
            .where(*live_partners())
            .group_by(Organisation.engagement_stage)
        )
        with self._context.read() as session:
            counts: dict[Any, int] = dict(session.execute(query).all())
        return [(stage, counts.get(stage, 0)) for stage in EngagementStage]

    def partners_by_sector(self, limit: int = 10) -> list[tuple[str | None, int]]:
        """Partners (not SMEs) per ISIC section, largest first; the rest as one ``OTHER`` entry.

        None stands for partners without a sector (or with a code the ISIC list lacks).
        """
        query = (
            select(Organisation.sector, func.count())
            .where(*live_partners())
            .group_by(Organisation.sector)
        )
        with self._context.read() as session:
            rows = session.execute(query).all()
        sections: Counter[str | None] = Counter()
        for sector, count in rows:
            sections[self._section(sector)] += count
        ranked = sorted(
            sections.items(), key=lambda item: (-item[1], item[0] is None, item[0] or "")
        )
        if len(ranked) <= limit:
            return ranked
        rest = sum(count for _section, count in ranked[limit:])
        return [*ranked[:limit], (OTHER, rest)]

    def _section(self, code: str | None) -> str | None:
        """The ISIC section (a letter) a code belongs to; None when unknown."""
        return isic_section(self._reference.codes(ISIC), code)

    def trainings_per_quarter(self, period: Period) -> list[QuarterFigures]:
        """Sessions and participants per quarter of the first day, from the first to the last quarter with any, gaps as zeros."""
        year = extract("year", TrainingSession.first_day)
        month = extract("month", TrainingSession.first_day)
        sessions = (
            select(year, month, func.count()).where(*held_sessions(period)).group_by(year, month)
        )
        participants = seated_participants(period, year, month, func.count()).group_by(year, month)
        figures: dict[tuple[int, int], list[int]] = {}
        with self._context.read() as session:
            for index, query in enumerate((sessions, participants)):
                for row_year, row_month, count in session.execute(query):
                    key = (int(row_year), (int(row_month) - 1) // 3 + 1)
                    figures.setdefault(key, [0, 0])[index] += count
        if not figures:
            return []
        (first_year, first_quarter), (last_year, last_quarter) = min(figures), max(figures)
        result = []
        for number in range(first_year * 4 + first_quarter - 1, last_year * 4 + last_quarter):
            key = (number // 4, number % 4 + 1)
            counted, people = figures.get(key, (0, 0))
            result.append(QuarterFigures(key[0], key[1], counted, people))
        return result

    def participants_by_gender(self, period: Period) -> list[tuple[Gender, int]]:
        """The period's participants (as counted in the key figures) by gender, every gender in order."""
        query = (
            seated_participants(period, Contact.gender, func.count())
            .join(Contact, Participation.contact_id == Contact.id)
            .group_by(Contact.gender)
        )
        with self._context.read() as session:
            counts: dict[Any, int] = dict(session.execute(query).all())
        return [(gender, counts.get(gender, 0)) for gender in Gender]

    def activities_by_status(self, period: Period) -> list[tuple[ActivityStatus, int]]:
        """Joint activities overlapping the period by status, every status in order."""
        query = (
            select(JointActivity.status, func.count())
            .where(*overlapping_activities(period))
            .group_by(JointActivity.status)
        )
        with self._context.read() as session:
            counts: dict[Any, int] = dict(session.execute(query).all())
        return [(status, counts.get(status, 0)) for status in ActivityStatus]

    def outcomes_by_indicator(
        self, period: Period, limit: int = 8
    ) -> list[tuple[str, str, decimal.Decimal, int]]:
        """Outcomes of the period's joint activities summed per indicator and unit.

        Each entry is (indicator, unit, total, activities measuring it), those
        measured by the most activities first.
        """
        activities = func.count(func.distinct(Outcome.activity_id))
        query = (
            select(Outcome.indicator, Outcome.unit, func.sum(Outcome.value), activities)
            .join(JointActivity, Outcome.activity_id == JointActivity.id)
            .where(Outcome.deleted.is_(False), *overlapping_activities(period))
            .group_by(Outcome.indicator, Outcome.unit)
            .order_by(activities.desc(), Outcome.indicator, Outcome.unit)
            .limit(limit)
        )
        with self._context.read() as session:
            rows = session.execute(query).all()
        return [(indicator, unit, total, count) for indicator, unit, total, count in rows]
