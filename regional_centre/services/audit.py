"""Reading the audit trail."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from regional_centre.db.models import AuditEntry
from regional_centre.enums import AuditAction
from regional_centre.services.context import ServiceContext


@dataclass(frozen=True)
class AuditRecord:
    """One change in a record's history."""

    at: dt.datetime
    actor: str
    entity: str
    record_id: str | None
    action: AuditAction
    changes: dict[str, Any]


class AuditService:
    """Who changed what, when."""

    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def history(self, record_id: str) -> list[AuditRecord]:
        """Every change of one record, oldest first."""
        with self._context.read() as session:
            rows = session.scalars(
                select(AuditEntry)
                .where(AuditEntry.record_id == record_id, AuditEntry.deleted.is_(False))
                .order_by(AuditEntry.stamp)
            )
            return [
                AuditRecord(r.at, r.actor, r.entity, r.record_id, r.action, dict(r.changes))
                for r in rows
            ]
