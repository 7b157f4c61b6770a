"""What a centre reported: the figures of each progress report it issued, sent to the secretariat."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from regional_centre.db.base import Base, Synced


class ReportedFigures(Synced, Base):
    """The figures of a centre's progress report for one period, as ``regional-centre stats``
    prints them. Issuing the report again for the same period replaces them."""

    __tablename__ = "reported_figures"

    centre: Mapped[str] = mapped_column(String(16))
    period_start: Mapped[dt.date]
    period_end: Mapped[dt.date]
    prepared_on: Mapped[dt.date]
    document_number: Mapped[str] = mapped_column(String(80))
    figures: Mapped[dict[str, Any]]
