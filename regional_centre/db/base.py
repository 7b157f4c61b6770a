"""The declarative base, column types and the change metadata every synced record carries."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Enum,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# Named constraints let Alembic alter SQLite tables in batch mode later.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# One encoder each: json.dumps with options builds a new encoder on every call.
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_SORTED = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)

ID_LENGTH = 36  # a UUID in its canonical text form
STAMP_LENGTH = 16 + ID_LENGTH  # hybrid logical clock in hex, then the node id
HISTORY_LENGTH = 8  # earlier stamps a field remembers


class CodeSet(TypeDecorator[tuple[str, ...]]):
    """A set of codes (waste streams, ISO dates, ...) stored as a sorted JSON array.

    Sorted and de-duplicated on the way in, so equal sets are equal text and a
    filter can match one member with ``LIKE '%"Y8"%'`` on any database.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if not value:
            return "[]"
        return _COMPACT.encode(sorted(set(value)))

    def process_result_value(self, value: Any, dialect: Dialect) -> tuple[str, ...] | None:
        if value is None:
            return None
        return tuple(json.loads(value))


class TextList(TypeDecorator[tuple[str, ...]]):
    """An ordered list of short texts (topics, trainers' names) stored as a JSON array."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return _COMPACT.encode(list(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> tuple[str, ...] | None:
        if value is None:
            return None
        return tuple(json.loads(value))


class JSONDict(TypeDecorator[dict[str, Any]]):
    """A small JSON object with sorted keys, so equal objects are equal text."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if not value:
            return "{}"
        return _SORTED.encode(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> dict[str, Any] | None:
        if value is None:
            return None
        result: dict[str, Any] = json.loads(value)
        return result


class Base(DeclarativeBase):
    """The base of every table of the program."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        str: String(),
        int: Integer(),
        bool: Boolean(create_constraint=False),
        dt.date: Date(),
        dt.datetime: DateTime(),
        decimal.Decimal: Numeric(18, 4),
        enum.Enum: Enum(
            enum.Enum, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e]
        ),
        dict[str, Any]: JSONDict(),
        tuple[str, ...]: CodeSet(),
    }


class Synced:
    """Columns of every record that travels between installations.

    A *stamp* is the hybrid logical clock of a change (16 hex digits: physical
    milliseconds shifted left 16 bits plus a counter) followed by the id of the
    node that made it, so comparing two stamps as text orders changes by clock,
    then by node: the total order last-writer-wins needs. ``field_stamps`` keeps
    the stamp of every field changed since creation (and of the deletion), so
    concurrent edits to different fields can both survive a merge.

    ``field_history`` keeps, for every field changed since creation, the stamps
    of the earlier values its writer replaced (newest first, at most
    ``HISTORY_LENGTH``): a merge that replaces a value its writer never saw
    keeps the lost value in the conflict log. It is knowledge, not content, and
    may differ between installations holding the same record.
    """

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    owner: Mapped[str] = mapped_column(String(16))
    created_stamp: Mapped[str] = mapped_column(String(STAMP_LENGTH))
    stamp: Mapped[str] = mapped_column(String(STAMP_LENGTH))
    field_stamps: Mapped[dict[str, Any]] = mapped_column(JSONDict(), default=dict)
    field_history: Mapped[dict[str, Any]] = mapped_column(
        JSONDict(), default=dict, server_default="{}"
    )
    seq: Mapped[int] = mapped_column(BigInteger, index=True)
    deleted: Mapped[bool] = mapped_column(Boolean(create_constraint=False), default=False)

    def restamp(self, names: Iterable[str], stamp: str, seq: int) -> None:
        """Note that the fields ``names`` (``deleted`` included) were written by the change ``stamp``."""
        stamps = dict(self.field_stamps)
        history = dict(self.field_history)
        for name in names:
            replaced = stamps.get(name, self.created_stamp)
            if replaced != stamp:
                history[name] = [replaced, *history.get(name, ())][:HISTORY_LENGTH]
            stamps[name] = stamp
        self.field_stamps = stamps
        self.field_history = history
        self.stamp = stamp
        self.seq = seq


SYNC_COLUMNS = (
    "id",
    "owner",
    "created_stamp",
    "stamp",
    "field_stamps",
    "field_history",
    "seq",
    "deleted",
)
LOCAL_COLUMNS = frozenset({"seq"})
"""Columns that stay on this installation."""
KNOWLEDGE_COLUMNS = frozenset({"field_history"})
"""Columns that travel but may differ between installations with the same content."""
