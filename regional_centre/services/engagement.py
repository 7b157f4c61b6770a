"""Framework elements (b) to (d) and the Advisory Committee's reviews."""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from regional_centre.db.models import (
    AdvisoryReview,
    Contact,
    Contribution,
    Dialogue,
    DialogueParticipant,
    FollowUpAction,
    JointActivity,
    Organisation,
    Outcome,
    Partnership,
    PartnershipMember,
    TrainingSession,
)
from regional_centre.enums import (
    ActionStatus,
    ActivityStatus,
    ActivityType,
    AgreementStatus,
    ContributionKind,
    DialogueFormat,
    Recommendation,
)
from regional_centre.i18n import N_, _
from regional_centre.services.records import RecordService, link_id
from regional_centre.services.reference import COUNTRY, LIFECYCLE_STAGE, PRIORITY_FIELD
from regional_centre.services.validation import Checker

_END_BEFORE_START = N_("The end date is before the start date.")


@dataclass(frozen=True, kw_only=True)
class DialogueDraft:
    """A scoping dialogue as the user enters it."""

    title: str
    held_on: dt.date
    format: DialogueFormat
    country: str
    venue: str = ""
    city: str = ""
    lifecycle_stages: tuple[str, ...] = ()
    waste_streams: tuple[str, ...] = ()
    summary: str = ""


@dataclass(frozen=True, kw_only=True)
class DialogueRecord(DialogueDraft):
    id: str


class DialogueService(RecordService[DialogueDraft, DialogueRecord]):
    """Scoping dialogues with stakeholders (framework element b)."""

    model = Dialogue
    draft_type = DialogueDraft
    record_type = DialogueRecord
    entity = "dialogue"

    def check(self, c: Checker) -> None:
        c.text("title", required=True)
        c.date("held_on")
        c.choice("format", DialogueFormat)
        c.code("country", COUNTRY)
        c.text("venue", max_length=200)
        c.text("city", max_length=120)
        c.code_set("lifecycle_stages", self._reference.codes(LIFECYCLE_STAGE))
        c.code_set("waste_streams", self._reference.waste_stream_codes())
        c.text("summary", max_length=50_000)


@dataclass(frozen=True, kw_only=True)
class DialogueParticipantDraft:
    """An organisation (and optionally one of its people) in a dialogue."""

    dialogue_id: str
    organisation_id: str
    contact_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class DialogueParticipantRecord(DialogueParticipantDraft):
    id: str


class DialogueParticipantService(
    RecordService[DialogueParticipantDraft, DialogueParticipantRecord]
):
    """Who took part in a dialogue."""

    model = DialogueParticipant
    draft_type = DialogueParticipantDraft
    record_type = DialogueParticipantRecord
    entity = "dialogue_participant"
    references = {"dialogue_id": Dialogue, "organisation_id": Organisation, "contact_id": Contact}

    derived_ids = True

    def new_id(self, values: dict[str, Any]) -> str:
        return link_id(
            self.entity, values["dialogue_id"], values["organisation_id"], values["contact_id"]
        )

    def duplicate_message(self) -> str:
        return _("This organisation or person is already a participant of the dialogue.")

    def check_in_database(
        self, c: Checker, session: Session, current: DialogueParticipantRecord | None
    ) -> None:
        self.check_batch_in_database(session, [c])

    def check_batch_in_database(self, session: Session, checkers: list[Checker]) -> None:
        contacts = {c.values["contact_id"] for c in checkers if c.values["contact_id"]}
        if not contacts:
            return
        employer = dict(
            session.execute(
                select(Contact.id, Contact.organisation_id).where(Contact.id.in_(contacts))
            ).all()
        )
        for c in checkers:
            contact = c.values["contact_id"]
            if contact and employer.get(contact) != c.values["organisation_id"]:
                c.add("contact_id", _("This person does not work for the organisation chosen."))

    def for_dialogue(self, dialogue_id: str) -> list[DialogueParticipantRecord]:
        """Every live participant of a dialogue, in the order added."""
        return self._live_where(
            DialogueParticipant.dialogue_id == dialogue_id,
            order_by=(
                DialogueParticipant.created_stamp,
                DialogueParticipant.id,
            ),
        )


@dataclass(frozen=True, kw_only=True)
class FollowUpActionDraft:
    """An action agreed in a dialogue."""

    dialogue_id: str
    description: str
    status: ActionStatus = ActionStatus.OPEN
    responsible: str = ""
    due_on: dt.date | None = None
    completed_on: dt.date | None = None


@dataclass(frozen=True, kw_only=True)
class FollowUpActionRecord(FollowUpActionDraft):
    id: str

    def is_overdue(self, today: dt.date) -> bool:
        """Open and past its due date."""
        return self.status == ActionStatus.OPEN and self.due_on is not None and self.due_on < today


class FollowUpActionService(RecordService[FollowUpActionDraft, FollowUpActionRecord]):
    """Follow-up actions of dialogues, with due dates."""

    model = FollowUpAction
    draft_type = FollowUpActionDraft
    record_type = FollowUpActionRecord
    entity = "follow_up_action"
    references = {"dialogue_id": Dialogue}

    def check(self, c: Checker) -> None:
        c.text("description", required=True, max_length=2000)
        c.choice("status", ActionStatus)
        c.text("responsible", max_length=200)
        c.date("due_on", required=False)
        c.date("completed_on", required=False)
        if c.values["status"] == ActionStatus.DONE and c.values["completed_on"] is None:
            c.add("completed_on", _("Enter the date the action was done."))
        if c.values["status"] != ActionStatus.DONE and c.values["completed_on"] is not None:
            c.add("completed_on", _("Only a done action has a completion date."))

    def for_dialogue(self, dialogue_id: str) -> list[FollowUpActionRecord]:
        """Every live follow-up action of a dialogue, by due date (undated last)."""
        return self._live_where(
            FollowUpAction.dialogue_id == dialogue_id,
            order_by=(
                FollowUpAction.due_on.is_(None),
                FollowUpAction.due_on,
                FollowUpAction.created_stamp,
            ),
        )


@dataclass(frozen=True, kw_only=True)
class PartnershipDraft:
    """A strategic partnership as the user enters it."""

    title: str
    priority_fields: tuple[str, ...]
    agreement_status: AgreementStatus = AgreementStatus.PROPOSED
    regional_specificities: str = ""
    signed_on: dt.date | None = None
    start_on: dt.date | None = None
    end_on: dt.date | None = None
    description: str = ""


@dataclass(frozen=True, kw_only=True)
class PartnershipRecord(PartnershipDraft):
    id: str


class PartnershipService(RecordService[PartnershipDraft, PartnershipRecord]):
    """Strategic partnerships in priority fields (framework element c)."""

    model = Partnership
    draft_type = PartnershipDraft
    record_type = PartnershipRecord
    entity = "partnership"

    def check(self, c: Checker) -> None:
        c.text("title", required=True)
        c.code_set("priority_fields", self._reference.codes(PRIORITY_FIELD), required=True)
        c.choice("agreement_status", AgreementStatus)
        c.text("regional_specificities", max_length=20_000)
        c.date("signed_on", required=False)
        c.date("start_on", required=False)
        c.date("end_on", required=False)
        c.text("description", max_length=50_000)
        c.not_before("end_on", "start_on", _(_END_BEFORE_START))
        signed = {AgreementStatus.SIGNED, AgreementStatus.ACTIVE, AgreementStatus.CONCLUDED}
        if c.values["agreement_status"] in signed and c.values["signed_on"] is None:
            c.add("signed_on", _("Enter the date the agreement was signed."))


@dataclass(frozen=True, kw_only=True)
class PartnershipMemberDraft:
    partnership_id: str
    organisation_id: str
    role: str = ""


@dataclass(frozen=True, kw_only=True)
class PartnershipMemberRecord(PartnershipMemberDraft):
    id: str


class PartnershipMemberService(RecordService[PartnershipMemberDraft, PartnershipMemberRecord]):
    """The organisations party to a partnership."""

    model = PartnershipMember
    draft_type = PartnershipMemberDraft
    record_type = PartnershipMemberRecord
    entity = "partnership_member"
    references = {"partnership_id": Partnership, "organisation_id": Organisation}

    def check(self, c: Checker) -> None:
        c.text("role", max_length=200)

    derived_ids = True

    def new_id(self, values: dict[str, Any]) -> str:
        return link_id(self.entity, values["partnership_id"], values["organisation_id"])

    def duplicate_message(self) -> str:
        return _("This organisation is already a member of the partnership.")

    def for_partnership(self, partnership_id: str) -> list[PartnershipMemberRecord]:
        """Every live member of a partnership."""
        return self._live_where(
            PartnershipMember.partnership_id == partnership_id,
            order_by=(PartnershipMember.created_stamp,),
        )


@dataclass(frozen=True, kw_only=True)
class JointActivityDraft:
    """A joint activity as the user enters it."""

    title: str
    activity_type: ActivityType
    status: ActivityStatus = ActivityStatus.PLANNED
    partnership_id: str | None = None
    objectives: str = ""
    start_on: dt.date | None = None
    end_on: dt.date | None = None
    country: str | None = None
    waste_streams: tuple[str, ...] = ()
    budget_amount: decimal.Decimal | None = None
    budget_currency: str | None = None


@dataclass(frozen=True, kw_only=True)
class JointActivityRecord(JointActivityDraft):
    id: str


class JointActivityService(RecordService[JointActivityDraft, JointActivityRecord]):
    """Joint activities with industry (framework element d)."""

    model = JointActivity
    draft_type = JointActivityDraft
    record_type = JointActivityRecord
    entity = "joint_activity"
    references = {"partnership_id": Partnership}

    def check(self, c: Checker) -> None:
        c.text("title", required=True)
        c.choice("activity_type", ActivityType)
        c.choice("status", ActivityStatus)
        c.text("objectives", max_length=50_000)
        c.date("start_on", required=False)
        c.date("end_on", required=False)
        c.not_before("end_on", "start_on", _(_END_BEFORE_START))
        c.code("country", COUNTRY, required=False)
        c.code_set("waste_streams", self._reference.waste_stream_codes())
        c.number("budget_amount", minimum=0)
        c.currency("budget_currency", required=c.values["budget_amount"] is not None)

    def for_partnership(self, partnership_id: str) -> list[JointActivityRecord]:
        """Every live joint activity of a partnership, newest first."""
        return self._live_where(
            JointActivity.partnership_id == partnership_id,
            order_by=(
                JointActivity.start_on.desc(),
                JointActivity.title,
            ),
        )


@dataclass(frozen=True, kw_only=True)
class ContributionDraft:
    """Cash or in-kind support of a joint activity or a training session by an organisation."""

    organisation_id: str
    kind: ContributionKind
    activity_id: str | None = None
    session_id: str | None = None
    amount: decimal.Decimal | None = None
    currency: str | None = None
    description: str = ""


@dataclass(frozen=True, kw_only=True)
class ContributionRecord(ContributionDraft):
    id: str


class ContributionService(RecordService[ContributionDraft, ContributionRecord]):
    """Industry contributions to joint activities and training sessions."""

    model = Contribution
    draft_type = ContributionDraft
    record_type = ContributionRecord
    entity = "contribution"
    references = {
        "organisation_id": Organisation,
        "activity_id": JointActivity,
        "session_id": TrainingSession,
    }

    def check(self, c: Checker) -> None:
        c.choice("kind", ContributionKind)
        c.number("amount", minimum=0)
        c.currency("currency", required=c.values["amount"] is not None)
        c.text("description", max_length=5000)
        if (c.values["activity_id"] is None) == (c.values["session_id"] is None):
            c.add("activity_id", _("Link the contribution to one joint activity or one session."))
        if c.values["kind"] == ContributionKind.CASH and c.values["amount"] is None:
            c.add("amount", _("Enter the amount of a cash contribution."))
        if c.values["kind"] == ContributionKind.IN_KIND and not (
            c.values["description"] or c.values["amount"] is not None
        ):
            c.add("description", _("Describe the in-kind contribution or give its value."))

    def for_activity(self, activity_id: str) -> list[ContributionRecord]:
        """Every live contribution to a joint activity, in the order entered."""
        return self._live_where(
            Contribution.activity_id == activity_id, order_by=(Contribution.created_stamp,)
        )

    def for_session(self, session_id: str) -> list[ContributionRecord]:
        """Every live contribution to a training session, in the order entered."""
        return self._live_where(
            Contribution.session_id == session_id, order_by=(Contribution.created_stamp,)
        )


@dataclass(frozen=True, kw_only=True)
class OutcomeDraft:
    """A measured outcome: indicator, value and unit."""

    activity_id: str
    indicator: str
    value: decimal.Decimal
    unit: str
    measured_on: dt.date | None = None
    notes: str = ""


@dataclass(frozen=True, kw_only=True)
class OutcomeRecord(OutcomeDraft):
    id: str


class OutcomeService(RecordService[OutcomeDraft, OutcomeRecord]):
    """Measured outcomes of joint activities."""

    model = Outcome
    draft_type = OutcomeDraft
    record_type = OutcomeRecord
    entity = "outcome"
    references = {"activity_id": JointActivity}

    def check(self, c: Checker) -> None:
        c.text("indicator", required=True)
        c.number("value", required=True)
        c.text("unit", required=True, max_length=40)
        c.date("measured_on", required=False)
        c.text("notes", max_length=5000)

    def for_activity(self, activity_id: str) -> list[OutcomeRecord]:
        """Every live outcome of a joint activity, in the order entered."""
        return self._live_where(
            Outcome.activity_id == activity_id, order_by=(Outcome.created_stamp,)
        )


@dataclass(frozen=True, kw_only=True)
class AdvisoryReviewDraft:
    """The Advisory Committee's review of a joint activity."""

    activity_id: str
    reviewed_on: dt.date
    recommendation: Recommendation
    reviewer: str = ""
    comments: str = ""


@dataclass(frozen=True, kw_only=True)
class AdvisoryReviewRecord(AdvisoryReviewDraft):
    id: str


class AdvisoryReviewService(RecordService[AdvisoryReviewDraft, AdvisoryReviewRecord]):
    """Reviews of joint activities by the Advisory Committee on Partnership with Industry."""

    model = AdvisoryReview
    draft_type = AdvisoryReviewDraft
    record_type = AdvisoryReviewRecord
    entity = "advisory_review"
    references = {"activity_id": JointActivity}

    def check(self, c: Checker) -> None:
        c.date("reviewed_on")
        c.choice("recommendation", Recommendation)
        c.text("reviewer", max_length=200)
        c.text("comments", max_length=50_000)

    def check_in_database(
        self, c: Checker, session: Session, current: AdvisoryReviewRecord | None
    ) -> None:
        activity = session.get(JointActivity, c.values["activity_id"])
        reviewed = c.values["reviewed_on"]
        started = activity.start_on if activity is not None else None
        if started is not None and isinstance(reviewed, dt.date) and reviewed < started:
            c.add("reviewed_on", _("The review is dated before the activity started."))

    def for_activity(self, activity_id: str) -> list[AdvisoryReviewRecord]:
        """Every live review of a joint activity, oldest first."""
        return self._live_where(
            AdvisoryReview.activity_id == activity_id,
            order_by=(
                AdvisoryReview.reviewed_on,
                AdvisoryReview.created_stamp,
            ),
        )
