"""A period of days, and the parameters it gives the figures' SQL.

What puts a record in a period is written out in the module docstrings of
``statistics`` (the dashboard) and ``progress`` (the progress report): both ends
of a period are included and an open end sets no bound. The SQL that counts the
figures (``regional_centre.db.figures``) takes its parameters from ``bounds``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from regional_centre.db import figures
from regional_centre.i18n import _
from regional_centre.services.errors import ValidationError
from regional_centre.services.listing import day_stamp

# The named parameters of the statements of ``regional_centre.db.figures``.
Bounds = dict[str, Any]


@dataclass(frozen=True)
class Period:
    """A span of days, both ends included; None leaves that end open."""

    start: dt.date | None = None
    end: dt.date | None = None

    def __post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValidationError.single("end", _("The period ends before it starts."))


def bounds(period: Period, centre: str | None = None, today: dt.date | None = None) -> Bounds:
    """The parameters of ``regional_centre.db.figures`` for ``period`` and ``centre`` (None: every owner).

    ``today`` (the real today for None) is the day after which open follow-up actions are overdue.
    """
    start, end = period.start, period.end
    return {
        "first": figures.OPEN_START if start is None else start.isoformat(),
        "last": figures.OPEN_END if end is None else end.isoformat(),
        "open_end": end is None,
        "added_from": "" if start is None else day_stamp(start),
        # Stamps are hexadecimal digits: "~" comes after every one.
        "added_before": "~"
        if end in (None, dt.date.max)
        else day_stamp(end + dt.timedelta(days=1)),
        **_whole_years(start, end),
        "centre": centre,
        "today": (today or dt.date.today()).isoformat(),
    }


def _whole_years(start: dt.date | None, end: dt.date | None) -> Bounds:
    """The calendar years that lie wholly in the period, and the days before and after them."""
    first = 0 if start is None else start.year + (start > dt.date(start.year, 1, 1))
    last = 9999 if end is None else end.year - (end < dt.date(end.year, 12, 31))
    if first > last:  # no whole year: every day of the period is read from the facts
        head_last = figures.OPEN_END if end is None else end.isoformat()
        return {"whole_first": 1, "whole_last": 0, "head_last": head_last, "tail_first": "~"}
    return {
        "whole_first": first,
        "whole_last": last,
        # "" comes before every day and "~" after every one: those ranges are empty.
        "head_last": "" if first == 0 else f"{first - 1:04d}-12-31",
        "tail_first": "~" if last == 9999 else f"{last + 1:04d}-01-01",
    }
