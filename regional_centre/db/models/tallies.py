"""The training tallies: participation facts added up per day and centre; derived, local, never synced.

SQLite's triggers keep them (``regional_centre.db.tallies``): do not write them.
Each is read by a period (a range of ``first_day``, or of years) and a centre.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from regional_centre.db.base import ID_LENGTH, Base
from regional_centre.enums import Gender, SizeClass


class PeopleTally(Base):
    """How many counted participations a day's sessions of a centre had, by person's country and gender."""

    __tablename__ = "tally_people"
    __table_args__ = (Index("ix_tally_people", "first_day", "centre", "country", "gender"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    first_day: Mapped[dt.date | None]
    centre: Mapped[str | None] = mapped_column(String(16))
    country: Mapped[str | None] = mapped_column(String(2))
    gender: Mapped[Gender | None]
    participants: Mapped[int]


class FirmTally(Base):
    """How many counted participations a day's sessions of a centre had, by organisation's sector and size."""

    __tablename__ = "tally_firms"
    __table_args__ = (Index("ix_tally_firms", "first_day", "centre", "sector", "size_class"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    first_day: Mapped[dt.date | None]
    centre: Mapped[str | None] = mapped_column(String(16))
    sector: Mapped[str | None] = mapped_column(String(4))
    size_class: Mapped[SizeClass | None]
    participants: Mapped[int]


class ScoreTally(Base):
    """A day's sessions of a centre: counted participations, test scores (in tenths) and ratings."""

    __tablename__ = "tally_scores"
    __table_args__ = (Index("ix_tally_scores", "first_day", "centre"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    first_day: Mapped[dt.date | None]
    centre: Mapped[str | None] = mapped_column(String(16))
    seated: Mapped[int]
    tested: Mapped[int]
    pre_total: Mapped[int]
    post_total: Mapped[int]
    rated: Mapped[int]
    rating_total: Mapped[int]
    rated_1: Mapped[int]
    rated_2: Mapped[int]
    rated_3: Mapped[int]
    rated_4: Mapped[int]
    rated_5: Mapped[int]


class FirstTraining(Base):
    """The first day of a centre's sessions on which an organisation had a counted participation."""

    __tablename__ = "first_training"
    __table_args__ = (
        Index("ix_first_training_organisation", "organisation_id", "centre", "first_day"),
        Index("ix_first_training_day", "centre", "first_day", "organisation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    centre: Mapped[str | None] = mapped_column(String(16))
    first_day: Mapped[dt.date | None]


class ReachTally(Base):
    """How many counted participations an SME had in a year's sessions of a centre.

    The SMEs a year reached are its rows: a few per SME, where the facts have one per participation.
    """

    __tablename__ = "tally_reach"
    __table_args__ = (Index("ix_tally_reach", "year", "centre", "organisation_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    centre: Mapped[str | None] = mapped_column(String(16))
    organisation_no: Mapped[int]
    participations: Mapped[int]
