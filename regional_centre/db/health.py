"""Integrity and schema checks of an open database."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, text

from regional_centre.db.database import head_revision
from regional_centre.db.models import Base
from regional_centre.i18n import _


def storage_problems(connection: Connection) -> list[str]:
    """Damage to the file and broken references (SQLite only; other servers check themselves)."""
    if connection.dialect.name != "sqlite":
        return []
    problems = [
        _("Integrity: {detail}").format(detail=row[0])
        for row in connection.execute(text("PRAGMA integrity_check"))
        if row[0] != "ok"
    ]
    problems += [
        _("Table {table}, row {row}: refers to a missing {parent} record.").format(
            table=table, row=rowid, parent=parent
        )
        for table, rowid, parent, _index in connection.execute(text("PRAGMA foreign_key_check"))
    ]
    return problems


def schema_problems(connection: Connection) -> list[str]:
    """Differences between the database's schema and the program's."""
    context = MigrationContext.configure(connection)
    current = context.get_current_revision()
    head = head_revision()
    if current != head:
        return [
            _("The schema is at revision {current}, the program expects {head}.").format(
                current=current, head=head
            )
        ]
    return [
        _("Schema differs from the program: {difference}").format(difference=diff)
        for diff in compare_metadata(context, Base.metadata)
    ]
