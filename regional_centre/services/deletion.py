"""What deleting a record does to the records around it.

A record *owns* children that make no sense without it (a dialogue's
participants and follow-up actions); they are deleted with it. Other records
*use* it (a contact's organisation); while a live one does, the deletion is
refused, so nothing disappears as a side effect the user did not see.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from babel.lists import format_list
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
from regional_centre.i18n import _, current_language, format_number, ngettext
from regional_centre.services.context import Change
from regional_centre.services.errors import ValidationError
from regional_centre.services.records import batched, live_ids

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

# How many records of a kind use the one to delete, in words: "1 contact", "3 contacts".
USERS: dict[type[Any], Callable[[int], str]] = {
    Contact: lambda n: ngettext("{count} contact", "{count} contacts", n),
    DialogueParticipant: lambda n: ngettext(
        "{count} dialogue participant", "{count} dialogue participants", n
    ),
    PartnershipMember: lambda n: ngettext(
        "{count} partnership member", "{count} partnership members", n
    ),
    Contribution: lambda n: ngettext("{count} contribution", "{count} contributions", n),
    Participation: lambda n: ngettext(
        "{count} training participation", "{count} training participations", n
    ),
    SmeFollowUp: lambda n: ngettext("{count} SME follow-up", "{count} SME follow-ups", n),
    JointActivity: lambda n: ngettext("{count} joint activity", "{count} joint activities", n),
    Certificate: lambda n: ngettext("{count} certificate", "{count} certificates", n),
}


def delete_rows(change: Change, model: type[Any], ids: list[str]) -> dict[str, int]:
    """Tombstone ``ids`` and what they own; return how many owned records went with them."""
    removed: dict[str, int] = {}
    for counts in delete_each(change, model, ids).values():
        _add(removed, counts)
    return removed


def delete_each(change: Change, model: type[Any], ids: list[str]) -> dict[str, dict[str, int]]:
    """Like ``delete_rows``, but count what went with each of ``ids`` on its own.

    An id that owned nothing is left out of the result.
    """
    return _delete(change, model, {i: i for i in ids})


def in_use(change: Change, model: type[Any], ids: list[str]) -> set[str]:
    """Which of ``ids`` a live record uses, directly or through a live record they own."""
    session = change.session
    used: set[str] = set()
    for column in USED_BY.get(model, ()):
        table = _model_of(column)
        for chunk in batched(ids, 900):
            used.update(
                session.scalars(
                    select(column).distinct().where(column.in_(chunk), table.deleted.is_(False))
                )
            )
    for column in OWNED.get(model, ()):
        parent_of = _live_children(change, column, ids)
        if parent_of:
            used.update(parent_of[i] for i in in_use(change, _model_of(column), list(parent_of)))
    return used


def restore_rows(change: Change, model: type[Any], ids: list[str]) -> dict[str, int]:
    """Bring back the tombstones ``ids`` and what was deleted with them; count what came back.

    ``delete_rows`` gives every row it tombstones the same ``deleted`` stamp, so
    the owned records carrying a parent's stamp went with it; one deleted on
    its own earlier stays deleted. Refused when an owned record coming back
    names a record deleted since; the caller checks the references of ``ids``.
    """
    session = change.session
    by_stamp: dict[str | None, list[Any]] = {}
    for chunk in batched(ids, 900):
        for row in session.scalars(
            select(model).where(model.id.in_(chunk), model.deleted.is_(True))
        ):
            by_stamp.setdefault(row.field_stamps.get("deleted"), []).append(row)
    owned: dict[type[Any], list[Any]] = {}
    for stamp, rows in by_stamp.items():
        _bring_back(change, model, rows, stamp, owned)
    session.flush()
    broken = sum(_broken_references(change, child, rows) for child, rows in owned.items())
    if broken:
        raise ValidationError.single(
            "id",
            ngettext(
                "{count} record deleted with it names a record deleted since; restore that first.",
                "{count} records deleted with it name records deleted since; restore those first.",
                broken,
            ).format(count=broken),
        )
    return {child.__tablename__: len(rows) for child, rows in owned.items()}


def _delete(change: Change, model: type[Any], top_of: dict[str, str]) -> dict[str, dict[str, int]]:
    """Tombstone the rows of ``top_of`` and what they own, counting per id the user deleted.

    ``top_of`` maps each row's id to the id of the record whose deletion takes it.
    """
    session = change.session
    ids = list(top_of)
    users = []
    for column in USED_BY.get(model, ()):
        count = _count_live(change, column, ids)
        if count:
            users.append(USERS[_model_of(column)](count).format(count=format_number(count)))
    if users:
        raise ValidationError.single(
            "id",
            _("This record is still used by {users}; delete or change those first.").format(
                users=format_list(users, locale=current_language())
            ),
        )
    removed: dict[str, dict[str, int]] = {}
    for column in OWNED.get(model, ()):
        child = _model_of(column)
        child_top = {
            child_id: top_of[parent_id]
            for child_id, parent_id in _live_children(change, column, ids).items()
        }
        if child_top:
            for top, counts in _delete(change, child, child_top).items():
                _add(removed.setdefault(top, {}), counts)
            for top in child_top.values():
                _add(removed.setdefault(top, {}), {child.__tablename__: 1})
    for chunk in batched(ids, 900):
        for row in session.scalars(select(model).where(model.id.in_(chunk))):
            _stamp_deleted(change, row, deleted=True)
    session.flush()
    return removed


def _bring_back(
    change: Change,
    model: type[Any],
    rows: list[Any],
    stamp: str | None,
    owned: dict[type[Any], list[Any]],
) -> None:
    """Un-tombstone ``rows`` and the owned records tombstoned with ``stamp``, collecting those."""
    for row in rows:
        _stamp_deleted(change, row, deleted=False)
    if stamp is None:
        return
    ids = [row.id for row in rows]
    for column in OWNED.get(model, ()):
        child = _model_of(column)
        children = [
            row
            for chunk in batched(ids, 900)
            for row in change.session.scalars(
                select(child).where(column.in_(chunk), child.deleted.is_(True))
            )
            if row.field_stamps.get("deleted") == stamp
        ]
        if children:
            owned.setdefault(child, []).extend(children)
            _bring_back(change, child, children, stamp, owned)


def _broken_references(change: Change, model: type[Any], rows: list[Any]) -> int:
    """How many of ``rows`` name a record that is not live."""
    broken: set[str] = set()
    for column, target in _references(model):
        named = {row.id: getattr(row, column.key) for row in rows if getattr(row, column.key)}
        live = live_ids(change.session, target.id, named.values())
        broken.update(i for i, name in named.items() if name not in live)
    return len(broken)


def _references(model: type[Any]) -> list[tuple[Column, type[Any]]]:
    """The columns of ``model`` naming the record it belongs to or uses, with that record's model."""
    return [
        (column, target)
        for links in (OWNED, USED_BY)
        for target, columns in links.items()
        for column in columns
        if _model_of(column) is model
    ]


def _live_children(change: Change, column: Column, ids: list[str]) -> dict[str, str]:
    """The live rows whose ``column`` names one of ``ids``: their id, and the id they name."""
    child = _model_of(column)
    return {
        child_id: parent_id
        for chunk in batched(ids, 900)
        for child_id, parent_id in change.session.execute(
            select(child.id, column).where(column.in_(chunk), child.deleted.is_(False))
        )
    }


def _stamp_deleted(change: Change, row: Any, *, deleted: bool) -> None:
    row.restamp(["deleted"], change.stamp, change.seq)
    row.deleted = deleted


def _add(total: dict[str, int], counts: dict[str, int]) -> None:
    for name, count in counts.items():
        total[name] = total.get(name, 0) + count


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


__all__ = ["OWNED", "USED_BY", "delete_each", "delete_rows", "in_use", "restore_rows"]
