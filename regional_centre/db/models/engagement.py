"""Framework elements (b) to (d): scoping dialogues, strategic partnerships, joint activities."""

from __future__ import annotations

import datetime as dt
import decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from regional_centre.db.base import ID_LENGTH, Base, Synced
from regional_centre.enums import (
    ActionStatus,
    ActivityStatus,
    ActivityType,
    AgreementStatus,
    ContributionKind,
    DialogueFormat,
    Recommendation,
)


def _ref(table: str, *, nullable: bool = False) -> Mapped[str]:
    return mapped_column(
        String(ID_LENGTH), ForeignKey(f"{table}.id"), index=True, nullable=nullable
    )


class Dialogue(Synced, Base):
    """A scoping meeting or exchange in the context of the life-cycle approach of materials."""

    __tablename__ = "dialogue"

    title: Mapped[str] = mapped_column(String(300))
    held_on: Mapped[dt.date] = mapped_column(index=True)
    format: Mapped[DialogueFormat]
    venue: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    country: Mapped[str] = mapped_column(String(2))
    lifecycle_stages: Mapped[tuple[str, ...]] = mapped_column(default=())
    waste_streams: Mapped[tuple[str, ...]] = mapped_column(default=())
    summary: Mapped[str] = mapped_column(Text, default="")


class DialogueParticipant(Synced, Base):
    """An organisation (and optionally one of its people) taking part in a dialogue."""

    __tablename__ = "dialogue_participant"

    dialogue_id: Mapped[str] = _ref("dialogue")
    organisation_id: Mapped[str] = _ref("organisation")
    contact_id: Mapped[str | None] = _ref("contact", nullable=True)


class FollowUpAction(Synced, Base):
    """Something agreed in a dialogue, to be done by a date."""

    __tablename__ = "follow_up_action"
    # The overdue actions (open, due before a day) found and counted from the index alone.
    __table_args__ = (
        Index("ix_follow_up_action_open", "status", "due_on", "deleted", "dialogue_id"),
    )

    dialogue_id: Mapped[str] = _ref("dialogue")
    description: Mapped[str] = mapped_column(Text)
    responsible: Mapped[str] = mapped_column(String(200), default="")
    due_on: Mapped[dt.date | None] = mapped_column(index=True)
    status: Mapped[ActionStatus]
    completed_on: Mapped[dt.date | None]


class Partnership(Synced, Base):
    """A strategic partnership in one or more priority fields of the Basel Declaration."""

    __tablename__ = "partnership"

    title: Mapped[str] = mapped_column(String(300))
    priority_fields: Mapped[tuple[str, ...]] = mapped_column(default=())
    regional_specificities: Mapped[str] = mapped_column(Text, default="")
    agreement_status: Mapped[AgreementStatus] = mapped_column(index=True)
    signed_on: Mapped[dt.date | None]
    start_on: Mapped[dt.date | None]
    end_on: Mapped[dt.date | None]
    description: Mapped[str] = mapped_column(Text, default="")


class PartnershipMember(Synced, Base):
    """An organisation that is party to a partnership."""

    __tablename__ = "partnership_member"

    partnership_id: Mapped[str] = _ref("partnership")
    organisation_id: Mapped[str] = _ref("organisation")
    role: Mapped[str] = mapped_column(String(200), default="")


class JointActivity(Synced, Base):
    """A project with partners that improves companies' environmental performance."""

    __tablename__ = "joint_activity"

    title: Mapped[str] = mapped_column(String(300))
    activity_type: Mapped[ActivityType] = mapped_column(index=True)
    partnership_id: Mapped[str | None] = _ref("partnership", nullable=True)
    objectives: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ActivityStatus] = mapped_column(index=True)
    start_on: Mapped[dt.date | None]
    end_on: Mapped[dt.date | None]
    country: Mapped[str | None] = mapped_column(String(2))
    waste_streams: Mapped[tuple[str, ...]] = mapped_column(default=())
    budget_amount: Mapped[decimal.Decimal | None]
    budget_currency: Mapped[str | None] = mapped_column(String(3))


class Contribution(Synced, Base):
    """A partner's cash or in-kind support of a joint activity or a training session."""

    __tablename__ = "contribution"
    __table_args__ = (
        CheckConstraint("(activity_id IS NULL) <> (session_id IS NULL)", name="one_recipient"),
    )

    activity_id: Mapped[str | None] = _ref("joint_activity", nullable=True)
    session_id: Mapped[str | None] = _ref("training_session", nullable=True)
    organisation_id: Mapped[str] = _ref("organisation")
    kind: Mapped[ContributionKind]
    amount: Mapped[decimal.Decimal | None]
    currency: Mapped[str | None] = mapped_column(String(3))
    description: Mapped[str] = mapped_column(Text, default="")


class Outcome(Synced, Base):
    """A measured result of a joint activity: indicator, value and unit."""

    __tablename__ = "outcome"

    activity_id: Mapped[str] = _ref("joint_activity")
    indicator: Mapped[str] = mapped_column(String(300))
    value: Mapped[decimal.Decimal]
    unit: Mapped[str] = mapped_column(String(40))
    measured_on: Mapped[dt.date | None]
    notes: Mapped[str] = mapped_column(Text, default="")


class AdvisoryReview(Synced, Base):
    """The Advisory Committee on Partnership with Industry's review of a joint activity."""

    __tablename__ = "advisory_review"

    activity_id: Mapped[str] = _ref("joint_activity")
    reviewed_on: Mapped[dt.date]
    reviewer: Mapped[str] = mapped_column(String(200), default="")
    comments: Mapped[str] = mapped_column(Text, default="")
    recommendation: Mapped[Recommendation]
