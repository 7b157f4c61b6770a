"""The figures a centre reported: kept with each progress report issued, sent in the next bundle.

When a centre issues its progress report, the figures it printed are kept as a
record of their own (one per centre and period: issuing it again replaces
them). The record travels to the secretariat like any other, so the secretariat
reads the very numbers the centre signed off, never re-typing one, and can set
them beside what it counts itself from the records it received.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from regional_centre.db.models import ReportedFigures
from regional_centre.i18n import _
from regional_centre.services.errors import NotFound
from regional_centre.services.progress_figures import ProgressFigures
from regional_centre.services.records import RecordService, link_id
from regional_centre.services.validation import Checker


@dataclass(frozen=True, kw_only=True)
class ReportedFiguresDraft:
    centre: str
    period_start: dt.date
    period_end: dt.date
    prepared_on: dt.date
    document_number: str
    figures: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class ReportedFiguresRecord(ReportedFiguresDraft):
    """A centre's reported figures for one period."""

    id: str


class ReportedFiguresService(RecordService[ReportedFiguresDraft, ReportedFiguresRecord]):
    """Reported figures: written when a centre issues a progress report, read at the secretariat."""

    model = ReportedFigures
    draft_type = ReportedFiguresDraft
    record_type = ReportedFiguresRecord
    entity = "reported_figures"
    derived_ids = True

    def new_id(self, values: dict[str, Any]) -> str:
        return link_id(
            self.entity,
            values["centre"],
            values["period_start"].isoformat(),
            values["period_end"].isoformat(),
        )

    def check(self, c: Checker) -> None:
        c.text("centre", required=True, max_length=16)
        c.text("document_number", required=True, max_length=80)
        c.date("period_start")
        c.date("period_end")
        c.date("prepared_on")
        if not isinstance(c.values.get("figures"), dict) or not c.values["figures"]:
            c.add("figures", _("The report has no figures."))

    def record(self, figures: ProgressFigures, document_number: str) -> ReportedFiguresRecord:
        """Keep the figures of a progress report just issued (replacing those of the same period)."""
        period = figures.period
        if figures.centre is None or period.start is None or period.end is None:
            raise ValueError("only a centre's figures for a closed period are reported")
        draft = ReportedFiguresDraft(
            centre=figures.centre,
            period_start=period.start,
            period_end=period.end,
            prepared_on=dt.date.today(),
            document_number=document_number,
            figures=figures.as_json(),
        )
        existing = self.new_id(
            {
                "centre": draft.centre,
                "period_start": draft.period_start,
                "period_end": draft.period_end,
            }
        )
        try:
            self.get(existing)
        except NotFound:
            return self.create(draft)
        return self.update(existing, draft)

    def reported(self) -> list[ReportedFiguresRecord]:
        """Every centre's reported figures, by centre and latest period first."""
        with self._context.read() as session:
            rows = session.scalars(
                select(ReportedFigures)
                .where(ReportedFigures.deleted.is_(False))
                .order_by(
                    ReportedFigures.centre,
                    ReportedFigures.period_end.desc(),
                    ReportedFigures.period_start.desc(),
                )
            )
            return [self._to_record(row) for row in rows]
