"""Exchanging data as files: bundles out and in, and the conflict log (keys and peers: ``peers``).

The rules of the exchange are in ``docs/bundle-format.md``. In short: every
installation signs what it sends and seals it to the recipient; a bundle
holds every change the recipient has not acknowledged; applying it is one
transaction that merges field by field, so bundles can come in any order, any
number of times, and every installation ends with the same data.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update

from regional_centre.db.database import head_revision
from regional_centre.db.models import (
    Conflict,
    EchoSeq,
    Peer,
    ReceivedBundle,
    RevokedKey,
)
from regional_centre.i18n import _
from regional_centre.services.bundles import (
    Importer,
    TableChanges,
    advance_clock,
    codecs,
    next_seq,
    now,
    read_reference,
    record_conflicts,
    write_changes,
    write_reference,
)
from regional_centre.services.context import SECRETARIAT, NodeIdentity, ServiceContext, stamp_time
from regional_centre.services.errors import NotFound, ServiceError
from regional_centre.services.peers import PeerRegistry
from regional_centre.services.records import RecordService
from regional_centre.services.reference import ReferenceService
from regional_centre.services.repair import repair
from regional_centre.sync.archive import BundleRefused, BundleWriter, Limits, Opened, open_bundle
from regional_centre.sync.crypto import PublicKeys
from regional_centre.sync.manifest import FORMAT, PERSONAL_DATA, Manifest, Party
from regional_centre.sync.rows import RowRefused

Progress = Callable[[int, int], None]
BUNDLE_SUFFIX = ".rcbundle"


@dataclass(frozen=True)
class ExportResult:
    """A bundle written."""

    path: Path
    manifest: Manifest
    counts: dict[str, int]
    encrypted: bool


@dataclass
class ImportReport:
    """What importing a bundle did, or would do on a dry run."""

    manifest: Manifest
    sender: str
    dry_run: bool
    already_imported: bool = False
    tables: dict[str, TableChanges] = field(default_factory=dict)
    conflicts: int = 0
    refused: dict[str, int] = field(default_factory=dict)  # owner -> records refused
    repaired: int = 0
    reference_updated: list[str] = field(default_factory=list)  # code lists made newer

    @property
    def changed(self) -> bool:
        return any(t.added or t.updated or t.deleted for t in self.tables.values())


@dataclass(frozen=True)
class BundleInfo:
    """What a bundle says about itself, read before deciding to import it."""

    manifest: Manifest | None
    encrypted_for: str | None
    for_this_installation: bool
    signature: str  # "valid", "invalid" or "unknown sender"
    problem: str | None = None


@dataclass(frozen=True)
class ConflictInfo:
    """An entry of the conflict log."""

    id: str
    entity: str
    record_id: str
    field: str
    lost: Any
    kept: Any
    lost_at: dt.datetime
    kept_at: dt.datetime
    lost_by: str
    kept_by: str
    found_at: dt.datetime
    resolution: str


class _DryRun(Exception):
    """Raised inside the import's transaction to roll a dry run back."""


class SyncService(PeerRegistry):
    """Keys and peers (``PeerRegistry``), bundles and conflicts of this installation."""

    def __init__(
        self,
        context: ServiceContext,
        reference: ReferenceService,
        records: Callable[[str], RecordService[Any, Any] | None],
    ) -> None:
        super().__init__(context, reference)
        self._records = records

    # Export.

    def export_bundle(
        self,
        peer_name: str,
        target: Path,
        *,
        encrypt: bool = True,
        personal_data: str | None = None,
        progress: Progress | None = None,
    ) -> ExportResult:
        """Write a bundle of everything ``peer_name`` has not acknowledged to ``target``."""
        node = self._context.node
        info = self.peer(peer_name)
        if info.revoked:
            raise ServiceError(
                _("The key of {name} was revoked; enrol its new key first.").format(name=info.name)
            )
        mode = personal_data or info.personal_data
        if mode not in PERSONAL_DATA:
            raise ServiceError(
                _("Personal data is either 'full' or 'pseudonymised', not '{mode}'.").format(
                    mode=mode
                )
            )
        if not target.parent.is_dir():
            raise ServiceError(
                _("The folder {folder} does not exist.").format(folder=target.parent)
            )
        keys = self.keys()
        try:
            with self._context.read() as session, BundleWriter(target) as writer:
                peer = session.get(Peer, info.node_id)
                assert peer is not None
                seq = self._seq(session)
                scope = self._scope(peer, seq, pseudonymise=mode == "pseudonymised")
                counts = write_changes(
                    session.connection(), writer, scope, progress, max(info.pending, 1)
                )
                if node.is_secretariat:  # the secretariat keeps every centre's code lists
                    lists = write_reference(writer, self._reference.all_lists())
                    counts["reference"] = lists
                manifest = Manifest(
                    format=FORMAT,
                    schema=head_revision(),
                    bundle_id=str(uuid.uuid4()),
                    created_at=now().replace(microsecond=0),
                    sender=self._party(keys.public),
                    recipient=Party(
                        peer.node_id,
                        peer.name,
                        peer.centre_code,
                        peer.is_secretariat,
                        peer.fingerprint,
                    ),
                    number=peer.sent_bundles + 1,
                    from_seq=scope.from_seq,
                    to_seq=seq,
                    ack_seq=peer.received_seq,
                    ack_bundle=peer.received_bundles,
                    personal_data=mode,
                    members=(),
                )
                recipient = PublicKeys(peer.signing_key, peer.encryption_key) if encrypt else None
                writer.finish(manifest.as_json(), keys, recipient)
                members = tuple(writer.members)
        except OSError as error:
            raise ServiceError(
                _("Cannot write {path}: {reason}.").format(path=target, reason=error.strerror)
            ) from error
        with self._context.database.sessions.begin() as session:
            session.execute(
                update(Peer)
                .where(Peer.node_id == info.node_id)
                .values(sent_bundles=Peer.sent_bundles + 1, last_export_at=now())
            )
        manifest = _with_members(manifest, members)
        return ExportResult(target, manifest, counts, encrypt)

    # Reading a bundle.

    def inspect(self, path: Path) -> BundleInfo:
        """What a bundle holds, who sent it and whether its signature holds, without applying it."""
        with open_bundle(path, self._keys_for) as opened:
            try:
                manifest = Manifest.parse(opened.manifest_bytes)
            except BundleRefused as error:
                return BundleInfo(None, opened.encrypted_for, False, "invalid", str(error))
            with self._context.read() as session:
                peer = session.get(Peer, manifest.sender.node_id)
            if peer is None or peer.fingerprint != manifest.sender.fingerprint:
                signature = "unknown sender"
            else:
                signature = (
                    "valid"
                    if opened.signed_by(PublicKeys(peer.signing_key, peer.encryption_key))
                    else "invalid"
                )
            mine = manifest.recipient.node_id == self._context.node.id
            return BundleInfo(manifest, opened.encrypted_for, mine, signature)

    def import_bundle(
        self,
        path: Path,
        *,
        dry_run: bool = False,
        progress: Progress | None = None,
        limits: Limits | None = None,
    ) -> ImportReport:
        """Check and apply a bundle in one transaction (or, with ``dry_run``, only report).

        BundleRefused (with the reason) leaves the database as it was.
        """
        node = self._context.node
        with open_bundle(path, self._keys_for, limits) as opened:
            manifest = Manifest.parse(opened.manifest_bytes)
            peer = self._check_sender(opened, manifest, node)
            report = ImportReport(manifest, peer.name, dry_run)
            opened.check_members(list(manifest.members))
            with self._context.read() as session:
                ledger = session.get(ReceivedBundle, manifest.bundle_id)
            if ledger is not None:
                if ledger.manifest_sha256 != opened.manifest_sha256:
                    raise BundleRefused(
                        _(
                            "A different bundle with the same identity was imported before; "
                            "this one is refused."
                        )
                    )
                report.already_imported = True
                return report
            if manifest.from_seq > peer.received_seq:
                raise BundleRefused(
                    _(
                        "Bundle {number} from {name} needs changes this installation does not "
                        "have yet: import bundle {missing} from {name} first."
                    ).format(
                        number=manifest.number,
                        name=peer.name,
                        missing=peer.received_bundles + 1,
                    )
                )
            with contextlib.suppress(_DryRun):
                self._apply(opened, manifest, peer, report, dry_run, progress)
        return report

    def _check_sender(self, opened: Opened, manifest: Manifest, node: NodeIdentity) -> Peer:
        schema = head_revision()
        if manifest.schema != schema:
            newer = manifest.schema > schema
            raise BundleRefused(
                _(
                    "This bundle was made by a newer version of the program (schema {theirs}, "
                    "this one reads {ours}); update the program first."
                ).format(theirs=manifest.schema, ours=schema)
                if newer
                else _(
                    "This bundle was made by an older version of the program (schema {theirs}); "
                    "ask {name} to update and send it again."
                ).format(theirs=manifest.schema, name=manifest.sender.name)
            )
        if manifest.recipient.node_id != node.id:
            raise BundleRefused(
                _("This bundle is meant for {name}, not for this installation.").format(
                    name=manifest.recipient.name
                )
            )
        with self._context.read() as session:
            peer = session.get(Peer, manifest.sender.node_id)
            revoked = session.get(RevokedKey, manifest.sender.fingerprint)
            if peer is not None:
                session.expunge(peer)
        if revoked is not None or (peer is not None and peer.revoked_at is not None):
            raise BundleRefused(
                _("This bundle is signed with a revoked key ({name}); it is refused.").format(
                    name=manifest.sender.name
                )
            )
        if peer is None or peer.fingerprint != manifest.sender.fingerprint:
            raise BundleRefused(
                _(
                    "This bundle comes from an installation that is not enrolled here ({name}); "
                    "exchange enrolment files first."
                ).format(name=manifest.sender.name)
            )
        if not opened.signed_by(PublicKeys(peer.signing_key, peer.encryption_key)):
            raise BundleRefused(_("The bundle's signature is not valid: it was changed or forged."))
        return peer

    def _apply(
        self,
        opened: Opened,
        manifest: Manifest,
        peer: Peer,
        report: ImportReport,
        dry_run: bool,
        progress: Progress | None,
    ) -> None:
        allowed = None if peer.is_secretariat else frozenset({peer.centre_code or SECRETARIAT})
        with self._context.write() as change:
            echo = next_seq(change)
            importer = Importer(change, manifest, echo, allowed, progress)
            applied = importer.apply(opened)
            lists = read_reference(opened, manifest)
            if lists and not peer.is_secretariat:
                report.refused["reference"] = len(lists)
            elif lists:
                report.reference_updated = self._reference.apply_newer(change.session, lists)
            advance_clock(change, applied.max_clock)
            conflicts = list(applied.conflicts)
            repaired = repair(change)
            conflicts.extend(repaired)
            report.tables = applied.tables
            report.refused.update(applied.refused_owners)
            report.conflicts = record_conflicts(change, conflicts)
            report.repaired = len(repaired)
            session = change.session
            session.add(EchoSeq(seq=echo, peer_id=peer.node_id))
            values: dict[str, Any] = {
                "received_seq": max(peer.received_seq, manifest.to_seq),
                "received_bundles": max(peer.received_bundles, manifest.number),
                "last_import_at": now(),
            }
            if manifest.number > peer.ack_bundle:
                values.update(acked_seq=manifest.ack_seq, ack_bundle=manifest.number)
            session.execute(update(Peer).where(Peer.node_id == peer.node_id).values(values))
            session.execute(
                insert(ReceivedBundle).values(
                    bundle_id=manifest.bundle_id,
                    sender_id=peer.node_id,
                    number=manifest.number,
                    manifest_sha256=opened.manifest_sha256,
                    from_seq=manifest.from_seq,
                    to_seq=manifest.to_seq,
                    applied_at=now(),
                    summary={name: vars(counts) for name, counts in report.tables.items()},
                )
            )
            if dry_run:
                raise _DryRun
        self._context.database.make_durable()
        self._reference.forget()

    # Conflicts.

    def conflicts(self, *, include_resolved: bool = False) -> list[ConflictInfo]:
        """The conflict log, newest first."""
        with self._context.read() as session:
            statement = select(Conflict).where(Conflict.deleted.is_(False))
            if not include_resolved:
                statement = statement.where(Conflict.resolution == "")
            rows = session.scalars(statement.order_by(Conflict.found_at.desc(), Conflict.id))
            return [_conflict_info(row) for row in rows]

    def resolve_conflict(self, conflict_id: str, *, restore: bool) -> ConflictInfo:
        """Bring back the lost value (``restore``) or dismiss the entry; either closes it.

        The lost value goes back through the record's own service, so every
        rule of an ordinary edit applies (and the history shows who did it).
        """
        with self._context.read() as session:
            found = session.get(Conflict, conflict_id)
            if found is None or found.deleted:
                raise NotFound(_("There is no conflict {id}.").format(id=conflict_id))
            if found.resolution:
                raise ServiceError(_("This conflict was already settled."))
            info = _conflict_info(found)
        if restore:
            self._restore_value(info)
        with self._context.write() as change:
            row = change.session.get(Conflict, conflict_id)
            assert row is not None
            row.restamp(["resolution"], change.stamp, change.seq)
            row.resolution = "restored" if restore else "dismissed"
            change.session.flush()
            return _conflict_info(row)

    def _restore_value(self, conflict: ConflictInfo) -> None:
        service = self._records(conflict.entity)
        if service is None:
            raise ServiceError(_("Values of this kind of record cannot be brought back."))
        if conflict.field == "deleted":
            if conflict.lost:
                service.delete(conflict.record_id)
            else:
                service.restore(conflict.record_id)
            return
        try:
            value = codecs()[conflict.entity].decode_value(conflict.field, conflict.lost)
        except RowRefused as error:
            raise ServiceError(
                _("The lost value cannot be brought back ({reason}).").format(reason=error)
            ) from error
        service.change(conflict.record_id, **{conflict.field: value})


def _with_members(manifest: Manifest, members: tuple[Any, ...]) -> Manifest:
    return replace(manifest, members=members)


def _conflict_info(row: Conflict) -> ConflictInfo:
    return ConflictInfo(
        id=row.id,
        entity=row.entity,
        record_id=row.record_id,
        field=row.field,
        lost=row.values.get("lost"),
        kept=row.values.get("kept"),
        lost_at=stamp_time(row.lost_stamp),
        kept_at=stamp_time(row.kept_stamp),
        lost_by=row.lost_stamp[16:],
        kept_by=row.kept_stamp[16:],
        found_at=row.found_at,
        resolution=row.resolution,
    )


__all__ = [
    "BUNDLE_SUFFIX",
    "BundleInfo",
    "ConflictInfo",
    "ExportResult",
    "ImportReport",
    "SyncService",
]
