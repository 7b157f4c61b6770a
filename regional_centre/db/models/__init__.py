"""The tables of the program. Importing this package registers them all on ``Base.metadata``."""

from typing import Any

from regional_centre.db.base import Base, Synced
from regional_centre.db.models.engagement import (
    AdvisoryReview,
    Contribution,
    Dialogue,
    DialogueParticipant,
    FollowUpAction,
    JointActivity,
    Outcome,
    Partnership,
    PartnershipMember,
)
from regional_centre.db.models.organisations import Contact, Organisation
from regional_centre.db.models.reports import ReportedFigures
from regional_centre.db.models.sync import (
    Conflict,
    EchoSeq,
    NodeKey,
    Peer,
    ReceivedBundle,
    RevokedKey,
)
from regional_centre.db.models.system import AuditEntry, Node, ReferenceCode, ReferenceList
from regional_centre.db.models.tallies import (
    FirmTally,
    FirstTraining,
    PeopleTally,
    ReachTally,
    ScoreTally,
)
from regional_centre.db.models.training import (
    Certificate,
    OrganisationKey,
    Participation,
    ParticipationFact,
    SmeFollowUp,
    TrainingSession,
)

# Every synced table in dependency order: a record's references come before it.
SYNCED_MODELS: tuple[type[Any], ...] = (
    Organisation,
    Contact,
    Dialogue,
    DialogueParticipant,
    FollowUpAction,
    Partnership,
    PartnershipMember,
    JointActivity,
    TrainingSession,
    Contribution,
    Outcome,
    AdvisoryReview,
    Participation,
    Certificate,
    SmeFollowUp,
    AuditEntry,
    Conflict,
    ReportedFigures,
)

__all__ = [
    "SYNCED_MODELS",
    "AdvisoryReview",
    "AuditEntry",
    "Base",
    "Certificate",
    "Conflict",
    "Contact",
    "Contribution",
    "Dialogue",
    "DialogueParticipant",
    "EchoSeq",
    "FirmTally",
    "FirstTraining",
    "FollowUpAction",
    "JointActivity",
    "Node",
    "NodeKey",
    "Organisation",
    "OrganisationKey",
    "Outcome",
    "Participation",
    "ParticipationFact",
    "Partnership",
    "PartnershipMember",
    "Peer",
    "PeopleTally",
    "ReachTally",
    "ReceivedBundle",
    "ReferenceCode",
    "ReferenceList",
    "ReportedFigures",
    "RevokedKey",
    "ScoreTally",
    "SmeFollowUp",
    "Synced",
    "TrainingSession",
]
