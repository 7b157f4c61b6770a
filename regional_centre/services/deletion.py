"""What deleting a record does to the records around it.

A record *owns* children that make no sense without it (a dialogue's
participants and follow-up actions); they are deleted with it. Other records
*use* it (a contact's organisation); while a live one does, the deletion is
refused, so nothing disappears as a side effect the user did not see.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute

from regional_centre.db.models import (
    AdvisoryReview,
    Certificate,
    Contact,
    Contribution,
    Dialogue,
    DialogueParticipant,
    FollowUpAction,
    JointActivity,
    Organisation,
    Outcome,
    Participation,
    Partnership,
    PartnershipMember,
    SmeFollowUp,
    TrainingSession,
)
from regional_centre.i18n import N_, _
from regional_centre.services.context import Change
from regional_centre.services.errors import ValidationError
from regional_centre.services.records import batched

Column = InstrumentedAttribute[Any]

OWNED: dict[type[Any], tuple[Column, ...]] = {
    Dialogue: (DialogueParticipant.dialogue_id, FollowUpAction.dialogue_id),
    Partnership: (PartnershipMember.partnership_id,),
    JointActivity: (Contribution.activity_id, Outcome.activity_id, AdvisoryReview.activity_id),
    TrainingSession: (Participation.session_id, Contribution.session_id),
}

USED_BY: dict[type[Any], tuple[Column, ...]] = {
    Organisation: (
        Contact.organisation_id,
        DialogueParticipant.organisation_id,
        PartnershipMember.organisation_id,
        Contribution.organisation_id,
        Participation.organisation_id,
        SmeFollowUp.organisation_id,
    ),
    Contact: (DialogueParticipant.contact_id, Participation.contact_id),
    Partnership: (JointActivity.partnership_id,),
    TrainingSession: (SmeFollowUp.session_id,),
    Participation: (Certificate.participation_id,),
}

KIND_NAMES: dict[type[Any], str] = {
    Contact: N_("contacts"),
    DialogueParticipant: N_("dialogue participants"),
    PartnershipMember: N_("partnership members"),
    Contribution: N_("contributions"),
    Participation: N_("training participations"),
    SmeFollowUp: N_("SME follow-ups"),
    JointActivity: N_("joint activities"),
    Certificate: N_("certificates"),
}


def delete_rows(change: Change, model: type[Any], ids: list[str]) -> dict[str, int]:
    """Tombstone ``ids`` and what they own; return how many owned records went with them."""
    session = change.session
    users = []
    for column in USED_BY.get(model, ()):
        count = _count_live(change, column, ids)
        if count:
            users.append(f"{count} {_(KIND_NAMES[_model_of(column)])}")
    if users:
        raise ValidationError.single(
            "id",
            _("This record is still used by {users}; delete or change those first.").format(
                users=", ".join(users)
            ),
        )
    removed: dict[str, int] = {}
    for column in OWNED.get(model, ()):
        child = _model_of(column)
        child_ids = [
            i
            for chunk in batched(ids, 900)
            for i in session.scalars(
                select(child.id).where(column.in_(chunk), child.deleted.is_(False))
            )
        ]
        if child_ids:
            for name, count in delete_rows(change, child, child_ids).items():
                removed[name] = removed.get(name, 0) + count
            removed[child.__tablename__] = removed.get(child.__tablename__, 0) + len(child_ids)
    for chunk in batched(ids, 900):
        for row in session.scalars(select(model).where(model.id.in_(chunk))):
            row.field_stamps = {**row.field_stamps, "deleted": change.stamp}
            row.stamp = change.stamp
            row.seq = change.seq
            row.deleted = True
    session.flush()
    return removed


def _model_of(column: Column) -> type[Any]:
    return cast(type[Any], column.class_)


def _count_live(change: Change, column: Column, ids: list[str]) -> int:
    table = _model_of(column)
    return sum(
        change.session.scalar(
            select(func.count()).where(column.in_(chunk), table.deleted.is_(False))
        )
        or 0
        for chunk in batched(ids, 900)
    )


__all__ = ["OWNED", "USED_BY", "delete_rows"]
