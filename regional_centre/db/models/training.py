"""Framework element (e): training sessions for SMEs, participations, certificates, follow-ups."""

from __future__ import annotations

import datetime as dt
import decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from regional_centre.db.base import ID_LENGTH, Base, Synced, TextList
from regional_centre.enums import (
    Gender,
    RegistrationStatus,
    SessionStatus,
    SizeClass,
    TrainingFormat,
)


class TrainingSession(Synced, Base):
    """A training event for SMEs on one or more days.

    ``days`` holds the session's dates (ISO text); attendance is recorded
    against them. ``attendance_threshold`` is the share of days, in percent,
    a participant must attend to earn a certificate.
    """

    __tablename__ = "training_session"
    __table_args__ = (
        # Whether a session took place, and when, answered from the index alone: asked
        # once per participation the dashboard counts.
        Index("ix_training_session_held", "id", "deleted", "status", "owner", "first_day"),
    )

    title: Mapped[str] = mapped_column(String(300))
    topics: Mapped[tuple[str, ...]] = mapped_column(TextList(), default=())
    format: Mapped[TrainingFormat]
    days: Mapped[tuple[str, ...]] = mapped_column(default=())
    first_day: Mapped[dt.date] = mapped_column(index=True)
    hours_per_day: Mapped[decimal.Decimal] = mapped_column(Numeric(4, 1))
    venue: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    country: Mapped[str] = mapped_column(String(2), index=True)
    language: Mapped[str] = mapped_column(String(8))
    capacity: Mapped[int]
    trainers: Mapped[tuple[str, ...]] = mapped_column(TextList(), default=())
    status: Mapped[SessionStatus] = mapped_column(index=True)
    attendance_threshold: Mapped[int] = mapped_column(default=100)


class Participation(Synced, Base):
    """A person registered for a training session, with attendance, tests and evaluation."""

    __tablename__ = "participation"
    __table_args__ = (
        UniqueConstraint("session_id", "contact_id"),
        # The seated participants of a period's sessions, read from the index alone
        # (the dashboard's figures) rather than from the wide rows.
        Index(
            "ix_participation_seated_by_session",
            "session_id",
            "deleted",
            "registration_status",
            "contact_id",
            "organisation_id",
            "pre_test_score",
            "post_test_score",
            "evaluation_rating",
        ),
        # An organisation's seated participations and their sessions; it also serves
        # every look-up by organisation (the participation facts' triggers too).
        Index(
            "ix_participation_seated_by_organisation",
            "organisation_id",
            "deleted",
            "registration_status",
            "session_id",
        ),
    )

    # The unique constraint (session_id, contact_id) also serves look-ups by session.
    session_id: Mapped[str] = mapped_column(String(ID_LENGTH), ForeignKey("training_session.id"))
    contact_id: Mapped[str] = mapped_column(String(ID_LENGTH), ForeignKey("contact.id"), index=True)
    organisation_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("organisation.id")
    )
    registration_status: Mapped[RegistrationStatus]
    days_attended: Mapped[tuple[str, ...]] = mapped_column(default=())
    pre_test_score: Mapped[decimal.Decimal | None] = mapped_column(Numeric(5, 1))
    post_test_score: Mapped[decimal.Decimal | None] = mapped_column(Numeric(5, 1))
    evaluation_rating: Mapped[int | None]
    evaluation_comments: Mapped[str] = mapped_column(Text, default="")


class Certificate(Synced, Base):
    """A certificate of participation; its verification code proves it genuine."""

    __tablename__ = "certificate"
    # The certificates of a period (and of a centre) counted from the index alone.
    __table_args__ = (Index("ix_certificate_issued_on", "issued_on", "deleted", "owner"),)

    participation_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("participation.id"), unique=True
    )
    number: Mapped[str] = mapped_column(String(40), unique=True)
    issued_on: Mapped[dt.date]
    verification_code: Mapped[str] = mapped_column(String(40), unique=True)


class SmeFollowUp(Synced, Base):
    """A later visit or call to an SME: which measures it put in place and with what result."""

    __tablename__ = "sme_follow_up"

    organisation_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("organisation.id"), index=True
    )
    session_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("training_session.id"), index=True
    )
    followed_up_on: Mapped[dt.date]
    measures_implemented: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(Text, default="")


class ParticipationFact(Base):
    """A participation with what the training figures count it by; derived, local, never synced.

    SQLite's triggers keep it (``regional_centre.db.facts``): do not write it.
    """

    __tablename__ = "participation_fact"
    __table_args__ = (
        # A period's counted participations of SMEs, and the organisation each came for: the
        # SMEs reached are the distinct numbers of one walk of it.
        Index(
            "ix_participation_fact_period",
            "first_day",
            "counted",
            "sme",
            "centre",
            "organisation_no",
        ),
        # Whether an organisation was counted before a day (an SME reached for the first time):
        # one seek per organisation.
        Index(
            "ix_participation_fact_organisation",
            "organisation_id",
            "counted",
            "first_day",
            "centre",
        ),
    )

    participation_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    organisation_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    first_day: Mapped[dt.date | None]
    centre: Mapped[str | None] = mapped_column(String(16))
    counted: Mapped[bool]
    gender: Mapped[Gender | None]
    country: Mapped[str | None] = mapped_column(String(2))
    sector: Mapped[str | None] = mapped_column(String(4))
    size_class: Mapped[SizeClass | None]
    sme: Mapped[bool]
    pre_test_score: Mapped[decimal.Decimal | None] = mapped_column(Numeric(5, 1))
    post_test_score: Mapped[decimal.Decimal | None] = mapped_column(Numeric(5, 1))
    evaluation_rating: Mapped[int | None]
    # The number ``organisation_key`` gives ``organisation_id``.
    organisation_no: Mapped[int | None]


class OrganisationKey(Base):
    """A local number for each organisation a participation names; derived, local, never synced.

    Organisations are known by random text keys; the facts carry this number
    beside the key, so that counting distinct organisations compares integers.
    SQLite's triggers add a number the first time a participation names an
    organisation (``regional_centre.db.facts``), and never change or reuse it.
    """

    __tablename__ = "organisation_key"

    no: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[str] = mapped_column(String(ID_LENGTH), unique=True)
