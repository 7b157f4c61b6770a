"""The machinery every record service shares: create, update, delete, restore, read, bulk writes.

Each write is one unit of work that stamps the rows it touches (see
``regional_centre.db.base.Synced``) and writes the audit trail. Deletes are
tombstones: the row stays, marked deleted, so a later sync can pass the
deletion on. A subclass names its model, its draft and record types, and adds
its own rules in ``check`` (no database) and ``check_in_database``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum
import hashlib
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from regional_centre.db.bulk import insert_rows
from regional_centre.db.models import Synced
from regional_centre.enums import AuditAction
from regional_centre.i18n import _, ngettext
from regional_centre.services.context import Change, ServiceContext
from regional_centre.services.errors import NotFound, Problem, ValidationError
from regional_centre.services.reference import ReferenceService
from regional_centre.services.validation import Checker

DraftT = TypeVar("DraftT")
RecordT = TypeVar("RecordT")
Progress = Callable[[int, int], None]

BATCH_SIZE = 5000
_IN_CHUNK = 900  # ids per IN (...) list, under every database's parameter limit

# A namespace for ids derived from the records they link, so that two nodes
# linking the same two records create the same row instead of a duplicate.
LINK_NAMESPACE = uuid.UUID("6f1d3c0e-5b7a-4c4e-9a55-2b7c1e0d9f31")
_LINK_PREFIX = LINK_NAMESPACE.bytes


def link_id(kind: str, *parts: str | None) -> str:
    """The id of the record linking ``parts``: the UUID version 5 of their names (deterministic).

    Computed directly (same result as ``uuid.uuid5``) since imports derive
    hundreds of thousands of them.
    """
    name = ":".join([kind, *(p or "" for p in parts)]).encode()
    digest = bytearray(hashlib.sha1(_LINK_PREFIX + name, usedforsecurity=False).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    text = digest.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def jsonable(value: Any) -> Any:
    """A value as the audit trail and the dump write it."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):  # plain digits, never an exponent: "1000", "0.5"
        return format(value.normalize(), "f")
    if isinstance(value, tuple):
        return [jsonable(v) for v in value]
    return value


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """``items`` in lists of at most ``size``."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def live_ids(session: Session, column: InstrumentedAttribute[Any], ids: Iterable[str]) -> set[str]:
    """Which of ``ids`` appear in ``column`` of a live (not deleted) row of its table."""
    model = column.class_
    found: set[str] = set()
    for chunk in batched(set(ids), _IN_CHUNK):
        found.update(
            session.scalars(select(column).where(column.in_(chunk), model.deleted.is_(False)))
        )
    return found


# SQLite binds at most 999 values in one statement.
IDS_PER_STATEMENT = 900


class RecordService(Generic[DraftT, RecordT]):
    """Create, change, delete and read one kind of synced record."""

    model: ClassVar[type[Any]]
    draft_type: ClassVar[type[Any]]
    record_type: ClassVar[type[Any]]
    entity: ClassVar[str]
    # Fields that must name a live record of the given model.
    references: ClassVar[dict[str, type[Any]]] = {}
    # Whether ``new_id`` derives ids from the linked records (so a new one may already exist).
    derived_ids: ClassVar[bool] = False

    def __init__(self, context: ServiceContext, reference: ReferenceService) -> None:
        self._context = context
        self._reference = reference
        self._draft_fields = tuple(f.name for f in dataclasses.fields(self.draft_type))
        self._record_fields = tuple(
            f.name for f in dataclasses.fields(self.record_type) if f.name != "id"
        )

    # Rules: subclasses override these.

    def check(self, c: Checker) -> None:
        """Check and normalise ``c.values`` without the database."""

    def check_in_database(self, c: Checker, session: Session, current: RecordT | None) -> None:
        """Rules that need the database (one record at a time)."""

    def check_batch_in_database(self, session: Session, checkers: list[Checker]) -> None:
        """Rules that need the database, for new records: note problems on their checkers."""
        for c in checkers:
            self.check_in_database(c, session, None)

    def new_id(self, values: dict[str, Any]) -> str:
        """The id of a new record: random, unless a subclass derives it from what it links."""
        return str(uuid.uuid4())

    def duplicate_message(self) -> str:
        """What to say when a record with the same derived id already exists."""
        return _("This record already exists.")

    # Reading.

    def get(self, record_id: str) -> RecordT:
        """The live record with ``record_id``; NotFound if there is none."""
        with self._context.read() as session:
            return self._to_record(self._live_row(session, record_id))

    def live(self, ids: Sequence[str]) -> dict[str, RecordT]:
        """The live records among ``ids``, by id (any number of ids)."""
        found: dict[str, RecordT] = {}
        with self._context.read() as session:
            for start in range(0, len(ids), IDS_PER_STATEMENT):
                chunk = ids[start : start + IDS_PER_STATEMENT]
                rows = session.scalars(
                    select(self.model).where(
                        self.model.id.in_(chunk), self.model.deleted.is_(False)
                    )
                )
                found |= {row.id: self._to_record(row) for row in rows}
        return found

    def _live_where(self, condition: Any, *, order_by: Sequence[Any]) -> list[RecordT]:
        """The live records meeting ``condition``, in the order given."""
        with self._context.read() as session:
            rows = session.scalars(
                select(self.model)
                .where(condition, self.model.deleted.is_(False))
                .order_by(*order_by)
            )
            return [self._to_record(r) for r in rows]

    def count(self) -> int:
        """How many live records there are."""
        with self._context.read() as session:
            return (
                session.scalar(
                    select(func.count())
                    .select_from(self.model)
                    .where(self.model.deleted.is_(False))
                )
                or 0
            )

    def ids(self) -> list[str]:
        """The ids of every live record, in id order."""
        with self._context.read() as session:
            return list(
                session.scalars(
                    select(self.model.id)
                    .where(self.model.deleted.is_(False))
                    .order_by(self.model.id)
                )
            )

    # Writing.

    def create(self, draft: DraftT) -> RecordT:
        """Validate and add one record."""
        values = self._values(draft)
        with self._context.write() as change:
            self._validated(change.session, values, None)
            record_id = self.new_id(values)
            existing = change.session.get(self.model, record_id)
            if existing is not None and not existing.deleted:
                raise ValidationError.single("id", self.duplicate_message())
            if existing is not None:
                self._revive(change, existing, values)
            else:
                self._insert(change, [{**values, **change.sync_columns(record_id)}])
            change.audit(
                self.entity,
                record_id,
                AuditAction.CREATE,
                {f: [None, jsonable(v)] for f, v in values.items() if v not in (None, "", ())},
            )
            return self._make_record(record_id, values)

    def bulk_create(
        self,
        drafts: Iterable[DraftT],
        *,
        progress: Progress | None = None,
        total: int = 0,
    ) -> list[str]:
        """Validate and add many records in one unit of work; all or none. Return their ids.

        The same rules as ``create`` apply; references and database rules are
        checked a batch at a time, and the rows are written with one executemany
        per batch. An error names the record by its number among all the drafts.
        The audit trail gets one entry for the whole call.
        """
        created: list[str] = []
        with self._context.write() as change:
            for batch in batched(drafts, BATCH_SIZE):
                first = len(created)
                checkers = [self._checked(self._values(draft)) for draft in batch]
                refuse_rows(checkers, first)
                self._check_references(change.session, checkers)
                refuse_rows(checkers, first)
                self.check_batch_in_database(change.session, checkers)
                refuse_rows(checkers, first)
                rows = [c.values for c in checkers]
                ids = [self.new_id(values) for values in rows]
                revived = self._revive_tombstones(change, ids, rows) if self.derived_ids else set()
                self._insert(
                    change,
                    [
                        {**values, **change.sync_columns(i)}
                        for values, i in zip(rows, ids, strict=True)
                        if i not in revived
                    ],
                )
                created.extend(ids)
                if progress is not None:
                    progress(len(created), max(total, len(created)))
            change.audit(self.entity, None, AuditAction.BULK_CREATE, {"count": len(created)})
        return created

    def update(self, record_id: str, draft: DraftT) -> RecordT:
        """Validate and save new values for a record; only changed fields are stamped."""
        values = self._values(draft)
        with self._context.write() as change:
            return self._save(change, self._live_row(change.session, record_id), values)

    def change(self, record_id: str, **fields: Any) -> RecordT:
        """Update only the given fields of a record."""
        return self.update(record_id, self._draft_with(self.get(record_id), fields))

    def change_many(self, record_ids: Sequence[str], **fields: Any) -> list[RecordT]:
        """Give several records the same values for ``fields`` in one unit of work; all or none.

        Each record is checked as ``update`` checks it, with the ones before it
        already changed; an error names the record by its number among ``record_ids``.
        """
        if not record_ids:
            return []
        saved: list[RecordT] = []
        with self._context.write() as change:
            for index, record_id in enumerate(record_ids):
                row = self._live_row(change.session, record_id)
                values = self._values(self._draft_with(self._to_record(row), fields))
                try:
                    saved.append(self._save(change, row, values))
                except ValidationError as error:
                    raise _in_row(index, error.problems) from error
        return saved

    def delete(self, record_id: str) -> None:
        """Delete a record (a tombstone) and the records it owns; refuse while others use it."""
        from regional_centre.services.deletion import delete_rows

        with self._context.write() as change:
            self._check_owner(change, self._live_row(change.session, record_id))
            self._audit_delete(change, record_id, delete_rows(change, self.model, [record_id]))

    def delete_many(self, record_ids: Sequence[str]) -> dict[str, int]:
        """Delete several records and what they own in one unit of work; all or none.

        Refused as a whole while others use any of them. Each record gets its own
        audit entry; return how many owned records went with them, by table.
        """
        from regional_centre.services.deletion import delete_each, in_use

        ids = list(dict.fromkeys(record_ids))
        if not ids:
            return {}
        with self._context.write() as change:
            live = live_ids(change.session, self.model.id, ids)
            for record_id in ids:
                if record_id not in live:
                    raise self._not_found(record_id)
                self._check_owner(change, change.session.get(self.model, record_id))
            used = len(in_use(change, self.model, ids))
            if used:
                raise ValidationError.single(
                    "id",
                    ngettext(
                        "{count} of the {total} records is still in use; "
                        "delete or change what uses it first.",
                        "{count} of the {total} records are still in use; "
                        "delete or change what uses them first.",
                        used,
                    ).format(count=used, total=len(ids)),
                )
            removed_with = delete_each(change, self.model, ids)
            total: dict[str, int] = {}
            for record_id in ids:
                removed = removed_with.get(record_id, {})
                for name, count in removed.items():
                    total[name] = total.get(name, 0) + count
                self._audit_delete(change, record_id, removed)
            return total

    def restore(self, record_id: str) -> RecordT:
        """Undo a delete: bring back the record and the records deleted with it.

        Refused while the record is live, while a record it names is deleted, and
        when its values break a rule a new record must keep (a full session, ...).
        """
        return self.restore_many([record_id])[0]

    def restore_many(self, record_ids: Sequence[str]) -> list[RecordT]:
        """Restore several deleted records in one unit of work: all of them or none."""
        from regional_centre.services.deletion import restore_rows

        restored_records: list[RecordT] = []
        with self._context.write() as change:
            for record_id in record_ids:
                row = change.session.get(self.model, record_id)
                if row is None:
                    raise self._not_found(record_id)
                if not row.deleted:
                    raise ValidationError.single(
                        "id", _("This record is not deleted; there is nothing to restore.")
                    )
                self._check_owner(change, row)
                values = {name: getattr(row, name) for name in self._draft_fields}
                self._validated(change.session, values, None)
                restored = restore_rows(change, self.model, [record_id])
                change.audit(
                    self.entity,
                    record_id,
                    AuditAction.RESTORE,
                    {"also_restored": restored} if restored else {},
                )
                restored_records.append(self._to_record(row))
        return restored_records

    def update_many(self, drafts: dict[str, DraftT]) -> list[RecordT]:
        """Save new values for several records (each its own) in one unit of work; all or none."""
        with self._context.write() as change:
            return [
                self._save(change, self._live_row(change.session, record_id), self._values(draft))
                for record_id, draft in drafts.items()
            ]

    # Internals.

    def _values(self, draft: DraftT) -> dict[str, Any]:
        return {name: getattr(draft, name) for name in self._draft_fields}

    def _checked(self, values: dict[str, Any]) -> Checker:
        c = Checker(values, self._reference)
        self.check(c)
        return c

    def _validated(self, session: Session, values: dict[str, Any], current: RecordT | None) -> None:
        """Check and normalise ``values`` with every rule; ValidationError on the first failing step."""
        c = self._checked(values)
        self._check_references(session, [c])
        c.raise_if_any()
        self.check_in_database(c, session, current)
        c.raise_if_any()

    def _save(self, change: Change, row: Any, values: dict[str, Any]) -> RecordT:
        """Validate ``values`` as the new values of ``row``; write and audit the fields that changed."""
        self._check_owner(change, row)
        self._validated(change.session, values, self._to_record(row))
        changed = {f: (getattr(row, f), v) for f, v in values.items() if getattr(row, f) != v}
        if changed:
            self._stamp_fields(change, row, changed.keys())
            for name, (_old, new) in changed.items():
                setattr(row, name, new)
            change.audit(
                self.entity,
                row.id,
                AuditAction.UPDATE,
                {f: [jsonable(old), jsonable(new)] for f, (old, new) in changed.items()},
            )
        return self._make_record(row.id, values)

    def _draft_with(self, current: RecordT, fields: dict[str, Any]) -> DraftT:
        """The draft of ``current`` with ``fields`` changed."""
        draft = self.draft_type(**{f: getattr(current, f) for f in self._draft_fields})
        changed: DraftT = dataclasses.replace(draft, **fields)
        return changed

    def _audit_delete(self, change: Change, record_id: str, removed: dict[str, int]) -> None:
        change.audit(
            self.entity,
            record_id,
            AuditAction.DELETE,
            {"also_deleted": removed} if removed else {},
        )

    def _check_references(self, session: Session, checkers: Sequence[Checker]) -> None:
        columns = self.model.__table__.c
        for field, model in self.references.items():
            for c in checkers:
                if not c.values.get(field):  # nothing picked ("" from an empty picker)
                    c.values[field] = None
                    if not columns[field].nullable:
                        c.add(field, _("Choose one."))
            wanted = {c.values[field] for c in checkers if c.values.get(field)}
            if not wanted:
                continue
            missing = wanted - live_ids(session, model.id, wanted)
            for c in checkers:
                if c.values.get(field) in missing:
                    c.add(field, _("The linked record no longer exists."))

    def _revive_tombstones(
        self, change: Change, ids: list[str], rows: list[dict[str, Any]]
    ) -> set[str]:
        """Bring back deleted records whose derived ids come again; refuse live duplicates."""
        if len(set(ids)) != len(ids):
            raise ValidationError.single("id", self.duplicate_message())
        values_of = dict(zip(ids, rows, strict=True))
        revived: set[str] = set()
        for chunk in batched(ids, _IN_CHUNK):
            for row in change.session.scalars(select(self.model).where(self.model.id.in_(chunk))):
                if not row.deleted:
                    raise ValidationError.single("id", self.duplicate_message())
                self._revive(change, row, values_of[row.id])
                revived.add(row.id)
        change.session.flush()
        return revived

    def _insert(self, change: Change, rows: list[dict[str, Any]]) -> None:
        insert_rows(change.session.connection(), self.model.__table__, rows)

    def _revive(self, change: Change, row: Synced, values: dict[str, Any]) -> None:
        self._stamp_fields(change, row, [*values, "deleted"])
        for name, value in values.items():
            setattr(row, name, value)
        row.deleted = False

    @staticmethod
    def _stamp_fields(change: Change, row: Synced, names: Iterable[str]) -> None:
        row.restamp(names, change.stamp, change.seq)

    @staticmethod
    def _check_owner(change: Change, row: Any) -> None:
        """A centre changes only its own records; the secretariat may change any."""
        node = change.node
        if not node.is_secretariat and row.owner != node.owner:
            raise ValidationError.single(
                "id",
                _("This record belongs to {owner}; only they can change it.").format(
                    owner=row.owner
                ),
            )

    def _live_row(self, session: Session, record_id: str) -> Any:
        row = session.get(self.model, record_id)
        if row is None or row.deleted:
            raise self._not_found(record_id)
        return row

    @staticmethod
    def _not_found(record_id: str) -> NotFound:
        return NotFound(_("The record {id} does not exist or was deleted.").format(id=record_id))

    def _to_record(self, row: Any) -> RecordT:
        record: RecordT = self.record_type(
            id=row.id, **{name: getattr(row, name) for name in self._record_fields}
        )
        return record

    def _make_record(self, record_id: str, values: dict[str, Any]) -> RecordT:
        record: RecordT = self.record_type(
            id=record_id, **{name: values[name] for name in self._record_fields}
        )
        return record


def refuse_rows(checkers: Sequence[Checker], first: int = 0) -> None:
    """Raise the problems of the first record that has any, naming its number (``first`` + 1 for the first)."""
    for index, c in enumerate(checkers, start=first):
        if c.problems:
            raise _in_row(index, c.problems)


def _in_row(index: int, problems: Sequence[Problem]) -> ValidationError:
    return ValidationError(
        Problem(
            p.field,
            _("Record {number}: {message}").format(number=index + 1, message=p.message),
        )
        for p in problems
    )


__all__ = [
    "BATCH_SIZE",
    "RecordService",
    "batched",
    "jsonable",
    "link_id",
    "live_ids",
    "refuse_rows",
]
