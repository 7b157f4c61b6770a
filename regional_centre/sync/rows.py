"""Records as bundle lines: every column written as JSON and read back checked against its type.

A line of a ``changes/NN-table.jsonl`` member is one JSON object with every
column of the record except the local change number. Values take the form
``regional_centre.services.records.jsonable`` gives them (and ``dump``
writes): ISO dates, decimals as text, code sets as sorted arrays.
Nothing from a bundle reaches the database before its line passed ``decode``.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Enum,
    Integer,
    Numeric,
    String,
    Text,
    type_coerce,
)
from sqlalchemy.sql.schema import Column, Table

from regional_centre.db.base import (
    HISTORY_LENGTH,
    LOCAL_COLUMNS,
    CodeSet,
    JSONDict,
    TextList,
)
from regional_centre.services.records import jsonable

STAMP = re.compile(r"[0-9a-f]{16}[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
RECORD_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
WITHHELD = "0"
"""The stamp of a value withheld from a pseudonymised bundle: older than any real one."""
META_COLUMNS = frozenset({"id", "owner", "created_stamp", "stamp", "field_stamps", "field_history"})
_MAX_INT = 2**63 - 1
_MAX_TEXT = 1 << 20


class RowRefused(ValueError):
    """A line that is not a valid record; ``field`` names the culprit."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


Decoder = Callable[[Any], Any]


def _text(limit: int | None) -> Decoder:
    def decode(value: Any) -> Any:
        if not isinstance(value, str):
            raise ValueError("expected text")
        if len(value) > (limit or _MAX_TEXT):
            raise ValueError("text too long")
        return value

    return decode


def _integer(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > _MAX_INT:
        raise ValueError("expected a whole number")
    return value


def _boolean(value: Any) -> Any:
    if not isinstance(value, bool):
        raise ValueError("expected true or false")
    return value


def _date(value: Any) -> Any:
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError("expected a date (YYYY-MM-DD)")
    return dt.date.fromisoformat(value)


def _datetime(value: Any) -> Any:
    if not isinstance(value, str) or len(value) > 32:
        raise ValueError("expected a date and time")
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is not None:
        raise ValueError("expected a time in UTC without offset")
    return moment


def _decimal(value: Any) -> Any:
    if (
        not isinstance(value, str)
        or len(value) > 40
        or not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", value)
    ):
        raise ValueError("expected a decimal number as text")
    return decimal.Decimal(value)


def _enum(kind: type[enum.Enum]) -> Decoder:
    members = {m.value: m for m in kind}

    def decode(value: Any) -> Any:
        if value not in members:
            raise ValueError("not one of the allowed values")
        return members[value]

    return decode


def _string_list(*, as_set: bool) -> Decoder:
    def decode(value: Any) -> Any:
        if not isinstance(value, list) or len(value) > 1000:
            raise ValueError("expected a list of texts")
        if not all(isinstance(v, str) and len(v) <= 1000 for v in value):
            raise ValueError("expected a list of texts")
        return tuple(sorted(set(value))) if as_set else tuple(value)

    return decode


def _object(value: Any) -> Any:
    if not isinstance(value, dict):
        raise ValueError("expected an object")
    return value


def _is_plain_text(column: Column[Any]) -> bool:
    kind = column.type
    return isinstance(kind, (String, Text)) and not isinstance(
        kind, (Enum, CodeSet, TextList, JSONDict)
    )


def _text_limit(column: Column[Any]) -> int:
    return getattr(column.type, "length", None) or _MAX_TEXT


def _decoder(column: Column[Any]) -> Decoder:
    kind = column.type
    if isinstance(kind, CodeSet):
        return _string_list(as_set=True)
    if isinstance(kind, TextList):
        return _string_list(as_set=False)
    if isinstance(kind, JSONDict):
        return _object
    if isinstance(kind, Enum):
        assert kind.enum_class is not None
        return _enum(kind.enum_class)
    if isinstance(kind, Boolean):
        return _boolean
    if isinstance(kind, (Integer, BigInteger)):
        return _integer
    if isinstance(kind, Numeric):
        return _decimal
    if isinstance(kind, DateTime):
        return _datetime
    if isinstance(kind, Date):
        return _date
    if isinstance(kind, (String, Text)):
        return _text(getattr(kind, "length", None))
    raise TypeError(f"no bundle form for {column.table.name}.{column.name}: {kind!r}")


_RAW, _TEXT, _BOOL, _INT, _VALUE = "raw", "text", "bool", "int", "value"
_WITHHELD_STAMP = f':"{WITHHELD}"'
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode


def canonical_bytes(value: Any) -> bytes:
    """The canonical JSON of ``value``: sorted keys, no spaces, UTF-8."""
    return _dumps(value).encode()


def _line_kind(column: Column[Any]) -> str:
    """How a column's stored value goes into a line (see ``TableCodec.line``)."""
    kind = column.type
    if isinstance(kind, (CodeSet, TextList, JSONDict)):
        return _RAW
    if isinstance(kind, (Enum, Date)) and not isinstance(kind, DateTime):
        return _TEXT  # stored as its value, or as ISO text
    if isinstance(kind, Boolean):
        return _BOOL
    if isinstance(kind, (Integer, BigInteger)):
        return _INT
    if isinstance(kind, (String, Text)) and not isinstance(kind, Enum):
        return _TEXT
    return _VALUE


@dataclass(frozen=True)
class TableCodec:
    """How one synced table's records are written to and read from bundle lines."""

    table: Table
    columns: tuple[str, ...]  # written, in table order
    content: tuple[str, ...]  # what merges field by field (``deleted`` included)
    references: dict[str, str]  # column -> referenced table
    personal: frozenset[str]  # withheld from pseudonymised bundles
    _decoders: dict[str, Decoder]
    _nullable: frozenset[str]
    _plan: tuple[tuple[str, str], ...]  # (column, how it is written), by column name
    _prefixes: tuple[tuple[str, str], ...]  # ('"column":', how it is written)
    _stamps_at: int  # where field_stamps is among the exported columns
    _sorted_columns: list[str]
    _content_set: frozenset[str]
    # (column, text length limit, decoder or None for plain text, nullable), in column order
    _steps: tuple[tuple[str, int, Decoder | None, bool], ...]

    def export_position(self, name: str) -> int:
        """Where column ``name`` is among ``export_columns``."""
        return [column for column, _kind in self._plan].index(name)

    @classmethod
    def of(cls, table: Table, personal: frozenset[str] = frozenset()) -> TableCodec:
        columns = tuple(c.name for c in table.columns if c.name not in LOCAL_COLUMNS)
        plan = tuple((name, _line_kind(table.c[name])) for name in sorted(columns))
        references = {}
        for column in table.columns:
            for key in column.foreign_keys:
                references[column.name] = key.column.table.name
        return cls(
            table=table,
            columns=columns,
            content=tuple(c for c in columns if c not in META_COLUMNS),
            references=references,
            personal=personal,
            _decoders={c.name: _decoder(c) for c in table.columns if c.name in columns},
            _nullable=frozenset(c.name for c in table.columns if c.nullable),
            _plan=plan,
            _prefixes=tuple((f'"{name}":', kind) for name, kind in plan),
            _stamps_at=[name for name, _kind in plan].index("field_stamps"),
            _sorted_columns=sorted(columns),
            _content_set=frozenset(c for c in columns if c not in META_COLUMNS),
            _steps=tuple(
                (
                    c.name,
                    _text_limit(c),
                    None if _is_plain_text(c) else _decoder(c),
                    bool(c.nullable),
                )
                for c in table.columns
                if c.name in columns
            ),
        )

    @property
    def name(self) -> str:
        return self.table.name

    def export_columns(self) -> list[Any]:
        """What to select for ``line``: JSON columns as their stored text, in key order.

        The program stores JSON columns (code sets, lists, objects) in the
        canonical form bundles use, so a line can splice them in as they are.
        """
        columns: list[Any] = []
        for name, kind in self._plan:
            column = self.table.c[name]
            if kind == _RAW:
                columns.append(type_coerce(column, Text).label(name))
            elif kind == _TEXT:
                columns.append(type_coerce(column, String).label(name))
            else:
                columns.append(column)
        return columns

    def line(self, values: Sequence[Any], withhold: frozenset[str] = frozenset()) -> bytes:
        """The bundle line of a record selected with ``export_columns``."""
        if withhold or _WITHHELD_STAMP in values[self._stamps_at]:
            return self._slow_line(values, withhold)
        parts = []
        for (prefix, kind), value in zip(self._prefixes, values, strict=True):
            if value is None:
                parts.append(prefix + "null")
            elif kind == _RAW:
                parts.append(prefix + value)
            elif kind == _TEXT:
                parts.append(prefix + encode_basestring(value))
            elif kind == _BOOL:
                parts.append(prefix + ("true" if value else "false"))
            elif kind == _INT:
                parts.append(prefix + str(int(value)))
            else:
                parts.append(prefix + _dumps(jsonable(value)))
        return ("{" + ",".join(parts) + "}").encode()

    def _slow_line(self, values: Sequence[Any], withhold: frozenset[str]) -> bytes:
        row = {}
        for (name, kind), value in zip(self._plan, values, strict=True):
            row[name] = json.loads(value) if kind == _RAW and value is not None else value
        return canonical_bytes(self.encode(row, withhold=withhold))

    def encode(
        self, row: dict[str, Any], *, withhold: frozenset[str] = frozenset()
    ) -> dict[str, Any]:
        """The bundle form of a record; fields in ``withhold`` (and ones withheld from us) left out."""
        stamps = row["field_stamps"]
        hidden = withhold | {f for f, s in stamps.items() if s == WITHHELD}
        line = {c: jsonable(row[c]) for c in self.columns if c not in hidden}
        if hidden:
            line["field_stamps"] = {
                **{f: s for f, s in stamps.items() if f not in hidden},
            }
            line["withheld"] = sorted(hidden & set(self.content))
        return line

    def decode_value(self, name: str, value: Any) -> Any:
        """One field's value from its bundle form; RowRefused if it is not valid."""
        if name not in self._decoders:
            raise RowRefused(name, "unknown field")
        if value is None:
            if name not in self._nullable:
                raise RowRefused(name, "may not be empty")
            return None
        try:
            return self._decoders[name](value)
        except (ValueError, TypeError) as error:
            raise RowRefused(name, str(error) or "wrong type") from None

    def decode(self, line: Any) -> dict[str, Any]:
        """A record from a bundle line, every field checked; RowRefused on the first fault."""
        if not isinstance(line, dict):
            raise RowRefused("-", "a record must be a JSON object")
        withheld: list[str] = []
        if list(line) != self._sorted_columns:  # not every column, in order: say which
            withheld = line.get("withheld", [])
            if not isinstance(withheld, list) or not set(withheld) <= self.personal:
                raise RowRefused("withheld", "only personal fields may be withheld")
            expected = set(self.columns) - set(withheld)
            present = set(line) - {"withheld"}
            if present != expected:
                extra = sorted(present - expected)
                missing = sorted(expected - present)
                field = (extra or missing)[0]
                raise RowRefused(field, "unknown field" if extra else "missing field")
        row: dict[str, Any] = {}
        for name, limit, decoder, nullable in self._steps:
            if name in withheld:
                continue
            value = line[name]
            if value is None:
                if not nullable:
                    raise RowRefused(name, "may not be empty")
                row[name] = None
            elif decoder is None:  # plain text: the commonest case, checked here
                if type(value) is not str or len(value) > limit:
                    raise RowRefused(
                        name, "expected text" if type(value) is not str else "text too long"
                    )
                row[name] = value
            else:
                try:
                    row[name] = decoder(value)
                except (ValueError, TypeError) as error:
                    raise RowRefused(name, str(error) or "wrong type") from None
        self._check_meta(row, withheld)
        return row

    def _check_meta(self, row: dict[str, Any], withheld: list[str]) -> None:
        if not RECORD_ID.fullmatch(row["id"]):
            raise RowRefused("id", "not a record id")
        for name in ("created_stamp", "stamp"):
            if not STAMP.fullmatch(row[name]):
                raise RowRefused(name, "not a change stamp")
        fields = self._content_set
        stamps = row["field_stamps"]
        for field, stamp in stamps.items():
            if field not in fields or not isinstance(stamp, str) or not STAMP.fullmatch(stamp):
                raise RowRefused("field_stamps", f"bad entry for {field!r}")
        for field in withheld:  # older than any real value, so any real one wins
            stamps[field] = WITHHELD
            row[field] = None
        history = row["field_history"]
        for field, earlier in history.items():
            if (
                field not in fields
                or not isinstance(earlier, list)
                or len(earlier) > HISTORY_LENGTH
                or not all(isinstance(s, str) and STAMP.fullmatch(s) for s in earlier)
            ):
                raise RowRefused("field_history", f"bad entry for {field!r}")
        for name in self.references:
            value = row.get(name)
            if value is not None and not RECORD_ID.fullmatch(value):
                raise RowRefused(name, "not a record id")
