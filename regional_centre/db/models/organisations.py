"""Organisations (stakeholders, partners and SMEs) and the people who work for them."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from regional_centre.db.base import ID_LENGTH, Base, Synced
from regional_centre.enums import EngagementStage, Gender, SizeClass, StakeholderType


class Organisation(Synced, Base):
    """Any company, association, foundation, public body or SME the centre deals with.

    SME profile fields (size class, employees, registration number) are filled
    for stakeholder type ``sme`` only.
    """

    __tablename__ = "organisation"
    __table_args__ = (
        # Live partners by type, sector and country, and their creation stamps, walked in
        # this order from the index alone: the progress report's and dashboard's counts.
        Index(
            "ix_organisation_stakeholders",
            "deleted",
            "stakeholder_type",
            "sector",
            "country",
            "owner",
            "created_stamp",
        ),
    )

    name: Mapped[str] = mapped_column(String(300), index=True)
    acronym: Mapped[str] = mapped_column(String(40), default="")
    stakeholder_type: Mapped[StakeholderType] = mapped_column(index=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    city: Mapped[str] = mapped_column(String(120), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    sector: Mapped[str | None] = mapped_column(String(4))
    waste_streams: Mapped[tuple[str, ...]] = mapped_column(default=())
    lifecycle_stages: Mapped[tuple[str, ...]] = mapped_column(default=())
    engagement_stage: Mapped[EngagementStage] = mapped_column(index=True)
    size_class: Mapped[SizeClass | None]
    employees: Mapped[int | None]
    registration_number: Mapped[str] = mapped_column(String(80), default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class Contact(Synced, Base):
    """A person: an organisation's contact, a dialogue participant or a trainee."""

    __tablename__ = "contact"

    organisation_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("organisation.id"), index=True
    )
    given_name: Mapped[str] = mapped_column(String(120))
    family_name: Mapped[str] = mapped_column(String(120), index=True)
    gender: Mapped[Gender]
    job_title: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    country: Mapped[str] = mapped_column(String(2))
    notes: Mapped[str] = mapped_column(Text, default="")
