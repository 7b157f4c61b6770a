"""Units of work and the change stamps they give every write."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import Any, cast

from sqlalchemy import Table, case, select, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from regional_centre.db.bulk import insert_rows
from regional_centre.db.database import Database, translate_operational_error
from regional_centre.db.models import AuditEntry, Node
from regional_centre.enums import AuditAction
from regional_centre.i18n import _
from regional_centre.services.errors import ServiceError

SECRETARIAT = "SECRETARIAT"
CLOCK_SHIFT = 16  # low bits of the hybrid logical clock count events within a millisecond


def make_stamp(clock: int, node_id: str) -> str:
    """The text form of a change stamp: comparable as text, clock first, then node."""
    return f"{clock:016x}{node_id}"


def stamp_time(stamp: str) -> dt.datetime:
    """When (UTC) the change with ``stamp`` was made, from its physical clock part."""
    milliseconds = int(stamp[:16], 16) >> CLOCK_SHIFT
    return dt.datetime.fromtimestamp(milliseconds / 1000, dt.UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class NodeIdentity:
    """This installation as the services see it."""

    id: str
    name: str
    centre_code: str | None
    is_secretariat: bool

    @property
    def owner(self) -> str:
        """The owner written on the records this node creates."""
        return SECRETARIAT if self.is_secretariat else (self.centre_code or SECRETARIAT)


@dataclass
class Change:
    """One unit of work that writes: its session, stamp and local change sequence number."""

    session: Session
    node: NodeIdentity
    actor: str
    stamp: str
    seq: int
    now: dt.datetime

    def sync_columns(self, record_id: str) -> dict[str, Any]:
        """The change metadata of a record created in this unit of work."""
        return {**self._new_record_columns, "id": record_id}

    @cached_property
    def _new_record_columns(self) -> dict[str, Any]:
        return {
            "owner": self.node.owner,
            "created_stamp": self.stamp,
            "stamp": self.stamp,
            "field_stamps": {},
            "field_history": {},
            "seq": self.seq,
            "deleted": False,
        }

    def audit(
        self,
        entity: str,
        record_id: str | None,
        action: AuditAction,
        changes: dict[str, Any],
    ) -> None:
        """Record who changed what in the audit trail, in this unit of work."""
        row = self.sync_columns(str(uuid.uuid4()))
        row.update(
            at=self.now,
            actor=self.actor,
            node_id=self.node.id,
            entity=entity,
            record_id=record_id,
            action=action,
            changes=changes,
        )
        insert_rows(self.session.connection(), cast(Table, AuditEntry.__table__), [row])


class ServiceContext:
    """What every service shares: the database, this node and who is acting."""

    def __init__(self, database: Database, actor: str) -> None:
        self.database = database
        self.actor = actor
        self._node: NodeIdentity | None = None

    @property
    def node(self) -> NodeIdentity:
        """This installation; ServiceError before ``init`` made one."""
        if self._node is None:
            self._node = self._load_node()
        return self._node

    def forget_node(self) -> None:
        """Reload this node's identity on next use (after it was created or changed)."""
        self._node = None

    def _load_node(self) -> NodeIdentity:
        with self.read() as session:
            row = session.scalars(select(Node).where(Node.is_self)).one_or_none()
        if row is None:
            raise ServiceError(
                _("This database has not been set up; run 'regional-centre init' first.")
            )
        return NodeIdentity(row.id, row.name, row.centre_code, row.is_secretariat)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for queries only."""
        try:
            with self.database.sessions() as session:
                yield session
        except sa_exc.OperationalError as error:
            raise translate_operational_error(error, self.database.url) from error

    @contextmanager
    def write(self) -> Iterator[Change]:
        """One unit of work: everything inside is written together or not at all.

        The first statement advances this node's hybrid logical clock and change
        sequence, which also takes SQLite's write lock before anything is read.
        """
        node = self.node
        physical = time.time_ns() // 1_000_000 << CLOCK_SHIFT
        try:
            with self.database.sessions.begin() as session:
                clock, seq = session.execute(
                    update(Node)
                    .where(Node.id == node.id)
                    .values(
                        clock=case((Node.clock >= physical, Node.clock + 1), else_=physical),
                        seq=Node.seq + 1,
                    )
                    .returning(Node.clock, Node.seq)
                ).one()
                yield Change(
                    session=session,
                    node=node,
                    actor=self.actor,
                    stamp=make_stamp(clock, node.id),
                    seq=seq,
                    now=dt.datetime.now(dt.UTC).replace(tzinfo=None),
                )
        except sa_exc.OperationalError as error:
            raise translate_operational_error(error, self.database.url) from error
