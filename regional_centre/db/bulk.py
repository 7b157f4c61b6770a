"""Fast inserts of many rows: the statement compiled once, values converted once per row.

SQLAlchemy's executemany builds a parameter dictionary per row through its
generic machinery; for imports and demo data of hundreds of thousands of rows
that costs more than SQLite's own work. Here each column's bind processor is
looked up once and the rows go to the driver's executemany as plain tuples.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.engine import Connection, Dialect

# SQL, column names, bind processors, defaults, whether the driver takes positional values.
_Plan = tuple[str, list[str], list[Any], list[Any], bool]
_plans: dict[tuple[int, str], _Plan] = {}


def _plan(table: Table, dialect: Dialect) -> _Plan:
    key = (id(table), dialect.name)
    plan = _plans.get(key)
    if plan is None:
        compiled = insert(table).compile(dialect=dialect)
        names = (
            list(compiled.positiontup)
            if compiled.positional and compiled.positiontup
            else [c.key for c in table.columns]
        )
        columns = [table.columns[name] for name in names]
        processors = [c.type._cached_bind_processor(dialect) for c in columns]
        defaults = [
            getattr(c.default, "arg", None)
            if c.default is not None and c.default.is_scalar
            else None
            for c in columns
        ]
        plan = (compiled.string, names, processors, defaults, bool(compiled.positional))
        _plans[key] = plan
    return plan


def insert_rows(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (column name -> Python value) into ``table`` with one executemany."""
    if not rows:
        return
    sql, names, processors, defaults, positional = _plan(table, connection.dialect)
    steps = list(zip(names, processors, defaults, strict=True))
    converted = []
    for row in rows:
        values = []
        for name, process, default in steps:
            value = row.get(name, default)
            values.append(process(value) if process is not None and value is not None else value)
        converted.append(tuple(values) if positional else dict(zip(names, values, strict=True)))
    connection.exec_driver_sql(sql, converted)
