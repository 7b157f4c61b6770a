"""Exchanging data as files: keys, enrolment, peers, bundles and the conflict log.

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from regional_centre.db.database import head_revision
from regional_centre.db.models import (
    SYNCED_MODELS,
    Conflict,
    EchoSeq,
    Node,
    NodeKey,
    Peer,
    ReceivedBundle,
    RevokedKey,
)
from regional_centre.i18n import _
from regional_centre.services.bundles import (
    Importer,
    Scope,
    TableChanges,
    advance_clock,
    codecs,
    next_seq,
    now,
    owner_filter,
    pending_condition,
    read_reference,
    record_conflicts,
    write_changes,
    write_reference,
)
from regional_centre.services.context import SECRETARIAT, NodeIdentity, ServiceContext
from regional_centre.services.errors import NotFound, ServiceError
from regional_centre.services.records import RecordService
from regional_centre.services.reference import ReferenceService
from regional_centre.services.repair import repair
from regional_centre.sync.archive import BundleRefused, BundleWriter, Limits, Opened, open_bundle
from regional_centre.sync.crypto import KeyPair, PublicKeys, readable_fingerprint
from regional_centre.sync.enrolment import Enrolment, read_enrolment, write_enrolment
from regional_centre.sync.manifest import FORMAT, PERSONAL_DATA, Manifest, Party
from regional_centre.sync.rows import RowRefused

Progress = Callable[[int, int], None]
BUNDLE_SUFFIX = ".rcbundle"
ENROLMENT_SUFFIX = ".rcenrol"


@dataclass(frozen=True)
class PeerInfo:
    """A peer and where the exchange with it stands."""

    node_id: str
    name: str
    centre: str | None
    is_secretariat: bool
    fingerprint: str
    enrolled_at: dt.datetime
    revoked: bool
    personal_data: str
    sent_bundles: int
    received_bundles: int
    last_export_at: dt.datetime | None
    last_import_at: dt.datetime | None
    pending: int  # records the peer should get and has not acknowledged

    @property
    def readable_fingerprint(self) -> str:
        return readable_fingerprint(self.fingerprint)


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


@dataclass(frozen=True)
class CentreOverview:
    """One centre as the secretariat sees it: its nodes, its last bundle, its records."""

    centre: str
    nodes: tuple[str, ...]  # names of its enrolled installations
    last_import_at: dt.datetime | None  # when a bundle of the centre was last applied here
    bundles: int  # bundles applied from its installations
    counts: dict[str, int]  # live records by table


OVERVIEW_TABLES = (
    "organisation",
    "contact",
    "dialogue",
    "partnership",
    "joint_activity",
    "outcome",
    "training_session",
    "participation",
    "certificate",
)


class _DryRun(Exception):
    """Raised inside the import's transaction to roll a dry run back."""


class SyncService:
    """Keys, peers, bundles and conflicts of this installation."""

    def __init__(
        self,
        context: ServiceContext,
        reference: ReferenceService,
        records: Callable[[str], RecordService[Any, Any] | None],
    ) -> None:
        self._context = context
        self._reference = reference
        self._records = records

    # Keys and enrolment.

    def keys(self) -> KeyPair:
        """This installation's current keys, made on first use."""
        with self._context.database.sessions.begin() as session:
            row = session.scalars(
                select(NodeKey)
                .where(NodeKey.retired_at.is_(None))
                .order_by(NodeKey.created_at.desc())
            ).first()
            if row is not None:
                return KeyPair(row.signing_private, row.encryption_private)
            keys = KeyPair.generate()
            _store_keys(session, keys)
            return keys

    def fingerprint(self) -> str:
        """This installation's fingerprint, to read out to a peer."""
        return self.keys().public.fingerprint

    def enrolment(self) -> bytes:
        """This installation's enrolment file."""
        keys = self.keys()
        return write_enrolment(self._party(keys.public), keys, previous=self._previous_keys())

    def rotate_keys(self) -> bytes:
        """Replace this installation's keys; return the enrolment file that announces the new ones.

        The new file is endorsed by the old key, so peers that knew it accept
        the new one without comparing fingerprints again.
        """
        self.keys()  # make sure there is a key to retire and endorse the new one
        with self._context.database.sessions.begin() as session:
            session.execute(
                update(NodeKey).where(NodeKey.retired_at.is_(None)).values(retired_at=now())
            )
            _store_keys(session, KeyPair.generate())
        return self.enrolment()

    def read_enrolment(self, data: bytes) -> Enrolment:
        """Check an enrolment file before asking the user to compare its fingerprint."""
        with self._context.read() as session:
            known = {
                p.fingerprint: PublicKeys(p.signing_key, p.encryption_key)
                for p in session.scalars(select(Peer))
            }
        enrolment = read_enrolment(data, known=known)
        if enrolment.node_id == self._context.node.id:
            raise ServiceError(_("This is this installation's own enrolment file."))
        return enrolment

    def enrol(self, enrolment: Enrolment) -> PeerInfo:
        """Trust ``enrolment``'s keys for its installation (its fingerprint was confirmed).

        Enrolling an installation again with new keys replaces the old ones,
        which can no longer sign bundles for this installation.
        """
        when = now()
        with self._context.database.sessions.begin() as session:
            if session.get(RevokedKey, enrolment.fingerprint) is not None:
                raise ServiceError(
                    _("This key was revoked; {name} must make a new one.").format(
                        name=enrolment.name
                    )
                )
            clash = session.scalars(
                select(Peer).where(
                    Peer.fingerprint == enrolment.fingerprint, Peer.node_id != enrolment.node_id
                )
            ).first()
            if clash is not None:
                raise ServiceError(_("Another installation already uses this key."))
            peer = session.get(Peer, enrolment.node_id)
            if peer is None:
                peer = Peer(
                    node_id=enrolment.node_id,
                    enrolled_at=when,
                    personal_data="full",
                    sent_bundles=0,
                    acked_seq=0,
                    ack_bundle=0,
                    received_bundles=0,
                    received_seq=0,
                )
                session.add(peer)
            elif peer.fingerprint != enrolment.fingerprint:
                session.merge(
                    RevokedKey(fingerprint=peer.fingerprint, node_id=peer.node_id, revoked_at=when)
                )
            peer.name = enrolment.name
            peer.centre_code = enrolment.centre
            peer.is_secretariat = enrolment.secretariat
            peer.signing_key = enrolment.keys.signing
            peer.encryption_key = enrolment.keys.encryption
            peer.fingerprint = enrolment.fingerprint
            peer.revoked_at = None
        return self.peer(enrolment.node_id)

    def revoke(self, name_or_id: str) -> PeerInfo:
        """Stop trusting a peer's key: its bundles are refused until it enrols a new one."""
        node_id = self.peer(name_or_id).node_id
        when = now()
        with self._context.database.sessions.begin() as session:
            peer = session.get(Peer, node_id)
            assert peer is not None
            peer.revoked_at = when
            session.merge(
                RevokedKey(fingerprint=peer.fingerprint, node_id=node_id, revoked_at=when)
            )
        return self.peer(node_id)

    def set_personal_data(self, name_or_id: str, mode: str) -> PeerInfo:
        """Send the peer ``full`` personal data or ``pseudonymised`` participants."""
        if mode not in PERSONAL_DATA:
            raise ServiceError(
                _("Personal data is either 'full' or 'pseudonymised', not '{mode}'.").format(
                    mode=mode
                )
            )
        node_id = self.peer(name_or_id).node_id
        with self._context.database.sessions.begin() as session:
            session.execute(update(Peer).where(Peer.node_id == node_id).values(personal_data=mode))
        return self.peer(node_id)

    # Peers.

    def peers(self) -> list[PeerInfo]:
        """Every enrolled peer, by name."""
        with self._context.read() as session:
            seq = self._seq(session)
            return [
                self._info(session, p, seq)
                for p in session.scalars(select(Peer).order_by(Peer.name, Peer.node_id))
            ]

    def peer(self, name_or_id: str) -> PeerInfo:
        """The peer with this name (as given at its ``init``) or node id."""
        with self._context.read() as session:
            matches = session.scalars(
                select(Peer).where((Peer.name == name_or_id) | (Peer.node_id == name_or_id))
            ).all()
            if not matches:
                raise NotFound(
                    _("No enrolled installation is called '{name}'; 'peers' lists them.").format(
                        name=name_or_id
                    )
                )
            if len(matches) > 1:
                raise ServiceError(
                    _("Several installations are called '{name}'; give the node id.").format(
                        name=name_or_id
                    )
                )
            return self._info(session, matches[0], self._seq(session))

    def _info(self, session: Session, peer: Peer, seq: int) -> PeerInfo:
        scope = self._scope(peer, seq, pseudonymise=False)
        pending = sum(
            session.scalar(
                select(func.count()).select_from(model).where(pending_condition(model, scope))
            )
            or 0
            for model in SYNCED_MODELS
        )
        return PeerInfo(
            node_id=peer.node_id,
            name=peer.name,
            centre=peer.centre_code,
            is_secretariat=peer.is_secretariat,
            fingerprint=peer.fingerprint,
            enrolled_at=peer.enrolled_at,
            revoked=peer.revoked_at is not None,
            personal_data=peer.personal_data,
            sent_bundles=peer.sent_bundles,
            received_bundles=peer.received_bundles,
            last_export_at=peer.last_export_at,
            last_import_at=peer.last_import_at,
            pending=pending,
        )

    def centres_overview(self) -> list[CentreOverview]:
        """Every centre with records or installations here, side by side (secretariat mode)."""
        models = {m.__tablename__: m for m in SYNCED_MODELS}
        counts: dict[str, dict[str, int]] = {}
        with self._context.read() as session:
            for table in OVERVIEW_TABLES:
                model = models[table]
                rows = session.execute(
                    select(model.owner, func.count())
                    .where(model.deleted.is_(False))
                    .group_by(model.owner)
                )
                for owner, count in rows:
                    counts.setdefault(owner, {})[table] = count
            peers = session.scalars(select(Peer).where(Peer.centre_code.is_not(None))).all()
        by_centre: dict[str, list[Peer]] = {}
        for peer in peers:
            by_centre.setdefault(str(peer.centre_code), []).append(peer)
        overview = []
        for centre in sorted(set(counts) | set(by_centre)):
            if centre == SECRETARIAT:
                continue
            nodes = sorted(by_centre.get(centre, []), key=lambda p: p.name)
            imports = [p.last_import_at for p in nodes if p.last_import_at is not None]
            overview.append(
                CentreOverview(
                    centre=centre,
                    nodes=tuple(p.name for p in nodes),
                    last_import_at=max(imports) if imports else None,
                    bundles=sum(p.received_bundles for p in nodes),
                    counts={t: counts.get(centre, {}).get(t, 0) for t in OVERVIEW_TABLES},
                )
            )
        return overview

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

    # Internals.

    def _keys_for(self, fingerprint: str) -> KeyPair | None:
        with self._context.read() as session:
            for row in session.scalars(select(NodeKey)):
                keys = KeyPair(row.signing_private, row.encryption_private)
                if keys.public.fingerprint == fingerprint:
                    return keys
        return None

    def _previous_keys(self) -> KeyPair | None:
        with self._context.read() as session:
            row = session.scalars(
                select(NodeKey)
                .where(NodeKey.retired_at.is_not(None))
                .order_by(NodeKey.retired_at.desc())
            ).first()
            return None if row is None else KeyPair(row.signing_private, row.encryption_private)

    def _party(self, keys: PublicKeys) -> Party:
        node = self._context.node
        return Party(node.id, node.name, node.centre_code, node.is_secretariat, keys.fingerprint)

    def _seq(self, session: Session) -> int:
        seq: int = session.scalar(select(Node.seq).where(Node.id == self._context.node.id)) or 0
        return seq

    def _scope(self, peer: Peer, seq: int, *, pseudonymise: bool) -> Scope:
        node = self._context.node
        return Scope(
            from_seq=peer.acked_seq,
            to_seq=seq,
            peer_id=peer.node_id,
            owner_filter=owner_filter(
                node.is_secretariat, node.centre_code, peer.is_secretariat, peer.centre_code
            ),
            pseudonymise=pseudonymise,
        )


def _store_keys(session: Session, keys: KeyPair) -> None:
    session.add(
        NodeKey(
            fingerprint=keys.public.fingerprint,
            signing_private=keys.signing_private,
            encryption_private=keys.encryption_private,
            created_at=now(),
            retired_at=None,
        )
    )


def _with_members(manifest: Manifest, members: tuple[Any, ...]) -> Manifest:
    from dataclasses import replace

    return replace(manifest, members=members)


def _conflict_info(row: Conflict) -> ConflictInfo:
    from regional_centre.services.context import stamp_time

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
    "ENROLMENT_SUFFIX",
    "BundleInfo",
    "CentreOverview",
    "ConflictInfo",
    "ExportResult",
    "ImportReport",
    "PeerInfo",
    "SyncService",
]
