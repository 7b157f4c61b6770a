"""The fixed vocabularies of the domain.

Stored by value in the database and in sync bundles, so a value, once
released, is never renamed. ``label()`` gives the translated name to show.
"""

from __future__ import annotations

from enum import StrEnum

from regional_centre.i18n import N_, _


class Choice(StrEnum):
    """A closed vocabulary whose members carry a translatable label."""

    @classmethod
    def parse(cls, value: str) -> Choice:
        """The member with ``value``; ValueError when there is none."""
        return cls(value)

    def label(self) -> str:
        """The member's name in the current language."""
        return _(_LABELS[(type(self), self.value)])


class StakeholderType(Choice):
    CORPORATE_FOUNDATION = "corporate_foundation"
    INDUSTRY_ASSOCIATION = "industry_association"
    MULTINATIONAL_COMPANY = "multinational_company"
    NATIONAL_COMPANY = "national_company"
    SME = "sme"
    PUBLIC_BODY = "public_body"
    NGO_ACADEMIA = "ngo_academia"
    OTHER = "other"


class EngagementStage(Choice):
    """How far a partner has come along framework elements (a) to (d)."""

    IDENTIFIED = "identified"
    DIALOGUE = "dialogue"
    PARTNERSHIP = "partnership"
    JOINT_ACTIVITY = "joint_activity"


class SizeClass(Choice):
    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"


class Gender(Choice):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNDISCLOSED = "undisclosed"


class DialogueFormat(Choice):
    MEETING = "meeting"
    WORKSHOP = "workshop"
    SITE_VISIT = "site_visit"
    CALL = "call"
    CORRESPONDENCE = "correspondence"


class ActionStatus(Choice):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class AgreementStatus(Choice):
    PROPOSED = "proposed"
    NEGOTIATING = "negotiating"
    SIGNED = "signed"
    ACTIVE = "active"
    CONCLUDED = "concluded"
    SUSPENDED = "suspended"


class ActivityType(Choice):
    WASTE_MINIMIZATION = "waste_minimization"
    CAPACITY_BUILDING = "capacity_building"
    TECHNOLOGY_ACCESS = "technology_access"
    TRAINING = "training"
    AWARENESS = "awareness"


class ActivityStatus(Choice):
    PLANNED = "planned"
    ONGOING = "ongoing"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class ContributionKind(Choice):
    CASH = "cash"
    IN_KIND = "in_kind"


class Recommendation(Choice):
    CONTINUE = "continue"
    ADJUST = "adjust"
    SCALE_UP = "scale_up"
    REPLICATE = "replicate"
    CLOSE = "close"


class TrainingFormat(Choice):
    IN_PERSON = "in_person"
    ONLINE = "online"
    HYBRID = "hybrid"


class SessionStatus(Choice):
    PLANNED = "planned"
    OPEN = "open"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class RegistrationStatus(Choice):
    REGISTERED = "registered"
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


class AuditAction(Choice):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    BULK_CREATE = "bulk_create"
    RESTORE = "restore"


_LABEL_LIST: list[tuple[Choice, str]] = [
    (StakeholderType.CORPORATE_FOUNDATION, N_("Corporate foundation")),
    (StakeholderType.INDUSTRY_ASSOCIATION, N_("Industry association")),
    (StakeholderType.MULTINATIONAL_COMPANY, N_("Multinational company")),
    (StakeholderType.NATIONAL_COMPANY, N_("National company")),
    (StakeholderType.SME, N_("Small or medium-sized enterprise")),
    (StakeholderType.PUBLIC_BODY, N_("Public body")),
    (StakeholderType.NGO_ACADEMIA, N_("NGO or academia")),
    (StakeholderType.OTHER, N_("Other")),
    (EngagementStage.IDENTIFIED, N_("Identified")),
    (EngagementStage.DIALOGUE, N_("Scoping dialogue")),
    (EngagementStage.PARTNERSHIP, N_("Strategic partnership")),
    (EngagementStage.JOINT_ACTIVITY, N_("Joint activity")),
    (SizeClass.MICRO, N_("Micro (fewer than 10 employees)")),
    (SizeClass.SMALL, N_("Small (10 to 49 employees)")),
    (SizeClass.MEDIUM, N_("Medium (50 to 249 employees)")),
    (Gender.FEMALE, N_("Female")),
    (Gender.MALE, N_("Male")),
    (Gender.OTHER, N_("Other")),
    (Gender.UNDISCLOSED, N_("Not stated")),
    (DialogueFormat.MEETING, N_("Meeting")),
    (DialogueFormat.WORKSHOP, N_("Workshop")),
    (DialogueFormat.SITE_VISIT, N_("Site visit")),
    (DialogueFormat.CALL, N_("Call")),
    (DialogueFormat.CORRESPONDENCE, N_("Correspondence")),
    (ActionStatus.OPEN, N_("Open")),
    (ActionStatus.DONE, N_("Done")),
    (ActionStatus.CANCELLED, N_("Cancelled")),
    (AgreementStatus.PROPOSED, N_("Proposed")),
    (AgreementStatus.NEGOTIATING, N_("Under negotiation")),
    (AgreementStatus.SIGNED, N_("Signed")),
    (AgreementStatus.ACTIVE, N_("Active")),
    (AgreementStatus.CONCLUDED, N_("Concluded")),
    (AgreementStatus.SUSPENDED, N_("Suspended")),
    (ActivityType.WASTE_MINIMIZATION, N_("Waste minimization")),
    (ActivityType.CAPACITY_BUILDING, N_("Capacity-building")),
    (ActivityType.TECHNOLOGY_ACCESS, N_("Access to sound technologies")),
    (ActivityType.TRAINING, N_("Training")),
    (ActivityType.AWARENESS, N_("Awareness raising")),
    (ActivityStatus.PLANNED, N_("Planned")),
    (ActivityStatus.ONGOING, N_("Ongoing")),
    (ActivityStatus.COMPLETED, N_("Completed")),
    (ActivityStatus.CANCELLED, N_("Cancelled")),
    (ContributionKind.CASH, N_("Cash")),
    (ContributionKind.IN_KIND, N_("In kind")),
    (Recommendation.CONTINUE, N_("Continue as planned")),
    (Recommendation.ADJUST, N_("Adjust")),
    (Recommendation.SCALE_UP, N_("Scale up")),
    (Recommendation.REPLICATE, N_("Replicate elsewhere")),
    (Recommendation.CLOSE, N_("Close")),
    (TrainingFormat.IN_PERSON, N_("In person")),
    (TrainingFormat.ONLINE, N_("Online")),
    (TrainingFormat.HYBRID, N_("Hybrid")),
    (SessionStatus.PLANNED, N_("Planned")),
    (SessionStatus.OPEN, N_("Open for registration")),
    (SessionStatus.COMPLETED, N_("Completed")),
    (SessionStatus.CANCELLED, N_("Cancelled")),
    (RegistrationStatus.REGISTERED, N_("Registered")),
    (RegistrationStatus.CONFIRMED, N_("Confirmed")),
    (RegistrationStatus.WAITLISTED, N_("Waitlisted")),
    (RegistrationStatus.CANCELLED, N_("Cancelled")),
    (AuditAction.CREATE, N_("Created")),
    (AuditAction.UPDATE, N_("Changed")),
    (AuditAction.DELETE, N_("Deleted")),
    (AuditAction.BULK_CREATE, N_("Created in bulk")),
    (AuditAction.RESTORE, N_("Restored")),
]

# Keyed by class and value: StrEnum members of different classes compare equal by value.
_LABELS: dict[tuple[type[Choice], str], str] = {(type(m), m.value): text for m, text in _LABEL_LIST}
