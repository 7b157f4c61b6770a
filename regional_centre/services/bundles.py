"""Writing and applying bundles: the records a peer lacks out, a peer's changes in.

Export reads every record whose local change number is past what the peer
acknowledged, in dependency order, and streams it into the bundle. Import
applies a checked bundle in one transaction: every record is decoded and
checked, merged field by field (``regional_centre.sync.merge``), and the
merge's losers go to the conflict log. Records of a centre the sender may not
change are refused and reported; everything else is applied or nothing is.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from regional_centre.db.bulk import insert_rows
from regional_centre.db.models import (
    SYNCED_MODELS,
    AdvisoryReview,
    AuditEntry,
    Certificate,
    Conflict,
    EchoSeq,
    JointActivity,
    Node,
)
from regional_centre.i18n import _
from regional_centre.services.context import SECRETARIAT, Change
from regional_centre.services.records import batched, jsonable, link_id
from regional_centre.services.reference import Code, ShippedList
from regional_centre.sync.archive import (
    BundleRefused,
    BundleWriter,
    MemberInfo,
    Opened,
    canonical,
)
from regional_centre.sync.manifest import Manifest
from regional_centre.sync.merge import Lost, field_stamp, merge
from regional_centre.sync.rows import WITHHELD, RowRefused, TableCodec

BATCH = 2000
CONFLICT_TABLE = "sync_conflict"  # two installations may log one conflict: not a conflict itself
Progress = Callable[[int, int], None]

# Fields of people that a pseudonymised bundle leaves out (UN personal data principles).
PERSONAL_FIELDS: dict[str, frozenset[str]] = {
    "contact": frozenset({"given_name", "family_name", "job_title", "email", "phone", "notes"}),
    "participation": frozenset({"evaluation_comments"}),
    "audit_entry": frozenset({"changes"}),
}
_PERSONAL_AUDIT = ("contact", "participation")


@cache
def codecs() -> dict[str, TableCodec]:
    """Every synced table's codec, in dependency order."""
    return {
        model.__tablename__: TableCodec.of(
            model.__table__, PERSONAL_FIELDS.get(model.__tablename__, frozenset())
        )
        for model in SYNCED_MODELS
    }


def member_name(table: str) -> str:
    """The archive member that carries ``table``'s records."""
    position = list(codecs()).index(table) + 1
    return f"changes/{position:02d}-{table}.jsonl"


def placeholder(table: str, column: str, record_id: str) -> Any:
    """What stands in a new record for a value withheld from a pseudonymised bundle."""
    if table == "contact" and column == "family_name":
        return f"#{record_id[:8].upper()}"
    if table == "audit_entry":
        return {}
    return ""


# Export.


@dataclass(frozen=True)
class Scope:
    """Which records go to a peer: owners, and the change numbers already there."""

    from_seq: int
    to_seq: int
    peer_id: str
    owner_filter: Callable[[Any], ColumnElement[bool] | None]
    pseudonymise: bool


def owner_filter(
    self_secretariat: bool, self_centre: str | None, peer_secretariat: bool, peer_centre: str | None
) -> Callable[[Any], ColumnElement[bool] | None]:
    """The rule of what belongs to the peer, per model (None: everything)."""
    if not self_secretariat:
        return lambda model: model.owner == self_centre
    if peer_secretariat:
        return lambda model: None

    def for_centre(model: Any) -> ColumnElement[bool] | None:
        if model is AdvisoryReview:  # the Advisory Committee's reviews of the centre's activities
            return or_(
                model.owner == peer_centre,
                and_(
                    model.owner == SECRETARIAT,
                    model.activity_id.in_(
                        select(JointActivity.id).where(JointActivity.owner == peer_centre)
                    ),
                ),
            )
        return model.owner == peer_centre

    return for_centre


def pending_condition(model: Any, scope: Scope) -> ColumnElement[bool]:
    """The records of ``model`` the peer has not acknowledged and should have."""
    conditions = [
        model.seq > scope.from_seq,
        model.seq <= scope.to_seq,
        model.seq.not_in(select(EchoSeq.seq).where(EchoSeq.peer_id == scope.peer_id)),
    ]
    owned = scope.owner_filter(model)
    if owned is not None:
        conditions.append(owned)
    return and_(*conditions)


def write_changes(
    connection: Connection,
    writer: BundleWriter,
    scope: Scope,
    progress: Progress | None = None,
    total: int = 0,
) -> dict[str, int]:
    """Stream the pending records of every table into ``writer``; return the count per table."""
    counts: dict[str, int] = {}
    done = 0
    for model in SYNCED_MODELS:
        codec = codecs()[model.__tablename__]
        statement = (
            select(*codec.export_columns())
            .where(pending_condition(model, scope))
            .order_by(model.seq)
        )
        rows = connection.execution_options(yield_per=BATCH).execute(statement)
        withhold = codec.personal if scope.pseudonymise else frozenset()
        entity = codec.export_position("entity") if model is AuditEntry else None
        written = 0
        with writer.member(member_name(codec.name)) as member:
            for row in rows:
                hidden = withhold
                if entity is not None and row[entity] not in _PERSONAL_AUDIT:
                    hidden = frozenset()
                member.write_line(codec.line(row, hidden))
                written += 1
                if progress is not None and written % BATCH == 0:
                    progress(done + written, total)
        done += written
        if written:
            counts[codec.name] = written
    return counts


def _line(value: dict[str, Any]) -> bytes:
    return canonical(value)


REFERENCE_MEMBER = "reference.jsonl"


def write_reference(writer: BundleWriter, lists: Iterable[ShippedList]) -> int:
    """Write the secretariat's code lists, one line each; return how many."""
    count = 0
    with writer.member(REFERENCE_MEMBER) as member:
        for code_list in lists:
            member.write_line(
                canonical(
                    {
                        "name": code_list.name,
                        "version": code_list.version,
                        "source": code_list.source,
                        "codes": [
                            [c.code, c.title, c.parent, c.attributes, c.retired]
                            for c in code_list.codes
                        ],
                    }
                )
            )
            count += 1
    return count


def read_reference(opened: Opened, manifest: Manifest) -> list[ShippedList]:
    """The code lists a bundle carries, each checked; BundleRefused if one is malformed."""
    member = next((m for m in manifest.members if m.name == REFERENCE_MEMBER), None)
    if member is None:
        return []
    lists = []
    for number, line in enumerate(opened.lines(member), start=1):
        try:
            lists.append(_code_list(line))
        except (ValueError, TypeError, KeyError) as error:
            raise BundleRefused(
                _("Code list {number} in the bundle is not valid ({reason}).").format(
                    number=number, reason=error
                )
            ) from error
    if len(lists) != member.rows:
        raise BundleRefused(_("The bundle's code lists are not those its manifest counts."))
    return lists


def _code_list(line: Any) -> ShippedList:
    if not isinstance(line, dict) or set(line) != {"name", "version", "source", "codes"}:
        raise ValueError("fields")
    name, version, source, codes = line["name"], line["version"], line["source"], line["codes"]
    if not all(isinstance(v, str) and len(v) <= 500 for v in (name, version, source)):
        raise ValueError("name, version or source")
    if not name or len(name) > 40 or not isinstance(codes, list) or len(codes) > 5000:
        raise ValueError("name or codes")
    parsed = []
    for entry in codes:
        if not isinstance(entry, list) or len(entry) != 5:
            raise ValueError("code")
        code, title, parent, attributes, retired = entry
        if not (isinstance(code, str) and 0 < len(code) <= 40 and isinstance(title, str)):
            raise ValueError("code")
        if parent is not None and not (isinstance(parent, str) and len(parent) <= 40):
            raise ValueError("parent")
        if not isinstance(attributes, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in attributes.items()
        ):
            raise ValueError("attributes")
        if not isinstance(retired, bool) or len(title) > 500:
            raise ValueError("title or retired")
        parsed.append(Code(code, title, parent, attributes, retired))
    if len({c.code for c in parsed}) != len(parsed):
        raise ValueError("duplicate codes")
    return ShippedList(name, version, source, tuple(parsed))


# Import.


@dataclass
class TableChanges:
    """What applying a bundle did (or would do) to one table."""

    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    refused: int = 0


@dataclass(frozen=True)
class FoundConflict:
    """A conflict the import found."""

    entity: str
    record_id: str
    owner: str
    lost: Lost


@dataclass
class Applied:
    """Everything one import did."""

    tables: dict[str, TableChanges] = field(default_factory=dict)
    conflicts: list[FoundConflict] = field(default_factory=list)
    refused_owners: Counter[str] = field(default_factory=Counter)
    max_clock: int = 0

    def table(self, name: str) -> TableChanges:
        return self.tables.setdefault(name, TableChanges())


@dataclass
class Importer:
    """Applies the records of one bundle inside one unit of work."""

    change: Change
    manifest: Manifest
    echo_seq: int  # the change number for records that end up as the sender has them
    allowed_owners: frozenset[str] | None  # None: any owner
    progress: Progress | None = None
    applied: Applied = field(default_factory=Applied)
    _refused_ids: set[str] = field(default_factory=set)
    _applied_ids: dict[str, set[str]] = field(default_factory=dict)  # of referenced tables
    _rewritten: set[str] = field(default_factory=set)  # incoming records changed here
    _done: int = 0

    @property
    def connection(self) -> Connection:
        return self.change.session.connection()

    def apply(self, opened: Opened) -> Applied:
        members = {m.name: m for m in self.manifest.members}
        order = [member_name(name) for name in codecs()]
        unknown = set(members) - set(order) - {REFERENCE_MEMBER}
        if unknown:
            raise BundleRefused(
                _("The bundle holds records of an unknown kind ({name}).").format(
                    name=sorted(unknown)[0]
                )
            )
        total = sum(m.rows for m in self.manifest.members)
        for table, name in zip(codecs(), order, strict=True):
            if name in members:
                self._apply_member(opened, codecs()[table], members[name], total)
        return self.applied

    def _apply_member(
        self, opened: Opened, codec: TableCodec, member: MemberInfo, total: int
    ) -> None:
        count = 0
        for batch in batched(self._decoded(opened, codec, member), BATCH):
            count += len(batch)
            self._apply_batch(codec, batch)
            self._done += len(batch)
            if self.progress is not None:
                self.progress(self._done, total)
        if count != member.rows:
            raise BundleRefused(
                _("The bundle's {name} does not hold the records its manifest counts.").format(
                    name=member.name
                )
            )

    def _decoded(
        self, opened: Opened, codec: TableCodec, member: MemberInfo
    ) -> Iterator[dict[str, Any]]:
        for number, line in enumerate(opened.lines(member), start=1):
            try:
                yield codec.decode(line)
            except RowRefused as error:
                raise BundleRefused(
                    _("Record {number} of {name} in the bundle is not valid ({reason}).").format(
                        number=number, name=member.name, reason=error
                    )
                ) from error

    def _apply_batch(self, codec: TableCodec, rows: list[dict[str, Any]]) -> None:
        table = codec.table
        counts = self.applied.table(codec.name)
        accepted = []
        for row in rows:
            if self._owner_allowed(row):
                accepted.append(row)
            else:
                counts.refused += 1
                self.applied.refused_owners[row["owner"]] += 1
                self._refused_ids.add(row["id"])
        accepted = self._with_references(codec, accepted, counts)
        ids = [r["id"] for r in accepted]
        if len(set(ids)) != len(ids):
            raise BundleRefused(
                _("The bundle holds the same {table} record twice.").format(table=codec.name)
            )
        local = self._local_rows(codec, ids)
        if codec.name == "certificate":
            self._settle_numbers(accepted)
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        if accepted:
            latest = max(row["stamp"] for row in accepted)  # fixed-width hex first: text order
            self.applied.max_clock = max(self.applied.max_clock, int(latest[:16], 16))
        if codec.name in _referenced_tables():
            self._applied_ids.setdefault(codec.name, set()).update(ids)
        for row in accepted:
            mine = local.get(row["id"])
            if mine is None:
                inserts.append(self._new(codec, row))
                if not row["deleted"]:
                    counts.added += 1
                continue
            if mine["owner"] != row["owner"]:
                counts.refused += 1
                self.applied.refused_owners[row["owner"]] += 1
                self._refused_ids.add(row["id"])
                self._applied_ids.get(codec.name, set()).discard(row["id"])
                continue
            merged = merge(mine, row, codec.content)
            for lost in merged.lost if codec.name != CONFLICT_TABLE else ():
                self.applied.conflicts.append(
                    FoundConflict(codec.name, row["id"], row["owner"], lost)
                )
            if not merged.changed:
                counts.unchanged += 1
                continue
            as_sent = merged.as_incoming and row["id"] not in self._rewritten
            merged.row["seq"] = self.echo_seq if as_sent else self.change.seq
            updates.append(merged.row)
            if merged.row["deleted"] and not mine["deleted"]:
                counts.deleted += 1
            else:
                counts.updated += 1
        insert_rows(self.connection, table, inserts)
        if updates:
            self.connection.execute(_update_statement(table, codec.columns), _keyed(updates))

    def _owner_allowed(self, row: dict[str, Any]) -> bool:
        return self.allowed_owners is None or row["owner"] in self.allowed_owners

    def _with_references(
        self, codec: TableCodec, rows: list[dict[str, Any]], counts: TableChanges
    ) -> list[dict[str, Any]]:
        """``rows`` whose references exist; rows naming a refused record are refused too."""
        for column, target in codec.references.items():
            wanted = {r[column] for r in rows if r.get(column) is not None}
            wanted -= self._applied_ids.get(target, set())  # applied earlier in this bundle
            if not wanted:
                continue
            found = existing_ids(self.connection, codecs()[target].table, wanted)
            missing = wanted - found
            if not missing:
                continue
            kept = []
            for row in rows:
                value = row.get(column)
                if value in missing and value in self._refused_ids:
                    counts.refused += 1
                    self.applied.refused_owners[row["owner"]] += 1
                    self._refused_ids.add(row["id"])
                elif value in missing:
                    raise BundleRefused(
                        _(
                            "The bundle's {table} record {id} refers to a {target} record that "
                            "does not exist ({missing})."
                        ).format(table=codec.name, id=row["id"], target=target, missing=value)
                    )
                else:
                    kept.append(row)
            rows = kept
        return rows

    def _local_rows(self, codec: TableCodec, ids: list[str]) -> dict[str, dict[str, Any]]:
        table = codec.table
        columns = [table.c[name] for name in codec.columns]
        found: dict[str, dict[str, Any]] = {}
        for chunk in batched(ids, 900):
            for row in self.connection.execute(select(*columns).where(table.c.id.in_(chunk))):
                values = dict(zip(codec.columns, row, strict=True))
                found[values["id"]] = values
        return found

    def _new(self, codec: TableCodec, row: dict[str, Any]) -> dict[str, Any]:
        for name, stamp in row["field_stamps"].items():
            if stamp == WITHHELD:
                row[name] = placeholder(codec.name, name, row["id"])
        row["seq"] = self.change.seq if row["id"] in self._rewritten else self.echo_seq
        return row

    def _settle_numbers(self, rows: list[dict[str, Any]]) -> None:
        """Two installations gave different certificates the same number, offline.

        The certificate with the greater id keeps the number with a suffix from
        its id, on every installation alike; the change is logged as a conflict
        so the certificate can be printed again.
        """
        by_number = {r["number"]: r for r in rows}
        ids = {r["id"] for r in rows}
        clashes = [
            (certificate_id, number)
            for chunk in batched(list(by_number), 900)
            for certificate_id, number in self.connection.execute(
                select(Certificate.id, Certificate.number).where(Certificate.number.in_(chunk))
            )
            if certificate_id not in ids
        ]
        stamp, seq = self.change.stamp, self.change.seq
        for local_id, number in clashes:
            row = by_number[number]
            renumbered = max(local_id, row["id"])
            new_number = f"{number}-{renumbered[:4].upper()}"
            if renumbered == row["id"]:
                old_stamp = field_stamp(row, "number")
                row["number"] = new_number
                row["field_stamps"] = {**row["field_stamps"], "number": stamp}
                row["field_history"] = {**row["field_history"], "number": [old_stamp]}
                row["stamp"] = max(row["stamp"], stamp)
                self._rewritten.add(row["id"])
                owner = row["owner"]
            else:
                certificate = self.change.session.get(Certificate, local_id)
                assert certificate is not None
                old_stamp = certificate.field_stamps.get("number", certificate.created_stamp)
                certificate.restamp(["number"], stamp, seq)
                certificate.number = new_number
                self.change.session.flush()
                owner = certificate.owner
            lost = Lost("number", number, old_stamp, new_number, stamp)
            self.applied.conflicts.append(FoundConflict("certificate", renumbered, owner, lost))


@cache
def _referenced_tables() -> frozenset[str]:
    """The tables other tables refer to: their ids are kept while a bundle is applied."""
    return frozenset(t for codec in codecs().values() for t in codec.references.values())


def existing_ids(connection: Connection, table: Table, ids: Iterable[str]) -> set[str]:
    """Which of ``ids`` have a row (live or deleted) in ``table``."""
    found: set[str] = set()
    for chunk in batched(list(ids), 900):
        found.update(connection.scalars(select(table.c.id).where(table.c.id.in_(chunk))))
    return found


@cache
def _update_statement(table: Table, columns: tuple[str, ...]) -> Any:
    return (
        update(table)
        .where(table.c.id == bindparam("_id"))
        .values({name: bindparam(name) for name in (*columns, "seq") if name != "id"})
    )


def _keyed(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**{k: v for k, v in r.items() if k != "id"}, "_id": r["id"]} for r in rows]


def record_conflicts(change: Change, found: list[FoundConflict]) -> int:
    """Write the conflicts found to the log (each once, whichever installation found it first)."""
    if not found:
        return 0
    rows = {}
    for conflict in found:
        lost = conflict.lost
        conflict_id = link_id(
            "conflict", conflict.entity, conflict.record_id, lost.field, lost.lost_stamp
        )
        rows[conflict_id] = {
            **change.sync_columns(conflict_id),
            "owner": conflict.owner,
            "entity": conflict.entity,
            "record_id": conflict.record_id,
            "field": lost.field,
            "lost_stamp": lost.lost_stamp,
            "kept_stamp": lost.kept_stamp,
            "values": {"lost": jsonable(lost.lost_value), "kept": jsonable(lost.kept_value)},
            "found_at": change.now,
            "resolution": "",
        }
    connection = change.session.connection()
    table = cast(Table, Conflict.__table__)
    new = set(rows) - existing_ids(connection, table, rows)
    insert_rows(connection, table, [rows[i] for i in rows if i in new])
    return len(new)


def advance_clock(change: Change, max_clock: int) -> None:
    """Keep this installation's clock ahead of every change it has seen (the HLC receive rule)."""
    if max_clock:
        change.session.execute(
            update(Node)
            .where(Node.id == change.node.id, Node.clock < max_clock)
            .values(clock=max_clock)
        )


def next_seq(change: Change) -> int:
    """Take one more change number in this unit of work."""
    seq: int = change.session.execute(
        update(Node).where(Node.id == change.node.id).values(seq=Node.seq + 1).returning(Node.seq)
    ).scalar_one()
    return seq


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


__all__ = [
    "PERSONAL_FIELDS",
    "Applied",
    "Importer",
    "Scope",
    "codecs",
    "member_name",
    "owner_filter",
    "pending_condition",
    "record_conflicts",
    "write_changes",
]
