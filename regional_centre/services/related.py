"""What a record is linked to: an organisation's people, dialogues, partnerships, trainings..."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select

from regional_centre.db.models import (
    Contact,
    Contribution,
    Dialogue,
    DialogueParticipant,
    JointActivity,
    Participation,
    Partnership,
    PartnershipMember,
    SmeFollowUp,
    TrainingSession,
)
from regional_centre.services.context import ServiceContext
from regional_centre.services.listing import Kind

LIMIT = 500  # linked records shown per kind; a record with more is shown in its list


@dataclass(frozen=True)
class Linked:
    """A linked record: which list it belongs to, its id, name and date (if it has one)."""

    kind: Kind | None
    id: str
    label: str
    on: dt.date | None = None
    detail: str = ""


@dataclass(frozen=True)
class Links:
    """The records linked to an organisation, by kind."""

    contacts: list[Linked]
    dialogues: list[Linked]
    partnerships: list[Linked]
    activities: list[Linked]
    trainings: list[Linked]
    follow_ups: list[Linked]


class RelatedService:
    """Finds the records linked to one record."""

    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def of_organisation(self, organisation_id: str) -> Links:
        """Everything linked to an organisation, newest first where there is a date."""
        with self._context.read() as session:
            contacts = [
                Linked(Kind.CONTACTS, i, f"{given} {family}".strip(), None, title)
                for i, given, family, title in session.execute(
                    select(Contact.id, Contact.given_name, Contact.family_name, Contact.job_title)
                    .where(Contact.organisation_id == organisation_id, Contact.deleted.is_(False))
                    .order_by(Contact.family_name, Contact.given_name)
                    .limit(LIMIT)
                )
            ]
            dialogues = [
                Linked(Kind.DIALOGUES, i, title, held_on)
                for i, title, held_on in session.execute(
                    select(Dialogue.id, Dialogue.title, Dialogue.held_on)
                    .join(DialogueParticipant, DialogueParticipant.dialogue_id == Dialogue.id)
                    .where(
                        DialogueParticipant.organisation_id == organisation_id,
                        DialogueParticipant.deleted.is_(False),
                        Dialogue.deleted.is_(False),
                    )
                    .distinct()
                    .order_by(Dialogue.held_on.desc())
                    .limit(LIMIT)
                )
            ]
            partnership_ids = select(PartnershipMember.partnership_id).where(
                PartnershipMember.organisation_id == organisation_id,
                PartnershipMember.deleted.is_(False),
            )
            partnerships = [
                Linked(Kind.PARTNERSHIPS, i, title, start, str(status.label()))
                for i, title, start, status in session.execute(
                    select(
                        Partnership.id,
                        Partnership.title,
                        Partnership.start_on,
                        Partnership.agreement_status,
                    )
                    .where(Partnership.id.in_(partnership_ids), Partnership.deleted.is_(False))
                    .order_by(Partnership.title)
                    .limit(LIMIT)
                )
            ]
            contributed = select(Contribution.activity_id).where(
                Contribution.organisation_id == organisation_id,
                Contribution.deleted.is_(False),
                Contribution.activity_id.is_not(None),
            )
            activities = [
                Linked(Kind.ACTIVITIES, i, title, start, str(status.label()))
                for i, title, start, status in session.execute(
                    select(
                        JointActivity.id,
                        JointActivity.title,
                        JointActivity.start_on,
                        JointActivity.status,
                    )
                    .where(
                        or_(
                            JointActivity.partnership_id.in_(partnership_ids),
                            JointActivity.id.in_(contributed),
                        ),
                        JointActivity.deleted.is_(False),
                    )
                    .order_by(JointActivity.start_on.desc())
                    .limit(LIMIT)
                )
            ]
            trainings = [
                Linked(Kind.SESSIONS, i, title, first_day, f"{given} {family}".strip())
                for i, title, first_day, given, family in session.execute(
                    select(
                        TrainingSession.id,
                        TrainingSession.title,
                        TrainingSession.first_day,
                        Contact.given_name,
                        Contact.family_name,
                    )
                    .join(Participation, Participation.session_id == TrainingSession.id)
                    .join(Contact, Contact.id == Participation.contact_id)
                    .where(
                        Participation.organisation_id == organisation_id,
                        Participation.deleted.is_(False),
                        TrainingSession.deleted.is_(False),
                    )
                    .order_by(TrainingSession.first_day.desc())
                    .limit(LIMIT)
                )
            ]
            follow_ups = [
                Linked(None, i, measures, on, outcome)
                for i, measures, on, outcome in session.execute(
                    select(
                        SmeFollowUp.id,
                        SmeFollowUp.measures_implemented,
                        SmeFollowUp.followed_up_on,
                        SmeFollowUp.outcome,
                    )
                    .where(
                        SmeFollowUp.organisation_id == organisation_id,
                        SmeFollowUp.deleted.is_(False),
                    )
                    .order_by(SmeFollowUp.followed_up_on.desc())
                    .limit(LIMIT)
                )
            ]
        return Links(contacts, dialogues, partnerships, activities, trainings, follow_ups)
