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

The key figures and the charts are counted by the SQL of ``regional_centre.db.figures``.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from regional_centre.db import figures
from regional_centre.enums import ActivityStatus, EngagementStage, Gender
from regional_centre.services.context import ServiceContext
from regional_centre.services.periods import Bounds, Period, bounds
from regional_centre.services.reference import ISIC, ReferenceService, isic_section

__all__ = ["OTHER", "KeyFigures", "Period", "QuarterFigures", "StatisticsService"]

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
    chosen = tuple(name for name in figures.KEY_COUNTS if names is None or name in names)
    counts = figures.row(session, figures.key_counts(chosen), window)
    return {name: int(count or 0) for name, count in zip(chosen, counts, strict=True)}


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
        counts = self._counts(figures.PARTNERS_BY_STAGE, Period())
        return [(stage, counts.get(stage, 0)) for stage in EngagementStage]

    def partners_by_sector(self, limit: int = 10) -> list[tuple[str | None, int]]:
        """Partners (not SMEs) per ISIC section, largest first; the rest as one ``OTHER`` entry.

        None stands for partners without a sector (or with a code the ISIC list lacks).
        """
        codes = self._reference.codes(ISIC)
        sections: Counter[str | None] = Counter()
        for sector, count in self._counts(figures.PARTNERS_BY_SECTOR, Period()).items():
            sections[isic_section(codes, sector)] += count
        ranked = sorted(
            sections.items(), key=lambda item: (-item[1], item[0] is None, item[0] or "")
        )
        if len(ranked) <= limit:
            return ranked
        rest = sum(count for _section, count in ranked[limit:])
        return [*ranked[:limit], (OTHER, rest)]

    def trainings_per_quarter(self, period: Period) -> list[QuarterFigures]:
        """Sessions and participants per quarter of the first day, from the first to the last quarter with any, gaps as zeros."""
        quarters: dict[tuple[int, int], list[int]] = {}
        statements = (figures.SESSIONS_BY_MONTH, figures.PARTICIPANTS_BY_MONTH)
        for index, statement in enumerate(statements):
            for month, count in self._counts(statement, period).items():
                key = (int(month[:4]), (int(month[5:7]) - 1) // 3 + 1)
                quarters.setdefault(key, [0, 0])[index] += count
        if not quarters:
            return []
        (first_year, first_quarter), (last_year, last_quarter) = min(quarters), max(quarters)
        result = []
        for number in range(first_year * 4 + first_quarter - 1, last_year * 4 + last_quarter):
            key = (number // 4, number % 4 + 1)
            counted, people = quarters.get(key, (0, 0))
            result.append(QuarterFigures(key[0], key[1], counted, people))
        return result

    def participants_by_gender(self, period: Period) -> list[tuple[Gender, int]]:
        """The period's participants (as counted in the key figures) by gender, every gender in order."""
        counts = self._counts(figures.PARTICIPANTS_BY_GENDER, period)
        return [(gender, counts.get(gender, 0)) for gender in Gender]

    def activities_by_status(self, period: Period) -> list[tuple[ActivityStatus, int]]:
        """Joint activities overlapping the period by status, every status in order."""
        counts: Counter[str] = Counter()
        with self._context.read() as session:
            for status, _kind, count in figures.rows(
                session, figures.ACTIVITY_KINDS, bounds(period)
            ):
                counts[status] += count
        return [(status, counts[status]) for status in ActivityStatus]

    def outcomes_by_indicator(
        self, period: Period, limit: int = 8
    ) -> list[tuple[str, str, decimal.Decimal, int]]:
        """Outcomes of the period's joint activities summed per indicator and unit.

        Each entry is (indicator, unit, total, activities measuring it), those
        measured by the most activities first.
        """
        with self._context.read() as session:
            rows = figures.rows(session, figures.ACTIVITY_OUTCOMES, bounds(period))
        return [
            (
                indicator,
                unit,
                figures.from_units(total, figures.AMOUNT_PLACES),
                count,
            )
            for indicator, unit, total, count in rows[:limit]
        ]

    def _counts(self, statement: str, period: Period) -> dict[Any, int]:
        """The rows of ``statement`` (a value and how many have it) for ``period``, as a mapping."""
        with self._context.read() as session:
            return figures.counts(session, statement, bounds(period))
