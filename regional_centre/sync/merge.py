"""How two versions of one record become one, the same way on every installation.

The rule (documented in ``docs/bundle-format.md``):

* Each field keeps the value with the greater stamp (hybrid logical clock,
  then node id), so edits to different fields of a record both survive and
  every installation picks the same value whatever order bundles arrive in.
* A value that loses without its winner's writer having seen it is a
  *conflict*: it goes to the conflict log. A writer saw a value when the
  value's stamp is in the winner's field history, or when both were written
  on the same installation (an installation sees its own writes).
* ``deleted`` is a field like the others: a deletion and a restore decide
  by stamp. An edit the deleting side never saw does not bring the record
  back; the edit is kept in the deleted record and logged, and restoring
  the record from the log brings it back with the edit.
* The record's creation stamp is the earlier of the two (two installations
  can create the same link record, whose id derives from what it links).

Everything here works on plain dictionaries; nothing touches a database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from regional_centre.sync.rows import WITHHELD

_NODE = slice(16, None)


@dataclass(frozen=True)
class Lost:
    """A value the merge did not keep and its writer's rival never saw."""

    field: str
    lost_value: Any
    lost_stamp: str
    kept_value: Any
    kept_stamp: str


@dataclass
class Merged:
    """The result of merging an incoming version into the local one."""

    row: dict[str, Any]
    changed: bool  # differs from the local version
    as_incoming: bool  # equals the incoming version (so there is nothing to send back)
    lost: list[Lost]


def field_stamp(row: dict[str, Any], field: str) -> str:
    """The stamp of ``field``'s value: its own, or the record's creation stamp."""
    stamp: str = row["field_stamps"].get(field, row["created_stamp"])
    return stamp


def saw(winner: str, history: Sequence[str], loser: str) -> bool:
    """Whether the writer of ``winner`` (with that field ``history``) had seen ``loser``."""
    return loser == WITHHELD or loser in history or winner[_NODE] == loser[_NODE]


def merge(local: dict[str, Any], incoming: dict[str, Any], content: Sequence[str]) -> Merged:
    """Merge two versions of one record, field by field."""
    created = min(local["created_stamp"], incoming["created_stamp"])
    row = dict(local)
    stamps: dict[str, str] = {}
    history: dict[str, list[str]] = {}
    lost: list[Lost] = []
    incoming_won: list[str] = []
    local_won: list[str] = []
    for field in content:
        mine, theirs = field_stamp(local, field), field_stamp(incoming, field)
        if theirs > mine:
            winner, loser, kept, beaten = incoming, local, theirs, mine
            row[field] = incoming[field]
            incoming_won.append(field)
        else:
            winner, loser, kept, beaten = local, incoming, mine, theirs
            if mine > theirs:
                local_won.append(field)
        stamps[field] = kept
        earlier = winner["field_history"].get(field, [])
        if earlier and kept != created:
            history[field] = list(earlier)
        if kept != beaten and winner[field] != loser[field] and not saw(kept, earlier, beaten):
            lost.append(Lost(field, loser[field], beaten, winner[field], kept))
    if row["deleted"]:
        lost.extend(_edits_of_deleted(local, incoming, stamps, content))
    row["created_stamp"] = created
    row["field_stamps"] = {f: s for f, s in stamps.items() if s != created}
    row["field_history"] = history
    row["stamp"] = max([created, *stamps.values()])
    changed = bool(incoming_won) or created != local["created_stamp"]
    if changed:
        changed = any(row[c] != local[c] for c in row)
    as_incoming = not local_won and created == incoming["created_stamp"]
    return Merged(row, changed, as_incoming, lost)


def _edits_of_deleted(
    local: dict[str, Any], incoming: dict[str, Any], stamps: dict[str, str], content: Sequence[str]
) -> list[Lost]:
    """Edits the deleting side never saw, kept in a record that stays deleted."""
    deleted_by = incoming if field_stamp(incoming, "deleted") == stamps["deleted"] else local
    live = local if deleted_by is incoming else incoming
    if live["deleted"]:
        return []
    deletion = stamps["deleted"]
    unseen = [
        field_stamp(live, f)
        for f in content
        if f != "deleted"
        and field_stamp(live, f) > field_stamp(deleted_by, f)
        and field_stamp(live, f) != WITHHELD
        and not saw(deletion, (), field_stamp(live, f))
    ]
    if not unseen:
        return []
    return [Lost("deleted", False, max(unseen), True, deletion)]
