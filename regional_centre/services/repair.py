"""After a merge: keep what records own and use consistent, as deleting does on one installation.

Two installations can each do something the other would have refused: one
deletes a dialogue while the other adds a participant to it, or one deletes
an organisation while the other adds a person to it. After a merge:

* a live record owned by a deleted one (a participant of a deleted dialogue)
  is deleted with it;
* a deleted record that a live record uses (the organisation of a person) is
  brought back, since deleting it was refused wherever the use was known,
  and so is what owns it (the session of a participation with a certificate).

Both are logged as conflicts, so nothing disappears or comes back unseen,
and every installation reaches the same state whichever order it learnt of
the two changes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from regional_centre.services.bundles import FoundConflict
from regional_centre.services.context import Change
from regional_centre.services.deletion import OWNED, USED_BY
from regional_centre.sync.merge import Lost, field_stamp

_OWNERS: dict[Any, list[tuple[Any, Any]]] = {}
for _parent, _columns in OWNED.items():
    for _column in _columns:
        _OWNERS.setdefault(_column.class_, []).append((_column, _parent))
_ROUNDS = 8  # each round settles one more level; the data has three


def repair(change: Change) -> list[FoundConflict]:
    """Apply both rules until nothing changes; return the conflicts they log."""
    found: list[FoundConflict] = []
    for _round in range(_ROUNDS):
        step = _bring_back_used(change)
        step += _delete_orphans(change)
        if not step:
            break
        found.extend(step)
    return found


def _delete_orphans(change: Change) -> list[FoundConflict]:
    found = []
    for parent, columns in OWNED.items():
        for column in columns:
            child: Any = column.class_
            rows = change.session.scalars(
                select(child)
                .join(parent, column == parent.id)
                .where(child.deleted.is_(False), parent.deleted.is_(True))
            ).all()
            for row in rows:
                lost = Lost("deleted", False, row.stamp, True, change.stamp)
                found.append(FoundConflict(child.__tablename__, row.id, row.owner, lost))
                row.restamp(["deleted"], change.stamp, change.seq)
                row.deleted = True
    change.session.flush()
    return found


def _bring_back_used(change: Change) -> list[FoundConflict]:
    found = []
    for model, columns in USED_BY.items():
        for column in columns:
            user: Any = column.class_
            rows = change.session.scalars(
                select(model)
                .where(model.deleted.is_(True))
                .where(model.id.in_(select(column).where(user.deleted.is_(False))))
            ).all()
            for row in rows:
                found.extend(_bring_back(change, row))
    change.session.flush()
    return found


def _bring_back(change: Change, row: Any) -> list[FoundConflict]:
    """Restore ``row`` and the deleted records that own it."""
    deletion = field_stamp(_as_dict(row), "deleted")
    lost = Lost("deleted", True, deletion, False, change.stamp)
    found = [FoundConflict(type(row).__tablename__, row.id, row.owner, lost)]
    row.restamp(["deleted"], change.stamp, change.seq)
    row.deleted = False
    for column, parent in _OWNERS.get(type(row), []):
        owner_id = getattr(row, column.key)
        owner = change.session.get(parent, owner_id) if owner_id else None
        if owner is not None and owner.deleted:
            found.extend(_bring_back(change, owner))
    return found


def _as_dict(row: Any) -> dict[str, Any]:
    return {"field_stamps": row.field_stamps, "created_stamp": row.created_stamp}
