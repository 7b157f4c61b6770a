"""What undo and actions on a selection of rows need: restore, delete_many and change_many."""

from __future__ import annotations

from typing import Any

import pytest

from regional_centre.db.models import Dialogue, DialogueParticipant, FollowUpAction, Organisation
from regional_centre.enums import AuditAction, EngagementStage, RegistrationStatus, StakeholderType
from regional_centre.services import Services
from regional_centre.services.engagement import DialogueParticipantDraft
from regional_centre.services.errors import NotFound, ValidationError
from tests.services.test_engagement import action_draft, dialogue_draft
from tests.services.test_organisations import (
    assert_refused,
    contact_draft,
    organisation_draft,
    sme_draft,
)
from tests.services.test_training import new_person, new_session


def stamps(services: Services, model: type[Any], record_id: str) -> tuple[str, int, bool]:
    """The stamp, change sequence number and deleted flag of a row (its deletion's stamp checked)."""
    with services.database.sessions() as session:
        row = session.get(model, record_id)
        assert row is not None
        assert row.field_stamps.get("deleted") in (None, row.stamp)
        return row.stamp, row.seq, row.deleted


def test_restoring_a_dialogue_brings_back_what_was_deleted_with_it(services: Services) -> None:
    company = services.organisations.create(organisation_draft())
    dialogue = services.dialogues.create(dialogue_draft())
    participant = services.dialogue_participants.create(
        DialogueParticipantDraft(dialogue_id=dialogue.id, organisation_id=company.id)
    )
    dropped_earlier = services.follow_up_actions.create(action_draft(dialogue.id))
    services.follow_up_actions.delete(dropped_earlier.id)
    actions = [services.follow_up_actions.create(action_draft(dialogue.id)) for _ in range(2)]
    services.dialogues.delete(dialogue.id)

    assert services.dialogues.restore(dialogue.id) == dialogue

    assert services.dialogues.get(dialogue.id) == dialogue
    assert services.dialogue_participants.get(participant.id) == participant
    assert sorted(services.follow_up_actions.ids()) == sorted(a.id for a in actions)
    with pytest.raises(NotFound):
        services.follow_up_actions.get(dropped_earlier.id)
    history = services.audit.history(dialogue.id)
    assert [entry.action for entry in history] == [
        AuditAction.CREATE,
        AuditAction.DELETE,
        AuditAction.RESTORE,
    ]
    assert history[-1].changes == {
        "also_restored": {"dialogue_participant": 1, "follow_up_action": 2}
    }
    assert AuditAction.RESTORE.label() == "Restored"


def test_restore_advances_the_stamps_of_everything_it_brings_back(services: Services) -> None:
    dialogue = services.dialogues.create(dialogue_draft())
    action = services.follow_up_actions.create(action_draft(dialogue.id))
    services.dialogues.delete(dialogue.id)
    deleted = stamps(services, FollowUpAction, action.id)

    services.dialogues.restore(dialogue.id)

    restored = stamps(services, FollowUpAction, action.id)
    assert restored[0] > deleted[0] and restored[1] > deleted[1]
    assert (deleted[2], restored[2]) == (True, False)
    # One unit of work: the dialogue has the same stamp and sequence number as its action.
    assert stamps(services, Dialogue, dialogue.id) == restored


def test_restoring_a_live_or_unknown_record_is_refused(services: Services) -> None:
    created = services.organisations.create(organisation_draft())
    message = assert_refused(
        services.organisations, "id", lambda: services.organisations.restore(created.id)
    )
    assert "not deleted" in message
    with pytest.raises(NotFound):
        services.organisations.restore("00000000-0000-0000-0000-000000000000")
    assert len(services.audit.history(created.id)) == 1


def test_restore_is_refused_while_the_organisation_it_names_is_deleted(
    services: Services,
) -> None:
    company = services.organisations.create(organisation_draft())
    person = services.contacts.create(contact_draft(organisation_id=company.id))
    services.contacts.delete(person.id)
    services.organisations.delete(company.id)
    before = stamps(services, Organisation, company.id), len(services.audit.history(person.id))

    assert_refused(
        services.contacts, "organisation_id", lambda: services.contacts.restore(person.id)
    )

    after = stamps(services, Organisation, company.id), len(services.audit.history(person.id))
    assert after == before
    services.organisations.restore(company.id)
    assert services.contacts.restore(person.id) == person


def test_restore_is_refused_while_a_record_deleted_with_it_names_a_deleted_one(
    services: Services,
) -> None:
    company = services.organisations.create(organisation_draft())
    dialogue = services.dialogues.create(dialogue_draft())
    participant = services.dialogue_participants.create(
        DialogueParticipantDraft(dialogue_id=dialogue.id, organisation_id=company.id)
    )
    services.dialogues.delete(dialogue.id)
    services.organisations.delete(company.id)  # no longer used: its participant is deleted

    message = assert_refused(
        services.dialogues, "id", lambda: services.dialogues.restore(dialogue.id)
    )
    assert "1 record deleted with it" in message
    with services.database.sessions() as session:
        row = session.get(DialogueParticipant, participant.id)
        assert row is not None and row.deleted


def test_restoring_a_registration_into_a_full_session_is_refused(services: Services) -> None:
    training = new_session(services, capacity=1)
    first = services.participations.register(training.id, new_person(services, "Diop"))
    services.participations.delete(first.id)
    services.participations.register(training.id, new_person(services, "Fall"))

    assert_refused(
        services.participations,
        "registration_status",
        lambda: services.participations.restore(first.id),
    )
    assert services.participations.count() == 1


def test_delete_many_refuses_all_while_one_is_in_use(services: Services) -> None:
    companies = [services.organisations.create(organisation_draft(name=n)) for n in "ABC"]
    ids = [c.id for c in companies]
    person = services.contacts.create(contact_draft(organisation_id=ids[1]))

    message = assert_refused(
        services.organisations, "id", lambda: services.organisations.delete_many(ids)
    )
    assert "1 of the 3" in message
    assert sorted(services.organisations.ids()) == sorted(ids)

    services.contacts.delete(person.id)
    assert services.organisations.delete_many(ids) == {}
    assert services.organisations.count() == 0
    for company in companies:
        assert [e.action for e in services.audit.history(company.id)] == [
            AuditAction.CREATE,
            AuditAction.DELETE,
        ]


def test_delete_many_counts_what_went_with_each_record(services: Services) -> None:
    first, second = (services.dialogues.create(dialogue_draft(title=t)) for t in "AB")
    for dialogue, count in ((first, 2), (second, 1)):
        for _ in range(count):
            services.follow_up_actions.create(action_draft(dialogue.id))

    removed = services.dialogues.delete_many([first.id, second.id])

    assert removed == {"follow_up_action": 3}
    assert services.follow_up_actions.count() == 0
    assert services.audit.history(first.id)[-1].changes == {"also_deleted": {"follow_up_action": 2}}
    assert services.audit.history(second.id)[-1].changes == {
        "also_deleted": {"follow_up_action": 1}
    }
    with pytest.raises(NotFound):
        services.dialogues.delete_many([first.id])
    # Deleted together, yet each comes back with its own actions only.
    services.dialogues.restore(second.id)
    assert services.follow_up_actions.count() == 1


def test_change_many_changes_every_record_with_one_audit_entry_each(services: Services) -> None:
    ids = [services.organisations.create(organisation_draft(name=n)).id for n in "ABC"]

    changed = services.organisations.change_many(ids, engagement_stage=EngagementStage.DIALOGUE)

    assert [r.id for r in changed] == ids
    assert [r.engagement_stage for r in changed] == [EngagementStage.DIALOGUE] * 3
    for record_id in ids:
        assert services.organisations.get(record_id).engagement_stage == EngagementStage.DIALOGUE
        history = services.audit.history(record_id)
        assert [e.action for e in history] == [AuditAction.CREATE, AuditAction.UPDATE]
        assert history[-1].changes == {"engagement_stage": ["identified", "dialogue"]}


def test_change_many_refuses_all_when_one_record_is_invalid(services: Services) -> None:
    ids = [services.organisations.create(organisation_draft(name=n)).id for n in "AB"]
    ids.append(services.organisations.create(sme_draft()).id)  # small: 10 to 49 employees
    before = [services.organisations.get(i) for i in ids]

    message = assert_refused(
        services.organisations,
        "engagement_stage",
        lambda: services.organisations.change_many(ids, engagement_stage="courtship"),
    )
    assert message.startswith("Record 1:")
    message = assert_refused(
        services.organisations,
        "employees",
        lambda: services.organisations.change_many(ids, employees=100),
    )
    assert message.startswith("Record 3:")

    assert [services.organisations.get(i) for i in ids] == before
    assert all(len(services.audit.history(i)) == 1 for i in ids)


def test_change_many_checks_each_record_after_the_ones_before_it(services: Services) -> None:
    training = new_session(services, capacity=2)
    waiting = [
        services.participations.register(
            training.id, new_person(services, name), status=RegistrationStatus.WAITLISTED
        ).id
        for name in ("Diop", "Fall", "Sow")
    ]
    confirm = {"registration_status": RegistrationStatus.CONFIRMED}

    message = assert_refused(
        services.participations,
        "registration_status",
        lambda: services.participations.change_many(waiting, **confirm),
    )
    assert message.startswith("Record 3:")
    assert services.participations.change_many(waiting[:2], **confirm)[1].id == waiting[1]
    assert services.participations.get(waiting[2]).registration_status == "waitlisted"


def test_empty_selections_write_nothing(services: Services) -> None:
    assert services.organisations.delete_many([]) == {}
    assert services.organisations.change_many([], city="Dakar") == []
    with pytest.raises(ValidationError):
        services.organisations.change_many(
            [services.organisations.create(organisation_draft()).id], country="XX"
        )


def test_restoring_several_is_all_or_nothing(services: Services) -> None:
    from regional_centre.services.organisations import OrganisationDraft

    ids = [
        services.organisations.create(
            OrganisationDraft(
                name=f"Partner {n}", stakeholder_type=StakeholderType.NATIONAL_COMPANY, country="SN"
            )
        ).id
        for n in range(3)
    ]
    services.organisations.delete_many(ids[:2])
    with pytest.raises(ValidationError):  # the third is live: nothing is restored
        services.organisations.restore_many(ids)
    assert services.organisations.count() == 1
    restored = services.organisations.restore_many(ids[:2])
    assert [r.name for r in restored] == ["Partner 0", "Partner 1"]
    assert services.organisations.count() == 3
