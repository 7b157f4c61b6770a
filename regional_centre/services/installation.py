"""Setting up a database for this installation (a centre's node or the secretariat)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import func, insert, select

from regional_centre.db.models import AuditEntry, Node
from regional_centre.i18n import _
from regional_centre.services.context import NodeIdentity, ServiceContext
from regional_centre.services.errors import ServiceError, ValidationError
from regional_centre.services.reference import ReferenceService, shipped_centres


@dataclass(frozen=True)
class NodeRecord:
    """This installation."""

    id: str
    name: str
    centre_code: str | None
    is_secretariat: bool


@dataclass(frozen=True)
class NodeStatus:
    """Where this installation stands in its own change history."""

    seq: int  # the number of the last unit of work written here (0: none yet)
    last_change: dt.datetime | None  # when (UTC) someone here last changed a record
    created_at: dt.datetime  # when (UTC) this installation was set up


class InstallationService:
    """Creates this node's identity and keeps the shipped reference data current."""

    def __init__(self, context: ServiceContext, reference: ReferenceService) -> None:
        self._context = context
        self._reference = reference

    def is_initialised(self) -> bool:
        """Whether this database already belongs to an installation."""
        with self._context.read() as session:
            return bool(session.scalar(select(func.count()).where(Node.is_self)))

    def initialise(self, *, node_name: str, centre_code: str | None) -> NodeRecord:
        """Make this database the node ``node_name`` of a centre (or, without one, the secretariat)."""
        if self.is_initialised():
            raise ServiceError(_("This database is already set up for an installation."))
        name = node_name.strip()
        if not name:
            raise ValidationError.single("name", _("Give this installation a name."))
        if len(name) > 200:
            raise ValidationError.single("name", _("Use at most 200 characters."))
        open_centres = {c.code for c in shipped_centres() if not c.retired}
        if centre_code is not None and centre_code not in open_centres:
            raise ValidationError.single(
                "centre",
                _(
                    "Unknown or closed centre '{code}'; 'regional-centre centres' lists them."
                ).format(code=centre_code),
            )
        self._reference.install_shipped()
        node = NodeRecord(str(uuid.uuid4()), name, centre_code, centre_code is None)
        with self._context.database.sessions.begin() as session:
            session.execute(
                insert(Node).values(
                    id=node.id,
                    name=node.name,
                    centre_code=node.centre_code,
                    is_secretariat=node.is_secretariat,
                    is_self=True,
                    clock=0,
                    seq=0,
                    created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
                )
            )
        self._context.forget_node()
        return node

    def this_node(self) -> NodeIdentity:
        """This installation's identity."""
        return self._context.node

    def status(self) -> NodeStatus:
        """This installation's change sequence number and the time of its last change."""
        node = self._context.node
        with self._context.read() as session:
            seq, created_at = session.execute(
                select(Node.seq, Node.created_at).where(Node.id == node.id)
            ).one()
            last_change = session.scalar(
                select(func.max(AuditEntry.at)).where(AuditEntry.node_id == node.id)
            )
        return NodeStatus(seq, last_change, created_at)
