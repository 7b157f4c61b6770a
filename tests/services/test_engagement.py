"""Dialogues, partnerships, joint activities and what they lead to (framework elements b-d)."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

import pytest

from regional_centre.db.models import DialogueParticipant, FollowUpAction
from regional_centre.enums import ActionStatus, AgreementStatus, ContributionKind, Recommendation
from regional_centre.services import Services
from regional_centre.services.engagement import (
    AdvisoryReviewDraft,
    ContributionDraft,
    DialogueDraft,
    DialogueParticipantDraft,
    FollowUpActionDraft,
    FollowUpActionRecord,
    JointActivityDraft,
    OutcomeDraft,
    PartnershipDraft,
    PartnershipMemberDraft,
)
from regional_centre.services.errors import NotFound
from tests.services.test_organisations import (
    assert_create_refused,
    assert_refused,
    organisation_draft,
)
from tests.services.test_training import session_draft

START = dt.date(2027, 4, 1)


def dialogue_draft(**fields: Any) -> DialogueDraft:
    values = {"title": "E-waste in Dakar", "held_on": START, "format": "workshop", "country": "SN"}
    return DialogueDraft(**{**values, **fields})


def action_draft(dialogue_id: str, **fields: Any) -> FollowUpActionDraft:
    return FollowUpActionDraft(
        dialogue_id=dialogue_id, description="Map collection points", **fields
    )


def partnership_draft(**fields: Any) -> PartnershipDraft:
    values = {"title": "Battery recycling", "priority_fields": ("cleaner_production",)}
    return PartnershipDraft(**{**values, **fields})


def activity_draft(**fields: Any) -> JointActivityDraft:
    return JointActivityDraft(**{"title": "Pilot take-back", "activity_type": "training", **fields})


def company_and_activity(services: Services) -> tuple[str, str]:
    """A new organisation's id and a new joint activity's id (the activity starts on START)."""
    company = services.organisations.create(organisation_draft())
    return company.id, services.activities.create(activity_draft(start_on=START)).id


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": " "}, "title"),
        ({"held_on": None}, "held_on"),
        ({"held_on": "2027-02-30"}, "held_on"),
        ({"format": None}, "format"),
        ({"country": ""}, "country"),
        ({"lifecycle_stages": ("design", "teleportation")}, "lifecycle_stages"),
    ],
)
def test_invalid_dialogue_is_refused(
    services: Services, fields: dict[str, Any], field: str
) -> None:
    assert_create_refused(services.dialogues, dialogue_draft(**fields), field)


def test_dialogue_is_stored_with_sorted_stages(services: Services) -> None:
    stages = ("production", "design", "design")
    created = services.dialogues.create(
        dialogue_draft(held_on="2027-04-01", lifecycle_stages=stages)
    )
    stored = services.dialogues.get(created.id)
    assert (stored.held_on, stored.lifecycle_stages) == (START, ("design", "production"))


def test_the_same_organisation_cannot_join_a_dialogue_twice(services: Services) -> None:
    dialogue = services.dialogues.create(dialogue_draft())
    company = services.organisations.create(organisation_draft())
    draft = DialogueParticipantDraft(dialogue_id=dialogue.id, organisation_id=company.id)
    services.dialogue_participants.create(draft)
    message = assert_create_refused(services.dialogue_participants, draft, "id")
    assert "already a participant" in message


def test_deleting_a_dialogue_deletes_its_participants_and_actions(services: Services) -> None:
    company = services.organisations.create(organisation_draft())
    dialogue, other = (services.dialogues.create(dialogue_draft(title=t)) for t in "AB")
    participant = services.dialogue_participants.create(
        DialogueParticipantDraft(dialogue_id=dialogue.id, organisation_id=company.id)
    )
    actions = [services.follow_up_actions.create(action_draft(dialogue.id)) for _ in range(2)]
    kept = services.follow_up_actions.create(action_draft(other.id))

    services.dialogues.delete(dialogue.id)

    with pytest.raises(NotFound):
        services.dialogues.get(dialogue.id)
    assert services.dialogue_participants.count() == 0
    assert services.follow_up_actions.ids() == [kept.id]
    with services.database.sessions() as session:
        rows: list[Any] = [session.get(FollowUpAction, a.id) for a in actions]
        rows.append(session.get(DialogueParticipant, participant.id))
        assert [row.deleted for row in rows if row is not None] == [True, True, True]
    assert services.audit.history(dialogue.id)[-1].changes == {
        "also_deleted": {"dialogue_participant": 1, "follow_up_action": 2}
    }
    services.organisations.delete(company.id)  # no longer used by the dialogue
    assert services.organisations.count() == 0


@pytest.mark.parametrize(
    ("status", "completed_on"),
    [(ActionStatus.DONE, None), (ActionStatus.OPEN, START), (ActionStatus.CANCELLED, START)],
)
def test_only_a_done_action_has_a_completion_date(
    services: Services, status: ActionStatus, completed_on: dt.date | None
) -> None:
    dialogue = services.dialogues.create(dialogue_draft())
    draft = action_draft(dialogue.id, status=status, completed_on=completed_on)
    assert_create_refused(services.follow_up_actions, draft, "completed_on")
    done = action_draft(dialogue.id, status=ActionStatus.DONE, completed_on="2027-04-20")
    assert services.follow_up_actions.create(done).completed_on == dt.date(2027, 4, 20)


@pytest.mark.parametrize(
    ("status", "due_on", "overdue"),
    [
        (ActionStatus.OPEN, dt.date(2027, 5, 9), True),
        (ActionStatus.OPEN, dt.date(2027, 5, 10), False),
        (ActionStatus.OPEN, None, False),
        (ActionStatus.DONE, dt.date(2027, 5, 1), False),
        (ActionStatus.CANCELLED, dt.date(2027, 5, 1), False),
    ],
)
def test_an_action_is_overdue_when_open_and_past_due(
    status: ActionStatus, due_on: dt.date | None, overdue: bool
) -> None:
    action = FollowUpActionRecord(
        id="a", dialogue_id="d", description="x", status=status, due_on=due_on
    )
    assert action.is_overdue(dt.date(2027, 5, 10)) is overdue


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        pytest.param({"priority_fields": ()}, "priority_fields", id="no-field"),
        pytest.param({"priority_fields": ("space_travel",)}, "priority_fields", id="unknown"),
        pytest.param({"start_on": START, "end_on": "2027-03-31"}, "end_on", id="end-first"),
        pytest.param({"agreement_status": "signed"}, "signed_on", id="signed-undated"),
        pytest.param({"agreement_status": "active"}, "signed_on", id="active-undated"),
    ],
)
def test_invalid_partnership_is_refused(
    services: Services, fields: dict[str, Any], field: str
) -> None:
    assert_create_refused(services.partnerships, partnership_draft(**fields), field)


def test_partnership_with_a_joint_activity_cannot_be_deleted(services: Services) -> None:
    partnership = services.partnerships.create(
        partnership_draft(agreement_status=AgreementStatus.SIGNED, signed_on=START)
    )
    company = services.organisations.create(organisation_draft())
    services.partnership_members.create(
        PartnershipMemberDraft(partnership_id=partnership.id, organisation_id=company.id)
    )
    activity = services.activities.create(activity_draft(partnership_id=partnership.id))

    message = assert_refused(
        services.partnerships, "id", lambda: services.partnerships.delete(partnership.id)
    )
    assert message == "This record is still used by 1 joint activity; delete or change those first."
    assert services.partnerships.get(partnership.id) == partnership
    assert services.partnership_members.count() == 1

    services.activities.delete(activity.id)
    services.partnerships.delete(partnership.id)
    assert services.partnerships.count() == services.partnership_members.count() == 0


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        pytest.param({"budget_amount": 5000}, "budget_currency", id="no-currency"),
        pytest.param(
            {"budget_amount": 5000, "budget_currency": "XXY"}, "budget_currency", id="unknown"
        ),
        pytest.param(
            {"budget_amount": -1, "budget_currency": "XOF"}, "budget_amount", id="below-0"
        ),
    ],
)
def test_invalid_joint_activity_budget_is_refused(
    services: Services, fields: dict[str, Any], field: str
) -> None:
    assert_create_refused(services.activities, activity_draft(**fields), field)
    created = services.activities.create(
        activity_draft(budget_amount="12500.50", budget_currency="xof")
    )
    stored = services.activities.get(created.id)
    assert (stored.budget_amount, stored.budget_currency) == (decimal.Decimal("12500.5"), "XOF")


@pytest.mark.parametrize(
    ("recipients", "kind", "amount", "field"),
    [
        pytest.param("activity session", "in_kind", 100, "activity_id", id="both"),
        pytest.param("", "in_kind", 100, "activity_id", id="neither"),
        pytest.param("activity", "cash", None, "amount", id="cash-without-amount"),
    ],
)
def test_invalid_contribution_is_refused(
    services: Services, recipients: str, kind: str, amount: int | None, field: str
) -> None:
    company_id, activity_id = company_and_activity(services)
    session_id = services.sessions.create(session_draft()).id

    def contribution(recipients: str, kind: str, amount: int | None) -> ContributionDraft:
        return ContributionDraft(
            organisation_id=company_id,
            kind=ContributionKind(kind),
            activity_id=activity_id if "activity" in recipients else None,
            session_id=session_id if "session" in recipients else None,
            amount=None if amount is None else decimal.Decimal(amount),
            currency="XOF",
        )

    assert_create_refused(services.contributions, contribution(recipients, kind, amount), field)
    created = services.contributions.create(contribution("session", "cash", 250_000))
    assert services.contributions.get(created.id).session_id == session_id


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"indicator": ""}, "indicator"), ({"value": None}, "value"), ({"unit": " "}, "unit")],
)
def test_outcome_needs_indicator_value_and_unit(
    services: Services, fields: dict[str, Any], field: str
) -> None:
    _company_id, activity_id = company_and_activity(services)
    values = {"indicator": "Batteries collected", "value": 12, "unit": "t", **fields}
    assert_create_refused(services.outcomes, OutcomeDraft(activity_id=activity_id, **values), field)


def test_review_dated_before_the_activity_start_is_refused(services: Services) -> None:
    _company_id, activity_id = company_and_activity(services)

    def review(on: dt.date) -> AdvisoryReviewDraft:
        return AdvisoryReviewDraft(
            activity_id=activity_id, reviewed_on=on, recommendation=Recommendation.CONTINUE
        )

    assert_create_refused(services.reviews, review(dt.date(2027, 3, 31)), "reviewed_on")
    assert services.reviews.create(review(START)).reviewed_on == START
