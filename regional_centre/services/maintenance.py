"""Whole-database operations: integrity check, the canonical dump, backups of the file."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from sqlalchemy import func, select

from regional_centre.db import facts, tallies
from regional_centre.db.backup import backup_database
from regional_centre.db.base import KNOWLEDGE_COLUMNS, LOCAL_COLUMNS
from regional_centre.db.errors import DatabaseError
from regional_centre.db.health import schema_problems, storage_problems
from regional_centre.db.models import SYNCED_MODELS, Node, ReferenceCode, ReferenceList
from regional_centre.i18n import _, ngettext
from regional_centre.paths import backups_dir
from regional_centre.services.context import ServiceContext
from regional_centre.services.errors import ServiceError
from regional_centre.services.records import jsonable

DUMP_FORMAT = 1

# The label of a backup someone asked for (others are made before an upgrade: "before-...").
MANUAL_BACKUP = "manual"
_LABEL = re.compile(r"[A-Za-z0-9_-]{1,40}")
_STAMP_FORMAT = "%Y%m%d-%H%M%S-%f"


@dataclass(frozen=True)
class BackupFile:
    """A backup of the database in its backups folder."""

    path: Path
    made_at: dt.datetime  # UTC, as written in the file's name
    label: str  # why it was made: MANUAL_BACKUP, "before-<revision>", ...
    size: int  # bytes


class MaintenanceService:
    """Checks and exports that look at the whole database."""

    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def database_file(self) -> Path | None:
        """The database's file; None when it is not kept in a file."""
        return self._context.database.path

    def database_size(self) -> int | None:
        """The bytes the database takes on disk (with its write-ahead log); None without a file."""
        path = self.database_file()
        if path is None:
            return None
        parts = (path, path.with_name(path.name + "-wal"))
        return sum(part.stat().st_size for part in parts if part.exists())

    def backup(self, label: str = MANUAL_BACKUP) -> Path:
        """Copy the database, consistently even while it is in use, into its backups folder.

        ``label`` (letters, digits, ``-`` and ``_``) ends the copy's name and says why it
        was made. Returns the new file; ServiceError when there is no file to copy or the
        copy fails (nothing is left half-written).
        """
        path = self.database_file()
        if path is None:
            raise ServiceError(
                _("Only a database kept in a file can be backed up; use its server's tools.")
            )
        if not _LABEL.fullmatch(label):
            raise ServiceError(
                _("A backup label uses letters, digits, '-' and '_' only: '{label}'.").format(
                    label=label
                )
            )
        try:
            return backup_database(path, backups_dir(path), label)
        except DatabaseError as error:
            raise ServiceError(
                _("The backup could not be made: {reason}").format(reason=error)
            ) from error

    def backups(self) -> list[BackupFile]:
        """The backups of this database in its backups folder, newest first."""
        path = self.database_file()
        if path is None:
            return []
        folder = backups_dir(path)
        suffix = path.suffix or ".sqlite"
        name = re.compile(
            rf"{re.escape(path.stem)}-(\d{{8}}-\d{{6}}-\d{{6}})-(.+){re.escape(suffix)}"
        )
        found = []
        try:
            candidates = list(folder.iterdir())
        except OSError:  # no backups folder yet
            return []
        for candidate in candidates:
            match = name.fullmatch(candidate.name)
            if match is None or not candidate.is_file():
                continue
            made_at = dt.datetime.strptime(match.group(1), _STAMP_FORMAT)
            found.append(BackupFile(candidate, made_at, match.group(2), candidate.stat().st_size))
        return sorted(found, key=lambda backup: backup.made_at, reverse=True)

    def check(self) -> list[str]:
        """Every problem found in the database; empty when it is sound."""
        with self._context.database.engine.connect() as connection:
            problems = storage_problems(connection) + schema_problems(connection)
            if not problems and (differing := facts.drift(connection)):
                problems.append(
                    ngettext(
                        "{count} participation fact differs from the records it comes from.",
                        "{count} participation facts differ from the records they come from.",
                        differing,
                    ).format(count=differing)
                )
            if not problems and (differing := tallies.drift(connection)):
                problems.append(
                    ngettext(
                        "{count} row of the training tallies differs from the participations.",
                        "{count} rows of the training tallies differ from the participations.",
                        differing,
                    ).format(count=differing)
                )
        if problems:
            return problems
        with self._context.read() as session:
            nodes = session.scalar(select(func.count()).where(Node.is_self)) or 0
            lists = session.scalar(select(func.count()).select_from(ReferenceList)) or 0
        if nodes != 1:
            problems.append(
                _("The database should name one installation, it names {count}.").format(
                    count=nodes
                )
            )
        if not lists:
            problems.append(_("The reference data (code lists) is missing."))
        return problems

    def dump(self, out: TextIO) -> int:
        """Write every synced record as canonical JSON (sorted tables, ids and keys); return the count.

        Local bookkeeping (the change sequence) is left out, so two databases
        with the same content write the same bytes.
        """
        count = 0
        tables = sorted(SYNCED_MODELS, key=lambda m: m.__tablename__)
        out.write(f'{{"format": {DUMP_FORMAT}, "tables": {{')
        with self._context.read() as session:
            for table_index, model in enumerate(tables):
                table = model.__table__
                columns = [
                    c
                    for c in table.columns
                    if c.name not in LOCAL_COLUMNS and c.name not in KNOWLEDGE_COLUMNS
                ]
                out.write("," if table_index else "")
                out.write(f"\n{json.dumps(table.name)}: [")
                rows = session.execute(select(*columns).order_by(table.c.id))
                for row_index, row in enumerate(rows):
                    record = {c.name: jsonable(v) for c, v in zip(columns, row, strict=True)}
                    out.write("," if row_index else "")
                    out.write("\n" + json.dumps(record, sort_keys=True, ensure_ascii=False))
                    count += 1
                out.write("]")
            out.write('},\n"reference": [')
            codes = session.execute(
                select(ReferenceList.name, ReferenceList.version, ReferenceCode.code)
                .join(ReferenceCode)
                .order_by(ReferenceList.name, ReferenceCode.code)
            )
            for index, (name, version, code) in enumerate(codes):
                out.write("," if index else "")
                out.write("\n" + json.dumps([name, version, code], ensure_ascii=False))
            out.write("]}\n")
        return count
