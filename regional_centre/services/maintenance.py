"""Whole-database operations: integrity check and the canonical dump."""

from __future__ import annotations

import json
from typing import TextIO

from sqlalchemy import func, select

from regional_centre.db.base import LOCAL_COLUMNS
from regional_centre.db.health import schema_problems, storage_problems
from regional_centre.db.models import SYNCED_MODELS, Node, ReferenceCode, ReferenceList
from regional_centre.i18n import _
from regional_centre.services.context import ServiceContext
from regional_centre.services.records import jsonable

DUMP_FORMAT = 1


class MaintenanceService:
    """Checks and exports that look at the whole database."""

    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def check(self) -> list[str]:
        """Every problem found in the database; empty when it is sound."""
        with self._context.database.engine.connect() as connection:
            problems = storage_problems(connection) + schema_problems(connection)
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
                columns = [c for c in table.columns if c.name not in LOCAL_COLUMNS]
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
