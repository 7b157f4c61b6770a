"""The ``Services`` facade: every service over one open database."""

from __future__ import annotations

import functools
import gc
import getpass
from pathlib import Path
from typing import Any

from regional_centre.db.database import Database, open_database
from regional_centre.services.audit import AuditService
from regional_centre.services.certificates import CertificateService
from regional_centre.services.context import ServiceContext
from regional_centre.services.directory import DirectoryService
from regional_centre.services.engagement import (
    AdvisoryReviewService,
    ContributionService,
    DialogueParticipantService,
    DialogueService,
    FollowUpActionService,
    JointActivityService,
    OutcomeService,
    PartnershipMemberService,
    PartnershipService,
)
from regional_centre.services.history import HistoryService
from regional_centre.services.installation import InstallationService
from regional_centre.services.listing import ListService
from regional_centre.services.maintenance import MaintenanceService
from regional_centre.services.organisations import ContactService, OrganisationService
from regional_centre.services.progress import ProgressService
from regional_centre.services.records import RecordService
from regional_centre.services.reference import ReferenceService
from regional_centre.services.related import RelatedService
from regional_centre.services.reported import ReportedFiguresService
from regional_centre.services.statistics import StatisticsService
from regional_centre.services.sync import SyncService
from regional_centre.services.training import (
    ParticipationService,
    SmeFollowUpService,
    TrainingSessionService,
)


def current_user() -> str:
    """The name the audit trail records for changes made here."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


class Services:
    """All services over one open database."""

    def __init__(self, database: Database, actor: str | None = None) -> None:
        self.database = database
        self.context = ServiceContext(database, actor or current_user())
        self.reference = ReferenceService(self.context)
        self.installation = InstallationService(self.context, self.reference)
        self.maintenance = MaintenanceService(self.context)
        self.audit = AuditService(self.context)
        self.lists = ListService(self.context)
        self.related = RelatedService(self.context)
        ctx, ref = self.context, self.reference
        self.organisations = OrganisationService(ctx, ref)
        self.contacts = ContactService(ctx, ref)
        self.dialogues = DialogueService(ctx, ref)
        self.dialogue_participants = DialogueParticipantService(ctx, ref)
        self.follow_up_actions = FollowUpActionService(ctx, ref)
        self.partnerships = PartnershipService(ctx, ref)
        self.partnership_members = PartnershipMemberService(ctx, ref)
        self.activities = JointActivityService(ctx, ref)
        self.contributions = ContributionService(ctx, ref)
        self.outcomes = OutcomeService(ctx, ref)
        self.reviews = AdvisoryReviewService(ctx, ref)
        self.sessions = TrainingSessionService(ctx, ref)
        self.participations = ParticipationService(ctx, ref)
        self.certificates = CertificateService(ctx, ref)
        self.sme_follow_ups = SmeFollowUpService(ctx, ref)
        self.statistics = StatisticsService(ctx, ref)
        self.progress = ProgressService(ctx, ref)
        self.reported = ReportedFiguresService(ctx, ref)
        self.history = HistoryService(ctx, ref)
        self.directory = DirectoryService(self.lists, self.organisations, self.contacts)
        self.sync = SyncService(ctx, ref, self.record_service)

    def record_service(self, entity: str) -> RecordService[Any, Any] | None:
        """The service of the records called ``entity`` (a table name), if users edit them."""
        for service in vars(self).values():
            if isinstance(service, RecordService) and service.entity == entity:
                return service
        return None

    @classmethod
    def open(
        cls, target: str | Path, *, create: bool = False, actor: str | None = None
    ) -> Services:
        """Open (or create) the database at ``target`` and the services over it."""
        services = cls(open_database(target, create=create), actor)
        _settle_start_up()
        return services

    def close(self) -> None:
        """Release the database."""
        self.database.close()


@functools.cache
def _settle_start_up() -> None:
    """Put what start-up made out of the garbage collector's sight, once per process.

    The modules, the SQLAlchemy mappers and the first database's objects live as long
    as the program: some hundred thousand objects that every full collection would
    walk again, one of which falls in the middle of a progress report (its queries
    took 0.17 s instead of 0.19 s, median of ``bench/progress_report.py``, once
    frozen). What is made later is collected as usual.
    """
    gc.freeze()
